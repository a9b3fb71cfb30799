//! Interval meter exports: the energy-management system's 15-minute data, the PV inverter's
//! export, the utility's load curve. Two layouts:
//! - **long**: one reading per row — a timestamp, optionally a meter, and a value;
//! - **wide**: one day per row — a date and 24, 48, 96 (or 288) columns headed `00:15`…`24:00`,
//!   `00:00`…`23:45`, `1`…`96` or `0:00-0:15`.
//!
//! Values are energy per interval, cumulative register readings (表码 / 示数, turned into
//! consumption with the multiplier 倍率), or demand in kW (turned into energy with the interval
//! length, or refused when that length is unknown). Interval-ending timestamps (a file whose first
//! reading is 00:15 and whose last is 00:00 of the next day) are detected and stated; the user can
//! override. Gaps, duplicates and daylight-saving repeats are reported.
//!
//! The reader is pushed one row at a time ([`IntervalReader::row`]), so a 700,800-row export is
//! never held as a sheet: only the readings (40 bytes each) are kept.

use crate::issue::ImportIssue;
use crate::read::{a1, column_letters, Value};
use crate::text::{self, header_parts, Number};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};
use lingtan_core::error::{Field, Words};
use lingtan_core::words;
use lingtan_core::{Severity, Unit};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// How a file's timestamps mark their interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stamp {
    /// `00:00` is the reading for 00:00–00:15.
    Beginning,
    /// `00:15` is the reading for 00:00–00:15; `00:00` closes the previous day.
    Ending,
}

impl Stamp {
    pub fn parse(text: &str) -> Option<Stamp> {
        match text.trim().to_ascii_lowercase().as_str() {
            "beginning" | "begin" | "start" | "starting" => Some(Stamp::Beginning),
            "ending" | "end" | "ending-time" => Some(Stamp::Ending),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Stamp::Beginning => "beginning",
            Stamp::Ending => "ending",
        }
    }
}

/// What the values are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    /// Energy (or volume) per interval.
    Energy,
    /// Cumulative register readings (表码 / 示数).
    Register,
    /// Average demand over each interval (kW).
    Demand,
}

/// Options a user can give.
#[derive(Debug, Clone, Default)]
pub struct IntervalOptions {
    /// Only this sheet.
    pub sheet: Option<String>,
    /// Override the detected timestamp convention.
    pub stamp: Option<Stamp>,
    /// The unit when the file does not say (the source's unit).
    pub default_unit: Option<Unit>,
    /// The register multiplier (倍率) when the file does not say, or to override it. Refused
    /// when the file holds several meters (each has its own: see `multipliers`).
    pub multiplier: Option<Decimal>,
    /// Each meter's register multiplier (综合倍率), by the meter's name in the file.
    pub multipliers: Vec<(String, Decimal)>,
}

/// A column as mapped.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntervalColumn {
    /// `time`, `date`, `meter`, `value`, `multiplier`, `slots`, `total`
    pub role: &'static str,
    /// Column letters (`C`, or `B:CS` for the slots).
    pub column: String,
    pub header: String,
}

/// The detected layout of one sheet, shown before anything is written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntervalMapping {
    pub sheet: String,
    /// 1-based header row.
    pub header_row: u32,
    /// `long` or `wide`
    pub layout: &'static str,
    pub columns: Vec<IntervalColumn>,
    pub measure: Measure,
    /// The unit of the stored readings (energy).
    pub unit: Option<String>,
    pub interval_minutes: Option<u32>,
    pub stamp: Option<Stamp>,
    /// Why that convention: detected from the first and last timestamps, from the header, or
    /// set by the user (in English, and in Chinese).
    pub stamp_reason: String,
    pub stamp_reason_zh: String,
    pub multiplier: Option<Decimal>,
    /// Each meter's multiplier, when the file holds several meters of register readings.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub multipliers: BTreeMap<String, Decimal>,
    pub meters: Vec<String>,
    /// Start of the first interval and end of the last.
    pub first: Option<NaiveDateTime>,
    pub last: Option<NaiveDateTime>,
    pub readings: u64,
}

/// One reading at full resolution: the interval's start, the energy in it, and the cell it
/// came from (0-based row and column).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    pub start: NaiveDateTime,
    pub value: Decimal,
    pub row: u32,
    pub col: u32,
}

/// One meter's readings, sorted by start.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub sheet: String,
    /// The meter as the file names it; None when the file has one unnamed meter.
    pub meter: Option<String>,
    pub unit: Unit,
    pub interval_minutes: u32,
    pub stamp: Stamp,
    pub measure: Measure,
    pub multiplier: Option<Decimal>,
    pub readings: Vec<Reading>,
    /// The readings summed per calendar month (made once with the series: see
    /// [`Series::monthly`]).
    pub months: Vec<MonthRollup>,
}

/// A series' readings in one calendar month (by interval start).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthRollup {
    pub year: i32,
    pub month: u32,
    pub first: NaiveDateTime,
    /// Start of the last interval.
    pub last: NaiveDateTime,
    #[serde(with = "rust_decimal::serde::str")]
    pub total: Decimal,
    pub readings: u32,
    /// Intervals in the whole month.
    pub expected: u32,
    /// 1-based rows of the first and last reading.
    pub first_row: u32,
    pub last_row: u32,
}

impl Series {
    /// Sum per calendar month, by interval start: with interval-ending stamps the 00:00 reading
    /// of the 1st counts in the month before.
    pub fn monthly(&self) -> Vec<MonthRollup> {
        self.months.clone()
    }
}

/// Readings (in time order) summed per calendar month.
fn rollup(readings: &[Reading], interval_minutes: u32) -> Vec<MonthRollup> {
    let mut out: Vec<MonthRollup> = Vec::new();
    for r in readings {
        let (y, m) = (r.start.year(), r.start.month());
        match out.last_mut() {
            Some(last) if last.year == y && last.month == m => {
                last.total += r.value;
                last.readings += 1;
                last.last = r.start;
                last.first_row = last.first_row.min(r.row + 1);
                last.last_row = last.last_row.max(r.row + 1);
            }
            _ => {
                let (a, b) = text::month_bounds(y, m);
                let days = (b - a).num_days() as u32 + 1;
                out.push(MonthRollup {
                    year: y,
                    month: m,
                    first: r.start,
                    last: r.start,
                    total: r.value,
                    readings: 1,
                    expected: days * 1440 / interval_minutes.max(1),
                    first_row: r.row + 1,
                    last_row: r.row + 1,
                })
            }
        }
    }
    out
}

/// What reading the intervals found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Intervals {
    pub mappings: Vec<IntervalMapping>,
    pub series: Vec<Series>,
    pub issues: Vec<ImportIssue>,
    /// Data rows (or cells, for the wide layout) that had an error.
    pub rejected: u32,
}

// ------------------------------------------------------------------------------------ headers

const TIME_NAMES: &[&str] = &[
    "时间",
    "时间戳",
    "时刻",
    "采集时间",
    "数据时间",
    "抄表时间",
    "日期时间",
    "记录时间",
    "开始时间",
    "起始时间",
    "结束时间",
    "截止时间",
    "time",
    "timestamp",
    "datetime",
    "date/time",
    "date time",
    "interval start",
    "interval end",
    "start time",
    "end time",
    "reading time",
];
const DATE_NAMES: &[&str] = &["日期", "数据日期", "采集日期", "date", "day"];
const METER_NAMES: &[&str] = &[
    "表计",
    "电表",
    "电能表",
    "资产编号",
    "表计编号",
    "表号",
    "设备",
    "设备名称",
    "设备编号",
    "逆变器",
    "计量点",
    "回路",
    "测点",
    "户号",
    "meter",
    "meter id",
    "device",
    "inverter",
    "channel",
    "point",
    "circuit",
];
const REGISTER_NAMES: &[&str] = &[
    "表码",
    "示数",
    "读数",
    "止码",
    "表底",
    "正向有功总示数",
    "正向有功总",
    "示值",
    "示度",
    "累计电量",
    "register",
    "reading",
    "meter reading",
    "cumulative",
    "index",
];
const DEMAND_NAMES: &[&str] = &[
    "功率",
    "有功功率",
    "负荷",
    "需量",
    "平均功率",
    "demand",
    "power",
    "load",
    "active power",
];
const ENERGY_NAMES: &[&str] = &[
    "电量",
    "用电量",
    "有功电量",
    "正向有功电量",
    "发电量",
    "上网电量",
    "用量",
    "用气量",
    "数值",
    "值",
    "energy",
    "consumption",
    "generation",
    "value",
    "kwh",
    "usage",
];
const MULTIPLIER_NAMES: &[&str] = &["倍率", "综合倍率", "multiplier", "ratio", "ct ratio"];

/// Reactive energy (无功) and energy exported to the grid (反向): never the consumption.
fn not_consumption(name: &str) -> bool {
    name.contains("反向") || name.contains("无功") || {
        let lower = name.to_lowercase();
        lower.contains("reactive") || lower.contains("export") || lower.contains("kvarh")
    }
}

/// The export register or energy (反向有功): kept apart from the consumption, and said.
fn is_export(name: &str) -> bool {
    name.contains("反向有功") || {
        let lower = name.to_lowercase();
        lower.contains("export") && !lower.contains("reactive")
    }
}

fn matches_name(name: &str, names: &[&str]) -> bool {
    let lower = name.to_lowercase();
    names.contains(&lower.as_str())
        || names
            .iter()
            .any(|n| !n.is_ascii() && n.chars().count() >= 2 && lower.contains(n))
}

fn is_total_label(v: &Value) -> bool {
    text::total_label(v).is_some()
}

/// A meter's name as the cell shows it, without allocating for text cells.
fn meter_text(v: &Value) -> std::borrow::Cow<'_, str> {
    match v {
        Value::Text(t) => std::borrow::Cow::Borrowed(t.trim()),
        Value::Empty => std::borrow::Cow::Borrowed(""),
        other => std::borrow::Cow::Owned(other.display()),
    }
}

/// A unit and whether it is a power (demand) unit: kW → (kWh, demand).
fn is_money(u: Unit) -> bool {
    u.dimension() == lingtan_core::units::Dimension::Money
}

fn unit_of(text: &str) -> Option<(Unit, bool)> {
    let t = text::halfwidth(text).trim().to_lowercase();
    match t.as_str() {
        "kw" | "千瓦" => return Some((Unit::KWh, true)),
        "mw" | "兆瓦" => return Some((Unit::MWh, true)),
        _ => {}
    }
    text::unit(&t).map(|u| (u, false))
}

/// A unit written in a title row above the header: `主厂区总表 有功电量 (kWh) 2024年6月`.
fn unit_in_title(rows: &[(u32, u32, Vec<Value>)]) -> Option<(Unit, bool)> {
    for (_, _, cells) in rows {
        for v in cells {
            if let Value::Text(t) = v {
                let t = text::halfwidth(t);
                for (open, close) in [('(', ')'), ('[', ']'), ('【', '】')] {
                    if let (Some(a), Some(b)) = (t.find(open), t.find(close)) {
                        if a < b {
                            if let Some(u) = unit_of(&t[a + open.len_utf8()..b]) {
                                return Some(u);
                            }
                        }
                    }
                }
            }
        }
    }
    None
}

/// A multiplier written in a title row: `倍率：80`, `倍率 80`, `CT倍率=200`.
fn multiplier_in_title(rows: &[(u32, u32, Vec<Value>)]) -> Option<Decimal> {
    for (_, _, cells) in rows {
        for (i, v) in cells.iter().enumerate() {
            let Value::Text(t) = v else { continue };
            let t = text::halfwidth(t);
            let Some(at) = t.find("倍率") else { continue };
            let rest = t[at + "倍率".len()..].trim_start_matches([':', '=', ' ', '：']);
            let digits: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            if let Ok(d) = digits.parse::<Decimal>() {
                return Some(d);
            }
            // the value in the next cell
            if let Some(Number::Value(d, _)) = cells.get(i + 1).map(text::number) {
                return Some(d);
            }
        }
    }
    None
}

