//! The `measure` table: reduction measures, one row per version. A change of a measure — its
//! status (planned → done), its inputs, its costs — is a new version with an optional reason; the
//! old version stays, marked superseded, so the file shows what the measure was planned as and
//! what it became (the audit log records both too). Nothing is deleted.
//!
//! The changed sources are kept by id (renaming a source keeps its measures); the kind's inputs
//! as a JSON object, typed on reading by the kind's catalogue entry.

use crate::audit::AuditWriter;
use crate::error::{Result, StoreError};
use crate::registry::{versioned_key, Table};
use crate::value::{bad, dec, in_record, opt_text, payload_value, read_rows, text, unit};
use crate::Store;
use lingtan_core::reduction::measure::{InputKind, InputValue, MeasureKind, MeasureStatus, Role};
use lingtan_core::reduction::Month;
use lingtan_core::{Decimal, Unit};
use rusqlite::{params, Connection, Row};
use serde::Serialize;
use std::collections::BTreeMap;

/// A change of a source's activity given directly, per year, in a unit of the source's
/// dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredChange {
    pub source_id: i64,
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
    pub unit: Unit,
}

/// A measure as recorded (one version).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureRecord {
    pub name: String,
    pub kind: MeasureKind,
    pub status: MeasureStatus,
    pub start: Option<Month>,
    /// The kind's engineering inputs by name.
    pub inputs: BTreeMap<String, InputValue>,
    /// The source each of the kind's roles changes, by id.
    pub sources: BTreeMap<Role, i64>,
    pub changes: Vec<StoredChange>,
    /// CNY.
    pub capex: Decimal,
    /// CNY per year (negative when running costs fall).
    pub opex: Decimal,
    /// Years; `None`: the kind's default.
    pub lifetime: Option<u32>,
    /// The source that meters the measure's effect (a PV inverter's generation).
    pub meter_source_id: Option<i64>,
}

/// One version of a measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureRow {
    pub id: i64,
    pub version: u32,
    pub measure: MeasureRecord,
    /// Why this version was made (a change of status, a corrected input), when given.
    pub reason: Option<String>,
    /// Whether this is the measure's current version.
    pub current: bool,
    pub created_at: String,
}

const COLUMNS: &str = "id, version, name, kind, status, start, inputs, sources, changes, capex, opex, lifetime, meter_source_id, reason, version_status, created_at";

pub(crate) const SELECT: &str = "SELECT id, version, name, kind, status, start, inputs, sources, changes, capex, opex, lifetime, meter_source_id, reason, version_status, created_at FROM measure ORDER BY id, version";

/// Audited; not part of the data fingerprint (no inventory is computed from it).
pub(crate) const TABLE: Table<MeasureRow> = Table {
    entity: "measure",
    select: SELECT,
    key: versioned_key,
    read: from_row,
    place: |m| format!("measure #{} v{} '{}'", m.id, m.version, m.measure.name),
    payload: payload_of,
    fingerprint: false,
};

/// The inputs as stored: numbers as decimal strings, texts as they are.
fn inputs_json(inputs: &BTreeMap<String, InputValue>) -> serde_json::Value {
    let map: serde_json::Map<String, serde_json::Value> = inputs
        .iter()
        .map(|(k, v)| {
            let text = match v {
                InputValue::Number(n) => n.to_string(),
                InputValue::Text(t) => t.clone(),
            };
            (k.clone(), serde_json::Value::String(text))
        })
        .collect();
    serde_json::Value::Object(map)
}

fn sources_json(sources: &BTreeMap<Role, i64>) -> serde_json::Value {
    let map: serde_json::Map<String, serde_json::Value> = sources
        .iter()
        .map(|(role, id)| (role.code().to_string(), serde_json::Value::from(*id)))
        .collect();
    serde_json::Value::Object(map)
}

fn changes_json(changes: &[StoredChange]) -> serde_json::Value {
    let list: Vec<serde_json::Value> = changes
        .iter()
        .map(|c| {
            serde_json::json!({
                "source_id": c.source_id,
                "quantity": c.quantity.to_string(),
                "unit": c.unit.code(),
            })
        })
        .collect();
    serde_json::Value::Array(list)
}

