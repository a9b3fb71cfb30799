//! The `import_batch` table: an import is written, and undone, as one batch. Its records are
//! ordinary activity rows pointing to it; one audit entry covers them all with the digest of
//! their payloads ([`RowsDigest`]), so a million imported rows cost one log entry, and any of
//! them edited outside Lingtan changes the digest.

use crate::activity::{self, ActivityRow, NewActivity, Status};
use crate::audit::{hex, AuditWriter};
use crate::error::{Result, StoreError};
use crate::evidence::{insert_evidence, EvidenceFile};
use crate::interval::{self, NewSeries};
use crate::value::{in_record, lossy, lossy_text, opt_text, payload_value, read_rows, text};
use crate::verify::Check;
use crate::Store;
pub use lingtan_core::record::Batch;
use rusqlite::{params, Connection, Row};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The batches with the number of certificates and of scoring rows each wrote (an import of
/// certificates or of a scoring table writes no activity rows: `rows` 0), counted through the
/// indexes `eac_batch` and `zcf_score`'s unique (batch, position).
pub(crate) const SELECT: &str = "SELECT b.id, b.label, b.evidence_id, e.sha256, b.rows, b.created_at, b.reverted_at, b.revert_reason, (SELECT COUNT(*) FROM eac c WHERE c.batch_id = b.id), (SELECT COUNT(*) FROM zcf_score z WHERE z.batch_id = b.id) FROM import_batch b LEFT JOIN evidence e ON e.id = b.evidence_id ORDER BY b.id";

pub(crate) fn from_row(r: &Row<'_>) -> Result<Batch> {
    let id: i64 = r.get(0)?;
    (|| {
        Ok(Batch {
            id,
            label: text(r, 1, "import_batch.label")?,
            evidence_id: r.get(2)?,
            sha256: opt_text(r, 3, "evidence.sha256")?,
            rows: r.get(4)?,
            created_at: text(r, 5, "import_batch.created_at")?,
            reverted_at: opt_text(r, 6, "import_batch.reverted_at")?,
            revert_reason: opt_text(r, 7, "import_batch.revert_reason")?,
            certificates: r.get(8)?,
            scores: r.get(9)?,
        })
    })()
    .map_err(|e| in_record(e, || format!("import batch #{id}")))
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn payload_of(
    id: i64,
    label: &str,
    evidence_id: Option<i64>,
    rows: i64,
    created_at: &str,
    reverted_at: Option<&str>,
    revert_reason: Option<&str>,
    digest: &str,
) -> String {
    payload_value(serde_json::json!({
        "id": id,
        "label": label,
        "evidence_id": evidence_id,
        "rows": rows,
        "created_at": created_at,
        "reverted_at": reverted_at,
        "revert_reason": revert_reason,
        "digest": digest,
    }))
}

/// The digest a batch's audit entry holds: SHA-256 over its rows' payloads as they were written
/// (version 1, status current), each followed by a newline, in the order they were written.
#[derive(Default)]
pub(crate) struct RowsDigest {
    hash: Sha256,
    rows: i64,
}

impl RowsDigest {
    /// A row as it was imported, whatever its status now.
    pub(crate) fn add(&mut self, row: &ActivityRow) {
        let payload = if row.status == Status::Current {
            activity::payload_of(row)
        } else {
            activity::payload_of(&ActivityRow {
                status: Status::Current,
                ..row.clone()
            })
        };
        self.hash.update(payload.as_bytes());
        self.hash.update(b"\n");
        self.rows += 1;
    }

    /// A row that cannot be read: counted, and the digest then differs from the log's.
    pub(crate) fn add_unreadable(&mut self) {
        self.hash.update(b"(unreadable)\n");
        self.rows += 1;
    }

    /// The digest (hex) and how many rows it covers.
    pub(crate) fn finish(self) -> (String, i64) {
        (hex(&self.hash.finalize()), self.rows)
    }
}

/// The digest of a batch's rows as they were written, and how many.
fn digest_of(conn: &Connection, batch: i64) -> Result<(String, i64)> {
    let mut digest = RowsDigest::default();
    for row in read_rows(
        conn,
        &format!(
            "{} WHERE batch_id = ?1 AND version = 1 ORDER BY row_id",
            activity::SELECT
        ),
        [batch],
        activity::from_row,
    )? {
        digest.add(&row);
    }
    Ok(digest.finish())
}

/// Write a batch (inside its transaction): the batch row, its records as version 1, one audit
/// entry with their digest, then its interval series.
fn insert(
    tx: &Connection,
    audit: &mut AuditWriter,
    at: &str,
    label: &str,
    evidence_id: Option<i64>,
    rows: &[NewActivity],
    series: Vec<NewSeries<'_>>,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO import_batch (label, evidence_id, rows, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![label, evidence_id, rows.len() as i64, at],
    )?;
    let batch = tx.last_insert_rowid();
    let first = activity::next_id(tx)?;
    let mut digest = RowsDigest::default();
    for (id, new) in (first..).zip(rows) {
        let row = activity::first_version(id, new, at, Some(batch));
        activity::insert(tx, &row)?;
        digest.add(&row);
    }
    let (digest, _) = digest.finish();
    let payload = payload_of(
        batch,
        label,
        evidence_id,
        rows.len() as i64,
        at,
        None,
        None,
        &digest,
    );
    audit.append(
        tx,
        at,
        "create",
        "import_batch",
        &batch.to_string(),
        &payload,
    )?;
    interval::insert_series(tx, audit, at, batch, series)?;
    Ok(batch)
}

/// A batch without activity rows (an import of certificates, whose rows are in their own table
/// and logged one by one), inside its write: its entry holds the digest of no rows.
pub(crate) fn insert_empty(
    tx: &Connection,
    audit: &mut AuditWriter,
    at: &str,
    label: &str,
    evidence_id: i64,
) -> Result<i64> {
    insert(tx, audit, at, label, Some(evidence_id), &[], Vec::new())
}

/// The batches undone.
pub(crate) fn reverted(conn: &Connection) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare("SELECT id FROM import_batch WHERE reverted_at IS NOT NULL")?;
    let ids = stmt.query_map([], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

/// Compare every batch with its entry, given the digests of its rows as they are now (walked by
/// the activity table's check, which reads each record once for both).
pub(crate) fn verify(
    conn: &Connection,
    mut digests: BTreeMap<i64, RowsDigest>,
    check: &mut Check,
) -> Result<()> {
    let mut stmt = conn.prepare("SELECT id, label, evidence_id, rows, created_at, reverted_at, revert_reason FROM import_batch ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let (digest, count) = digests.remove(&id).unwrap_or_default().finish();
        let declared: i64 = r.get(3)?;
        let place = format!("import batch #{id}");
        if declared != count {
            check.finding(
                place.clone(),
                format!("declares {declared} rows but {count} are stored: rows were added or removed outside Lingtan"),
                format!("登记 {declared} 行，实存 {count} 行：在 Lingtan 之外被增删"),
            );
        }
        let payload = payload_of(
            id,
            &lossy_text(r, 1)?,
            r.get(2)?,
            declared,
            &lossy_text(r, 4)?,
            lossy(r, 5)?.as_deref(),
            lossy(r, 6)?.as_deref(),
            &digest,
        );
        check.compare("import_batch", id.to_string(), place, payload);
    }
    Ok(())
}

impl Store {
    /// Add many records as one import batch in one transaction, covered by one audit entry
    /// holding the digest of the rows. Returns the batch id.
    pub fn add_activity_batch(
        &mut self,
        label: &str,
        evidence_id: Option<i64>,
        rows: &[NewActivity],
        at: &str,
    ) -> Result<i64> {
        self.write(at, |tx, audit, at| {
            insert(tx, audit, at, label, evidence_id, rows, Vec::new())
        })
    }

    /// An imported file as one batch, in one transaction: the file as evidence, the records
    /// (each pointing to the evidence) and, for interval data, the series at full resolution;
    /// each series gets an audit entry with its readings' digest.
    pub fn add_import_batch(
        &mut self,
        label: &str,
        file: &EvidenceFile<'_>,
        rows: &[NewActivity],
        series: Vec<NewSeries<'_>>,
        at: &str,
    ) -> Result<i64> {
        self.write(at, |tx, audit, at| {
            let evidence =
                insert_evidence(tx, audit, at, file.file_name, file.sha256, file.content)?;
            let rows: Vec<NewActivity> = rows
                .iter()
                .map(|r| NewActivity {
                    evidence_id: Some(evidence.id),
                    ..r.clone()
                })
                .collect();
            insert(tx, audit, at, label, Some(evidence.id), &rows, series)
        })
    }

    /// Import batches, oldest first.
    pub fn batches(&self) -> Result<Vec<Batch>> {
        read_rows(&self.conn, SELECT, [], from_row)
    }

    /// Revert an import batch: its records (activity records, or the certificates of an import
    /// of certificates) become void (kept), the batch is marked reverted with the reason, all in
    /// one transaction and logged.
    pub fn revert_batch(&mut self, id: i64, reason: &str, at: &str) -> Result<u64> {
        let batch =
            self.batches()?
                .into_iter()
                .find(|b| b.id == id)
                .ok_or(StoreError::Missing {
                    what: "import batch",
                    name: format!("#{id}"),
                })?;
        if batch.reverted_at.is_some() {
            return Err(StoreError::Missing {
                what: "import batch",
                name: format!("#{id} (already reverted)"),
            });
        }
        self.write(at, |tx, audit, at| {
            // corrected versions (v2 …) have their own log entries: void them one by one
            let corrected = read_rows(
                tx,
                &format!("{} WHERE batch_id = ?1 AND status = 'current' AND version > 1", activity::SELECT),
                [id],
                activity::from_row,
            )?;
            for row in &corrected {
                activity::set_status(tx, audit, at, "revert", row, Status::Void)?;
            }
            let n = tx.execute("UPDATE activity SET status = 'void' WHERE batch_id = ?1 AND status = 'current' AND version = 1", [id])?;
            // an import of certificates: its certificates are voided, each logged
            let certificates = crate::eac::void_batch(tx, audit, at, id, reason)?;
            tx.execute("UPDATE import_batch SET reverted_at = ?2, revert_reason = ?3 WHERE id = ?1", params![id, at, reason])?;
            let (digest, _) = digest_of(tx, id)?;
            let payload = payload_of(id, &batch.label, batch.evidence_id, batch.rows, &batch.created_at, Some(at), Some(reason), &digest);
            audit.append(tx, at, "revert", "import_batch", &id.to_string(), &payload)?;
            Ok(n as u64 + corrected.len() as u64 + certificates)
        })
    }
}
