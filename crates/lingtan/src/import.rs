//! Importing bills from a spreadsheet into a project: read and map (lingtan-import), check every
//! row against the source (unit, overlaps with records already in the project), then — only
//! when there is no error and it is not a dry run — write the whole batch in one transaction
//! with the file stored as evidence and every record pointing to its sheet and row.

use crate::{words, Action, Error, Field, Project, Result, Words};
use chrono::{NaiveDate, NaiveDateTime};
use lingtan_core::{Decimal, Lang, Severity, Unit};
use lingtan_import::interval::{self, IntervalMapping, IntervalOptions, Stamp};
use lingtan_import::{bills, read_bytes_noted, BillOptions, ImportIssue, SheetMapping};
use lingtan_store::{sha256_hex, ActivityRow, EvidenceFile, NewActivity, NewSeries, StoredReading};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub use lingtan_import::bills::periods_names;
pub use lingtan_import::interval::{Measure, Stamp as TimeStamps};
pub use lingtan_import::Kind;

/// What `lingtan import` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The emission source the rows belong to.
    pub source: Option<String>,
    /// Only this sheet.
    pub sheet: Option<String>,
    /// `bill`, `interval` or `auto` (default).
    pub kind: Option<String>,
    /// Show the mapping and the issues; write nothing.
    pub dry_run: bool,
    /// Import even if this file (and sheet) was imported before.
    pub force: bool,
    /// Interval data: whether timestamps mark the beginning or the end of each interval
    /// (overrides what is detected).
    pub stamp: Option<Stamp>,
    /// Interval data: the register multiplier (倍率), overriding the file (one meter only).
    pub multiplier: Option<Decimal>,
    /// Interval data: each meter's register multiplier (综合倍率), by its name in the file.
    pub multipliers: Vec<(String, Decimal)>,
    /// Header names from a saved mapping profile (bills): header → role.
    pub headers: Vec<(String, bills::Role)>,
    /// Progress reports and a way to cancel (the desktop app runs imports off its UI thread).
    pub watch: Option<Watch>,
}

/// Where an import is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading the file; `rows` read so far.
    Read,
    /// Checking the rows against the source and the project.
    Check,
    /// Writing the batch in one transaction; `rows` to write.
    Write,
}

/// Progress and cancellation for [`Project::import`]. `progress` is called from the importing
/// thread. Setting `cancel` (from any thread) stops the read at its next report, the check, or
/// the write within microseconds (its transaction rolls back whole): the project is left as it
/// was and the report carries `IMPORT_CANCELLED`. A cancel that comes after the commit changes
/// nothing: the import is done, and undoing it is `undo_import`.
#[derive(Clone)]
pub struct Watch {
    pub cancel: std::sync::Arc<std::sync::atomic::AtomicBool>,
    pub progress: std::sync::Arc<dyn Fn(Stage, u64) + Send + Sync>,
}

impl Watch {
    fn cancelled(&self) -> bool {
        self.cancel.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl std::fmt::Debug for Watch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watch")
            .field("cancelled", &self.cancelled())
            .finish_non_exhaustive()
    }
}

impl ImportOptions {
    fn progress(&self, stage: Stage, rows: u64) {
        if let Some(w) = &self.watch {
            (w.progress)(stage, rows);
        }
    }

    /// True when cancelled (and then `report` says so).
    fn stop(&self, report: &mut ImportReport) -> bool {
        let stop = self.watch.as_ref().is_some_and(Watch::cancelled);
        if stop && !report.issues.iter().any(|i| i.code == "IMPORT_CANCELLED") {
            report.issues.push(ImportIssue::cancelled(&report.file));
        }
        stop
    }
}

/// Accepted and rejected data rows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RowCounts {
    pub accepted: u32,
    pub rejected: u32,
}

/// The quantity imported per source and unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportTotal {
    pub source: String,
    pub unit: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
}

/// A bill's share of an interval month, and how the two compare.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reconciliation {
    /// The bill records compared.
    pub bills: Vec<i64>,
    /// The bills' quantity over the days the readings cover (prorated by days when a bill runs
    /// past them), in the readings' unit.
    #[serde(with = "rust_decimal::serde::str")]
    pub billed: Decimal,
    /// Readings minus billed.
    #[serde(with = "rust_decimal::serde::str")]
    pub difference: Decimal,
    /// Difference as a percentage of billed (2 decimals).
    #[serde(with = "rust_decimal::serde::str")]
    pub percent: Decimal,
    /// Whether a bill had to be prorated by days.
    pub prorated: bool,
}

/// One month of interval readings, rolled up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthLine {
    pub source: String,
    /// `2024-06`
    pub month: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
    pub unit: String,
    pub readings: u64,
    /// Intervals in the days covered, for every meter.
    pub expected: u64,
    /// Per meter (the file's names; `""` for an unnamed meter).
    pub meters: BTreeMap<String, String>,
    /// `record` (written as the month's activity record), `bills` (the month already has bills:
    /// readings kept and compared, nothing added), or `refused`.
    pub action: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reconciliation: Option<Reconciliation>,
}

/// The outcome of an import (or a dry run, or a refusal).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportReport {
    /// The batch written; None on a dry run or a refusal.
    pub batch: Option<i64>,
    pub file: String,
    pub sha256: String,
    /// `bill` or `interval`; None when the file could not be read.
    pub kind: Option<Kind>,
    pub rows: RowCounts,
    pub totals: Vec<ImportTotal>,
    pub issues: Vec<ImportIssue>,
    /// Bill ledgers: how each sheet was mapped.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mappings: Vec<SheetMapping>,
    /// Interval data: how each sheet was mapped.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub intervals: Vec<IntervalMapping>,
    /// Interval data: the monthly roll-ups.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub months: Vec<MonthLine>,
}

