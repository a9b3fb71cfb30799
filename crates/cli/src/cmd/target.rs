//! `lingtan target`: reduction targets against the base year — add, list, and rebase (the
//! base-year recalculation, recorded with its reason).

use crate::face::{open, open_ro, print_json, RunError};
use crate::text;
use clap::Subcommand;
use lingtan::core::Lang;
use lingtan::TargetEntry;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum TargetCmd {
    /// Set a target against the base year (absolute, or per unit of output with --metric)
    Add {
        project: PathBuf,
        name: String,
        /// 1+2, 1+2+3 or 3
        #[arg(long)]
        scopes: String,
        #[arg(long)]
        base_year: i32,
        #[arg(long)]
        target_year: i32,
        /// The cut by the target year, per cent of the base year (0 < PCT <= 100)
        #[arg(long, allow_hyphen_values = true)]
        reduction: Option<String>,
        /// A science-based pathway instead of --reduction: sbti-1.5c (4.2 %/yr) or sbti-wb2c (2.5 %/yr)
        #[arg(long)]
        pathway: Option<String>,
        /// An intensity target: per unit of this output metric (see `lingtan output`)
        #[arg(long)]
        metric: Option<String>,
        /// Scope 2 on the market (default) or location basis
        #[arg(long)]
        scope2: Option<String>,
    },
    /// List the targets as set
    List {
        project: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Recalculate a target on its base year's figures as they are now, with the reason (logged)
    Rebase {
        project: PathBuf,
        name: String,
        #[arg(long)]
        reason: String,
    },
}

pub fn run(cmd: TargetCmd, lang: Lang) -> Result<ExitCode, RunError> {
    let l = |en: &'static str, zh: &'static str| lang.pick(en, zh);
    match cmd {
        TargetCmd::Add {
            project,
            name,
            scopes,
            base_year,
            target_year,
            reduction,
            pathway,
            metric,
            scope2,
        } => {
            let mut p = open(&project)?;
            let row = p.add_target(&TargetEntry {
                name,
                scopes,
                base_year,
                target_year,
                reduction,
                pathway,
                metric,
                scope2,
            })?;
            let t = &row.target;
            outln!(
                "{} '{}': {} {} {}→{}, −{} %, {} {} tCO2e → {} tCO2e",
                l("added target", "已添加目标"),
                text::p(&t.name),
                l("scopes", "范围"),
                t.scopes.code(),
                t.base_year,
                t.target_year,
                t.reduction_pct.normalize(),
                l("base year", "基准年"),
                text::fmt(t.base_tco2e),
                t.target_tco2e()
                    .map(text::fmt)
                    .unwrap_or_else(|| "—".into())
            );
        }
        TargetCmd::List { project, json } => {
            let p = open_ro(&project)?;
            let list = p.targets()?;
            if json {
                print_json(&lingtan::reduction::json::targets(&list))?;
            } else if list.is_empty() {
                outln!(
                    "{}",
                    l(
                        "no target set (add one with `lingtan target add`)",
                        "尚未设定目标（用 `lingtan target add` 添加）"
                    )
                );
            } else {
                for row in list {
                    let t = &row.target;
                    outln!(
                        "{}\t{} {} ({} {})\t{}→{}\t−{} %{}\t{} {} tCO2e",
                        text::p(&t.name),
                        l("scopes", "范围"),
                        t.scopes.code(),
                        l("scope 2", "范围二"),
                        t.scope2.code(),
                        t.base_year,
                        t.target_year,
                        t.reduction_pct.normalize(),
                        t.metric
                            .as_ref()
                            .map(|m| format!(
                                " {} {}/{}",
                                l("per", "按"),
                                text::p(&m.name),
                                m.unit.code()
                            ))
                            .unwrap_or_default(),
                        l("base", "基准"),
                        text::fmt(t.base_tco2e)
                    );
                }
            }
        }
        TargetCmd::Rebase {
            project,
            name,
            reason,
        } => {
            let mut p = open(&project)?;
            let (row, log) = p.rebase_target(&name, &reason)?;
            let r = &log.recalculation;
            outln!(
                "{} '{}' ({} {}): {} {} t, {} {} t ({:+} %){}",
                l("rebased target", "已重新计算目标"),
                text::p(&row.target.name),
                l("version", "版本"),
                row.version,
                l("base year was", "基准年原为"),
                text::fmt(r.was_tco2e),
                l("is now", "现为"),
                text::fmt(r.now_tco2e),
                r.change_pct.round_dp(1),
                if r.significant {
                    l(" — significant", "——显著变化")
                } else {
                    ""
                }
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
