//! Activity records: added, corrected (a new version with a reason), voided (kept), listed.

use crate::input::{
    check_period_years, file_name, parse_date, parse_decimal, parse_unit, MAX_QUANTITY,
};
use crate::limits::{self, Field, REASON};
use crate::{files, ActivityRow, Error, Evidence, Project, Result};
use chrono::NaiveDate;
use lingtan_core::{Decimal, Source};
use lingtan_store::NewActivity;
use std::path::{Path, PathBuf};

/// An activity record as typed.
#[derive(Debug, Clone, Default)]
pub struct ActivityEntry {
    pub source: String,
    pub from: String,
    pub to: String,
    pub qty: String,
    pub unit: String,
    pub note: Option<String>,
    pub evidence: Option<PathBuf>,
    pub reason: Option<String>,
    /// Record it even when it overlaps another record of the same source.
    pub allow_overlap: bool,
}

impl Project {
    fn activity_from_entry(
        &self,
        entry: &ActivityEntry,
        correcting: Option<&ActivityRow>,
    ) -> Result<(Source, NewActivity)> {
        let source = self.find_source(&entry.source)?;
        let from = parse_date("from", &entry.from)?;
        let to = parse_date("to", &entry.to)?;
        if to < from {
            return Err(Error::new(
                "PERIOD_REVERSED",
                "to".to_string(),
                format!(
                    "--to {to} is before --from {from}: the period must end on or after its start"
                ),
                format!("--to {to} 早于 --from {from}：结束日期不能早于开始日期"),
            ));
        }
        check_period_years("from", from)?;
        check_period_years("to", to)?;
        let quantity = parse_decimal("qty", &entry.qty)?;
        if quantity.abs() > Decimal::from(MAX_QUANTITY) {
            return Err(Error::new(
                "QUANTITY_IMPLAUSIBLE",
                "qty".to_string(),
                format!("--qty {quantity}: larger than {MAX_QUANTITY} — check the unit (e.g. 万千瓦时 instead of kWh) or split the record"),
                format!("--qty {quantity}：超过 {MAX_QUANTITY}——请检查单位（如应为万千瓦时而非千瓦时）或拆分记录"),
            ));
        }
        let reason = limits::optional_text(REASON, entry.reason.as_deref())?;
        if quantity.is_sign_negative() && !quantity.is_zero() && reason.is_none() {
            return Err(Error::new(
                "NEGATIVE_QUANTITY",
                "qty".to_string(),
                format!("--qty {quantity}: a negative quantity is only accepted as a correction; give --reason (e.g. \"credit note 2024-031 for over-billing\")"),
                format!("--qty {quantity}：负数仅可作为更正录入；请用 --reason 说明原因（如“2024-031 号红字发票冲减多计电量”）"),
            ));
        }
        let unit = parse_unit("unit", &entry.unit)?;
        let site = self.site_of(&source)?;
        let catalog = self.catalog()?;
        self.check_unit(&source, &site, unit, &catalog, "--unit")?;
        let existing = self.store.activities(Some(source.id))?;
        // a negative adjustment (credit note) overlaps the record it adjusts by nature
        let adjustment = quantity.is_sign_negative();
        if !entry.allow_overlap && !adjustment {
            if let Some(other) = overlapping(&existing, from, to, correcting.map(|c| c.id)) {
                let same = other.from == from && other.to == to && other.quantity == quantity;
                let (en, zh) = if same {
                    ("duplicates", "重复")
                } else {
                    ("overlaps", "期间重叠于")
                };
                return Err(Error::new(
                    if same { "ACTIVITY_DUPLICATE" } else { "ACTIVITY_OVERLAP" },
                    "from".to_string(),
                    format!("--from {from} --to {to}: {en} record #{} of source '{}' ({}..{}, {} {}); if both are real (e.g. a supplementary bill), add --allow-overlap; to fix the old one use `lingtan activity correct`", other.id, source.name, other.from, other.to, other.quantity, other.unit.code()),
                    format!("--from {from} --to {to}：{zh}排放源“{}”的记录 #{}（{}至{}，{} {}）；如两条都真实（如补充账单）请加 --allow-overlap；如需修改原记录请用 `lingtan activity correct`", source.name, other.id, other.from, other.to, other.quantity, other.unit.code()),
                ));
            }
        }
        Ok((
            source.clone(),
            NewActivity {
                source_id: source.id,
                from,
                to,
                quantity,
                unit,
                note: limits::optional_text(
                    Field::new("note", "--note", "--note"),
                    entry.note.as_deref(),
                )?,
                evidence_id: None,
                reason,
                origin_ref: None,
                detail: None,
            },
        ))
    }

