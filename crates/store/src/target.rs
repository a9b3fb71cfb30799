//! The `target` and `target_recalculation` tables: reduction targets against the base year, one
//! row per version, and the base-year recalculation log. A target keeps the base-year figures it
//! was set with; a recalculation (`target rebase`) supersedes the version and adds the next one
//! with the new figures, and appends its log entry (reason, old and new figures), in one
//! transaction. Nothing is deleted.

use crate::activity::Status;
use crate::audit::AuditWriter;
use crate::error::{Result, StoreError};
use crate::registry::{id_key, versioned_key, Table};
use crate::value::{bad, dec, in_record, opt_dec, opt_text, payload_value, read_rows, text, unit};
use crate::Store;
use lingtan_core::reduction::target::{
    Metric, PathwayRef, Recalculation, Scopes, Target, TargetKind, PATHWAYS, RECALCULATION_TRIGGERS,
};
use lingtan_core::reduction::Basis;
use rusqlite::{params, Connection, Row};
use serde::Serialize;

/// One version of a target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetRow {
    pub id: i64,
    pub version: u32,
    pub target: Target,
    pub status: Status,
    pub created_at: String,
}

/// An entry of the base-year recalculation log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecalculationRow {
    pub id: i64,
    pub target_id: i64,
    /// The target version the recalculation replaced, and the one it made.
    pub from_version: u32,
    pub to_version: u32,
    /// `recalculation.target` is the name of the version it made.
    pub recalculation: Recalculation,
}

const TARGET_COLUMNS: &str = "id, version, name, scopes, scope2, metric, metric_unit, base_year, target_year, reduction_pct, pathway, pathway_version, base_tco2e, base_output, base_fingerprint, status, created_at";

pub(crate) const SELECT: &str = "SELECT id, version, name, scopes, scope2, metric, metric_unit, base_year, target_year, reduction_pct, pathway, pathway_version, base_tco2e, base_output, base_fingerprint, status, created_at FROM target ORDER BY id, version";

const RECALC_COLUMNS: &str = "r.id, r.target_id, r.from_version, r.to_version, r.base_year, r.was_tco2e, r.now_tco2e, r.change_pct, r.was_output, r.now_output, r.was_fingerprint, r.now_fingerprint, r.significant, r.threshold_pct, r.reason, r.recorded_at, t.name";

pub(crate) const RECALC_SELECT: &str = "SELECT r.id, r.target_id, r.from_version, r.to_version, r.base_year, r.was_tco2e, r.now_tco2e, r.change_pct, r.was_output, r.now_output, r.was_fingerprint, r.now_fingerprint, r.significant, r.threshold_pct, r.reason, r.recorded_at, t.name FROM target_recalculation r LEFT JOIN target t ON t.id = r.target_id AND t.version = r.to_version ORDER BY r.id";

/// Audited; not part of the data fingerprint: a target stores the fingerprint of its base
/// year's inventory, which must not change because the target was set.
pub(crate) const TABLE: Table<TargetRow> = Table {
    entity: "target",
    select: SELECT,
    key: versioned_key,
    read: from_row,
    place: |t| format!("target #{} v{} '{}'", t.id, t.version, t.target.name),
    payload: payload_of,
    fingerprint: false,
};

/// Audited; not part of the data fingerprint.
pub(crate) const RECALCULATIONS: Table<RecalculationRow> = Table {
    entity: "target_recalculation",
    select: RECALC_SELECT,
    key: id_key,
    read: recalculation_from_row,
    place: |r| format!("target recalculation #{}", r.id),
    payload: recalculation_payload,
    fingerprint: false,
};

fn scopes(text: &str) -> Result<Scopes> {
    Scopes::ALL
        .into_iter()
        .find(|s| s.code() == text)
        .ok_or_else(|| bad("target.scopes", text, "unknown scopes"))
}

