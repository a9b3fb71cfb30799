//! `lingtan eac`: energy attribute certificates (green-electricity certificates 绿证, green-power
//! trades, I-REC, GO, REC) for the market-based scope 2: add, retire, list, void, import.

use crate::face::{open, open_ro, print_json, RunError};
use crate::text;
use clap::{Args, Subcommand};
use lingtan::core::Lang;
use lingtan::{EacEntry, EacImportOptions, EacRecord};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum EacCmd {
    /// Record a certificate (held until retired; with --retired and --beneficiary, retired now)
    Add(Box<AddArgs>),
    /// Retire (cancel, 核销) a held certificate for the organisation
    Retire {
        project: PathBuf,
        /// The record's number (from `eac list`) or the certificate's id
        id: String,
        #[arg(long)]
        date: String,
        #[arg(long)]
        beneficiary: String,
        /// The retirement statement (kept as evidence)
        #[arg(long)]
        evidence: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// List the certificates with their checks for the project's year (or --year)
    List {
        project: PathBuf,
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        json: bool,
    },
    /// Void a certificate record (kept, never counted)
    Void {
        project: PathBuf,
        id: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        json: bool,
    },
    /// Import a green-certificate platform's export (Beijing / Guangzhou power exchange trade
    /// details, the national GEC platform's orders): each row a purchase, held until retired
    Import {
        project: PathBuf,
        file: PathBuf,
        /// The sites whose consumption the certificates may cover (default: all sites)
        #[arg(long)]
        site: Vec<String>,
        /// Only this sheet
        #[arg(long)]
        sheet: Option<String>,
        /// Show what would be imported and every issue; write nothing
        #[arg(long)]
        dry_run: bool,
        /// Import even if the same file was imported before
        #[arg(long)]
        force: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct AddArgs {
    project: PathBuf,
    /// gec, green-power, i-rec, go, rec or other
    #[arg(long = "type")]
    kind: String,
    /// The certificate's id in its registry
    #[arg(long)]
    id: String,
    /// MWh (a GEC is whole certificates of 1 MWh)
    #[arg(long, allow_hyphen_values = true)]
    mwh: String,
    /// First month of generation, YYYY-MM
    #[arg(long)]
    from: String,
    /// Last month of generation, YYYY-MM
    #[arg(long)]
    to: String,
    /// A site whose consumption it may cover (repeat; default: all sites)
    #[arg(long)]
    site: Vec<String>,
    /// wind, solar, hydro, biomass, geothermal or other
    #[arg(long)]
    technology: Option<String>,
    /// The generating plant
    #[arg(long)]
    plant: Option<String>,
    /// Where it generated (province, country)
    #[arg(long)]
    region: Option<String>,
    /// yes or no
    #[arg(long)]
    tradable: Option<String>,
    /// yes or no: the plant received a subsidy for this generation
    #[arg(long)]
    subsidy: Option<String>,
    /// purchase, own-generation or power-trade
    #[arg(long)]
    acquired: Option<String>,
    /// The claim year, when not the year the generation ends
    #[arg(long)]
    for_year: Option<String>,
    /// Retired already: the date (with --beneficiary)
    #[arg(long)]
    retired: Option<String>,
    #[arg(long)]
    beneficiary: Option<String>,
    /// The certificate (and, when retired, its retirement statement)
    #[arg(long)]
    evidence: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

/// One certificate as a line, then its checks indented.
pub fn eac_text(r: &EacRecord, lang: Lang) -> String {
    let e = &r.eac;
    let mut s = format!(
        "#{} {} '{}' {} MWh {}..{} {}",
        r.record,
        e.kind.code(),
        text::p(&e.id),
        text::fmt(e.mwh),
        e.from,
        e.to,
        status(e.status.code(), lang),
    );
    if let (Some(d), Some(b)) = (e.retired, e.beneficiary.as_deref()) {
        s.push_str(&format!(" {d} {}", text::p(b)));
    }
    if !e.sites.is_empty() {
        s.push_str(&format!(
            " [{}: {}]",
            lang.pick("sites", "场所"),
            text::p(&e.sites.join(", "))
        ));
    }
    if r.excluded {
        s.push_str(lang.pick(
            " — not counted in the market-based scope 2",
            " — 不计入市场法范围二",
        ));
    }
    s.push('\n');
    for c in &r.checks {
        s.push_str(&format!(
            "    {} [{}] {}\n",
            c.severity.code(),
            c.code,
            text::p(&c.message(lang))
        ));
    }
    s
}

pub fn status(code: &str, lang: Lang) -> &'static str {
    match code {
        "held" => lang.pick("held", "持有"),
        "retired" => lang.pick("retired", "已注销"),
        "void" => lang.pick("void", "已作废"),
        "superseded" => lang.pick("superseded", "已拆分"),
        _ => "",
    }
}

fn show(r: &EacRecord, json: bool, done: (&str, &str), lang: Lang) -> Result<(), RunError> {
    if json {
        print_json(&lingtan::offset::json::eac(r, lang))?;
    } else {
        out!("{} {}", lang.pick(done.0, done.1), eac_text(r, lang));
    }
    Ok(())
}

pub fn run(cmd: EacCmd, lang: Lang) -> Result<ExitCode, RunError> {
    match cmd {
        EacCmd::Add(a) => {
            let a = *a;
            let mut p = open(&a.project)?;
            let r = p.add_eac(&EacEntry {
                kind: a.kind,
                id: a.id,
                mwh: a.mwh,
                from: a.from,
                to: a.to,
                sites: a.site,
                technology: a.technology,
                plant: a.plant,
                region: a.region,
                tradable: a.tradable,
                subsidy: a.subsidy,
                acquired: a.acquired,
                for_year: a.for_year,
                retired: a.retired,
                beneficiary: a.beneficiary,
                evidence: a.evidence,
            })?;
            show(&r, a.json, ("added certificate", "已添加证书"), lang)?;
        }
        EacCmd::Retire {
            project,
            id,
            date,
            beneficiary,
            evidence,
            json,
        } => {
            let mut p = open(&project)?;
            let r = p.retire_eac(&id, &date, &beneficiary, evidence.as_deref())?;
            show(&r, json, ("retired certificate", "已注销证书"), lang)?;
        }
        EacCmd::List {
            project,
            year,
            json,
        } => {
            let p = open_ro(&project)?;
            let list = p.eacs(year)?;
            if json {
                print_json(&lingtan::offset::json::eacs(&list, lang))?;
            } else if list.is_empty() {
                outln!(
                    "{}",
                    lang.pick(
                        "no certificates recorded; add one with `lingtan eac add`",
                        "尚未记录证书；请用 `lingtan eac add` 添加"
                    )
                );
            } else {
                for r in &list {
                    out!("{}", eac_text(r, lang));
                }
            }
        }
        EacCmd::Void {
            project,
            id,
            reason,
            json,
        } => {
            let mut p = open(&project)?;
            let r = p.void_eac(&id, &reason)?;
            show(&r, json, ("voided certificate", "已作废证书"), lang)?;
        }
        EacCmd::Import {
            project,
            file,
            site,
            sheet,
            dry_run,
            force,
            json,
        } => {
            let options = EacImportOptions {
                dry_run,
                force,
                sheet,
                sites: site,
            };
            // a dry run only reads the project: its file stays byte-identical
            let report = if dry_run {
                let mut p = open_ro(&project)?;
                p.import_eacs(&file, &options)?
            } else {
                let mut p = open(&project)?;
                p.import_eacs(&file, &options)?
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
    }
    Ok(ExitCode::SUCCESS)
}

fn import_text(r: &lingtan::EacImportReport, lang: Lang) -> String {
    let mut s = String::new();
    let platform = r
        .platform
        .map(|p| lang.pick(p.names().0, p.names().1))
        .unwrap_or_else(|| lang.pick("not recognised", "未识别"));
    s.push_str(&format!(
        "{} {} ({}: {})\n",
        lang.pick("file", "文件"),
        text::p(&r.file),
        lang.pick("platform", "平台"),
        platform
    ));
    for c in &r.certificates {
        s.push_str(&format!(
            "  {} '{}' {} MWh {}{}\n",
            text::p(&c.origin),
            text::p(&c.certificate),
            text::fmt(c.mwh),
            c.month,
            c.purchased
                .map(|d| format!(" {} {d}", lang.pick("purchased", "购买")))
                .unwrap_or_default()
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
    let refused = r.refused();
    s.push_str(&match (r.batch, refused) {
        (_, true) => lang
            .pick(
                "refused: nothing was imported; fix the cells above",
                "已拒绝：未导入任何数据；请修正上述单元格",
            )
            .to_string(),
        (Some(b), false) => format!(
            "{} {} {} MWh ({} {b}; {})",
            lang.pick("imported", "已导入"),
            r.certificates.len(),
            text::fmt(r.mwh),
            lang.pick("batch", "批次"),
            lang.pick("held until retired", "注销前为持有状态")
        ),
        (None, false) => format!(
            "{} {} {} MWh",
            lang.pick("dry run: would import", "试运行：将导入"),
            r.certificates.len(),
            text::fmt(r.mwh)
        ),
    });
    s.push('\n');
    s
}

/// Where an import issue is: `sheet!C5 (column)`, or the row, or the file.
pub(crate) fn place(
    sheet: &Option<String>,
    cell: &Option<String>,
    row: Option<u32>,
    column: &Option<String>,
) -> String {
    let mut s = sheet.clone().unwrap_or_default();
    match (cell, row) {
        (Some(c), _) => s.push_str(&format!("!{c}")),
        (None, Some(r)) => s.push_str(&format!(" row {r}")),
        _ => {}
    }
    if let Some(c) = column {
        s.push_str(&format!(" ({c})"));
    }
    if s.is_empty() {
        s.push_str("file");
    }
    s
}