/// A time-of-day header label in minutes: `00:15` → 15, `24:00` → 1440, a time-formatted cell.
fn clock_minutes(v: &Value) -> Option<u32> {
    match v {
        Value::DateTime(d) => {
            // a time-only cell reads as a date-time on Excel's day 0 or 1
            (d.date().year() <= 1900).then(|| {
                let secs = d.time().num_seconds_from_midnight() + 30;
                let m = secs / 60;
                if d.date().day() >= 1 && d.date().year() == 1900 && m == 0 {
                    1440
                } else {
                    m
                }
            })
        }
        Value::Text(t) => {
            let t = text::halfwidth(t);
            let t = t.trim();
            let (h, m) = t.split_once(':')?;
            let (h, m): (u32, u32) = (h.trim().parse().ok()?, m.trim().get(..2)?.parse().ok()?);
            (h <= 24 && m < 60 && h * 60 + m <= 1440).then_some(h * 60 + m)
        }
        _ => None,
    }
}

/// What a wide header's time columns say about a slot.
#[derive(Clone, Copy, PartialEq)]
enum Label {
    Clock(u32),
    Index(u32),
    Range(u32, u32),
}

fn slot_label(v: &Value) -> Option<Label> {
    if let Value::Number(n) = v {
        if n.fract().is_zero() && *n >= Decimal::ONE && *n <= Decimal::from(288) {
            return n.trunc().to_string().parse().ok().map(Label::Index);
        }
        return None;
    }
    if let Value::Text(t) = v {
        let t = text::halfwidth(t);
        let t = t.trim();
        if let Ok(i) = t.parse::<u32>() {
            return (1..=288).contains(&i).then_some(Label::Index(i));
        }
        for sep in ["-", "~", "～", "—", "–", "至"] {
            if let Some((a, b)) = t.split_once(sep) {
                let a = clock_minutes(&Value::Text(a.into()))?;
                let b = clock_minutes(&Value::Text(b.into()))?;
                return Some(Label::Range(a, b));
            }
        }
    }
    clock_minutes(v).map(Label::Clock)
}

/// A wide header: the slot columns (first index, count), the interval, and the stamp the labels
/// imply (None for index labels and ranges, which are unambiguous).
fn wide_slots(cells: &[Value]) -> Option<(usize, usize, u32, Option<Stamp>)> {
    let labels: Vec<Option<Label>> = cells.iter().map(slot_label).collect();
    let mut c = 0;
    while c < labels.len() {
        if labels[c].is_none() {
            c += 1;
            continue;
        }
        let start = c;
        while c < labels.len() && labels[c].is_some() {
            c += 1;
        }
        let run: Vec<Label> = labels[start..c].iter().flatten().copied().collect();
        for n in [288usize, 96, 48, 24] {
            if run.len() < n {
                continue;
            }
            let step = 1440 / n as u32;
            let run = &run[..n];
            let all =
                |f: &dyn Fn(usize, Label) -> bool| run.iter().enumerate().all(|(k, l)| f(k, *l));
            let k32 = |k: usize| k as u32;
            if all(&|k, l| l == Label::Index(k32(k) + 1)) {
                return Some((start, n, step, None));
            }
            if all(&|k, l| {
                l == Label::Range(k32(k) * step, (k32(k) + 1) * step)
                    || (k == n - 1 && l == Label::Range(k32(k) * step, 0))
            }) {
                return Some((start, n, step, None));
            }
            if all(&|k, l| l == Label::Clock((k32(k) + 1) * step)) {
                return Some((start, n, step, Some(Stamp::Ending)));
            }
            if all(&|k, l| l == Label::Clock(k32(k) * step)) {
                return Some((start, n, step, Some(Stamp::Beginning)));
            }
        }
    }
    None
}

/// A timestamp from a cell: a date-time (rounded to the minute), an Excel serial with a
/// fraction, or text such as `2024-06-01 00:15`, `2024/6/1 0:15:00`, `2024年6月1日 00:15`,
/// `2024-06-01T00:15`; `24:00` is the next day's 00:00.
pub fn timestamp(v: &Value) -> Option<NaiveDateTime> {
    match v {
        Value::DateTime(d) => Some(round_minute(*d)),
        Value::Number(n) => {
            // an Excel serial date-time: days since 1899-12-30, the fraction is the time
            if *n < Decimal::from(20_000) || *n > Decimal::from(80_000) {
                return None;
            }
            let minutes = (*n * Decimal::from(1440)).round();
            let minutes: i64 = minutes.to_string().parse().ok()?;
            let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_time(NaiveTime::MIN);
            epoch.checked_add_signed(Duration::minutes(minutes))
        }
        Value::Text(t) => {
            let t = text::halfwidth(t);
            let nums = text::numbers(&t);
            if nums.len() < 5 || nums.len() > 6 || nums[0] < 1900 {
                return None;
            }
            let date = NaiveDate::from_ymd_opt(
                i32::try_from(nums[0]).ok()?,
                u32::try_from(nums[1]).ok()?,
                u32::try_from(nums[2]).ok()?,
            )?;
            let (h, m) = (nums[3], nums[4]);
            let s = nums.get(5).copied().unwrap_or(0);
            if h == 24 && m == 0 && s == 0 {
                return date.succ_opt().map(|d| d.and_time(NaiveTime::MIN));
            }
            let time = NaiveTime::from_hms_opt(
                u32::try_from(h).ok()?,
                u32::try_from(m).ok()?,
                u32::try_from(s).ok()?,
            )?;
            Some(round_minute(date.and_time(time)))
        }
        _ => None,
    }
}

fn round_minute(d: NaiveDateTime) -> NaiveDateTime {
    let secs = d.time().second() as i64;
    let nanos = d.time().nanosecond() as i64;
    let base = d - Duration::seconds(secs) - Duration::nanoseconds(nanos);
    if secs >= 30 {
        base + Duration::minutes(1)
    } else {
        base
    }
}

fn minute_of_day(d: NaiveDateTime) -> u32 {
    d.time().hour() * 60 + d.time().minute()
}

// ------------------------------------------------------------------------------------- reader

#[derive(Debug, Clone, Copy)]
enum Layout {
    Long {
        time: usize,
        meter: Option<usize>,
        value: usize,
        multiplier: Option<usize>,
        /// The header says whether its times start or end the interval.
        header_stamp: Option<Stamp>,
    },
    Wide {
        date: usize,
        meter: Option<usize>,
        first_slot: usize,
        slots: usize,
        interval: u32,
        total: Option<usize>,
        header_stamp: Option<Stamp>,
    },
}

#[derive(Debug, Clone)]
struct Detected {
    header_row: u32,
    col0: u32,
    layout: Layout,
    headers: Vec<String>,
    measure: Measure,
    unit: Option<(Unit, bool)>,
    multiplier: Option<Decimal>,
    /// The export register (反向有功总), kept apart.
    export: Option<usize>,
    /// A unit written in the value column's header that Lingtan cannot read.
    unit_unknown: Option<(usize, String)>,
}

/// Whether the cells of column `c` below the header are date-times on a regular sub-daily grid
/// (a time column whatever its header says: the State Grid export heads it 日期).
fn holds_times(below: &[(u32, u32, Vec<Value>)], c: usize) -> bool {
    let mut stamps: Vec<NaiveDateTime> = Vec::new();
    for (_, _, r) in below.iter().take(12) {
        match r.get(c) {
            Some(v) if v.is_empty() => continue,
            None => continue,
            Some(v) => match timestamp(v) {
                Some(t) => stamps.push(t),
                None => return false,
            },
        }
    }
    if stamps.len() < 2 || !stamps.iter().all(|t| t.minute() % 5 == 0) {
        return false;
    }
    stamps.sort();
    stamps.dedup();
    let step = stamps
        .windows(2)
        .map(|w| (w[1] - w[0]).num_minutes())
        .min()
        .unwrap_or(0);
    step > 0 && step <= 60 && 1440 % step == 0
}

/// Find the layout in the first rows of a sheet.
fn detect(rows: &[(u32, u32, Vec<Value>)]) -> Option<Detected> {
    for (i, (row, col0, cells)) in rows.iter().enumerate() {
        let headers: Vec<String> = cells.iter().map(Value::display).collect();
        let title = &rows[..i];
        // wide: ≥ 24 time columns in sequence, a date column before them
        if let Some((first_slot, slots, interval, header_stamp)) = wide_slots(cells) {
            let date = (0..first_slot)
                .find(|c| matches_name(&header_parts(&headers[*c]).0, DATE_NAMES))
                .or_else(|| {
                    // the column whose next cell is a date
                    (0..first_slot).find(|c| {
                        rows.get(i + 1).is_some_and(|(_, _, next)| {
                            next.get(*c).and_then(text::period).is_some()
                        })
                    })
                })?;
            let meter = (0..cells.len())
                .filter(|c| *c != date && !(first_slot..first_slot + slots).contains(c))
                .find(|c| matches_name(&header_parts(&headers[*c]).0, METER_NAMES));
            let total = (first_slot + slots..cells.len()).find(|c| is_total_label(&cells[*c]));
            let unit = headers
                .iter()
                .find_map(|h| header_parts(h).1.and_then(|u| unit_of(&u)))
                .or_else(|| unit_in_title(title));
            let measure = if unit.is_some_and(|u| u.1) {
                Measure::Demand
            } else {
                Measure::Energy
            };
            return Some(Detected {
                header_row: *row,
                col0: *col0,
                layout: Layout::Wide {
                    date,
                    meter,
                    first_slot,
                    slots,
                    interval,
                    total,
                    header_stamp,
                },
                headers,
                measure,
                unit,
                multiplier: multiplier_in_title(title),
                export: None,
                unit_unknown: None,
            });
        }
        // long: a time column and a value column, and the data below has times of day; a column
        // of date-times is the time column whatever its header says
        let time = headers
            .iter()
            .position(|h| matches_name(&header_parts(h).0, TIME_NAMES))
            .or_else(|| {
                (0..headers.len())
                    .find(|c| !headers[*c].is_empty() && holds_times(&rows[i + 1..], *c))
            });
        let Some(time) = time else { continue };
        let value_unit = |h: &str| header_parts(h).1.and_then(|u| unit_of(&u));
        let candidate = |c: usize, h: &str| {
            c != time && !not_consumption(h) && value_unit(h).is_none_or(|u| !is_money(u.0))
        };
        let pick = |names: &[&str]| {
            headers
                .iter()
                .enumerate()
                .position(|(c, h)| candidate(c, h) && matches_name(&header_parts(h).0, names))
        };
        let register = pick(REGISTER_NAMES);
        let demand = pick(DEMAND_NAMES).or_else(|| {
            headers
                .iter()
                .enumerate()
                .position(|(c, h)| candidate(c, h) && value_unit(h).is_some_and(|u| u.1))
        });
        let energy = pick(ENERGY_NAMES).or_else(|| {
            headers
                .iter()
                .enumerate()
                .position(|(c, h)| candidate(c, h) && value_unit(h).is_some_and(|u| !u.1))
        });
        let (value, measure) = match (register, demand, energy) {
            (Some(c), _, _) => (c, Measure::Register),
            (None, Some(c), _) => (c, Measure::Demand),
            (None, None, Some(c)) => (c, Measure::Energy),
            _ => continue,
        };
        // the data must be sub-daily: two readings on one day, or a time of day
        let stamps: Vec<NaiveDateTime> = rows[i + 1..]
            .iter()
            .filter_map(|(_, _, r)| r.get(time).and_then(timestamp))
            .take(8)
            .collect();
        let sub_daily = stamps.iter().any(|t| t.time() != NaiveTime::MIN)
            || stamps.windows(2).any(|w| w[0].date() == w[1].date());
        if !sub_daily {
            continue;
        }
        let (time_name, _) = header_parts(&headers[time]);
        let lower = time_name.to_lowercase();
        let header_stamp =
            if lower.contains("结束") || lower.contains("截止") || lower.contains("end") {
                Some(Stamp::Ending)
            } else if lower.contains("开始") || lower.contains("起始") || lower.contains("start")
            {
                Some(Stamp::Beginning)
            } else {
                None
            };
        let written = header_parts(&headers[value]).1;
        let mut unit = written.as_deref().and_then(unit_of);
        let unit_unknown = match (&unit, written) {
            (None, Some(w)) => Some((value, w)),
            _ => None,
        };
        if measure == Measure::Demand && unit.is_none() {
            unit = Some((Unit::KWh, true));
        }
        let export = headers
            .iter()
            .enumerate()
            .position(|(c, h)| c != time && c != value && is_export(&header_parts(h).0));
        let meter = pick(METER_NAMES);
        let multiplier_col = pick(MULTIPLIER_NAMES);
        return Some(Detected {
            header_row: *row,
            col0: *col0,
            layout: Layout::Long {
                time,
                meter,
                value,
                multiplier: multiplier_col,
                header_stamp,
            },
            headers,
            measure,
            unit,
            multiplier: multiplier_in_title(title),
            export,
            unit_unknown,
        });
    }
    None
}

