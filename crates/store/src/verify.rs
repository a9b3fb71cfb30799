//! `audit --verify` and the data fingerprint.
//!
//! Verify checks the chain ([`audit::check_chain`]), then replays it against the tables: every
//! row must equal the payload of the last entry naming it; a row the log does not know was added
//! outside Lingtan, an entry whose row is gone names a deletion.

use crate::activity::{self, Status};
use crate::audit::{self, hex, sha256_hex, Finding, Verification};
use crate::batch::{self, RowsDigest};
use crate::error::{Result, StoreError};
use crate::value::{lossy, lossy_text};
use crate::{evidence, factor, interval, project, site, source, Store};
use std::collections::BTreeMap;

impl Store {
    /// Check the chain and that every record is what the log says it is.
    pub fn verify(&self) -> Result<Verification> {
        // the schema first: an object added or changed outside Lingtan is tampering
        let mut findings = self.schema_differences.clone();
        let (expected, entries, head) = audit::check_chain(&self.conn, &mut findings)?;
        let mut rp = Replay {
            singles: expected.singles,
            checked: 0,
            findings,
        };
        match self.project() {
            Ok(p) => rp.compare(
                "project",
                "1".into(),
                "project settings".into(),
                project::payload_of(&p),
            ),
            Err(e) => rp.unreadable(e, "project", "1".into())?,
        }
        {
            let mut stmt = self.conn.prepare(site::SELECT)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                match site::from_row(r) {
                    Ok(s) => rp.compare(
                        "site",
                        s.id.to_string(),
                        format!("site #{} '{}'", s.id, s.name),
                        site::payload_of(&s),
                    ),
                    Err(e) => rp.unreadable(e, "site", id.to_string())?,
                }
            }
        }
        {
            let mut stmt = self.conn.prepare(source::SELECT)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                match source::from_row(r) {
                    Ok(s) => rp.compare(
                        "source",
                        s.id.to_string(),
                        format!("source #{} '{}'", s.id, s.name),
                        source::payload_of(&s),
                    ),
                    Err(e) => rp.unreadable(e, "source", id.to_string())?,
                }
            }
        }
        {
            let mut stmt = self.conn.prepare(factor::FACTOR_SELECT)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let key = format!("{}@{}", lossy_text(r, 0)?, r.get::<_, i64>(1)?);
                match factor::factor_from_row(r) {
                    Ok(f) => rp.compare(
                        "factor",
                        key,
                        format!("factor {} v{}", f.id, f.version),
                        factor::factor_payload(&f),
                    ),
                    Err(e) => rp.unreadable(e, "factor", key)?,
                }
            }
        }
        {
            let mut stmt = self.conn.prepare(factor::PROPERTY_SELECT)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let key = format!("{}@{}", lossy_text(r, 0)?, r.get::<_, i64>(1)?);
                match factor::property_from_row(r) {
                    Ok(p) => rp.compare(
                        "fuel_property",
                        key,
                        format!("fuel property {} v{}", p.id, p.version),
                        factor::property_payload(&p),
                    ),
                    Err(e) => rp.unreadable(e, "fuel_property", key)?,
                }
            }
        }
        {
            let mut stmt = self.conn.prepare(
                "SELECT id, sha256, file_name, size, added_at, content FROM evidence ORDER BY id",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let e = match evidence::from_row(r) {
                    Ok(e) => e,
                    Err(err) => {
                        rp.unreadable(err, "evidence", lossy_text(r, 1)?)?;
                        continue;
                    }
                };
                let content: Vec<u8> = match r.get_ref(5)? {
                    rusqlite::types::ValueRef::Blob(b) | rusqlite::types::ValueRef::Text(b) => {
                        b.to_vec()
                    }
                    _ => Vec::new(),
                };
                let place = format!("evidence #{} '{}'", e.id, e.file_name);
                if sha256_hex(&content) != e.sha256 || content.len() as i64 != e.size {
                    rp.findings.push(Finding {
                        place: place.clone(),
                        en: "its content no longer matches its SHA-256: the stored file was replaced".into(),
                        zh: "内容与其 SHA-256 不符：存储的文件被替换".into(),
                    });
                }
                rp.compare(
                    "evidence",
                    e.sha256.clone(),
                    place,
                    evidence::payload_of(&e),
                );
            }
        }
        // batches: recompute each digest over the batch-time rows
        let mut batches: BTreeMap<i64, RowsDigest> = BTreeMap::new();
        let reverted: Vec<i64> = {
            let mut stmt = self
                .conn
                .prepare("SELECT id FROM import_batch WHERE reverted_at IS NOT NULL")?;
            let ids = stmt.query_map([], |r| r.get(0))?;
            ids.collect::<rusqlite::Result<_>>()?
        };
        {
            let mut stmt = self
                .conn
                .prepare(&format!("{} ORDER BY row_id", activity::SELECT))?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let a = match activity::from_row(r) {
                    Ok(a) => a,
                    Err(e) => {
                        let (id, version): (i64, i64) = (r.get(0)?, r.get(1)?);
                        // still counted in its batch, whose digest then differs
                        if let (Some(batch), 1) = (r.get::<_, Option<i64>>(12)?, version) {
                            batches.entry(batch).or_default().add_unreadable();
                        }
                        rp.unreadable(e, "activity", format!("{id}@{version}"))?;
                        continue;
                    }
                };
                let key = format!("{}@{}", a.id, a.version);
                let place = format!("activity #{} v{}", a.id, a.version);
                if let (Some(batch), 1) = (a.batch_id, a.version) {
                    batches.entry(batch).or_default().add(&a);
                    if rp
                        .singles
                        .contains_key(&("activity".to_string(), key.clone()))
                    {
                        rp.compare("activity", key, place, activity::payload_of(&a));
                    } else {
                        rp.checked += 1;
                        let expected = if reverted.contains(&batch) {
                            Status::Void
                        } else {
                            Status::Current
                        };
                        if a.status != expected {
                            rp.findings.push(Finding {
                                place,
                                en: "its status was changed outside Lingtan (no audit entry records it)".into(),
                                zh: "其状态在 Lingtan 之外被修改（无审计日志记录）".into(),
                            });
                        }
                    }
                } else {
                    rp.compare("activity", key, place, activity::payload_of(&a));
                }
            }
        }
        {
            let mut stmt = self.conn.prepare("SELECT id, label, evidence_id, rows, created_at, reverted_at, revert_reason FROM import_batch ORDER BY id")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                let (digest, count) = batches.remove(&id).unwrap_or_default().finish();
                let declared: i64 = r.get(3)?;
                let place = format!("import batch #{id}");
                if declared != count {
                    rp.findings.push(Finding {
                        place: place.clone(),
                        en: format!("declares {declared} rows but {count} are stored: rows were added or removed outside Lingtan"),
                        zh: format!("登记 {declared} 行，实存 {count} 行：在 Lingtan 之外被增删"),
                    });
                }
                let payload = batch::payload_of(
                    id,
                    &lossy_text(r, 1)?,
                    r.get(2)?,
                    declared,
                    &lossy_text(r, 4)?,
                    lossy(r, 5)?.as_deref(),
                    lossy(r, 6)?.as_deref(),
                    &digest,
                );
                rp.compare("import_batch", id.to_string(), place, payload);
            }
        }
        let (series, unclaimed) = interval::series_payloads(&self.conn)?;
        for (id, actual) in series {
            rp.compare(
                "interval_series",
                id.to_string(),
                format!("interval series #{id}"),
                actual,
            );
        }
        if unclaimed > 0 {
            rp.findings.push(Finding {
                place: "interval readings".into(),
                en: format!("{unclaimed} reading(s) belong to no imported series: they were added outside Lingtan"),
                zh: format!("{unclaimed} 条读数不属于任何已导入的序列：在 Lingtan 之外被添加"),
            });
        }
        let mut gone: Vec<_> = rp
            .singles
            .drain()
            .filter(|((entity, _), _)| entity != "schema")
            .collect();
        gone.sort_by_key(|(_, (_, seq))| *seq);
        for ((entity, key), (_, seq)) in gone {
            rp.findings.push(Finding {
                place: format!("{entity} {key}"),
                en: format!("recorded by audit entry #{seq} but missing from the project: it was deleted outside Lingtan"),
                zh: format!("审计日志条目 #{seq} 有记录，但项目中已不存在：在 Lingtan 之外被删除"),
            });
        }
        Ok(Verification {
            entries,
            head,
            records_checked: rp.checked,
            findings: rp.findings,
        })
    }

    /// A SHA-256 over everything an inventory is computed from: settings, sites, sources,
    /// factors, properties, and `records_digest` (from [`Store::for_each_activity`]) for the
    /// records themselves. Printed on reports so a figure can be tied to its data.
    pub fn data_fingerprint(&self, records_digest: &str) -> Result<String> {
        let mut h = sha2::Sha256::default();
        let mut feed = |s: &str| {
            sha2::Digest::update(&mut h, s.as_bytes());
            sha2::Digest::update(&mut h, b"\n");
        };
        feed(&project::payload_of(&self.project()?));
        for s in self.sites()? {
            feed(&site::payload_of(&s));
        }
        for s in self.sources()? {
            feed(&source::payload_of(&s));
        }
        for f in self.factors()? {
            feed(&factor::factor_payload(&f));
        }
        for p in self.properties()? {
            feed(&factor::property_payload(&p));
        }
        feed(records_digest);
        Ok(hex(&sha2::Digest::finalize(h)))
    }
}

/// Replays the audit log's expectations against the tables.
struct Replay {
    singles: std::collections::HashMap<(String, String), (String, i64)>,
    checked: u64,
    findings: Vec<Finding>,
}

impl Replay {
    /// A row that cannot be read (a stored value edited into something Lingtan never writes) is
    /// a finding naming the record; it is not also reported as deleted. Other errors stop.
    fn unreadable(&mut self, e: StoreError, entity: &str, key: String) -> Result<()> {
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
    fn compare(&mut self, entity: &str, key: String, place: String, actual: String) {
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
