//! The `activity` table: activity records (a bill, a meter reading, a typed quantity), one row
//! per version. A correction is a new version with a reason and the old one stays, marked
//! superseded; a withdrawn record stays too, marked void. Nothing is deleted.

use crate::audit::{hex, AuditWriter};
use crate::batch::{self, RowsDigest};
use crate::error::{Result, StoreError};
use crate::registry::AuditedTable;
use crate::value::{
    bad, date, dec, in_record, opt_text, payload_value, read_rows, text, unit, PayloadWriter,
};
use crate::verify::Check;
use crate::Store;
use chrono::NaiveDate;
use lingtan_core::calc::ActivityInput;
pub use lingtan_core::record::{ActivityRow, Status};
use lingtan_core::{Decimal, Unit};
use rusqlite::{params, Connection, Row};
use std::collections::BTreeMap;

/// A stored status of `field` (a versioned table's row).
pub(crate) fn parse_status(field: &'static str, text: &str) -> Result<Status> {
    Status::parse(text).ok_or_else(|| bad(field, text, "unknown status"))
}

/// An activity record to add.
#[derive(Debug, Clone, PartialEq)]
pub struct NewActivity {
    pub source_id: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub quantity: Decimal,
    pub unit: Unit,
    pub note: Option<String>,
    pub evidence_id: Option<i64>,
    pub reason: Option<String>,
    pub origin_ref: Option<String>,
    /// What the bill says besides the quantity (JSON object: peak, flat, valley, cost …).
    pub detail: Option<String>,
}

/// When a current record runs and what evidence it carries ([`Store::activity_covers`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityCover {
    pub id: i64,
    pub source_id: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub evidence_id: Option<i64>,
    pub batch_id: Option<i64>,
}

pub(crate) const SELECT: &str = "SELECT id, version, source_id, period_from, period_to, quantity, unit, note, evidence_id, reason, status, created_at, batch_id, origin_ref, detail FROM activity";

pub(crate) fn from_row(r: &Row<'_>) -> Result<ActivityRow> {
    let id: i64 = r.get(0)?;
    let version: u32 = r.get(1)?;
    (|| {
        let from = text(r, 3, "activity.period_from")?;
        let to = text(r, 4, "activity.period_to")?;
        let qty = text(r, 5, "activity.quantity")?;
        let u = text(r, 6, "activity.unit")?;
        let status = text(r, 10, "activity.status")?;
        Ok(ActivityRow {
            id,
            version,
            source_id: r.get(2)?,
            from: date("activity.period_from", &from)?,
            to: date("activity.period_to", &to)?,
            quantity: dec("activity.quantity", &qty)?,
            unit: unit("activity.unit", &u)?,
            note: opt_text(r, 7, "activity.note")?,
            evidence_id: r.get(8)?,
            reason: opt_text(r, 9, "activity.reason")?,
            status: Status::parse(&status)
                .ok_or_else(|| bad("activity.status", &status, "unknown status"))?,
            created_at: text(r, 11, "activity.created_at")?,
            batch_id: r.get(12)?,
            origin_ref: opt_text(r, 13, "activity.origin_ref")?,
            detail: opt_text(r, 14, "activity.detail")?,
        })
    })()
    .map_err(|e| in_record(e, || format!("activity #{id} v{version}")))
}