/// The rows that came closest to an interval header and why each was not taken (up to 4).
fn near_misses(rows: &[(u32, u32, Vec<Value>)]) -> Option<(String, String)> {
    let mut en = Vec::new();
    let mut zh = Vec::new();
    for (i, (row, col0, cells)) in rows.iter().enumerate() {
        let headers: Vec<String> = cells.iter().map(Value::display).collect();
        let named = |names: &[&str]| {
            headers
                .iter()
                .position(|h| !h.is_empty() && matches_name(&header_parts(h).0, names))
        };
        let time = named(TIME_NAMES).or_else(|| named(DATE_NAMES));
        let value = named(REGISTER_NAMES)
            .or_else(|| named(ENERGY_NAMES))
            .or_else(|| named(DEMAND_NAMES))
            .or_else(|| {
                headers.iter().position(|h| {
                    header_parts(h)
                        .1
                        .and_then(|u| unit_of(&u))
                        .is_some_and(|u| !is_money(u.0))
                })
            })
            .filter(|c| Some(*c) != time);
        let at = |c: usize| {
            format!(
                "{}{} {}",
                column_letters(col0 + c as u32),
                row + 1,
                headers[c]
            )
        };
        let (e, z) = match (time, value) {
            (None, None) => continue,
            (Some(t), None) => (
                format!("{}: no value column", at(t)),
                format!("{}：没有数值列", at(t)),
            ),
            (None, Some(v)) => (
                format!("{}: no time column", at(v)),
                format!("{}：没有时间列", at(v)),
            ),
            (Some(t), Some(v)) => {
                let below = rows[i + 1..]
                    .iter()
                    .find_map(|(_, _, r)| r.get(t).filter(|c| !c.is_empty()))
                    .map(Value::display)
                    .unwrap_or_default();
                (
                    format!("{}, {}: the cells below the time column ('{below}') are not times within a day", at(t), at(v)),
                    format!("{}、{}：时间列下方的单元格（“{below}”）不是一天之内的时刻", at(t), at(v)),
                )
            }
        };
        en.push(format!("row {}: {e}", row + 1));
        zh.push(format!("第 {} 行：{z}", row + 1));
        if en.len() == 4 {
            break;
        }
    }
    (!en.is_empty()).then(|| {
        (
            format!("Rows considered: {}", en.join("; ")),
            format!("检查过的行：{}", zh.join("；")),
        )
    })
}

/// How many issues of one code are listed before the rest are summed up.
const ISSUES_PER_CODE: usize = 20;

#[derive(Debug, Clone, Copy)]
struct Raw {
    meter: u32,
    at: NaiveDateTime,
    value: Decimal,
    row: u32,
    col: u32,
}

struct SheetState {
    name: String,
    head: Vec<(u32, u32, Vec<Value>)>,
    detected: Option<Detected>,
    gave_up: bool,
    raws: Vec<Raw>,
    meters: Vec<String>,
    row_multiplier: BTreeMap<u32, Decimal>,
    empty_values: u64,
    /// The first empty value: its row, its column, and its column in the header.
    first_empty: Option<(u32, u32, usize)>,
    /// The export register's (or export energy's) readings, kept apart.
    exports: Vec<Raw>,
    /// Where the readings since the last total row start in `raws` (a total row sums them then:
    /// nothing is added up per reading).
    since_total: usize,
}

impl SheetState {
    /// The index of a meter by its name, added when new (the last one is tried first).
    #[inline(always)]
    fn meter_index(&mut self, meter: &str) -> u32 {
        let last = self.raws.last().map(|r| r.meter as usize);
        let known = last
            .filter(|i| self.meters.get(*i).is_some_and(|m| m == meter))
            .or_else(|| self.meters.iter().position(|m| m == meter));
        let i = match known {
            Some(i) => i,
            None => {
                self.meters.push(meter.to_string());
                self.meters.len() - 1
            }
        };
        i as u32
    }
}

/// The push reader: give it rows in order ([`IntervalReader::sheet`], then
/// [`IntervalReader::row`] for each non-empty row), then [`IntervalReader::finish`].
pub struct IntervalReader {
    options: IntervalOptions,
    current: Option<SheetState>,
    out: Intervals,
    counts: BTreeMap<&'static str, usize>,
    /// Sheets that are not interval data: name, and why (English, Chinese).
    not_interval: Vec<(String, String, String)>,
    sheets_seen: Vec<String>,
    /// The sheet being read, for issues.
    sheet_name: String,
}

/// Rows looked at to find the header.
const HEAD_ROWS: usize = 40;

impl IntervalReader {
    pub fn new(options: IntervalOptions) -> IntervalReader {
        IntervalReader {
            options,
            current: None,
            out: Intervals::default(),
            counts: BTreeMap::new(),
            not_interval: Vec::new(),
            sheets_seen: Vec::new(),
            sheet_name: String::new(),
        }
    }

    /// Whether this sheet should be read (the `--sheet` option).
    pub fn wants(&self, sheet: &str) -> bool {
        self.options.sheet.as_deref().is_none_or(|s| s == sheet)
    }

    /// Start a sheet.
    pub fn sheet(&mut self, name: &str) {
        self.end_sheet();
        self.sheets_seen.push(name.to_string());
        self.sheet_name = name.to_string();
        if !self.wants(name) {
            return;
        }
        self.current = Some(SheetState {
            name: name.to_string(),
            head: Vec::new(),
            detected: None,
            gave_up: false,
            raws: Vec::new(),
            meters: Vec::new(),
            row_multiplier: BTreeMap::new(),
            empty_values: 0,
            first_empty: None,
            exports: Vec::new(),
            since_total: 0,
        });
    }

    /// One row: its 0-based sheet row, the 0-based column of its first cell, and the cells.
    pub fn row(&mut self, row: u32, col0: u32, cells: &[Value]) {
        let Some(state) = self.current.as_mut() else {
            return;
        };
        if state.gave_up {
            return;
        }
        if state.detected.is_none() {
            state.head.push((row, col0, cells.to_vec()));
            if state.head.len() >= HEAD_ROWS {
                self.try_detect(true);
            }
            return;
        }
        self.data_row(row, col0, cells);
    }

    fn try_detect(&mut self, final_try: bool) {
        let Some(state) = self.current.as_mut() else {
            return;
        };
        if let Some(d) = detect(&state.head) {
            let header_row = d.header_row;
            state.detected = Some(d);
            let head = std::mem::take(&mut state.head);
            for (row, col0, cells) in head.into_iter().filter(|(r, _, _)| *r > header_row) {
                self.data_row(row, col0, &cells);
            }
        } else if final_try {
            state.gave_up = true;
            let seen = state
                .head
                .iter()
                .max_by_key(|(_, _, r)| r.iter().filter(|c| matches!(c, Value::Text(_))).count())
                .map(|(_, _, r)| {
                    r.iter()
                        .filter(|c| !c.is_empty())
                        .map(Value::display)
                        .take(12)
                        .collect::<Vec<_>>()
                        .join(" | ")
                })
                .unwrap_or_default();
            let (en, zh) = near_misses(&state.head)
                .unwrap_or_else(|| (format!("Seen: {seen}"), format!("看到的是：{seen}")));
            self.not_interval.push((state.name.clone(), en, zh));
            state.head.clear();
        }
    }

