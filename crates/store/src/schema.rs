//! The schema: the numbered migrations that make it (each step in one transaction, the version
//! in `PRAGMA user_version`), and the schema a project file must have: exactly what Lingtan's
//! migrations create, nothing added and nothing changed.
//!
//! A table, index, view or trigger added or altered with an outside tool (sqlite3) can change
//! what Lingtan reads or writes without leaving a trace in the audit log — a trigger that halves
//! every new record, a view shadowing nothing, an index with another definition. So every open
//! compares the file's `sqlite_master` with the one the migrations up to the file's version
//! create (built in memory), before anything is read or written: a difference refuses the file,
//! and `audit --verify` reports each one as tampering.
//!
//! SQLite's statistics tables (`sqlite_stat1` …, made by `ANALYZE`) only guide the query planner
//! and are not compared.

use crate::audit::{AuditWriter, Finding};
use crate::error::Result;
use crate::value::lossy;
use rusqlite::{Connection, TransactionBehavior};
use std::collections::BTreeMap;

/// `PRAGMA application_id` of a Lingtan project ("LGTN").
pub const APPLICATION_ID: i64 = 0x4C47_544E;

/// The migrations, in order; the schema version is the number of migrations applied.
pub(crate) const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_batches_and_report.sql"),
    include_str!("../migrations/0003_activity_detail.sql"),
    include_str!("../migrations/0004_interval_data.sql"),
    include_str!("../migrations/0005_audit_clock.sql"),
    include_str!("../migrations/0006_reduction.sql"),
    include_str!("../migrations/0007_offset.sql"),
    include_str!("../migrations/0008_eac_certificate.sql"),
    include_str!("../migrations/0009_claim.sql"),
    include_str!("../migrations/0010_zcf.sql"),
    include_str!("../migrations/0011_claim_subject.sql"),
];

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Apply the migrations after the file's `user_version` up to `target` in one transaction (all
/// or nothing), then — when `log` — one audit entry per step from version 2 on (version 1 creates
/// the log). An in-memory copy upgraded for reading is not logged: it is not the file.
pub(crate) fn migrate_to(
    conn: &mut Connection,
    target: i64,
    at: &str,
    clock: Option<&str>,
    log: bool,
) -> Result<()> {
    let from: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if from >= target {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for sql in MIGRATIONS
        .iter()
        .skip(from.max(0) as usize)
        .take((target - from).max(0) as usize)
    {
        tx.execute_batch(sql)?;
    }
    tx.pragma_update(None, "user_version", target)?;
    if log {
        let mut audit = AuditWriter::load(&tx, clock)?;
        for version in (from + 1).max(2)..=target {
            audit.append(
                &tx,
                at,
                "migrate",
                "schema",
                &version.to_string(),
                &format!("{{\"from\":{},\"to\":{version}}}", version - 1),
            )?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// (type, name) → (table, SQL with its whitespace runs collapsed).
pub(crate) type Objects = BTreeMap<(String, String), (String, Option<String>)>;

fn collapse(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The schema objects of a database, read as stored (an edited schema may not be valid UTF-8).
pub(crate) fn of(conn: &Connection) -> Result<Objects> {
    let mut stmt = conn.prepare(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%'",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Objects::new();
    while let Some(r) = rows.next()? {
        let kind = lossy(r, 0)?.unwrap_or_default();
        let name = lossy(r, 1)?.unwrap_or_default();
        let table = lossy(r, 2)?.unwrap_or_default();
        let sql = lossy(r, 3)?.map(|s| collapse(&s));
        out.insert((kind, name), (table, sql));
    }
    Ok(out)
}

/// The schema the first `version` migrations create.
pub(crate) fn expected(version: i64) -> Result<Objects> {
    let conn = Connection::open_in_memory()?;
    for sql in MIGRATIONS.iter().take(version.max(0) as usize) {
        conn.execute_batch(sql)?;
    }
    of(&conn)
}

fn zh_kind(kind: &str) -> &str {
    match kind {
        "table" => "表",
        "index" => "索引",
        "view" => "视图",
        "trigger" => "触发器",
        other => other,
    }
}

/// Every difference of `actual` from `expected`, each naming the object.
pub(crate) fn differences(actual: &Objects, expected: &Objects) -> Vec<Finding> {
    let mut out = Vec::new();
    for ((kind, name), (table, sql)) in actual {
        let place = format!("schema: {kind} '{name}'");
        match expected.get(&(kind.clone(), name.clone())) {
            None => out.push(Finding {
                place,
                en: format!(
                    "was added outside Lingtan (on '{table}'): it is not part of a Lingtan project and could change what is read or written"
                ),
                zh: format!(
                    "在 Lingtan 之外被添加（作用于“{table}”）：它不属于 Lingtan 项目，可能改变读写的内容"
                ),
            }),
            Some((t, s)) if t != table || s != sql => out.push(Finding {
                place,
                en: "was changed outside Lingtan: its definition differs from the one Lingtan creates".into(),
                zh: format!("在 Lingtan 之外被修改：其定义与 Lingtan 创建的{}不同", zh_kind(kind)),
            }),
            Some(_) => {}
        }
    }
    for (kind, name) in expected.keys() {
        if !actual.contains_key(&(kind.clone(), name.clone())) {
            out.push(Finding {
                place: format!("schema: {kind} '{name}'"),
                en: "is missing: it was removed outside Lingtan".into(),
                zh: "缺失：在 Lingtan 之外被删除".into(),
            });
        }
    }
    out
}

/// The differences in a short line for a refusal: the first three, and how many more.
pub(crate) fn summary(findings: &[Finding]) -> (String, String) {
    let shown: Vec<&Finding> = findings.iter().take(3).collect();
    let more = findings.len().saturating_sub(shown.len());
    let en = shown
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f.place.trim_start_matches("schema: "),
                short_en(&f.en)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let zh = shown
        .iter()
        .map(|f| {
            format!(
                "{}{}",
                f.place.trim_start_matches("schema: "),
                short_zh(&f.zh)
            )
        })
        .collect::<Vec<_>>()
        .join("；");
    if more > 0 {
        (
            format!("{en}; and {more} more"),
            format!("{zh}；另有 {more} 处"),
        )
    } else {
        (en, zh)
    }
}

/// "was added outside Lingtan (on …): …" → "was added" (the refusal already says where).
fn short_en(text: &str) -> String {
    let head = text.split([':', '(']).next().unwrap_or(text).trim_end();
    head.replace(" outside Lingtan", "")
}

fn short_zh(text: &str) -> String {
    let head = text.split(['：', '（']).next().unwrap_or(text);
    head.replace("在 Lingtan 之外", "")
}
