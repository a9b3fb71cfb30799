//! `lingtan zcf`: the zero-carbon-factory evaluation (T/CECA-G 0171-2022): import the assessor's
//! scoring table, show the total, the star levels and the figures from the project.

use crate::cmd::eac::place;
use crate::face::{open, open_ro, print_json, RunError};
use crate::text;
use clap::Subcommand;
use lingtan::core::{Decimal, Lang};
use lingtan::zcf::{Evaluation, ScoreImportOptions, ScoreImportReport};
use lingtan::{words, Field};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum ZcfCmd {
    /// Import the assessor's scoring table (.xlsx, .xls, .ods, .csv): indicator, sub-item,
    /// weight, maximum, score; every problem named at its cell; one batch, the file as evidence
    Scores {
        project: PathBuf,
        #[arg(long)]
        file: PathBuf,
        /// Only this sheet
        #[arg(long)]
        sheet: Option<String>,
        /// What the weights add up to (default 100)
        #[arg(long)]
        maximum: Option<String>,
        /// Show what would be imported; write nothing
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// The evaluation: the table's total, the star levels (only the published requirements,
    /// flagged when unconfirmed) and the figures from the project
    Show {
        project: PathBuf,
        /// i (Type I) or ii (Type II)
        #[arg(long = "type")]
        kind: String,
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(cmd: ZcfCmd, lang: Lang) -> Result<ExitCode, RunError> {
    match cmd {
        ZcfCmd::Scores {
            project,
            file,
            sheet,
            maximum,
            dry_run,
            json,
        } => {
            let maximum = match maximum {
                None => Decimal::ONE_HUNDRED,
                Some(t) => {
                    let d = lingtan::parse_decimal(Field::Qty, &t)?;
                    if d <= Decimal::ZERO {
                        return Err(lingtan::Error::new(
                            "ZCF_TABLE_MAXIMUM",
                            None,
                            words![format!("the table's maximum '{t}' must be above 0")],
                            words![format!("评分表满分“{t}”必须大于 0")],
                        )
                        .into());
                    }
                    d
                }
            };
            let options = ScoreImportOptions {
                dry_run,
                sheet,
                maximum,
            };
            // a dry run only reads the project: its file stays byte-identical
            let report = if dry_run {
                let mut p = open_ro(&project)?;
                p.import_zcf_scores(&file, &options)?
            } else {
                let mut p = open(&project)?;
                p.import_zcf_scores(&file, &options)?
            };
            if json {
                print_json(&serde_json::to_value(&report)?)?;
            } else {
                out!("{}", import_text(&report, lang));
            }
            if report.refused() {
                return Ok(ExitCode::from(1));
            }
        }
        ZcfCmd::Show {
            project,
            kind,
            year,
            json,
        } => {
            let p = open_ro(&project)?;
            let e = p.zcf_evaluation(&kind, year)?;
            if json {
                print_json(&serde_json::to_value(&e)?)?;
            } else {
                out!("{}", show_text(&e, lang));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn two(d: Decimal) -> String {
    lingtan::core::text::grouped(d, 2)
}

fn import_text(r: &ScoreImportReport, lang: Lang) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "{} {} ({} {})\n",
        lang.pick("file", "文件"),
        text::p(&r.file),
        lang.pick("table maximum", "满分"),
        r.maximum
    ));
    for row in &r.rows {
        s.push_str(&format!(
            "  {} {} / {}: {} × {} ÷ {} = {}\n",
            text::p(&row.origin),
            text::p(&row.indicator),
            text::p(&row.sub_item),
            row.weight,
            row.score,
            row.maximum,
            row.points.map(two).unwrap_or_else(|| "—".into())
        ));
    }
    for i in &r.issues {
        s.push_str(&format!(
            "  {} [{}] {}: {}\n",
            i.severity.code(),
            i.code,
            text::p(&place(&i.sheet, &i.cell, i.row, &i.column)),
            text::p(&i.message(lang))
        ));
    }
    let total = r.total.map(two).unwrap_or_else(|| "—".into());
    s.push_str(&match (r.batch, r.refused()) {
        (_, true) => lang
            .pick(
                "refused: nothing was imported; fix the cells above",
                "已拒绝：未导入任何数据；请修正上述单元格",
            )
            .to_string(),
        (Some(b), false) => format!(
            "{} {} {} ({} {b}); {} {total}",
            lang.pick("imported", "已导入"),
            r.rows.len(),
            lang.pick("rows", "行"),
            lang.pick("batch", "批次"),
            lang.pick("total", "总分")
        ),
        (None, false) => format!(
            "{} {} {}; {} {total}",
            lang.pick("dry run: would import", "试运行：将导入"),
            r.rows.len(),
            lang.pick("rows", "行"),
            lang.pick("total", "总分")
        ),
    });
    s.push('\n');
    s
}

fn pct(d: Option<Decimal>) -> String {
    d.map(|v| format!("{} %", lingtan::core::text::grouped(v, 1)))
        .unwrap_or_else(|| "—".into())
}

fn show_text(e: &Evaluation, lang: Lang) -> String {
    let l = |en: &'static str, zh: &'static str| lang.pick(en, zh);
    let mut s = String::new();
    s.push_str(&format!(
        "{} — {} {}\n\n",
        l("Zero-carbon factory evaluation", "零碳工厂评价"),
        e.edition,
        e.year
    ));
    match &e.scoring {
        Some(sc) => {
            for i in &sc.indicators {
                s.push_str(&format!(
                    "  {:<24} {} / {}\n",
                    text::p(&i.indicator),
                    two(i.points),
                    i.weight
                ));
            }
            s.push_str(&format!(
                "{}: {} / {}{}\n",
                l("Total", "总分"),
                two(sc.total),
                sc.maximum,
                e.batch
                    .map(|b| format!(" ({} {b})", l("batch", "批次")))
                    .unwrap_or_default()
            ));
            s.push_str(&format!("  {}\n", sc.formula.pick(lang)));
        }
        None => s.push_str(&format!("{}: —\n", l("Total", "总分"))),
    }
    s.push_str(&format!("\n{}\n", l("Star levels", "星级")));
    for st in &e.stars {
        let status = match st.status {
            lingtan::core::claim::zcf::StarStatus::Met => l("met", "满足"),
            lingtan::core::claim::zcf::StarStatus::NotMet => l("not met", "不满足"),
            lingtan::core::claim::zcf::StarStatus::AssessorDecides => {
                l("assessor decides", "由评价机构判定")
            }
        };
        let flag = match st.confirmed {
            Some(false) => l(" [unconfirmed]", "【未核实】"),
            _ => "",
        };
        s.push_str(&format!(
            "  {}★ {status}{flag}: {}\n",
            st.level,
            text::p(st.found.pick(lang))
        ));
    }
    let f = &e.figures;
    s.push_str(&format!(
        "\n{}\n",
        l("Figures from the project", "项目数据")
    ));
    let rows = [
        (
            l("Subject emissions (tCO2e)", "声明对象排放（tCO2e）"),
            text::fmt(f.subject_tco2e),
        ),
        (
            l(
                "Renewable share of total energy",
                "可再生能源占综合能耗比例",
            ),
            pct(f.renewable_energy_pct),
        ),
        (
            l("Green-power share of electricity", "绿电占用电量比例"),
            pct(f.green_power_pct),
        ),
        (
            l("Credits counted (tCO2e)", "计入的碳信用（tCO2e）"),
            text::fmt(f.credits_tco2e),
        ),
        (
            l("Credit offset ratio", "碳信用抵消比例"),
            pct(f.offset_pct),
        ),
        (l("Removal ratio", "碳清除抵消比例"), pct(f.removal_pct)),
        (
            l(
                "Reduction against the base year (tCO2e)",
                "较基准年减排量（tCO2e）",
            ),
            f.reduction_tco2e
                .map(text::fmt)
                .unwrap_or_else(|| "—".into()),
        ),
        (
            l("Reduction against the base year", "较基准年减排比例"),
            pct(f.reduction_pct),
        ),
    ];
    for (k, v) in rows {
        s.push_str(&format!("  {k}: {v}\n"));
    }
    for i in &f.intensities {
        s.push_str(&format!(
            "  {} ({}): {} tCO2e/{}\n",
            l("Intensity", "排放强度"),
            text::p(&i.metric),
            i.tco2e_per_unit.round_dp(6).normalize(),
            text::p(&i.unit)
        ));
    }
    for fm in &f.formulas {
        s.push_str(&format!("  {}: {}\n", fm.figure, fm.text.pick(lang)));
    }
    if !e.notes.is_empty() {
        s.push('\n');
        for n in &e.notes {
            s.push_str(&format!(
                "{} {}\n",
                l("Note:", "注："),
                text::p(n.pick(lang))
            ));
        }
    }
    s
}
