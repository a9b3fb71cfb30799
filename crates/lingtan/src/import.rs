//! Importing bills from a spreadsheet into a project: read and map (lingtan-import), check every
//! row against the source (unit, overlaps with records already in the project), then — only
//! when there is no error and it is not a dry run — write the whole batch in one transaction
//! with the file stored as evidence and every record pointing to its sheet and row.

use crate::{Error, Project, Result};
use lingtan_core::{Decimal, Severity, Unit};
use lingtan_import::{bills, read_bytes, BillOptions, ImportIssue, SheetMapping};
use lingtan_store::{sha256_hex, NewActivity};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

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

/// The outcome of an import (or a dry run, or a refusal).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportReport {
    /// The batch written; None on a dry run or a refusal.
    pub batch: Option<i64>,
    pub file: String,
    pub sha256: String,
    pub rows: RowCounts,
    pub totals: Vec<ImportTotal>,
    pub issues: Vec<ImportIssue>,
    pub mappings: Vec<SheetMapping>,
}

impl ImportReport {
    pub fn refused(&self) -> bool {
        self.issues.iter().any(|i| i.severity == Severity::Error)
    }
}

fn detail(row: &bills::BillRow) -> Option<String> {
    let mut map = serde_json::Map::new();
    for (key, value) in [
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
        let file = crate::file_name(path);
        let bytes = std::fs::read(path).map_err(|e| {
            Error::new(
                "FILE_UNREADABLE",
                "file".to_string(),
                format!("{}: cannot read the file: {e}", path.display()),
                format!("{}：无法读取文件：{e}", path.display()),
            )
        })?;
        let sha256 = sha256_hex(&bytes);
        let mut report = ImportReport {
            batch: None,
            file: file.clone(),
            sha256: sha256.clone(),
            rows: RowCounts::default(),
            totals: Vec::new(),
            issues: Vec::new(),
            mappings: Vec::new(),
        };
        match options
            .kind
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("auto" | "bill") => {}
            Some("interval") => {
                report.issues.push(ImportIssue::file("INTERVAL_NOT_YET", format!("{file}: interval meter exports (15-minute data) are not supported yet in this version; import the monthly bills instead"), format!("{file}：本版本尚不支持导入区间电表数据（15 分钟数据）；请导入月度账单")));
                return Ok(report);
            }
            Some(other) => {
                return Err(Error::new(
                    "BAD_KIND",
                    "kind".to_string(),
                    format!("--kind '{other}': choose bill, interval or auto"),
                    format!("--kind “{other}”：请选择 bill、interval 或 auto"),
                ));
            }
        }
        let Some(source_name) = &options.source else {
            let names: Vec<String> = self.sources()?.into_iter().map(|s| s.name).collect();
            return Err(Error::new(
                "MISSING_FIELD",
                "source".to_string(),
                format!(
                    "--source: say which emission source these bills belong to ({})",
                    if names.is_empty() {
                        "add one first with `lingtan source add`".to_string()
                    } else {
                        names.join(", ")
                    }
                ),
                format!(
                    "--source：请指定这些账单所属的排放源（{}）",
                    if names.is_empty() {
                        "请先用 `lingtan source add` 添加".to_string()
                    } else {
                        names.join("、")
                    }
                ),
            ));
        };
        let source = self.find_source(source_name)?;
        let sheets = match read_bytes(&file, &bytes) {
            Ok(sheets) => sheets,
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
            },
        );
        report.mappings = read.mappings;
        report.issues = read.issues;
        report.rows.rejected = read.rejected;

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
                    format!("{file}: this file was already imported as batch #{} on {}; undo that batch first (`lingtan import undo`) or add --force", b.id, b.created_at),
                    format!("{file}：该文件已于 {} 导入为批次 #{}；请先撤销该批次（`lingtan import undo`）或加 --force", b.created_at, b.id),
                ));
            }
        }

        // every row must fit the source and not overlap what the project already holds
        let site = self.site_of(&source)?;
        let catalog = self.catalog()?;
        let existing = self.store.activities(Some(source.id))?;
        let mut unit_checks: BTreeMap<Unit, Option<Error>> = BTreeMap::new();
        let mut accepted = Vec::new();
        for row in &read.rows {
            let check = unit_checks.entry(row.unit).or_insert_with(|| {
                self.check_unit(&source, &site, row.unit, &catalog, "unit")
                    .err()
            });
            if let Some(e) = check {
                report.issues.push(ImportIssue {
                    code: "UNIT_MISMATCH",
                    severity: Severity::Error,
                    en: format!("{}; choose the right --source or fix the unit", e.en),
                    zh: format!("{}；请选择正确的 --source 或更正单位", e.zh),
                    sheet: Some(row.sheet.clone()),
                    row: Some(row.row),
                    column: None,
                    cell: None,
                });
                report.rows.rejected += 1;
                continue;
            }
            if let Some(other) = crate::overlapping(&existing, row.from, row.to, None) {
                report.issues.push(ImportIssue {
                    code: "PERIOD_OVERLAPS_PROJECT",
                    severity: Severity::Error,
                    en: format!("this bill ({}..{}) overlaps record #{} already in the project ({}..{}, {} {}){}", row.from, row.to, other.id, other.from, other.to, other.quantity, other.unit.code(), other.origin_ref.as_ref().map(|o| format!(" from {o}")).unwrap_or_default()),
                    zh: format!("本行账单（{}至{}）与项目中已有记录 #{} 重叠（{}至{}，{} {}）", row.from, row.to, other.id, other.from, other.to, other.quantity, other.unit.code()),
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
        let mut totals: BTreeMap<Unit, Decimal> = BTreeMap::new();
        for row in &accepted {
            *totals.entry(row.unit).or_default() += row.quantity;
        }
        report.totals = totals
            .into_iter()
            .map(|(unit, quantity)| ImportTotal {
                source: source.name.clone(),
                unit: unit.code().to_string(),
                quantity,
            })
            .collect();
        if accepted.is_empty() && !report.refused() {
            report.issues.push(ImportIssue::file(
                "NO_ROWS",
                format!("{file}: no bill rows found"),
                format!("{file}：未找到账单行"),
            ));
        }
        if report.refused() || options.dry_run {
            return Ok(report);
        }
        let now = self.now();
        let evidence = self.store.add_evidence(&file, &bytes, &now)?;
        let rows: Vec<NewActivity> = accepted
            .iter()
            .map(|row| NewActivity {
                source_id: source.id,
                from: row.from,
                to: row.to,
                quantity: row.quantity,
                unit: row.unit,
                note: None,
                evidence_id: Some(evidence.id),
                reason: None,
                origin_ref: Some(row.origin()),
                detail: detail(row),
            })
            .collect();
        let batch = self
            .store
            .add_activity_batch(&label, Some(evidence.id), &rows, &now)?;
        report.batch = Some(batch);
        Ok(report)
    }

    /// Undo an import batch: its records are voided (kept) and the undo is logged.
    pub fn undo_import(&mut self, batch: i64, reason: &str) -> Result<u64> {
        if reason.trim().is_empty() {
            return Err(Error::new(
                "MISSING_REASON",
                "reason".to_string(),
                "--reason: undoing an import needs a reason",
                "--reason：撤销导入必须说明原因",
            ));
        }
        let now = self.now();
        self.store
            .revert_batch(batch, reason.trim(), &now)
            .map_err(|e| match e {
                lingtan_store::StoreError::Missing { name, .. } => Error::new(
                    "UNKNOWN_BATCH",
                    "batch".to_string(),
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
