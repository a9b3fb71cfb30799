//! Test support (for now: the raw connection and the frozen fixture's writer).

use crate::activity::{self, ActivityRow, Status};
use crate::audit::AuditWriter;
use crate::error::Result;
use crate::schema::{migrate_to, APPLICATION_ID};
use crate::value::payload;
use crate::{site, source, Store};
use chrono::NaiveDate;
use lingtan_core::{Site, Source, SourceKind, Unit};
use rusqlite::Connection;
use std::path::Path;

impl Store {
    /// Write a project file as schema version 1 wrote it (migration 1 only, v1 columns), with a
    /// site, a source and an activity record and their audit entries. Used once to make the
    /// frozen fixture that the migration test upgrades; kept so the fixture can be explained.
    #[doc(hidden)]
    pub fn write_schema_v1_fixture(path: &Path) -> Result<()> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        migrate_to(&mut conn, 1, "2024-01-05T08:00:00Z", None, true)?;
        let at = "2024-01-05T08:00:00Z";
        let tx = conn.transaction()?;
        let mut audit = AuditWriter::load(&tx, None)?;
        tx.execute("INSERT INTO project (id, org_name, org_name_zh, year, base_year, gwp, boundary, created_at) VALUES (1, 'Old Works Ltd.', '旧厂有限公司', 2023, 2023, 'AR5', 'operational-control', ?1)", [at])?;
        audit.append(&tx, at, "create", "project", "1", &payload(&serde_json::json!({"org_name": "Old Works Ltd.", "org_name_zh": "旧厂有限公司", "year": 2023, "base_year": 2023, "gwp": "AR5", "boundary": "operational-control", "created_at": at})))?;
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

    /// Raw access for tests of tamper detection and migrations.
    #[doc(hidden)]
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}
