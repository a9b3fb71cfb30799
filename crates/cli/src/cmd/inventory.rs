//! `lingtan inventory`: the GHG inventory of a year, as text or JSON, with its lineage.

use crate::face::{open_ro, print_json, RunError};
use crate::text;
use clap::Args;
use lingtan_core::Lang;
use lingtan_core::Severity;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct InventoryArgs {
    project: PathBuf,
    #[arg(long)]
    year: Option<i32>,
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
        json,
        lines,
    } = args;
    let p = open_ro(&project)?;
    let report = p.inventory(year, lines)?;
    if json {
        let mut v = lingtan::json::inventory(&report, lang);
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
