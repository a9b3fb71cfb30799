//! Stage one: read a workbook into cells. Spreadsheets (.xlsx, .xls, .ods) through calamine,
//! CSV in UTF-8 or GBK / GB18030 (what Chinese Excel saves). Numbers become the decimal the user
//! typed: a cell that shows 12.34 is stored by Excel as the nearest double, and its shortest
//! round-trip form ("12.34") is what we read, so sums stay exact.

use crate::issue::ImportIssue;
use crate::xlsx::Fail;
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
    let mut n = u64::from(col) + 1;
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
    format!("{}{}", column_letters(col), u64::from(row) + 1)
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
        // as Excel shows it: #DIV/0!, #N/A, #VALUE! …
        Data::Error(e) => Value::Error(e.to_string()),
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
    read_bytes_noted(file_name, bytes).map(|(sheets, _)| sheets)
}

/// [`read_bytes`], with what the reading itself has to say about the file (a CSV column read
/// with decimal commas, or one that mixes decimal points and commas), for the dry run.
pub fn read_bytes_noted(
    file_name: &str,
    bytes: &[u8],
) -> Result<(Vec<Sheet>, Vec<ImportIssue>), Box<ImportIssue>> {
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
        let (sheet, notes) = read_csv(file_name, bytes)?;
        return Ok((vec![sheet], notes));
    }
    if !is_zip && !is_cfb {
        return Err(Box::new(ImportIssue::file(
            "FILE_NOT_SPREADSHEET",
            format!("{file_name}: not a spreadsheet (expected .xlsx, .xls, .ods or .csv); open it in Excel and save it as .xlsx"),
            format!("{file_name}：不是电子表格（应为 .xlsx、.xls、.ods 或 .csv）；请用 Excel 打开并另存为 .xlsx"),
        )));
    }
    if is_cfb {
        return read_cfb(file_name, &lower, bytes);
    }
    // a zip: an .xlsx (.xlsm, .xlsb) or .ods, read row by row into sheets that hold only the
    // rows and columns used
    let mut collect = Collect::default();
    stream_zip(file_name, bytes, &mut collect)?;
    Ok((collect.finish(), Vec::new()))
}

/// A compound file, by what it holds (whatever its name says): an .xls, measured
/// ([`crate::dense`]) then read whole; an encrypted OOXML workbook, which needs its password
/// removed; or no workbook at all.
fn read_cfb(
    file_name: &str,
    lower: &str,
    bytes: &[u8],
) -> Result<(Vec<Sheet>, Vec<ImportIssue>), Box<ImportIssue>> {
    let cfb = crate::dense::Cfb::open(bytes).map_err(|b| Box::new(b.issue(file_name)))?;
    if cfb.has("EncryptedPackage") || cfb.has("EncryptionInfo") {
        return Err(Box::new(password(file_name)));
    }
    if !cfb.has("Workbook") && !cfb.has("Book") {
        return Err(Box::new(ImportIssue::file(
            "FILE_NOT_SPREADSHEET",
            format!("{file_name}: an Office document with no workbook in it (a Word, PowerPoint or Outlook file?); open the spreadsheet in Excel and save it as .xlsx"),
            format!("{file_name}：这是一个不含工作簿的 Office 文档（Word、PowerPoint 或 Outlook 文件？）；请用 Excel 打开电子表格并另存为 .xlsx"),
        )));
    }
    crate::dense::check_xls(&cfb).map_err(|b| Box::new(b.issue(file_name)))?;
    let mut notes = Vec::new();
    if !lower.ends_with(".xls") {
        notes.push(ImportIssue::file(
            "FILE_IS_XLS",
            format!("{file_name}: this is an Excel 97–2003 workbook (.xls) with another name; it was read as one (renaming it to .xls avoids confusion in other programs)"),
            format!("{file_name}：这是 Excel 97–2003 工作簿（.xls），只是扩展名不同；已按 .xls 读取（改名为 .xls 可避免其他程序误判）"),
        ).with_severity(lingtan_core::Severity::Info));
    }
    // calamine is robust against the damaged files we have tried (see the property tests), but
    // a reader bug must still end as an issue, not a crash of the whole application
    let read = std::panic::catch_unwind(|| read_whole(file_name, bytes));
    let sheets = read.unwrap_or_else(|_| {
        Err(Box::new(workbook_error(
            file_name,
            "the reader failed on this file",
        )))
    })?;
    Ok((sheets, notes))
}

