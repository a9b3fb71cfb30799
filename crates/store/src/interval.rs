//! Interval meter data at full resolution: one series per meter per import, one row per reading.
//! Each series is logged in the audit chain with a digest of its readings, so `verify` finds a
//! reading edited, added or deleted outside Lingtan.

use crate::audit::{hex, AuditWriter};
use crate::registry::AuditedTable;
use crate::value::{dec, lossy, lossy_text, payload_value};
use crate::verify::Check;
use crate::{Result, Store};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use lingtan_core::{Decimal, Unit};
use rusqlite::{params, Connection};
use serde::Serialize;
use std::fmt::Write as _;

/// One reading: the interval's start (local time), its value in the series' unit, and the
/// 0-based cell it came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoredReading {
    pub start: NaiveDateTime,
    pub value: Decimal,
    pub row: u32,
    pub col: u32,
}

/// A series to write. `readings` is walked once, while it is written.
pub struct NewSeries<'a> {
    pub source_id: i64,
    pub sheet: String,
    pub meter: Option<String>,
    pub unit: Unit,
    pub interval_minutes: u32,
    /// `beginning` or `ending`
    pub stamp: &'static str,
    /// `energy`, `register` or `demand`
    pub measure: &'static str,
    pub multiplier: Option<Decimal>,
    pub readings: Box<dyn Iterator<Item = StoredReading> + 'a>,
}

/// A stored series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesInfo {
    pub id: i64,
    pub batch_id: i64,
    pub source_id: i64,
    pub sheet: String,
    pub meter: Option<String>,
    pub unit: String,
    pub interval_minutes: u32,
    pub stamp: String,
    pub measure: String,
    pub multiplier: Option<String>,
    pub readings: i64,
    /// Whether its import batch was undone.
    pub reverted: bool,
}

fn epoch() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .unwrap_or_default()
        .and_time(NaiveTime::MIN)
}

/// Minutes since 1970-01-01 00:00, local time.
pub(crate) fn minutes(at: NaiveDateTime) -> i64 {
    (at - epoch()).num_minutes()
}

fn from_minutes(m: i64) -> NaiveDateTime {
    epoch() + chrono::Duration::minutes(m)
}

/// What a reading contributes to its series digest: its position in the series, start, row and
/// column as little-endian integers, then its value's text and a separator.
fn digest_reading(
    digest: &mut sha2::Sha256,
    seq: i64,
    start: i64,
    value: &str,
    row: i64,
    col: i64,
) {
    let mut fixed = [0u8; 32];
    fixed[..8].copy_from_slice(&seq.to_le_bytes());
    fixed[8..16].copy_from_slice(&start.to_le_bytes());
    fixed[16..24].copy_from_slice(&row.to_le_bytes());
    fixed[24..].copy_from_slice(&col.to_le_bytes());
    sha2::Digest::update(digest, fixed);
    sha2::Digest::update(digest, value.as_bytes());
    sha2::Digest::update(digest, [0x1f]);
}

#[allow(clippy::too_many_arguments)]
fn series_payload(
    id: i64,
    batch_id: i64,
    source_id: i64,
    sheet: &str,
    meter: Option<&str>,
    unit: &str,
    interval_minutes: i64,
    stamp: &str,
    measure: &str,
    multiplier: Option<&str>,
    readings: i64,
    digest: &str,
) -> String {
    payload_value(serde_json::json!({
        "id": id,
        "batch_id": batch_id,
        "source_id": source_id,
        "sheet": sheet,
        "meter": meter,
        "unit": unit,
        "interval_minutes": interval_minutes,
        "stamp": stamp,
        "measure": measure,
        "multiplier": multiplier,
        "readings": readings,
        "digest": digest,
    }))
}

