//! The `evidence` table: files (bills, meter exports, certificates) stored inside the project as
//! blobs with their SHA-256; the same content is kept once.

use crate::audit::{sha256_hex, AuditWriter};
use crate::error::{Result, StoreError};
use crate::registry::AuditedTable;
use crate::value::{in_record, lossy_text, payload, read_rows, text};
use crate::verify::Check;
use crate::Store;
pub use lingtan_core::record::Evidence;
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, OptionalExtension, Row};

/// A file stored as evidence in the same transaction as what it proves (an import's batch, a
/// retirement's statement).
#[derive(Debug, Clone, Copy)]
pub struct EvidenceFile<'a> {
    pub file_name: &'a str,
    /// Its SHA-256 (hex), already computed by the caller.
    pub sha256: &'a str,
    pub content: &'a [u8],
}

/// Store a file as evidence (or find it, when the same content is already there).
pub(crate) fn insert_evidence(
    tx: &Connection,
    audit: &mut AuditWriter,
    at: &str,
    file_name: &str,
    sha: &str,
    content: &[u8],
) -> Result<Evidence> {
    if let Some(e) = by_sha(tx, sha)? {
        return Ok(e);
    }
    tx.execute(
        "INSERT INTO evidence (sha256, file_name, size, content, added_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![sha, file_name, content.len() as i64, content, at],
    )?;
    let e = Evidence {
        id: tx.last_insert_rowid(),
        sha256: sha.to_string(),
        file_name: file_name.to_string(),
        size: content.len() as i64,
        added_at: at.to_string(),
    };
    audit.append(tx, at, "create", "evidence", &e.sha256, &payload_of(&e))?;
    Ok(e)
}

/// The columns of [`Evidence`] (not the content).
const COLUMNS: &str = "SELECT id, sha256, file_name, size, added_at FROM evidence";

/// The stored file with this content, if any.
fn by_sha(conn: &Connection, sha: &str) -> Result<Option<Evidence>> {
    let mut stmt = conn.prepare_cached(&format!("{COLUMNS} WHERE sha256 = ?1"))?;
    let mut rows = stmt.query([sha])?;
    rows.next()?.map(from_row).transpose()
}

pub(crate) fn from_row(r: &Row<'_>) -> Result<Evidence> {
    let id: i64 = r.get(0)?;
    (|| {
        Ok(Evidence {
            id,
            sha256: text(r, 1, "evidence.sha256")?,
            file_name: text(r, 2, "evidence.file_name")?,
            size: r.get(3)?,
            added_at: text(r, 4, "evidence.added_at")?,
        })
    })()
    .map_err(|e| in_record(e, || format!("evidence #{id}")))
}

pub(crate) fn payload_of(e: &Evidence) -> String {
    payload(e)
}

/// Audited by its SHA-256 (its key in the log), and its content checked against it; not part of
/// the data fingerprint.
pub(crate) struct EvidenceTable;

pub(crate) const TABLE: EvidenceTable = EvidenceTable;

impl AuditedTable for EvidenceTable {
    fn verify(&self, conn: &Connection, check: &mut Check) -> Result<()> {
        let mut stmt = conn.prepare(
            "SELECT id, sha256, file_name, size, added_at, content FROM evidence ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let e = match from_row(r) {
                Ok(e) => e,
                Err(err) => {
                    check.unreadable(err, "evidence", lossy_text(r, 1)?)?;
                    continue;
                }
            };
            let content: &[u8] = match r.get_ref(5)? {
                ValueRef::Blob(b) | ValueRef::Text(b) => b,
                _ => &[],
            };
            let place = format!("evidence #{} '{}'", e.id, e.file_name);
            if sha256_hex(content) != e.sha256 || content.len() as i64 != e.size {
                check.finding(
                    place.clone(),
                    "its content no longer matches its SHA-256: the stored file was replaced"
                        .into(),
                    "内容与其 SHA-256 不符：存储的文件被替换".into(),
                );
            }
            check.compare("evidence", e.sha256.clone(), place, payload_of(&e));
        }
        Ok(())
    }

    fn fingerprint(&self, _: &Connection, _: &mut dyn FnMut(&str)) -> Result<()> {
        Ok(())
    }
}

impl Store {
    /// Store a file as evidence; the same content stored twice is kept once.
    pub fn add_evidence(&mut self, file_name: &str, content: &[u8], at: &str) -> Result<Evidence> {
        let sha = sha256_hex(content);
        self.write(at, |tx, audit, at| {
            insert_evidence(tx, audit, at, file_name, &sha, content)
        })
    }

    pub fn evidence_by_sha(&self, sha: &str) -> Result<Option<Evidence>> {
        by_sha(&self.conn, sha)
    }

    /// The evidence files of `ids` (by primary key), for one record's view.
    pub fn evidence_of(&self, ids: &[i64]) -> Result<Vec<Evidence>> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.extend(read_rows(
                &self.conn,
                &format!("{COLUMNS} WHERE id = ?1"),
                [id],
                from_row,
            )?);
        }
        Ok(out)
    }

    pub fn evidence(&self) -> Result<Vec<Evidence>> {
        read_rows(&self.conn, &format!("{COLUMNS} ORDER BY id"), [], from_row)
    }

    /// The evidence of the activity data of a period (`from` ≤ `to`, ISO dates): the file of
    /// each import batch that is not reverted and still holds a current record of the period
    /// (`batch-ID`), then each current record's own file (`activity-ID`), in that order.
    pub fn activity_evidence(&self, from: &str, to: &str) -> Result<Vec<(String, Evidence)>> {
        // the records NOT INDEXED: a period touches most of them, and walking the index then
        // fetching every row at random took several times one pass (100,000 records)
        let sql = "SELECT 'activity-' || a.id, e.id, e.sha256, e.file_name, e.size, e.added_at, 1 AS k, a.id AS n \
             FROM activity a NOT INDEXED JOIN evidence e ON e.id = a.evidence_id \
             WHERE a.status = 'current' AND a.period_from <= ?2 AND a.period_to >= ?1 \
             UNION \
             SELECT 'batch-' || b.id, e.id, e.sha256, e.file_name, e.size, e.added_at, 0 AS k, b.id AS n \
             FROM import_batch b JOIN evidence e ON e.id = b.evidence_id \
             WHERE b.reverted_at IS NULL AND EXISTS (SELECT 1 FROM activity a WHERE a.batch_id = b.id \
               AND a.status = 'current' AND a.period_from <= ?2 AND a.period_to >= ?1) \
             ORDER BY k, n";
        let mut stmt = self.conn.prepare(sql)?;
        let mut rows = stmt.query([from, to])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let label: String = text(r, 0, "evidence label")?;
            let e: i64 = r.get(1)?;
            let evidence = (|| {
                Ok(Evidence {
                    id: e,
                    sha256: text(r, 2, "evidence.sha256")?,
                    file_name: text(r, 3, "evidence.file_name")?,
                    size: r.get(4)?,
                    added_at: text(r, 5, "evidence.added_at")?,
                })
            })()
            .map_err(|err| in_record(err, || format!("evidence #{e}")))?;
            out.push((label, evidence));
        }
        Ok(out)
    }

    /// The stored bytes of an evidence file.
    pub fn evidence_content(&self, id: i64) -> Result<Vec<u8>> {
        self.conn
            .query_row("SELECT content FROM evidence WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or(StoreError::Missing {
                what: "evidence",
                name: id.to_string(),
            })
    }
}
