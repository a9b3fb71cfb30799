//! lingtan-store: the Lingtan project file.
//!
//! A project is one SQLite file (`*.lingtan`): STRICT tables, numbered migrations in
//! `migrations/*.sql` with the version in `PRAGMA user_version`, foreign keys on, WAL. Decimals are
//! canonical TEXT (see the policy at the top of `0001_init.sql`). Evidence files live inside as
//! blobs with their SHA-256. Corrections are new versions with a reason; nothing is deleted.
//! Every change appends to the hash-chained audit log in the same transaction ([`audit`]).
//!
//! Opening checks the file before touching it: a file that is not SQLite, a SQLite file that is
//! not a Lingtan project, a project from a newer Lingtan, or a damaged file each get a clear error
//! and the file is left exactly as it was.
//!
//! All SQL of Lingtan lives in this crate, a module per table: its row type, its queries (an
//! `impl Store` block) and its audit payload. Time is passed in (`at`, RFC 3339), never read here.
//!
//! - `open`: creating, opening, checking and copying the file; `schema`: the migrations and the
//!   schema a file must have; `value`: reading stored values, the payload JSON
//! - the tables: `project`, `site`, `source`, `factor` (and fuel properties), `evidence`,
//!   `activity`, `batch` (import batches), `interval` (interval series and readings); the
//!   reduction step's `output`, `target` (and the base-year recalculation log), `measure`,
//!   `price` (energy prices per source) and `reduction_setting`; the offset step's `eac` (energy
//!   attribute certificates), `credit` (carbon-credit blocks) and `retirement` (their retirements);
//!   the certification step's `claim_setting` (what a claim's documents need beyond the data),
//!   `claim_subject` (which sources are in the claim's subject, and why one is left out) and
//!   `zcf` (the assessor's scoring table)
//! - [`audit`]: the hash-chained log; `registry`: the list of audited tables; `verify`:
//!   `audit --verify` and the data fingerprint, both a walk over that list

mod activity;
pub mod audit;
mod batch;
mod claim_setting;
mod claim_subject;
mod credit;
mod eac;
mod error;
mod evidence;
mod factor;
mod interval;
mod measure;
mod open;
mod output;
mod price;
mod project;
mod reduction_setting;
mod registry;
mod retirement;
mod schema;
mod site;
mod source;
mod target;
#[cfg(test)]
mod testkit;
mod value;
mod verify;
mod zcf;

pub use activity::{ActivityCover, ActivityRow, NewActivity, Status};
pub use audit::{sha256_hex, AuditEntry, Finding, Verification};
pub use batch::Batch;
pub use claim_setting::ClaimSettingRow;
pub use claim_subject::{ClaimSubjectRow, SubjectDecision};
pub use credit::{CreditRow, CreditStatus, Retire};
pub use eac::EacRow;
pub use error::{Result, SqliteError, StoreError};
pub use evidence::{Evidence, EvidenceFile};
pub use interval::{NewSeries, SeriesInfo, StoredReading};
pub use measure::{MeasureRecord, MeasureRow, StoredChange};
pub use output::{NewOutput, OutputRow};
pub use price::PriceRow;
pub use project::ProjectInfo;
pub use reduction_setting::ReductionSettings;
pub use retirement::{NewRetirement, Retirement};
pub use schema::{APPLICATION_ID, SCHEMA_VERSION};
pub use target::{RecalculationRow, TargetRow};
pub use zcf::{NewScore, ScoreRow as ZcfScoreRow};

use audit::AuditWriter;
use rusqlite::{Connection, TransactionBehavior};
use std::path::{Path, PathBuf};

/// An open project file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// The file itself (read-only) when `conn` is an upgraded copy in memory of an older file.
    file: Option<Connection>,
    /// How the file's schema differs from Lingtan's (opened for `verify` only).
    schema_differences: Vec<Finding>,
    /// The file's schema version when it was opened.
    opened_version: i64,
    /// Recorded in every audit entry written: what set the time, when not the computer's clock.
    clock: Option<String>,
}

impl Store {
    /// The schema version the file had when it was opened (lower than [`SCHEMA_VERSION`] when
    /// it was upgraded on opening, or is read through an upgraded copy).
    pub fn opened_version(&self) -> i64 {
        self.opened_version
    }

    /// Record `clock` (e.g. "LINGTAN_NOW") in every audit entry written from now on: the time of
    /// those entries was not the computer's clock. `None`: the computer's clock.
    pub fn note_clock(&mut self, clock: Option<&str>) {
        self.clock = clock.map(String::from);
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// While `flag` is set, every statement on this connection stops with
    /// [`StoreError::Interrupted`] (a cancelled import's write then rolls back as a whole);
    /// `None` removes the check.
    pub fn cancel_on(&mut self, flag: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>) {
        // the handler runs every 1,000 virtual-machine steps: a few microseconds apart
        let result = match flag {
            Some(f) => self.conn.progress_handler(
                1000,
                Some(move || f.load(std::sync::atomic::Ordering::SeqCst)),
            ),
            None => self.conn.progress_handler(0, None::<fn() -> bool>),
        };
        debug_assert!(result.is_ok(), "progress_handler: {result:?}");
    }

    /// Run `f` in one transaction with an audit writer; all or nothing.
    /// The transaction begins IMMEDIATE: it takes the write lock first (waiting up to
    /// `BUSY_SECONDS` for another writer), so it never fails half-way for a lock after reading.
    fn write<T>(
        &mut self,
        at: &str,
        f: impl FnOnce(&rusqlite::Transaction<'_>, &mut AuditWriter, &str) -> Result<T>,
    ) -> Result<T> {
        let path = self.path.clone();
        let clock = self.clock.clone();
        let run = || -> Result<T> {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut audit = AuditWriter::load(&tx, clock.as_deref())?;
            let value = f(&tx, &mut audit, at)?;
            tx.commit()?;
            Ok(value)
        };
        run().map_err(|e| open::busy_error(&path, e))
    }
}