    fn store_evidence(&mut self, path: &Path) -> Result<Evidence> {
        let content = files::read(path, files::Input::Evidence)?;
        let name = file_name(path);
        let now = self.now();
        Ok(self.store.add_evidence(&name, &content, &now)?)
    }

    /// Add an activity record. Everything is checked before anything is written.
    pub fn add_activity(&mut self, entry: &ActivityEntry) -> Result<ActivityRow> {
        let (_, mut new) = self.activity_from_entry(entry, None)?;
        if let Some(path) = &entry.evidence {
            new.evidence_id = Some(self.store_evidence(path)?.id);
        }
        let now = self.now();
        Ok(self.store.add_activity(&new, &now)?)
    }

    /// Add many records of one batch in one transaction (bulk loads, benchmarks, imports).
    pub fn add_activity_batch(&mut self, label: &str, rows: &[NewActivity]) -> Result<i64> {
        let now = self.now();
        Ok(self.store.add_activity_batch(label, None, rows, &now)?)
    }

    /// Correct record `id`: a new version with a reason; the old one is kept.
    pub fn correct_activity(&mut self, id: i64, entry: &ActivityEntry) -> Result<ActivityRow> {
        let reason = limits::optional_text(REASON, entry.reason.as_deref())?;
        let reason = reason.as_deref().ok_or_else(|| {
            Error::new("MISSING_REASON", "reason".to_string(), "--reason: a correction needs a reason (it is kept in the record and the audit log)", "--reason：更正必须说明原因（原因会保存在记录和审计日志中）")
        })?;
        let old = self.store.activity(id).map_err(|_| {
            Error::new(
                "UNKNOWN_ACTIVITY",
                "id".to_string(),
                format!("activity #{id}: no such record"),
                format!("活动数据 #{id}：没有该记录"),
            )
        })?;
        let (_, mut new) = self.activity_from_entry(entry, Some(&old))?;
        new.evidence_id = match &entry.evidence {
            Some(path) => Some(self.store_evidence(path)?.id),
            None => old.evidence_id,
        };
        let now = self.now();
        Ok(self.store.correct_activity(id, &new, reason, &now)?)
    }

    /// Void record `id` with a reason (kept, not deleted).
    pub fn void_activity(&mut self, id: i64, reason: &str) -> Result<ActivityRow> {
        let reason = limits::text(REASON, reason)?;
        if reason.is_empty() {
            return Err(Error::new(
                "MISSING_REASON",
                "reason".to_string(),
                "--reason: voiding a record needs a reason",
                "--reason：作废记录必须说明原因",
            ));
        }
        self.store.activity(id).map_err(|_| {
            Error::new(
                "UNKNOWN_ACTIVITY",
                "id".to_string(),
                format!("activity #{id}: no such record"),
                format!("活动数据 #{id}：没有该记录"),
            )
        })?;
        let now = self.now();
        Ok(self.store.void_activity(id, &reason, &now)?)
    }

    /// Current records, optionally of one source.
    pub fn activities(&self, source: Option<&str>) -> Result<Vec<ActivityRow>> {
        let id = source
            .map(|s| self.find_source(s))
            .transpose()?
            .map(|s| s.id);
        Ok(self.store.activities(id)?)
    }

    pub fn activity_history(&self, id: i64) -> Result<Vec<ActivityRow>> {
        Ok(self.store.activity_history(id)?)
    }

    pub fn evidence(&self) -> Result<Vec<Evidence>> {
        Ok(self.store.evidence()?)
    }

    /// How many current activity records the project holds.
    pub fn activity_count(&self) -> Result<u64> {
        Ok(self.store.activity_count()?.max(0) as u64)
    }
}

/// The record of the same source whose period overlaps `from..=to` (negative adjustments, which
/// overlap what they adjust by nature, and record `except` are not counted).
pub(crate) fn overlapping(
    existing: &[ActivityRow],
    from: NaiveDate,
    to: NaiveDate,
    except: Option<i64>,
) -> Option<&ActivityRow> {
    overlaps(existing, from, to).find(|a| Some(a.id) != except)
}

/// Every record (not a credit note) whose period overlaps `from..=to`.
pub(crate) fn overlaps(
    existing: &[ActivityRow],
    from: NaiveDate,
    to: NaiveDate,
) -> impl Iterator<Item = &ActivityRow> {
    existing
        .iter()
        .filter(move |a| !a.quantity.is_sign_negative() && a.from <= to && from <= a.to)
}
