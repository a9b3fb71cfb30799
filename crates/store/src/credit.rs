//! The `credit` table: blocks of carbon credits by their registry serial. One row per block; its
//! `id` is the block's number. What the serial says (block key, first and last unit, quantity,
//! project, vintage, host country, the registry's own fields) is kept beside the serial as read.
//! A retirement links a [`crate::retirement`] row; a partial retirement keeps the block as
//! `superseded` and writes its parts — the retired sub-range and the rest — as new rows pointing
//! to it, in one transaction. Voiding keeps the row with the reason. Every change is logged.
//!
//! The double-counting check of a new block reads only the live blocks (held or retired) of its
//! registry and block key whose range can meet it, and those with its serial
//! ([`Store::credit_candidates`]), through the two indexes of the migration.

use crate::audit::AuditWriter;
use crate::error::{Result, StoreError};
use crate::evidence::{insert_evidence, EvidenceFile};
use crate::registry::{id_key, Table};
use crate::retirement::{self, NewRetirement, Retirement};
use crate::value::{bad, in_record, opt_text, payload_value, read_rows, text, PayloadWriter};
use crate::Store;
use lingtan_core::offset::credit::CreditType;
use lingtan_core::offset::serial::{Reading, Registry, Vintage};
use rusqlite::{params, Connection, Row};
use serde::Serialize;
use std::collections::BTreeMap;

/// Where a block stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CreditStatus {
    Held,
    Retired,
    Void,
    /// Split by a partial retirement: its parts (rows whose `parent_id` is this block) hold its
    /// units now.
    Superseded,
}

impl CreditStatus {
    pub fn code(self) -> &'static str {
        match self {
            CreditStatus::Held => "held",
            CreditStatus::Retired => "retired",
            CreditStatus::Void => "void",
            CreditStatus::Superseded => "superseded",
        }
    }

    fn parse(text: &str) -> Result<CreditStatus> {
        match text {
            "held" => Ok(CreditStatus::Held),
            "retired" => Ok(CreditStatus::Retired),
            "void" => Ok(CreditStatus::Void),
            "superseded" => Ok(CreditStatus::Superseded),
            other => Err(bad("credit.status", other, "unknown status")),
        }
    }
}

/// A block as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditRow {
    /// The block's number (assigned on insert).
    pub id: i64,
    pub registry: Registry,
    pub serial: String,
    /// The serial upper-cased without spaces ("the same serial twice").
    pub serial_key: String,
    pub reading: Reading,
    pub block_key: String,
    pub first: Option<u64>,
    pub last: Option<u64>,
    /// tCO2e.
    pub quantity: u64,
    pub project_id: Option<String>,
    pub vintage: Option<Vintage>,
    pub country: Option<String>,
    pub fields: BTreeMap<String, String>,
    /// Project name.
    pub project: Option<String>,
    pub methodology: Option<String>,
    pub kind: Option<CreditType>,
    pub labels: Vec<String>,
    pub status: CreditStatus,
    /// The block this part was split from.
    pub parent_id: Option<i64>,
    pub retirement_id: Option<i64>,
    pub void_reason: Option<String>,
    /// The purchase record.
    pub evidence_id: Option<i64>,
    pub created_at: String,
}

const COLUMNS: &str = "SELECT id, registry, serial, serial_key, reading, block_key, first_unit, last_unit, quantity, project_id, vintage, country, fields, project, methodology, type, labels, status, parent_id, retirement_id, void_reason, evidence_id, created_at FROM credit";

pub(crate) const SELECT: &str = "SELECT id, registry, serial, serial_key, reading, block_key, first_unit, last_unit, quantity, project_id, vintage, country, fields, project, methodology, type, labels, status, parent_id, retirement_id, void_reason, evidence_id, created_at FROM credit ORDER BY id";

/// Audited; part of the data fingerprint (the coverage is computed from them).
pub(crate) const TABLE: Table<CreditRow> = Table {
    entity: "credit",
    select: SELECT,
    key: id_key,
    read: from_row,
    place: |c| format!("credit #{} ({} {})", c.id, c.registry.code(), c.serial),
    payload: payload_of,
    fingerprint: true,
};

fn unit(r: &Row<'_>, i: usize, field: &'static str) -> Result<Option<u64>> {
    match r.get::<_, Option<i64>>(i)? {
        None => Ok(None),
        Some(n) => u64::try_from(n)
            .map(Some)
            .map_err(|_| bad(field, &n.to_string(), "a unit number is not negative")),
    }
}

