//! `lingtan credit`: carbon-credit blocks by their registry serials (CCER, Verra VCUs, Gold
//! Standard VERs, CDM CERs, others): add, retire (whole or in part), list, void.

use crate::cmd::eac::status;
use crate::face::{open, open_ro, print_json, RunError};
use crate::text;
use clap::{Args, Subcommand};
use lingtan::core::Lang;
use lingtan::{CreditEntry, CreditRecord, CreditRetirement};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum CreditCmd {
    /// Record a block of credits by its serial (parsed for Verra, Gold Standard and CDM; a block
    /// overlapping one already recorded is refused)
    Add(Box<AddArgs>),
    /// Retire a held block, or part of it with --qty (split as registries do), for a claim year
    Retire {
        project: PathBuf,
        /// The block's number (from `credit list`) or its serial
        id: String,
        #[arg(long)]
        date: String,
        #[arg(long)]
        beneficiary: String,
        /// The year whose emissions it offsets
        #[arg(long)]
        for_year: String,
        /// Whole tonnes, fewer than the block: a partial retirement
        #[arg(long, allow_hyphen_values = true)]
        qty: Option<String>,
        #[arg(long)]
        reason: Option<String>,
        /// The registry's retirement statement (kept as evidence)
        #[arg(long)]
        evidence: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// List the blocks with their checks (after a partial retirement, both parts)
    List {
        project: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Void a block (kept, never counted)
    Void {
        project: PathBuf,
        id: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct AddArgs {
    project: PathBuf,
    /// verra, gold-standard, ccer, cdm or other
    #[arg(long)]
    registry: String,
    /// The serial as the registry shows it
    #[arg(long)]
    serial: String,
    /// Tonnes (required for CCER and other registries; checked against the serial otherwise)
    #[arg(long, allow_hyphen_values = true)]
    qty: Option<String>,
    #[arg(long)]
    project_id: Option<String>,
    /// The project's name
    #[arg(long = "project")]
    project_name: Option<String>,
    #[arg(long)]
    methodology: Option<String>,
    /// avoidance or removal
    #[arg(long = "type")]
    kind: Option<String>,
    /// YYYY or YYYY-MM-DD..YYYY-MM-DD
    #[arg(long)]
    vintage: Option<String>,
    /// ISO country code
    #[arg(long)]
    country: Option<String>,
    /// A label (CORSIA, CCB …), repeatable
    #[arg(long)]
    label: Vec<String>,
    /// The purchase record (kept as evidence)
    #[arg(long)]
    evidence: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

/// One block as a line, then its checks indented.
pub fn credit_text(r: &CreditRecord, lang: Lang) -> String {
    let c = &r.credit;
    let s0 = &c.serial;
    let mut s = format!(
        "#{} {} {} t {} {}",
        c.id,
        s0.registry.code(),
        s0.quantity,
        text::p(&s0.serial),
        status(c.status.code(), lang),
    );
    if let (Some(d), Some(b)) = (c.retired, c.beneficiary.as_deref()) {
        s.push_str(&format!(" {d} {}", text::p(b)));
    }
    if let Some(y) = c.for_year {
        s.push_str(&format!(" {} {y}", lang.pick("for", "抵消年份")));
    }
    if let Some(v) = &s0.vintage {
        s.push_str(&format!(" ({} {v})", lang.pick("vintage", "年份")));
    }
    if let Some(parent) = r.parent {
        s.push_str(&format!(
            " ({} #{parent})",
            lang.pick("split from", "拆分自")
        ));
    }
    if r.excluded {
        s.push_str(lang.pick(" — not counted", " — 不计入"));
    }
    s.push('\n');
    for n in s0
        .notes
        .iter()
        .filter(|n| !r.checks.contains(n))
        .chain(&r.checks)
    {
        s.push_str(&format!(
            "    {} [{}] {}\n",
            n.severity.code(),
            n.code,
            text::p(&n.message(lang))
        ));
    }
    s
}

fn show(list: &[CreditRecord], json: bool, done: (&str, &str), lang: Lang) -> Result<(), RunError> {
    if json {
        print_json(&lingtan::offset::json::credits(list, lang))?;
    } else {
        for r in list {
            out!("{} {}", lang.pick(done.0, done.1), credit_text(r, lang));
        }
    }
    Ok(())
}

pub fn run(cmd: CreditCmd, lang: Lang) -> Result<ExitCode, RunError> {
    match cmd {
        CreditCmd::Add(a) => {
            let a = *a;
            let mut p = open(&a.project)?;
            let r = p.add_credit(&CreditEntry {
                registry: a.registry,
                serial: a.serial,
                qty: a.qty,
                project_id: a.project_id,
                project: a.project_name,
                methodology: a.methodology,
                kind: a.kind,
                vintage: a.vintage,
                country: a.country,
                labels: a.label,
                first: None,
                last: None,
                evidence: a.evidence,
            })?;
            if a.json {
                print_json(&lingtan::offset::json::credit(&r, lang))?;
            } else {
                out!(
                    "{} {}",
                    lang.pick("added block", "已添加碳信用"),
                    credit_text(&r, lang)
                );
            }
        }
        CreditCmd::Retire {
            project,
            id,
            date,
            beneficiary,
            for_year,
            qty,
            reason,
            evidence,
            json,
        } => {
            let mut p = open(&project)?;
            let parts = p.retire_credit(
                &id,
                &CreditRetirement {
                    date,
                    beneficiary,
                    for_year,
                    qty,
                    reason,
                    evidence,
                },
            )?;
            show(&parts, json, ("now", "现为"), lang)?;
        }
        CreditCmd::List { project, json } => {
            let p = open_ro(&project)?;
            let list = p.credits()?;
            if list.is_empty() && !json {
                outln!(
                    "{}",
                    lang.pick(
                        "no credits recorded; add a block with `lingtan credit add`",
                        "尚未记录碳信用；请用 `lingtan credit add` 添加"
                    )
                );
            } else if json {
                print_json(&lingtan::offset::json::credits(&list, lang))?;
            } else {
                for r in &list {
                    out!("{}", credit_text(r, lang));
                }
            }
        }
        CreditCmd::Void {
            project,
            id,
            reason,
            json,
        } => {
            let mut p = open(&project)?;
            let r = p.void_credit(&id, &reason)?;
            if json {
                print_json(&lingtan::offset::json::credit(&r, lang))?;
            } else {
                out!(
                    "{} {}",
                    lang.pick("voided block", "已作废碳信用"),
                    credit_text(&r, lang)
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
