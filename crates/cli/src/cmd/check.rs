//! `lingtan check`: is the inventory of a year ready to show a certifier? Every readiness check
//! with its code, status, what it found, what to do and where. Exit status 5 when a check fails.

use crate::face::{open_ro, print_json, RunError};
use crate::text::p;
use clap::Args;
use lingtan::core::check::Status;
use lingtan::core::claim::Place;
use lingtan::core::Lang;
use lingtan::Readiness;
use serde_json::{json, Value};
use std::fmt::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit status when a check fails.
pub const FAILED: u8 = 5;

#[derive(Args)]
pub struct CheckArgs {
    project: PathBuf,
    /// The inventory year (default: the project's)
    #[arg(long)]
    year: Option<i32>,
    #[arg(long)]
    json: bool,
}

pub fn run(args: CheckArgs, lang: Lang) -> Result<ExitCode, RunError> {
    let p = open_ro(&args.project)?;
    let r = p.check(args.year)?;
    if args.json {
        print_json(&to_json(&r, lang))?;
    } else {
        out!("{}", text(&r, lang));
    }
    Ok(if r.ready {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(FAILED)
    })
}

/// Places listed in the text form per check at most (the JSON lists all).
const PLACES_SHOWN: usize = 10;

fn place_json(pl: &Place) -> Value {
    json!({"kind": pl.kind, "id": pl.id, "label": pl.label})
}

/// `lingtan check --json`: `{year, ready, checks: [{code, status, title, found, todo, where}]}`.
pub fn to_json(r: &Readiness, lang: Lang) -> Value {
    json!({
        "year": r.year,
        "ready": r.ready,
        "checks": r.checks.iter().map(|c| json!({
            "code": c.code,
            "status": c.status,
            "title": c.title.pick(lang),
            "found": c.found.pick(lang),
            "todo": c.todo.as_ref().map(|t| t.pick(lang)),
            "where": c.places.iter().map(place_json).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

fn text(r: &Readiness, lang: Lang) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}",
        match lang {
            Lang::En => format!("Readiness of the {} inventory", r.year),
            Lang::Zh => format!("{} 年盘查就绪检查", r.year),
        }
    );
    for c in &r.checks {
        let mark = match (c.status, lang) {
            (Status::Pass, Lang::En) => "pass",
            (Status::Warn, Lang::En) => "WARN",
            (Status::Fail, Lang::En) => "FAIL",
            (Status::Pass, Lang::Zh) => "通过",
            (Status::Warn, Lang::Zh) => "警告",
            (Status::Fail, Lang::Zh) => "未通过",
        };
        let _ = writeln!(s, "  [{mark}] {} ({})", c.title.pick(lang), c.code);
        let _ = writeln!(s, "      {}", p(c.found.pick(lang)));
        if let Some(todo) = &c.todo {
            let _ = writeln!(
                s,
                "      {}{}",
                lang.pick("to do: ", "处理："),
                p(todo.pick(lang))
            );
        }
        if !c.places.is_empty() && c.status != Status::Pass {
            let shown: Vec<String> = c
                .places
                .iter()
                .take(PLACES_SHOWN)
                .map(|pl| p(&pl.label).into_owned())
                .collect();
            let more = c.places.len().saturating_sub(PLACES_SHOWN);
            let rest = match (more, lang) {
                (0, _) => String::new(),
                (n, Lang::En) => format!(" … and {n} more (--json lists all)"),
                (n, Lang::Zh) => format!(" …… 另有 {n} 项（--json 列出全部）"),
            };
            let _ = writeln!(
                s,
                "      {}{}{rest}",
                lang.pick("where: ", "涉及："),
                shown.join(lang.pick(", ", "、"))
            );
        }
    }
    let count = |st: Status| r.checks.iter().filter(|c| c.status == st).count();
    let (pass, warn, fail) = (
        count(Status::Pass),
        count(Status::Warn),
        count(Status::Fail),
    );
    let _ = writeln!(
        s,
        "{}",
        match lang {
            Lang::En => format!(
                "{pass} of {} checks pass, {warn} warn, {fail} fail: {}",
                r.checks.len(),
                if r.ready {
                    "ready (nothing fails)"
                } else {
                    "not ready"
                }
            ),
            Lang::Zh => format!(
                "{} 项检查：{pass} 项通过，{warn} 项警告，{fail} 项未通过：{}",
                r.checks.len(),
                if r.ready {
                    "就绪（无未通过项）"
                } else {
                    "未就绪"
                }
            ),
        }
    );
    s
}