/// Write the series of a batch (inside its transaction), one audit entry per series.
pub(crate) fn insert_series(
    tx: &Connection,
    audit: &mut AuditWriter,
    at: &str,
    batch: i64,
    series: Vec<NewSeries<'_>>,
) -> Result<()> {
    // readings go in BATCH rows per statement (one statement step per reading costs a third
    // more), the rest one by one
    const BATCH: usize = 64;
    let mut one = tx.prepare(
        "INSERT INTO interval_reading (id, series_id, start, value, row, col) VALUES (?, ?, ?, ?, ?, ?)",
    )?;
    let many_sql = format!(
        "INSERT INTO interval_reading (id, series_id, start, value, row, col) VALUES {}",
        vec!["(?, ?, ?, ?, ?, ?)"; BATCH].join(", ")
    );
    let mut many = tx.prepare(&many_sql)?;
    let mut pending: Vec<(i64, String, u32, u32)> =
        (0..BATCH).map(|_| (0, String::new(), 0, 0)).collect();
    let mut next_id: i64 = tx.query_row(
        "SELECT COALESCE(MAX(id), 0) + 1 FROM interval_reading",
        [],
        |r| r.get(0),
    )?;
    for s in series {
        tx.execute(
            "INSERT INTO interval_series (batch_id, source_id, sheet, meter, unit, interval_minutes, stamp, measure, multiplier, first_id, readings) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0)",
            params![batch, s.source_id, s.sheet, s.meter, s.unit.code(), s.interval_minutes, s.stamp, s.measure, s.multiplier.map(|m| m.to_string()), next_id],
        )?;
        let id = tx.last_insert_rowid();
        let mut digest = sha2::Sha256::default();
        let mut n: i64 = 0;
        let mut held = 0usize;
        // raw binding: this runs once per reading (700,800 for a year of 20 meters)
        let flush =
            |stmt: &mut rusqlite::Statement<'_>, rows: &[(i64, String, u32, u32)], first: i64| {
                for (k, (start, value, row, col)) in rows.iter().enumerate() {
                    let p = k * 6;
                    stmt.raw_bind_parameter(p + 1, first + k as i64)?;
                    stmt.raw_bind_parameter(p + 2, id)?;
                    stmt.raw_bind_parameter(p + 3, *start)?;
                    stmt.raw_bind_parameter(p + 4, value.as_str())?;
                    stmt.raw_bind_parameter(p + 5, *row)?;
                    stmt.raw_bind_parameter(p + 6, *col)?;
                }
                stmt.raw_execute().map(|_| ())
            };
        for r in s.readings {
            let start = minutes(r.start);
            let slot = &mut pending[held];
            slot.0 = start;
            slot.1.clear();
            let _ = write!(slot.1, "{}", r.value);
            slot.2 = r.row;
            slot.3 = r.col;
            digest_reading(
                &mut digest,
                n,
                start,
                &slot.1,
                i64::from(r.row),
                i64::from(r.col),
            );
            held += 1;
            n += 1;
            if held == BATCH {
                flush(&mut many, &pending, next_id)?;
                next_id += BATCH as i64;
                held = 0;
            }
        }
        for k in 0..held {
            flush(&mut one, &pending[k..=k], next_id)?;
            next_id += 1;
        }
        tx.execute(
            "UPDATE interval_series SET readings = ?2 WHERE id = ?1",
            params![id, n],
        )?;
        let digest = hex(&sha2::Digest::finalize(digest));
        let p = series_payload(
            id,
            batch,
            s.source_id,
            &s.sheet,
            s.meter.as_deref(),
            s.unit.code(),
            i64::from(s.interval_minutes),
            s.stamp,
            s.measure,
            s.multiplier.map(|m| m.to_string()).as_deref(),
            n,
            &digest,
        );
        audit.append(tx, at, "create", "interval_series", &id.to_string(), &p)?;
    }
    Ok(())
}

/// Audited: each series against the digest of its readings in its entry; readings no series
/// claims are named too. Not part of the data fingerprint (the monthly roll-ups, ordinary
/// activity records, are).
pub(crate) struct IntervalTable;

pub(crate) const TABLE: IntervalTable = IntervalTable;

impl AuditedTable for IntervalTable {
    fn verify(&self, conn: &Connection, check: &mut Check) -> Result<()> {
        let (series, unclaimed) = series_payloads(conn)?;
        for (id, actual) in series {
            check.compare(
                "interval_series",
                id.to_string(),
                format!("interval series #{id}"),
                actual,
            );
        }
        if unclaimed > 0 {
            check.finding(
                "interval readings".into(),
                format!("{unclaimed} reading(s) belong to no imported series: they were added outside Lingtan"),
                format!("{unclaimed} 条读数不属于任何已导入的序列：在 Lingtan 之外被添加"),
            );
        }
        Ok(())
    }