/// A record's audit payload: byte for byte [`payload_json`] (keys in order, nulls left out),
/// written directly — `audit --verify` and `dossier verify` make one for every record, and
/// going through a `serde_json::Value` was a sixth of the verification's time.
pub(crate) fn payload_of(a: &ActivityRow) -> String {
    let mut w = PayloadWriter::default();
    let quantity = a.quantity.to_string();
    // the keys in serde_json's order (sorted), as `payload_json` writes them
    let written = (|| -> serde_json::Result<()> {
        w.field("batch_id", a.batch_id.as_ref())?;
        w.field("created_at", Some(&a.created_at))?;
        w.field("detail", a.detail.as_ref())?;
        w.field("evidence_id", a.evidence_id.as_ref())?;
        w.field("from", Some(&a.from.to_string()))?;
        w.field("id", Some(&a.id))?;
        w.field("note", a.note.as_ref())?;
        w.field("origin_ref", a.origin_ref.as_ref())?;
        w.field("quantity", Some(&quantity))?;
        w.field("reason", a.reason.as_ref())?;
        w.field("source_id", Some(&a.source_id))?;
        w.field("status", Some(&a.status.code()))?;
        w.field("to", Some(&a.to.to_string()))?;
        w.field("unit", Some(&a.unit.code()))?;
        w.field("version", Some(&a.version))
    })();
    // not reached otherwise (serde_json writes UTF-8 to memory); the slow path's bytes
    w.finish(written).unwrap_or_else(|| payload_json(a))
}

/// A record's audit payload through a `serde_json::Value`: what [`payload_of`] must equal.
pub(crate) fn payload_json(a: &ActivityRow) -> String {
    payload_value(serde_json::json!({
        "id": a.id,
        "version": a.version,
        "source_id": a.source_id,
        "from": a.from.to_string(),
        "to": a.to.to_string(),
        "quantity": a.quantity.to_string(),
        "unit": a.unit.code(),
        "note": a.note,
        "evidence_id": a.evidence_id,
        "reason": a.reason,
        "status": a.status.code(),
        "created_at": a.created_at,
        "batch_id": a.batch_id,
        "origin_ref": a.origin_ref,
        "detail": a.detail,
    }))
}

/// Activity records and their import batches, checked in one pass over the records. A record
/// written by hand, corrected, voided or reverted on its own is checked against its own entry; a
/// row imported in a batch (version 1) that no entry names is covered by its batch's digest, and
/// its status must be the batch's (current, or void once the batch is undone). Not part of the
/// data fingerprint through this list: the records' share is the digest
/// [`Store::for_each_activity`] returns over the records of the year.
pub(crate) struct ActivityTable;

pub(crate) const TABLE: ActivityTable = ActivityTable;

impl AuditedTable for ActivityTable {
    fn verify(&self, conn: &Connection, check: &mut Check) -> Result<()> {
        let reverted = batch::reverted(conn)?;
        let mut batches: BTreeMap<i64, RowsDigest> = BTreeMap::new();
        let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY row_id"))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let a = match from_row(r) {
                Ok(a) => a,
                Err(e) => {
                    let (id, version): (i64, i64) = (r.get(0)?, r.get(1)?);
                    // still counted in its batch, whose digest then differs
                    if let (Some(batch), 1) = (r.get::<_, Option<i64>>(12)?, version) {
                        batches.entry(batch).or_default().add_unreadable();
                    }
                    check.unreadable(e, "activity", format!("{id}@{version}"))?;
                    continue;
                }
            };
            let key = format!("{}@{}", a.id, a.version);
            let place = format!("activity #{} v{}", a.id, a.version);
            match (a.batch_id, a.version) {
                (Some(batch), 1) if !check.logged("activity", &key) => {
                    batches.entry(batch).or_default().add(&a);
                    check.count();
                    let expected = if reverted.contains(&batch) {
                        Status::Void
                    } else {
                        Status::Current
                    };
                    if a.status != expected {
                        check.finding(
                            place,
                            "its status was changed outside Lingtan (no audit entry records it)"
                                .into(),
                            "其状态在 Lingtan 之外被修改（无审计日志记录）".into(),
                        );
                    }
                }
                (Some(batch), 1) => {
                    batches.entry(batch).or_default().add(&a);
                    check.compare("activity", key, place, payload_of(&a));
                }
                _ => check.compare("activity", key, place, payload_of(&a)),
            }
        }
        batch::verify(conn, batches, check)
    }

    fn fingerprint(&self, _: &Connection, _: &mut dyn FnMut(&str)) -> Result<()> {
        Ok(())
    }
}