impl ImportReport {
    pub fn refused(&self) -> bool {
        self.issues.iter().any(|i| i.severity == Severity::Error)
    }
}

fn detail(row: &bills::BillRow) -> Option<String> {
    let mut map = serde_json::Map::new();
    for (key, value) in [
        ("sharp", row.sharp),
        ("peak", row.peak),
        ("flat", row.flat),
        ("valley", row.valley),
        ("cost", row.cost),
    ] {
        if let Some(v) = value {
            map.insert(key.into(), serde_json::Value::String(v.to_string()));
        }
    }
    if row.cost.is_some() {
        map.insert("cost_unit".into(), "CNY".into());
    }
    if let Some(m) = &row.meter {
        map.insert("meter".into(), serde_json::Value::String(m.clone()));
    }
    (!map.is_empty()).then(|| serde_json::Value::Object(map).to_string())
}

impl Project {
    /// Import bills from `path` into one source. Returns the report in every case where the file
    /// could be looked at; `Err` only for a problem outside the file (e.g. an unknown source).
    pub fn import(&mut self, path: &Path, options: &ImportOptions) -> Result<ImportReport> {
        let file = crate::input::file_name(path);
        let bytes = crate::files::read(path, crate::files::Input::Import)?;
        let sha256 = sha256_hex(&bytes);
        let mut report = ImportReport {
            batch: None,
            file: file.clone(),
            sha256: sha256.clone(),
            kind: None,
            rows: RowCounts::default(),
            totals: Vec::new(),
            issues: Vec::new(),
            mappings: Vec::new(),
            intervals: Vec::new(),
            months: Vec::new(),
        };
        let kind = match options
            .kind
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("auto") => None,
            Some("bill" | "bills") => Some(Kind::Bill),
            Some("interval") => Some(Kind::Interval),
            Some(other) => {
                return Err(Error::new(
                    "BAD_KIND",
                    Field::Kind,
                    words![
                        Field::Kind,
                        format!(" '{other}': choose bill, interval or auto")
                    ],
                    words![
                        Field::Kind,
                        format!(" “{other}”：请选择 bill、interval 或 auto")
                    ],
                ));
            }
        };
        let Some(source_name) = &options.source else {
            let names: Vec<String> = self.sources()?.into_iter().map(|s| s.name).collect();
            return Err(Error::new(
                "MISSING_FIELD",
                Field::Source,
                if names.is_empty() {
                    words![
                        Field::Source,
                        ": say which emission source these bills belong to (add one first with ",
                        Action::AddSource,
                        ")"
                    ]
                } else {
                    words![
                        Field::Source,
                        format!(
                            ": say which emission source these bills belong to ({})",
                            names.join(", ")
                        )
                    ]
                },
                if names.is_empty() {
                    words![
                        Field::Source,
                        "：请指定这些账单所属的排放源（请先用 ",
                        Action::AddSource,
                        " 添加）"
                    ]
                } else {
                    words![
                        Field::Source,
                        format!("：请指定这些账单所属的排放源（{}）", names.join("、"))
                    ]
                },
            ));
        };
        let source = self.find_source(source_name)?;
        let kind = match kind {
            Some(k) => k,
            None => match lingtan_import::detect_kind(&file, &bytes, options.sheet.as_deref()) {
                Ok(k) => k,
                Err(issue) => {
                    report.issues.push(*issue);
                    return Ok(report);
                }
            },
        };
        report.kind = Some(kind);
        // the same file (and sheet) imported before
        let label = match &options.sheet {
            Some(sheet) => format!("{file} [{sheet}]"),
            None => file.clone(),
        };
        if !options.force {
            if let Some(b) = self.store.batches()?.into_iter().find(|b| {
                b.reverted_at.is_none()
                    && b.sha256.as_deref() == Some(sha256.as_str())
                    && b.label == label
            }) {
                report.issues.push(ImportIssue::file(
                    "FILE_ALREADY_IMPORTED",
                    format!("{file}: this file was already imported as batch #{} on {}; undo that batch first, or import it again anyway (the force option)", b.id, b.created_at),
                    format!("{file}：该文件已于 {} 导入为批次 #{}；请先撤销该批次，或强制再次导入", b.created_at, b.id),
                ));
            }
        }

        if kind == Kind::Interval {
            return self.import_intervals(bytes, &source, &label, options, report);
        }
        options.progress(Stage::Read, 0);
        let sheets = match read_bytes_noted(&file, &bytes) {
            Ok((sheets, notes)) => {
                // how the file itself was read (a CSV column with decimal commas)
                report.issues.extend(notes);
                sheets
            }
            Err(issue) => {
                report.issues.push(*issue);
                return Ok(report);
            }
        };
        let read = bills::read(
            &sheets,
            &BillOptions {
                sheet: options.sheet.clone(),
                default_unit: source.unit,
                headers: options.headers.clone(),
            },
        );
        report.mappings = read.mappings;
        report.issues.extend(read.issues);
        report.rows.rejected = read.rejected;
        for m in &report.mappings {
            for c in m.columns.iter().filter(|c| c.role == bills::Role::Quantity) {
                let said = contradiction(&source, &c.header, c.unit);
                if let Some((en, zh)) = said {
                    report.issues.push(ImportIssue {
                        code: "HEADER_CONTRADICTS_SOURCE",
                        severity: Severity::Warning,
                        en: en.into(),
                        zh: zh.into(),
                        sheet: Some(m.sheet.clone()),
                        row: Some(m.header_row),
                        column: Some(c.header.clone()),
                        cell: Some(format!("{}{}", c.column, m.header_row)),
                    });
                }
            }
        }
        if report.mappings.is_empty() && options.kind.is_none() {
            // the interval-only options say a meter export was meant: say why it is not one
            let given = if options.multiplier.is_some() || !options.multipliers.is_empty() {
                Some(("the multiplier option", "倍率选项"))
            } else if options.stamp.is_some() {
                Some(("the timestamps option", "时间戳选项"))
            } else {
                None
            };
            if let Some((option, option_zh)) = given {
                let iv = interval::read(
                    &file,
                    &bytes,
                    IntervalOptions {
                        sheet: options.sheet.clone(),
                        ..IntervalOptions::default()
                    },
                );
                for i in iv
                    .issues
                    .into_iter()
                    .filter(|i| i.code == "HEADER_NOT_FOUND")
                {
                    report.issues.push(ImportIssue {
                        en: i.en.after(format!("{option} is for meter exports, and this file was not recognised as one either: ")),
                        zh: i.zh.after(format!("{option_zh}用于电表导出数据，但该文件也未被识别为电表数据：")),
                        ..i
                    });
                }
            }
        }
        options.progress(Stage::Check, read.rows.len() as u64);
        if options.stop(&mut report) {
            return Ok(report);
        }

