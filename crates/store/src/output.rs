//! The `output` table: what the organisation produced in a year or a month (t, pieces, m2 of
//! product; value added or revenue in CNY), the denominators of intensity. One row per version,
//! like activity: a correction is a new version with a reason and the old one stays, marked
//! superseded; a withdrawn record stays too, marked void.

use crate::activity::Status;
use crate::audit::AuditWriter;
use crate::error::{Result, StoreError};
use crate::registry::{versioned_key, Table};
use crate::value::{dec, in_record, opt_text, payload_value, read_rows, text, unit};
use crate::Store;
use lingtan_core::{Decimal, Unit};
use rusqlite::{params, Connection, Row};
use serde::Serialize;

/// An output record to add (or the content of a correction).
#[derive(Debug, Clone, PartialEq)]
pub struct NewOutput {
    /// The metric's name: `product`, `value-added` …
    pub metric: String,
    pub year: i32,
    /// 1–12 for a month's output; `None` for the whole year.
    pub month: Option<u32>,
    /// `None`: the whole organisation.
    pub site_id: Option<i64>,
    pub quantity: Decimal,
    pub unit: Unit,
    pub note: Option<String>,
}

/// One version of an output record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutputRow {
    pub id: i64,
    pub version: u32,
    pub metric: String,
    pub year: i32,
    pub month: Option<u32>,
    pub site_id: Option<i64>,
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
    pub unit: Unit,
    pub note: Option<String>,
    pub reason: Option<String>,
    pub status: Status,
    pub created_at: String,
}

const COLUMNS: &str =
    "id, version, metric, year, month, site_id, quantity, unit, note, reason, status, created_at";

pub(crate) const SELECT: &str = "SELECT id, version, metric, year, month, site_id, quantity, unit, note, reason, status, created_at FROM output ORDER BY id, version";

/// Audited; part of the data fingerprint (the inventory's intensity is computed from it).
pub(crate) const TABLE: Table<OutputRow> = Table {
    entity: "output",
    select: SELECT,
    key: versioned_key,
    read: from_row,
    place: |o| format!("output #{} v{}", o.id, o.version),
    payload: payload_of,
    fingerprint: true,
};

pub(crate) fn from_row(r: &Row<'_>) -> Result<OutputRow> {
    let id: i64 = r.get(0)?;
    let version: u32 = r.get(1)?;
    (|| {
        let qty = text(r, 6, "output.quantity")?;
        let u = text(r, 7, "output.unit")?;
        let status = text(r, 10, "output.status")?;
        Ok(OutputRow {
            id,
            version,
            metric: text(r, 2, "output.metric")?,
            year: r.get(3)?,
            month: r.get(4)?,
            site_id: r.get(5)?,
            quantity: dec("output.quantity", &qty)?,
            unit: unit("output.unit", &u)?,
            note: opt_text(r, 8, "output.note")?,
            reason: opt_text(r, 9, "output.reason")?,
            status: crate::activity::parse_status("output.status", &status)?,
            created_at: text(r, 11, "output.created_at")?,
        })
    })()
    .map_err(|e| in_record(e, || format!("output #{id} v{version}")))
}

pub(crate) fn payload_of(o: &OutputRow) -> String {
    payload_value(serde_json::json!({
        "id": o.id,
        "version": o.version,
        "metric": o.metric,
        "year": o.year,
        "month": o.month,
        "site_id": o.site_id,
        "quantity": o.quantity.to_string(),
        "unit": o.unit.code(),
        "note": o.note,
        "reason": o.reason,
        "status": o.status.code(),
        "created_at": o.created_at,
    }))
}

fn insert(tx: &Connection, o: &OutputRow) -> Result<()> {
    tx.execute(
        &format!("INSERT INTO output ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"),
        params![
            o.id,
            o.version,
            o.metric,
            o.year,
            o.month,
            o.site_id,
            o.quantity.to_string(),
            o.unit.code(),
            o.note,
            o.reason,
            o.status.code(),
            o.created_at
        ],
    )?;
    Ok(())
}

