//! `audit --verify` and the data fingerprint, both a walk over the audited tables
//! ([`crate::registry::AUDITED`]).
//!
//! Verify checks the chain ([`audit::check_chain`]), then replays it against the tables: every
//! row must equal the payload of the last entry naming it; a row the log does not know was added
//! outside Lingtan, an entry whose row is gone names a deletion.

use crate::audit::{self, hex, Finding, Verification};
use crate::error::{Result, StoreError};
use crate::registry::{AuditedTable, AUDITED};
use crate::Store;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

impl Store {
    /// Check the chain and that every record is what the log says it is.
    pub fn verify(&self) -> Result<Verification> {
        self.verify_tables(AUDITED)
    }

    /// A SHA-256 over everything an inventory is computed from: settings, sites, sources,
    /// factors, properties (the audited tables marked for it), and `records_digest` (from
    /// [`Store::for_each_activity`]) for the records themselves. Printed on reports so a figure
    /// can be tied to its data.
    pub fn data_fingerprint(&self, records_digest: &str) -> Result<String> {
        self.fingerprint_tables(AUDITED, records_digest)
    }

    pub(crate) fn verify_tables(&self, tables: &[&dyn AuditedTable]) -> Result<Verification> {
        // the schema first: an object added or changed outside Lingtan is tampering
        let mut findings = self.schema_differences.clone();
        let (expected, entries, head) = audit::check_chain(&self.conn, &mut findings)?;
        let mut check = Check {
            singles: expected.singles,
            checked: 0,
            findings,
        };
        for table in tables {
            table.verify(&self.conn, &mut check)?;
        }
        let mut gone: Vec<_> = check
            .singles
            .drain()
            .filter(|((entity, _), _)| entity != "schema")
            .collect();
        gone.sort_by_key(|(_, (_, seq))| *seq);
        for ((entity, key), (_, seq)) in gone {
            check.findings.push(Finding {
                place: format!("{entity} {key}"),
                en: format!("recorded by audit entry #{seq} but missing from the project: it was deleted outside Lingtan"),
                zh: format!("审计日志条目 #{seq} 有记录，但项目中已不存在：在 Lingtan 之外被删除"),
            });
        }
        Ok(Verification {
            entries,
            head,
            records_checked: check.checked,
            findings: check.findings,
        })
    }

    pub(crate) fn fingerprint_tables(
        &self,
        tables: &[&dyn AuditedTable],
        records_digest: &str,
    ) -> Result<String> {
        let mut h = Sha256::default();
        let mut feed = |s: &str| {
            h.update(s.as_bytes());
            h.update(b"\n");
        };
        for table in tables {
            table.fingerprint(&self.conn, &mut feed)?;
        }
        feed(records_digest);
        Ok(hex(&h.finalize()))
    }
}

/// The log's expectations, replayed against the tables: each audited table compares its rows
/// through this, and what is left unclaimed at the end was deleted.
pub(crate) struct Check {
    /// (entity, key) → (payload of the last entry naming it, that entry's seq)
    singles: HashMap<(String, String), (String, i64)>,
    checked: u64,
    findings: Vec<Finding>,
}

impl Check {
    /// Whether an entry names this record (a row imported in a batch is named only once it is
    /// corrected or reverted on its own).
    pub(crate) fn logged(&self, entity: &str, key: &str) -> bool {
        self.singles
            .contains_key(&(entity.to_string(), key.to_string()))
    }

    /// A record checked otherwise than by its own entry (a batch row, by its batch's digest).
    pub(crate) fn count(&mut self) {
        self.checked += 1;
    }

    /// Something found that no entry explains.
    pub(crate) fn finding(&mut self, place: String, en: String, zh: String) {
        self.findings.push(Finding { place, en, zh });
    }

    /// A row that cannot be read (a stored value edited into something Lingtan never writes) is
    /// a finding naming the record; it is not also reported as deleted. Other errors stop.
    pub(crate) fn unreadable(&mut self, e: StoreError, entity: &str, key: String) -> Result<()> {
        match e {
            StoreError::BadValue {
                place,
                field,
                value,
                detail,
            } => {
                self.checked += 1;
                self.singles.remove(&(entity.to_string(), key.clone()));
                self.findings.push(Finding {
                    place: if place.is_empty() {
                        format!("{entity} {key}")
                    } else {
                        place
                    },
                    en: format!("its stored {field} '{value}' cannot be read ({detail}): it was changed outside Lingtan"),
                    zh: format!("其存储的 {field} 值“{value}”无法读取（{detail}）：在 Lingtan 之外被修改"),
                });
                Ok(())
            }
            other => Err(other),
        }
    }

    /// The row must equal the payload of the last entry naming it.
    pub(crate) fn compare(&mut self, entity: &str, key: String, place: String, actual: String) {
        self.checked += 1;
        match self.singles.remove(&(entity.to_string(), key)) {
            Some((logged, _)) if logged == actual => {}
            Some((_, seq)) => self.findings.push(Finding {
                place,
                en: format!(
                    "differs from what audit entry #{seq} recorded: it was changed outside Lingtan"
                ),
                zh: format!("与审计日志条目 #{seq} 的记录不符：在 Lingtan 之外被修改"),
            }),
            None => self.findings.push(Finding {
                place,
                en: "is not in the audit log: it was added outside Lingtan".into(),
                zh: "不在审计日志中：在 Lingtan 之外被添加".into(),
            }),
        }
    }
}
