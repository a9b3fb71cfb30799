//! The `claim_setting` table: what a claim's documents need beyond the data (the statement date,
//! the verification, who signs, the commitment …), one row per framework once anything is set for
//! it. `None` is "not stated". Changed in place like the project settings, every change logged
//! with the whole row, so the log holds every value it ever had (a value not stated is left out
//! of the logged row, so the rows logged before schema 0011 added `subject_rationale` and
//! `activities` still match). Part of the data fingerprint.

use crate::error::Result;
use crate::registry::Table;
use crate::value::{in_record, opt_text, payload_value, read_rows, text};
use crate::Store;
use rusqlite::{params, Row};
use serde::Serialize;

/// A framework's claim settings (dates as `YYYY-MM-DD`, checked by the workbench).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ClaimSettingRow {
    /// `iso14068-1`, `pas2060`, `zcf-i`, `zcf-ii`.
    pub framework: String,
    pub statement_date: Option<String>,
    /// `third-party`, `other-party` or `self`.
    pub verification: Option<String>,
    pub verifier: Option<String>,
    pub senior: Option<String>,
    pub commitment_year: Option<i64>,
    pub subject: Option<String>,
    pub published_at: Option<String>,
    pub plan_reviewed: Option<String>,
    /// `Some(false)`: a period was claimed before this one.
    pub first_period: Option<bool>,
    pub star_level: Option<i64>,
    /// Why the subject was chosen (PAS 2060's QES).
    pub subject_rationale: Option<String>,
    /// The activities carried out in the subject (PAS 2060's QES).
    pub activities: Option<String>,
}

pub(crate) const SELECT: &str = "SELECT framework, statement_date, verification, verifier, senior, commitment_year, subject, published_at, plan_reviewed, first_period, star_level, subject_rationale, activities FROM claim_setting ORDER BY framework";

pub(crate) const TABLE: Table<ClaimSettingRow> = Table {
    entity: "claim_setting",
    select: SELECT,
    key: |r| text(r, 0, "claim_setting.framework"),
    read: from_row,
    place: |r| format!("claim settings ({})", r.framework),
    payload: payload_of,
    fingerprint: true,
};

pub(crate) fn from_row(r: &Row<'_>) -> Result<ClaimSettingRow> {
    (|| {
        Ok(ClaimSettingRow {
            framework: text(r, 0, "claim_setting.framework")?,
            statement_date: opt_text(r, 1, "claim_setting.statement_date")?,
            verification: opt_text(r, 2, "claim_setting.verification")?,
            verifier: opt_text(r, 3, "claim_setting.verifier")?,
            senior: opt_text(r, 4, "claim_setting.senior")?,
            commitment_year: r.get(5)?,
            subject: opt_text(r, 6, "claim_setting.subject")?,
            published_at: opt_text(r, 7, "claim_setting.published_at")?,
            plan_reviewed: opt_text(r, 8, "claim_setting.plan_reviewed")?,
            first_period: r.get::<_, Option<i64>>(9)?.map(|v| v != 0),
            star_level: r.get(10)?,
            subject_rationale: opt_text(r, 11, "claim_setting.subject_rationale")?,
            activities: opt_text(r, 12, "claim_setting.activities")?,
        })
    })()
    .map_err(|e| in_record(e, || "claim settings".into()))
}

pub(crate) fn payload_of(s: &ClaimSettingRow) -> String {
    payload_value(serde_json::json!({
        "framework": s.framework,
        "statement_date": s.statement_date,
        "verification": s.verification,
        "verifier": s.verifier,
        "senior": s.senior,
        "commitment_year": s.commitment_year,
        "subject": s.subject,
        "published_at": s.published_at,
        "plan_reviewed": s.plan_reviewed,
        "first_period": s.first_period,
        "star_level": s.star_level,
        "subject_rationale": s.subject_rationale,
        "activities": s.activities,
    }))
}

impl Store {
    /// The claim settings of `framework` (all `None` until one is set).
    pub fn claim_setting(&self, framework: &str) -> Result<ClaimSettingRow> {
        Ok(read_rows(&self.conn, SELECT, [], from_row)?
            .into_iter()
            .find(|r| r.framework == framework)
            .unwrap_or_else(|| ClaimSettingRow {
                framework: framework.to_string(),
                ..Default::default()
            }))
    }

    /// Replace a framework's claim settings, logged with the whole row.
    pub fn set_claim_setting(&mut self, row: &ClaimSettingRow, at: &str) -> Result<()> {
        let exists = read_rows(&self.conn, SELECT, [], from_row)?
            .iter()
            .any(|r| r.framework == row.framework);
        self.write(at, |tx, audit, at| {
            let values = params![
                row.framework,
                row.statement_date,
                row.verification,
                row.verifier,
                row.senior,
                row.commitment_year,
                row.subject,
                row.published_at,
                row.plan_reviewed,
                row.first_period.map(i64::from),
                row.star_level,
                row.subject_rationale,
                row.activities
            ];
            if exists {
                tx.execute(
                    "UPDATE claim_setting SET statement_date = ?2, verification = ?3, verifier = ?4, senior = ?5, commitment_year = ?6, subject = ?7, published_at = ?8, plan_reviewed = ?9, first_period = ?10, star_level = ?11, subject_rationale = ?12, activities = ?13 WHERE framework = ?1",
                    values,
                )?;
            } else {
                tx.execute(
                    "INSERT INTO claim_setting (framework, statement_date, verification, verifier, senior, commitment_year, subject, published_at, plan_reviewed, first_period, star_level, subject_rationale, activities) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                    values,
                )?;
            }
            audit.append(
                tx,
                at,
                if exists { "update" } else { "create" },
                "claim_setting",
                &row.framework,
                &payload_of(row),
            )?;
            Ok(())
        })
    }
}
