//! `lingtan report`: the GHG inventory report as text, PDF and XLSX.

use crate::face::report_error;
use crate::face::{open_ro, RunError};
use crate::text;
use clap::Args;
use lingtan_core::Lang;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct ReportArgs {
    project: PathBuf,
    #[arg(long)]
    year: Option<i32>,
    #[arg(long)]
    pdf: Option<PathBuf>,
    #[arg(long)]
    xlsx: Option<PathBuf>,
}

pub fn run(args: ReportArgs, lang: Lang, lang_flag: Option<&str>) -> Result<ExitCode, RunError> {
    let ReportArgs {
        project,
        year,
        pdf,
        xlsx,
    } = args;
    let report_lang = match lang_flag {
        Some(flag) => lingtan_report::Lang::parse(flag).ok_or_else(|| {
            lingtan::Error::new(
                "BAD_LANG",
                "lang".to_string(),
                format!("--lang '{flag}': choose zh, en or zh+en"),
                format!("--lang “{flag}”：请选择 zh、en 或 zh+en"),
            )
        })?,
        None if lang == Lang::Zh => lingtan_report::Lang::Zh,
        None => lingtan_report::Lang::En,
    };
    let p = open_ro(&project)?;
    let options = lingtan_report::Options {
        year,
        lang: report_lang,
        pdf,
        xlsx,
    };
    let made = lingtan_report::make(&p, &project, &options).map_err(report_error)?;
    if made.files.is_empty() {
        out!("{}", made.text);
    }
    for w in &made.warnings {
        eprintln!(
            "{}: {}",
            lang.pick("warning", "警告"),
            text::p(&w.to_string())
        );
    }
    for (path, bytes) in &made.files {
        outln!(
            "{} {} ({} bytes)",
            lang.pick("written", "已写入"),
            path.display(),
            bytes
        );
    }
    Ok(ExitCode::SUCCESS)
}