fn basis(text: &str) -> Result<Basis> {
    match text {
        "location" => Ok(Basis::Location),
        "market" => Ok(Basis::Market),
        other => Err(bad("target.scope2", other, "unknown basis")),
    }
}

fn pathway(id: Option<String>, version: Option<String>) -> Result<Option<PathwayRef>> {
    match (id, version) {
        (None, None) => Ok(None),
        (Some(id), Some(version)) => PATHWAYS
            .iter()
            .find(|p| p.id == id && p.version == version)
            .map(|p| {
                Some(PathwayRef {
                    id: p.id,
                    version: p.version,
                })
            })
            .ok_or_else(|| {
                bad(
                    "target.pathway",
                    &format!("{id} {version}"),
                    "unknown pathway",
                )
            }),
        (id, _) => Err(bad(
            "target.pathway",
            id.as_deref().unwrap_or("NULL"),
            "a pathway needs its id and its version",
        )),
    }
}

pub(crate) fn from_row(r: &Row<'_>) -> Result<TargetRow> {
    let id: i64 = r.get(0)?;
    let version: u32 = r.get(1)?;
    (|| {
        let metric = match (
            opt_text(r, 5, "target.metric")?,
            opt_text(r, 6, "target.metric_unit")?,
        ) {
            (Some(name), Some(u)) => Some(Metric {
                name,
                unit: unit("target.metric_unit", &u)?,
            }),
            (None, None) => None,
            (name, _) => {
                return Err(bad(
                    "target.metric",
                    name.as_deref().unwrap_or("NULL"),
                    "a metric needs its name and its unit",
                ))
            }
        };
        let pct = text(r, 9, "target.reduction_pct")?;
        let base = text(r, 12, "target.base_tco2e")?;
        let status = text(r, 15, "target.status")?;
        Ok(TargetRow {
            id,
            version,
            target: Target {
                name: text(r, 2, "target.name")?,
                scopes: scopes(&text(r, 3, "target.scopes")?)?,
                scope2: basis(&text(r, 4, "target.scope2")?)?,
                kind: if metric.is_some() {
                    TargetKind::Intensity
                } else {
                    TargetKind::Absolute
                },
                metric,
                base_year: r.get(7)?,
                target_year: r.get(8)?,
                reduction_pct: dec("target.reduction_pct", &pct)?,
                pathway: pathway(
                    opt_text(r, 10, "target.pathway")?,
                    opt_text(r, 11, "target.pathway_version")?,
                )?,
                base_tco2e: dec("target.base_tco2e", &base)?,
                base_output: opt_dec("target.base_output", opt_text(r, 13, "target.base_output")?)?,
                base_fingerprint: opt_text(r, 14, "target.base_fingerprint")?,
            },
            status: crate::activity::parse_status("target.status", &status)?,
            created_at: text(r, 16, "target.created_at")?,
        })
    })()
    .map_err(|e| in_record(e, || format!("target #{id} v{version}")))
}

pub(crate) fn payload_of(t: &TargetRow) -> String {
    let x = &t.target;
    payload_value(serde_json::json!({
        "id": t.id,
        "version": t.version,
        "name": x.name,
        "scopes": x.scopes.code(),
        "scope2": x.scope2.code(),
        "metric": x.metric.as_ref().map(|m| m.name.clone()),
        "metric_unit": x.metric.as_ref().map(|m| m.unit.code()),
        "base_year": x.base_year,
        "target_year": x.target_year,
        "reduction_pct": x.reduction_pct.to_string(),
        "pathway": x.pathway.as_ref().map(|p| p.id),
        "pathway_version": x.pathway.as_ref().map(|p| p.version),
        "base_tco2e": x.base_tco2e.to_string(),
        "base_output": x.base_output.map(|d| d.to_string()),
        "base_fingerprint": x.base_fingerprint,
        "status": t.status.code(),
        "created_at": t.created_at,
    }))
}