fn parse_inputs(kind: MeasureKind, stored: &str) -> Result<BTreeMap<String, InputValue>> {
    let field = "measure.inputs";
    let raw: BTreeMap<String, String> =
        serde_json::from_str(stored).map_err(|e| bad(field, stored, e))?;
    let spec = kind.spec();
    let mut out = BTreeMap::new();
    for (name, value) in raw {
        let input = spec.inputs.iter().find(|i| i.name == name).ok_or_else(|| {
            bad(
                field,
                stored,
                format!("a {} measure has no input '{name}'", spec.code),
            )
        })?;
        let v = match input.kind {
            InputKind::Text => InputValue::Text(value),
            _ => InputValue::Number(dec(field, &value)?),
        };
        out.insert(name, v);
    }
    Ok(out)
}

fn parse_sources(stored: &str) -> Result<BTreeMap<Role, i64>> {
    let field = "measure.sources";
    let raw: BTreeMap<String, i64> =
        serde_json::from_str(stored).map_err(|e| bad(field, stored, e))?;
    raw.into_iter()
        .map(|(role, id)| {
            Role::parse(&role)
                .map(|r| (r, id))
                .ok_or_else(|| bad(field, stored, format!("unknown role '{role}'")))
        })
        .collect()
}

fn parse_changes(stored: &str) -> Result<Vec<StoredChange>> {
    #[derive(serde::Deserialize)]
    struct Raw {
        source_id: i64,
        quantity: String,
        unit: String,
    }
    let field = "measure.changes";
    let raw: Vec<Raw> = serde_json::from_str(stored).map_err(|e| bad(field, stored, e))?;
    raw.into_iter()
        .map(|c| {
            Ok(StoredChange {
                source_id: c.source_id,
                quantity: dec(field, &c.quantity)?,
                unit: unit(field, &c.unit)?,
            })
        })
        .collect()
}

pub(crate) fn from_row(r: &Row<'_>) -> Result<MeasureRow> {
    let id: i64 = r.get(0)?;
    let version: u32 = r.get(1)?;
    (|| {
        let kind_text = text(r, 3, "measure.kind")?;
        let kind = MeasureKind::parse(&kind_text)
            .map_err(|_| bad("measure.kind", &kind_text, "unknown kind"))?;
        let status_text = text(r, 4, "measure.status")?;
        let status = MeasureStatus::parse(&status_text)
            .map_err(|_| bad("measure.status", &status_text, "unknown status"))?;
        let start = opt_text(r, 5, "measure.start")?
            .map(|s| Month::parse("start", &s).map_err(|_| bad("measure.start", &s, "not YYYY-MM")))
            .transpose()?;
        let capex = text(r, 9, "measure.capex")?;
        let opex = text(r, 10, "measure.opex")?;
        let state = text(r, 14, "measure.version_status")?;
        let current = match state.as_str() {
            "current" => true,
            "superseded" => false,
            other => return Err(bad("measure.version_status", other, "unknown status")),
        };
        Ok(MeasureRow {
            id,
            version,
            measure: MeasureRecord {
                name: text(r, 2, "measure.name")?,
                kind,
                status,
                start,
                inputs: parse_inputs(kind, &text(r, 6, "measure.inputs")?)?,
                sources: parse_sources(&text(r, 7, "measure.sources")?)?,
                changes: parse_changes(&text(r, 8, "measure.changes")?)?,
                capex: dec("measure.capex", &capex)?,
                opex: dec("measure.opex", &opex)?,
                lifetime: r.get(11)?,
                meter_source_id: r.get(12)?,
            },
            reason: opt_text(r, 13, "measure.reason")?,
            current,
            created_at: text(r, 15, "measure.created_at")?,
        })
    })()
    .map_err(|e| in_record(e, || format!("measure #{id} v{version}")))
}

fn state(current: bool) -> &'static str {
    if current {
        "current"
    } else {
        "superseded"
    }
}

