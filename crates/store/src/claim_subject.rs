//! The `claim_subject` table: which emission sources are in a claim's subject, per framework —
//! the user's decisions to include a source or to exclude it with a reason (PAS 2060: every
//! exclusion justified). Nothing is changed or deleted: a newer row for the same framework and
//! source supersedes the older one, and a `clear` row returns the source to the framework's
//! default subject. Every row is logged; part of the data fingerprint (the claim's figures are
//! made from it).

use crate::error::Result;
use crate::registry::{id_key, Table};
use crate::value::{bad, in_record, opt_text, payload, read_rows, text};
use crate::Store;
use rusqlite::{params, Row};
use serde::Serialize;

/// What the user decided for a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SubjectDecision {
    /// In the subject, whatever the framework's default.
    Include,
    /// Out of the subject, with the reason.
    Exclude,
    /// Back to the framework's default subject (supersedes an earlier decision).
    Clear,
}

impl SubjectDecision {
    pub fn code(self) -> &'static str {
        match self {
            SubjectDecision::Include => "include",
            SubjectDecision::Exclude => "exclude",
            SubjectDecision::Clear => "clear",
        }
    }

    fn parse(text: &str) -> Option<SubjectDecision> {
        [
            SubjectDecision::Include,
            SubjectDecision::Exclude,
            SubjectDecision::Clear,
        ]
        .into_iter()
        .find(|d| d.code() == text)
    }
}

/// A decision as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimSubjectRow {
    pub id: i64,
    /// `iso14068-1`, `pas2060`, `zcf-i`, `zcf-ii`.
    pub framework: String,
    pub source_id: i64,
    pub decision: SubjectDecision,
    /// Why the source is excluded, as the user wrote it (only for `exclude`).
    pub reason: Option<String>,
    pub created_at: String,
}

const COLUMNS: &str = "id, framework, source_id, decision, reason, created_at";

pub(crate) const SELECT: &str =
    "SELECT id, framework, source_id, decision, reason, created_at FROM claim_subject ORDER BY id";

/// Audited; part of the data fingerprint.
pub(crate) const TABLE: Table<ClaimSubjectRow> = Table {
    entity: "claim_subject",
    select: SELECT,
    key: id_key,
    read: from_row,
    place: |r| {
        format!(
            "claim subject #{} ({}, source #{})",
            r.id, r.framework, r.source_id
        )
    },
    payload: payload_of,
    fingerprint: true,
};

pub(crate) fn from_row(r: &Row<'_>) -> Result<ClaimSubjectRow> {
    let id: i64 = r.get(0)?;
    (|| {
        let decision = text(r, 3, "claim_subject.decision")?;
        Ok(ClaimSubjectRow {
            id,
            framework: text(r, 1, "claim_subject.framework")?,
            source_id: r.get(2)?,
            decision: SubjectDecision::parse(&decision).ok_or_else(|| {
                bad(
                    "claim_subject.decision",
                    &decision,
                    "it is not include, exclude or clear",
                )
            })?,
            reason: opt_text(r, 4, "claim_subject.reason")?,
            created_at: text(r, 5, "claim_subject.created_at")?,
        })
    })()
    .map_err(|e| in_record(e, || format!("claim subject #{id}")))
}

pub(crate) fn payload_of(s: &ClaimSubjectRow) -> String {
    payload(&serde_json::json!({
        "id": s.id,
        "framework": s.framework,
        "source_id": s.source_id,
        "decision": s.decision.code(),
        "reason": s.reason,
        "created_at": s.created_at,
    }))
}

impl Store {
    /// Record a decision on a source's place in `framework`'s subject (a new row, superseding
    /// any earlier one for the same source), logged. `reason` is stored for `exclude` only.
    pub fn add_claim_subject(
        &mut self,
        framework: &str,
        source_id: i64,
        decision: SubjectDecision,
        reason: Option<&str>,
        at: &str,
    ) -> Result<ClaimSubjectRow> {
        let reason = match decision {
            SubjectDecision::Exclude => reason.map(str::to_string),
            _ => None,
        };
        self.write(at, |tx, audit, at| {
            tx.execute(
                "INSERT INTO claim_subject (framework, source_id, decision, reason, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![framework, source_id, decision.code(), reason, at],
            )?;
            let row = ClaimSubjectRow {
                id: tx.last_insert_rowid(),
                framework: framework.to_string(),
                source_id,
                decision,
                reason: reason.clone(),
                created_at: at.to_string(),
            };
            audit.append(
                tx,
                at,
                "create",
                "claim_subject",
                &row.id.to_string(),
                &payload_of(&row),
            )?;
            Ok(row)
        })
    }

    /// Every decision recorded for `framework`, oldest first (superseded ones included).
    pub fn claim_subject_history(&self, framework: &str) -> Result<Vec<ClaimSubjectRow>> {
        Ok(read_rows(
            &self.conn,
            &format!("SELECT {COLUMNS} FROM claim_subject ORDER BY id"),
            [],
            from_row,
        )?
        .into_iter()
        .filter(|r| r.framework == framework)
        .collect())
    }

    /// The decisions in force for `framework`: the latest row per source, unless it is a
    /// `clear`; in source order.
    pub fn claim_subject(&self, framework: &str) -> Result<Vec<ClaimSubjectRow>> {
        let mut latest: std::collections::BTreeMap<i64, ClaimSubjectRow> = Default::default();
        for row in self.claim_subject_history(framework)? {
            latest.insert(row.source_id, row);
        }
        Ok(latest
            .into_values()
            .filter(|r| r.decision != SubjectDecision::Clear)
            .collect())
    }
}
