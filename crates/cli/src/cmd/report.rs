//! `lingtan report`: the GHG inventory report of a year or a claim period as text, PDF and XLSX.

use crate::face::{open_ro, RunError};
use crate::text;
use clap::Args;
use lingtan::core::Lang;
use lingtan::{words, Field};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct ReportArgs {
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
    pdf: Option<PathBuf>,
    #[arg(long)]
    xlsx: Option<PathBuf>,
}

pub fn run(args: ReportArgs, lang: Lang, lang_flag: Option<&str>) -> Result<ExitCode, RunError> {
    let ReportArgs {
        project,
        year,
        from,
        to,
        pdf,
        xlsx,
    } = args;
    let report_lang = match lang_flag {
        Some(flag) => lingtan::export::Langs::parse(flag).ok_or_else(|| {
            lingtan::Error::new(
                "BAD_LANG",
                Field::Lang,
                words![Field::Lang, format!(" '{flag}': choose zh, en or zh+en")],
                words![Field::Lang, format!(" “{flag}”：请选择 zh、en 或 zh+en")],
            )
        })?,
        None => lang.into(),
    };
    let p = open_ro(&project)?;
    let options = lingtan::export::Options {
        year,
        lang: report_lang,
        pdf,
        xlsx,
    };
    let period = match (from, to) {
        (Some(from), Some(to)) => Some(lingtan::claim::period(&from, &to)?),
        _ => None,
    };
    let made = p.export_period(&project, &options, period)?;
    if made.files.is_empty() {
        out!("{}", made.text);
    }
    for w in &made.warnings {
        eprintln!(
            "{}: {}",
            lang.pick("warning", "警告"),
            text::p(&format!(
                "{} / {}",
                crate::face::message(w, Lang::En),
                crate::face::message(w, Lang::Zh)
            ))
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
