//! The `eac` table: energy attribute certificates (GEC 绿证, green-power trades, I-REC, GO, REC,
//! other) recorded for the market-based scope 2. One row per certificate record, its `id` the
//! record's number; retiring it links a [`crate::retirement`] row, voiding it keeps the row with
//! the reason. An import of a platform export writes its rows with the import's batch, and
//! undoing the batch voids them ([`void_batch`]). Every change is logged, row by row.

use crate::audit::AuditWriter;
use crate::error::{Result, StoreError};
use crate::evidence::{insert_evidence, EvidenceFile};
use crate::registry::{id_key, Table};
use crate::retirement::{self, NewRetirement, Retirement};
use crate::value::{bad, date, dec, in_record, opt_text, payload_value, read_rows, text};
use crate::Store;
use chrono::NaiveDate;
use lingtan_core::offset::eac::{Acquisition, EacType, Technology};
use lingtan_core::offset::{Status, YearMonth};
use lingtan_core::Decimal;
use rusqlite::{params, Connection, Row};

/// A certificate record as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EacRow {
    /// The record's number (assigned on insert).
    pub id: i64,
    pub kind: EacType,
    /// The registry's id, verbatim.
    pub certificate: String,
    pub mwh: Decimal,
    pub from: YearMonth,
    pub to: YearMonth,
    /// Sites whose consumption it may cover; empty = every site.
    pub sites: Vec<String>,
    pub technology: Option<Technology>,
    pub plant: Option<String>,
    pub region: Option<String>,
    pub tradable: Option<bool>,
    pub subsidy: Option<bool>,
    pub acquired: Option<Acquisition>,
    pub purchased: Option<NaiveDate>,
    pub for_year: Option<i32>,
    pub status: Status,
    pub retirement_id: Option<i64>,
    pub void_reason: Option<String>,
    pub evidence_id: Option<i64>,
    pub batch_id: Option<i64>,
    pub origin_ref: Option<String>,
    pub created_at: String,
}

pub(crate) const COLUMNS: &str = "SELECT id, type, certificate, mwh, gen_from, gen_to, sites, technology, plant, region, tradable, subsidy, acquired, purchased_on, for_year, status, retirement_id, void_reason, evidence_id, batch_id, origin_ref, created_at FROM eac";

pub(crate) const SELECT: &str = "SELECT id, type, certificate, mwh, gen_from, gen_to, sites, technology, plant, region, tradable, subsidy, acquired, purchased_on, for_year, status, retirement_id, void_reason, evidence_id, batch_id, origin_ref, created_at FROM eac ORDER BY id";

/// Audited; part of the data fingerprint (the market-based scope 2 is computed from them).
pub(crate) const TABLE: Table<EacRow> = Table {
    entity: "eac",
    select: SELECT,
    key: id_key,
    read: from_row,
    place: |e| {
        format!(
            "certificate #{} ({} {})",
            e.id,
            e.kind.code(),
            e.certificate
        )
    },
    payload: payload_of,
    fingerprint: true,
};

fn status(text: &str) -> Result<Status> {
    match text {
        "held" => Ok(Status::Held),
        "retired" => Ok(Status::Retired),
        "void" => Ok(Status::Void),
        other => Err(bad("eac.status", other, "unknown status")),
    }
}

fn flag(r: &Row<'_>, i: usize, field: &'static str) -> Result<Option<bool>> {
    match r.get::<_, Option<i64>>(i)? {
        None => Ok(None),
        Some(0) => Ok(Some(false)),
        Some(1) => Ok(Some(true)),
        Some(other) => Err(bad(field, &other.to_string(), "expected 0 or 1")),
    }
}

fn month(field: &'static str, text: &str) -> Result<YearMonth> {
    YearMonth::parse(text)
        .filter(|m| m.to_string() == text)
        .ok_or_else(|| bad(field, text, "expected YYYY-MM"))
}