fn log(
    tx: &Connection,
    audit: &mut AuditWriter,
    at: &str,
    action: &str,
    o: &OutputRow,
) -> Result<()> {
    audit.append(
        tx,
        at,
        action,
        "output",
        &format!("{}@{}", o.id, o.version),
        &payload_of(o),
    )?;
    Ok(())
}

/// Mark version `old` superseded, logged with its content.
fn supersede(tx: &Connection, audit: &mut AuditWriter, at: &str, old: &OutputRow) -> Result<()> {
    tx.execute(
        "UPDATE output SET status = 'superseded' WHERE id = ?1 AND version = ?2",
        params![old.id, old.version],
    )?;
    log(
        tx,
        audit,
        at,
        "supersede",
        &OutputRow {
            status: Status::Superseded,
            ..old.clone()
        },
    )
}

fn row_of(
    id: i64,
    version: u32,
    new: &NewOutput,
    reason: Option<&str>,
    status: Status,
    at: &str,
) -> OutputRow {
    OutputRow {
        id,
        version,
        metric: new.metric.clone(),
        year: new.year,
        month: new.month,
        site_id: new.site_id,
        quantity: new.quantity,
        unit: new.unit,
        note: new.note.clone(),
        reason: reason.map(String::from),
        status,
        created_at: at.to_string(),
    }
}

impl Store {
    /// The current output records, oldest first.
    pub fn outputs(&self) -> Result<Vec<OutputRow>> {
        read_rows(
            &self.conn,
            "SELECT id, version, metric, year, month, site_id, quantity, unit, note, reason, status, created_at FROM output WHERE status = 'current' ORDER BY id",
            [],
            from_row,
        )
    }

    /// Every version of output record `id`, oldest first.
    pub fn output_history(&self, id: i64) -> Result<Vec<OutputRow>> {
        read_rows(
            &self.conn,
            "SELECT id, version, metric, year, month, site_id, quantity, unit, note, reason, status, created_at FROM output WHERE id = ?1 ORDER BY version",
            [id],
            from_row,
        )
    }

    fn current_output(&self, id: i64) -> Result<OutputRow> {
        let last = self.output_history(id)?.pop();
        match last {
            Some(o) if o.status == Status::Current => Ok(o),
            Some(o) => Err(StoreError::Missing {
                what: "output",
                name: format!("#{id} (it is {})", o.status.code()),
            }),
            None => Err(StoreError::Missing {
                what: "output",
                name: format!("#{id}"),
            }),
        }
    }

    /// Add an output record (version 1).
    pub fn add_output(&mut self, new: &NewOutput, at: &str) -> Result<OutputRow> {
        self.write(at, |tx, audit, at| {
            let id: i64 = tx.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM output", [], |r| {
                r.get(0)
            })?;
            let row = row_of(id, 1, new, None, Status::Current, at);
            insert(tx, &row)?;
            log(tx, audit, at, "create", &row)?;
            Ok(row)
        })
    }

    /// Correct output record `id`: a new version with the reason; the old one stays, superseded.
    pub fn correct_output(
        &mut self,
        id: i64,
        new: &NewOutput,
        reason: &str,
        at: &str,
    ) -> Result<OutputRow> {
        let old = self.current_output(id)?;
        self.write(at, |tx, audit, at| {
            supersede(tx, audit, at, &old)?;
            let row = row_of(id, old.version + 1, new, Some(reason), Status::Current, at);
            insert(tx, &row)?;
            log(tx, audit, at, "correct", &row)?;
            Ok(row)
        })
    }

    /// Withdraw output record `id` with the reason (kept, a void version).
    pub fn void_output(&mut self, id: i64, reason: &str, at: &str) -> Result<OutputRow> {
        let old = self.current_output(id)?;
        self.write(at, |tx, audit, at| {
            supersede(tx, audit, at, &old)?;
            let row = OutputRow {
                version: old.version + 1,
                reason: Some(reason.to_string()),
                status: Status::Void,
                created_at: at.to_string(),
                ..old.clone()
            };
            insert(tx, &row)?;
            log(tx, audit, at, "void", &row)?;
            Ok(row)
        })
    }
}
