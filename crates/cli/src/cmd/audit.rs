//! `lingtan audit`: the audit log, or its verification.

use crate::face::clock;
use crate::face::{print_json, RunError};
use crate::text;
use clap::Args;
use lingtan::Project;
use lingtan_core::Lang;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct AuditArgs {
    project: PathBuf,
    /// Check the hash chain and that every record matches the log
    #[arg(long)]
    verify: bool,
    #[arg(long)]
    json: bool,
    /// Show only the last N entries
    #[arg(long)]
    limit: Option<i64>,
}

pub fn run(args: AuditArgs, lang: Lang) -> Result<ExitCode, RunError> {
    let AuditArgs {
        project,
        verify,
        json,
        limit,
    } = args;
    // verifying reports a schema changed outside Lingtan instead of refusing the file
    let access = if verify {
        lingtan::Access::Verify
    } else {
        lingtan::Access::Read
    };
    let p = Project::open_for(&project, clock(), access)?;
    if verify {
        let v = p.verify()?;
        if json {
            print_json(&serde_json::to_value(&v)?)?;
        } else {
            out!("{}", text::verification(&v, lang));
        }
        if !v.ok() {
            return Ok(ExitCode::from(4));
        }
    } else {
        let entries = p.audit(limit)?;
        if json {
            print_json(&serde_json::to_value(&entries)?)?;
        } else {
            for e in entries {
                let hash: String = e.hash.chars().take(16).collect();
                let clock = e
                    .clock
                    .as_deref()
                    .map(|c| format!(" [{} {c}]", lang.pick("time set by", "时间来自")))
                    .unwrap_or_default();
                outln!(
                    "#{:<5} {} {:<13} {:<14} {:<28} {hash}{clock}",
                    e.seq,
                    text::p(&e.at),
                    text::p(&e.action),
                    text::p(&e.entity),
                    text::p(&e.entity_key),
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