pub(crate) fn from_row(r: &Row<'_>) -> Result<CreditRow> {
    let id: i64 = r.get(0)?;
    (|| {
        let registry = text(r, 1, "credit.registry")?;
        let reading = text(r, 4, "credit.reading")?;
        let vintage = opt_text(r, 10, "credit.vintage")?;
        let fields = text(r, 12, "credit.fields")?;
        let kind = opt_text(r, 15, "credit.type")?;
        let labels = text(r, 16, "credit.labels")?;
        let quantity: i64 = r.get(8)?;
        Ok(CreditRow {
            id,
            registry: Registry::parse(&registry)
                .filter(|x| x.code() == registry)
                .ok_or_else(|| bad("credit.registry", &registry, "unknown registry"))?,
            serial: text(r, 2, "credit.serial")?,
            serial_key: text(r, 3, "credit.serial_key")?,
            reading: match reading.as_str() {
                "grammar" => Reading::Grammar,
                "range" => Reading::Range,
                "verbatim" => Reading::Verbatim,
                other => return Err(bad("credit.reading", other, "unknown reading")),
            },
            block_key: text(r, 5, "credit.block_key")?,
            first: unit(r, 6, "credit.first_unit")?,
            last: unit(r, 7, "credit.last_unit")?,
            quantity: u64::try_from(quantity)
                .map_err(|_| bad("credit.quantity", &quantity.to_string(), "not positive"))?,
            project_id: opt_text(r, 9, "credit.project_id")?,
            vintage: vintage
                .map(|v| {
                    Vintage::parse(&v)
                        .filter(|x| x.to_string() == v)
                        .ok_or_else(|| bad("credit.vintage", &v, "expected YYYY or a period"))
                })
                .transpose()?,
            country: opt_text(r, 11, "credit.country")?,
            fields: serde_json::from_str(&fields).map_err(|e| bad("credit.fields", &fields, e))?,
            project: opt_text(r, 13, "credit.project")?,
            methodology: opt_text(r, 14, "credit.methodology")?,
            kind: kind
                .map(|k| {
                    CreditType::parse(&k)
                        .filter(|x| x.code() == k)
                        .ok_or_else(|| bad("credit.type", &k, "unknown type"))
                })
                .transpose()?,
            labels: serde_json::from_str(&labels).map_err(|e| bad("credit.labels", &labels, e))?,
            status: CreditStatus::parse(&text(r, 17, "credit.status")?)?,
            parent_id: r.get(18)?,
            retirement_id: r.get(19)?,
            void_reason: opt_text(r, 20, "credit.void_reason")?,
            evidence_id: r.get(21)?,
            created_at: text(r, 22, "credit.created_at")?,
        })
    })()
    .map_err(|e| in_record(e, || format!("credit #{id}")))
}

/// A block's audit payload: byte for byte [`payload_json`], written directly (the data
/// fingerprint of every inventory and `audit --verify` make one for every block).
pub(crate) fn payload_of(c: &CreditRow) -> String {
    let mut w = PayloadWriter::default();
    let vintage = c.vintage.map(|v| v.to_string());
    // the keys in serde_json's order (sorted), as `payload_json` writes them
    let written = (|| -> serde_json::Result<()> {
        w.field("block_key", Some(&c.block_key))?;
        w.field("country", c.country.as_ref())?;
        w.field("created_at", Some(&c.created_at))?;
        w.field("evidence_id", c.evidence_id.as_ref())?;
        w.field("fields", Some(&c.fields))?;
        w.field("first", c.first.as_ref())?;
        w.field("id", Some(&c.id))?;
        w.field("labels", Some(&c.labels))?;
        w.field("last", c.last.as_ref())?;
        w.field("methodology", c.methodology.as_ref())?;
        w.field("parent_id", c.parent_id.as_ref())?;
        w.field("project", c.project.as_ref())?;
        w.field("project_id", c.project_id.as_ref())?;
        w.field("quantity", Some(&c.quantity))?;
        w.field("reading", Some(&c.reading.code()))?;
        w.field("registry", Some(&c.registry.code()))?;
        w.field("retirement_id", c.retirement_id.as_ref())?;
        w.field("serial", Some(&c.serial))?;
        w.field("serial_key", Some(&c.serial_key))?;
        w.field("status", Some(&c.status.code()))?;
        w.field("type", c.kind.map(CreditType::code).as_ref())?;
        w.field("vintage", vintage.as_ref())?;
        w.field("void_reason", c.void_reason.as_ref())
    })();
    // not reached otherwise (serde_json writes UTF-8 to memory); the slow path's bytes
    w.finish(written).unwrap_or_else(|| payload_json(c))
}

