//! Test-only support: compiled into the store's own unit tests and nowhere else.
//!
//! Why not a `testkit` feature or a test-support crate: what lives here needs the store's
//! internals (the migrations, the audit writer, the payloads), and a feature is unified across a
//! build — a dev-dependency turning it on for one crate's tests compiles it into the `lingtan`
//! binary those tests run. Tests that need raw SQL on a project (tampering, schema comparison)
//! need nothing from the store at all: they open the file with their own rusqlite connection,
//! exactly as the sqlite3 they stand for would (see `tests/store.rs`, and the hostile suite's
//! `sql = [...]` cases).

use crate::activity::{self, ActivityRow, Status};
use crate::audit::AuditWriter;
use crate::error::Result;
use crate::schema::{migrate_to, APPLICATION_ID};
use crate::value::payload_value;
use crate::{site, source};
use chrono::NaiveDate;
use lingtan_core::{Site, Source, SourceKind, Unit};
use rusqlite::Connection;
use std::path::Path;

/// Write a project file as schema version 1 wrote it (migration 1 only, v1 columns), with a
/// site, a source and an activity record and their audit entries. Used once to make the frozen
/// fixture `tests/fixtures/schema-v1.lingtan` that the migration tests upgrade; kept so the
/// fixture can be explained (and checked: see the tests below).
pub(crate) fn write_schema_v1_fixture(path: &Path) -> Result<()> {
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    migrate_to(&mut conn, 1, "2024-01-05T08:00:00Z", None, true)?;
    let at = "2024-01-05T08:00:00Z";
    let tx = conn.transaction()?;
    let mut audit = AuditWriter::load(&tx, None)?;
    tx.execute("INSERT INTO project (id, org_name, org_name_zh, year, base_year, gwp, boundary, created_at) VALUES (1, 'Old Works Ltd.', '旧厂有限公司', 2023, 2023, 'AR5', 'operational-control', ?1)", [at])?;
    audit.append(&tx, at, "create", "project", "1", &payload_value(serde_json::json!({"org_name": "Old Works Ltd.", "org_name_zh": "旧厂有限公司", "year": 2023, "base_year": 2023, "gwp": "AR5", "boundary": "operational-control", "created_at": at})))?;
    let site = Site {
        id: 1,
        name: "Main plant".into(),
        grid_region: Some("CN-North".into()),
        address: None,
        equity_pct: None,
    };
    tx.execute(
        "INSERT INTO site (id, name, grid_region) VALUES (1, 'Main plant', 'CN-North')",
        [],
    )?;
    audit.append(&tx, at, "create", "site", "1", &site::payload_of(&site))?;
    let source = Source {
        id: 1,
        name: "Grid power".into(),
        site_id: 1,
        kind: SourceKind::Electricity,
        fuel: None,
        factor_id: None,
        market_factor_id: None,
        unit: Some(Unit::KWh),
        uncertainty_pct: None,
    };
    tx.execute("INSERT INTO source (id, name, site_id, kind, unit) VALUES (1, 'Grid power', 1, 'electricity', 'kWh')", [])?;
    audit.append(
        &tx,
        at,
        "create",
        "source",
        "1",
        &source::payload_of(&source),
    )?;
    let row = ActivityRow {
        id: 1,
        version: 1,
        source_id: 1,
        from: NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default(),
        to: NaiveDate::from_ymd_opt(2023, 1, 31).unwrap_or_default(),
        quantity: "12500.50".parse().unwrap_or_default(),
        unit: Unit::KWh,
        note: Some("January bill".into()),
        evidence_id: None,
        reason: None,
        status: Status::Current,
        created_at: at.into(),
        batch_id: None,
        origin_ref: None,
        detail: None,
    };
    tx.execute(
            "INSERT INTO activity (id, version, source_id, period_from, period_to, quantity, unit, note, status, created_at) VALUES (1, 1, 1, '2023-01-01', '2023-01-31', '12500.50', 'kWh', 'January bill', 'current', ?1)",
            [at],
        )?;
    audit.append(
        &tx,
        at,
        "create",
        "activity",
        "1@1",
        &activity::payload_of(&row),
    )?;
    tx.commit()?;
    conn.execute_batch("PRAGMA journal_mode = DELETE;")?;
    Ok(())
}

mod tests {
    use super::write_schema_v1_fixture;
    use rusqlite::types::Value;
    use rusqlite::Connection;
    use std::path::{Path, PathBuf};

    fn frozen() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-v1.lingtan")
    }

    #[test]
    #[ignore = "writes the frozen fixture; run once by hand, never again"]
    fn write_frozen_v1_fixture() {
        let path = frozen();
        let _ = std::fs::remove_file(&path);
        write_schema_v1_fixture(&path).expect("written");
    }

    /// Everything a file holds, as values: its versions, its schema, every row of every table.
    fn content(path: &Path) -> Vec<(String, Vec<Vec<Value>>)> {
        let conn = Connection::open(path).expect("opened");
        let mut out = Vec::new();
        for pragma in ["user_version", "application_id"] {
            let v: i64 = conn
                .query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0))
                .expect("a pragma");
            out.push((pragma.to_string(), vec![vec![Value::Integer(v)]]));
        }
        let mut stmt = conn
            .prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
            .expect("the schema");
        let objects: Vec<(String, String, Option<String>)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("the schema")
            .collect::<rusqlite::Result<_>>()
            .expect("the schema");
        for (kind, name, sql) in objects {
            out.push((
                format!("{kind} {name}"),
                vec![vec![sql.map_or(Value::Null, Value::Text)]],
            ));
            if kind == "table" {
                let mut rows = conn
                    .prepare(&format!("SELECT * FROM \"{name}\" ORDER BY rowid"))
                    .expect("a table");
                let n = rows.column_count();
                let values = rows
                    .query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
                    .expect("its rows")
                    .collect::<rusqlite::Result<_>>()
                    .expect("its rows");
                out.push((format!("rows of {name}"), values));
            }
        }
        out
    }

    #[test]
    fn the_writer_still_explains_the_frozen_fixture() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("v1.lingtan");
        write_schema_v1_fixture(&path).expect("written");
        assert_eq!(
            content(&path),
            content(&frozen()),
            "the writer kept here makes what the frozen fixture holds: same schema, same rows, \
             same audit entries and hashes"
        );
    }
}