/// A workbook through calamine, every sheet whole (an .xls, measured first).
pub(crate) fn read_whole(file_name: &str, bytes: &[u8]) -> Result<Vec<Sheet>, Box<ImportIssue>> {
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

/// Rows gathered into sheets that span only the rows and columns used: each row from the first
/// used column of the sheet to its own last used cell (so a stray cell far right costs that row,
/// not the whole sheet).
#[derive(Default)]
struct Collect {
    /// Each sheet's name and its rows: (0-based row, cells from column A).
    sheets: Vec<(String, Vec<Row>)>,
}

type Row = (u32, Vec<Value>);

impl RowVisitor for Collect {
    fn sheet(&mut self, name: &str) -> bool {
        self.sheets.push((name.to_string(), Vec::new()));
        true
    }

    fn row(&mut self, row: u32, col0: u32, cells: &[Value]) -> bool {
        if let Some((_, rows)) = self.sheets.last_mut() {
            let mut full = vec![Value::Empty; col0 as usize];
            full.extend_from_slice(cells);
            rows.push((row, full));
        }
        true
    }
}

impl Collect {
    fn finish(self) -> Vec<Sheet> {
        self.sheets
            .into_iter()
            .map(|(name, mut rows)| {
                // rows come in order from every writer we know; a file that repeats or reorders
                // them gets them sorted, a repeated row's cells merged
                rows.sort_by_key(|(r, _)| *r);
                let used = |cells: &[Value]| cells.iter().position(|v| !matches!(v, Value::Empty));
                let col0 = rows
                    .iter()
                    .filter_map(|(_, cells)| used(cells))
                    .min()
                    .unwrap_or(0);
                let row0 = rows.first().map_or(0, |(r, _)| *r);
                let last = rows.last().map_or(0, |(r, _)| *r);
                let mut out: Vec<Vec<Value>> = Vec::new();
                if !rows.is_empty() {
                    out.resize((last - row0) as usize + 1, Vec::new());
                }
                for (r, cells) in rows {
                    let slot = &mut out[(r - row0) as usize];
                    for (c, v) in cells.into_iter().enumerate().skip(col0) {
                        if matches!(v, Value::Empty) {
                            continue;
                        }
                        let c = c - col0;
                        if slot.len() <= c {
                            slot.resize(c + 1, Value::Empty);
                        }
                        slot[c] = v;
                    }
                }
                Sheet {
                    name,
                    row0,
                    col0: col0 as u32,
                    rows: out,
                }
            })
            .collect()
    }
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
    /// What the reading has to say about the file (see [`read_bytes_noted`]); ignored unless
    /// the visitor reports it.
    fn note(&mut self, _issue: ImportIssue) {}
}

/// Visit the rows of every sheet without holding a sheet when the format allows it: .xlsx
/// streams its cells (a 700,800-row export is never in memory as a sheet); .xls, .ods and .csv
/// are read whole — they are small, and measured first ([`crate::limits`]) — and then visited.
pub fn visit_rows(
    file_name: &str,
    bytes: &[u8],
    visitor: &mut dyn RowVisitor,
) -> Result<(), Box<ImportIssue>> {
    let lower = file_name.to_lowercase();
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    if is_zip && !(lower.ends_with(".csv") || lower.ends_with(".txt")) {
        return stream_zip(file_name, bytes, visitor);
    }
    let (sheets, notes) = read_bytes_noted(file_name, bytes)?;
    for note in notes {
        visitor.note(note);
    }
    visit_sheets(sheets, visitor);
    Ok(())
}

fn visit_sheets(sheets: Vec<Sheet>, visitor: &mut dyn RowVisitor) {
    for sheet in sheets {
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
}

/// A zip package, row by row: an .xlsx through the fast reader ([`crate::xlsx`], which inflates
/// each part under its limits); anything it cannot open goes to calamine after every part was
/// inflated once under the same limits ([`crate::limits::check_zip`]) and, for an .ods, its
/// tables measured ([`crate::dense::check_ods`]) — calamine reads an .ods whole when it opens it.
pub(crate) fn stream_zip(
    file_name: &str,
    bytes: &[u8],
    visitor: &mut dyn RowVisitor,
) -> Result<(), Box<ImportIssue>> {
    let read = ours(std::panic::AssertUnwindSafe(
        || match crate::xlsx::Book::open(bytes) {
            Ok(mut book) => {
                let sheets = book.sheets.clone();
                for (name, path) in sheets {
                    if !visitor.sheet(&name) {
                        continue;
                    }
                    if let Some(path) = path {
                        fast_sheet(&mut book, &path, visitor)
                            .map_err(|e| fail(file_name, &name, e))?;
                    }
                }
                Ok(true)
            }
            Err(Fail::Beyond(b)) => Err(Box::new(b.issue(file_name))),
            Err(Fail::Unreadable(_)) => Ok(false),
        },
    ));
    match read {
        Ok(Ok(true)) => return Ok(()),
        Ok(Ok(false)) => {}
        Ok(Err(e)) => return Err(e),
        Err(_) => {
            return Err(Box::new(workbook_error(
                file_name,
                "the reader failed on this file",
            )))
        }
    }
    crate::limits::check_zip(bytes).map_err(|b| Box::new(b.issue(file_name)))?;
    crate::dense::check_ods(bytes).map_err(|b| Box::new(b.issue(file_name)))?;
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        stream_calamine(file_name, bytes, visitor)
    }))
    .unwrap_or_else(|_| {
        Err(Box::new(workbook_error(
            file_name,
            "the reader failed on this file",
        )))
    })
}

