//! `lingtan reduction`: the reduction step of a year — targets and their trajectory, measures
//! with abatement, MAC, NPV and payback, the MACC, progress and what changed since the base
//! year — as text (the report's reduction section) or the stable JSON.

use crate::face::{open_ro, print_json, RunError};
use clap::Args;
use lingtan_core::{Lang, Severity};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct ReductionArgs {
    project: PathBuf,
    /// The reporting year (default: the project's)
    #[arg(long)]
    year: Option<i32>,
    /// Scope 2 basis of abatement and MAC: market (default) or location
    #[arg(long)]
    basis: Option<String>,
    #[arg(long)]
    json: bool,
}

pub fn run(args: ReductionArgs, lang: Lang) -> Result<ExitCode, RunError> {
    let ReductionArgs {
        project,
        year,
        basis,
        json,
    } = args;
    let p = open_ro(&project)?;
    let r = p.reduction(year, basis.as_deref())?;
    if json {
        print_json(&lingtan::reduction::json::report(&r, lang))?;
    } else {
        let report_lang = match lang {
            Lang::Zh => lingtan_report::Lang::Zh,
            Lang::En => lingtan_report::Lang::En,
        };
        let data = lingtan_report::reduction::data_of(&r);
        let items = lingtan_report::reduction::section(&data, report_lang, "");
        out!("{}", lingtan_report::reduction::text(&items, report_lang));
    }
    if r.issues.iter().any(|i| i.severity == Severity::Error) {
        return Ok(ExitCode::from(3));
    }
    Ok(ExitCode::SUCCESS)
}
