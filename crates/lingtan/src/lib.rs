//! lingtan: the workbench API that the `lingtan` command and the desktop app both call.
//!
//! It turns what a person typed (names, dates, decimals, unit spellings) into checked domain
//! values, refuses bad input with a message that names the field and the value (in English and
//! Chinese) before anything is written, and orchestrates the store and the calculation. It holds
//! no SQL (that is lingtan-store) and no formulas (that is lingtan-core).
//!
//! One file per step, each an `impl Project` block or the helpers it needs:
//!
//! | file | what |
//! |---|---|
//! | [`project`] | create, open, settings, the audit log, backups |
//! | [`site`], [`source`], [`activity`], [`factor`] | the inventory's data, checked as typed |
//! | [`inventory`] | the inventory of a year |
//! | [`check`] | is the year ready to show a certifier (readiness) |
//! | [`trace`] | where a figure comes from: every record's contribution, exactly |
//! | [`import`] | spreadsheets in: bills and meter exports, undo |
//! | [`files`] | every file read or written outside the project |
//! | [`input`], [`limits`] | what a person typed: numbers, dates, units, names, texts |
//! | [`clock`], [`error`] | where time comes from; refusals |
//! | [`offset`] | the offset step: certificates, carbon credits, coverage |
//! | [`zcf`] | the zero-carbon-factory evaluation: the assessor's scoring table, the total, star levels, figures |
//! | [`dossier`] | the certifier's dossier (PDF, workbook, evidence, snapshot, manifest) and its verification |
//! | [`json`] | the stable JSON shapes of the command line |
//! | [`library`] | the factor library shipped with Lingtan |

pub mod activity;
pub mod check;
pub mod claim;
pub mod clock;
pub mod dossier;
pub mod error;
pub mod export;
pub mod factor;
pub mod files;
pub mod import;
pub mod input;
pub mod inventory;
pub mod json;
pub mod library;
pub mod limits;
pub mod offset;
pub mod project;
pub mod reduction;
pub mod site;
pub mod source;
pub mod trace;
pub mod zcf;

pub use activity::{ActivityEntry, Correction};
pub use check::Readiness;
pub use clock::{clock_from_env, fixed_time, Clock, FIXED_CLOCK};
pub use error::{Action, Error, Field, Part, Ref, Result, Words};
pub use factor::FactorEntry;
pub use input::{file_name, parse_date, parse_decimal, parse_unit, MAX_QUANTITY, PERIOD_YEARS};
pub use inventory::InventoryReport;
/// The model (`lingtan_core`), for the faces: they depend on the workbench alone.
pub use lingtan_core as core;
pub use lingtan_core::{codes, words, Lang};
/// The report's document model (the faces lay out its blocks; the renderers are lingtan's).
pub use lingtan_report as report;
use lingtan_store::Store;
pub use lingtan_store::{
    ActivityRow, AuditEntry, Batch, ClaimSubjectRow, Evidence, Finding, ProjectInfo, Status,
    SubjectDecision, Verification, SCHEMA_VERSION,
};
pub use offset::{
    CreditEntry, CreditRecord, CreditRetirement, EacEntry, EacImportOptions, EacImportReport,
    EacRecord, OffsetReport,
};
pub use project::{inspect, NewProject};
pub use reduction::{
    MeasureEntry, OutputEntry, ReductionReport, ReductionSettingsEntry, TargetEntry,
};
pub use source::SourceEntry;
pub use trace::{Figure, Trace, TraceLine};

/// An open project.
pub struct Project {
    store: Store,
    clock: Clock,
}

/// How a project is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// To change it: an older file is upgraded in place (logged).
    Write,
    /// Only to read it: the file is opened read-only and its bytes stay as they are.
    Read,
    /// To verify it: read-only, and a schema changed outside Lingtan is reported by `verify`
    /// instead of refused.
    Verify,
}

pub use lingtan_store::NewActivity as BulkActivity;