/// A block's audit payload through a `serde_json::Value`: what [`payload_of`] must equal.
pub(crate) fn payload_json(c: &CreditRow) -> String {
    payload_value(serde_json::json!({
        "id": c.id,
        "registry": c.registry.code(),
        "serial": c.serial,
        "serial_key": c.serial_key,
        "reading": c.reading.code(),
        "block_key": c.block_key,
        "first": c.first,
        "last": c.last,
        "quantity": c.quantity,
        "project_id": c.project_id,
        "vintage": c.vintage.map(|v| v.to_string()),
        "country": c.country,
        "fields": c.fields,
        "project": c.project,
        "methodology": c.methodology,
        "type": c.kind.map(CreditType::code),
        "labels": c.labels,
        "status": c.status.code(),
        "parent_id": c.parent_id,
        "retirement_id": c.retirement_id,
        "void_reason": c.void_reason,
        "evidence_id": c.evidence_id,
        "created_at": c.created_at,
    }))
}

fn int(n: Option<u64>) -> Option<i64> {
    n.and_then(|n| i64::try_from(n).ok())
}

fn insert(
    tx: &Connection,
    audit: &mut AuditWriter,
    at: &str,
    row: &CreditRow,
) -> Result<CreditRow> {
    let quantity = i64::try_from(row.quantity)
        .map_err(|_| bad("credit.quantity", &row.quantity.to_string(), "too large"))?;
    tx.execute(
        "INSERT INTO credit (registry, serial, serial_key, reading, block_key, first_unit, last_unit, quantity, project_id, vintage, country, fields, project, methodology, type, labels, status, parent_id, retirement_id, void_reason, evidence_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
        params![
            row.registry.code(),
            row.serial,
            row.serial_key,
            row.reading.code(),
            row.block_key,
            int(row.first),
            int(row.last),
            quantity,
            row.project_id,
            row.vintage.map(|v| v.to_string()),
            row.country,
            serde_json::to_string(&row.fields).unwrap_or_else(|_| "{}".into()),
            row.project,
            row.methodology,
            row.kind.map(CreditType::code),
            serde_json::to_string(&row.labels).unwrap_or_else(|_| "[]".into()),
            row.status.code(),
            row.parent_id,
            row.retirement_id,
            row.void_reason,
            row.evidence_id,
            at,
        ],
    )?;
    let saved = CreditRow {
        id: tx.last_insert_rowid(),
        created_at: at.to_string(),
        ..row.clone()
    };
    audit.append(
        tx,
        at,
        "create",
        "credit",
        &saved.id.to_string(),
        &payload_of(&saved),
    )?;
    Ok(saved)
}

fn set_status(
    tx: &Connection,
    audit: &mut AuditWriter,
    at: &str,
    action: &str,
    row: &CreditRow,
) -> Result<()> {
    tx.execute(
        "UPDATE credit SET status = ?2, retirement_id = ?3, void_reason = ?4 WHERE id = ?1",
        params![
            row.id,
            row.status.code(),
            row.retirement_id,
            row.void_reason
        ],
    )?;
    audit.append(
        tx,
        at,
        action,
        "credit",
        &row.id.to_string(),
        &payload_of(row),
    )?;
    Ok(())
}

/// How a block is retired: whole, or split into the retired part and the rest.
#[derive(Debug, Clone)]
pub enum Retire {
    Whole,
    /// The parts, in the block's unit order; exactly one of them is marked retired (its status
    /// and retirement are set here), the others are held. Their quantities add up to the block
    /// (the workbench checks it with the core's ledger before).
    Parts(Vec<CreditRow>),
}

fn missing(id: i64) -> StoreError {
    StoreError::Missing {
        what: "credit",
        name: format!("#{id}"),
    }
}

impl Store {
    /// Every block ever recorded (superseded and void ones too), in the order recorded.
    pub fn credits(&self) -> Result<Vec<CreditRow>> {
        read_rows(&self.conn, SELECT, [], from_row)
    }