pub(crate) fn payload_of(row: &MeasureRow) -> String {
    let m = &row.measure;
    payload_value(serde_json::json!({
        "id": row.id,
        "version": row.version,
        "name": m.name,
        "kind": m.kind.code(),
        "status": m.status.code(),
        "start": m.start.map(|s| s.to_string()),
        "inputs": inputs_json(&m.inputs),
        "sources": sources_json(&m.sources),
        "changes": changes_json(&m.changes),
        "capex": m.capex.to_string(),
        "opex": m.opex.to_string(),
        "lifetime": m.lifetime,
        "meter_source_id": m.meter_source_id,
        "reason": row.reason,
        "version_status": state(row.current),
        "created_at": row.created_at,
    }))
}

fn insert(tx: &Connection, row: &MeasureRow) -> Result<()> {
    let m = &row.measure;
    tx.execute(
        &format!("INSERT INTO measure ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"),
        params![
            row.id,
            row.version,
            m.name,
            m.kind.code(),
            m.status.code(),
            m.start.map(|s| s.to_string()),
            inputs_json(&m.inputs).to_string(),
            sources_json(&m.sources).to_string(),
            changes_json(&m.changes).to_string(),
            m.capex.to_string(),
            m.opex.to_string(),
            m.lifetime,
            m.meter_source_id,
            row.reason,
            state(row.current),
            row.created_at
        ],
    )?;
    Ok(())
}

fn log(
    tx: &Connection,
    audit: &mut AuditWriter,
    at: &str,
    action: &str,
    row: &MeasureRow,
) -> Result<()> {
    audit.append(
        tx,
        at,
        action,
        "measure",
        &format!("{}@{}", row.id, row.version),
        &payload_of(row),
    )?;
    Ok(())
}

impl Store {
    /// The current version of every measure, in the order they were added.
    pub fn measures(&self) -> Result<Vec<MeasureRow>> {
        read_rows(
            &self.conn,
            &format!("SELECT {COLUMNS} FROM measure WHERE version_status = 'current' ORDER BY id"),
            [],
            from_row,
        )
    }

    /// Every version of measure `id`, oldest first.
    pub fn measure_history(&self, id: i64) -> Result<Vec<MeasureRow>> {
        read_rows(
            &self.conn,
            &format!("SELECT {COLUMNS} FROM measure WHERE id = ?1 ORDER BY version"),
            [id],
            from_row,
        )
    }

    /// Add a measure (version 1).
    pub fn add_measure(&mut self, measure: &MeasureRecord, at: &str) -> Result<MeasureRow> {
        self.write(at, |tx, audit, at| {
            let id: i64 =
                tx.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM measure", [], |r| {
                    r.get(0)
                })?;
            let row = MeasureRow {
                id,
                version: 1,
                measure: measure.clone(),
                reason: None,
                current: true,
                created_at: at.to_string(),
            };
            insert(tx, &row)?;
            log(tx, audit, at, "create", &row)?;
            Ok(row)
        })
    }

    /// Change measure `id`: its current version superseded, `measure` as the next version with
    /// the reason (if any), in one transaction.
    pub fn update_measure(
        &mut self,
        id: i64,
        measure: &MeasureRecord,
        reason: Option<&str>,
        at: &str,
    ) -> Result<MeasureRow> {
        let old = match self.measure_history(id)?.pop() {
            Some(m) if m.current => m,
            _ => {
                return Err(StoreError::Missing {
                    what: "measure",
                    name: format!("#{id}"),
                })
            }
        };
        self.write(at, |tx, audit, at| {
            tx.execute(
                "UPDATE measure SET version_status = 'superseded' WHERE id = ?1 AND version = ?2",
                params![old.id, old.version],
            )?;
            log(
                tx,
                audit,
                at,
                "supersede",
                &MeasureRow {
                    current: false,
                    ..old.clone()
                },
            )?;
            let row = MeasureRow {
                id,
                version: old.version + 1,
                measure: measure.clone(),
                reason: reason.map(String::from),
                current: true,
                created_at: at.to_string(),
            };
            insert(tx, &row)?;
            log(tx, audit, at, "update", &row)?;
            Ok(row)
        })
    }
}
