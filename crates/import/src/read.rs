//! Stage one: read a workbook into cells. Spreadsheets (.xlsx, .xls, .ods) through calamine,
//! CSV in UTF-8 or GBK / GB18030 (what Chinese Excel saves). Numbers become the decimal the user
//! typed: a cell that shows 12.34 is stored by Excel as the nearest double, and its shortest
//! round-trip form ("12.34") is what we read, so sums stay exact.

use crate::issue::ImportIssue;
use calamine::{Data, Reader};
use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use std::path::Path;

/// A cell's value after reading.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Number(Decimal),
    Text(String),
    DateTime(NaiveDateTime),
    Bool(bool),
    /// An Excel error value such as #DIV/0!
    Error(String),
}

impl Value {
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The text a person sees (for messages and header matching).
    pub fn display(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Number(d) => d.normalize().to_string(),
            Value::Text(t) => t.trim().to_string(),
            Value::DateTime(d) => {
                if d.time() == chrono::NaiveTime::MIN {
                    d.date().to_string()
                } else {
                    d.to_string()
                }
            }
            Value::Bool(b) => b.to_string(),
            Value::Error(e) => e.clone(),
        }
    }
}

/// One sheet: its name and its rows; `rows[i][j]` is the cell at 0-based row `row0 + i` and
/// column `col0 + j` of the sheet (so messages can name the real A1 cell).
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub row0: u32,
    pub col0: u32,
    pub rows: Vec<Vec<Value>>,
}

impl Sheet {
    /// The value at a 0-based position within `rows`.
    pub fn get(&self, r: usize, c: usize) -> &Value {
        self.rows
            .get(r)
            .and_then(|row| row.get(c))
            .unwrap_or(&Value::Empty)
    }

    /// The A1 address of a position within `rows` (`G9`).
    pub fn a1(&self, r: usize, c: usize) -> String {
        a1(self.row0 + r as u32, self.col0 + c as u32)
    }

    /// The 1-based sheet row of a position within `rows`.
    pub fn row_number(&self, r: usize) -> u32 {
        self.row0 + r as u32 + 1
    }

    /// The column letters of a position within `rows`.
    pub fn column_letters(&self, c: usize) -> String {
        column_letters(self.col0 + c as u32)
    }
}

/// Column letters of a 0-based column: 0 → A, 25 → Z, 26 → AA.
pub fn column_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The A1 address of a 0-based (row, column).
pub fn a1(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), row + 1)
}

/// The decimal a person typed for a double Excel stored: its shortest round-trip form.
/// Not-a-number and infinities are not numbers.
pub fn decimal_from_f64(value: f64) -> Option<Decimal> {
    if !value.is_finite() {
        return None;
    }
    // Rust's Display for f64 prints the shortest string that reads back as the same double
    let text = format!("{value}");
    text.parse::<Decimal>()
        .ok()
        .or_else(|| Decimal::from_scientific(&format!("{value:e}")).ok())
}

/// A date-time written as ISO 8601 text (`t="d"` cells): a date-time, a date at midnight, or,
/// when it is neither, the text itself.
pub(crate) fn iso_datetime(s: &str) -> Value {
    s.parse::<NaiveDateTime>()
        .map(Value::DateTime)
        .or_else(|_| {
            s.parse::<chrono::NaiveDate>()
                .map(|d| Value::DateTime(d.and_time(chrono::NaiveTime::MIN)))
        })
        .unwrap_or_else(|_| Value::Text(s.to_string()))
}

fn convert(data: &Data) -> Value {
    match data {
        Data::Empty => Value::Empty,
        Data::Int(i) => Value::Number(Decimal::from(*i)),
        Data::Float(f) => decimal_from_f64(*f)
            .map(Value::Number)
            .unwrap_or_else(|| Value::Error(format!("{f}"))),
        Data::String(s) => Value::Text(s.clone()),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(d) => Value::DateTime(d),
            None => Value::Error(format!("{dt}")),
        },
        Data::DateTimeIso(s) => iso_datetime(s),
        Data::DurationIso(s) => Value::Text(s.clone()),
        Data::Error(e) => Value::Error(format!("{e:?}")),
    }
}