/// Version 1 of a new record, made at `at` (in import batch `batch_id`, if any).
pub(crate) fn first_version(
    id: i64,
    new: &NewActivity,
    at: &str,
    batch_id: Option<i64>,
) -> ActivityRow {
    ActivityRow {
        id,
        version: 1,
        source_id: new.source_id,
        from: new.from,
        to: new.to,
        quantity: new.quantity,
        unit: new.unit,
        note: new.note.clone(),
        evidence_id: new.evidence_id,
        reason: new.reason.clone(),
        status: Status::Current,
        created_at: at.to_string(),
        batch_id,
        origin_ref: new.origin_ref.clone(),
        detail: new.detail.clone(),
    }
}

/// The number the next new record gets.
pub(crate) fn next_id(tx: &Connection) -> Result<i64> {
    Ok(
        tx.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM activity", [], |r| {
            r.get(0)
        })?,
    )
}

/// Write one version (its audit entry is the caller's: a batch logs a digest instead).
pub(crate) fn insert(tx: &Connection, row: &ActivityRow) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO activity (id, version, source_id, period_from, period_to, quantity, unit, note, evidence_id, reason, status, created_at, batch_id, origin_ref, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        row.id,
        row.version,
        row.source_id,
        row.from.to_string(),
        row.to.to_string(),
        row.quantity.to_string(),
        row.unit.code(),
        row.note,
        row.evidence_id,
        row.reason,
        row.status.code(),
        row.created_at,
        row.batch_id,
        row.origin_ref,
        row.detail,
    ])?;
    Ok(())
}

/// Log a version of a record under `action`.
fn log(
    tx: &Connection,
    audit: &mut AuditWriter,
    at: &str,
    action: &str,
    row: &ActivityRow,
) -> Result<()> {
    audit.append(
        tx,
        at,
        action,
        "activity",
        &format!("{}@{}", row.id, row.version),
        &payload_of(row),
    )?;
    Ok(())
}

/// Set the status of one version and log it with its content (`action`: supersede, revert).
pub(crate) fn set_status(
    tx: &Connection,
    audit: &mut AuditWriter,
    at: &str,
    action: &str,
    old: &ActivityRow,
    status: Status,
) -> Result<()> {
    tx.execute(
        "UPDATE activity SET status = ?3 WHERE id = ?1 AND version = ?2",
        params![old.id, old.version, status.code()],
    )?;
    log(
        tx,
        audit,
        at,
        action,
        &ActivityRow {
            status,
            ..old.clone()
        },
    )
}

impl Store {
    /// Add one activity record (version 1).
    pub fn add_activity(&mut self, new: &NewActivity, at: &str) -> Result<ActivityRow> {
        self.write(at, |tx, audit, at| {
            let row = first_version(next_id(tx)?, new, at, None);
            insert(tx, &row)?;
            log(tx, audit, at, "create", &row)?;
            Ok(row)
        })
    }

    /// The current version of a record.
    pub fn activity(&self, id: i64) -> Result<ActivityRow> {
        read_rows(
            &self.conn,
            &format!("{SELECT} WHERE id = ?1 ORDER BY version DESC LIMIT 1"),
            [id],
            from_row,
        )?
        .pop()
        .ok_or(StoreError::Missing {
            what: "activity",
            name: format!("#{id}"),
        })
    }

    /// Every version of a record, oldest first.
    pub fn activity_history(&self, id: i64) -> Result<Vec<ActivityRow>> {
        read_rows(
            &self.conn,
            &format!("{SELECT} WHERE id = ?1 ORDER BY version"),
            [id],
            from_row,
        )
    }

