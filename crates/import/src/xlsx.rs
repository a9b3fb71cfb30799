//! The .xlsx fast path: a worksheet's cells read straight from its XML.
//!
//! calamine reads every format Lingtan accepts, and it still does for .xls, .ods and for any
//! .xlsx this module cannot open. But on a year of quarter-hour readings (700,800 rows, 172 MiB of
//! sheet XML) its general XML parser is most of the import's time. A worksheet's XML is a small,
//! regular language — rows of cells, each with a value, a formula or an inline string — so this
//! module scans it with a tokenizer of its own (a `<` search, a tag name, three attributes) and
//! turns values into [`Value`]s on the parsing thread.
//!
//! The cells it gives are the cells calamine gives: the same shared strings (rich-text runs
//! joined, phonetic runs skipped, `_x000D_` escapes decoded), the same date detection from the
//! cell's number format, the same 1900/1904 date arithmetic (calamine's own `ExcelDateTime`), the
//! same decimals. A test compares the two readers on every workbook in the repository and on
//! random workbooks.

use crate::limits::{self, Beyond, Budget, Capped};
use crate::read::{decimal_from_f64, iso_datetime, Value};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::ops::Range;

/// Bytes of inflated XML read at a time.
const FILL: u64 = 1 << 17;

/// A workbook opened for streaming: its sheets in order, and what turns cells into values.
pub(crate) struct Book<'b> {
    pub archive: Archive<'b>,
    /// Sheet name and, for a worksheet, the path of its XML (chart sheets have none).
    pub sheets: Vec<(String, Option<String>)>,
    pub cells: Cells,
}

/// The zip package and its part names (lower case, `/`-separated).
pub(crate) struct Archive<'b> {
    zip: zip::ZipArchive<Cursor<&'b [u8]>>,
    names: HashMap<String, usize>,
    /// The inflated bytes the whole package may give.
    budget: Budget,
}

/// Shared strings, the date-ness of each cell format, the date system: what turns a raw cell
/// into a value.
pub(crate) struct Cells {
    strings: Vec<String>,
    formats: Vec<Format>,
    is_1904: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Format {
    Other,
    DateTime,
    TimeDelta,
}

/// A part of the package being read.
/// A part of the package being read, inflated under its limits.
type Part<'z, 'b> = Xml<Capped<zip::read::ZipFile<'z, Cursor<&'b [u8]>>>>;

/// Why a workbook could not be read here.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Fail {
    /// Not what this reader reads (calamine then gets its turn), or damaged (the message is
    /// shown).
    Unreadable(String),
    /// Past a limit: refused, whichever reader it would go to.
    Beyond(Beyond),
}

impl From<String> for Fail {
    fn from(s: String) -> Fail {
        Fail::Unreadable(s)
    }
}

impl From<&str> for Fail {
    fn from(s: &str) -> Fail {
        Fail::Unreadable(s.to_string())
    }
}

impl From<Beyond> for Fail {
    fn from(b: Beyond) -> Fail {
        Fail::Beyond(b)
    }
}

impl From<std::io::Error> for Fail {
    fn from(e: std::io::Error) -> Fail {
        match Beyond::from_io(&e) {
            Some(b) => Fail::Beyond(b),
            None => Fail::Unreadable(e.to_string()),
        }
    }
}

impl From<zip::result::ZipError> for Fail {
    fn from(e: zip::result::ZipError) -> Fail {
        match e {
            zip::result::ZipError::Io(io) => io.into(),
            other => Fail::Unreadable(other.to_string()),
        }
    }
}

impl<'b> Book<'b> {
    /// Open a workbook: the package relationships, the workbook part, styles, shared strings.
    pub fn open(bytes: &'b [u8]) -> Result<Book<'b>, Fail> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes))?;
        let names = zip
            .file_names()
            .enumerate()
            .filter_map(|(i, n)| Some((n.ok()?.replace('\\', "/").to_lowercase(), i)))
            .collect::<HashMap<_, _>>();
        let mut book = Book {
            archive: Archive {
                zip,
                names,
                budget: Budget::new(bytes.len()),
            },
            sheets: Vec::new(),
            cells: Cells {
                strings: Vec::new(),
                formats: Vec::new(),
                is_1904: false,
            },
        };
        let workbook = book
            .archive
            .relationships("_rels/.rels")?
            .into_iter()
            .find(|r| r.kind.ends_with("/officeDocument"))
            .map(|r| resolve("", &r.target))
            .unwrap_or_else(|| "xl/workbook.xml".to_string());
        let dir = match workbook.rfind('/') {
            Some(i) => workbook[..=i].to_string(),
            None => String::new(),
        };
        let rels_path = format!("{dir}_rels/{}.rels", &workbook[dir.len()..]);
        let rels = book.archive.relationships(&rels_path)?;
        let (sheets, is_1904) = book.archive.read_workbook(&workbook, &dir, &rels)?;
        book.sheets = sheets;
        book.cells.is_1904 = is_1904;
        book.cells.formats = book.archive.read_styles(&format!("{dir}styles.xml"))?;
        book.cells.strings = book
            .archive
            .read_strings(&format!("{dir}sharedStrings.xml"))?;
        Ok(book)
    }
}

impl<'b> Archive<'b> {
    fn part(&mut self, path: &str) -> Result<Option<Part<'_, 'b>>, Fail> {
        let Some(&index) = self.names.get(&path.to_lowercase()) else {
            return Ok(None);
        };
        let file = self.zip.by_index(index)?;
        let compressed = file.compressed_size();
        Ok(Some(Xml::named(
            Capped::new(file, path, compressed, &self.budget),
            path,
        )))
    }

    fn relationships(&mut self, path: &str) -> Result<Vec<Relationship>, Fail> {
        let Some(mut xml) = self.part(path)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        loop {
            match xml.next()? {
                Event::Start { name, attrs, .. } if xml.is(&name, b"Relationship") => {
                    let attrs = xml.attrs(&attrs)?;
                    out.push(Relationship {
                        id: attr(&attrs, "Id").unwrap_or_default(),
                        target: attr(&attrs, "Target").unwrap_or_default(),
                        kind: attr(&attrs, "Type").unwrap_or_default(),
                    });
                }
                Event::Eof => return Ok(out),
                _ => {}
            }
        }
    }

