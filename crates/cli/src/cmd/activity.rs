//! `lingtan activity`: add, correct, void, list records and show a record's versions.

use crate::face::{open, open_ro, print_json, RunError};
use crate::text;
use anyhow::Context as _;
use clap::{Args, Subcommand};
use lingtan::ActivityEntry;
use lingtan_core::Lang;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct ActivityFields {
    #[arg(long)]
    source: Option<String>,
    #[arg(long)]
    from: Option<String>,
    #[arg(long)]
    to: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    qty: Option<String>,
    #[arg(long)]
    unit: Option<String>,
    #[arg(long)]
    note: Option<String>,
    /// A file to keep inside the project as evidence (bill scan, ledger export)
    #[arg(long)]
    evidence: Option<PathBuf>,
    /// Why: required for a negative quantity and for corrections
    #[arg(long)]
    reason: Option<String>,
    /// Record it even if it overlaps another record of the same source
    #[arg(long)]
    allow_overlap: bool,
}

#[derive(Subcommand)]
pub enum ActivityCmd {
    /// Add a record
    Add {
        project: PathBuf,
        #[command(flatten)]
        fields: ActivityFields,
    },
    /// Correct a record: a new version with a reason (the old one is kept)
    Correct {
        project: PathBuf,
        id: i64,
        #[command(flatten)]
        fields: ActivityFields,
    },
    /// Void a record with a reason (it is kept, marked void)
    Void {
        project: PathBuf,
        id: i64,
        #[arg(long)]
        reason: String,
    },
    /// List current records
    List {
        project: PathBuf,
        #[arg(long)]
        source: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Every version of a record
    History { project: PathBuf, id: i64 },
}

pub fn run(cmd: ActivityCmd, lang: Lang) -> Result<ExitCode, RunError> {
    match cmd {
        ActivityCmd::Add { project, fields } => {
            let mut p = open(&project)?;
            let missing = |flag: &str| {
                lingtan::Error::new(
                    "MISSING_FIELD",
                    flag.to_string(),
                    format!("--{flag} is required"),
                    format!("必须提供 --{flag}"),
                )
            };
            let entry = ActivityEntry {
                source: fields.source.ok_or_else(|| missing("source"))?,
                from: fields.from.ok_or_else(|| missing("from"))?,
                to: fields.to.ok_or_else(|| missing("to"))?,
                qty: fields.qty.ok_or_else(|| missing("qty"))?,
                unit: fields.unit.ok_or_else(|| missing("unit"))?,
                note: fields.note,
                evidence: fields.evidence,
                reason: fields.reason,
                allow_overlap: fields.allow_overlap,
            };
            let row = p.add_activity(&entry)?;
            outln!(
                "{} #{} {}..{} {} {}",
                lang.pick("added activity", "已添加活动数据"),
                row.id,
                row.from,
                row.to,
                row.quantity,
                row.unit.code()
            );
        }
        ActivityCmd::Correct {
            project,
            id,
            fields,
        } => {
            let mut p = open(&project)?;
            let old = p.activity_history(id)?.into_iter().last().ok_or_else(|| {
                lingtan::Error::new(
                    "UNKNOWN_ACTIVITY",
                    "id".to_string(),
                    format!("activity #{id}: no such record"),
                    format!("活动数据 #{id}：没有该记录"),
                )
            })?;
            let sources = p.sources()?;
            let old_source = sources
                .iter()
                .find(|s| s.id == old.source_id)
                .map(|s| s.name.clone())
                .unwrap_or_default();
            let entry = ActivityEntry {
                source: fields.source.unwrap_or(old_source),
                from: fields.from.unwrap_or_else(|| old.from.to_string()),
                to: fields.to.unwrap_or_else(|| old.to.to_string()),
                qty: fields.qty.unwrap_or_else(|| old.quantity.to_string()),
                unit: fields.unit.unwrap_or_else(|| old.unit.code().to_string()),
                note: fields.note.or(old.note),
                evidence: fields.evidence,
                reason: fields.reason,
                allow_overlap: fields.allow_overlap,
            };
            let row = p.correct_activity(id, &entry)?;
            outln!(
                "{} #{} v{}: {}..{} {} {}",
                lang.pick("corrected activity", "已更正活动数据"),
                row.id,
                row.version,
                row.from,
                row.to,
                row.quantity,
                row.unit.code()
            );
        }
        ActivityCmd::Void {
            project,
            id,
            reason,
        } => {
            let mut p = open(&project)?;
            let row = p.void_activity(id, &reason)?;
            outln!(
                "{} #{} (v{})",
                lang.pick("voided activity", "已作废活动数据"),
                row.id,
                row.version
            );
        }
        ActivityCmd::List {
            project,
            source,
            json,
        } => {
            let p = open_ro(&project)?;
            let rows = p.activities(source.as_deref())?;
            if json {
                print_json(&serde_json::to_value(&rows).context("activities")?)?;
            } else {
                let sources = p.sources()?;
                for r in rows {
                    let name = sources
                        .iter()
                        .find(|s| s.id == r.source_id)
                        .map(|s| s.name.as_str())
                        .unwrap_or("?");
                    outln!(
                        "#{} v{}\t{}\t{}..{}\t{} {}\t{}",
                        r.id,
                        r.version,
                        text::p(name),
                        r.from,
                        r.to,
                        r.quantity,
                        r.unit.code(),
                        text::p(&r.note.unwrap_or_default())
                    );
                }
            }
        }
        ActivityCmd::History { project, id } => {
            let p = open_ro(&project)?;
            for r in p.activity_history(id)? {
                outln!(
                    "#{} v{} [{:?}] {}..{} {} {} {} {}",
                    r.id,
                    r.version,
                    r.status,
                    r.from,
                    r.to,
                    r.quantity,
                    r.unit.code(),
                    text::p(&r.created_at),
                    text::p(&r.reason.unwrap_or_default())
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
