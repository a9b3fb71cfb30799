//! `lingtan inventory`: the GHG inventory of a year, as text or JSON, with its lineage.

use crate::face::{open_ro, print_json, RunError};
use crate::text;
use clap::Args;
use lingtan::core::Lang;
use lingtan::core::Severity;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct InventoryArgs {
    project: PathBuf,
    /// The calendar year (the project's year by default)
    #[arg(long, conflicts_with_all = ["from", "to"])]
    year: Option<i32>,
    /// First day of a claim period (YYYY-MM-DD), with --to
    #[arg(long, requires = "to")]
    from: Option<String>,
    /// Last day of a claim period (YYYY-MM-DD), with --from
    #[arg(long, requires = "from")]
    to: Option<String>,
    #[arg(long)]
    json: bool,
    /// Also list every record's calculation (lineage)
    #[arg(long)]
    lines: bool,
}

pub fn run(args: InventoryArgs, lang: Lang) -> Result<ExitCode, RunError> {
    let InventoryArgs {
        project,
        year,
        from,
        to,
        json,
        lines,
    } = args;
    let p = open_ro(&project)?;
    let report = match (from, to) {
        (Some(from), Some(to)) => p.inventory_period(lingtan::claim::period(&from, &to)?, lines)?,
        _ => p.inventory(year, lines)?,
    };
    if json {
        let mut v = lingtan::json::inventory(&report, lang);
        v["intensity"] = lingtan::reduction::json::intensity(&p.intensity(&report)?);
        if lines {
            v["lines"] = serde_json::to_value(&report.inventory.lines)?;
        }
        print_json(&v)?;
    } else {
        out!("{}", text::inventory(&report, lang));
        if lines {
            out!("{}", text::lines(&report, &p.sources()?, lang));
        }
    }
    if report
        .inventory
        .issues
        .iter()
        .any(|i| i.severity == Severity::Error)
    {
        return Ok(ExitCode::from(3));
    }
    Ok(ExitCode::SUCCESS)
}