        // every row must fit the source and not overlap what the project already holds
        let site = self.site_of(&source)?;
        let catalog = self.catalog()?;
        let existing = self.store.activities(Some(source.id))?;
        let interval_batches = interval_batches(self, source.id)?;
        let mut unit_checks: BTreeMap<Unit, Option<Error>> = BTreeMap::new();
        let mut accepted = Vec::new();
        for row in &read.rows {
            if let Some(issue) = implausible_period(row.from, row.to) {
                report.issues.push(ImportIssue {
                    sheet: Some(row.sheet.clone()),
                    row: Some(row.row),
                    ..issue
                });
                report.rows.rejected += 1;
                continue;
            }
            let check = unit_checks.entry(row.unit).or_insert_with(|| {
                self.check_unit(
                    &source,
                    &site,
                    row.unit,
                    &catalog,
                    crate::Ref::Name(Field::Unit),
                )
                .err()
            });
            if let Some(e) = check {
                report.issues.push(ImportIssue {
                    row: Some(row.row),
                    ..unit_mismatch(e, &row.sheet)
                });
                report.rows.rejected += 1;
                continue;
            }
            // a negative adjustment (退补) overlaps the bill it adjusts by nature
            let overlap = if row.adjustment {
                None
            } else {
                crate::activity::overlapping(&existing, row.from, row.to, None)
            };
            if let Some(other) = overlap {
                let (hint_en, hint_zh) = if is_rollup(other, &interval_batches) {
                    (format!("; that record is a month of meter readings (batch #{}): undo it, import the bills, then import the meter export again and it will be compared with the bills", other.batch_id.unwrap_or_default()), format!("；该记录为电表区间数据的月度汇总（批次 #{}）：请先撤销该批次，导入账单后再导入电表数据，届时将与账单核对", other.batch_id.unwrap_or_default()))
                } else {
                    (String::new(), String::new())
                };
                report.issues.push(ImportIssue {
                    code: "PERIOD_OVERLAPS_PROJECT",
                    severity: Severity::Error,
                    en: format!("this bill ({}..{}) overlaps record #{} already in the project ({}..{}, {} {}){}{hint_en}", row.from, row.to, other.id, other.from, other.to, other.quantity, other.unit.code(), other.origin_ref.as_ref().map(|o| format!(" from {o}")).unwrap_or_default()).into(),
                    zh: format!("本行账单（{}至{}）与项目中已有记录 #{} 重叠（{}至{}，{} {}）{hint_zh}", row.from, row.to, other.id, other.from, other.to, other.quantity, other.unit.code()).into(),
                    sheet: Some(row.sheet.clone()),
                    row: Some(row.row),
                    column: None,
                    cell: None,
                });
                report.rows.rejected += 1;
                continue;
            }
            accepted.push(row.clone());
        }
        report.rows.accepted = accepted.len() as u32;
        let mut sums: BTreeMap<Unit, Decimal> = BTreeMap::new();
        for row in &accepted {
            *sums.entry(row.unit).or_default() += row.quantity;
        }
        report.totals = totals(&source.name, sums);
        if !ready_to_write(
            &mut report,
            options,
            accepted.is_empty(),
            (
                format!("{file}: no bill rows found"),
                format!("{file}：未找到账单行"),
            ),
        ) {
            return Ok(report);
        }
        options.progress(Stage::Write, accepted.len() as u64);
        let now = self.now();
        let rows: Vec<NewActivity> = accepted
            .iter()
            .map(|row| NewActivity {
                source_id: source.id,
                from: row.from,
                to: row.to,
                quantity: row.quantity,
                unit: row.unit,
                note: row.note.clone(),
                evidence_id: None, // set to the file's evidence when the batch is written
                reason: row
                    .adjustment
                    .then(|| format!("adjustment (退补) in the ledger {file}, {}", row.origin())),
                origin_ref: Some(row.origin()),
                detail: detail(row),
            })
            .collect();
        let evidence = EvidenceFile {
            file_name: &file,
            sha256: &sha256,
            content: &bytes,
        };
        self.write_batch(options, report, &label, &evidence, &rows, Vec::new(), &now)
    }

    /// Undo an import batch: its records are voided (kept) and the undo is logged.
    pub fn undo_import(&mut self, batch: i64, reason: &str) -> Result<u64> {
        let reason = crate::limits::text(crate::limits::REASON, reason)?;
        if reason.is_empty() {
            return Err(Error::new(
                "MISSING_REASON",
                Field::Reason,
                words![Field::Reason, ": undoing an import needs a reason"],
                words![Field::Reason, "：撤销导入必须说明原因"],
            ));
        }
        let now = self.now();
        self.store
            .revert_batch(batch, &reason, &now)
            .map_err(|e| match e {
                lingtan_store::StoreError::Missing { name, .. } => Error::new(
                    "UNKNOWN_BATCH",
                    Field::Batch,
                    format!("import batch {name}: no such batch to undo"),
                    format!("导入批次 {name}：没有可撤销的该批次"),
                ),
                e => e.into(),
            })
    }

    /// The import batches, oldest first.
    pub fn batches(&self) -> Result<Vec<lingtan_store::Batch>> {
        Ok(self.store.batches()?)
    }
}

