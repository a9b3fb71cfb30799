//! The `site` table: the places of the organisation (plant, office …) and their grid region.

use crate::error::{Result, StoreError};
use crate::registry::{id_key, Table};
use crate::value::{in_record, opt_dec, opt_text, payload_value, read_rows, text};
use crate::Store;
use lingtan_core::Site;
use rusqlite::{params, Row};

pub(crate) const SELECT: &str =
    "SELECT id, name, grid_region, address, equity_pct FROM site ORDER BY id";

/// Audited; part of the data fingerprint.
pub(crate) const TABLE: Table<Site> = Table {
    entity: "site",
    select: SELECT,
    key: id_key,
    read: from_row,
    place: |s| format!("site #{} '{}'", s.id, s.name),
    payload: payload_of,
    fingerprint: true,
};

pub(crate) fn from_row(r: &Row<'_>) -> Result<Site> {
    let id: i64 = r.get(0)?;
    (|| {
        Ok(Site {
            id,
            name: text(r, 1, "site.name")?,
            grid_region: opt_text(r, 2, "site.grid_region")?,
            address: opt_text(r, 3, "site.address")?,
            equity_pct: opt_dec("site.equity_pct", opt_text(r, 4, "site.equity_pct")?)?,
        })
    })()
    .map_err(|e| in_record(e, || format!("site #{id}")))
}

pub(crate) fn payload_of(s: &Site) -> String {
    payload_value(serde_json::json!({
        "id": s.id,
        "name": s.name,
        "grid_region": s.grid_region,
        "address": s.address,
        "equity_pct": s.equity_pct.map(|d| d.to_string()),
    }))
}

impl Store {
    pub fn sites(&self) -> Result<Vec<Site>> {
        read_rows(&self.conn, SELECT, [], from_row)
    }

    /// Add a site; `site.id` is ignored and assigned.
    pub fn add_site(&mut self, site: &Site, at: &str) -> Result<Site> {
        if self.sites()?.iter().any(|s| s.name == site.name) {
            return Err(StoreError::Duplicate {
                what: "site",
                name: site.name.clone(),
            });
        }
        self.write(at, |tx, audit, at| {
            tx.execute(
                "INSERT INTO site (name, grid_region, address, equity_pct) VALUES (?1, ?2, ?3, ?4)",
                params![
                    site.name,
                    site.grid_region,
                    site.address,
                    site.equity_pct.map(|d| d.to_string())
                ],
            )?;
            let saved = Site {
                id: tx.last_insert_rowid(),
                ..site.clone()
            };
            audit.append(
                tx,
                at,
                "create",
                "site",
                &saved.id.to_string(),
                &payload_of(&saved),
            )?;
            Ok(saved)
        })
    }
}