/// Read every sheet of a file. A file that cannot be read is one issue naming the file and
/// what to do; nothing panics.
pub fn read_file(path: &Path) -> Result<Vec<Sheet>, Box<ImportIssue>> {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = std::fs::read(path).map_err(|e| {
        Box::new(ImportIssue::file(
            "FILE_UNREADABLE",
            format!("{file_name}: cannot read the file: {e}"),
            format!("{file_name}：无法读取文件：{e}"),
        ))
    })?;
    read_bytes(&file_name, &bytes)
}

/// Read from bytes; `file_name` decides CSV vs spreadsheet when the content is ambiguous.
pub fn read_bytes(file_name: &str, bytes: &[u8]) -> Result<Vec<Sheet>, Box<ImportIssue>> {
    let lower = file_name.to_lowercase();
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    let is_cfb = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    if lower.ends_with(".csv") || lower.ends_with(".txt") {
        if is_zip || is_cfb {
            return Err(Box::new(ImportIssue::file(
                "FILE_NOT_CSV",
                format!("{file_name}: named .csv but it is a spreadsheet workbook; save it as .xlsx or export it as CSV again"),
                format!("{file_name}：扩展名为 .csv 但实际是电子表格工作簿；请另存为 .xlsx 或重新导出 CSV"),
            )));
        }
        return Ok(vec![read_csv(file_name, bytes)]);
    }
    if !is_zip && !is_cfb {
        return Err(Box::new(ImportIssue::file(
            "FILE_NOT_SPREADSHEET",
            format!("{file_name}: not a spreadsheet (expected .xlsx, .xls, .ods or .csv); open it in Excel and save it as .xlsx"),
            format!("{file_name}：不是电子表格（应为 .xlsx、.xls、.ods 或 .csv）；请用 Excel 打开并另存为 .xlsx"),
        )));
    }
    if is_cfb && (lower.ends_with(".xlsx") || lower.ends_with(".xlsm") || lower.ends_with(".ods")) {
        // an OOXML workbook wrapped in a compound file is an encrypted (password) workbook
        return Err(Box::new(password(file_name)));
    }
    // calamine is robust against the damaged files we have tried (see the property tests), but
    // a reader bug must still end as an issue, not a crash of the whole application
    let read = std::panic::catch_unwind(|| read_workbook(file_name, bytes));
    read.unwrap_or_else(|_| {
        Err(Box::new(workbook_error(
            file_name,
            "the reader failed on this file",
        )))
    })
}

fn read_workbook(file_name: &str, bytes: &[u8]) -> Result<Vec<Sheet>, Box<ImportIssue>> {
    let cursor = std::io::Cursor::new(bytes);
    let mut workbook = calamine::open_workbook_auto_from_rs(cursor)
        .map_err(|e| Box::new(workbook_error(file_name, &e.to_string())))?;
    let names = workbook.sheet_names().to_vec();
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| Box::new(workbook_error(file_name, &e.to_string())))?;
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let rows = range
            .rows()
            .map(|r| r.iter().map(convert).collect())
            .collect();
        sheets.push(Sheet {
            name,
            row0,
            col0,
            rows,
        });
    }
    Ok(sheets)
}

/// A reader bug must end as an issue, not a crash of the whole application — except, for our own
/// reader, under the fuzzer (`cfg(fuzzing)`, set by cargo-fuzz), which must see the panic to
/// report it. (calamine's panics on damaged files are caught always: they are not ours to fix.)
fn ours<T>(f: impl FnOnce() -> T + std::panic::UnwindSafe) -> std::thread::Result<T> {
    #[cfg(fuzzing)]
    return Ok(f());
    #[cfg(not(fuzzing))]
    std::panic::catch_unwind(f)
}

/// Receives rows one at a time (see [`visit_rows`]).
pub trait RowVisitor {
    /// A new sheet begins; return false to skip it.
    fn sheet(&mut self, name: &str) -> bool;
    /// One row: its 0-based sheet row, the 0-based column of `cells[0]`, and the cells. Return
    /// false to skip the rest of the sheet.
    fn row(&mut self, row: u32, col0: u32, cells: &[Value]) -> bool;
}