    fn push_issue(&mut self, issue: ImportIssue) {
        let n = self.counts.entry(issue.code).or_default();
        *n += 1;
        if *n <= ISSUES_PER_CODE {
            self.out.issues.push(issue);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn cell_issue(
        &mut self,
        row: u32,
        col: u32,
        header: &str,
        code: &'static str,
        severity: Severity,
        en: impl Into<Words>,
        zh: impl Into<Words>,
    ) {
        let sheet = Some(self.sheet_name.clone());
        self.push_issue(ImportIssue {
            code,
            severity,
            en: en.into(),
            zh: zh.into(),
            sheet,
            row: Some(row + 1),
            column: Some(if header.is_empty() {
                column_letters(col)
            } else {
                header.to_string()
            }),
            cell: Some(a1(row, col)),
        });
    }

    fn data_row(&mut self, row: u32, col0: u32, cells: &[Value]) {
        let Some(state) = self.current.as_ref() else {
            return;
        };
        let Some((layout, d_col0)) = state.detected.as_ref().map(|d| (d.layout, d.col0)) else {
            return;
        };
        if cells.iter().all(Value::is_empty) {
            return;
        }
        // cells are relative to the header's first column
        let shift = col0 as i64 - d_col0 as i64;
        let get = |c: usize| -> &Value {
            let i = c as i64 - shift;
            if i < 0 {
                &Value::Empty
            } else {
                cells.get(i as usize).unwrap_or(&Value::Empty)
            }
        };
        let abs = |c: usize| d_col0 + c as u32;
        if cells.iter().take(3).any(is_total_label) {
            return self.total_row(row, layout, shift, d_col0, cells);
        }
        match layout {
            Layout::Long {
                time,
                meter,
                value,
                multiplier,
                ..
            } => {
                let at = get(time);
                let Some(at) = timestamp(at) else {
                    let shown = at.display();
                    let (en, zh, code) = if at.is_empty() {
                        (
                            "the time is empty; every reading needs its time".to_string(),
                            "时间为空；每条读数都需要时间".to_string(),
                            "TIME_MISSING",
                        )
                    } else {
                        (format!("'{shown}' is not a date and time Lingtan can read; write 2024-06-01 00:15"), format!("无法识别时间“{shown}”；请写成 2024-06-01 00:15"), "TIME_UNREADABLE")
                    };
                    self.out.rejected += 1;
                    return self.cell_issue(
                        row,
                        abs(time),
                        &self.header(time),
                        code,
                        Severity::Error,
                        en,
                        zh,
                    );
                };
                let meter_name = meter.map(|m| meter_text(get(m))).unwrap_or_default();
                let v = get(value);
                if let Some(mc) = multiplier {
                    if let Number::Value(m, _) = text::number(get(mc)) {
                        if let Some(s) = self.current.as_mut() {
                            s.row_multiplier.insert(row, m);
                        }
                    }
                }
                self.reading(row, abs(value), value, &meter_name, at, v);
                let export = self
                    .current
                    .as_ref()
                    .and_then(|s| s.detected.as_ref())
                    .and_then(|d| d.export);
                if let Some(e) = export {
                    self.export_cell(row, abs(e), &meter_name, at, get(e));
                }
            }
            Layout::Wide {
                date,
                meter,
                first_slot,
                slots,
                interval,
                total,
                ..
            } => {
                let dv = get(date);
                let day = match text::period(dv) {
                    Some(text::PeriodValue::Day(day)) => day,
                    _ => {
                        let shown = dv.display();
                        self.out.rejected += slots as u32;
                        return self.cell_issue(row, abs(date), &self.header(date), "DATE_UNREADABLE", Severity::Error, format!("'{shown}' is not a date Lingtan can read; the row's {slots} readings are not imported"), format!("无法识别日期“{shown}”；该行 {slots} 个读数未导入"));
                    }
                };
                let meter_name = meter.map(|m| meter_text(get(m))).unwrap_or_default();
                let midnight = day.and_time(NaiveTime::MIN);
                let mut sum = Decimal::ZERO;
                for k in 0..slots {
                    let c = first_slot + k;
                    let at = midnight + Duration::minutes(i64::from(interval) * k as i64);
                    let v = get(c);
                    if let Number::Value(x, _) = text::number(v) {
                        sum += x;
                    }
                    // wide slots are always interval starts
                    self.reading(row, abs(c), c, &meter_name, at, v);
                }
                if let Some(tc) = total {
                    if let Number::Value(written, decimals) = text::number(get(tc)) {
                        let tolerance = Decimal::new(5, decimals + 1);
                        if (written - sum).abs() > tolerance {
                            self.cell_issue(row, abs(tc), &self.header(tc), "TOTAL_MISMATCH", Severity::Error, format!("the day's total says {written}, but its {slots} readings add up to {} (difference {}); correct the readings or the total", sum.normalize(), (written - sum).normalize()), format!("当日合计为 {written}，但 {slots} 个读数之和为 {}（相差 {}）；请核对读数或合计", sum.normalize(), (written - sum).normalize()));
                        }
                    }
                }
            }
        }
    }

    /// The export register's (反向) cell of a row: kept apart, summed per meter at the end.
    #[inline(never)]
    fn export_cell(&mut self, row: u32, col: u32, meter: &str, at: NaiveDateTime, v: &Value) {
        if let (Number::Value(value, _), Some(s)) = (text::number(v), self.current.as_mut()) {
            let meter = s.meter_index(meter);
            s.exports.push(Raw {
                meter,
                at,
                value,
                row,
                col,
            });
        }
    }

    /// A column's header as written (for messages).
    fn header(&self, c: usize) -> String {
        self.current
            .as_ref()
            .and_then(|s| s.detected.as_ref())
            .and_then(|d| d.headers.get(c).cloned())
            .unwrap_or_default()
    }

    /// A total row: checked against the values since the last one when it holds energy per
    /// interval (with the rounding the figures' decimals allow, as for a bill's 合计), else
    /// skipped and said.
    #[inline(never)]
    fn total_row(&mut self, row: u32, layout: Layout, shift: i64, d_col0: u32, cells: &[Value]) {
        let written = match layout {
            Layout::Long { value, .. } => {
                let cell = usize::try_from(value as i64 - shift)
                    .ok()
                    .and_then(|i| cells.get(i));
                match cell.map(text::number) {
                    Some(Number::Value(x, d)) => Some((x, d, d_col0 + value as u32, value)),
                    _ => None,
                }
            }
            Layout::Wide { .. } => None,
        };
        let sheet = Some(self.sheet_name.clone());
        let Some(state) = self.current.as_mut() else {
            return;
        };
        let from = std::mem::replace(&mut state.since_total, state.raws.len());
        let since = state.raws.get(from..).unwrap_or_default();
        let sum: Decimal = since.iter().map(|r| r.value).sum();
        let rows = since.len() as u32;
        let decimals = since.iter().map(|r| r.value.scale()).max().unwrap_or(0);
        let energy = state
            .detected
            .as_ref()
            .is_some_and(|d| d.measure == Measure::Energy);
        if let (Some((total, own, col, c)), true) = (written, energy && rows > 0) {
            let header = self.header(c);
            let difference = total - sum;
            let own = Decimal::new(5, own + 1);
            let tolerance = own + Decimal::new(5, decimals + 1) * Decimal::from(rows);
            if difference.abs() > tolerance {
                self.out.rejected += 1;
                return self.cell_issue(row, col, &header, "TOTAL_MISMATCH", Severity::Error, format!("the total row says {total}, but the {rows} readings above add up to {} (difference {}, more than the ±{} rounding allows); correct the readings or the total", sum.normalize(), difference.normalize(), tolerance.normalize()), format!("合计行为 {total}，但上方 {rows} 个读数之和为 {}（相差 {}，超出舍入误差 ±{}）；请核对读数或合计", sum.normalize(), difference.normalize(), tolerance.normalize()));
            }
            let (en, zh) = if difference.abs() <= own {
                (
                    format!(
                        "a total row: {total}, as the {rows} readings above add up; not a reading"
                    ),
                    format!("合计行：{total}，与上方 {rows} 个读数之和相符；不是读数"),
                )
            } else {
                (format!("a total row: {total}, the {rows} readings above add up to {} (difference {}): within the rounding of figures written to {decimals} decimals (±{}); not a reading", sum.normalize(), difference.normalize(), tolerance.normalize()), format!("合计行：{total}，上方 {rows} 个读数之和为 {}（相差 {}）：在保留 {decimals} 位小数的舍入误差（±{}）以内；不是读数", sum.normalize(), difference.normalize(), tolerance.normalize()))
            };
            return self.cell_issue(row, col, &header, "TOTAL_CHECKED", Severity::Info, en, zh);
        }
        self.push_issue(ImportIssue {
            code: "ROW_SKIPPED",
            severity: Severity::Info,
            en: "a total row: not a reading, skipped".into(),
            zh: "合计行：不是读数，已跳过".into(),
            sheet,
            row: Some(row + 1),
            column: None,
            cell: None,
        });
    }

    /// One value cell (time already read): keep it, or say what is wrong with it.
    /// One value cell (time already read): keep it, or say what is wrong with it. `c` is the
    /// column's index in the header (for messages).
    fn reading(&mut self, row: u32, col: u32, c: usize, meter: &str, at: NaiveDateTime, v: &Value) {
        match text::number(v) {
            Number::Missing => {
                if let Some(s) = self.current.as_mut() {
                    s.empty_values += 1;
                    s.first_empty.get_or_insert((row, col, c));
                }
            }
            Number::NotANumber(t) => {
                self.out.rejected += 1;
                self.cell_issue(row, col, &self.header(c), "NOT_A_NUMBER", Severity::Error, format!("'{t}' is not a number; type the reading (e.g. 12.34) or leave the cell empty if there was none"), format!("“{t}”不是数字；请填写读数（如 12.34），没有读数则留空"));
            }
            Number::Value(x, _) => {
                let Some(s) = self.current.as_mut() else {
                    return;
                };
                let register = s
                    .detected
                    .as_ref()
                    .is_some_and(|d| d.measure == Measure::Register);
                if x.is_sign_negative() && !x.is_zero() && !register {
                    self.out.rejected += 1;
                    return self.cell_issue(row, col, &self.header(c), "VALUE_NEGATIVE", Severity::Error, format!("negative reading {x}: interval data is imported as energy used or generated (≥ 0); if this meter also measures export, export the import direction only"), format!("读数为负数 {x}：区间数据按用电或发电量（≥ 0）导入；如该表计量双向，请只导出正向（用电）数据"));
                }
                let meter_index = s.meter_index(meter);
                s.raws.push(Raw {
                    meter: meter_index,
                    at,
                    value: x,
                    row,
                    col,
                });
            }
        }
    }

    fn end_sheet(&mut self) {
        if self
            .current
            .as_ref()
            .is_some_and(|s| s.detected.is_none() && !s.gave_up)
        {
            self.try_detect(true);
        }
        let Some(state) = self.current.take() else {
            return;
        };
        if let Some(d) = state.detected.clone() {
            self.finish_sheet(state, d);
        }
    }

    /// Finish: every sheet's series, the mappings and the issues.
    pub fn finish(mut self) -> Intervals {
        self.end_sheet();
        if let Some(name) = &self.options.sheet {
            if !self.sheets_seen.contains(name) {
                self.out.issues.push(ImportIssue::file(
                    "SHEET_NOT_FOUND",
                    words![
                        Field::Sheet,
                        format!(
                            " '{name}': no such sheet; the workbook has {}",
                            self.sheets_seen.join(", ")
                        )
                    ],
                    words![
                        Field::Sheet,
                        format!(
                            " “{name}”：没有该工作表；工作簿中有 {}",
                            self.sheets_seen.join("、")
                        )
                    ],
                ));
                return self.out;
            }
        }
        let any = !self.out.mappings.is_empty();
        for (sheet, seen, seen_zh) in std::mem::take(&mut self.not_interval) {
            let severity = if any {
                Severity::Warning
            } else {
                Severity::Error
            };
            let (code, en, zh) = if seen == "Seen: " {
                (
                    "SHEET_EMPTY",
                    format!("sheet '{sheet}' is empty"),
                    format!("工作表“{sheet}”为空"),
                )
            } else {
                ("HEADER_NOT_FOUND", format!("sheet '{sheet}': no interval-data header found. {seen}. Expected either a time column (时间, 采集时间, 数据时间, Time, Timestamp) with a value column (电量, 发电量, 表码, 示数, 功率(kW), Energy, kWh), or a date column (日期, Date) followed by 24, 48 or 96 time columns (00:15 … 24:00, 1 … 96, 0:00-0:15)"), format!("工作表“{sheet}”：找不到区间数据表头。{seen_zh}。需要时间列（时间、采集时间、数据时间、Time、Timestamp）加数值列（电量、发电量、表码、示数、功率(kW)、Energy、kWh），或日期列（日期、Date）后接 24、48 或 96 个时刻列（00:15…24:00、1…96、0:00-0:15）"))
            };
            self.out
                .issues
                .push(ImportIssue::on_sheet(code, severity, &sheet, en, zh));
        }
        for (code, n) in &self.counts {
            if *n > ISSUES_PER_CODE {
                let more = n - ISSUES_PER_CODE;
                let severity = self
                    .out
                    .issues
                    .iter()
                    .find(|i| i.code == *code)
                    .map(|i| i.severity)
                    .unwrap_or(Severity::Warning);
                self.out.issues.push(ImportIssue {
                    code,
                    severity,
                    en: format!("… and {more} more {code} like the ones above (only the first {ISSUES_PER_CODE} are listed)").into(),
                    zh: format!("……另有 {more} 处同类问题 {code}（仅列出前 {ISSUES_PER_CODE} 处）").into(),
                    sheet: None,
                    row: None,
                    column: None,
                    cell: None,
                });
            }
        }
        self.out
    }

    fn sheet_issue(
        &mut self,
        sheet: &str,
        code: &'static str,
        severity: Severity,
        en: impl Into<Words>,
        zh: impl Into<Words>,
    ) {
        self.push_issue(ImportIssue::on_sheet(code, severity, sheet, en, zh));
    }

    fn finish_sheet(&mut self, mut state: SheetState, d: Detected) {
        let name = state.name.clone();
        let (header_stamp, wide_interval, layout) = match d.layout {
            Layout::Long { header_stamp, .. } => (header_stamp, None, "long"),
            Layout::Wide {
                header_stamp,
                interval,
                ..
            } => (header_stamp, Some(interval), "wide"),
        };
        let mut columns = Vec::new();
        let letters = |c: usize| column_letters(d.col0 + c as u32);
        let col = |role: &'static str, c: usize| IntervalColumn {
            role,
            column: letters(c),
            header: d.headers[c].clone(),
        };
        match d.layout {
            Layout::Long {
                time,
                meter,
                value,
                multiplier,
                ..
            } => {
                columns.push(col("time", time));
                if let Some(m) = meter {
                    columns.push(col("meter", m));
                }
                columns.push(col("value", value));
                if let Some(m) = multiplier {
                    columns.push(col("multiplier", m));
                }
                if let Some(e) = d.export {
                    columns.push(col("export", e));
                }
            }
            Layout::Wide {
                date,
                meter,
                first_slot,
                slots,
                total,
                ..
            } => {
                columns.push(col("date", date));
                if let Some(m) = meter {
                    columns.push(col("meter", m));
                }
                columns.push(IntervalColumn {
                    role: "slots",
                    column: format!(
                        "{}:{}",
                        letters(first_slot),
                        letters(first_slot + slots - 1)
                    ),
                    header: format!(
                        "{} … {}",
                        d.headers[first_slot],
                        d.headers[first_slot + slots - 1]
                    ),
                });
                if let Some(t) = total {
                    columns.push(col("total", t));
                }
            }
        }
        let mut mapping = IntervalMapping {
            sheet: name.clone(),
            header_row: d.header_row + 1,
            layout,
            columns,
            measure: d.measure,
            unit: None,
            interval_minutes: wide_interval,
            stamp: None,
            stamp_reason: String::new(),
            stamp_reason_zh: String::new(),
            multiplier: None,
            multipliers: BTreeMap::new(),
            meters: state.meters.clone(),
            first: None,
            last: None,
            readings: 0,
        };
        if let Some((c, written)) = &d.unit_unknown {
            let header = d.headers[*c].clone();
            self.cell_issue(d.header_row, d.col0 + *c as u32, &header, "UNIT_UNKNOWN", Severity::Error, format!("the header '{header}' gives the unit '{written}', which Lingtan does not know, so its readings cannot be read in the source's unit; Lingtan knows kWh, 度, MWh, 万千瓦时, kW (demand), m3, 立方米, Nm3, L, kg, t, GJ … — write one of them in the header"), format!("表头“{header}”注明的单位“{written}”无法识别，其读数不能按排放源的单位读取；可识别的单位有 kWh、度、MWh、万千瓦时、kW（功率）、m3、立方米、Nm3、L、kg、t、GJ 等——请在表头写明其中之一"));
            self.out.mappings.push(mapping);
            return;
        }
        if state.empty_values > 0 {
            let (row, col, c) = state.first_empty.unwrap_or_default();
            let n = state.empty_values;
            let header = d.headers.get(c).cloned().unwrap_or_default();
            self.cell_issue(row, col, &header, "VALUE_MISSING", Severity::Warning, format!("{n} empty reading(s), the first here: they count as gaps (nothing is invented for them)"), format!("共 {n} 个空读数，第一个在此：按缺测处理（不作任何填补）"));
        }
        // the unit of the stored energy
        let unit = match d.unit.map(|u| u.0).or(self.options.default_unit) {
            Some(u) => u,
            None => {
                self.sheet_issue(&name, "UNIT_MISSING", Severity::Error, "no unit: neither the value header (e.g. 电量(kWh)) nor a title row says, and the source has no unit", "没有单位：数值列表头（如 电量(kWh)）和标题行都未注明，且排放源未设单位");
                self.out.mappings.push(mapping);
                return;
            }
        };
        mapping.unit = Some(unit.code().to_string());
        // the interval length: the wide header says; for a long file, the most common step
        let mut by_meter: Vec<Vec<Raw>> = vec![Vec::new(); state.meters.len()];
        for r in state.raws.drain(..) {
            by_meter[r.meter as usize].push(r);
        }
        for m in &mut by_meter {
            m.sort_by_key(|r| r.at); // stable: file order kept for equal times
        }
        let interval = match wide_interval {
            Some(i) => i,
            None => {
                let mut steps: BTreeMap<i64, u64> = BTreeMap::new();
                for m in &by_meter {
                    for w in m.windows(2) {
                        let step = (w[1].at - w[0].at).num_minutes();
                        if step > 0 {
                            *steps.entry(step).or_default() += 1;
                        }
                    }
                }
                match steps
                    .iter()
                    .max_by_key(|(s, n)| (**n, -**s))
                    .map(|(s, _)| *s)
                {
                    Some(s) if s > 0 && s <= 60 && 1440 % s == 0 => s as u32,
                    Some(s) => {
                        self.sheet_issue(&name, "INTERVAL_IRREGULAR", Severity::Error, format!("the readings are mostly {s} minutes apart; Lingtan reads interval data of 5, 10, 15, 30 or 60 minutes. Import daily or monthly figures as bills instead"), format!("读数间隔多为 {s} 分钟；Lingtan 支持 5、10、15、30 或 60 分钟的区间数据。日数据或月数据请按账单导入"));
                        self.out.mappings.push(mapping);
                        return;
                    }
                    None => {
                        let what = if d.measure == Measure::Demand {
                            "demand (kW) cannot be turned into energy without the interval length, and "
                        } else {
                            ""
                        };
                        let what_zh = if d.measure == Measure::Demand {
                            "无区间长度无法将功率（kW）换算为电量，且"
                        } else {
                            ""
                        };
                        self.sheet_issue(&name, "INTERVAL_UNKNOWN", Severity::Error, format!("the interval length cannot be told: {what}each meter needs at least two readings"), format!("无法判断区间长度：{what_zh}每个表计至少需要两条读数"));
                        self.out.mappings.push(mapping);
                        return;
                    }
                }
            }
        };
        mapping.interval_minutes = Some(interval);
        let step = Duration::minutes(i64::from(interval));
        // the timestamp convention
        let first = by_meter
            .iter()
            .filter_map(|m| m.first())
            .map(|r| r.at)
            .min();
        let last = by_meter.iter().filter_map(|m| m.last()).map(|r| r.at).max();
        let (stamp, reason, reason_zh) = if d.measure == Measure::Register {
            (
                Stamp::Beginning,
                "register readings: each difference covers the time from one reading to the next"
                    .to_string(),
                "表码读数：相邻两次读数之差即两次读数之间的用量".to_string(),
            )
        } else if let Layout::Wide {
            first_slot, slots, ..
        } = d.layout
        {
            if self.options.stamp.is_some() {
                self.sheet_issue(&name, "TIMESTAMPS_IGNORED", Severity::Warning, words![Field::Timestamps, " is ignored for a wide file: each column is one interval of the day, in order"], words!["宽表忽略 ", Field::Timestamps, "：每列即当日按顺序的一个区间"]);
            }
            let (a, b) = (&d.headers[first_slot], &d.headers[first_slot + slots - 1]);
            let before_last = hhmm(1440 - interval);
            match header_stamp {
                Some(Stamp::Ending) => (
                    Stamp::Ending,
                    format!("the time columns are headed {a} … {b}, the end of each interval: {a} is 00:00–{a} and {b} is {before_last}–24:00 of the row's date"),
                    format!("时刻列表头 {a} … {b} 为区间结束时刻：{a} 即 00:00–{a}，{b} 即当日 {before_last}–24:00"),
                ),
                Some(Stamp::Beginning) => (
                    Stamp::Beginning,
                    format!("the time columns are headed {a} … {b}, the start of each interval"),
                    format!("时刻列表头 {a} … {b} 为区间开始时刻"),
                ),
                None => (
                    Stamp::Beginning,
                    format!("the columns {a} … {b} are the day's intervals in order"),
                    format!("列 {a} … {b} 为当日各区间，按顺序排列"),
                ),
            }
        } else if let Some(s) = self.options.stamp {
            (
                s,
                format!("set by you ({})", s.code()),
                format!("由用户指定（{}）", s.code()),
            )
        } else if let Some(s) = header_stamp {
            let header = match d.layout {
                Layout::Long { time, .. } => d.headers[time].clone(),
                Layout::Wide { .. } => String::new(),
            };
            (
                s,
                format!("the time column's header says so ('{header}')"),
                format!("时间列表头注明（“{header}”）"),
            )
        } else {
            match (first, last) {
                (Some(a), Some(b)) if minute_of_day(a) == interval && minute_of_day(b) == 0 => {
                    let (a, b, day) = (fmt(a), fmt(b), (b - step).date());
                    (
                        Stamp::Ending,
                        format!("detected: the first reading is at {a} and the last at {b}, so each time marks the end of its interval and {b} belongs to {day}"),
                        format!("自动识别：首条读数为 {a}、末条为 {b}，时间为区间结束时刻，{b} 的读数属于 {day}"),
                    )
                }
                (Some(a), Some(b))
                    if minute_of_day(a) == 0 && minute_of_day(b) == 1440 - interval =>
                {
                    let (a, b) = (fmt(a), fmt(b));
                    (
                        Stamp::Beginning,
                        format!("detected: the first reading is at {a} and the last at {b}, so each time marks the start of its interval"),
                        format!("自动识别：首条读数为 {a}、末条为 {b}，时间为区间开始时刻"),
                    )
                }
                _ => {
                    self.sheet_issue(&name, "STAMP_ASSUMED", Severity::Warning, words!["the file does not show whether its times mark the start or the end of each interval (it does not run from midnight to midnight); they are read as starts. If they are ends, import again with ", Field::Timestamps, " ending"], words!["无法从文件判断时间是区间开始还是结束（数据不是从零点到零点）；按区间开始处理。如为区间结束时刻，请加 ", Field::Timestamps, " ending 重新导入"]);
                    (
                        Stamp::Beginning,
                        "assumed: start of interval".to_string(),
                        "假定：区间开始时刻".to_string(),
                    )
                }
            }
        };
        mapping.stamp = Some(stamp);
        mapping.stamp_reason = reason;
        mapping.stamp_reason_zh = reason_zh;
        let shifted = stamp == Stamp::Ending && matches!(d.layout, Layout::Long { .. });
        if shifted {
            for m in &mut by_meter {
                for r in m.iter_mut() {
                    r.at -= step;
                }
            }
        }
        let (time_col, time_header) = match d.layout {
            Layout::Long { time, .. } => (Some(d.col0 + time as u32), d.headers[time].clone()),
            Layout::Wide { .. } => (None, String::new()),
        };
        let value_header = match d.layout {
            Layout::Long { value, .. } => d.headers[value].clone(),
            Layout::Wide { .. } => String::new(),
        };
        // messages about a row name the time as the file writes it
        let as_written = |at: NaiveDateTime| fmt(if shifted { at + step } else { at });
        // register readings → consumption (each meter with its own multiplier); demand → energy
        let named_meters: Vec<String> = state
            .meters
            .iter()
            .filter(|m| !m.is_empty())
            .cloned()
            .collect();
        let mut given: Vec<Option<Decimal>> = vec![None; state.meters.len()];
        let mut multipliers: Vec<Option<Decimal>> = vec![None; state.meters.len()];
        if d.measure == Measure::Register {
            let file = d
                .multiplier
                .or_else(|| state.row_multiplier.values().next().copied());
            let mut refused = false;
            for (meter, _) in self.options.multipliers.clone() {
                if !state.meters.contains(&meter) || meter.is_empty() {
                    let known = if named_meters.is_empty() {
                        words!["it names no meter: give one ", Field::Multiplier, " N"]
                    } else {
                        format!("its meters are {}", named_meters.join(", ")).into()
                    };
                    let known_zh = if named_meters.is_empty() {
                        words!["文件中没有表计名称：请只给一个 ", Field::Multiplier, " N"]
                    } else {
                        format!("文件中的表计为 {}", named_meters.join("、")).into()
                    };
                    self.sheet_issue(
                        &name,
                        "MULTIPLIER_METER_UNKNOWN",
                        Severity::Error,
                        words![
                            Field::Multiplier,
                            format!(" {meter}=…: the sheet has no meter '{meter}'; ")
                        ]
                        .then(known),
                        words![
                            Field::Multiplier,
                            format!(" {meter}=…：该表没有表计“{meter}”；")
                        ]
                        .then(known_zh),
                    );
                    refused = true;
                }
            }
            if let (Some(o), true) = (self.options.multiplier, state.meters.len() > 1) {
                let mut each = Words::default();
                for (i, m) in named_meters.iter().enumerate() {
                    let sep = if i == 0 { "" } else { " " };
                    each = each.then(words![sep, Field::Multiplier, format!(" {m}=N")]);
                }
                self.sheet_issue(&name, "MULTIPLIER_AMBIGUOUS", Severity::Error, words![Field::Multiplier, format!(" {o}: the sheet holds the register readings of {} meters ({}), and each meter has its own multiplier (综合倍率); one for all would multiply every meter by {o}. Give each meter its own: ", state.meters.len(), named_meters.join(", "))].then(each.clone()), words![Field::Multiplier, format!(" {o}：该表含 {} 个表计（{}）的表码，各表倍率（综合倍率）不同；统一乘以 {o} 会算错。请逐表指定：", state.meters.len(), named_meters.join("、"))].then(each));
                refused = true;
            }
            if refused {
                self.out.mappings.push(mapping);
                return;
            }
            for (mi, meter) in state.meters.iter().enumerate() {
                let named = self
                    .options
                    .multipliers
                    .iter()
                    .find(|(m, _)| m == meter)
                    .map(|(_, x)| *x);
                given[mi] = named.or(self.options.multiplier);
                let label = if meter.is_empty() {
                    String::new()
                } else {
                    format!("{meter}: ")
                };
                let used = match (given[mi], file) {
                    (Some(o), Some(f)) if o != f => {
                        self.sheet_issue(&name, "MULTIPLIER_OVERRIDDEN", Severity::Warning, format!("{label}the file's multiplier (倍率) is {f}, but {o} was given; {o} is used"), format!("{label}文件中的倍率为 {f}，但指定了 {o}；采用 {o}"));
                        o
                    }
                    (Some(o), _) => o,
                    (None, Some(f)) => f,
                    (None, None) => {
                        let how = if meter.is_empty() {
                            words![Field::Multiplier, " N"]
                        } else {
                            words![Field::Multiplier, format!(" {meter}=N")]
                        };
                        if state.meters.len() > 1 {
                            // a register export of several meters (the State Grid 96-point data)
                            // leaves each meter's CT/PT ratio out of the file; they differ by
                            // orders of magnitude (880000, 88000, 1), so × 1 for all would be a
                            // wrong total that looks right: each must be given, 1 included
                            self.sheet_issue(&name, "MULTIPLIER_MISSING", Severity::Error, words![format!("{label}register readings of several meters and no multiplier (倍率) for this one in the file: give each meter's multiplier, e.g. ")].then(how.clone()).then(" (=1 when the meter has no CT/PT ratio), or save them in a mapping profile"), words![format!("{label}文件含多块电表的表码读数，但没有该表的倍率：请为每块表指定倍率，如 ")].then(how).then("（无互感器时写 =1），或保存在映射配置中"));
                        } else {
                            self.sheet_issue(&name, "MULTIPLIER_ASSUMED", Severity::Warning, words![format!("{label}no multiplier (倍率) in the file: the register differences are used × 1. If the meter has a CT/PT ratio, import again with ")].then(how.clone()), words![format!("{label}文件中没有倍率：表码差按 ×1 计。如该表有互感器倍率，请加 ")].then(how).then(" 重新导入"));
                        }
                        Decimal::ONE
                    }
                };
                multipliers[mi] = Some(used);
            }
            let first = multipliers.iter().flatten().next().copied();
            if multipliers.iter().flatten().all(|m| Some(*m) == first) {
                mapping.multiplier = first;
            }
            if state.meters.len() > 1 {
                mapping.multipliers = state
                    .meters
                    .iter()
                    .zip(&multipliers)
                    .filter_map(|(m, x)| x.map(|x| (m.clone(), x)))
                    .collect();
            }
        }
        if (self.options.multiplier.is_some() || !self.options.multipliers.is_empty())
            && d.measure != Measure::Register
        {
            self.sheet_issue(&name, "MULTIPLIER_IGNORED", Severity::Warning, words![Field::Multiplier, " is ignored: the values are not register readings (表码), they are used as they are"], words!["忽略 ", Field::Multiplier, "：数值不是表码读数，按原值使用"]);
        }
        let mut series_out = Vec::new();
        for (mi, raws) in by_meter.into_iter().enumerate() {
            let meter = state.meters[mi].clone();
            let multiplier = multipliers[mi];
            let label = if meter.is_empty() {
                String::new()
            } else {
                format!("{meter}: ")
            };
            let mut readings: Vec<Reading> = Vec::with_capacity(raws.len());
            // duplicates, DST repeats, grid alignment
            let mut prev: Option<Raw> = None;
            let mut kept: Vec<Raw> = Vec::with_capacity(raws.len());
            for r in raws {
                if i64::from(minute_of_day(r.at)) % i64::from(interval) != 0 {
                    self.out.rejected += 1;
                    self.cell_issue(r.row, time_col.unwrap_or(r.col), &time_header, "TIME_OFF_GRID", Severity::Error, format!("{label}{} is not on the {interval}-minute grid of this file; correct the time", as_written(r.at)), format!("{label}{} 不在本文件 {interval} 分钟的时间网格上；请更正时间", as_written(r.at)));
                    continue;
                }
                if let Some(p) = prev.filter(|p| p.at == r.at) {
                    if dst_repeat(r.at) {
                        self.cell_issue(r.row, r.col, &value_header, "DST_REPEAT", Severity::Warning, format!("{label}{} appears twice (rows {} and {}): the clocks went back, so this hour happened twice; both readings are kept", as_written(r.at), p.row + 1, r.row + 1), format!("{label}{} 出现两次（第 {} 行和第 {} 行）：夏令时结束、时钟回拨，该小时重复；两条读数均保留", as_written(r.at), p.row + 1, r.row + 1));
                        kept.push(r);
                    } else if p.value == r.value {
                        self.cell_issue(r.row, r.col, &value_header, "DUPLICATE_READING", Severity::Warning, format!("{label}{} is here again with the same value as row {}; counted once", as_written(r.at), p.row + 1), format!("{label}{} 重复出现，与第 {} 行数值相同；只计一次", as_written(r.at), p.row + 1));
                    } else {
                        self.out.rejected += 1;
                        self.cell_issue(r.row, r.col, &value_header, "DUPLICATE_CONFLICT", Severity::Error, format!("{label}{} is here with {} but row {} has {}: which one is right? Delete the wrong row", as_written(r.at), r.value, p.row + 1, p.value), format!("{label}{} 在此为 {}，但第 {} 行为 {}：请删除错误的一行", as_written(r.at), r.value, p.row + 1, p.value));
                    }
                    continue;
                }
                prev = Some(r);
                kept.push(r);
            }
            // gaps
            for w in kept.windows(2) {
                let gap = (w[1].at - w[0].at).num_minutes() / i64::from(interval) - 1;
                if gap <= 0 {
                    continue;
                }
                let from = w[0].at + step;
                let to = w[1].at;
                if dst_gap(from, to) {
                    self.cell_issue(w[1].row, w[1].col, &value_header, "DST_GAP", Severity::Info, format!("{label}no readings {}–{}: the clocks went forward, that hour did not exist; not a gap", fmt(from), fmt(to)), format!("{label}{}–{} 无读数：夏令时开始、时钟拨快，该小时不存在；不是缺测", fmt(from), fmt(to)));
                    continue;
                }
                let (gap_en, gap_zh) = if d.measure == Measure::Register {
                    (
                        format!(
                            "the difference to this reading spans {} intervals and is kept whole",
                            gap + 1
                        ),
                        format!("到本条读数的差值跨 {} 个区间，整体保留", gap + 1),
                    )
                } else {
                    (
                        "the month's total leaves them out".to_string(),
                        "月度合计不含这些区间".to_string(),
                    )
                };
                let severity = if d.measure == Measure::Register {
                    Severity::Info
                } else {
                    Severity::Warning
                };
                self.cell_issue(w[1].row, w[1].col, &value_header, "INTERVAL_GAP", severity, format!("{label}no readings for {}–{} ({gap} interval(s) of {interval} min) before this one: {gap_en}", fmt(from), fmt(to), ), format!("{label}本条之前 {}–{} 无读数（{gap} 个 {interval} 分钟区间）：{gap_zh}", fmt(from), fmt(to)));
            }
            // values
            match d.measure {
                Measure::Energy => readings.extend(kept.iter().map(|r| Reading {
                    start: r.at,
                    value: r.value,
                    row: r.row,
                    col: r.col,
                })),
                Measure::Demand => {
                    let hours = Decimal::from(interval) / Decimal::from(60);
                    readings.extend(kept.iter().map(|r| Reading {
                        start: r.at,
                        value: (r.value * hours).normalize(),
                        row: r.row,
                        col: r.col,
                    }));
                }
                Measure::Register => {
                    for w in kept.windows(2) {
                        let diff = w[1].value - w[0].value;
                        if diff.is_sign_negative() && !diff.is_zero() {
                            self.out.rejected += 1;
                            self.cell_issue(w[1].row, w[1].col, &value_header, "REGISTER_DECREASED", Severity::Error, format!("{label}the register reads {} here but {} on row {} before it: a meter cannot run backwards. If the meter was replaced or rolled over, split the file at this row and import each part", w[1].value, w[0].value, w[0].row + 1), format!("{label}此处表码为 {}，但上一条（第 {} 行）为 {}：电表不会倒走。如换表或表码翻转，请在此行拆分文件后分别导入", w[1].value, w[0].row + 1, w[0].value));
                            continue;
                        }
                        let row_m = state.row_multiplier.get(&w[1].row).copied();
                        let m = given[mi].or(row_m).or(multiplier).unwrap_or(Decimal::ONE);
                        readings.push(Reading {
                            start: w[0].at,
                            value: diff * m,
                            row: w[1].row,
                            col: w[1].col,
                        });
                    }
                }
            }
            if readings.is_empty() {
                continue;
            }
            mapping.readings += readings.len() as u64;
            let a = readings[0].start;
            let b = readings[readings.len() - 1].start + step;
            mapping.first = Some(mapping.first.map_or(a, |x| x.min(a)));
            mapping.last = Some(mapping.last.map_or(b, |x| x.max(b)));
            let months = rollup(&readings, interval);
            self.plausible(&label, unit, multiplier, &months);
            series_out.push(Series {
                sheet: name.clone(),
                meter: (!meter.is_empty()).then_some(meter),
                unit,
                interval_minutes: interval,
                stamp,
                measure: d.measure,
                multiplier,
                readings,
                months,
            });
        }
        self.exports(&state, &d, &multipliers);
        if d.measure == Measure::Demand {
            self.sheet_issue(&name, "DEMAND_CONVERTED", Severity::Warning, format!("the values are demand ({}), not energy: each is read as the average demand over its {interval}-minute interval and multiplied by {} h. If they are instantaneous samples, this is an estimate — import the meter's energy export instead", if unit == Unit::MWh { "MW" } else { "kW" }, Decimal::from(interval) / Decimal::from(60)), format!("数值为功率（{}）而非电量：按各 {interval} 分钟区间的平均功率乘以 {} 小时换算为电量。如为瞬时采样值，结果只是估算——请改为导出电表的电量数据", if unit == Unit::MWh { "MW" } else { "kW" }, Decimal::from(interval) / Decimal::from(60)));
        }
        self.out.series.extend(series_out);
        self.out.mappings.push(mapping);
    }
}

/// More energy than any factory draws through one meter in a month (1.39 GW on average): a wrong
/// multiplier or unit, never a reading.
pub const MONTH_CEILING_KWH: i64 = 1_000_000_000;

impl IntervalReader {
    /// A meter's monthly energy against what is possible and against its own other months:
    /// beyond any factory is an error; far beyond its own other months a warning. (A check of
    /// single intervals against the meter's mean cost about 1 % of the 700,800-row import and
    /// was left out: the month checks and the workbench's check against the source's records
    /// catch a wrong multiplier.)
    fn plausible(
        &mut self,
        label: &str,
        unit: Unit,
        multiplier: Option<Decimal>,
        rollups: &[MonthRollup],
    ) {
        let months: Vec<(String, Decimal, u32, u32)> = rollups
            .iter()
            .map(|m| {
                (
                    format!("{}-{:02}", m.year, m.month),
                    m.total,
                    m.readings,
                    m.first_row - 1,
                )
            })
            .collect();
        let times = multiplier
            .map(|m| format!(" (multiplier ×{m})"))
            .unwrap_or_default();
        let times_zh = multiplier
            .map(|m| format!("（倍率 ×{m}）"))
            .unwrap_or_default();
        for (month, total, _, row) in &months {
            let kwh = unit.convert(*total, Unit::KWh).ok();
            if kwh.is_some_and(|k| k > Decimal::from(MONTH_CEILING_KWH)) {
                let sheet = Some(self.sheet_name.clone());
                self.push_issue(ImportIssue {
                    code: "METER_IMPLAUSIBLE",
                    severity: Severity::Error,
                    en: format!("{label}{month} comes to {} {}{times}: more than any factory draws through one meter in a month (10⁹ kWh); check the multiplier and the unit", total.normalize(), unit.code()).into(),
                    zh: format!("{label}{month} 合计 {} {}{times_zh}：超过任何工厂单表一个月的用电量（10⁹ kWh）；请检查倍率和单位", total.normalize(), unit.code()).into(),
                    sheet,
                    row: Some(row + 1),
                    column: None,
                    cell: None,
                });
            }
        }
        // a month far beyond the meter's other months (per reading, so part months compare)
        if months.len() >= 2 {
            for (k, (month, total, n, row)) in months.iter().enumerate() {
                let mut others: Vec<Decimal> = months
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != k)
                    .map(|(_, m)| m.1 / Decimal::from(m.2.max(1)))
                    .collect();
                others.sort();
                let typical = others[others.len() / 2];
                let rate = *total / Decimal::from((*n).max(1));
                if typical > Decimal::ZERO && rate > typical * Decimal::from(10) {
                    let sheet = Some(self.sheet_name.clone());
                    self.push_issue(ImportIssue {
                        code: "METER_UNUSUAL",
                        severity: Severity::Warning,
                        en: format!("{label}{month} averages {} {u} per reading, more than 10 times the meter's other months ({} {u}){times}: check the multiplier, the unit and the readings", rate.round_dp(3).normalize(), typical.round_dp(3).normalize(), u = unit.code()).into(),
                        zh: format!("{label}{month} 平均每个读数 {} {u}，超过该表其他月份（{} {u}）的 10 倍{times_zh}：请检查倍率、单位和读数", rate.round_dp(3).normalize(), typical.round_dp(3).normalize(), u = unit.code()).into(),
                        sheet,
                        row: Some(row + 1),
                        column: None,
                        cell: None,
                    });
                }
            }
        }
    }

