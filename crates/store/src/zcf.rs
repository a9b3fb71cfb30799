//! The `zcf_score` table: the assessor's zero-carbon-factory scoring table (T/CECA-G 0171-2022),
//! imported as one batch with the file as its evidence. The current table is the latest batch of
//! scores that was not reverted; earlier ones stay.

use crate::audit::AuditWriter;
use crate::error::Result;
use crate::evidence::{insert_evidence, EvidenceFile};
use crate::registry::{id_key, Table};
use crate::value::{dec, in_record, payload_value, read_rows, text};
use crate::Store;
use lingtan_core::Decimal;
use rusqlite::{params, Connection, Row};
use serde::Serialize;

/// A row of the scoring table to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewScore {
    pub indicator: String,
    pub sub_item: String,
    pub weight: Decimal,
    pub maximum: Decimal,
    pub score: Decimal,
    /// Where it was read: `scores.xlsx, sheet 评分, row 7`.
    pub place: String,
}

/// A stored row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoreRow {
    pub id: i64,
    pub batch_id: i64,
    pub position: i64,
    pub indicator: String,
    pub sub_item: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub weight: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub maximum: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub score: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub table_maximum: Decimal,
    pub place: String,
    pub created_at: String,
}

const COLUMNS: &str = "id, batch_id, position, indicator, sub_item, weight, maximum, score, table_maximum, place, created_at";

pub(crate) const SELECT: &str = "SELECT id, batch_id, position, indicator, sub_item, weight, maximum, score, table_maximum, place, created_at FROM zcf_score ORDER BY id";

/// Audited; not part of the data fingerprint.
pub(crate) const TABLE: Table<ScoreRow> = Table {
    entity: "zcf_score",
    select: SELECT,
    key: id_key,
    read: from_row,
    place: |s| format!("zcf score #{} ({})", s.id, s.place),
    payload: payload_of,
    fingerprint: false,
};

pub(crate) fn from_row(r: &Row<'_>) -> Result<ScoreRow> {
    let id: i64 = r.get(0)?;
    (|| {
        Ok(ScoreRow {
            id,
            batch_id: r.get(1)?,
            position: r.get(2)?,
            indicator: text(r, 3, "zcf_score.indicator")?,
            sub_item: text(r, 4, "zcf_score.sub_item")?,
            weight: dec("zcf_score.weight", &text(r, 5, "zcf_score.weight")?)?,
            maximum: dec("zcf_score.maximum", &text(r, 6, "zcf_score.maximum")?)?,
            score: dec("zcf_score.score", &text(r, 7, "zcf_score.score")?)?,
            table_maximum: dec(
                "zcf_score.table_maximum",
                &text(r, 8, "zcf_score.table_maximum")?,
            )?,
            place: text(r, 9, "zcf_score.place")?,
            created_at: text(r, 10, "zcf_score.created_at")?,
        })
    })()
    .map_err(|e| in_record(e, || format!("zcf score #{id}")))
}

pub(crate) fn payload_of(s: &ScoreRow) -> String {
    payload_value(serde_json::json!({
        "id": s.id,
        "batch_id": s.batch_id,
        "position": s.position,
        "indicator": s.indicator,
        "sub_item": s.sub_item,
        "weight": s.weight.to_string(),
        "maximum": s.maximum.to_string(),
        "score": s.score.to_string(),
        "table_maximum": s.table_maximum.to_string(),
        "place": s.place,
        "created_at": s.created_at,
    }))
}

fn insert(tx: &Connection, audit: &mut AuditWriter, at: &str, row: &ScoreRow) -> Result<ScoreRow> {
    tx.execute(
        &format!("INSERT INTO zcf_score ({COLUMNS}) VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
        params![
            row.batch_id,
            row.position,
            row.indicator,
            row.sub_item,
            row.weight.to_string(),
            row.maximum.to_string(),
            row.score.to_string(),
            row.table_maximum.to_string(),
            row.place,
            row.created_at,
        ],
    )?;
    let saved = ScoreRow {
        id: tx.last_insert_rowid(),
        ..row.clone()
    };
    audit.append(
        tx,
        at,
        "create",
        "zcf_score",
        &saved.id.to_string(),
        &payload_of(&saved),
    )?;
    Ok(saved)
}

impl Store {
    /// The scoring table of an imported file as one batch, in one transaction: the file as
    /// evidence, the batch (no activity rows), each row pointing to it; each logged.
    pub fn add_zcf_scores(
        &mut self,
        label: &str,
        file: &EvidenceFile<'_>,
        table_maximum: Decimal,
        rows: &[NewScore],
        at: &str,
    ) -> Result<(i64, Vec<ScoreRow>)> {
        self.write(at, |tx, audit, at| {
            let evidence =
                insert_evidence(tx, audit, at, file.file_name, file.sha256, file.content)?;
            let batch = crate::batch::insert_empty(tx, audit, at, label, evidence.id)?;
            let mut saved = Vec::with_capacity(rows.len());
            for (i, r) in rows.iter().enumerate() {
                let row = ScoreRow {
                    id: 0,
                    batch_id: batch,
                    position: i as i64 + 1,
                    indicator: r.indicator.clone(),
                    sub_item: r.sub_item.clone(),
                    weight: r.weight,
                    maximum: r.maximum,
                    score: r.score,
                    table_maximum,
                    place: r.place.clone(),
                    created_at: at.to_string(),
                };
                saved.push(insert(tx, audit, at, &row)?);
            }
            Ok((batch, saved))
        })
    }

    /// The current scoring table: the rows of the latest batch of scores that was not reverted
    /// (none when no table was imported).
    pub fn zcf_scores(&self) -> Result<Vec<ScoreRow>> {
        read_rows(
            &self.conn,
            &format!(
                "SELECT {COLUMNS} FROM zcf_score WHERE batch_id = (SELECT max(s.batch_id) FROM zcf_score s JOIN import_batch b ON b.id = s.batch_id WHERE b.reverted_at IS NULL) ORDER BY position"
            ),
            [],
            from_row,
        )
    }
}
