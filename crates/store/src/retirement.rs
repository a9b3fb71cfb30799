//! The `retirement` table: a retirement (cancellation, 注销 / 核销) of a certificate or a block of
//! credits as the registry's record states it — date, beneficiary, the claim year, the reason —
//! with the registry's statement stored as evidence. Written in the same transaction as the
//! certificate or credit it retires ([`crate::eac`], [`crate::credit`]).

use crate::audit::AuditWriter;
use crate::error::Result;
use crate::evidence::{insert_evidence, EvidenceFile};
use crate::registry::{id_key, Table};
use crate::value::{date, in_record, opt_text, payload_value, read_rows, text};
use crate::Store;
use chrono::NaiveDate;
use rusqlite::{params, Connection, Row};

/// A retirement as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retirement {
    pub id: i64,
    pub date: NaiveDate,
    pub beneficiary: String,
    /// The claim year it is retired for (a credit's `--for-year`).
    pub for_year: Option<i32>,
    pub reason: Option<String>,
    /// The retirement statement.
    pub evidence_id: Option<i64>,
    pub created_at: String,
}

/// A retirement to record, and its statement.
#[derive(Debug, Clone)]
pub struct NewRetirement<'a> {
    pub date: NaiveDate,
    pub beneficiary: String,
    pub for_year: Option<i32>,
    pub reason: Option<String>,
    pub statement: Option<EvidenceFile<'a>>,
}

pub(crate) const SELECT: &str = "SELECT id, retired_on, beneficiary, for_year, reason, evidence_id, created_at FROM retirement ORDER BY id";

/// Audited; part of the data fingerprint (a retired certificate or credit counts with it).
pub(crate) const TABLE: Table<Retirement> = Table {
    entity: "retirement",
    select: SELECT,
    key: id_key,
    read: from_row,
    place: |r| format!("retirement #{} ({})", r.id, r.date),
    payload: payload_of,
    fingerprint: true,
};

pub(crate) fn from_row(r: &Row<'_>) -> Result<Retirement> {
    let id: i64 = r.get(0)?;
    (|| {
        Ok(Retirement {
            id,
            date: date(
                "retirement.retired_on",
                &text(r, 1, "retirement.retired_on")?,
            )?,
            beneficiary: text(r, 2, "retirement.beneficiary")?,
            for_year: r.get(3)?,
            reason: opt_text(r, 4, "retirement.reason")?,
            evidence_id: r.get(5)?,
            created_at: text(r, 6, "retirement.created_at")?,
        })
    })()
    .map_err(|e| in_record(e, || format!("retirement #{id}")))
}

pub(crate) fn payload_of(r: &Retirement) -> String {
    payload_value(serde_json::json!({
        "id": r.id,
        "date": r.date.to_string(),
        "beneficiary": r.beneficiary,
        "for_year": r.for_year,
        "reason": r.reason,
        "evidence_id": r.evidence_id,
        "created_at": r.created_at,
    }))
}

/// Record a retirement (and its statement) inside a write.
pub(crate) fn insert(
    tx: &Connection,
    audit: &mut AuditWriter,
    at: &str,
    new: &NewRetirement<'_>,
) -> Result<Retirement> {
    let evidence_id = match &new.statement {
        Some(f) => Some(insert_evidence(tx, audit, at, f.file_name, f.sha256, f.content)?.id),
        None => None,
    };
    tx.execute(
        "INSERT INTO retirement (retired_on, beneficiary, for_year, reason, evidence_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![new.date.to_string(), new.beneficiary, new.for_year, new.reason, evidence_id, at],
    )?;
    let saved = Retirement {
        id: tx.last_insert_rowid(),
        date: new.date,
        beneficiary: new.beneficiary.clone(),
        for_year: new.for_year,
        reason: new.reason.clone(),
        evidence_id,
        created_at: at.to_string(),
    };
    audit.append(
        tx,
        at,
        "create",
        "retirement",
        &saved.id.to_string(),
        &payload_of(&saved),
    )?;
    Ok(saved)
}

impl Store {
    /// Every retirement, oldest first.
    pub fn retirements(&self) -> Result<Vec<Retirement>> {
        read_rows(&self.conn, SELECT, [], from_row)
    }

    /// The retirements of `ids` (by primary key), for one record's view.
    pub fn retirements_of(&self, ids: &[i64]) -> Result<Vec<Retirement>> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.extend(read_rows(
                &self.conn,
                "SELECT id, retired_on, beneficiary, for_year, reason, evidence_id, created_at FROM retirement WHERE id = ?1",
                [id],
                from_row,
            )?);
        }
        Ok(out)
    }
}