    /// The export register (反向有功) of each meter: its energy over the file, said and not
    /// imported (it is energy fed to the grid, not consumption).
    fn exports(&mut self, state: &SheetState, d: &Detected, multipliers: &[Option<Decimal>]) {
        let Some(e) = d.export else { return };
        let header = d.headers[e].clone();
        let letters = column_letters(d.col0 + e as u32);
        let mut by_meter: Vec<Vec<Raw>> = vec![Vec::new(); state.meters.len()];
        for r in &state.exports {
            if let Some(m) = by_meter.get_mut(r.meter as usize) {
                m.push(*r);
            }
        }
        for (mi, mut raws) in by_meter.into_iter().enumerate() {
            if raws.is_empty() {
                continue;
            }
            raws.sort_by_key(|r| r.at);
            let total: Decimal = if d.measure == Measure::Register {
                let m = multipliers
                    .get(mi)
                    .copied()
                    .flatten()
                    .unwrap_or(Decimal::ONE);
                raws.windows(2)
                    .map(|w| (w[1].value - w[0].value).max(Decimal::ZERO) * m)
                    .sum()
            } else {
                raws.iter().map(|r| r.value).sum()
            };
            let meter = &state.meters[mi];
            let label = if meter.is_empty() {
                String::new()
            } else {
                format!("{meter}: ")
            };
            let sheet = state.name.clone();
            self.sheet_issue(&sheet, "EXPORT_KEPT_APART", Severity::Info, format!("{label}the export column {letters} '{header}' comes to {} over the file: energy fed to the grid, not consumption; it is not imported", total.normalize()), format!("{label}反向（上网）列 {letters}“{header}”全文件合计 {}：为送入电网的电量，不是用电量；不导入", total.normalize()));
        }
    }
}