    /// The current records touching `from..=to`, with when they run and what evidence they
    /// carry but not their quantities, ordered as [`Store::activities`] orders them (source,
    /// first day, id): one pass over the table (a claim's months covered and evidence attached;
    /// reading every full record through the index took several times longer).
    pub fn activity_covers(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<ActivityCover>> {
        let mut stmt = self.conn.prepare_cached(
            // NOT INDEXED: as in `scan_activity`, a period touches most rows
            "SELECT id, version, source_id, period_from, period_to, evidence_id, batch_id FROM activity NOT INDEXED WHERE status = 'current' AND period_from <= ?2 AND period_to >= ?1",
        )?;
        let mut rows = stmt.query(params![from.to_string(), to.to_string()])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let version: u32 = r.get(1)?;
            let cover = (|| {
                let from = text(r, 3, "activity.period_from")?;
                let to = text(r, 4, "activity.period_to")?;
                Ok(ActivityCover {
                    id,
                    source_id: r.get(2)?,
                    from: date("activity.period_from", &from)?,
                    to: date("activity.period_to", &to)?,
                    evidence_id: r.get(5)?,
                    batch_id: r.get(6)?,
                })
            })()
            .map_err(|e| in_record(e, || format!("activity #{id} v{version}")))?;
            out.push(cover);
        }
        // stored days are YYYY-MM-DD: their order as dates is their order as text
        out.sort_by_key(|c| (c.source_id, c.from, c.id));
        Ok(out)
    }

    /// Current records, optionally of one source, ordered by source and period.
    pub fn activities(&self, source_id: Option<i64>) -> Result<Vec<ActivityRow>> {
        read_rows(
            &self.conn,
            &format!("{SELECT} WHERE status = 'current' AND (?1 IS NULL OR source_id = ?1) ORDER BY source_id, period_from, id"),
            [source_id],
            from_row,
        )
    }

    /// The current version of record `id`, or an error when it was superseded or voided.
    fn current_activity(&self, id: i64) -> Result<ActivityRow> {
        let old = self.activity(id)?;
        if old.status != Status::Current {
            return Err(StoreError::Missing {
                what: "activity",
                name: format!("#{id} (it is {})", old.status.code()),
            });
        }
        Ok(old)
    }

    /// Replace the current version of a record with a corrected one (a new version with a
    /// reason); the old version stays, marked superseded.
    pub fn correct_activity(
        &mut self,
        id: i64,
        corrected: &NewActivity,
        reason: &str,
        at: &str,
    ) -> Result<ActivityRow> {
        let old = self.current_activity(id)?;
        self.write(at, |tx, audit, at| {
            set_status(tx, audit, at, "supersede", &old, Status::Superseded)?;
            let row = ActivityRow {
                id,
                version: old.version + 1,
                source_id: corrected.source_id,
                from: corrected.from,
                to: corrected.to,
                quantity: corrected.quantity,
                unit: corrected.unit,
                note: corrected.note.clone(),
                evidence_id: corrected.evidence_id,
                reason: Some(reason.to_string()),
                status: Status::Current,
                created_at: at.to_string(),
                batch_id: old.batch_id,
                origin_ref: old.origin_ref.clone(),
                detail: corrected.detail.clone().or_else(|| old.detail.clone()),
            };
            insert(tx, &row)?;
            log(tx, audit, at, "correct", &row)?;
            Ok(row)
        })
    }

    /// Withdraw a record (kept, marked void, with the reason as a new version).
    pub fn void_activity(&mut self, id: i64, reason: &str, at: &str) -> Result<ActivityRow> {
        let old = self.current_activity(id)?;
        self.write(at, |tx, audit, at| {
            set_status(tx, audit, at, "supersede", &old, Status::Superseded)?;
            let row = ActivityRow {
                version: old.version + 1,
                reason: Some(reason.to_string()),
                status: Status::Void,
                created_at: at.to_string(),
                ..old.clone()
            };
            insert(tx, &row)?;
            log(tx, audit, at, "void", &row)?;
            Ok(row)
        })
    }