/// Visit the rows of every sheet without holding a sheet when the format allows it: .xlsx
/// streams its cells (a 700,800-row export is never in memory as a sheet); .xls, .ods and .csv
/// are read whole — they are small — and then visited.
pub fn visit_rows(
    file_name: &str,
    bytes: &[u8],
    visitor: &mut dyn RowVisitor,
) -> Result<(), Box<ImportIssue>> {
    let lower = file_name.to_lowercase();
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    if is_zip && !(lower.ends_with(".ods") || lower.ends_with(".csv") || lower.ends_with(".txt")) {
        let streamed = ours(std::panic::AssertUnwindSafe(|| {
            stream_xlsx(file_name, bytes, visitor)
        }));
        match streamed {
            Ok(Ok(true)) => return Ok(()),
            Ok(Ok(false)) => {} // not an .xlsx after all: read it whole below
            Ok(Err(e)) => return Err(e),
            Err(_) => {
                return Err(Box::new(workbook_error(
                    file_name,
                    "the reader failed on this file",
                )))
            }
        }
    }
    for sheet in read_bytes(file_name, bytes)? {
        if !visitor.sheet(&sheet.name) {
            continue;
        }
        for (i, row) in sheet.rows.iter().enumerate() {
            if row.iter().all(Value::is_empty) {
                continue;
            }
            if !visitor.row(sheet.row0 + i as u32, sheet.col0, row) {
                break;
            }
        }
    }
    Ok(())
}

/// Stream an .xlsx cell by cell; Ok(false) when the file is not an .xlsx. The worksheet XML is
/// scanned by our own reader ([`crate::xlsx`]); a workbook it cannot open goes to calamine.
pub(crate) fn stream_xlsx(
    file_name: &str,
    bytes: &[u8],
    visitor: &mut dyn RowVisitor,
) -> Result<bool, Box<ImportIssue>> {
    match crate::xlsx::Book::open(bytes) {
        Ok(mut book) => {
            let sheets = book.sheets.clone();
            for (name, path) in sheets {
                if !visitor.sheet(&name) {
                    continue;
                }
                if let Some(path) = path {
                    fast_sheet(file_name, &mut book, &path, visitor)?;
                }
            }
            Ok(true)
        }
        Err(_) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            stream_xlsx_calamine(file_name, bytes, visitor)
        }))
        .unwrap_or_else(|_| {
            Err(Box::new(workbook_error(
                file_name,
                "the reader failed on this file",
            )))
        }),
    }
}

/// Two threads for one sheet (the machine has two cores): `produce` runs on its own thread and
/// hands chunks of rows to `send`, which returns false once the consumer has stopped; `consume`
/// takes each chunk here and returns Ok(false) to stop. The first error of either side is the
/// result.
fn pipeline<T: Send>(
    produce: impl FnOnce(&mut dyn FnMut(T) -> bool) -> Result<(), String> + Send,
    mut consume: impl FnMut(T) -> Result<bool, String>,
) -> Result<(), String> {
    use std::sync::atomic::{AtomicBool, Ordering};
    let stop = AtomicBool::new(false);
    let (tx, rx) = std::sync::mpsc::sync_channel::<Result<T, String>>(4);
    std::thread::scope(|scope| {
        let stop = &stop;
        scope.spawn(move || {
            let mut send = |item: T| !stop.load(Ordering::Relaxed) && tx.send(Ok(item)).is_ok();
            if let Err(e) = produce(&mut send) {
                let _ = tx.send(Err(e));
            }
        });
        let mut failure = None;
        for message in rx.iter() {
            match message {
                Ok(_) if stop.load(Ordering::Relaxed) => {}
                Ok(item) => match consume(item) {
                    Ok(true) => {}
                    Ok(false) => stop.store(true, Ordering::Relaxed),
                    Err(e) => {
                        failure = Some(e);
                        stop.store(true, Ordering::Relaxed);
                    }
                },
                Err(e) => failure = Some(e),
            }
        }
        failure.map_or(Ok(()), Err)
    })
}