pub(crate) fn from_row(r: &Row<'_>) -> Result<EacRow> {
    let id: i64 = r.get(0)?;
    (|| {
        let kind = text(r, 1, "eac.type")?;
        let sites = text(r, 6, "eac.sites")?;
        let technology = opt_text(r, 7, "eac.technology")?;
        let acquired = opt_text(r, 12, "eac.acquired")?;
        let purchased = opt_text(r, 13, "eac.purchased_on")?;
        Ok(EacRow {
            id,
            kind: EacType::parse(&kind)
                .filter(|k| k.code() == kind)
                .ok_or_else(|| bad("eac.type", &kind, "unknown type"))?,
            certificate: text(r, 2, "eac.certificate")?,
            mwh: dec("eac.mwh", &text(r, 3, "eac.mwh")?)?,
            from: month("eac.gen_from", &text(r, 4, "eac.gen_from")?)?,
            to: month("eac.gen_to", &text(r, 5, "eac.gen_to")?)?,
            sites: serde_json::from_str(&sites).map_err(|e| bad("eac.sites", &sites, e))?,
            technology: technology
                .map(|t| {
                    Technology::parse(&t)
                        .filter(|x| x.code() == t)
                        .ok_or_else(|| bad("eac.technology", &t, "unknown technology"))
                })
                .transpose()?,
            plant: opt_text(r, 8, "eac.plant")?,
            region: opt_text(r, 9, "eac.region")?,
            tradable: flag(r, 10, "eac.tradable")?,
            subsidy: flag(r, 11, "eac.subsidy")?,
            acquired: acquired
                .map(|a| {
                    Acquisition::parse(&a)
                        .filter(|x| x.code() == a)
                        .ok_or_else(|| bad("eac.acquired", &a, "unknown acquisition"))
                })
                .transpose()?,
            purchased: purchased
                .map(|p| date("eac.purchased_on", &p))
                .transpose()?,
            for_year: r.get(14)?,
            status: status(&text(r, 15, "eac.status")?)?,
            retirement_id: r.get(16)?,
            void_reason: opt_text(r, 17, "eac.void_reason")?,
            evidence_id: r.get(18)?,
            batch_id: r.get(19)?,
            origin_ref: opt_text(r, 20, "eac.origin_ref")?,
            created_at: text(r, 21, "eac.created_at")?,
        })
    })()
    .map_err(|e| in_record(e, || format!("certificate #{id}")))
}

pub(crate) fn payload_of(e: &EacRow) -> String {
    payload_value(serde_json::json!({
        "id": e.id,
        "type": e.kind.code(),
        "certificate": e.certificate,
        "mwh": e.mwh.to_string(),
        "from": e.from.to_string(),
        "to": e.to.to_string(),
        "sites": e.sites,
        "technology": e.technology.map(Technology::code),
        "plant": e.plant,
        "region": e.region,
        "tradable": e.tradable,
        "subsidy": e.subsidy,
        "acquired": e.acquired.map(Acquisition::code),
        "purchased": e.purchased.map(|d| d.to_string()),
        "for_year": e.for_year,
        "status": e.status.code(),
        "retirement_id": e.retirement_id,
        "void_reason": e.void_reason,
        "evidence_id": e.evidence_id,
        "batch_id": e.batch_id,
        "origin_ref": e.origin_ref,
        "created_at": e.created_at,
    }))
}

/// Insert a certificate (its `id` and `created_at` assigned), logged.
pub(crate) fn insert(
    tx: &Connection,
    audit: &mut AuditWriter,
    at: &str,
    row: &EacRow,
) -> Result<EacRow> {
    tx.execute(
        "INSERT INTO eac (type, certificate, mwh, gen_from, gen_to, sites, technology, plant, region, tradable, subsidy, acquired, purchased_on, for_year, status, retirement_id, void_reason, evidence_id, batch_id, origin_ref, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
        params![
            row.kind.code(),
            row.certificate,
            row.mwh.to_string(),
            row.from.to_string(),
            row.to.to_string(),
            serde_json::to_string(&row.sites).unwrap_or_else(|_| "[]".into()),
            row.technology.map(Technology::code),
            row.plant,
            row.region,
            row.tradable.map(i64::from),
            row.subsidy.map(i64::from),
            row.acquired.map(Acquisition::code),
            row.purchased.map(|d| d.to_string()),
            row.for_year,
            row.status.code(),
            row.retirement_id,
            row.void_reason,
            row.evidence_id,
            row.batch_id,
            row.origin_ref,
            at,
        ],
    )?;
    let saved = EacRow {
        id: tx.last_insert_rowid(),
        created_at: at.to_string(),
        ..row.clone()
    };
    audit.append(
        tx,
        at,
        "create",
        "eac",
        &saved.id.to_string(),
        &payload_of(&saved),
    )?;
    Ok(saved)
}

/// Set a certificate's status (with its retirement or void reason), logged as `action`.
fn set_status(
    tx: &Connection,
    audit: &mut AuditWriter,
    at: &str,
    action: &str,
    row: &EacRow,
) -> Result<()> {
    tx.execute(
        "UPDATE eac SET status = ?2, retirement_id = ?3, void_reason = ?4 WHERE id = ?1",
        params![
            row.id,
            row.status.code(),
            row.retirement_id,
            row.void_reason
        ],
    )?;
    audit.append(tx, at, action, "eac", &row.id.to_string(), &payload_of(row))?;
    Ok(())
}

/// Void the certificates an import batch wrote (undoing the batch), each logged.
pub(crate) fn void_batch(
    tx: &Connection,
    audit: &mut AuditWriter,
    at: &str,
    batch: i64,
    reason: &str,
) -> Result<u64> {
    let rows = read_rows(
        tx,
        &format!("{COLUMNS} WHERE batch_id = ?1 AND status <> 'void' ORDER BY id"),
        [batch],
        from_row,
    )?;
    for row in &rows {
        let voided = EacRow {
            status: Status::Void,
            void_reason: Some(format!("import batch #{batch} undone: {reason}")),
            ..row.clone()
        };
        set_status(tx, audit, at, "revert", &voided)?;
    }
    Ok(rows.len() as u64)
}