/// The batches of this source that brought interval readings: their records are months of
/// meter readings, not bills.
fn interval_batches(project: &Project, source_id: i64) -> Result<BTreeSet<i64>> {
    Ok(project
        .store
        .interval_series(Some(source_id))?
        .into_iter()
        .map(|s| s.batch_id)
        .collect())
}

fn is_rollup(a: &ActivityRow, interval_batches: &BTreeSet<i64>) -> bool {
    a.batch_id.is_some_and(|b| interval_batches.contains(&b))
}

/// Words of a quantity header that name electricity, and fuels.
const ELECTRICITY_WORDS: &[&str] = &["电量", "有功", "用电", "电能", "electricity", "kwh"];
const FUEL_WORDS: &[&str] = &[
    "用气",
    "气量",
    "天然气",
    "燃气",
    "柴油",
    "汽油",
    "加油",
    "燃油",
    "煤",
    "液化气",
    "gas",
    "diesel",
    "petrol",
    "gasoline",
    "fuel",
    "coal",
    "lpg",
];

/// A quantity header whose meaning or unit contradicts the source's kind: an electricity ledger
/// (有功电量, kWh) imported into a fuel source converts through energy without a word otherwise.
fn contradiction(
    source: &lingtan_core::Source,
    header: &str,
    unit: Option<Unit>,
) -> Option<(String, String)> {
    use lingtan_core::SourceKind as K;
    let lower = header.to_lowercase();
    let electric = ELECTRICITY_WORDS.iter().any(|w| lower.contains(w))
        || matches!(
            unit,
            Some(Unit::KWh | Unit::MWh | Unit::GWh | Unit::TenThousandKWh)
        );
    let fuel = FUEL_WORDS.iter().any(|w| lower.contains(w));
    let (kind_en, kind_zh) = source.kind.names();
    match source.kind {
        K::StationaryCombustion | K::MobileCombustion | K::Process | K::Fugitive if electric && !fuel => Some((
            format!("the column '{header}' holds electricity, but source '{}' is {}: electricity goes to an electricity source (scope 2); check the source chosen for the import", source.name, kind_en.to_lowercase()),
            format!("“{header}”列为电量，但排放源“{}”为{kind_zh}：电量应导入电力排放源（范围二）；请检查所选的排放源", source.name),
        )),
        K::Electricity if fuel && !electric => Some((
            format!("the column '{header}' holds a fuel, but source '{}' is {}: check the source chosen for the import", source.name, kind_en.to_lowercase()),
            format!("“{header}”列为燃料用量，但排放源“{}”为{kind_zh}：请检查所选的排放源", source.name),
        )),
        _ => None,
    }
}

/// A unit the source cannot take.
fn unit_mismatch(e: &Error, sheet: &str) -> ImportIssue {
    ImportIssue::on_sheet(
        "UNIT_MISMATCH",
        Severity::Error,
        sheet,
        format!(
            "{}; choose the right source or fix the unit",
            e.message(Lang::En)
        ),
        format!("{}；请选择正确的排放源或更正单位", e.message(Lang::Zh)),
    )
}

/// The imported quantity per unit, for the report.
fn totals(source: &str, totals: BTreeMap<Unit, Decimal>) -> Vec<ImportTotal> {
    totals
        .into_iter()
        .map(|(unit, quantity)| ImportTotal {
            source: source.to_string(),
            unit: unit.code().to_string(),
            quantity,
        })
        .collect()
}

/// Readings and bills within this percentage are reported as agreeing.
const RECONCILE_TOLERANCE_PERCENT: i64 = 2;

#[derive(Default)]
struct MonthAgg {
    total: Decimal,
    readings: u64,
    expected_per_day: u64,
    first: Option<NaiveDateTime>,
    last: Option<NaiveDateTime>,
    meters: BTreeMap<String, Decimal>,
    /// sheet → (first row, last row), 1-based
    rows: BTreeMap<String, (u32, u32)>,
    interval: u32,
}

/// A month of readings far beyond anything the source's records show (per day): a warning
/// naming the meter with the largest share and the figures.
fn beyond_history(
    existing: &[ActivityRow],
    month: &str,
    agg: &MonthAgg,
    unit: Unit,
    days: u64,
) -> Option<ImportIssue> {
    let per_day = agg.total / Decimal::from(days.max(1));
    let (most, record) = existing
        .iter()
        .filter(|a| !a.quantity.is_sign_negative())
        .filter_map(|a| {
            let q = a.unit.convert(a.quantity, unit).ok()?;
            Some((q / Decimal::from(inclusive_days(a.from, a.to).max(1)), a.id))
        })
        .max_by_key(|(q, _)| *q)?;
    if most <= Decimal::ZERO || per_day <= most * Decimal::from(10) {
        return None;
    }
    let (meter, share) = agg.meters.iter().max_by_key(|(_, q)| **q)?;
    let meter = if meter.is_empty() {
        String::new()
    } else {
        format!(
            "meter {meter} ({} {u}), ",
            share.normalize(),
            u = unit.code()
        )
    };
    let u = unit.code();
    Some(ImportIssue::file(
        "METER_UNUSUAL",
        format!("{month}: the readings come to {} {u} a day ({meter}total {} {u}), more than 10 times the most the source's records show ({} {u} a day, record #{record}): check the multiplier and the unit", per_day.round_dp(3).normalize(), agg.total.normalize(), most.round_dp(3).normalize()),
        format!("{month}：读数折合每天 {} {u}（{meter}合计 {} {u}），超过该排放源已有记录最高值（每天 {} {u}，记录 #{record}）的 10 倍：请检查倍率和单位", per_day.round_dp(3).normalize(), agg.total.normalize(), most.round_dp(3).normalize()),
    ).with_severity(Severity::Warning))
}

