//! The `energy_price` table: the price of a source's energy set on the project (CNY per one unit
//! of the source's dimension), one row per version and source. A new price supersedes the
//! current one; clearing it adds a void version. Nothing is deleted.

use crate::activity::Status;
use crate::audit::AuditWriter;
use crate::error::Result;
use crate::registry::{versioned_key, Table};
use crate::value::{dec, in_record, payload_value, read_rows, text, unit};
use crate::Store;
use lingtan_core::{Decimal, Unit};
use rusqlite::{params, Connection, Row};
use serde::Serialize;

/// One version of a source's price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriceRow {
    pub source_id: i64,
    pub version: u32,
    /// CNY per one `per`.
    #[serde(with = "rust_decimal::serde::str")]
    pub cny: Decimal,
    pub per: Unit,
    pub status: Status,
    pub created_at: String,
}

const COLUMNS: &str = "source_id, version, cny, per_unit, status, created_at";

pub(crate) const SELECT: &str =
    "SELECT source_id, version, cny, per_unit, status, created_at FROM energy_price ORDER BY source_id, version";

/// Audited; not part of the data fingerprint (no inventory is computed from it).
pub(crate) const TABLE: Table<PriceRow> = Table {
    entity: "energy_price",
    select: SELECT,
    key: versioned_key,
    read: from_row,
    place: |p| format!("energy price of source #{} v{}", p.source_id, p.version),
    payload: payload_of,
    fingerprint: false,
};

pub(crate) fn from_row(r: &Row<'_>) -> Result<PriceRow> {
    let source_id: i64 = r.get(0)?;
    let version: u32 = r.get(1)?;
    (|| {
        let cny = text(r, 2, "energy_price.cny")?;
        let per = text(r, 3, "energy_price.per_unit")?;
        let status = text(r, 4, "energy_price.status")?;
        Ok(PriceRow {
            source_id,
            version,
            cny: dec("energy_price.cny", &cny)?,
            per: unit("energy_price.per_unit", &per)?,
            status: crate::activity::parse_status("energy_price.status", &status)?,
            created_at: text(r, 5, "energy_price.created_at")?,
        })
    })()
    .map_err(|e| {
        in_record(e, || {
            format!("energy price of source #{source_id} v{version}")
        })
    })
}

pub(crate) fn payload_of(p: &PriceRow) -> String {
    payload_value(serde_json::json!({
        "source_id": p.source_id,
        "version": p.version,
        "cny": p.cny.to_string(),
        "per_unit": p.per.code(),
        "status": p.status.code(),
        "created_at": p.created_at,
    }))
}

fn log(
    tx: &Connection,
    audit: &mut AuditWriter,
    at: &str,
    action: &str,
    p: &PriceRow,
) -> Result<()> {
    audit.append(
        tx,
        at,
        action,
        "energy_price",
        &format!("{}@{}", p.source_id, p.version),
        &payload_of(p),
    )?;
    Ok(())
}

impl Store {
    /// The current price of every source that has one.
    pub fn prices(&self) -> Result<Vec<PriceRow>> {
        read_rows(
            &self.conn,
            &format!(
                "SELECT {COLUMNS} FROM energy_price WHERE status = 'current' ORDER BY source_id"
            ),
            [],
            from_row,
        )
    }

    /// Every version of a source's price, oldest first.
    pub fn price_history(&self, source_id: i64) -> Result<Vec<PriceRow>> {
        read_rows(
            &self.conn,
            &format!("SELECT {COLUMNS} FROM energy_price WHERE source_id = ?1 ORDER BY version"),
            [source_id],
            from_row,
        )
    }

    /// Set the price of a source (`Some((cny, per))`) or clear it (`None`): a new version, the
    /// current one superseded. Clearing a source without a price changes nothing.
    pub fn set_price(
        &mut self,
        source_id: i64,
        price: Option<(Decimal, Unit)>,
        at: &str,
    ) -> Result<Option<PriceRow>> {
        let last = self.price_history(source_id)?.pop();
        let current = last.clone().filter(|p| p.status == Status::Current);
        let version = last.map_or(1, |p| p.version + 1);
        let (row, action) = match (price, &current) {
            (Some((cny, per)), _) => (
                PriceRow {
                    source_id,
                    version,
                    cny,
                    per,
                    status: Status::Current,
                    created_at: at.to_string(),
                },
                if current.is_some() {
                    "update"
                } else {
                    "create"
                },
            ),
            // clearing keeps the last price's figures on its void version
            (None, Some(old)) => (
                PriceRow {
                    version,
                    status: Status::Void,
                    created_at: at.to_string(),
                    ..old.clone()
                },
                "void",
            ),
            (None, None) => return Ok(None),
        };
        self.write(at, |tx, audit, at| {
            if let Some(old) = &current {
                tx.execute(
                    "UPDATE energy_price SET status = 'superseded' WHERE source_id = ?1 AND version = ?2",
                    params![old.source_id, old.version],
                )?;
                log(
                    tx,
                    audit,
                    at,
                    "supersede",
                    &PriceRow {
                        status: Status::Superseded,
                        ..old.clone()
                    },
                )?;
            }
            tx.execute(
                &format!("INSERT INTO energy_price ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
                params![
                    row.source_id,
                    row.version,
                    row.cny.to_string(),
                    row.per.code(),
                    row.status.code(),
                    row.created_at
                ],
            )?;
            log(tx, audit, at, action, &row)?;
            Ok(Some(row))
        })
    }
}