/// One worksheet through the fast reader: the XML is inflated and scanned into raw cells on one
/// thread, while this one turns them into values and gives them to the visitor (the two halves
/// take about the same time).
fn fast_sheet(
    file_name: &str,
    book: &mut crate::xlsx::Book<'_>,
    path: &str,
    visitor: &mut dyn RowVisitor,
) -> Result<(), Box<ImportIssue>> {
    let crate::xlsx::Book { archive, cells, .. } = book;
    let mut values: Vec<Value> = Vec::new();
    pipeline(
        |send| archive.chunks(path, CHUNK_ROWS, send),
        |chunk| {
            for i in 0..chunk.len() {
                let row = cells.row(&chunk, i, &mut values)?;
                if !values.is_empty() && !visitor.row(row, 0, &values) {
                    return Ok(false);
                }
            }
            Ok(true)
        },
    )
    .map_err(|e| Box::new(workbook_error(file_name, &e)))
}

/// Stream an .xlsx through calamine's cell reader; Ok(false) when the file is not an .xlsx.
pub(crate) fn stream_xlsx_calamine(
    file_name: &str,
    bytes: &[u8],
    visitor: &mut dyn RowVisitor,
) -> Result<bool, Box<ImportIssue>> {
    let cursor = std::io::Cursor::new(bytes);
    let mut workbook = match calamine::open_workbook_auto_from_rs(cursor) {
        Ok(calamine::Sheets::Xlsx(x)) => x,
        Ok(_) => return Ok(false),
        Err(e) => return Err(Box::new(workbook_error(file_name, &e.to_string()))),
    };
    let names = workbook.sheet_names().to_vec();
    for name in names {
        if !visitor.sheet(&name) {
            continue;
        }
        stream_sheet(file_name, &mut workbook, &name, visitor)?;
    }
    Ok(true)
}

/// Rows sent from the parsing thread at a time.
const CHUNK_ROWS: usize = 2048;

/// One sheet through calamine: the XML is parsed on one thread, while this one converts the
/// cells and gives them to the visitor.
fn stream_sheet<RS: std::io::Read + std::io::Seek + Send>(
    file_name: &str,
    workbook: &mut calamine::Xlsx<RS>,
    name: &str,
    visitor: &mut dyn RowVisitor,
) -> Result<(), Box<ImportIssue>> {
    type Chunk = Vec<(u32, Vec<Data>)>;
    let produce = |send: &mut dyn FnMut(Chunk) -> bool| -> Result<(), String> {
        let mut reader = workbook
            .worksheet_cells_reader(name)
            .map_err(|e| e.to_string())?;
        let mut chunk: Chunk = Vec::with_capacity(CHUNK_ROWS);
        let mut cells: Vec<Data> = Vec::new();
        let mut current: Option<u32> = None;
        let flush = |cells: &mut Vec<Data>, row: u32, chunk: &mut Chunk| {
            if cells.iter().any(|v| !matches!(v, Data::Empty)) {
                chunk.push((row, std::mem::take(cells)));
            } else {
                cells.clear();
            }
        };
        while let Some(cell) = reader.next_cell().map_err(|e| e.to_string())? {
            let (r, c) = cell.get_position();
            if current != Some(r) {
                if let Some(prev) = current {
                    flush(&mut cells, prev, &mut chunk);
                    if chunk.len() >= CHUNK_ROWS && !send(std::mem::take(&mut chunk)) {
                        return Ok(());
                    }
                }
                current = Some(r);
            }
            let c = c as usize;
            if cells.len() <= c {
                cells.resize(c + 1, Data::Empty);
            }
            // owned but not converted: turning doubles into decimals happens on the other thread
            cells[c] = Data::from(cell.get_value().clone());
        }
        if let Some(prev) = current {
            flush(&mut cells, prev, &mut chunk);
        }
        send(chunk);
        Ok(())
    };
    let mut values: Vec<Value> = Vec::new();
    pipeline(produce, |chunk| {
        for (row, cells) in &chunk {
            values.clear();
            values.extend(cells.iter().map(convert));
            if !visitor.row(*row, 0, &values) {
                return Ok(false);
            }
        }
        Ok(true)
    })
    .map_err(|e| Box::new(workbook_error(file_name, &e)))
}