fn inclusive_days(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days() + 1
}

impl Project {
    /// Interval data: read (streaming), roll up per month, reconcile months that already have
    /// bills, and write the series at full resolution with the new months' records.
    fn import_intervals(
        &mut self,
        bytes: Vec<u8>,
        source: &lingtan_core::Source,
        label: &str,
        options: &ImportOptions,
        mut report: ImportReport,
    ) -> Result<ImportReport> {
        let file = report.file.clone();
        options.progress(Stage::Read, 0);
        let read = interval::read_watched(
            &file,
            &bytes,
            IntervalOptions {
                sheet: options.sheet.clone(),
                stamp: options.stamp,
                default_unit: source.unit,
                multiplier: options.multiplier,
                multipliers: options.multipliers.clone(),
            },
            &mut |rows| {
                options.progress(Stage::Read, rows);
                !options.watch.as_ref().is_some_and(Watch::cancelled)
            },
        );
        report.intervals = read.mappings;
        report.issues.extend(read.issues);
        report.rows.rejected = read.rejected;
        let series = read.series;
        for m in &report.intervals {
            let value = m.columns.iter().find(|c| c.role == "value");
            let unit = m.unit.as_deref().and_then(|u| Unit::parse(u).ok());
            if let Some((en, zh)) = value.and_then(|c| contradiction(source, &c.header, unit)) {
                report.issues.push(ImportIssue {
                    code: "HEADER_CONTRADICTS_SOURCE",
                    severity: Severity::Warning,
                    en: en.into(),
                    zh: zh.into(),
                    sheet: Some(m.sheet.clone()),
                    row: Some(m.header_row),
                    column: value.map(|c| c.header.clone()),
                    cell: value.map(|c| format!("{}{}", c.column, m.header_row)),
                });
            }
        }

        // the unit must fit the source
        let site = self.site_of(source)?;
        let catalog = self.catalog()?;
        let mut bad_units: Vec<Unit> = Vec::new();
        for s in &series {
            if bad_units.contains(&s.unit) {
                continue;
            }
            if let Err(e) = self.check_unit(
                source,
                &site,
                s.unit,
                &catalog,
                crate::Ref::Name(Field::Unit),
            ) {
                bad_units.push(s.unit);
                report.issues.push(unit_mismatch(&e, &s.sheet));
            }
        }

        // roll up per month, over every meter of the file
        let mut months: BTreeMap<(i32, u32, Unit), MonthAgg> = BTreeMap::new();
        for s in &series {
            let meter = s.meter.clone().unwrap_or_default();
            for m in s.monthly() {
                let agg = months.entry((m.year, m.month, s.unit)).or_default();
                agg.total += m.total;
                agg.readings += u64::from(m.readings);
                agg.expected_per_day += u64::from(1440 / s.interval_minutes.max(1));
                agg.first = Some(agg.first.map_or(m.first, |f| f.min(m.first)));
                agg.last = Some(agg.last.map_or(m.last, |l| l.max(m.last)));
                *agg.meters.entry(meter.clone()).or_default() += m.total;
                let rows = agg
                    .rows
                    .entry(s.sheet.clone())
                    .or_insert((m.first_row, m.last_row));
                rows.0 = rows.0.min(m.first_row);
                rows.1 = rows.1.max(m.last_row);
                agg.interval = s.interval_minutes;
            }
        }
        let existing = self.store.activities(Some(source.id))?;
        let interval_batches = interval_batches(self, source.id)?;
        let mut records = Vec::new();
        let mut sums: BTreeMap<Unit, Decimal> = BTreeMap::new();
        for ((y, m, unit), agg) in months {
            let (Some(first), Some(last)) = (agg.first, agg.last) else {
                continue;
            };
            let (from, to) = (first.date(), last.date());
            let days = inclusive_days(from, to) as u64;
            let expected = days * agg.expected_per_day;
            let month = format!("{y}-{m:02}");
            *sums.entry(unit).or_default() += agg.total;
            let (month_first, month_last) = lingtan_import::text::month_bounds(y, m);
            if from > month_first || to < month_last {
                report.issues.push(ImportIssue::file(
                    "MONTH_PARTIAL",
                    format!("{month}: the readings cover {from}..{to} only; the month's record covers those days, and the rest of the month needs its own records"),
                    format!("{month}：读数只覆盖 {from} 至 {to}；该月记录只含这些天，其余日期需另行录入"),
                ).with_severity(Severity::Warning));
            }
            let overlapping: Vec<&ActivityRow> =
                crate::activity::overlaps(&existing, from, to).collect();
            let mut line = MonthLine {
                source: source.name.clone(),
                month: month.clone(),
                from,
                to,
                quantity: agg.total,
                unit: unit.code().to_string(),
                readings: agg.readings,
                expected,
                meters: agg
                    .meters
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_string()))
                    .collect(),
                action: "record",
                reconciliation: None,
            };
            if let Some(issue) = implausible_period(from, to) {
                line.action = "refused";
                report.issues.push(ImportIssue {
                    en: issue.en.after(format!("{month}: ")),
                    zh: issue.zh.after(format!("{month}：")),
                    ..issue
                });
            } else if let Some(other) = overlapping.iter().find(|a| is_rollup(a, &interval_batches))
            {
                line.action = "refused";
                report.issues.push(ImportIssue {
                    code: "PERIOD_OVERLAPS_PROJECT",
                    severity: Severity::Error,
                    en: format!("{month}: these readings overlap record #{} ({}..{}), a month of meter readings already imported (batch #{}); undo that batch first or choose another source", other.id, other.from, other.to, other.batch_id.unwrap_or_default()).into(),
                    zh: format!("{month}：这些读数与记录 #{}（{}至{}）重叠，该记录为已导入的电表月度汇总（批次 #{}）；请先撤销该批次或选择其他排放源", other.id, other.from, other.to, other.batch_id.unwrap_or_default()).into(),
                    sheet: None,
                    row: None,
                    column: None,
                    cell: None,
                });
            } else if !overlapping.is_empty() {
                // the month has bills: keep the readings, compare, add nothing
                let mut billed = Decimal::ZERO;
                let mut prorated = false;
                let mut convertible = true;
                for b in &overlapping {
                    let Ok(q) = b.unit.convert(b.quantity, unit) else {
                        convertible = false;
                        continue;
                    };
                    let lo = b.from.max(from);
                    let hi = b.to.min(to);
                    let share_days = inclusive_days(lo, hi);
                    let bill_days = inclusive_days(b.from, b.to);
                    if share_days < bill_days {
                        prorated = true;
                        billed += q * Decimal::from(share_days) / Decimal::from(bill_days);
                    } else {
                        billed += q;
                    }
                }
                line.action = "bills";
                let ids: Vec<i64> = overlapping.iter().map(|a| a.id).collect();
                let list = ids
                    .iter()
                    .map(|i| format!("#{i}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                if convertible && !billed.is_zero() {
                    let difference = agg.total - billed;
                    let percent = (difference * Decimal::from(100) / billed).round_dp(2);
                    let billed_shown = billed.round_dp(2).normalize();
                    let how_en = if prorated {
                        ", bills prorated by days"
                    } else {
                        ""
                    };
                    let how_zh = if prorated {
                        "，账单按天数折算"
                    } else {
                        ""
                    };
                    let within = percent.abs() <= Decimal::from(RECONCILE_TOLERANCE_PERCENT);
                    report.issues.push(ImportIssue {
                        code: if within { "RECONCILED" } else { "RECONCILE_DIFFERS" },
                        severity: if within { Severity::Info } else { Severity::Warning },
                        en: format!("{month} ({from}..{to}) already has bills ({list}): the readings are kept and compared, and the month is not added again. Readings {} {u}, bills {billed_shown} {u}{how_en}: {}{percent} % ({})", agg.total.normalize(), if percent.is_sign_positive() { "+" } else { "" }, if within { format!("within ±{RECONCILE_TOLERANCE_PERCENT} %") } else { format!("more than ±{RECONCILE_TOLERANCE_PERCENT} %: check the meter, its multiplier, or the bills") }, u = unit.code()).into(),
                        zh: format!("{month}（{from}至{to}）已有账单（{list}）：读数已保存并与账单核对，该月不重复计入。读数 {} {u}，账单 {billed_shown} {u}{how_zh}：相差 {}{percent} %（{}）", agg.total.normalize(), if percent.is_sign_positive() { "+" } else { "" }, if within { format!("在 ±{RECONCILE_TOLERANCE_PERCENT} % 以内") } else { format!("超过 ±{RECONCILE_TOLERANCE_PERCENT} %：请检查电表、倍率或账单") }, u = unit.code()).into(),
                        sheet: None,
                        row: None,
                        column: None,
                        cell: None,
                    });
                    line.reconciliation = Some(Reconciliation {
                        bills: ids,
                        billed: billed.round_dp(6).normalize(),
                        difference: difference.round_dp(6).normalize(),
                        percent,
                        prorated,
                    });
                } else {
                    report.issues.push(ImportIssue {
                        code: "RECONCILE_IMPOSSIBLE",
                        severity: Severity::Warning,
                        en: format!("{month} already has records ({list}) that cannot be compared with the readings (different kind of unit); the readings are kept, the month is not added again").into(),
                        zh: format!("{month} 已有记录（{list}），其单位无法与读数比较；读数已保存，该月不重复计入").into(),
                        sheet: None,
                        row: None,
                        column: None,
                        cell: None,
                    });
                }
            } else if !bad_units.contains(&unit) {
                if let Some(issue) = beyond_history(&existing, &month, &agg, unit, days) {
                    report.issues.push(issue);
                }
                let origin = agg
                    .rows
                    .iter()
                    .map(|(sheet, (a, b))| format!("{sheet}!{a}:{b}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let detail = serde_json::json!({
                    "interval_minutes": agg.interval,
                    "readings": agg.readings,
                    "expected": expected,
                    "meters": line.meters,
                });
                records.push(NewActivity {
                    source_id: source.id,
                    from,
                    to,
                    quantity: agg.total,
                    unit,
                    note: None,
                    evidence_id: None,
                    reason: None,
                    origin_ref: Some(origin),
                    detail: Some(detail.to_string()),
                });
            }
            report.months.push(line);
        }
        report.rows.accepted = series.iter().map(|s| s.readings.len() as u32).sum();
        report.totals = totals(&source.name, sums);
        if !ready_to_write(
            &mut report,
            options,
            series.is_empty(),
            (
                format!("{file}: no readings found"),
                format!("{file}：未找到读数"),
            ),
        ) {
            return Ok(report);
        }
        let to_write = u64::from(report.rows.accepted);
        options.progress(Stage::Write, 0);
        let written = std::cell::Cell::new(0u64);
        let (written, watch) = (&written, options.watch.as_ref());
        let now = self.now();
        let new_series: Vec<NewSeries<'_>> = series
            .into_iter()
            .map(|s| NewSeries {
                source_id: source.id,
                sheet: s.sheet,
                meter: s.meter,
                unit: s.unit,
                interval_minutes: s.interval_minutes,
                stamp: s.stamp.code(),
                measure: match s.measure {
                    interval::Measure::Energy => "energy",
                    interval::Measure::Register => "register",
                    interval::Measure::Demand => "demand",
                },
                multiplier: s.multiplier,
                readings: Box::new(s.readings.into_iter().map(move |r| {
                    let n = written.get() + 1;
                    written.set(n);
                    if n % interval::WATCH_ROWS == 0 {
                        if let Some(w) = watch {
                            (w.progress)(Stage::Write, n * 1000 / to_write.max(1));
                        }
                    }
                    StoredReading {
                        start: r.start,
                        value: r.value,
                        row: r.row,
                        col: r.col,
                    }
                })),
            })
            .collect();
        let sha256 = report.sha256.clone();
        let evidence = EvidenceFile {
            file_name: &file,
            sha256: &sha256,
            content: &bytes,
        };
        self.write_batch(
            options, report, label, &evidence, &records, new_series, &now,
        )
    }
}