impl crate::read::RowVisitor for IntervalReader {
    fn sheet(&mut self, name: &str) -> bool {
        IntervalReader::sheet(self, name);
        self.wants(name)
    }

    fn row(&mut self, row: u32, col0: u32, cells: &[Value]) -> bool {
        IntervalReader::row(self, row, col0, cells);
        !self.current.as_ref().is_some_and(|s| s.gave_up)
    }
}

/// Read a whole file's interval data, streaming when the format allows.
pub fn read(file_name: &str, bytes: &[u8], options: IntervalOptions) -> Intervals {
    read_watched(file_name, bytes, options, &mut |_| true)
}

/// How often [`read_watched`] reports: every this many rows.
pub const WATCH_ROWS: u64 = 8192;

/// [`read`], telling `watch` the rows read so far every [`WATCH_ROWS`] rows; when `watch`
/// returns false the read stops and the result carries an `IMPORT_CANCELLED` error (so nothing
/// read can be written).
pub fn read_watched(
    file_name: &str,
    bytes: &[u8],
    options: IntervalOptions,
    watch: &mut dyn FnMut(u64) -> bool,
) -> Intervals {
    struct Watched<'a> {
        reader: IntervalReader,
        watch: &'a mut dyn FnMut(u64) -> bool,
        rows: u64,
        stopped: bool,
        notes: Vec<ImportIssue>,
    }
    impl crate::read::RowVisitor for Watched<'_> {
        fn note(&mut self, issue: ImportIssue) {
            self.notes.push(issue);
        }
        fn sheet(&mut self, name: &str) -> bool {
            !self.stopped && crate::read::RowVisitor::sheet(&mut self.reader, name)
        }
        fn row(&mut self, row: u32, col0: u32, cells: &[Value]) -> bool {
            self.rows += 1;
            if self.rows % WATCH_ROWS == 0 && !(self.watch)(self.rows) {
                self.stopped = true;
            }
            !self.stopped && crate::read::RowVisitor::row(&mut self.reader, row, col0, cells)
        }
    }
    let mut watched = Watched {
        reader: IntervalReader::new(options),
        watch,
        rows: 0,
        stopped: false,
        notes: Vec::new(),
    };
    let outcome = crate::read::visit_rows(file_name, bytes, &mut watched);
    if watched.stopped {
        return Intervals {
            issues: vec![ImportIssue::cancelled(file_name)],
            ..Intervals::default()
        };
    }
    match outcome {
        Ok(()) => {
            // how the file itself was read (a CSV column with decimal commas) comes first
            let mut read = watched.reader.finish();
            read.issues.splice(0..0, watched.notes);
            read
        }
        Err(issue) => Intervals {
            issues: vec![*issue],
            ..Intervals::default()
        },
    }
}