fn missing(id: i64) -> StoreError {
    StoreError::Missing {
        what: "certificate",
        name: format!("#{id}"),
    }
}

impl Store {
    /// Every certificate record, in the order they were recorded.
    pub fn eacs(&self) -> Result<Vec<EacRow>> {
        read_rows(&self.conn, SELECT, [], from_row)
    }

    /// The records of `kind` whose registry id is `certificate` (trimmed, letters compared
    /// ASCII case-insensitively), oldest first: the duplicate-id check of one record, through
    /// the index `eac_certificate` rather than a read of every certificate. An id with letters
    /// outside ASCII reads them all (Unicode case folding is not SQLite's).
    pub fn eacs_with_certificate(&self, kind: EacType, certificate: &str) -> Result<Vec<EacRow>> {
        let key = certificate.trim();
        if !key.is_ascii() {
            let upper = key.to_uppercase();
            return Ok(self
                .eacs()?
                .into_iter()
                .filter(|r| r.kind == kind && r.certificate.trim().to_uppercase() == upper)
                .collect());
        }
        read_rows(
            &self.conn,
            &format!("{COLUMNS} WHERE type = ?1 AND upper(certificate) = ?2 ORDER BY id"),
            rusqlite::params![kind.code(), key.to_ascii_uppercase()],
            from_row,
        )
    }

    pub fn eac(&self, id: i64) -> Result<EacRow> {
        read_rows(
            &self.conn,
            &format!("{COLUMNS} WHERE id = ?1"),
            [id],
            from_row,
        )?
        .pop()
        .ok_or_else(|| missing(id))
    }

    /// Record a certificate in one transaction: its document as evidence, its retirement when
    /// it is recorded retired, the row; each logged.
    pub fn add_eac(
        &mut self,
        row: &EacRow,
        document: Option<EvidenceFile<'_>>,
        retirement: Option<&NewRetirement<'_>>,
        at: &str,
    ) -> Result<(EacRow, Option<Retirement>)> {
        self.write(at, |tx, audit, at| {
            let evidence_id = match document {
                Some(f) => {
                    Some(insert_evidence(tx, audit, at, f.file_name, f.sha256, f.content)?.id)
                }
                None => row.evidence_id,
            };
            let retired = retirement
                .map(|r| retirement::insert(tx, audit, at, r))
                .transpose()?;
            let row = EacRow {
                evidence_id,
                status: if retired.is_some() {
                    Status::Retired
                } else {
                    row.status
                },
                retirement_id: retired.as_ref().map(|r| r.id).or(row.retirement_id),
                ..row.clone()
            };
            Ok((insert(tx, audit, at, &row)?, retired))
        })
    }

    /// Certificates of an imported file as one batch, in one transaction: the file as evidence,
    /// the batch (no activity rows: `rows` 0), each certificate pointing to both; each logged.
    pub fn add_eac_batch(
        &mut self,
        label: &str,
        file: &EvidenceFile<'_>,
        rows: &[EacRow],
        at: &str,
    ) -> Result<(i64, Vec<EacRow>)> {
        self.write(at, |tx, audit, at| {
            let evidence =
                insert_evidence(tx, audit, at, file.file_name, file.sha256, file.content)?;
            let batch = crate::batch::insert_empty(tx, audit, at, label, evidence.id)?;
            let mut saved = Vec::with_capacity(rows.len());
            for row in rows {
                let row = EacRow {
                    evidence_id: Some(evidence.id),
                    batch_id: Some(batch),
                    ..row.clone()
                };
                saved.push(insert(tx, audit, at, &row)?);
            }
            Ok((batch, saved))
        })
    }

    /// Retire a held certificate: the retirement (and its statement) and the new status, in one
    /// transaction, logged.
    pub fn retire_eac(
        &mut self,
        id: i64,
        retirement: &NewRetirement<'_>,
        at: &str,
    ) -> Result<(EacRow, Retirement)> {
        let row = self.eac(id)?;
        self.write(at, |tx, audit, at| {
            let r = retirement::insert(tx, audit, at, retirement)?;
            let row = EacRow {
                status: Status::Retired,
                retirement_id: Some(r.id),
                ..row
            };
            set_status(tx, audit, at, "retire", &row)?;
            Ok((row, r))
        })
    }

    /// Void a certificate record with the reason; the row stays.
    pub fn void_eac(&mut self, id: i64, reason: &str, at: &str) -> Result<EacRow> {
        let row = self.eac(id)?;
        self.write(at, |tx, audit, at| {
            let row = EacRow {
                status: Status::Void,
                void_reason: Some(reason.to_string()),
                ..row
            };
            set_status(tx, audit, at, "void", &row)?;
            Ok(row)
        })
    }
}
