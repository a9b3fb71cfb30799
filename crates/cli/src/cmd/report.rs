//! `lingtan report`: the GHG inventory report as text, PDF and XLSX.

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
    let made = p.export(&project, &options)?;
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