/// What the bill and the interval import share before writing: no rows at all is an error; a
/// cancel, a refusal or a dry run stops here. True when the batch is to be written.
fn ready_to_write(
    report: &mut ImportReport,
    options: &ImportOptions,
    nothing: bool,
    (en, zh): (String, String),
) -> bool {
    if nothing && !report.refused() {
        report.issues.push(ImportIssue::file("NO_ROWS", en, zh));
    }
    !(options.stop(report) || report.refused() || options.dry_run)
}

impl Project {
    /// Write an import as one batch, the one way both imports do: a cancel while writing rolls
    /// the batch back and is said in the report like a cancel before it.
    #[allow(clippy::too_many_arguments)]
    fn write_batch(
        &mut self,
        options: &ImportOptions,
        mut report: ImportReport,
        label: &str,
        evidence: &EvidenceFile<'_>,
        rows: &[NewActivity],
        series: Vec<NewSeries<'_>>,
        now: &str,
    ) -> Result<ImportReport> {
        self.store
            .cancel_on(options.watch.as_ref().map(|w| w.cancel.clone()));
        let written = self
            .store
            .add_import_batch(label, evidence, rows, series, now);
        self.store.cancel_on(None);
        let batch = match written {
            Err(e) if options.watch.as_ref().is_some_and(Watch::cancelled) && is_interrupt(&e) => {
                options.stop(&mut report);
                return Ok(report);
            }
            other => other?,
        };
        report.batch = Some(batch);
        Ok(report)
    }
}