fn password(file_name: &str) -> ImportIssue {
    ImportIssue::file(
        "FILE_PASSWORD",
        format!("{file_name}: the workbook is password-protected; open it in Excel, remove the password (File › Info › Protect Workbook) and save a copy"),
        format!("{file_name}：工作簿有密码保护；请在 Excel 中打开，取消密码（文件 › 信息 › 保护工作簿）后另存一份"),
    )
}

fn workbook_error(file_name: &str, detail: &str) -> ImportIssue {
    if detail.to_lowercase().contains("password") {
        return password(file_name);
    }
    ImportIssue::file(
        "FILE_DAMAGED",
        format!("{file_name}: the workbook cannot be read ({detail}); it may be truncated or damaged — open it in Excel and save it again"),
        format!("{file_name}：无法读取该工作簿（{detail}）；文件可能不完整或已损坏——请在 Excel 中打开后重新保存"),
    )
}

/// Decode CSV bytes: UTF-8 (with or without BOM) when valid, else GB18030 (a superset of GBK).
pub fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

/// A small RFC 4180 reader: quoted fields, doubled quotes, commas, tabs or semicolons.
fn read_csv(file_name: &str, bytes: &[u8]) -> Sheet {
    let text = decode_text(bytes);
    // the separator of the first lines (a title line above the header has none), a comma when
    // they say nothing
    let head: Vec<&str> = text.lines().take(20).collect();
    let delimiter = [';', '\t', ',']
        .into_iter()
        .max_by_key(|d| head.iter().map(|l| l.matches(*d).count()).sum::<usize>())
        .unwrap_or(',');
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
        } else if c == '"' && field.is_empty() {
            quoted = true;
        } else if c == delimiter {
            row.push(text_value(std::mem::take(&mut field)));
        } else if c == '\n' || c == '\r' {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            row.push(text_value(std::mem::take(&mut field)));
            rows.push(std::mem::take(&mut row));
        } else {
            field.push(c);
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(text_value(field));
        rows.push(row);
    }
    let name = file_name
        .rsplit_once('.')
        .map(|(n, _)| n.to_string())
        .unwrap_or_else(|| file_name.to_string());
    Sheet {
        name,
        row0: 0,
        col0: 0,
        rows,
    }
}

fn text_value(s: String) -> Value {
    if s.trim().is_empty() {
        Value::Empty
    } else {
        Value::Text(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_addresses() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(8, 6), "G9");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn doubles_read_as_the_decimal_typed() {
        assert_eq!(decimal_from_f64(12.34), Some("12.34".parse().unwrap()));
        assert_eq!(
            decimal_from_f64(0.300_000_000_000_000_04),
            Some("0.30000000000000004".parse().unwrap())
        );
        assert_eq!(decimal_from_f64(168420.0), Some(Decimal::from(168420)));
        assert_eq!(decimal_from_f64(1e-7), Some("0.0000001".parse().unwrap()));
        assert_eq!(decimal_from_f64(f64::NAN), None);
    }

    #[test]
    fn gbk_csv_is_decoded() {
        let (gbk, _, _) = encoding_rs::GBK.encode("日期,数量(公斤)\n2024/1/8,\"1,250\"\n");
        let sheets = read_bytes("lpg.csv", &gbk).unwrap();
        assert_eq!(sheets[0].rows[0][0], Value::Text("日期".into()));
        assert_eq!(sheets[0].rows[1][1], Value::Text("1,250".into()));
    }

    #[test]
    fn not_a_spreadsheet_is_one_clear_issue() {
        let err = read_bytes("bills.xlsx", b"hello, this is text").unwrap_err();
        assert_eq!(err.code, "FILE_NOT_SPREADSHEET");
        let err = read_bytes("bills.xlsx", b"PK\x03\x04garbage-truncated").unwrap_err();
        assert_eq!(err.code, "FILE_DAMAGED");
    }
}