    fn fingerprint(&self, _: &Connection, _: &mut dyn FnMut(&str)) -> Result<()> {
        Ok(())
    }
}

/// Every stored series as the audit log would record it now: (id, payload). Reads all readings.
fn series_payloads(conn: &Connection) -> Result<(Vec<(i64, String)>, i64)> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare("SELECT id, batch_id, source_id, sheet, meter, unit, interval_minutes, stamp, measure, multiplier, readings, first_id FROM interval_series ORDER BY id")?;
    // every reading row whose id falls in the series' range: a row added inside the range,
    // removed from it, or moved to another series changes the digest
    let mut readings = conn.prepare(
        "SELECT id, series_id, start, value, row, col FROM interval_reading WHERE id >= ?1 AND id < ?2 ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut claimed: i64 = 0;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let declared: i64 = r.get(10)?;
        let first: i64 = r.get(11)?;
        let mut digest = sha2::Sha256::default();
        let mut rr = readings.query([first, first + declared])?;
        let mut expected_id = first;
        while let Some(x) = rr.next()? {
            let (rid, sid): (i64, i64) = (x.get(0)?, x.get(1)?);
            // a gap in the ids (a deleted reading) or a foreign row breaks the sequence
            let seq = if rid == expected_id && sid == id {
                rid - first
            } else {
                -1
            };
            expected_id = rid + 1;
            let value = lossy_text(x, 3)?;
            digest_reading(&mut digest, seq, x.get(2)?, &value, x.get(4)?, x.get(5)?);
            claimed += 1;
        }
        let digest = hex(&sha2::Digest::finalize(digest));
        out.push((
            id,
            series_payload(
                id,
                r.get(1)?,
                r.get(2)?,
                &lossy_text(r, 3)?,
                lossy(r, 4)?.as_deref(),
                &lossy_text(r, 5)?,
                r.get(6)?,
                &lossy_text(r, 7)?,
                &lossy_text(r, 8)?,
                lossy(r, 9)?.as_deref(),
                declared,
                &digest,
            ),
        ));
    }
    // readings that no series claims (added outside Lingtan past every range)
    let total: i64 = conn.query_row("SELECT COUNT(*) FROM interval_reading", [], |r| r.get(0))?;
    Ok((out, total - claimed))
}

impl Store {
    /// The stored interval series (of every batch, undone ones marked), optionally of one source.
    pub fn interval_series(&self, source_id: Option<i64>) -> Result<Vec<SeriesInfo>> {
        let mut stmt = self.conn.prepare(
            "SELECT s.id, s.batch_id, s.source_id, s.sheet, s.meter, s.unit, s.interval_minutes, s.stamp, s.measure, s.multiplier, s.readings, b.reverted_at IS NOT NULL FROM interval_series s JOIN import_batch b ON b.id = s.batch_id WHERE ?1 IS NULL OR s.source_id = ?1 ORDER BY s.id",
        )?;
        let rows = stmt.query_map([source_id], |r| {
            Ok(SeriesInfo {
                id: r.get(0)?,
                batch_id: r.get(1)?,
                source_id: r.get(2)?,
                sheet: r.get(3)?,
                meter: r.get(4)?,
                unit: r.get(5)?,
                interval_minutes: r.get(6)?,
                stamp: r.get(7)?,
                measure: r.get(8)?,
                multiplier: r.get(9)?,
                readings: r.get(10)?,
                reverted: r.get(11)?,
            })
        })?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    /// Walk a series' readings in order.
    pub fn for_each_reading(&self, series_id: i64, mut f: impl FnMut(StoredReading)) -> Result<()> {
        let (first, n): (i64, i64) = self.conn.query_row(
            "SELECT first_id, readings FROM interval_series WHERE id = ?1",
            [series_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mut stmt = self.conn.prepare(
            "SELECT start, value, row, col FROM interval_reading WHERE id >= ?1 AND id < ?2 ORDER BY id",
        )?;
        let mut rows = stmt.query([first, first + n])?;
        while let Some(r) = rows.next()? {
            let value: String = r.get(1)?;
            f(StoredReading {
                start: from_minutes(r.get(0)?),
                value: dec("interval_reading.value", &value)?,
                row: r.get(2)?,
                col: r.get(3)?,
            });
        }
        Ok(())
    }
}