    /// Stream the current records touching `from..=to` into `f`, in storage order. Memory stays
    /// flat however many records there are. Returns how many were read and a SHA-256 over the
    /// fields of exactly those records (the data fingerprint's share of them).
    pub fn for_each_activity(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        mut f: impl FnMut(&ActivityInput),
    ) -> Result<(u64, String)> {
        let mut digest = sha2::Sha256::default();
        let count = self.scan_activity(from, to, |input, parts| {
            for part in parts {
                sha2::Digest::update(&mut digest, part);
                sha2::Digest::update(&mut digest, [0x1f]);
            }
            f(input);
        })?;
        Ok((count, hex(&sha2::Digest::finalize(digest))))
    }

    /// Stream the current records touching the years `from_year..=to_year` into `f` in one pass,
    /// each record once, in storage order. Returns, for each of those years that has records,
    /// how many touch it and the same SHA-256 [`Store::for_each_activity`] gives for that year
    /// (a year without records is absent: its count is 0 and its digest that of nothing,
    /// `sha256_hex(b"")`). Several years' inventories then cost one pass over the table.
    pub fn for_each_activity_by_year(
        &self,
        from_year: i32,
        to_year: i32,
        mut f: impl FnMut(&ActivityInput),
    ) -> Result<BTreeMap<i32, (u64, String)>> {
        use chrono::Datelike;
        let (Some(from), Some(to)) = (
            NaiveDate::from_ymd_opt(from_year, 1, 1),
            NaiveDate::from_ymd_opt(to_year, 12, 31),
        ) else {
            return Ok(BTreeMap::new());
        };
        let mut years: BTreeMap<i32, (u64, sha2::Sha256)> = BTreeMap::new();
        self.scan_activity(from, to, |input, parts| {
            let first = input.from.year().max(from_year);
            let last = input.to.year().min(to_year);
            for year in first..=last {
                let (count, digest) = years.entry(year).or_default();
                *count += 1;
                for part in &parts {
                    sha2::Digest::update(digest, part);
                    sha2::Digest::update(digest, [0x1f]);
                }
            }
            f(input);
        })?;
        Ok(years
            .into_iter()
            .map(|(y, (n, d))| (y, (n, hex(&sha2::Digest::finalize(d)))))
            .collect())
    }

