//! `lingtan reduction`: the reduction step of a year — targets and their trajectory, measures
//! with abatement, MAC, NPV and payback, the MACC, progress and what changed since the base
//! year — as text (the report's reduction section) or the stable JSON.

use crate::face::{open_ro, print_json, RunError};
use clap::Args;
use lingtan::core::{Lang, Severity};
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
        out!("{}", lingtan::reduction::text(&r, lang));
    }
    if r.issues.iter().any(|i| i.severity == Severity::Error) {
        return Ok(ExitCode::from(3));
    }
    Ok(ExitCode::SUCCESS)
}