pub(crate) fn recalculation_from_row(r: &Row<'_>) -> Result<RecalculationRow> {
    let id: i64 = r.get(0)?;
    (|| {
        let was = text(r, 5, "target_recalculation.was_tco2e")?;
        let now = text(r, 6, "target_recalculation.now_tco2e")?;
        let pct = text(r, 7, "target_recalculation.change_pct")?;
        let threshold = text(r, 13, "target_recalculation.threshold_pct")?;
        let significant: i64 = r.get(12)?;
        Ok(RecalculationRow {
            id,
            target_id: r.get(1)?,
            from_version: r.get(2)?,
            to_version: r.get(3)?,
            recalculation: Recalculation {
                target: opt_text(r, 16, "target.name")?.unwrap_or_default(),
                base_year: r.get(4)?,
                was_tco2e: dec("target_recalculation.was_tco2e", &was)?,
                now_tco2e: dec("target_recalculation.now_tco2e", &now)?,
                change_pct: dec("target_recalculation.change_pct", &pct)?,
                was_output: opt_dec(
                    "target_recalculation.was_output",
                    opt_text(r, 8, "target_recalculation.was_output")?,
                )?,
                now_output: opt_dec(
                    "target_recalculation.now_output",
                    opt_text(r, 9, "target_recalculation.now_output")?,
                )?,
                was_fingerprint: opt_text(r, 10, "target_recalculation.was_fingerprint")?,
                now_fingerprint: opt_text(r, 11, "target_recalculation.now_fingerprint")?,
                significant: significant != 0,
                threshold_pct: dec("target_recalculation.threshold_pct", &threshold)?,
                reason: text(r, 14, "target_recalculation.reason")?,
                recorded_at: text(r, 15, "target_recalculation.recorded_at")?,
                triggers: RECALCULATION_TRIGGERS,
            },
        })
    })()
    .map_err(|e| in_record(e, || format!("target recalculation #{id}")))
}

/// The log row's own columns (not the target's name, which is the target's).
pub(crate) fn recalculation_payload(r: &RecalculationRow) -> String {
    let x = &r.recalculation;
    payload_value(serde_json::json!({
        "id": r.id,
        "target_id": r.target_id,
        "from_version": r.from_version,
        "to_version": r.to_version,
        "base_year": x.base_year,
        "was_tco2e": x.was_tco2e.to_string(),
        "now_tco2e": x.now_tco2e.to_string(),
        "change_pct": x.change_pct.to_string(),
        "was_output": x.was_output.map(|d| d.to_string()),
        "now_output": x.now_output.map(|d| d.to_string()),
        "was_fingerprint": x.was_fingerprint,
        "now_fingerprint": x.now_fingerprint,
        "significant": x.significant,
        "threshold_pct": x.threshold_pct.to_string(),
        "reason": x.reason,
        "recorded_at": x.recorded_at,
    }))
}

fn insert(tx: &Connection, t: &TargetRow) -> Result<()> {
    let x = &t.target;
    tx.execute(
        &format!("INSERT INTO target ({TARGET_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"),
        params![
            t.id,
            t.version,
            x.name,
            x.scopes.code(),
            x.scope2.code(),
            x.metric.as_ref().map(|m| m.name.clone()),
            x.metric.as_ref().map(|m| m.unit.code()),
            x.base_year,
            x.target_year,
            x.reduction_pct.to_string(),
            x.pathway.as_ref().map(|p| p.id),
            x.pathway.as_ref().map(|p| p.version),
            x.base_tco2e.to_string(),
            x.base_output.map(|d| d.to_string()),
            x.base_fingerprint,
            t.status.code(),
            t.created_at
        ],
    )?;
    Ok(())
}

fn log(
    tx: &Connection,
    audit: &mut AuditWriter,
    at: &str,
    action: &str,
    t: &TargetRow,
) -> Result<()> {
    audit.append(
        tx,
        at,
        action,
        "target",
        &format!("{}@{}", t.id, t.version),
        &payload_of(t),
    )?;
    Ok(())
}