/// What a failure of the fast reader on a sheet becomes.
fn fail(file_name: &str, sheet: &str, e: Fail) -> Box<ImportIssue> {
    Box::new(match e {
        Fail::Beyond(b) => b.on_sheet(sheet).issue(file_name),
        Fail::Unreadable(m) => workbook_error(file_name, &m),
    })
}

/// Two threads for one sheet (the machine has two cores): `produce` runs on its own thread and
/// hands chunks of rows to `send`, which returns false once the consumer has stopped; `consume`
/// takes each chunk here and returns Ok(false) to stop. The first error of either side is the
/// result.
fn pipeline<T: Send, E: Send>(
    produce: impl FnOnce(&mut dyn FnMut(T) -> bool) -> Result<(), E> + Send,
    mut consume: impl FnMut(T) -> Result<bool, E>,
) -> Result<(), E> {
    use std::sync::atomic::{AtomicBool, Ordering};
    let stop = AtomicBool::new(false);
    let (tx, rx) = std::sync::mpsc::sync_channel::<Result<T, E>>(4);
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
    book: &mut crate::xlsx::Book<'_>,
    path: &str,
    visitor: &mut dyn RowVisitor,
) -> Result<(), Fail> {
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
}

/// A package through calamine: an .xlsx or .xlsb streamed through its cell reader, an .ods (read
/// whole when calamine opens it, measured before) visited sheet by sheet.
pub(crate) fn stream_calamine(
    file_name: &str,
    bytes: &[u8],
    visitor: &mut dyn RowVisitor,
) -> Result<(), Box<ImportIssue>> {
    let cursor = std::io::Cursor::new(bytes);
    let err = |e: &dyn std::fmt::Display| Box::new(workbook_error(file_name, &e.to_string()));
    match calamine::open_workbook_auto_from_rs(cursor).map_err(|e| err(&e))? {
        calamine::Sheets::Xlsx(mut book) => {
            for name in book.sheet_names().to_vec() {
                if visitor.sheet(&name) {
                    let produce = |send: &mut dyn FnMut(Chunk) -> bool| -> Result<(), Fail> {
                        let mut reader = book
                            .worksheet_cells_reader(&name)
                            .map_err(|e| e.to_string())?;
                        produce_cells(
                            &mut || {
                                reader
                                    .next_cell()
                                    .map(|c| {
                                        c.map(|c| {
                                            (c.get_position(), Data::from(c.get_value().clone()))
                                        })
                                    })
                                    .map_err(|e| e.to_string())
                            },
                            send,
                        )
                    };
                    consume_cells(produce, visitor).map_err(|e| fail(file_name, &name, e))?;
                }
            }
        }
        calamine::Sheets::Xlsb(mut book) => {
            for name in book.sheet_names().to_vec() {
                if visitor.sheet(&name) {
                    let produce = |send: &mut dyn FnMut(Chunk) -> bool| -> Result<(), Fail> {
                        let mut reader = book
                            .worksheet_cells_reader(&name)
                            .map_err(|e| e.to_string())?;
                        produce_cells(
                            &mut || {
                                reader
                                    .next_cell()
                                    .map(|c| {
                                        c.map(|c| {
                                            (c.get_position(), Data::from(c.get_value().clone()))
                                        })
                                    })
                                    .map_err(|e| e.to_string())
                            },
                            send,
                        )
                    };
                    consume_cells(produce, visitor).map_err(|e| fail(file_name, &name, e))?;
                }
            }
        }
        mut other => {
            let names = other.sheet_names().to_vec();
            let mut sheets = Vec::with_capacity(names.len());
            for name in names {
                let range = other.worksheet_range(&name).map_err(|e| err(&e))?;
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
            visit_sheets(sheets, visitor);
        }
    }
    Ok(())
}

/// Rows sent from the parsing thread at a time.
const CHUNK_ROWS: usize = 2048;

/// Raw cells of some rows, from a calamine cell reader.
type Chunk = Vec<(u32, Vec<Data>)>;

/// Cells from a calamine cell reader into chunks of rows; a cell past the sheet limits is
/// refused before its row is widened to reach it.
/// The next cell of a calamine cell reader: its (row, column) and value.
type NextCell<'a> = &'a mut dyn FnMut() -> Result<Option<((u32, u32), Data)>, String>;

fn produce_cells(next: NextCell<'_>, send: &mut dyn FnMut(Chunk) -> bool) -> Result<(), Fail> {
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
    while let Some(((r, c), value)) = next()? {
        if matches!(value, Data::Empty) {
            continue;
        }
        crate::limits::cell(r, c)?;
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
        cells[c] = value;
    }
    if let Some(prev) = current {
        flush(&mut cells, prev, &mut chunk);
    }
    send(chunk);
    Ok(())
}

/// The other half: chunks of raw cells converted and given to the visitor.
fn consume_cells(
    produce: impl FnOnce(&mut dyn FnMut(Chunk) -> bool) -> Result<(), Fail> + Send,
    visitor: &mut dyn RowVisitor,
) -> Result<(), Fail> {
    let mut values: Vec<Value> = Vec::new();
    pipeline(produce, |chunk: Chunk| {
        for (row, cells) in &chunk {
            values.clear();
            values.extend(cells.iter().map(convert));
            if !visitor.row(*row, 0, &values) {
                return Ok(false);
            }
        }
        Ok(true)
    })
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

/// Decode CSV bytes: UTF-16 (little or big endian, with a byte-order mark or recognised by its
/// zero bytes, as Excel's "Unicode text" saves it), else UTF-8 (with or without BOM) when
/// valid, else GB18030 (a superset of GBK).
pub fn decode_text(bytes: &[u8]) -> String {
    if let Some(utf16) = utf16(bytes) {
        return utf16
            .decode_without_bom_handling(strip_bom(bytes))
            .0
            .into_owned();
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        &bytes[2..]
    } else {
        bytes
    }
}

/// UTF-16 by its byte-order mark, or, without one, by its zero bytes: text in UTF-8 or GBK has
/// none, while UTF-16 has one in every ASCII character (the delimiters, digits and line ends of
/// any CSV) — on odd offsets for little endian, on even ones for big endian.
fn utf16(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if bytes.starts_with(b"\xFF\xFE") {
        return Some(encoding_rs::UTF_16LE);
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return Some(encoding_rs::UTF_16BE);
    }
    let head = &bytes[..bytes.len().min(4096)];
    let zeros = |parity: usize| {
        head.iter()
            .enumerate()
            .filter(|(i, b)| i % 2 == parity && **b == 0)
            .count()
    };
    // a Chinese character such as 一 (U+4E00) has a zero byte of its own, on the other parity
    let (even, odd) = (zeros(0), zeros(1));
    let enough = (head.len() / 32).max(1);
    if odd >= enough && odd >= 4 * even {
        Some(encoding_rs::UTF_16LE)
    } else if even >= enough && even >= 4 * odd {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// A small RFC 4180 reader: quoted fields, doubled quotes, commas, tabs or semicolons. Then each
/// column's numbers are looked at: see [`decimal_commas`].
fn read_csv(file_name: &str, bytes: &[u8]) -> Result<(Sheet, Vec<ImportIssue>), Box<ImportIssue>> {
    let text = decode_text(bytes);
    if text.contains('\0') {
        return Err(Box::new(ImportIssue::file(
            "FILE_NOT_TEXT",
            format!("{file_name}: named .csv but it holds zero bytes, so it is not text in UTF-8, UTF-16 or GBK (a binary file, or UTF-32); open it in Excel and save it as CSV UTF-8 or as .xlsx"),
            format!("{file_name}：扩展名为 .csv，但含有零字节，不是 UTF-8、UTF-16 或 GBK 文本（可能是二进制文件或 UTF-32）；请用 Excel 打开后另存为 CSV UTF-8 或 .xlsx"),
        )));
    }
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
    let mut sheet = Sheet {
        name,
        row0: 0,
        col0: 0,
        rows,
    };
    let notes = decimal_commas(&mut sheet);
    Ok((sheet, notes))
}

/// How a text cell reads under each decimal mark.
enum Reads {
    Neither,
    /// Only with a decimal point (`1,234.5`, `1.5`).
    PointOnly,
    /// Only with a decimal comma (`12,34`, `1.000,5`, `1 234,5`).
    CommaOnly,
    /// Both, to the same value (`12`).
    Same,
    /// Both, to different values (`1,234`: 1234 or 1.234; `1.234`: 1.234 or 1234).
    Differ,
}

fn reads(text: &str) -> Reads {
    use lingtan_core::number::{parse_written, Mark, Sign};
    // plain ASCII without a comma or a space decides the common cases of a CSV with one parse
    // or none: without a point it reads the same either way (or not at all); with a point
    // followed by other than three characters, the point can only be a decimal point
    if text.is_ascii()
        && text
            .bytes()
            .any(|b| !(b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b',' | b' ' | b'\t')))
    {
        // a letter, a colon, a slash …: not a number either way (timestamps, names)
        return Reads::Neither;
    }
    if text.is_ascii() && !text.bytes().any(|b| matches!(b, b',' | b' ' | b'\t')) {
        if !text.contains('.') {
            return Reads::Neither;
        }
        if text
            .rsplit('.')
            .next()
            .is_some_and(|group| group.len() != 3)
        {
            return match parse_written(text, Sign::Signed, Mark::Point) {
                Ok(_) => Reads::PointOnly,
                Err(_) => Reads::Neither,
            };
        }
    }
    let point = parse_written(text, Sign::Signed, Mark::Point);
    let comma = parse_written(text, Sign::Signed, Mark::Comma);
    match (point, comma) {
        (Err(_), Err(_)) => Reads::Neither,
        (Ok(_), Err(_)) => Reads::PointOnly,
        (Err(_), Ok(_)) => Reads::CommaOnly,
        (Ok(p), Ok(c)) if p.value == c.value => Reads::Same,
        (Ok(_), Ok(_)) => Reads::Differ,
    }
}

/// A CSV holds text only, and a file written where the comma is the decimal mark (`1.000,5`,
/// `12,34`) means other numbers than the same characters in a Chinese ledger (`12,345`). A
/// column is read with decimal commas only when that is unambiguous: some of its numbers read
/// only with a decimal comma, none only with a point, and none to two different values
/// (`1,234`). Its numbers then become number cells, and an info note names the column. A column
/// with decimal-comma numbers that is not unambiguous is left as text — those numbers are then
/// refused at their cells by the one grammar ([`lingtan_core::number`]) — and a warning names the
/// column and why.
fn decimal_commas(sheet: &mut Sheet) -> Vec<ImportIssue> {
    use lingtan_core::number::{parse_written, Mark, Sign};
    let width = sheet.rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut notes = Vec::new();
    for c in 0..width {
        let mut point_only: Option<(usize, String)> = None;
        let mut comma_only: Option<(usize, String)> = None;
        let mut differ: Option<(usize, String)> = None;
        for (r, row) in sheet.rows.iter().enumerate() {
            let Some(Value::Text(t)) = row.get(c) else {
                continue;
            };
            let first = |slot: &mut Option<(usize, String)>| {
                slot.get_or_insert_with(|| (r, t.trim().to_string()));
            };
            match reads(t) {
                Reads::PointOnly => first(&mut point_only),
                Reads::CommaOnly => first(&mut comma_only),
                Reads::Differ => first(&mut differ),
                Reads::Neither | Reads::Same => {}
            }
        }
        let Some((rc, comma)) = comma_only else {
            continue;
        };
        let letters = sheet.column_letters(c);
        let at = sheet.a1(rc, c);
        let (row_number, name) = (sheet.row_number(rc), sheet.name.clone());
        let note = |code, severity, en: String, zh: String| ImportIssue {
            column: Some(letters.clone()),
            cell: Some(at.clone()),
            row: Some(row_number),
            ..ImportIssue::on_sheet(code, severity, &name, en, zh)
        };
        let warning = lingtan_core::Severity::Warning;
        let issue = match (point_only, differ) {
            (Some((rp, point)), _) => note(
                "DECIMAL_MARK_MIXED",
                warning,
                format!("column {letters} mixes a decimal point ('{point}' in {}) and a decimal comma ('{comma}' in {at}): numbers are read with the point, so those written with a comma are refused; write the column one way", sheet.a1(rp, c)),
                format!("{letters} 列混用小数点（{} 的“{point}”）和小数逗号（{at} 的“{comma}”）：按小数点读取，以逗号作小数点的数字不予接受；请统一写法", sheet.a1(rp, c)),
            ),
            (None, Some((rd, both))) => note(
                "DECIMAL_MARK_AMBIGUOUS",
                warning,
                format!("column {letters} has '{comma}' in {at}, written with a decimal comma, but also '{both}' in {}, which means two different numbers with a decimal point or a decimal comma: numbers are read with the point, so those written with a comma are refused; write the column one way: with a decimal point (168,420.5) or with a decimal comma and no thousands commas (168420,5)", sheet.a1(rd, c)),
                format!("{letters} 列 {at} 的“{comma}”以逗号作小数点，但 {} 的“{both}”按小数点或小数逗号读数不同：按小数点读取，以逗号作小数点的数字不予接受；请统一写法：用小数点（168,420.5），或用小数逗号且不加千位逗号（168420,5）", sheet.a1(rd, c)),
            ),
            (None, None) => {
                let mut converted = 0usize;
                for row in &mut sheet.rows {
                    let Some(cell) = row.get_mut(c) else { continue };
                    let Value::Text(t) = cell else { continue };
                    if let Ok(w) = parse_written(t, Sign::Signed, Mark::Comma) {
                        *cell = Value::Number(w.value);
                        converted += 1;
                    }
                }
                let value = sheet.get(rc, c).display();
                note(
                    "DECIMAL_COMMA",
                    lingtan_core::Severity::Info,
                    format!("column {letters} is written with decimal commas ('{comma}' in {at} is {value}): its {converted} numbers are read that way"),
                    format!("{letters} 列以逗号作小数点（{at} 的“{comma}”即 {value}）：该列 {converted} 个数字按此读取"),
                )
            }
        };
        notes.push(issue);
    }
    notes
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
        assert_eq!(
            a1(0, 0),
            "A1",
            "a refusal names its cell as Excel does (A1, Z, AA): the user finds it in the sheet"
        );
        assert_eq!(
            a1(8, 6),
            "G9",
            "a refusal names its cell as Excel does (A1, Z, AA): the user finds it in the sheet"
        );
        assert_eq!(
            column_letters(25),
            "Z",
            "a refusal names its cell as Excel does (A1, Z, AA): the user finds it in the sheet"
        );
        assert_eq!(
            column_letters(26),
            "AA",
            "a refusal names its cell as Excel does (A1, Z, AA): the user finds it in the sheet"
        );
        assert_eq!(
            column_letters(701),
            "ZZ",
            "a refusal names its cell as Excel does (A1, Z, AA): the user finds it in the sheet"
        );
        assert_eq!(
            column_letters(702),
            "AAA",
            "a refusal names its cell as Excel does (A1, Z, AA): the user finds it in the sheet"
        );
    }

    #[test]
    fn doubles_read_as_the_decimal_typed() {
        assert_eq!(
            decimal_from_f64(12.34),
            Some("12.34".parse().unwrap()),
            "doubles read as the decimal typed"
        );
        assert_eq!(
            decimal_from_f64(0.300_000_000_000_000_04),
            Some("0.30000000000000004".parse().unwrap()),
            "doubles read as the decimal typed"
        );
        assert_eq!(
            decimal_from_f64(168420.0),
            Some(Decimal::from(168420)),
            "doubles read as the decimal typed"
        );
        assert_eq!(
            decimal_from_f64(1e-7),
            Some("0.0000001".parse().unwrap()),
            "doubles read as the decimal typed"
        );
        assert_eq!(
            decimal_from_f64(f64::NAN),
            None,
            "doubles read as the decimal typed"
        );
    }

    #[test]
    fn gbk_csv_is_decoded() {
        let (gbk, _, _) = encoding_rs::GBK.encode("日期,数量(公斤)\n2024/1/8,\"1,250\"\n");
        let sheets = read_bytes("lpg.csv", &gbk).unwrap();
        assert_eq!(
            sheets[0].rows[0][0],
            Value::Text("日期".into()),
            "gbk csv is decoded"
        );
        assert_eq!(
            sheets[0].rows[1][1],
            Value::Text("1,250".into()),
            "gbk csv is decoded"
        );
    }

    fn csv(text: &str) -> (Sheet, Vec<ImportIssue>) {
        let (mut sheets, notes) = read_bytes_noted("t.csv", text.as_bytes()).unwrap();
        (sheets.remove(0), notes)
    }

    fn num(s: &str) -> Value {
        Value::Number(s.parse().unwrap())
    }

    #[test]
    fn a_column_written_with_decimal_commas_is_read_so_and_said() {
        let (sheet, notes) =
            csv("月份;用量\n2024-01;1.000,5\n2024-02;12,34\n2024-03;1 234,5\n2024-04;980\n");
        let column: Vec<&Value> = sheet.rows.iter().skip(1).map(|r| &r[1]).collect();
        assert_eq!(
            column,
            [&num("1000.5"), &num("12.34"), &num("1234.5"), &num("980")],
            "every number of an unambiguous decimal-comma column is read with the comma"
        );
        assert_eq!(
            notes.len(),
            1,
            "a column written with decimal commas is read so and said: {notes:?}"
        );
        assert_eq!(
            notes[0].code, "DECIMAL_COMMA",
            "a column written with decimal commas is read so and said"
        );
        assert_eq!(
            notes[0].severity,
            lingtan_core::Severity::Info,
            "a column written with decimal commas is read so and said"
        );
        assert_eq!(
            notes[0].cell.as_deref(),
            Some("B2"),
            "the note names the column's first"
        );
        assert_eq!(
            sheet.rows[1][0],
            Value::Text("2024-01".into()),
            "other columns untouched"
        );
    }

    #[test]
    fn the_quick_classification_agrees_with_both_parses() {
        use lingtan_core::number::{parse_written, Mark, Sign};
        for text in [
            "12",
            "12.34",
            "1.234",
            "1.2345",
            "12.3",
            "1.234.567",
            "1.23.456",
            "a.bc",
            "0.5",
            ".123",
            "1,234",
            "12,34",
            "1 234",
            "1\t234",
            "x",
            "",
            "1.",
            "-1.234",
            "１２．３４",
        ] {
            let p = parse_written(text, Sign::Signed, Mark::Point);
            let c = parse_written(text, Sign::Signed, Mark::Comma);
            let full = match (&p, &c) {
                (Err(_), Err(_)) => "neither",
                (Ok(_), Err(_)) => "point",
                (Err(_), Ok(_)) => "comma",
                (Ok(a), Ok(b)) if a.value == b.value => "neither",
                (Ok(_), Ok(_)) => "differ",
            };
            let quick = match reads(text) {
                Reads::Neither | Reads::Same => "neither",
                Reads::PointOnly => "point",
                Reads::CommaOnly => "comma",
                Reads::Differ => "differ",
            };
            assert_eq!(
                quick, full,
                "the quick classification agrees with both parses: {text:?}"
            );
        }
    }

    #[test]
    fn a_ledger_with_thousands_commas_is_left_to_the_grammar() {
        let (sheet, notes) = csv("月份,用量\n2024-01,\"168,420\"\n2024-02,\"1,234.5\"\n");
        assert!(
            notes.is_empty(),
            "a ledger with thousands commas is left to the grammar: {notes:?}"
        );
        assert_eq!(
            sheet.rows[1][1],
            Value::Text("168,420".into()),
            "a ledger with thousands commas is left to the grammar"
        );
    }

    #[test]
    fn decimal_commas_in_a_column_that_is_not_unambiguous_stay_text_with_a_warning() {
        // a point elsewhere in the column: mixed
        let (sheet, notes) = csv("a;b\nx;1.5\ny;12,34\n");
        assert_eq!(
            notes.len(),
            1,
            "decimal commas in a column that is not unambiguous stay text with a warning"
        );
        assert_eq!(
            notes[0].code, "DECIMAL_MARK_MIXED",
            "decimal commas in a column that is not unambiguous stay text with a warning"
        );
        assert_eq!(
            notes[0].cell.as_deref(),
            Some("B3"),
            "decimal commas in a column that is not unambiguous stay text with a warning"
        );
        assert_eq!(
            sheet.rows[2][1],
            Value::Text("12,34".into()),
            "decimal commas in a column that is not unambiguous stay text with a warning"
        );
        assert!(
            matches!(
                crate::text::number(&sheet.rows[2][1]),
                crate::text::Number::NotANumber(_)
            ),
            "then refused at its cell"
        );
        // 168,420 is 168420 or 168.42: a typo 12,34 must not turn the column into decimals
        let (sheet, notes) = csv("a;b\nx;168,420\ny;12,34\n");
        assert_eq!(
            notes.len(),
            1,
            "decimal commas in a column that is not unambiguous stay text with a warning"
        );
        assert_eq!(
            notes[0].code, "DECIMAL_MARK_AMBIGUOUS",
            "decimal commas in a column that is not unambiguous stay text with a warning"
        );
        assert_eq!(
            sheet.rows[1][1],
            Value::Text("168,420".into()),
            "decimal commas in a column that is not unambiguous stay text with a warning"
        );
        assert_eq!(
            sheet.rows[2][1],
            Value::Text("12,34".into()),
            "decimal commas in a column that is not unambiguous stay text with a warning"
        );
    }

    #[test]
    fn utf16_csv_is_read_with_or_without_its_byte_order_mark() {
        // 一 (U+4E00) has a zero byte of its own
        let text = "月份,用电量(kWh)\r\n2024年一月,\"1,250\"\r\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for (what, bytes) in [
            ("LE with BOM", [&b"\xFF\xFE"[..], &le].concat()),
            ("BE with BOM", [&b"\xFE\xFF"[..], &be].concat()),
            ("LE", le.clone()),
            ("BE", be.clone()),
        ] {
            let sheets = read_bytes("u.csv", &bytes)
                .unwrap_or_else(|e| panic!("{what}: {}", e.message(lingtan_core::Lang::En)));
            assert_eq!(
                sheets[0].rows[0][0],
                Value::Text("月份".into()),
                "utf16 csv is read with or without its byte order mark: {what}"
            );
            assert_eq!(
                sheets[0].rows[1][1],
                Value::Text("1,250".into()),
                "utf16 csv is read with or without its byte order mark: {what}"
            );
        }
        let err = read_bytes("z.csv", b"a,b\n\x00\x00\x00\x01\x00,\x00\n").unwrap_err();
        assert_eq!(
            err.code, "FILE_NOT_TEXT",
            "zero bytes that are not UTF-16: said so"
        );
    }

    #[test]
    fn excel_errors_read_as_excel_shows_them() {
        assert_eq!(
            convert(&Data::Error(calamine::CellErrorType::Div0)),
            Value::Error("#DIV/0!".into()),
            "excel errors read as excel shows them"
        );
        assert_eq!(
            convert(&Data::Error(calamine::CellErrorType::NA)),
            Value::Error("#N/A".into()),
            "excel errors read as excel shows them"
        );
    }

    #[test]
    fn not_a_spreadsheet_is_one_clear_issue() {
        let err = read_bytes("bills.xlsx", b"hello, this is text").unwrap_err();
        assert_eq!(
            err.code, "FILE_NOT_SPREADSHEET",
            "not a spreadsheet is one clear issue"
        );
        let err = read_bytes("bills.xlsx", b"PK\x03\x04garbage-truncated").unwrap_err();
        assert_eq!(
            err.code, "FILE_DAMAGED",
            "not a spreadsheet is one clear issue"
        );
    }
}
