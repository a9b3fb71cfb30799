//! `lingtan output`: the factory's output (product, value added, revenue), the denominators of
//! intensity: add, correct and list records.

use crate::face::{open, open_ro, print_json, RunError};
use crate::text;
use clap::{Args, Subcommand};
use lingtan::core::Lang;
use lingtan::reduction::OutputRow;
use lingtan::OutputEntry;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct OutputFields {
    /// What is measured: e.g. product, value-added, revenue (a metric keeps one dimension)
    #[arg(long)]
    metric: String,
    #[arg(long)]
    year: i32,
    /// A month of the year, YYYY-MM (without it the record is the whole year's)
    #[arg(long)]
    month: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    qty: String,
    /// t, pieces, m2 … for product; CNY or 万元 for money
    #[arg(long)]
    unit: String,
    #[arg(long)]
    site: Option<String>,
    #[arg(long)]
    note: Option<String>,
}

impl OutputFields {
    fn entry(self) -> OutputEntry {
        OutputEntry {
            metric: self.metric,
            year: self.year,
            month: self.month,
            qty: self.qty,
            unit: self.unit,
            site: self.site,
            note: self.note,
        }
    }
}

#[derive(Subcommand)]
pub enum OutputCmd {
    /// Record output for a year (or a month)
    Add {
        project: PathBuf,
        #[command(flatten)]
        fields: OutputFields,
    },
    /// Correct an output record: a new version with a reason (the old one is kept)
    Correct {
        project: PathBuf,
        id: i64,
        #[command(flatten)]
        fields: OutputFields,
        #[arg(long)]
        reason: String,
    },
    /// List the current output records
    List {
        project: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

fn said(row: &OutputRow) -> String {
    let when = match row.month {
        Some(m) => format!("{}-{m:02}", row.year),
        None => row.year.to_string(),
    };
    format!(
        "#{} {} {when}: {} {}",
        row.id,
        text::p(&row.metric),
        text::fmt(row.quantity),
        row.unit.code()
    )
}

pub fn run(cmd: OutputCmd, lang: Lang) -> Result<ExitCode, RunError> {
    match cmd {
        OutputCmd::Add { project, fields } => {
            let mut p = open(&project)?;
            let row = p.add_output(&fields.entry())?;
            outln!("{} {}", lang.pick("added output", "已添加产出"), said(&row));
        }
        OutputCmd::Correct {
            project,
            id,
            fields,
            reason,
        } => {
            let mut p = open(&project)?;
            let row = p.correct_output(id, &fields.entry(), &reason)?;
            outln!(
                "{} {} ({} {})",
                lang.pick("corrected output", "已更正产出"),
                said(&row),
                lang.pick("version", "版本"),
                row.version
            );
        }
        OutputCmd::List { project, json } => {
            let p = open_ro(&project)?;
            let list = p.outputs()?;
            if json {
                print_json(&lingtan::reduction::json::outputs(&list))?;
            } else if list.is_empty() {
                outln!(
                    "{}",
                    lang.pick(
                        "no output recorded (add it with `lingtan output add`)",
                        "尚未登记产出（用 `lingtan output add` 添加）"
                    )
                );
            } else {
                for o in list {
                    outln!(
                        "{}{}",
                        said(&o.row),
                        o.site
                            .map(|s| format!("\t{}", text::p(&s)))
                            .unwrap_or_default()
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