impl Store {
    /// The current version of every target, in the order they were set.
    pub fn targets(&self) -> Result<Vec<TargetRow>> {
        read_rows(
            &self.conn,
            &format!("SELECT {TARGET_COLUMNS} FROM target WHERE status = 'current' ORDER BY id"),
            [],
            from_row,
        )
    }

    /// Every version of target `id`, oldest first.
    pub fn target_history(&self, id: i64) -> Result<Vec<TargetRow>> {
        read_rows(
            &self.conn,
            &format!("SELECT {TARGET_COLUMNS} FROM target WHERE id = ?1 ORDER BY version"),
            [id],
            from_row,
        )
    }

    /// Set a new target (version 1).
    pub fn add_target(&mut self, target: &Target, at: &str) -> Result<TargetRow> {
        self.write(at, |tx, audit, at| {
            let id: i64 = tx.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM target", [], |r| {
                r.get(0)
            })?;
            let row = TargetRow {
                id,
                version: 1,
                target: target.clone(),
                status: Status::Current,
                created_at: at.to_string(),
            };
            insert(tx, &row)?;
            log(tx, audit, at, "create", &row)?;
            Ok(row)
        })
    }

    /// Record a recalculation of target `id`: its current version superseded, `target` as the
    /// next version, and `entry` appended to the recalculation log — all in one transaction.
    pub fn rebase_target(
        &mut self,
        id: i64,
        target: &Target,
        entry: &Recalculation,
        at: &str,
    ) -> Result<(TargetRow, RecalculationRow)> {
        let old = match self.target_history(id)?.pop() {
            Some(t) if t.status == Status::Current => t,
            _ => {
                return Err(StoreError::Missing {
                    what: "target",
                    name: format!("#{id}"),
                })
            }
        };
        self.write(at, |tx, audit, at| {
            tx.execute(
                "UPDATE target SET status = 'superseded' WHERE id = ?1 AND version = ?2",
                params![old.id, old.version],
            )?;
            log(
                tx,
                audit,
                at,
                "supersede",
                &TargetRow {
                    status: Status::Superseded,
                    ..old.clone()
                },
            )?;
            let row = TargetRow {
                id,
                version: old.version + 1,
                target: target.clone(),
                status: Status::Current,
                created_at: at.to_string(),
            };
            insert(tx, &row)?;
            log(tx, audit, at, "rebase", &row)?;
            tx.execute(
                "INSERT INTO target_recalculation (target_id, from_version, to_version, base_year, was_tco2e, now_tco2e, change_pct, was_output, now_output, was_fingerprint, now_fingerprint, significant, threshold_pct, reason, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                params![
                    id,
                    old.version,
                    row.version,
                    entry.base_year,
                    entry.was_tco2e.to_string(),
                    entry.now_tco2e.to_string(),
                    entry.change_pct.to_string(),
                    entry.was_output.map(|d| d.to_string()),
                    entry.now_output.map(|d| d.to_string()),
                    entry.was_fingerprint,
                    entry.now_fingerprint,
                    entry.significant,
                    entry.threshold_pct.to_string(),
                    entry.reason,
                    entry.recorded_at
                ],
            )?;
            let log_row = RecalculationRow {
                id: tx.last_insert_rowid(),
                target_id: id,
                from_version: old.version,
                to_version: row.version,
                recalculation: Recalculation {
                    target: target.name.clone(),
                    ..entry.clone()
                },
            };
            audit.append(
                tx,
                at,
                "create",
                "target_recalculation",
                &log_row.id.to_string(),
                &recalculation_payload(&log_row),
            )?;
            Ok((row, log_row))
        })
    }

    /// The base-year recalculation log, oldest first.
    pub fn recalculations(&self) -> Result<Vec<RecalculationRow>> {
        read_rows(&self.conn, &format!("SELECT {RECALC_COLUMNS} FROM target_recalculation r LEFT JOIN target t ON t.id = r.target_id AND t.version = r.to_version ORDER BY r.id"), [], recalculation_from_row)
    }
}