    /// The pass both streams make: every current record touching `from..=to`, parsed, with the
    /// stored bytes of its fields as the fingerprint hashes them.
    fn scan_activity(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        mut on: impl FnMut(&ActivityInput, [&[u8]; 7]),
    ) -> Result<u64> {
        let mut stmt = self.conn.prepare_cached(
            // NOT INDEXED: a year touches most rows, and walking the (source, period) index
            // then fetching each row at random was 3x slower than one pass over the table
            "SELECT id, version, source_id, period_from, period_to, quantity, unit FROM activity NOT INDEXED WHERE status = 'current' AND period_from <= ?2 AND period_to >= ?1",
        )?;
        let mut rows = stmt.query(params![from.to_string(), to.to_string()])?;
        let mut units: Vec<(String, Unit)> = Vec::new();
        let mut count = 0;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let version: u32 = r.get(1)?;
            let source_id: i64 = r.get(2)?;
            let record = || format!("activity #{id} v{version}");
            let str_at = |i: usize, field: &'static str| -> Result<&str> {
                match r.get_ref(i)? {
                    rusqlite::types::ValueRef::Text(t) => std::str::from_utf8(t).map_err(|_| {
                        in_record(
                            bad(
                                field,
                                &String::from_utf8_lossy(t),
                                "it is not valid UTF-8 text",
                            ),
                            record,
                        )
                    }),
                    other => Err(in_record(
                        bad(field, &format!("{other:?}"), "it is not text"),
                        record,
                    )),
                }
            };
            let from_text = str_at(3, "activity.period_from")?;
            let to_text = str_at(4, "activity.period_to")?;
            let qty_text = str_at(5, "activity.quantity")?;
            let unit_text = str_at(6, "activity.unit")?;
            let u = match units.iter().find(|(t, _)| t == unit_text) {
                Some((_, u)) => *u,
                None => {
                    let u = unit("activity.unit", unit_text).map_err(|e| in_record(e, record))?;
                    units.push((unit_text.to_string(), u));
                    u
                }
            };
            let input = (|| {
                Ok(ActivityInput {
                    id,
                    version,
                    source_id,
                    from: date("activity.period_from", from_text)?,
                    to: date("activity.period_to", to_text)?,
                    quantity: dec("activity.quantity", qty_text)?,
                    unit: u,
                })
            })()
            .map_err(|e| in_record(e, record))?;
            on(
                &input,
                [
                    &id.to_le_bytes()[..],
                    &version.to_le_bytes(),
                    &source_id.to_le_bytes(),
                    from_text.as_bytes(),
                    to_text.as_bytes(),
                    qty_text.as_bytes(),
                    unit_text.as_bytes(),
                ],
            );
            count += 1;
        }
        Ok(count)
    }

    /// The current records of a source that carry a detail (a bill's cost, its peak / flat /
    /// valley quantities …), ordered by period: where the factory's own energy price comes from.
    pub fn activities_with_detail(&self, source_id: i64) -> Result<Vec<ActivityRow>> {
        read_rows(
            &self.conn,
            &format!("{SELECT} WHERE status = 'current' AND source_id = ?1 AND detail IS NOT NULL ORDER BY period_from, id"),
            [source_id],
            from_row,
        )
    }

    /// The first and last day the current activity records cover (`None` without records): how
    /// far a claim period may reach.
    pub fn activity_span(&self) -> Result<Option<(NaiveDate, NaiveDate)>> {
        let (from, to): (Option<String>, Option<String>) = self.conn.query_row(
            // NOT INDEXED: the index holds no period_to; walking it and fetching every row at
            // random took four times a plain pass
            "SELECT MIN(period_from), MAX(period_to) FROM activity NOT INDEXED WHERE status = 'current'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let day = |t: Option<String>| t.and_then(|t| t.parse::<NaiveDate>().ok());
        Ok(day(from).zip(day(to)))
    }

    /// Number of current activity records.
    pub fn activity_count(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM activity WHERE status = 'current'",
            [],
            |r| r.get(0),
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(text: Option<&str>, quantity: &str, status: Status) -> ActivityRow {
        ActivityRow {
            id: 12,
            version: 3,
            source_id: -7,
            from: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default(),
            to: NaiveDate::from_ymd_opt(2024, 12, 31).unwrap_or_default(),
            quantity: quantity.parse().unwrap_or_default(),
            unit: Unit::KWh,
            note: text.map(str::to_string),
            evidence_id: text.map(|_| 4),
            reason: text.map(|t| format!("{t}{t}")),
            status,
            created_at: "2025-03-15T09:00:00Z".into(),
            batch_id: text.map(|_| i64::MAX),
            origin_ref: text.map(|t| format!("Sheet1!B{}", t.len())),
            detail: text.map(|_| r#"{"cost":"12.30","peak":"1,000"}"#.to_string()),
        }
    }

    #[test]
    fn payload_written_directly_is_the_json_payload() {
        // the audit log holds the payloads of the slow path: a byte of difference would make
        // every record of every existing project a finding of `audit --verify`
        let texts = [
            None,
            Some(""),
            Some("plain"),
            Some("引号 \"quoted\" back\\slash / 斜线"),
            Some("controls \u{0} \u{1f} \n \r \t \u{8} \u{c} del \u{7f} é 😀"),
        ];
        for text in texts {
            for quantity in ["0", "-1.500", "12345678901234.000001", "1e3"] {
                for status in [Status::Current, Status::Superseded, Status::Void] {
                    let r = row(text, quantity, status);
                    assert_eq!(
                        payload_of(&r),
                        payload_json(&r),
                        "the direct payload must equal serde_json's for {r:?}"
                    );
                }
            }
        }
    }
}
