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
use crate::value::raw;
use crate::Store;
pub use lingtan_core::record::{Finding, Verification};
use rusqlite::{params, Connection, OptionalExtension, Row};
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

/// The hash of an entry: SHA-256 over the previous entry's hash and the entry's fields, each
/// followed by a 0x1F separator; the clock (schema 5) only when it is set, tagged, so entries
/// written before it existed keep their hashes.
#[allow(clippy::too_many_arguments)]
fn entry_hash(
    prev: &[u8],
    seq: i64,
    at: &[u8],
    action: &[u8],
    entity: &[u8],
    key: &[u8],
    payload: &[u8],
    clock: Option<&[u8]>,
) -> String {
    let mut h = Sha256::new();
    for part in [
        prev,
        seq.to_string().as_bytes(),
        at,
        action,
        entity,
        key,
        payload,
    ] {
        h.update(part);
        h.update([0x1f]);
    }
    if let Some(clock) = clock {
        h.update(b"clock=");
        h.update(clock);
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
    /// What set the entry's time when it was not the computer's clock (`LINGTAN_NOW`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clock: Option<String>,
}

/// Appends entries inside a transaction, keeping the chain head in memory.
pub(crate) struct AuditWriter {
    prev: String,
    next_seq: i64,
    clock: Option<String>,
}

impl AuditWriter {
    /// The writer after the last entry; `clock` is recorded in every entry it appends.
    pub(crate) fn load(conn: &Connection, clock: Option<&str>) -> Result<AuditWriter> {
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
                clock: clock.map(String::from),
            },
            None => AuditWriter {
                prev: GENESIS.to_string(),
                next_seq: 1,
                clock: clock.map(String::from),
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
        let clock = self.clock.as_deref();
        let hash = entry_hash(
            self.prev.as_bytes(),
            seq,
            at.as_bytes(),
            action.as_bytes(),
            entity.as_bytes(),
            key.as_bytes(),
            payload.as_bytes(),
            clock.map(str::as_bytes),
        );
        match clock {
            // without a clock the entry fits every schema version (the v1 fixture has no column)
            None => conn.prepare_cached(
                "INSERT INTO audit_log (seq, at, action, entity, entity_key, payload, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![seq, at, action, entity, key, payload, self.prev, hash])?,
            Some(clock) => conn.prepare_cached(
                "INSERT INTO audit_log (seq, at, action, entity, entity_key, payload, prev_hash, hash, clock) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![seq, at, action, entity, key, payload, self.prev, hash, clock])?,
        };
        self.prev = hash;
        self.next_seq += 1;
        Ok(seq)
    }
}

/// What the log says a record should be: the payload of its last entry, and that entry's seq.
pub(crate) struct Expected {
    pub singles: HashMap<(String, String), (String, i64)>,
}

/// The columns of an entry, in the order [`StoredEntry::from_row`] reads them.
const ENTRY_COLUMNS: &str = "seq, at, action, entity, entity_key, payload, prev_hash, hash, clock";

/// An entry as it is stored: every field's bytes, so that an entry edited into something that is
/// not valid UTF-8 is still hashed as it is (and shown with U+FFFD).
struct StoredEntry {
    seq: i64,
    at: Vec<u8>,
    action: Vec<u8>,
    entity: Vec<u8>,
    key: Vec<u8>,
    payload: Vec<u8>,
    prev_hash: Vec<u8>,
    hash: Vec<u8>,
    /// NULL (the computer's clock) is not the empty text: only a set clock is hashed.
    clock: Option<Vec<u8>>,
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

impl StoredEntry {
    /// The one reading of an `audit_log` row selected with [`ENTRY_COLUMNS`].
    fn from_row(r: &Row<'_>) -> rusqlite::Result<StoredEntry> {
        let field = |i| raw(r, i).map(Option::unwrap_or_default);
        Ok(StoredEntry {
            seq: r.get(0)?,
            at: field(1)?,
            action: field(2)?,
            entity: field(3)?,
            key: field(4)?,
            payload: field(5)?,
            prev_hash: field(6)?,
            hash: field(7)?,
            clock: raw(r, 8)?,
        })
    }

    /// The entry as it is shown (listings, JSON).
    fn shown(self) -> AuditEntry {
        AuditEntry {
            seq: self.seq,
            at: lossy(&self.at),
            action: lossy(&self.action),
            entity: lossy(&self.entity),
            entity_key: lossy(&self.key),
            payload: lossy(&self.payload),
            prev_hash: lossy(&self.prev_hash),
            hash: lossy(&self.hash),
            clock: self.clock.map(|c| lossy(&c)).filter(|c| !c.is_empty()),
        }
    }
}

/// Check the chain; returns the expected state of every record and the findings so far. Every
/// field is read as stored, so an entry edited into invalid UTF-8 is named as a finding, not
/// an error.
pub(crate) fn check_chain(
    conn: &Connection,
    findings: &mut Vec<Finding>,
) -> Result<(Expected, i64, String)> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {ENTRY_COLUMNS} FROM audit_log ORDER BY seq"
    ))?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1;
    let mut count = 0;
    let mut singles = HashMap::new();
    while let Some(r) = rows.next()? {
        let StoredEntry {
            seq,
            at,
            action,
            entity,
            key,
            payload,
            prev_hash,
            hash,
            clock,
        } = StoredEntry::from_row(r)?;
        count += 1;
        let place = format!("audit entry #{seq}");
        let (entity_s, key_s, action_s) = (lossy(&entity), lossy(&key), lossy(&action));
        if seq != expected_seq {
            findings.push(Finding {
                place: place.clone(),
                en: format!(
                    "entries #{expected_seq}..#{} are missing: the log was cut",
                    seq - 1
                ),
                zh: format!(
                    "审计日志条目 #{expected_seq}..#{} 缺失：日志被删改",
                    seq - 1
                ),
            });
        }
        if prev_hash != prev.as_bytes() {
            findings.push(Finding {
                place: place.clone(),
                en: "does not follow the entry before it (its previous-hash differs): an entry was removed or replaced".into(),
                zh: "与前一条目不衔接（前序哈希不符）：有条目被删除或替换".into(),
            });
        }
        let invalid: Vec<&str> = [
            ("at", &at),
            ("action", &action),
            ("entity", &entity),
            ("entity_key", &key),
            ("payload", &payload),
            ("hash", &hash),
        ]
        .iter()
        .chain(clock.as_ref().map(|c| ("clock", c)).iter())
        .filter(|(_, b)| std::str::from_utf8(b).is_err())
        .map(|(name, _)| *name)
        .collect();
        if !invalid.is_empty() {
            findings.push(Finding {
                place: place.clone(),
                en: format!(
                    "its {} is not valid UTF-8 text: it was edited outside Lingtan",
                    invalid.join(", ")
                ),
                zh: format!(
                    "其 {} 不是有效的 UTF-8 文本：在 Lingtan 之外被修改",
                    invalid.join("、")
                ),
            });
        }
        let recomputed = entry_hash(
            &prev_hash,
            seq,
            &at,
            &action,
            &entity,
            &key,
            &payload,
            clock.as_deref(),
        );
        if recomputed.as_bytes() != hash.as_slice() {
            findings.push(Finding {
                place: place.clone(),
                en: format!(
                    "was edited: its content no longer matches its hash ({entity_s} '{key_s}', {action_s})"
                ),
                zh: format!("已被篡改：内容与哈希不符（{entity_s} “{key_s}”，{action_s}）"),
            });
        }
        singles.insert((entity_s, key_s), (lossy(&payload), seq));
        prev = lossy(&hash);
        expected_seq = seq + 1;
    }
    Ok((Expected { singles }, count, prev))
}

impl Store {
    /// The log, oldest first (optionally only the last `limit` entries). Shown as stored: text
    /// edited into invalid UTF-8 is shown with U+FFFD (verify names it).
    pub fn audit_entries(&self, limit: Option<i64>) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {ENTRY_COLUMNS} FROM (SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?1) ORDER BY seq"
        ))?;
        let rows = stmt.query_map([limit.unwrap_or(-1)], StoredEntry::from_row)?;
        rows.map(|e| Ok(e?.shown())).collect()
    }

    /// The hash of the newest entry (the chain head), printed on reports.
    pub fn audit_head(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row(
                "SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or_else(|| GENESIS.to_string()))
    }
}