/// A period outside the years a record may fall in ([`crate::input::PERIOD_YEARS`]) is an error: a
/// typo's century, not a factory's bill.
fn implausible_period(from: NaiveDate, to: NaiveDate) -> Option<ImportIssue> {
    use chrono::Datelike;
    let years = crate::input::PERIOD_YEARS;
    if years.contains(&from.year()) && years.contains(&to.year()) {
        return None;
    }
    Some(ImportIssue::file(
        "PERIOD_IMPLAUSIBLE",
        format!(
            "the period {from}..{to} is not between {} and {}; check the year in the file",
            years.start(),
            years.end()
        ),
        format!(
            "期间 {from} 至 {to} 不在 {} 至 {} 年之间；请检查文件中的年份",
            years.start(),
            years.end()
        ),
    ))
}

/// Whether a store error is a cancelled write (rolled back as a whole).
fn is_interrupt(e: &lingtan_store::StoreError) -> bool {
    matches!(e, lingtan_store::StoreError::Interrupted)
}

/// A saved mapping: what had to be said about one supplier's file, kept so that the next file
/// from the same supplier imports with no questions. Stored as a small JSON file the user names.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappingProfile {
    /// The profile format (1).
    pub lingtan_mapping: u32,
    /// A name for people (the file's stem when saved).
    pub name: String,
    /// `bill` or `interval`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Bills: header as written → role (`period`, `from`, `to`, `quantity`, `unit`, `peak`,
    /// `flat`, `valley`, `cost`, `meter`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub columns: BTreeMap<String, String>,
    /// Interval data: `beginning` or `ending`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamps: Option<String>,
    /// Interval data: the register multiplier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiplier: Option<String>,
    /// Interval data: each meter's register multiplier (meter as the file names it → N).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub multipliers: BTreeMap<String, String>,
}

fn profile_error(path: &Path, en: impl Into<Words>, zh: impl Into<Words>) -> Error {
    let name = crate::input::file_name(path);
    let mut e = words![Field::Mapping, format!(" {name}: ")];
    e.append(en.into());
    let mut z = words![Field::Mapping, format!(" {name}：")];
    z.append(zh.into());
    Error::new("MAPPING_UNREADABLE", Field::Mapping, e, z)
}