    pub fn credit(&self, id: i64) -> Result<CreditRow> {
        read_rows(
            &self.conn,
            &format!("{COLUMNS} WHERE id = ?1"),
            [id],
            from_row,
        )?
        .pop()
        .ok_or_else(|| missing(id))
    }

    /// The live blocks (held or retired) a new block must be compared with: of `registry` and
    /// `block_key` whose range meets `first..=last` (when the new block has a range), and those
    /// with the same `serial_key`. Both read through their index.
    pub fn credit_candidates(
        &self,
        registry: Registry,
        block_key: &str,
        range: Option<(u64, u64)>,
        serial_key: &str,
    ) -> Result<Vec<CreditRow>> {
        let mut out = read_rows(
            &self.conn,
            &format!("{COLUMNS} WHERE registry = ?1 AND serial_key = ?2 AND status IN ('held', 'retired') ORDER BY id"),
            params![registry.code(), serial_key],
            from_row,
        )?;
        if let Some((lo, hi)) = range {
            let (Some(first), Some(last)) = (int(Some(lo)), int(Some(hi))) else {
                return Ok(out);
            };
            // Live blocks of one issuance do not overlap (each was checked when added; an edit
            // outside Lingtan is found by verify), so the blocks meeting first..=last are those
            // starting inside it and the one starting last before it, when it reaches in: two
            // seeks in the index instead of every block starting before `last`.
            let mut ranged = read_rows(
                &self.conn,
                &format!("{COLUMNS} WHERE registry = ?1 AND block_key = ?2 AND status IN ('held', 'retired') AND first_unit BETWEEN ?3 AND ?4"),
                params![registry.code(), block_key, first, last],
                from_row,
            )?;
            ranged.extend(read_rows(
                &self.conn,
                &format!("{COLUMNS} WHERE registry = ?1 AND block_key = ?2 AND status IN ('held', 'retired') AND first_unit < ?3 ORDER BY first_unit DESC LIMIT 1"),
                params![registry.code(), block_key, first],
                from_row,
            )?.into_iter().filter(|r| r.last.is_some_and(|l| l >= lo)));
            for row in ranged {
                if !out.iter().any(|c| c.id == row.id) {
                    out.push(row);
                }
            }
            out.sort_by_key(|c| c.id);
        }
        Ok(out)
    }

    /// The CCER projects of the live blocks (project id, project name), for the GEC/CCER
    /// double-claim check of the certificates.
    pub fn ccer_projects(&self) -> Result<Vec<(Option<String>, Option<String>)>> {
        read_rows(
            &self.conn,
            "SELECT DISTINCT project_id, project FROM credit WHERE registry = 'ccer' AND status IN ('held', 'retired') ORDER BY project_id, project",
            [],
            |r| Ok((opt_text(r, 0, "credit.project_id")?, opt_text(r, 1, "credit.project")?)),
        )
    }

    /// Record many blocks (held) in one transaction, each logged (a registry statement of many
    /// blocks, a benchmark). The caller has checked them for double counting.
    pub fn add_credits(&mut self, rows: &[CreditRow], at: &str) -> Result<Vec<CreditRow>> {
        self.write(at, |tx, audit, at| {
            rows.iter().map(|row| insert(tx, audit, at, row)).collect()
        })
    }

    /// Record a block (held), with its purchase record as evidence, in one transaction, logged.
    pub fn add_credit(
        &mut self,
        row: &CreditRow,
        document: Option<EvidenceFile<'_>>,
        at: &str,
    ) -> Result<CreditRow> {
        self.write(at, |tx, audit, at| {
            let evidence_id = match document {
                Some(f) => {
                    Some(insert_evidence(tx, audit, at, f.file_name, f.sha256, f.content)?.id)
                }
                None => row.evidence_id,
            };
            insert(
                tx,
                audit,
                at,
                &CreditRow {
                    evidence_id,
                    ..row.clone()
                },
            )
        })
    }

