//! The schema a project file must have: exactly what Lingtan's migrations create, nothing added
//! and nothing changed.
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

use crate::audit::Finding;
use crate::error::Result;
use rusqlite::Connection;
use std::collections::BTreeMap;

/// (type, name) → (table, SQL with its whitespace runs collapsed).
pub(crate) type Objects = BTreeMap<(String, String), (String, Option<String>)>;

/// Text of a `sqlite_master` column, even when it is not valid UTF-8 (an edited schema).
fn lossy(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<String>> {
    Ok(match r.get_ref(i)? {
        rusqlite::types::ValueRef::Null => None,
        rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => {
            Some(String::from_utf8_lossy(t).into_owned())
        }
        other => Some(format!("{other:?}")),
    })
}

fn collapse(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The schema objects of a database.
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
pub(crate) fn expected(migrations: &[&str], version: i64) -> Result<Objects> {
    let conn = Connection::open_in_memory()?;
    for sql in migrations.iter().take(version.max(0) as usize) {
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
