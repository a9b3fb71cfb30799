//! The append-only, hash-chained audit log.
//!
//! Every change to the project appends one entry: when, what action, which record (entity and
//! key) and the record's full content after the change (`payload`, canonical JSON). Each entry's
//! hash covers the previous entry's hash and its own fields, so editing or deleting an entry
//! breaks the chain. [`verify`] checks the chain AND replays it against the tables: every current
//! row must equal the payload of the last entry that names it, so a record edited with an
//! outside tool (sqlite3) is found and named even when the log itself is intact.
//!
//! Rows written in bulk (an import batch) are covered by one entry whose payload holds the
//! SHA-256 digest of the batch's row payloads in order.
//!
//! What the chain cannot prove on its own: that nobody rewrote the whole log consistently from
//! some entry on. The head hash printed on every report anchors it: a later file whose chain
//! does not pass through that head was rewritten.

use crate::error::Result;
use rusqlite::{params, Connection};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Lower-case hex of bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn entry_hash(
    prev: &str,
    seq: i64,
    at: &str,
    action: &str,
    entity: &str,
    key: &str,
    payload: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [prev, &seq.to_string(), at, action, entity, key, payload] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    hex(&h.finalize())
}

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub action: String,
    pub entity: String,
    pub entity_key: String,
    pub payload: String,
    pub prev_hash: String,
    pub hash: String,
}

/// Appends entries inside a transaction, keeping the chain head in memory.
pub(crate) struct AuditWriter {
    prev: String,
    next_seq: i64,
}

impl AuditWriter {
    pub(crate) fn load(conn: &Connection) -> Result<AuditWriter> {
        let last: Option<(i64, String)> = conn
            .query_row(
                "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })?;
        Ok(match last {
            Some((seq, hash)) => AuditWriter {
                prev: hash,
                next_seq: seq + 1,
            },
            None => AuditWriter {
                prev: GENESIS.to_string(),
                next_seq: 1,
            },
        })
    }

    pub(crate) fn append(
        &mut self,
        conn: &Connection,
        at: &str,
        action: &str,
        entity: &str,
        key: &str,
        payload: &str,
    ) -> Result<i64> {
        let seq = self.next_seq;
        let hash = entry_hash(&self.prev, seq, at, action, entity, key, payload);
        conn.prepare_cached(
            "INSERT INTO audit_log (seq, at, action, entity, entity_key, payload, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![seq, at, action, entity, key, payload, self.prev, hash])?;
        self.prev = hash;
        self.next_seq += 1;
        Ok(seq)
    }
}

/// A problem `verify` found, naming the entry or record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// `audit entry #17`, `activity #12 v1`, `evidence 3f2a…`
    #[serde(rename = "where")]
    pub place: String,
    pub en: String,
    pub zh: String,
}

/// The outcome of `audit --verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub entries: i64,
    pub head: String,
    pub records_checked: u64,
    pub findings: Vec<Finding>,
}

impl Verification {
    pub fn ok(&self) -> bool {
        self.findings.is_empty()
    }
}

/// What the log says a record should be: the payload of its last entry, and that entry's seq.
pub(crate) struct Expected {
    pub singles: HashMap<(String, String), (String, i64)>,
}

/// Check the chain; returns the expected state of every record and the findings so far.
pub(crate) fn check_chain(
    conn: &Connection,
    findings: &mut Vec<Finding>,
) -> Result<(Expected, i64, String)> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, action, entity, entity_key, payload, prev_hash, hash FROM audit_log ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1;
    let mut count = 0;
    let mut singles = HashMap::new();
    while let Some(r) = rows.next()? {
        let e = AuditEntry {
            seq: r.get(0)?,
            at: r.get(1)?,
            action: r.get(2)?,
            entity: r.get(3)?,
            entity_key: r.get(4)?,
            payload: r.get(5)?,
            prev_hash: r.get(6)?,
            hash: r.get(7)?,
        };
        count += 1;
        let place = format!("audit entry #{}", e.seq);
        if e.seq != expected_seq {
            findings.push(Finding {
                place: place.clone(),
                en: format!(
                    "entries #{expected_seq}..#{} are missing: the log was cut",
                    e.seq - 1
                ),
                zh: format!(
                    "审计日志条目 #{expected_seq}..#{} 缺失：日志被删改",
                    e.seq - 1
                ),
            });
        }
        if e.prev_hash != prev {
            findings.push(Finding {
                place: place.clone(),
                en: "does not follow the entry before it (its previous-hash differs): an entry was removed or replaced".into(),
                zh: "与前一条目不衔接（前序哈希不符）：有条目被删除或替换".into(),
            });
        }
        let recomputed = entry_hash(
            &e.prev_hash,
            e.seq,
            &e.at,
            &e.action,
            &e.entity,
            &e.entity_key,
            &e.payload,
        );
        if recomputed != e.hash {
            findings.push(Finding {
                place: place.clone(),
                en: format!(
                    "was edited: its content no longer matches its hash ({} '{}', {})",
                    e.entity, e.entity_key, e.action
                ),
                zh: format!(
                    "已被篡改：内容与哈希不符（{} “{}”，{}）",
                    e.entity, e.entity_key, e.action
                ),
            });
        }
        singles.insert((e.entity.clone(), e.entity_key.clone()), (e.payload, e.seq));
        prev = e.hash;
        expected_seq = e.seq + 1;
    }
    Ok((Expected { singles }, count, prev))
}