    /// Retire block `id`, whole or in part, in one transaction: the retirement (and its
    /// statement), then the block retired — or kept as superseded with its parts written, the
    /// retired one linked to the retirement. Returns the rows now holding the block's units.
    pub fn retire_credit(
        &mut self,
        id: i64,
        how: &Retire,
        retirement: &NewRetirement<'_>,
        at: &str,
    ) -> Result<(Vec<CreditRow>, Retirement)> {
        let block = self.credit(id)?;
        self.write(at, |tx, audit, at| {
            let r = retirement::insert(tx, audit, at, retirement)?;
            match how {
                Retire::Whole => {
                    let row = CreditRow {
                        status: CreditStatus::Retired,
                        retirement_id: Some(r.id),
                        ..block
                    };
                    set_status(tx, audit, at, "retire", &row)?;
                    Ok((vec![row], r))
                }
                Retire::Parts(parts) => {
                    let superseded = CreditRow {
                        status: CreditStatus::Superseded,
                        ..block.clone()
                    };
                    set_status(tx, audit, at, "split", &superseded)?;
                    let mut saved = Vec::with_capacity(parts.len());
                    for part in parts {
                        let retired = part.status == CreditStatus::Retired;
                        let row = CreditRow {
                            parent_id: Some(block.id),
                            retirement_id: retired.then_some(r.id),
                            evidence_id: block.evidence_id,
                            ..part.clone()
                        };
                        saved.push(insert(tx, audit, at, &row)?);
                    }
                    Ok((saved, r))
                }
            }
        })
    }

    /// Void a block with the reason; the row stays.
    pub fn void_credit(&mut self, id: i64, reason: &str, at: &str) -> Result<CreditRow> {
        let row = self.credit(id)?;
        self.write(at, |tx, audit, at| {
            let row = CreditRow {
                status: CreditStatus::Void,
                void_reason: Some(reason.to_string()),
                ..row
            };
            set_status(tx, audit, at, "void", &row)?;
            Ok(row)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lingtan_core::offset::serial::{self, Given};

    #[test]
    fn payload_written_directly_is_the_json_payload() {
        // the audit log and the data fingerprint hold the payloads of the slow path: a byte of
        // difference would make every block a finding of `audit --verify` and change every
        // report's fingerprint
        let mut rows = Vec::new();
        for (registry, text) in [(
            Registry::Verra,
            "19309-936487628-936491271-VCS-VCU-1491-VER-RW-3-4150-01102024-31122024-1",
        )] {
            let Ok(s) = serial::read(registry, text, &Given::default()) else {
                continue;
            };
            let bare = CreditRow {
                id: 7,
                registry: s.registry,
                serial: s.serial.clone(),
                serial_key: s.serial.to_uppercase(),
                reading: s.reading,
                block_key: s.block_key.clone(),
                first: s.first,
                last: s.last,
                quantity: s.quantity,
                project_id: s.project_id.clone(),
                vintage: s.vintage,
                country: s.country.clone(),
                fields: s.fields.clone(),
                project: None,
                methodology: None,
                kind: None,
                labels: Vec::new(),
                status: CreditStatus::Held,
                parent_id: None,
                retirement_id: None,
                void_reason: None,
                evidence_id: None,
                created_at: String::new(),
            };
            let full = CreditRow {
                project: Some("Rwanda cookstoves 炉灶\n".into()),
                methodology: Some("VMR0006".into()),
                kind: Some(CreditType::Removal),
                labels: vec!["CORSIA".into(), "\u{1}".into()],
                status: CreditStatus::Retired,
                parent_id: Some(3),
                retirement_id: Some(u32::MAX.into()),
                void_reason: Some("typo \"x\"".into()),
                evidence_id: Some(9),
                created_at: "2026-01-20T09:00:00Z".into(),
                first: Some(u64::MAX),
                vintage: Vintage::parse("2021"),
                country: Some("CN".into()),
                fields: [("a".to_string(), "1".to_string()), ("Z".into(), "é".into())].into(),
                ..bare.clone()
            };
            let odd = CreditRow {
                registry: Registry::Ccer,
                serial: "CCER-引号 \"x\" \\ 1".into(),
                serial_key: "CCER-引号\"X\"\\1".into(),
                reading: Reading::Verbatim,
                block_key: String::new(),
                first: None,
                last: None,
                quantity: 0,
                fields: BTreeMap::new(),
                ..full.clone()
            };
            rows.extend([bare, full, odd]);
        }
        assert_eq!(rows.len(), 3, "the serial is read");
        for r in rows {
            assert_eq!(
                payload_of(&r),
                payload_json(&r),
                "the direct payload must equal serde_json's for {r:?}"
            );
        }
    }
}