impl MappingProfile {
    /// Read a profile; a bad file is an error naming the file and the problem.
    pub fn load(path: &Path) -> Result<MappingProfile> {
        let bytes = crate::files::read(path, crate::files::Input::Mapping)?;
        let text = String::from_utf8(bytes).map_err(|_| {
            profile_error(
                path,
                words![
                    "not a Lingtan mapping profile (it is not UTF-8 text); save one with ",
                    Field::SaveMapping
                ],
                words![
                    "不是 Lingtan 映射配置（不是 UTF-8 文本）；请用 ",
                    Field::SaveMapping,
                    " 保存"
                ],
            )
        })?;
        let profile: MappingProfile = serde_json::from_str(&text).map_err(|e| {
            profile_error(
                path,
                words![
                    format!("not a Lingtan mapping profile ({e}); save one with "),
                    Field::SaveMapping
                ],
                words![
                    format!("不是 Lingtan 映射配置（{e}）；请用 "),
                    Field::SaveMapping,
                    " 保存"
                ],
            )
        })?;
        if profile.lingtan_mapping != 1 {
            return Err(profile_error(
                path,
                format!(
                    "profile format {} is not known to this version (1)",
                    profile.lingtan_mapping
                ),
                format!(
                    "本版本不支持映射配置格式 {}（支持 1）",
                    profile.lingtan_mapping
                ),
            ));
        }
        for (header, role) in &profile.columns {
            if bills::Role::parse(role).is_none() {
                return Err(profile_error(
                    path,
                    format!(
                        "column '{header}': unknown role '{role}' ({})",
                        bills::Role::CODES
                    ),
                    format!("列“{header}”：未知用途“{role}”（{}）", bills::Role::CODES),
                ));
            }
        }
        if let Some(t) = &profile.timestamps {
            if TimeStamps::parse(t).is_none() {
                return Err(profile_error(
                    path,
                    format!("timestamps '{t}': write beginning or ending"),
                    format!("timestamps “{t}”：请写 beginning 或 ending"),
                ));
            }
        }
        for (meter, m) in &profile.multipliers {
            if m.parse::<Decimal>().map_or(true, |d| d <= Decimal::ZERO) {
                return Err(profile_error(
                    path,
                    format!("multipliers: '{meter}': '{m}' is not a positive number"),
                    format!("multipliers：“{meter}”：“{m}”不是正数"),
                ));
            }
        }
        if let Some(m) = &profile.multiplier {
            let sign = lingtan_core::number::Sign::Unsigned;
            let (en, zh) = match lingtan_core::number::parse(m, sign) {
                Err(e) => (e.en(), e.zh()),
                Ok(d) if d <= Decimal::ZERO => ("it must be above 0".into(), "须大于 0".into()),
                Ok(_) => (String::new(), String::new()),
            };
            if !en.is_empty() {
                return Err(profile_error(
                    path,
                    format!("multiplier '{m}' is not a positive number: {en}"),
                    format!("倍率“{m}”不是正数：{zh}"),
                ));
            }
        }
        Ok(profile)
    }

    /// Fill what the user did not say on the command line.
    pub fn apply(&self, options: &mut ImportOptions) {
        options.source = options.source.take().or_else(|| self.source.clone());
        options.sheet = options.sheet.take().or_else(|| self.sheet.clone());
        options.kind = options.kind.take().or_else(|| self.kind.clone());
        options.stamp = options
            .stamp
            .or_else(|| self.timestamps.as_deref().and_then(TimeStamps::parse));
        if options.multiplier.is_none() && options.multipliers.is_empty() {
            options.multiplier = self.multiplier.as_deref().and_then(profile_number);
            options.multipliers = self
                .multipliers
                .iter()
                .filter_map(|(meter, m)| profile_number(m).map(|m| (meter.clone(), m)))
                .collect();
        }
        options.headers = self
            .columns
            .iter()
            .filter_map(|(h, r)| bills::Role::parse(r).map(|r| (h.clone(), r)))
            .collect();
    }

    /// The profile of an import that was not refused: the options used and what was detected.
    pub fn from_import(
        name: &str,
        report: &ImportReport,
        options: &ImportOptions,
    ) -> MappingProfile {
        let mut columns = BTreeMap::new();
        for m in &report.mappings {
            for c in &m.columns {
                columns.insert(c.header.clone(), c.role.code().to_string());
            }
        }
        let interval = report.intervals.first();
        MappingProfile {
            lingtan_mapping: 1,
            name: name.to_string(),
            kind: report.kind.map(|k| match k {
                Kind::Bill => "bill".to_string(),
                Kind::Interval => "interval".to_string(),
            }),
            source: options.source.clone(),
            sheet: options.sheet.clone(),
            columns,
            timestamps: options
                .stamp
                .or_else(|| {
                    interval.and_then(|m| m.stamp).filter(|_| {
                        interval
                            .is_some_and(|m| m.layout == "long" && m.measure != Measure::Register)
                    })
                })
                .map(|s| s.code().to_string()),
            multiplier: options
                .multiplier
                .or_else(|| {
                    interval
                        .filter(|m| m.multipliers.is_empty())
                        .and_then(|m| m.multiplier)
                })
                .map(|m| m.to_string()),
            multipliers: if options.multipliers.is_empty() {
                interval
                    .map(|m| {
                        m.multipliers
                            .iter()
                            .map(|(k, v)| (k.clone(), v.to_string()))
                            .collect()
                    })
                    .unwrap_or_default()
            } else {
                options
                    .multipliers
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_string()))
                    .collect()
            },
        }
    }

    /// The profile as the file `--save-mapping` writes: pretty JSON whose `lingtan_mapping` key
    /// marks it as a profile Lingtan wrote (the only kind of file a later `--save-mapping` may
    /// replace).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text.into_bytes()
    }
}
/// A number in a mapping profile: the program's one decimal grammar, no sign.
fn profile_number(text: &str) -> Option<Decimal> {
    lingtan_core::number::parse(text, lingtan_core::number::Sign::Unsigned).ok()
}
