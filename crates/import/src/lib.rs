//! lingtan-import: spreadsheets in.
//!
//! Two stages, like a compiler: [`read`] turns a file (.xlsx, .xls, .ods through calamine; .csv
//! in UTF-8 or GBK) into sheets of cells, then [`bills`] finds the header under any title rows,
//! maps the columns, and reads periods, quantities and units. Problems are data
//! ([`ImportIssue`]): a stable code, severity, message in Chinese and English, and the sheet,
//! row, column and A1 cell. Nothing here writes anything: the workbench decides.

pub mod bills;
pub mod issue;
pub mod read;
pub mod text;

pub use bills::{BillOptions, BillRow, Bills, SheetMapping};
pub use issue::ImportIssue;
pub use read::{read_bytes, read_file, Sheet, Value};