/// The first rows of each sheet (for deciding between a bill ledger and interval data).
pub fn peek(file_name: &str, bytes: &[u8]) -> Result<Vec<crate::read::Sheet>, Box<ImportIssue>> {
    struct Peek(Vec<crate::read::Sheet>);
    impl crate::read::RowVisitor for Peek {
        fn sheet(&mut self, name: &str) -> bool {
            self.0.push(crate::read::Sheet {
                name: name.to_string(),
                row0: 0,
                col0: 0,
                rows: Vec::new(),
            });
            true
        }
        fn row(&mut self, row: u32, col0: u32, cells: &[Value]) -> bool {
            let Some(sheet) = self.0.last_mut() else {
                return false;
            };
            while (sheet.rows.len() as u32) < row {
                sheet.rows.push(Vec::new());
            }
            let mut full = vec![Value::Empty; col0 as usize];
            full.extend_from_slice(cells);
            sheet.rows.push(full);
            sheet.rows.len() < HEAD_ROWS
        }
    }
    let mut peek = Peek(Vec::new());
    crate::read::visit_rows(file_name, bytes, &mut peek)?;
    Ok(peek.0)
}

/// Whether a peeked sheet looks like interval data.
pub fn sheet_is_interval(sheet: &crate::read::Sheet) -> bool {
    let rows: Vec<(u32, u32, Vec<Value>)> = sheet
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.iter().all(Value::is_empty))
        .map(|(i, r)| (sheet.row0 + i as u32, sheet.col0, r.clone()))
        .collect();
    detect(&rows).is_some()
}

fn hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn fmt(d: NaiveDateTime) -> String {
    d.format("%Y-%m-%d %H:%M").to_string()
}

fn last_sunday_like(d: NaiveDate, months: &[u32]) -> bool {
    d.weekday() == Weekday::Sun && months.contains(&d.month())
}

/// The repeated hour when clocks go back (Europe: last Sunday of October; North America: first
/// Sunday of November), 01:00–02:59 local.
fn dst_repeat(at: NaiveDateTime) -> bool {
    last_sunday_like(at.date(), &[10, 11]) && (1..=2).contains(&at.hour())
}