    /// The sheets (name, worksheet part) and whether dates count from 1904.
    #[allow(clippy::type_complexity)]
    fn read_workbook(
        &mut self,
        path: &str,
        dir: &str,
        rels: &[Relationship],
    ) -> Result<(Vec<(String, Option<String>)>, bool), Fail> {
        let Some(mut xml) = self.part(path)? else {
            return Err(Fail::from(format!("{path} is missing")));
        };
        let mut sheets = Vec::new();
        let mut is_1904 = false;
        loop {
            match xml.next()? {
                Event::Start { name, attrs, .. } if xml.is(&name, b"workbookPr") => {
                    let attrs = xml.attrs(&attrs)?;
                    is_1904 = matches!(attr(&attrs, "date1904").as_deref(), Some("1" | "true"));
                }
                Event::Start { name, attrs, .. } if xml.is(&name, b"sheet") => {
                    let attrs = xml.attrs(&attrs)?;
                    let sheet = attr(&attrs, "name").unwrap_or_default();
                    // the relationship id is `r:id` with whatever prefix the writer chose
                    let id = attrs
                        .iter()
                        .find(|(k, _)| k.ends_with(":id"))
                        .map(|(_, v)| v.clone());
                    let target = id
                        .and_then(|id| rels.iter().find(|r| r.id == id))
                        .filter(|r| r.kind.ends_with("/worksheet"))
                        .map(|r| resolve(dir, &r.target));
                    sheets.push((sheet, target));
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok((sheets, is_1904))
    }

    fn read_styles(&mut self, path: &str) -> Result<Vec<Format>, Fail> {
        let Some(mut xml) = self.part(path)? else {
            return Ok(Vec::new());
        };
        let mut custom: HashMap<String, String> = HashMap::new();
        let mut formats = Vec::new();
        let mut in_cell_xfs = false;
        loop {
            match xml.next()? {
                Event::Start { name, attrs, .. } if xml.is(&name, b"numFmt") => {
                    let attrs = xml.attrs(&attrs)?;
                    if let (Some(id), Some(code)) =
                        (attr(&attrs, "numFmtId"), attr(&attrs, "formatCode"))
                    {
                        custom.insert(id, code);
                    }
                }
                Event::Start { name, .. } if xml.is(&name, b"cellXfs") => in_cell_xfs = true,
                Event::End { name } if xml.is(&name, b"cellXfs") => in_cell_xfs = false,
                Event::Start { name, attrs, .. } if in_cell_xfs && xml.is(&name, b"xf") => {
                    let attrs = xml.attrs(&attrs)?;
                    formats.push(match attr(&attrs, "numFmtId") {
                        None => Format::Other,
                        Some(id) => match custom.get(&id) {
                            Some(code) => custom_format(code),
                            None => builtin_format(&id),
                        },
                    });
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(formats)
    }

    fn read_strings(&mut self, path: &str) -> Result<Vec<String>, Fail> {
        let Some(mut xml) = self.part(path)? else {
            return Ok(Vec::new());
        };
        let mut strings = Vec::new();
        loop {
            match xml.next()? {
                Event::Start { name, empty, .. } if xml.is(&name, b"si") => {
                    strings.push(if empty {
                        String::new()
                    } else {
                        xml.string(b"si")?
                    });
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(strings)
    }

    /// Read one worksheet's cells, raw, in chunks of about `rows_per_chunk` rows; `each`
    /// returns false to stop. Turning them into values is left to [`Cells::row`], so it can run
    /// on another thread.
    pub fn chunks(
        &mut self,
        path: &str,
        rows_per_chunk: usize,
        mut each: impl FnMut(Chunk) -> bool,
    ) -> Result<(), Fail> {
        let Some(mut xml) = self.part(path)? else {
            return Err(Fail::from(format!("{path} is missing")));
        };
        scan_sheet(&mut xml, rows_per_chunk, &mut each)
    }
}

struct Relationship {
    id: String,
    target: String,
    kind: String,
}

/// A relationship target as a path inside the package.
fn resolve(dir: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("{dir}{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn attr(attrs: &[(String, String)], key: &str) -> Option<String> {
    attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

/// Excel's built-in number formats that show dates or times (ECMA-376 18.8.30, and the East
/// Asian built-ins, which are dates and clock times in every locale).
fn builtin_format(id: &str) -> Format {
    match id.parse::<u32>() {
        Ok(14..=22 | 27..=36 | 45 | 47 | 50..=58) => Format::DateTime,
        Ok(46) => Format::TimeDelta,
        _ => Format::Other,
    }
}

/// Whether a custom number format shows a date or time: a d, m, y, h or s outside quotes,
/// brackets and escapes in its first section; `[h]`, `[m]`, `[s]` are durations.
fn custom_format(code: &str) -> Format {
    let mut escaped = false;
    let mut quoted = false;
    let mut brackets = 0u8;
    let mut prev = ' ';
    let mut hms = false;
    let mut am_pm = false;
    for c in code.chars() {
        if escaped {
            escaped = false;
        } else if matches!(c, '_' | '\\' | '*') {
            escaped = true;
        } else if quoted {
            if c == '"' {
                quoted = false;
            }
        } else if c == '"' {
            quoted = true;
        } else if c == ';' {
            return Format::Other;
        } else if c == '[' {
            brackets = brackets.saturating_add(1);
        } else if c == ']' && brackets == 1 && hms {
            return Format::TimeDelta;
        } else if c == ']' {
            brackets = brackets.saturating_sub(1);
        } else if brackets == 0 && !am_pm && matches!(c, 'a' | 'A') {
            am_pm = true;
        } else if brackets == 0
            && ((am_pm && matches!(c, 'p' | 'm' | '/' | 'P' | 'M'))
                || (!am_pm && "dmhysDMHYS".contains(c)))
        {
            // after an "a" (AM/PM), only its p, m or / make it a date
            return Format::DateTime;
        } else if !(hms && c.eq_ignore_ascii_case(&prev)) {
            hms = prev == '[' && matches!(c, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
        }
        prev = c;
    }
    Format::Other
}

/// Raw cells of some rows: their text in one buffer, so a chunk is three allocations whatever
/// its size.
#[derive(Default)]
pub(crate) struct Chunk {
    text: Vec<u8>,
    cells: Vec<RawCell>,
    /// (0-based sheet row, end of its cells in `cells`)
    rows: Vec<(u32, usize)>,
}

impl Chunk {
    pub fn len(&self) -> usize {
        self.rows.len()
    }
}

#[derive(Clone, Copy)]
struct RawCell {
    col: u32,
    style: Option<u32>,
    kind: Kind,
    /// a `t` attribute was written (an untyped cell that is not a number is text)
    typed: bool,
    text: (u32, u32),
}

/// Scan `<sheetData>` into chunks.
fn scan_sheet<R: Read>(
    xml: &mut Xml<R>,
    rows_per_chunk: usize,
    each: &mut impl FnMut(Chunk) -> bool,
) -> Result<(), Fail> {
    loop {
        match xml.next()? {
            Event::Start { name, empty, .. } if xml.is(&name, b"sheetData") => {
                if empty {
                    return Ok(());
                }
                break;
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
    let mut row_index: u32 = 0;
    let mut col_index: u32 = 0;
    let mut chunk = Chunk::default();
    let mut row_start = 0usize;
    loop {
        match xml.next()? {
            Event::Start { name, attrs, empty } if xml.is(&name, b"row") => {
                let mut r = None;
                parse_attrs(&xml.buf[attrs], |k, v| {
                    if k == b"r" {
                        r = Some(row_number(v)?);
                        return Ok(false);
                    }
                    Ok(true)
                })?;
                if let Some(r) = r {
                    row_index = r;
                }
                row_start = chunk.cells.len();
                col_index = 0;
                if empty {
                    row_index = row_index.saturating_add(1);
                }
            }
            Event::End { name } if xml.is(&name, b"row") => {
                if chunk.cells.len() > row_start {
                    chunk.rows.push((row_index, chunk.cells.len()));
                    if chunk.rows.len() >= rows_per_chunk && !each(std::mem::take(&mut chunk)) {
                        return Ok(());
                    }
                }
                row_start = chunk.cells.len();
                row_index = row_index.saturating_add(1);
                col_index = 0;
            }
            Event::Start { name, attrs, empty } if xml.is(&name, b"c") => {
                let mut col = None;
                let mut style = None;
                let mut kind = Kind::Number;
                let mut typed = false;
                parse_attrs(&xml.buf[attrs], |k, v| {
                    match k {
                        b"r" => col = Some(column_number(v)?),
                        b"s" => style = Some(digits_u32(v).unwrap_or(0)),
                        b"t" => {
                            typed = true;
                            kind = Kind::of(utf8(v)?)?;
                        }
                        _ => {}
                    }
                    Ok(true)
                })?;
                if let Some(c) = col {
                    col_index = c;
                }
                if !empty {
                    let start = chunk.text.len();
                    if let Some(kind) = cell_text(xml, kind, &mut chunk.text)? {
                        // a used cell past the sheet limits: refused before anything widens
                        // a row to reach it
                        limits::cell(row_index, col_index)?;
                        chunk.cells.push(RawCell {
                            col: col_index,
                            style,
                            kind,
                            typed,
                            text: (start as u32, chunk.text.len() as u32),
                        });
                    }
                }
                col_index = col_index.saturating_add(1);
            }
            Event::End { name } if xml.is(&name, b"sheetData") => {
                if !chunk.rows.is_empty() {
                    each(chunk);
                }
                return Ok(());
            }
            Event::Eof => return Err("the sheet ends inside its data (truncated file?)".into()),
            _ => {}
        }
    }
}

/// The children of one `<c>`, up to its end tag: the text of its `<v>` (or its inline string,
/// already decoded) appended to `text`, and the kind to read it as; None for a cell without a
/// value (a formula whose result was not saved, a style-only cell).
fn cell_text<R: Read>(
    xml: &mut Xml<R>,
    kind: Kind,
    text: &mut Vec<u8>,
) -> Result<Option<Kind>, Fail> {
    let start = text.len();
    let mut found = None;
    loop {
        match xml.next()? {
            Event::Start { name, empty, .. } => match xml.local(&name) {
                b"v" if kind == Kind::Inline => {
                    if !empty {
                        xml.skip(b"v")?;
                    }
                }
                b"v" => {
                    text.truncate(start);
                    if !empty {
                        xml.bytes_until(b"v", text)?;
                    }
                    found = Some(kind);
                }
                b"is" => {
                    text.truncate(start);
                    if !empty {
                        let s = xml.string(b"is")?;
                        text.extend_from_slice(s.as_bytes());
                        found = Some(Kind::InlineText);
                    }
                }
                other => {
                    if !empty {
                        let other = other.to_vec();
                        xml.skip(&other)?;
                    }
                }
            },
            Event::End { name } if xml.is(&name, b"c") => {
                if found.is_none() {
                    text.truncate(start);
                }
                return Ok(found);
            }
            Event::Eof => return Err("the sheet ends inside a cell (truncated file?)".into()),
            _ => {}
        }
    }
}

impl Cells {
    /// The values of row `i` of a chunk, from column A: (0-based sheet row, cells).
    pub fn row(&self, chunk: &Chunk, i: usize, out: &mut Vec<Value>) -> Result<u32, Fail> {
        let (row, end) = chunk.rows[i];
        let start = if i == 0 { 0 } else { chunk.rows[i - 1].1 };
        out.clear();
        for cell in &chunk.cells[start..end] {
            let (a, b) = cell.text;
            let text = utf8(&chunk.text[a as usize..b as usize])?;
            let value = self.value(text, cell.style, cell.kind, cell.typed)?;
            if matches!(value, Value::Empty) {
                continue;
            }
            let c = cell.col as usize;
            if out.len() <= c {
                out.resize(c + 1, Value::Empty);
            }
            out[c] = value;
        }
        Ok(row)
    }

    /// A `<v>` as its cell type and number format say.
    fn value(&self, v: &str, style: Option<u32>, kind: Kind, typed: bool) -> Result<Value, Fail> {
        match kind {
            Kind::Shared => {
                if v.is_empty() {
                    return Ok(Value::Empty);
                }
                v.trim()
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| self.strings.get(i))
                    .map(|s| Value::Text(s.clone()))
                    .ok_or_else(|| {
                        format!("shared string {v} is not in the shared string table").into()
                    })
            }
            Kind::Bool => match v.trim() {
                "" => Ok(Value::Empty),
                "0" => Ok(Value::Bool(false)),
                "1" => Ok(Value::Bool(true)),
                b if b.eq_ignore_ascii_case("false") => Ok(Value::Bool(false)),
                b if b.eq_ignore_ascii_case("true") => Ok(Value::Bool(true)),
                _ => Err(Fail::from(format!("unrecognized boolean cell value {v}"))),
            },
            // as Excel shows it (#DIV/0!, #N/A …); one calamine does not know, as written
            Kind::Error => Ok(Value::Error(
                v.parse::<calamine::CellErrorType>()
                    .map(|e| e.to_string())
                    .unwrap_or_else(|_| v.trim().to_string()),
            )),
            Kind::Formula => Ok(Value::Text(unescape_ooxml(v))),
            Kind::Date => Ok(iso_datetime(v)),
            Kind::Number => {
                if v.is_empty() {
                    return Ok(Value::Empty);
                }
                let format = match style {
                    Some(s) => self
                        .formats
                        .get(s as usize)
                        .copied()
                        .unwrap_or(Format::Other),
                    None => Format::Other,
                };
                let Ok(f) = v.parse::<f64>() else {
                    return if typed {
                        Err(Fail::from(format!("cannot read the number {v}")))
                    } else {
                        Ok(Value::Text(v.to_string()))
                    };
                };
                Ok(match format {
                    Format::Other => number(v, f),
                    Format::DateTime | Format::TimeDelta => {
                        let kind = if format == Format::DateTime {
                            calamine::ExcelDateTimeType::DateTime
                        } else {
                            calamine::ExcelDateTimeType::TimeDelta
                        };
                        let dt = calamine::ExcelDateTime::new(f, kind, self.is_1904);
                        match dt.as_datetime() {
                            Some(d) => Value::DateTime(d),
                            None => Value::Error(format!("{dt}")),
                        }
                    }
                })
            }
            Kind::Inline => Ok(Value::Empty),
            Kind::InlineText => Ok(Value::Text(v.to_string())),
        }
    }
}

/// The decimal for a number cell: its written text when that text is already the shortest
/// round-trip form of its double (a canonical decimal of at most 15 significant digits, which
/// every double keeps exactly), else the double's shortest form as [`decimal_from_f64`] gives it.
fn number(text: &str, f: f64) -> Value {
    if is_canonical_short(text.as_bytes()) {
        if let Ok(d) = text.parse::<Decimal>() {
            return Value::Number(d);
        }
    }
    decimal_from_f64(f)
        .map(Value::Number)
        .unwrap_or_else(|| Value::Error(format!("{f}")))
}

/// `-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?` with at most 15 significant digits and not `-0`.
pub(crate) fn is_canonical_short(b: &[u8]) -> bool {
    let digits = match b.first() {
        Some(b'-') => &b[1..],
        _ => b,
    };
    let (int, frac) = match digits.iter().position(|&c| c == b'.') {
        Some(i) => (&digits[..i], Some(&digits[i + 1..])),
        None => (digits, None),
    };
    if int.is_empty() || !int.iter().all(u8::is_ascii_digit) || (int.len() > 1 && int[0] == b'0') {
        return false;
    }
    let mut significant = if int == b"0" { 0 } else { int.len() };
    if let Some(frac) = frac {
        if frac.is_empty() || !frac.iter().all(u8::is_ascii_digit) || frac.last() == Some(&b'0') {
            return false;
        }
        significant += if significant == 0 {
            frac.len() - frac.iter().take_while(|&&c| c == b'0').count()
        } else {
            frac.len()
        };
    } else if int == b"0" && b.first() == Some(&b'-') {
        return false;
    }
    significant <= 15
}

/// A cell's `t` attribute (and, for an inline string read, its decoded text).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Number,
    Shared,
    Bool,
    Error,
    Formula,
    Date,
    Inline,
    InlineText,
}

impl Kind {
    fn of(t: &str) -> Result<Kind, Fail> {
        Ok(match t {
            "n" => Kind::Number,
            "s" => Kind::Shared,
            "b" => Kind::Bool,
            "e" => Kind::Error,
            "str" => Kind::Formula,
            "d" => Kind::Date,
            "inlineStr" | "is" => Kind::Inline,
            other => return Err(Fail::from(format!("unknown cell type t=\"{other}\""))),
        })
    }
}

/// Walk an .ods's `content.xml` as calamine will read it (see [`crate::dense`]): for each named
/// table, each row's repeat, the columns that hold a value and the characters they copy, then the
/// table's end.
pub(crate) fn ods_tables<R: Read>(
    src: R,
    visit: &mut dyn FnMut(crate::dense::OdsEvent<'_>) -> Result<(), Beyond>,
) -> Result<(), Fail> {
    use crate::dense::{OdsEvent, OdsRow};
    let mut xml = Xml::named(src, "content.xml");
    let mut table: Option<String> = None;
    let mut row: Option<OdsRow> = None;
    let mut col = 0u64;
    // the cell being read: its first column, repeat, whether it holds a value, its characters
    let mut cell: Option<(u64, u64, bool, u64)> = None;
    let number = |v: &str| {
        v.trim()
            .parse::<u64>()
            .map_err(|_| Fail::from(format!("not a count: {v}")))
    };
    loop {
        match xml.next()? {
            Event::Start { name, attrs, empty } => {
                let tag = xml.buf[name.clone()].to_vec();
                match tag.as_slice() {
                    b"table:table" if table.is_none() && !empty => {
                        let attrs = xml.attrs(&attrs)?;
                        table = attr(&attrs, "table:name");
                    }
                    b"table:table-row" if table.is_some() => {
                        let attrs = xml.attrs(&attrs)?;
                        let repeat = match attr(&attrs, "table:number-rows-repeated") {
                            Some(v) => number(&v)?.max(1),
                            None => 1,
                        };
                        row = Some(OdsRow {
                            repeat,
                            used: None,
                            text: 0,
                        });
                        col = 0;
                        if empty {
                            if let Some(r) = row.take() {
                                visit(OdsEvent::Row(r))?;
                            }
                        }
                    }
                    b"table:table-cell" | b"table:covered-table-cell" if row.is_some() => {
                        let attrs = xml.attrs(&attrs)?;
                        let repeat = match attr(&attrs, "table:number-columns-repeated") {
                            Some(v) => number(&v)?.max(1),
                            None => 1,
                        };
                        let mut value = false;
                        let mut chars = 0u64;
                        for (k, v) in &attrs {
                            match k.as_str() {
                                "office:value"
                                | "office:date-value"
                                | "office:time-value"
                                | "office:boolean-value"
                                | "table:formula" => value = true,
                                "office:string-value" => {
                                    value = true;
                                    chars += v.chars().count() as u64;
                                }
                                "office:value-type" if v == "string" => value = true,
                                "calcext:value-type" if v == "error" => value = true,
                                _ => {}
                            }
                        }
                        cell = Some((col, repeat, value, chars));
                        if empty {
                            end_ods_cell(&mut cell, &mut row, &mut col);
                        }
                    }
                    b"text:s" if cell.is_some() => {
                        let attrs = xml.attrs(&attrs)?;
                        let spaces = match attr(&attrs, "text:c") {
                            Some(v) => number(&v)?,
                            None => 1,
                        };
                        add_ods_chars(&mut cell, spaces)?;
                    }
                    b"text:p" | b"text:tab" | b"text:line-break" if cell.is_some() => {
                        add_ods_chars(&mut cell, 1)?;
                    }
                    _ => {}
                }
            }
            Event::Text(r) | Event::CData(r) => {
                let n = r.len() as u64;
                if cell.is_some() {
                    add_ods_chars(&mut cell, n)?;
                }
            }
            Event::End { name } => match &xml.buf[name] {
                b"table:table-cell" | b"table:covered-table-cell" => {
                    end_ods_cell(&mut cell, &mut row, &mut col)
                }
                b"table:table-row" => {
                    end_ods_cell(&mut cell, &mut row, &mut col);
                    if let Some(r) = row.take() {
                        visit(OdsEvent::Row(r))?;
                    }
                }
                b"table:table" => {
                    if let Some(t) = table.take() {
                        visit(OdsEvent::End(&t))?;
                    }
                }
                _ => {}
            },
            Event::Eof => return Ok(()),
        }
    }
}

fn add_ods_chars(cell: &mut Option<(u64, u64, bool, u64)>, n: u64) -> Result<(), Fail> {
    if let Some(c) = cell.as_mut() {
        c.3 = c.3.saturating_add(n);
        if c.3 > limits::MAX_CELL_TEXT as u64 {
            return Err(limits::cell_text().into());
        }
    }
    Ok(())
}

fn end_ods_cell(
    cell: &mut Option<(u64, u64, bool, u64)>,
    row: &mut Option<crate::dense::OdsRow>,
    col: &mut u64,
) {
    let (Some((first, repeat, value, chars)), Some(r)) = (cell.take(), row.as_mut()) else {
        return;
    };
    *col = first.saturating_add(repeat);
    if value {
        let clamp = |c: u64| c.min(u64::from(u32::MAX - 1)) as u32;
        let last = clamp(first.saturating_add(repeat - 1));
        r.used = Some(match r.used {
            Some((a, b)) => (a.min(clamp(first)), b.max(last)),
            None => (clamp(first), last),
        });
        r.text = r.text.saturating_add(chars.saturating_mul(repeat));
    }
}

/// 0-based row of a `<row r>` (`12` → 11) or of an A1 reference (`B12` → 11).
fn row_number(r: &[u8]) -> Result<u32, Fail> {
    let digits = &r[r.iter().take_while(|c| c.is_ascii_alphabetic()).count()..];
    digits_u32(digits)
        .and_then(|n| n.checked_sub(1))
        .ok_or_else(|| {
            format!(
                "cannot read the cell reference {}",
                String::from_utf8_lossy(r)
            )
            .into()
        })
}

/// 0-based column of an A1 reference (`B12` → 1); the row must be there too.
fn column_number(r: &[u8]) -> Result<u32, Fail> {
    let letters = r.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let mut col: u32 = 0;
    for &c in &r[..letters] {
        col = col
            .saturating_mul(26)
            .saturating_add(u32::from(c.to_ascii_uppercase() - b'A') + 1);
    }
    if letters == 0 || col > 16_384 || digits_u32(&r[letters..]).is_none_or(|n| n == 0) {
        return Err(Fail::from(format!(
            "cannot read the cell reference {}",
            String::from_utf8_lossy(r)
        )));
    }
    Ok(col - 1)
}

/// A run of ASCII digits as a number (None when empty, not digits, or too large).
fn digits_u32(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 9 {
        return None;
    }
    b.iter().try_fold(0u32, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// OOXML's own escape for characters XML cannot carry: `_x000D_` is a carriage return, a pair
/// like `_xD83D__xDCF7_` a character beyond the BMP, and `_x005F_` an underscore.
fn unescape_ooxml(s: &str) -> String {
    if !s.contains("_x") {
        return s.to_string();
    }
    let b = s.as_bytes();
    let unit_at = |i: usize| -> Option<u16> {
        let e = b.get(i..i + 7)?;
        if e[0] != b'_' || e[1] != b'x' || e[6] != b'_' {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(&e[2..6]).ok()?, 16).ok()
    };
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        let Some(unit) = unit_at(i) else {
            i += 1;
            continue;
        };
        out.push_str(&s[copied..i]);
        i += 7;
        match unit {
            0xD800..=0xDBFF => match unit_at(i) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    let code =
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
                    i += 7;
                }
                _ => out.push(char::REPLACEMENT_CHARACTER),
            },
            _ => out.push(char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER)),
        }
        copied = i;
    }
    out.push_str(&s[copied..]);
    out
}

/// One XML event; names and attributes are byte ranges into the tokenizer's buffer, valid until
/// the next event.
enum Event {
    Start {
        name: Range<usize>,
        attrs: Range<usize>,
        empty: bool,
    },
    End {
        name: Range<usize>,
    },
    Text(Range<usize>),
    CData(Range<usize>),
    Eof,
}

/// A streaming XML tokenizer over inflated bytes: enough XML for spreadsheet parts (elements,
/// attributes, text, entities, CDATA; comments, processing instructions and declarations are
/// skipped). Not a validator: calamine, which is, reads whatever this refuses.
struct Xml<R> {
    src: R,
    buf: Vec<u8>,
    pos: usize,
    done: bool,
    /// The part's name, for messages.
    name: String,
}

impl<R: Read> Xml<R> {
    #[cfg(test)]
    fn new(src: R) -> Xml<R> {
        Xml::named(src, "XML")
    }

    fn named(src: R, name: &str) -> Xml<R> {
        Xml {
            src,
            buf: Vec::with_capacity(FILL as usize * 2),
            pos: 0,
            done: false,
            name: name.to_string(),
        }
    }

    /// Read more; false at the end of the input. What was consumed (before `pos`) is dropped,
    /// so positions relative to `pos` stay valid and absolute ones move back by the old `pos`.
    /// Markup that must be held whole (a tag, a comment, CDATA) may not pass
    /// [`limits::MAX_MARKUP`]; text never has to be (see [`Xml::next`]).
    fn fill(&mut self) -> Result<bool, Fail> {
        if self.done {
            return Ok(false);
        }
        if self.buf.len() - self.pos > limits::MAX_MARKUP + FILL as usize {
            return Err(limits::markup(&self.name).into());
        }
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let n = (&mut self.src).take(FILL).read_to_end(&mut self.buf)?;
        if n == 0 {
            self.done = true;
        }
        Ok(n > 0)
    }

    /// The end (exclusive) of `needle` searched from `from`, filling as needed; None at the end
    /// of the input. `from` is relative to `pos` (which a fill may move).
    fn find(&mut self, from: usize, needle: &[u8]) -> Result<Option<usize>, Fail> {
        let mut searched = from;
        loop {
            let hay = &self.buf[self.pos + searched..];
            if let Some(i) = memchr::memmem::find(hay, needle) {
                return Ok(Some(searched + i + needle.len()));
            }
            searched = (self.buf.len() - self.pos)
                .saturating_sub(needle.len() - 1)
                .max(searched);
            if searched > limits::MAX_MARKUP {
                return Err(limits::markup(&self.name).into());
            }
            if !self.fill()? {
                return Ok(None);
            }
        }
    }

    /// The end (exclusive, relative to `pos`) of the tag starting at `pos`: its `>` outside
    /// quoted attribute values. The first `>` is the end unless the tag before it has an odd
    /// number of double quotes or any single quote; only then are the quotes followed, once,
    /// from the start of the tag, and on through later fills (so a tag is read in time linear
    /// in its length, whatever its quotes hold).
    fn tag_end(&mut self) -> Result<Option<usize>, Fail> {
        if let Some(j) = memchr::memchr(b'>', &self.buf[self.pos + 1..]) {
            let end = 1 + j;
            let (mut double, mut single) = (0u8, 0u8);
            for &c in &self.buf[self.pos..self.pos + end] {
                double ^= u8::from(c == b'"');
                single |= u8::from(c == b'\'');
            }
            if double == 0 && single == 0 {
                return Ok(Some(end + 1));
            }
        }
        let mut i = 1;
        let mut quote: Option<u8> = None;
        loop {
            let hay = &self.buf[self.pos..];
            while i < hay.len() {
                match quote {
                    Some(q) => match memchr::memchr(q, &hay[i..]) {
                        Some(j) => {
                            quote = None;
                            i += j + 1;
                        }
                        None => i = hay.len(),
                    },
                    None => match memchr::memchr3(b'>', b'"', b'\'', &hay[i..]) {
                        Some(j) if hay[i + j] == b'>' => return Ok(Some(i + j + 1)),
                        Some(j) => {
                            quote = Some(hay[i + j]);
                            i += j + 1;
                        }
                        None => i = hay.len(),
                    },
                }
            }
            if i > limits::MAX_MARKUP {
                return Err(limits::markup(&self.name).into());
            }
            if !self.fill()? {
                return Ok(None);
            }
        }
    }

    /// Where a long run of text may be cut into two events: not inside a UTF-8 character, an
    /// entity (`&amp;`) or a `\r\n`; None when no such place is found.
    fn text_cut(b: &[u8]) -> Option<usize> {
        let mut cut = b.len();
        if let Some(amp) = memchr::memrchr(b'&', b) {
            if memchr::memchr(b';', &b[amp..]).is_none() {
                cut = amp;
            }
        }
        // the last character may go on in bytes not read yet: it goes with the next piece
        if cut == b.len() {
            cut = b.iter().rposition(|&c| c & 0xC0 != 0x80).unwrap_or(0);
        }
        while cut > 0 && (b[cut] & 0xC0 == 0x80 || b[cut - 1] == b'\r') {
            cut -= 1;
        }
        (cut > 0).then_some(cut)
    }

    fn next(&mut self) -> Result<Event, Fail> {
        loop {
            if self.pos >= self.buf.len() && !self.fill()? {
                return Ok(Event::Eof);
            }
            if self.buf[self.pos] != b'<' {
                // text up to the next `<`: searched once, byte by byte as it arrives, and given
                // in pieces of about FILL bytes when it runs on (a 256 MiB run of spaces is
                // neither rescanned nor held)
                let mut searched = self.pos;
                loop {
                    let start = self.pos;
                    match memchr::memchr(b'<', &self.buf[searched..]) {
                        Some(i) => {
                            self.pos = searched + i;
                            return Ok(Event::Text(start..searched + i));
                        }
                        None if self.done => {
                            self.pos = self.buf.len();
                            return Ok(Event::Text(start..self.buf.len()));
                        }
                        None => {}
                    }
                    if self.buf.len() - start >= FILL as usize {
                        if let Some(cut) = Self::text_cut(&self.buf[start..]) {
                            self.pos = start + cut;
                            return Ok(Event::Text(start..start + cut));
                        }
                    }
                    searched = self.buf.len() - start;
                    self.fill()?;
                    searched += self.pos;
                }
            }
            // markup: make sure its first bytes are here
            while self.buf.len() - self.pos < 9 && self.fill()? {}
            let rest = &self.buf[self.pos..];
            if rest.starts_with(b"<!--") {
                let end = self
                    .find(4, b"-->")?
                    .ok_or("an XML comment is not closed")?;
                self.pos += end;
                continue;
            }
            if rest.starts_with(b"<![CDATA[") {
                let end = self
                    .find(9, b"]]>")?
                    .ok_or("a CDATA section is not closed")?;
                if end > limits::MAX_MARKUP {
                    return Err(limits::markup(&self.name).into());
                }
                let range = self.pos + 9..self.pos + end - 3;
                self.pos += end;
                return Ok(Event::CData(range));
            }
            if rest.starts_with(b"<?") || rest.starts_with(b"<!") {
                let end = self.tag_end()?.ok_or("an XML declaration is not closed")?;
                self.pos += end;
                continue;
            }
            let end = self
                .tag_end()?
                .ok_or("the XML ends inside a tag (truncated file?)")?;
            if end > limits::MAX_MARKUP {
                return Err(limits::markup(&self.name).into());
            }
            let tag = self.pos..self.pos + end;
            self.pos += end;
            let b = &self.buf[tag.clone()];
            if b.get(1) == Some(&b'/') {
                let name_end = b[2..]
                    .iter()
                    .position(|c| c.is_ascii_whitespace() || *c == b'>')
                    .unwrap_or(b.len() - 2);
                return Ok(Event::End {
                    name: tag.start + 2..tag.start + 2 + name_end,
                });
            }
            let empty = b.len() >= 3 && b[b.len() - 2] == b'/';
            let inner_end = if empty { tag.end - 2 } else { tag.end - 1 };
            let name_len = b[1..]
                .iter()
                .position(|c| c.is_ascii_whitespace() || *c == b'>' || *c == b'/')
                .unwrap_or(b.len() - 1);
            let name = tag.start + 1..tag.start + 1 + name_len;
            return Ok(Event::Start {
                attrs: name.end.min(inner_end)..inner_end,
                name,
                empty,
            });
        }
    }

    /// The element name without its namespace prefix.
    fn local(&self, name: &Range<usize>) -> &[u8] {
        let n = &self.buf[name.clone()];
        match n.iter().rposition(|&c| c == b':') {
            Some(i) => &n[i + 1..],
            None => n,
        }
    }

    fn is(&self, name: &Range<usize>, local: &[u8]) -> bool {
        self.local(name) == local
    }

    /// Every attribute, keys as written (with prefix), values unescaped.
    fn attrs(&self, range: &Range<usize>) -> Result<Vec<(String, String)>, Fail> {
        let mut out = Vec::new();
        parse_attrs(&self.buf[range.clone()], |k, v| {
            out.push((
                String::from_utf8_lossy(k).into_owned(),
                unescape_entities(v)?,
            ));
            Ok(true)
        })?;
        Ok(out)
    }

    /// The text of an element up to its end tag, entities decoded and line ends normalised.
    fn text_until(&mut self, local: &[u8], out: &mut String) -> Result<(), Fail> {
        let start = out.len();
        loop {
            if out.len() - start > limits::MAX_CELL_TEXT {
                return Err(limits::cell_text().into());
            }
            match self.next()? {
                Event::Text(r) => push_text(&self.buf[r], out)?,
                Event::CData(r) => out.push_str(&normalize_newlines(utf8(&self.buf[r])?)),
                Event::End { name } if self.is(&name, local) => return Ok(()),
                Event::Start {
                    name, empty: false, ..
                } => {
                    let local = self.local(&name).to_vec();
                    self.skip(&local)?;
                }
                Event::Eof => return Err("the XML ends inside a value (truncated file?)".into()),
                _ => {}
            }
        }
    }

    /// The text of an element up to its end tag, as UTF-8 bytes appended to `out`: copied as
    /// they are unless they hold an entity or a carriage return.
    fn bytes_until(&mut self, local: &[u8], out: &mut Vec<u8>) -> Result<(), Fail> {
        let start = out.len();
        loop {
            if out.len() - start > limits::MAX_CELL_TEXT {
                return Err(limits::cell_text().into());
            }
            match self.next()? {
                Event::Text(r) => {
                    let b = &self.buf[r];
                    if memchr::memchr2(b'&', b'\r', b).is_none() {
                        out.extend_from_slice(b);
                    } else {
                        let mut s = String::new();
                        push_text(b, &mut s)?;
                        out.extend_from_slice(s.as_bytes());
                    }
                }
                Event::CData(r) => {
                    out.extend_from_slice(normalize_newlines(utf8(&self.buf[r])?).as_bytes())
                }
                Event::End { name } if self.is(&name, local) => return Ok(()),
                Event::Start {
                    name, empty: false, ..
                } => {
                    let local = self.local(&name).to_vec();
                    self.skip(&local)?;
                }
                Event::Eof => return Err("the XML ends inside a value (truncated file?)".into()),
                _ => {}
            }
        }
    }

    /// Skip to the end of the element named `local` (just opened).
    fn skip(&mut self, local: &[u8]) -> Result<(), Fail> {
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Event::Start {
                    name, empty: false, ..
                } if self.is(&name, local) => depth += 1,
                Event::End { name } if self.is(&name, local) => {
                    if depth == 0 {
                        return Ok(());
                    }
                    depth -= 1;
                }
                Event::Eof => return Err("the XML ends inside an element (truncated file?)".into()),
                _ => {}
            }
        }
    }

    /// A string item (`<si>` or `<is>`): its `<t>` texts joined (rich text runs), phonetic
    /// runs (`<rPh>`) left out, surrounding whitespace trimmed unless `xml:space="preserve"`,
    /// and OOXML `_xHHHH_` escapes decoded.
    fn string(&mut self, closing: &[u8]) -> Result<String, Fail> {
        let mut out = String::new();
        let mut phonetic = false;
        let mut piece = String::new();
        loop {
            match self.next()? {
                Event::Start { name, attrs, empty } => {
                    if self.is(&name, b"rPh") && !empty {
                        phonetic = true;
                    } else if self.is(&name, b"t") && !phonetic {
                        let preserve = {
                            let mut preserve = false;
                            parse_attrs(&self.buf[attrs], |k, v| {
                                if k == b"xml:space" && v == b"preserve" {
                                    preserve = true;
                                }
                                Ok(true)
                            })?;
                            preserve
                        };
                        piece.clear();
                        if !empty {
                            self.text_until(b"t", &mut piece)?;
                        }
                        let piece = if preserve {
                            piece.as_str()
                        } else {
                            piece.trim_matches([' ', '\t', '\r', '\n'])
                        };
                        out.push_str(&unescape_ooxml(piece));
                        if out.len() > limits::MAX_CELL_TEXT {
                            return Err(limits::cell_text().into());
                        }
                    }
                }
                Event::End { name } if self.is(&name, b"rPh") => phonetic = false,
                Event::End { name } if self.is(&name, closing) => return Ok(out),
                Event::Eof => return Err("the XML ends inside a string (truncated file?)".into()),
                _ => {}
            }
        }
    }
}

/// `key="value"` pairs of a tag.
fn parse_attrs(
    b: &[u8],
    mut each: impl FnMut(&[u8], &[u8]) -> Result<bool, Fail>,
) -> Result<(), Fail> {
    let mut i = 0;
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            return Ok(());
        }
        let key_start = i;
        while i < b.len() && b[i] != b'=' && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        let key = &b[key_start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            return Err(Fail::from(format!(
                "malformed attribute {}",
                String::from_utf8_lossy(key)
            )));
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let quote = match b.get(i) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => {
                return Err(Fail::from(format!(
                    "unquoted attribute {}",
                    String::from_utf8_lossy(key)
                )))
            }
        };
        i += 1;
        let value_start = i;
        while i < b.len() && b[i] != quote {
            i += 1;
        }
        if i >= b.len() {
            return Err(Fail::from(format!(
                "unterminated attribute {}",
                String::from_utf8_lossy(key)
            )));
        }
        if !each(key, &b[value_start..i])? {
            return Ok(());
        }
        i += 1;
    }
}

fn utf8(b: &[u8]) -> Result<&str, Fail> {
    std::str::from_utf8(b).map_err(|_| "the XML is not valid UTF-8".into())
}

fn normalize_newlines(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains('\r') {
        std::borrow::Cow::Owned(s.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Text content: entities decoded, line ends normalised (as an XML parser does).
fn push_text(b: &[u8], out: &mut String) -> Result<(), Fail> {
    let s = utf8(b)?;
    if !s.contains('&') && !s.contains('\r') {
        out.push_str(s);
        return Ok(());
    }
    out.push_str(&normalize_newlines(&unescape_entities(s.as_bytes())?));
    Ok(())
}

/// XML's five entities and character references.
fn unescape_entities(b: &[u8]) -> Result<String, Fail> {
    let s = utf8(b)?;
    if !s.contains('&') {
        return Ok(s.to_string());
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after.find(';').ok_or_else(|| {
            format!(
                "an XML entity is not closed: {}",
                &rest[i..rest.len().min(i + 12)]
            )
        })?;
        let entity = &after[..end];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            e => {
                let code = if let Some(hex) = e.strip_prefix("#x").or_else(|| e.strip_prefix("#X"))
                {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(dec) = e.strip_prefix('#') {
                    dec.parse::<u32>().ok()
                } else {
                    None
                };
                code.and_then(char::from_u32)
                    .ok_or_else(|| format!("unknown XML entity &{e};"))?
            }
        };
        out.push(c);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_short_numbers() {
        for yes in [
            "0",
            "12",
            "12.34",
            "-12.34",
            "0.000123",
            "123456789012345",
            "0.5",
            "-0.5",
        ] {
            assert!(
                is_canonical_short(yes.as_bytes()),
                "canonical short numbers: {yes}"
            );
        }
        for no in [
            "",
            "-0",
            "012",
            "1.",
            ".5",
            "1.50",
            "1e5",
            "1234567890123456",
            "0.1234567890123456",
            "1,5",
            "+1",
        ] {
            assert!(
                !is_canonical_short(no.as_bytes()),
                "canonical short numbers: {no}"
            );
        }
    }

    #[test]
    fn number_formats_that_are_dates() {
        assert_eq!(
            custom_format("yyyy-mm-dd hh:mm"),
            Format::DateTime,
            "number formats that are dates"
        );
        assert_eq!(
            custom_format("[$-804]yyyy\"年\"m\"月\""),
            Format::DateTime,
            "number formats that are dates"
        );
        assert_eq!(
            custom_format("[h]:mm:ss"),
            Format::TimeDelta,
            "number formats that are dates"
        );
        assert_eq!(
            custom_format("#,##0.00"),
            Format::Other,
            "number formats that are dates"
        );
        assert_eq!(
            custom_format("0.00\" kWh\""),
            Format::Other,
            "number formats that are dates"
        );
        assert_eq!(
            custom_format("General"),
            Format::Other,
            "number formats that are dates"
        );
        assert_eq!(
            builtin_format("14"),
            Format::DateTime,
            "number formats that are dates"
        );
        assert_eq!(
            builtin_format("4"),
            Format::Other,
            "number formats that are dates"
        );
    }

    #[test]
    fn ooxml_escapes() {
        assert_eq!(
            unescape_ooxml("a_x000D_b"),
            "a\rb",
            "Excel writes control characters as _xHHHH_: the text read must be the text typed"
        );
        assert_eq!(
            unescape_ooxml("_xD83D__xDCF7_"),
            "\u{1F4F7}",
            "Excel writes control characters as _xHHHH_: the text read must be the text typed"
        );
        assert_eq!(
            unescape_ooxml("_x005F_x000D_"),
            "_x000D_",
            "Excel writes control characters as _xHHHH_: the text read must be the text typed"
        );
        assert_eq!(
            unescape_ooxml("plain_x"),
            "plain_x",
            "Excel writes control characters as _xHHHH_: the text read must be the text typed"
        );
    }

    #[test]
    fn entities() {
        assert_eq!(
            unescape_entities(b"a &amp; b &lt;&#x4E2D;&#25991;").unwrap(),
            "a & b <中文", "XML entities in a cell are the characters they stand for; an unknown one is refused, not guessed"
        );
        assert!(unescape_entities(b"&nope;").is_err(), "XML entities in a cell are the characters they stand for; an unknown one is refused, not guessed");
    }

    #[test]
    fn tokenizer_reads_across_refills() {
        let xml = format!(
            "<?xml version=\"1.0\"?><!-- c --><x:a k='v&gt;' x:id=\"1\">{}<b/><![CDATA[<z>]]></x:a>",
            "t".repeat(300_000)
        );
        let mut x = Xml::new(xml.as_bytes());
        let Event::Start { name, attrs, empty } = x.next().unwrap() else {
            panic!()
        };
        assert!(
            x.is(&name, b"a") && !empty,
            "tokenizer reads across refills"
        );
        assert_eq!(
            x.attrs(&attrs).unwrap(),
            vec![("k".into(), "v>".into()), ("x:id".into(), "1".into())],
            "tokenizer reads across refills"
        );
        let mut text = 0;
        loop {
            match x.next().unwrap() {
                Event::Text(r) => text += r.len(),
                Event::Start { name, empty, .. } => {
                    assert!(x.is(&name, b"b") && empty, "tokenizer reads across refills")
                }
                Event::CData(r) => assert_eq!(&x.buf[r], b"<z>", "tokenizer reads across refills"),
                Event::End { name } => assert!(x.is(&name, b"a"), "tokenizer reads across refills"),
                Event::Eof => break,
            }
        }
        assert_eq!(text, 300_000, "tokenizer reads across refills");
    }

    /// Every row both readers give: (sheet, row, cells).
    type Rows = Vec<(String, u32, Vec<Value>)>;

    #[derive(Default)]
    struct Collect {
        sheet: String,
        rows: Rows,
    }

    impl crate::read::RowVisitor for Collect {
        fn sheet(&mut self, name: &str) -> bool {
            self.sheet = name.to_string();
            true
        }
        fn row(&mut self, row: u32, col0: u32, cells: &[Value]) -> bool {
            assert_eq!(
                col0, 0,
                "rows of this sheet start in column A, so no cell is shifted"
            );
            let mut cells = cells.to_vec();
            while matches!(cells.last(), Some(Value::Empty)) {
                cells.pop();
            }
            self.rows.push((self.sheet.clone(), row, cells));
            true
        }
    }

    /// The fast reader and calamine on the same bytes: (fast, calamine); the fast reader must
    /// have opened the workbook itself (no fallback).
    fn both(bytes: &[u8]) -> (Result<Rows, String>, Result<Rows, String>) {
        assert!(
            Book::open(bytes).is_ok(),
            "the fast reader could not open the workbook"
        );
        let mut fast = Collect::default();
        let f = crate::read::stream_zip("t.xlsx", bytes, &mut fast)
            .map(|_| fast.rows)
            .map_err(|e| e.message(lingtan_core::Lang::En));
        let mut slow = Collect::default();
        let s = crate::read::stream_calamine("t.xlsx", bytes, &mut slow)
            .map(|_| slow.rows)
            .map_err(|e| e.message(lingtan_core::Lang::En));
        (f, s)
    }

    /// Sheets with each row's trailing empty cells dropped (calamine's grid pads every row to
    /// the sheet's width; the sparse reader does not).
    fn trimmed(sheets: Vec<crate::read::Sheet>) -> Vec<crate::read::Sheet> {
        sheets
            .into_iter()
            .map(|mut s| {
                for row in &mut s.rows {
                    while matches!(row.last(), Some(Value::Empty)) {
                        row.pop();
                    }
                }
                s
            })
            .collect()
    }

    /// read_bytes (sparse: row by row, only the rows and columns used) against calamine's whole
    /// grid (what read_bytes gave before).
    fn same_sheets_as_the_grid(name: &str, bytes: &[u8]) {
        let sparse = crate::read::read_bytes(name, bytes)
            .map(trimmed)
            .map_err(|e| e.message(lingtan_core::Lang::En));
        let grid = crate::read::read_whole(name, bytes)
            .map(trimmed)
            .map_err(|e| e.message(lingtan_core::Lang::En));
        assert_eq!(sparse, grid, "same sheets as the grid: {name}");
    }

    #[test]
    fn read_bytes_gives_the_sheets_calamines_grid_gave_on_every_workbook_in_the_repository() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut seen = 0;
        for dir in ["sample-data/excel", "tests/import"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().to_string();
                if !(name.ends_with(".xlsx") || name.ends_with(".ods")) {
                    continue;
                }
                let bytes = std::fs::read(&path).unwrap();
                if crate::read::read_whole(&name, &bytes).is_err() {
                    continue; // not a workbook, truncated, password: reported either way
                }
                same_sheets_as_the_grid(&name, &bytes);
                seen += 1;
            }
        }
        assert!(seen >= 10, "only {seen} workbooks compared");
    }

    #[test]
    fn a_stray_cell_at_xfd1048576_is_refused_naming_it_without_allocating_the_grid() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("电费").unwrap();
        sheet.write_string(0, 0, "月份").unwrap();
        sheet.write_number(1_048_575, 16_383, 1.0).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        assert!(bytes.len() < 10_000, "a small file");
        for e in [
            crate::read::read_bytes("b.xlsx", &bytes).unwrap_err(),
            crate::read::visit_rows("b.xlsx", &bytes, &mut Collect::default()).unwrap_err(),
        ] {
            assert_eq!(
                e.code,
                "SHEET_TOO_LARGE",
                "a stray cell at xfd1048576 is refused naming it without allocating the grid: {}",
                e.message(lingtan_core::Lang::En)
            );
            assert_eq!(
                e.cell.as_deref(),
                Some("XFD1048576"),
                "a stray cell at xfd1048576 is refused naming it without allocating the grid"
            );
            assert_eq!(
                e.sheet.as_deref(),
                Some("电费"),
                "a stray cell at xfd1048576 is refused naming it without allocating the grid"
            );
        }
        // calamine's reader, when ours cannot open the file, is checked the same way
        let mut slow = Collect::default();
        let e = crate::read::stream_calamine("b.xlsx", &bytes, &mut slow).unwrap_err();
        assert_eq!(
            e.cell.as_deref(),
            Some("XFD1048576"),
            "a stray cell at xfd1048576 is refused naming it without allocating the grid: {}",
            e.message(lingtan_core::Lang::En)
        );
        // a cell far down but within Excel's rows is read, row by row
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_number(0, 0, 1.0).unwrap();
        sheet.write_number(1_048_575, 3, 2.0).unwrap();
        let sheets = crate::read::read_bytes("b.xlsx", &book.save_to_buffer().unwrap()).unwrap();
        assert_eq!(
            sheets[0].rows.len(),
            1_048_576,
            "a stray cell at xfd1048576 is refused naming it without allocating the grid"
        );
        assert_eq!(
            sheets[0].rows[1_048_575],
            vec![
                Value::Empty,
                Value::Empty,
                Value::Empty,
                Value::Number(2.into())
            ],
            "a stray cell at xfd1048576 is refused naming it without allocating the grid"
        );
    }

    #[test]
    fn a_long_run_of_text_is_read_in_linear_time_in_pieces() {
        // 64 MiB of spaces between two elements: the old tokenizer searched the whole run again
        // after every 128 KiB it read (quadratic: minutes at 256 MiB)
        let run = 64usize << 20;
        let src = std::io::Read::chain(
            std::io::Read::chain(&b"<a>"[..], std::io::repeat(b' ').take(run as u64)),
            &b"<b/></a>"[..],
        );
        let mut x = Xml::new(src);
        let start = std::time::Instant::now();
        let (mut text, mut pieces, mut biggest) = (0usize, 0usize, 0usize);
        loop {
            match x.next().unwrap() {
                Event::Text(r) => {
                    text += r.len();
                    pieces += 1;
                    biggest = biggest.max(r.len());
                }
                Event::Eof => break,
                _ => {}
            }
        }
        let elapsed = start.elapsed();
        assert_eq!(text, run, "every byte of the run is given once");
        assert!(
            pieces > 1 && biggest <= 2 * FILL as usize,
            "in pieces of about {FILL} bytes, not held whole (biggest {biggest})"
        );
        assert!(
            elapsed < std::time::Duration::from_secs(10),
            "took {elapsed:?}"
        );
        assert!(
            x.buf.capacity() < 4 * FILL as usize,
            "the buffer stays small: {}",
            x.buf.capacity()
        );
    }

    #[test]
    fn text_cut_into_pieces_reads_the_same_as_whole() {
        // characters of 1 to 4 bytes, entities and CR LF across every possible cut
        let unit = "ab中€😀&amp;&#x4E2D;\r\nz";
        let body = unit.repeat(40_000);
        let xml = format!("<si><t xml:space=\"preserve\">{body}</t></si>");
        let mut expected = String::new();
        push_text(body.as_bytes(), &mut expected).unwrap();
        let mut x = Xml::new(xml.as_bytes());
        let Event::Start { .. } = x.next().unwrap() else {
            panic!()
        };
        let got = x.string(b"si").unwrap();
        assert_eq!(
            got.len(),
            expected.len(),
            "text cut into pieces reads the same as whole"
        );
        assert!(got == expected, "the pieces joined are the text");
    }

    #[test]
    fn a_tag_with_quotes_and_brackets_is_read_in_linear_time() {
        // a megabyte-long attribute full of '>' inside quotes: each '>' used to make the
        // tokenizer count the quotes before it again
        let value = ">".repeat(900_000);
        let xml = format!("<a k=\"{value}\" j='x'/><b/>");
        let start = std::time::Instant::now();
        let mut x = Xml::new(xml.as_bytes());
        let Event::Start { name, attrs, empty } = x.next().unwrap() else {
            panic!()
        };
        assert!(
            x.is(&name, b"a") && empty,
            "a tag with quotes and brackets is read in linear time"
        );
        assert_eq!(
            x.attrs(&attrs).unwrap()[0].1.len(),
            900_000,
            "a tag with quotes and brackets is read in linear time"
        );
        assert!(
            start.elapsed() < std::time::Duration::from_secs(5),
            "a tag with quotes and brackets is read in linear time: {:?}",
            start.elapsed()
        );
        let long = format!("<a k=\"{}\"/>", "x".repeat(limits::MAX_MARKUP + 1));
        let e = Xml::new(long.as_bytes()).next().err();
        assert!(
            matches!(e, Some(Fail::Beyond(ref b)) if b.code == "XML_TOO_LONG"),
            "a tag with quotes and brackets is read in linear time: {e:?}"
        );
    }

    #[test]
    fn same_cells_as_calamine_on_every_workbook_in_the_repository() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut seen = 0;
        for dir in ["sample-data/excel", "tests/import"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_none_or(|e| e != "xlsx") {
                    continue;
                }
                let bytes = std::fs::read(&path).unwrap();
                if Book::open(&bytes).is_err() {
                    // not a workbook, truncated, password: calamine reads (and reports) those
                    continue;
                }
                let (fast, slow) = both(&bytes);
                assert_eq!(
                    fast,
                    slow,
                    "same cells as calamine on every workbook in the repository: {}",
                    path.display()
                );
                seen += 1;
            }
        }
        assert!(seen >= 10, "only {seen} workbooks compared");
    }

    mod random {
        use super::*;
        use proptest::prelude::*;
        use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

        #[derive(Debug, Clone)]
        enum Gen {
            Number(f64),
            Integer(i64),
            Text(String),
            Bool(bool),
            Date(f64, &'static str),
            FormulaNumber(f64),
            FormulaText(String),
            Rich(String, String),
            Blank,
        }

        fn text() -> impl Strategy<Value = String> {
            prop_oneof![
                "[a-zA-Z0-9 ]{0,12}",
                "[ \t\n]{0,2}[电量峰谷合计 kWh&<>\"'_x000D]{1,10}[ \n]{0,2}",
                Just("_x000D_ and _x005F_x000D_".to_string()),
                Just("℃ CO₂ ㎡ \u{1F4F7}".to_string()),
            ]
        }

        fn gen() -> impl Strategy<Value = Gen> {
            prop_oneof![
                any::<f64>().prop_map(Gen::Number),
                (-1_000_000i64..1_000_000).prop_map(Gen::Integer),
                (0i64..1_000_000, 0u32..100)
                    .prop_map(|(i, c)| Gen::Number(format!("{i}.{c:02}").parse().unwrap())),
                text().prop_map(Gen::Text),
                any::<bool>().prop_map(Gen::Bool),
                (
                    (0u32..50_000, 0u32..96).prop_map(|(d, q)| format!(
                        "{d}.{}",
                        u64::from(q) * 1_041_666_667
                    )
                    .parse::<f64>()
                    .unwrap()),
                    prop::sample::select(vec![
                        "yyyy-mm-dd",
                        "yyyy-mm-dd hh:mm",
                        "hh:mm",
                        "[h]:mm:ss",
                        "0.00",
                        "#,##0.00\" kWh\"",
                        "yyyy\"年\"m\"月\""
                    ])
                )
                    .prop_map(|(v, f)| Gen::Date(v, f)),
                any::<f64>().prop_map(Gen::FormulaNumber),
                text().prop_map(Gen::FormulaText),
                (text(), text()).prop_map(|(a, b)| Gen::Rich(a, b)),
                Just(Gen::Blank),
            ]
        }

        fn workbook(sheets: &[Vec<(u32, u16, Gen)>], constant_memory: bool) -> Vec<u8> {
            let mut book = Workbook::new();
            let bold = Format::new().set_bold();
            for (i, cells) in sheets.iter().enumerate() {
                let sheet = if constant_memory {
                    book.add_worksheet_with_constant_memory().unwrap()
                } else {
                    book.add_worksheet()
                };
                sheet.set_name(format!("表{i} & <{i}>")).unwrap();
                let mut cells = cells.clone();
                // constant-memory sheets are written row by row
                cells.sort_by_key(|(r, c, _)| (*r, *c));
                cells.dedup_by_key(|(r, c, _)| (*r, *c));
                for (r, c, g) in cells {
                    let _ = match g {
                        Gen::Number(v) => sheet.write_number(r, c, v),
                        Gen::Integer(v) => sheet.write_number(r, c, v as f64),
                        Gen::Text(t) => sheet.write_string(r, c, t),
                        Gen::Bool(b) => sheet.write_boolean(r, c, b),
                        Gen::Date(v, f) => sheet.write_datetime_with_format(
                            r,
                            c,
                            ExcelDateTime::from_serial_datetime(v).unwrap(),
                            &Format::new().set_num_format(f),
                        ),
                        Gen::FormulaNumber(v) => sheet.write_formula(
                            r,
                            c,
                            Formula::new("=1+1").set_result(format!("{v}")),
                        ),
                        Gen::FormulaText(t) => {
                            sheet.write_formula(r, c, Formula::new("=\"a\"&\"b\"").set_result(t))
                        }
                        Gen::Rich(a, b) => {
                            if a.is_empty() || b.is_empty() {
                                sheet.write_string(r, c, format!("{a}{b}"))
                            } else {
                                sheet.write_rich_string(
                                    r,
                                    c,
                                    &[(&bold, a.as_str()), (&Format::default(), b.as_str())],
                                )
                            }
                        }
                        Gen::Blank => sheet.write_blank(r, c, &bold),
                    };
                }
            }
            book.save_to_buffer().unwrap()
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

            #[test]
            fn same_cells_as_calamine_on_random_workbooks(
                sheets in proptest::collection::vec(
                    proptest::collection::vec((0u32..40, 0u16..12, gen()), 0..60), 1..3),
                constant_memory in any::<bool>(),
            ) {
                let bytes = workbook(&sheets, constant_memory);
                let (fast, slow) = both(&bytes);
                prop_assert_eq!(fast, slow);
                same_sheets_as_the_grid("r.xlsx", &bytes);
            }

            #[test]
            fn written_decimals_equal_the_shortest_round_trip(v in any::<f64>()) {
                let text = format!("{v}");
                prop_assert_eq!(number(&text, v), match crate::read::decimal_from_f64(v) {
                    Some(d) => Value::Number(d),
                    None => Value::Error(format!("{v}")),
                });
            }

            #[test]
            fn short_canonical_texts_read_as_their_double_would(int in 0u64..1_000_000_000, frac in 0u32..1_000_000, neg in any::<bool>()) {
                let mut text = format!("{}{int}.{frac:06}", if neg { "-" } else { "" });
                while text.ends_with('0') { text.pop(); }
                if text.ends_with('.') { text.pop(); }
                let v: f64 = text.parse().unwrap();
                prop_assert_eq!(number(&text, v), match crate::read::decimal_from_f64(v) {
                    Some(d) => Value::Number(d),
                    None => Value::Error(format!("{v}")),
                });
            }
        }
    }
}
