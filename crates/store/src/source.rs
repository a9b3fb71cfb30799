//! The `source` table: the emission sources of a site (a meter, a boiler, a fleet …) with their
//! kind, fuel, unit and the factors they use.

use crate::error::{Result, StoreError};
use crate::registry::{id_key, Table};
use crate::value::{bad, in_record, opt_dec, opt_text, payload_value, read_rows, text, unit};
use crate::Store;
use lingtan_core::{Source, SourceKind, Unit};
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Row};

pub(crate) const SELECT: &str = "SELECT id, name, site_id, kind, fuel, factor_id, market_factor_id, unit, uncertainty_pct FROM source ORDER BY id";

/// Audited; part of the data fingerprint.
pub(crate) const TABLE: Table<Source> = Table {
    entity: "source",
    select: SELECT,
    key: id_key,
    read: from_row,
    place: |s| format!("source #{} '{}'", s.id, s.name),
    payload: payload_of,
    fingerprint: true,
};

pub(crate) fn from_row(r: &Row<'_>) -> Result<Source> {
    let id: i64 = r.get(0)?;
    (|| {
        let kind = text(r, 3, "source.kind")?;
        let u = opt_text(r, 7, "source.unit")?;
        Ok(Source {
            id,
            name: text(r, 1, "source.name")?,
            site_id: r.get(2)?,
            kind: SourceKind::parse(&kind)
                .ok_or_else(|| bad("source.kind", &kind, "unknown kind"))?,
            fuel: opt_text(r, 4, "source.fuel")?,
            factor_id: opt_text(r, 5, "source.factor_id")?,
            market_factor_id: opt_text(r, 6, "source.market_factor_id")?,
            unit: u.map(|u| unit("source.unit", &u)).transpose()?,
            uncertainty_pct: opt_dec(
                "source.uncertainty_pct",
                opt_text(r, 8, "source.uncertainty_pct")?,
            )?,
        })
    })()
    .map_err(|e| in_record(e, || format!("source #{id}")))
}

pub(crate) fn payload_of(s: &Source) -> String {
    payload_value(serde_json::json!({
        "id": s.id,
        "name": s.name,
        "site_id": s.site_id,
        "kind": s.kind.code(),
        "fuel": s.fuel,
        "factor_id": s.factor_id,
        "market_factor_id": s.market_factor_id,
        "unit": s.unit.map(Unit::code),
        "uncertainty_pct": s.uncertainty_pct.map(|d| d.to_string()),
    }))
}

/// The stored columns of a source but its id, in the order of its INSERT and UPDATE.
fn columns(s: &Source) -> [Value; 8] {
    let text = |t: Option<&str>| t.map_or(Value::Null, |t| Value::Text(t.to_string()));
    [
        Value::Text(s.name.clone()),
        Value::Integer(s.site_id),
        Value::Text(s.kind.code().to_string()),
        text(s.fuel.as_deref()),
        text(s.factor_id.as_deref()),
        text(s.market_factor_id.as_deref()),
        text(s.unit.map(Unit::code)),
        s.uncertainty_pct
            .map_or(Value::Null, |d| Value::Text(d.to_string())),
    ]
}

impl Store {
    pub fn sources(&self) -> Result<Vec<Source>> {
        read_rows(&self.conn, SELECT, [], from_row)
    }

    /// Add a source; `source.id` is ignored and assigned.
    pub fn add_source(&mut self, source: &Source, at: &str) -> Result<Source> {
        if self.sources()?.iter().any(|s| s.name == source.name) {
            return Err(StoreError::Duplicate {
                what: "source",
                name: source.name.clone(),
            });
        }
        self.write(at, |tx, audit, at| {
            tx.execute(
                "INSERT INTO source (name, site_id, kind, fuel, factor_id, market_factor_id, unit, uncertainty_pct) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params_from_iter(columns(source)),
            )?;
            let saved = Source { id: tx.last_insert_rowid(), ..source.clone() };
            audit.append(tx, at, "create", "source", &saved.id.to_string(), &payload_of(&saved))?;
            Ok(saved)
        })
    }

    /// Change a source's settings (factor, market factor, unit, uncertainty …), logged.
    pub fn update_source(&mut self, source: &Source, at: &str) -> Result<()> {
        self.write(at, |tx, audit, at| {
            let n = tx.execute(
                "UPDATE source SET name = ?1, site_id = ?2, kind = ?3, fuel = ?4, factor_id = ?5, market_factor_id = ?6, unit = ?7, uncertainty_pct = ?8 WHERE id = ?9",
                params_from_iter(columns(source).into_iter().chain([Value::Integer(source.id)])),
            )?;
            if n == 0 {
                return Err(StoreError::Missing { what: "source", name: source.id.to_string() });
            }
            audit.append(tx, at, "update", "source", &source.id.to_string(), &payload_of(source))?;
            Ok(())
        })
    }
}
