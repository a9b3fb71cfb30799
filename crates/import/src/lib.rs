//! lingtan-import: spreadsheets in.
//!
//! Two stages, like a compiler: [`read`] turns a file (.xlsx, .xls, .ods through calamine, and
//! meter-sized .xlsx sheets streamed through a scanner of our own, `xlsx`; .csv
//! in UTF-8 or GBK) into sheets of cells, then [`bills`] finds the header under any title rows,
//! maps the columns, and reads periods, quantities and units. Problems are data
//! ([`ImportIssue`]): a stable code, severity, message in Chinese and English, and the sheet,
//! row, column and A1 cell. Nothing here writes anything: the workbench decides.

pub mod bills;
mod dense;
pub mod interval;
pub mod issue;
pub mod limits;
pub mod read;
pub mod text;
mod xlsx;

pub use bills::{BillOptions, BillRow, Bills, SheetMapping};
pub use issue::ImportIssue;
pub use read::{read_bytes, read_bytes_noted, read_file, visit_rows, RowVisitor, Sheet, Value};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Bills, statements, purchase logs: one row per period.
    Bill,
    /// Meter exports: readings every 5 to 60 minutes.
    Interval,
}

/// Decide from a file's first rows: a sheet with sub-daily timestamps or 24 / 48 / 96 time
/// columns is interval data (a bill ledger never has them); anything else is read as bills.
pub fn detect_kind(
    file_name: &str,
    bytes: &[u8],
    sheet: Option<&str>,
) -> Result<Kind, Box<ImportIssue>> {
    let sheets = interval::peek(file_name, bytes)?;
    let interval = sheets
        .iter()
        .filter(|s| sheet.is_none_or(|n| n == s.name))
        .any(interval::sheet_is_interval);
    Ok(if interval { Kind::Interval } else { Kind::Bill })
}