/// The hour that does not exist when clocks go forward (Europe: last Sunday of March; North
/// America: second Sunday of March): exactly one missing hour from 02:00.
fn dst_gap(from: NaiveDateTime, to: NaiveDateTime) -> bool {
    last_sunday_like(from.date(), &[3])
        && from.hour() == 2
        && from.minute() == 0
        && (to - from).num_minutes() == 60
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Value {
        Value::Text(s.into())
    }

    #[test]
    fn timestamps_as_written() {
        let want = NaiveDate::from_ymd_opt(2024, 6, 1)
            .unwrap()
            .and_hms_opt(0, 15, 0);
        assert_eq!(
            timestamp(&t("2024-06-01 00:15")),
            want,
            "timestamps as written"
        );
        assert_eq!(
            timestamp(&t("2024/6/1 0:15:00")),
            want,
            "timestamps as written"
        );
        assert_eq!(
            timestamp(&t("2024年6月1日 00:15")),
            want,
            "timestamps as written"
        );
        assert_eq!(
            timestamp(&t("2024-06-01T00:15")),
            want,
            "timestamps as written"
        );
        assert_eq!(
            timestamp(&t("2024-06-30 24:00")),
            NaiveDate::from_ymd_opt(2024, 7, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0),
            "timestamps as written"
        );
        // 45444 is 2024-06-01; a quarter hour is 1/96 of a day
        let serial = Decimal::from(45444) + Decimal::ONE / Decimal::from(96);
        assert_eq!(
            timestamp(&Value::Number(serial)),
            want,
            "timestamps as written"
        );
        // a double that is a hair under 00:15 rounds to it
        let near = want.unwrap() - Duration::milliseconds(1);
        assert_eq!(
            timestamp(&Value::DateTime(near)),
            want,
            "timestamps as written"
        );
        assert_eq!(timestamp(&t("2024-06")), None, "timestamps as written");
        assert_eq!(timestamp(&t("hello")), None, "timestamps as written");
    }

    #[test]
    fn wide_headers_of_every_kind() {
        let ending: Vec<Value> = std::iter::once(t("日期"))
            .chain((1..=96).map(|k| t(&hhmm(k * 15))))
            .collect();
        assert_eq!(
            wide_slots(&ending),
            Some((1, 96, 15, Some(Stamp::Ending))),
            "wide headers of every kind"
        );
        let beginning: Vec<Value> = (0..24).map(|k| t(&format!("{k}:00"))).collect();
        assert_eq!(
            wide_slots(&beginning),
            Some((0, 24, 60, Some(Stamp::Beginning))),
            "wide headers of every kind"
        );
        let index: Vec<Value> = (1..=48).map(|k| Value::Number(Decimal::from(k))).collect();
        assert_eq!(
            wide_slots(&index),
            Some((0, 48, 30, None)),
            "wide headers of every kind"
        );
        let ranges: Vec<Value> = (0..96)
            .map(|k| t(&format!("{}-{}", hhmm(k * 15), hhmm((k + 1) * 15))))
            .collect();
        assert_eq!(
            wide_slots(&ranges),
            Some((0, 96, 15, None)),
            "wide headers of every kind"
        );
        let short: Vec<Value> = (0..12).map(|k| t(&format!("{k}:00"))).collect();
        assert_eq!(wide_slots(&short), None, "wide headers of every kind");
    }

    fn feed(reader: &mut IntervalReader, rows: Vec<Vec<Value>>) {
        reader.sheet("S");
        for (i, r) in rows.into_iter().enumerate() {
            reader.row(i as u32, 0, &r);
        }
    }

    fn long_rows(times: &[&str], values: &[&str]) -> Vec<Vec<Value>> {
        let mut rows = vec![vec![t("时间"), t("电量(kWh)")]];
        for (a, v) in times.iter().zip(values) {
            rows.push(vec![t(a), t(v)]);
        }
        rows
    }

    #[test]
    fn interval_ending_is_detected_and_the_midnight_reading_goes_to_the_day_before() {
        let times: Vec<String> = (1..=96)
            .map(|k| {
                let at = NaiveDate::from_ymd_opt(2024, 6, 30)
                    .unwrap()
                    .and_time(NaiveTime::MIN)
                    + Duration::minutes(15 * k);
                fmt(at)
            })
            .collect();
        let values: Vec<String> = (1..=96).map(|k| format!("{k}")).collect();
        let mut reader = IntervalReader::new(IntervalOptions::default());
        feed(
            &mut reader,
            long_rows(
                &times.iter().map(String::as_str).collect::<Vec<_>>(),
                &values.iter().map(String::as_str).collect::<Vec<_>>(),
            ),
        );
        let out = reader.finish();
        assert!(
            out.issues.is_empty(),
            "interval ending is detected and the midnight reading goes to the day before: {:?}",
            out.issues
        );
        assert_eq!(
            out.mappings[0].stamp,
            Some(Stamp::Ending),
            "interval ending is detected and the midnight reading goes to the day before"
        );
        let months = out.series[0].monthly();
        assert_eq!(
            months.len(),
            1,
            "interval ending is detected and the midnight reading goes to the day before"
        );
        assert_eq!(
            (months[0].year, months[0].month),
            (2024, 6),
            "interval ending is detected and the midnight reading goes to the day before"
        );
        assert_eq!(
            months[0].total,
            Decimal::from(96 * 97 / 2),
            "interval ending is detected and the midnight reading goes to the day before"
        );
        assert_eq!(
            months[0].last_row, 97,
            "interval ending is detected and the midnight reading goes to the day before"
        );
        // the same file read with the override: the last reading moves into July
        let mut reader = IntervalReader::new(IntervalOptions {
            stamp: Some(Stamp::Beginning),
            ..Default::default()
        });
        feed(
            &mut reader,
            long_rows(
                &times.iter().map(String::as_str).collect::<Vec<_>>(),
                &values.iter().map(String::as_str).collect::<Vec<_>>(),
            ),
        );
        let months = reader.finish().series[0].monthly();
        assert_eq!(
            months.len(),
            2,
            "interval ending is detected and the midnight reading goes to the day before"
        );
        assert_eq!(
            months[1].total,
            Decimal::from(96),
            "interval ending is detected and the midnight reading goes to the day before"
        );
    }

    #[test]
    fn registers_become_consumption_with_the_multiplier() {
        let mut reader = IntervalReader::new(IntervalOptions::default());
        reader.sheet("S");
        reader.row(0, 0, &[t("倍率：80")]);
        reader.row(1, 0, &[t("时间"), t("正向有功总示数(kWh)")]);
        for (i, (at, v)) in [
            ("2024-01-01 00:00", "1000.10"),
            ("2024-01-01 01:00", "1000.35"),
            ("2024-01-01 02:00", "1000.30"),
            ("2024-01-01 03:00", "1001.00"),
        ]
        .iter()
        .enumerate()
        {
            reader.row(2 + i as u32, 0, &[t(at), t(v)]);
        }
        let out = reader.finish();
        let codes: Vec<&str> = out.issues.iter().map(|i| i.code).collect();
        assert_eq!(
            codes,
            ["REGISTER_DECREASED"],
            "registers become consumption with the multiplier"
        );
        assert_eq!(
            out.issues[0].cell.as_deref(),
            Some("B5"),
            "registers become consumption with the multiplier"
        );
        let s = &out.series[0];
        assert_eq!(
            s.multiplier,
            Some(Decimal::from(80)),
            "registers become consumption with the multiplier"
        );
        assert_eq!(
            s.readings.len(),
            2,
            "registers become consumption with the multiplier"
        );
        assert_eq!(
            s.readings[0].value,
            "20.00".parse::<Decimal>().unwrap(),
            "registers become consumption with the multiplier"
        );
    }

    #[test]
    fn gaps_duplicates_and_dst_are_reported() {
        let mut reader = IntervalReader::new(IntervalOptions::default());
        feed(
            &mut reader,
            long_rows(
                &[
                    "2024-10-27 00:00",
                    "2024-10-27 01:00",
                    "2024-10-27 02:00",
                    "2024-10-27 02:00",
                    "2024-10-27 03:00",
                    "2024-10-27 03:00",
                    "2024-10-27 06:00",
                    "2024-10-27 06:00",
                ],
                &["1", "1", "1", "2", "1", "1", "5", "6"],
            ),
        );
        let out = reader.finish();
        let codes: Vec<&str> = out.issues.iter().map(|i| i.code).collect();
        assert!(
            codes.contains(&"DST_REPEAT"),
            "gaps duplicates and dst are reported: {codes:?}"
        );
        assert!(
            codes.contains(&"DUPLICATE_READING"),
            "gaps duplicates and dst are reported: {codes:?}"
        );
        assert!(
            codes.contains(&"DUPLICATE_CONFLICT"),
            "gaps duplicates and dst are reported: {codes:?}"
        );
        assert!(
            codes.contains(&"INTERVAL_GAP"),
            "gaps duplicates and dst are reported: {codes:?}"
        );
        let gap = out
            .issues
            .iter()
            .find(|i| i.code == "INTERVAL_GAP")
            .unwrap();
        assert!(
            gap.message(lingtan_core::Lang::En).contains("2 interval"),
            "gaps duplicates and dst are reported: {}",
            gap.message(lingtan_core::Lang::En)
        );
    }

    #[test]
    fn options_that_cannot_apply_are_said_to_be_ignored() {
        let mut reader = IntervalReader::new(IntervalOptions {
            stamp: Some(Stamp::Ending),
            multiplier: Some(Decimal::from(80)),
            ..Default::default()
        });
        let header: Vec<Value> = std::iter::once(t("日期(kWh)"))
            .chain((0..24).map(|h| t(&format!("{h}:00"))))
            .collect();
        let day: Vec<Value> = std::iter::once(t("2024-06-01"))
            .chain((0..24).map(|_| t("1.5")))
            .collect();
        feed(&mut reader, vec![header, day]);
        let out = reader.finish();
        let codes: Vec<&str> = out.issues.iter().map(|i| i.code).collect();
        assert_eq!(
            codes,
            ["TIMESTAMPS_IGNORED", "MULTIPLIER_IGNORED"],
            "options that cannot apply are said to be ignored"
        );
        assert_eq!(
            out.series[0].monthly()[0].total,
            Decimal::from(36),
            "options that cannot apply are said to be ignored"
        );
    }

    #[test]
    fn a_date_column_of_quarter_hours_is_the_time_and_each_meter_has_its_multiplier() {
        // the State Grid 96-point export: 日期 holds full times, the meters' 综合倍率 are not in it
        let mut reader = IntervalReader::new(IntervalOptions {
            multipliers: vec![
                ("0001".into(), Decimal::from(8000)),
                ("0002".into(), Decimal::ONE),
            ],
            ..Default::default()
        });
        reader.sheet("S");
        reader.row(
            0,
            0,
            &[
                t("电能表资产编号"),
                t("日期"),
                t("正向有功总(kWh)"),
                t("反向有功总(kWh)"),
            ],
        );
        let mut row = 1;
        for k in 0..4 {
            let at = format!("2024-06-01 00:{:02}", k * 15);
            let big = format!("10.{:02}", k * 5);
            let small = format!("{}", 500 + k * 2);
            reader.row(row, 0, &[t("0001"), t(&at), t(&big), t("0")]);
            reader.row(
                row + 1,
                0,
                &[t("0002"), t(&at), t(&small), t(&format!("{k}"))],
            );
            row += 2;
        }
        let out = reader.finish();
        let errors: Vec<_> = out
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "a date column of quarter hours is the time and each meter has its multiplier: {errors:?}");
        let total = |m: &str| -> Decimal {
            out.series
                .iter()
                .find(|s| s.meter.as_deref() == Some(m))
                .map(|s| s.readings.iter().map(|r| r.value).sum())
                .unwrap()
        };
        assert_eq!(total("0001"), Decimal::from(1200), "a date column of quarter hours is the time and each meter has its multiplier: 0.15 × 8000");
        assert_eq!(
            total("0002"),
            Decimal::from(6),
            "a date column of quarter hours is the time and each meter has its multiplier: 6 × 1"
        );
        let export = out.issues.iter().find(|i| {
            i.code == "EXPORT_KEPT_APART" && i.message(lingtan_core::Lang::En).starts_with("0002")
        });
        assert!(
            export.is_some_and(|i| i.message(lingtan_core::Lang::En).contains("comes to 3 ")),
            "a date column of quarter hours is the time and each meter has its multiplier: {:?}",
            out.issues
        );
    }

    #[test]
    fn a_total_row_of_an_energy_export_is_checked() {
        let mut reader = IntervalReader::new(IntervalOptions::default());
        let mut rows = long_rows(
            &["2024-06-01 00:00", "2024-06-01 01:00", "2024-06-01 02:00"],
            &["1.01", "1.01", "1.01"],
        );
        rows.push(vec![t("总计"), t("3.10")]);
        feed(&mut reader, rows);
        let out = reader.finish();
        let codes: Vec<&str> = out.issues.iter().map(|i| i.code).collect();
        assert!(
            codes.contains(&"TOTAL_MISMATCH"),
            "3.10 is 0.07 from 3.03: {codes:?}"
        );
    }

    #[test]
    fn demand_without_a_second_reading_is_refused() {
        let mut reader = IntervalReader::new(IntervalOptions::default());
        feed(
            &mut reader,
            vec![
                vec![t("时间"), t("功率(kW)")],
                vec![t("2024-06-03 00:15"), t("120")],
            ],
        );
        let out = reader.finish();
        assert_eq!(
            out.issues[0].code, "INTERVAL_UNKNOWN",
            "demand without a second reading is refused"
        );
        assert!(
            out.issues[0]
                .message(lingtan_core::Lang::En)
                .contains("demand"),
            "demand without a second reading is refused"
        );
    }
}
