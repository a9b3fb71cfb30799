//! `lingtan backup`: a consistent copy of the project.

use crate::face::{open_ro, RunError};
use clap::Args;
use lingtan_core::Lang;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct BackupArgs {
    project: PathBuf,
    dest: PathBuf,
}

pub fn run(args: BackupArgs, lang: Lang) -> Result<ExitCode, RunError> {
    let BackupArgs { project, dest } = args;
    let p = open_ro(&project)?;
    p.backup(&dest)?;
    outln!(
        "{} {}",
        lang.pick("backup written to", "备份已写入"),
        dest.display()
    );
    Ok(ExitCode::SUCCESS)
}
