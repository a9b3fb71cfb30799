//! What a project holds, as plain data: its settings, the versions of its activity records,
//! its evidence files and import batches, the outcome of verifying its audit log, and an
//! inventory computed from it. The store reads and writes them (`lingtan_store`); the workbench
//! and the report read them. No I/O here.

use crate::calc::Inventory;
use crate::{Boundary, Decimal, GwpSet, Unit};
use chrono::NaiveDate;
use serde::Serialize;

/// The organisation and inventory settings of a project.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectInfo {
    pub org_name: String,
    pub org_name_zh: Option<String>,
    pub year: i32,
    pub base_year: Option<i32>,
    pub gwp: GwpSet,
    pub boundary: Boundary,
    pub created_at: String,
    pub prepared_by: Option<String>,
    pub report_date: Option<String>,
}

/// Status of an activity version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Current,
    Superseded,
    Void,
}

impl Status {
    /// The stored word: `current`, `superseded`, `void`.
    pub fn code(self) -> &'static str {
        match self {
            Status::Current => "current",
            Status::Superseded => "superseded",
            Status::Void => "void",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        match text {
            "current" => Some(Status::Current),
            "superseded" => Some(Status::Superseded),
            "void" => Some(Status::Void),
            _ => None,
        }
    }
}

/// One version of an activity record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivityRow {
    pub id: i64,
    pub version: u32,
    pub source_id: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
    pub unit: Unit,
    pub note: Option<String>,
    pub evidence_id: Option<i64>,
    pub reason: Option<String>,
    pub status: Status,
    pub created_at: String,
    pub batch_id: Option<i64>,
    pub origin_ref: Option<String>,
    pub detail: Option<String>,
}

/// A stored evidence file (without its content).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub id: i64,
    pub sha256: String,
    pub file_name: String,
    pub size: i64,
    pub added_at: String,
}

/// An import batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Batch {
    pub id: i64,
    pub label: String,
    pub evidence_id: Option<i64>,
    pub sha256: Option<String>,
    pub rows: i64,
    pub created_at: String,
    pub reverted_at: Option<String>,
    pub revert_reason: Option<String>,
    /// Certificates (EACs) the batch wrote: an import of a platform's export writes
    /// certificates, not activity rows (then `rows` is 0). Counted, not stored.
    pub certificates: i64,
    /// Rows of a zero-carbon-factory scoring table the batch wrote (`rows` is 0). Counted, not
    /// stored.
    pub scores: i64,
}

/// What an import batch wrote: activity rows, certificates or a scoring table's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BatchRecords {
    Rows,
    Certificates,
    Scores,
}

impl BatchRecords {
    /// How a list names them after their count: `rows`, `张证书`.
    pub const fn names(self) -> (&'static str, &'static str) {
        match self {
            BatchRecords::Rows => ("rows", "行"),
            BatchRecords::Certificates => ("certificates", "张证书"),
            BatchRecords::Scores => ("scoring rows", "条评分"),
        }
    }
}

impl Batch {
    /// How many records the batch wrote, and of which kind: an import of certificates or of a
    /// scoring table writes no activity row, so its count is of what it did write. Every face
    /// lists batches with this count.
    pub fn records(&self) -> (u64, BatchRecords) {
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        if self.rows <= 0 && self.certificates > 0 {
            (count(self.certificates), BatchRecords::Certificates)
        } else if self.rows <= 0 && self.scores > 0 {
            (count(self.scores), BatchRecords::Scores)
        } else {
            (count(self.rows), BatchRecords::Rows)
        }
    }
}

/// A problem `verify` found, naming the entry or record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// `audit entry #17`, `activity #12 v1`, `evidence 3f2a…`
    #[serde(rename = "where")]
    pub place: String,
    pub en: String,
    pub zh: String,
}

/// The outcome of `audit --verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub entries: i64,
    pub head: String,
    pub records_checked: u64,
    pub findings: Vec<Finding>,
}

impl Verification {
    pub fn ok(&self) -> bool {
        self.findings.is_empty()
    }
}

/// An inventory with what a certifier needs to tie it to the data.
#[derive(Debug, Clone, Serialize)]
pub struct InventoryReport {
    pub inventory: Inventory,
    pub org_name: String,
    /// SHA-256 of the settings, sites, sources, factors and current records it was computed from.
    pub fingerprint: String,
    /// The audit chain head at the time.
    pub audit_head: String,
    pub records_read: u64,
}

/// A year's output per unit of emissions (the inventory's `intensity`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Intensity {
    pub metric: String,
    pub unit: Unit,
    pub quantity: Decimal,
    /// The inventory's total (location-based scope 2) ÷ quantity; `None` for a zero quantity.
    pub tco2e_location_per_unit: Option<Decimal>,
    pub tco2e_market_per_unit: Option<Decimal>,
}
