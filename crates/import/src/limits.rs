//! What a file may be, and the checks that refuse it before any reader allocates for it.
//!
//! A bill ledger or a meter export is small: a few dozen columns (a wide meter export has 24, 48
//! or 96 time columns), at most a year of readings per row. A workbook is a zip of XML parts
//! that a few megabytes can inflate into gigabytes, and calamine's readers for .xls and .ods
//! allocate a sheet as one dense grid of rows × columns, so one stray cell at XFD1048576 asks
//! for 512 GiB. Each limit below is checked while reading — the inflated bytes as they come out
//! of the inflater (the sizes a zip declares are never trusted), a sheet's cells as they are
//! found — and a file past one is refused with an issue that names the part, the sheet or the
//! cell. The README states them.

use crate::issue::ImportIssue;
use crate::read::a1;
use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Columns a sheet may use: A to AMJ, the classic spreadsheet width (LibreOffice's until 2022).
pub const MAX_COLUMNS: u32 = 1024;

/// Rows a sheet may use: Excel's own limit.
pub const MAX_ROWS: u32 = 1_048_576;

/// Cells in the area (rows × columns from the first used cell to the last) of a sheet read by
/// a whole-sheet reader — .xls and .ods, which calamine reads into one grid of that size. An
/// .xlsx or .csv is read row by row, so only [`MAX_ROWS`] and [`MAX_COLUMNS`] bound it.
pub const MAX_AREA: u64 = 2_000_000;

/// A worksheet's XML, inflated (it is streamed, never held whole): 1 GiB. A year of
/// quarter-hour readings from 20 meters (700,800 rows) is 172 MiB.
pub const MAX_PART: u64 = 1 << 30;

/// Any other part of a workbook, inflated — shared strings, styles, the workbook, its
/// relationships — which readers keep in memory: 256 MiB.
pub const MAX_HELD_PART: u64 = 256 << 20;

/// Inflated bytes per compressed byte, for each part past its first MiB, and for the parts read
/// together past the first 16 MiB (per byte of the whole file). Real workbooks inflate 5 to 25
/// times; a zip bomb, about a thousand.
pub const MAX_RATIO: u64 = 100;
const PART_FLOOR: u64 = 1 << 20;
const TOTAL_FLOOR: u64 = 16 << 20;

/// The text of one cell: 1 MiB (Excel holds at most 32,767 characters in a cell).
pub const MAX_CELL_TEXT: usize = 1 << 20;

/// XML markup that is read whole — a tag with its attributes, a comment, a CDATA section: 1 MiB.
pub const MAX_MARKUP: usize = 1 << 20;

/// A limit a file went past. The checks know the part, the sheet or the cell; the file name is
/// added when it becomes an issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Beyond {
    pub code: &'static str,
    pub en: String,
    pub zh: String,
    pub sheet: Option<String>,
    pub cell: Option<(u32, u32)>,
}

impl std::fmt::Display for Beyond {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

impl std::error::Error for Beyond {}

impl Beyond {
    fn new(code: &'static str, en: String, zh: String) -> Beyond {
        Beyond {
            code,
            en,
            zh,
            sheet: None,
            cell: None,
        }
    }

    /// The same, on a sheet (when the check did not know its name).
    pub fn on_sheet(mut self, sheet: &str) -> Beyond {
        self.sheet.get_or_insert_with(|| sheet.to_string());
        self
    }

    /// The issue: the file, then what went past which limit, and what to do.
    pub fn issue(&self, file_name: &str) -> ImportIssue {
        let (sheet_en, sheet_zh) = match &self.sheet {
            Some(s) => (format!("sheet '{s}': "), format!("工作表“{s}”：")),
            None => (String::new(), String::new()),
        };
        ImportIssue {
            sheet: self.sheet.clone(),
            row: self.cell.map(|(r, _)| r.saturating_add(1)),
            column: self.cell.map(|(_, c)| crate::read::column_letters(c)),
            cell: self.cell.map(|(r, c)| a1(r, c)),
            ..ImportIssue::file(
                self.code,
                format!("{file_name}: {sheet_en}{}", self.en),
                format!("{file_name}：{sheet_zh}{}", self.zh),
            )
        }
    }

    /// The io::Error a capped reader fails with (recognised again by [`Beyond::from_io`]).
    fn into_io(self) -> std::io::Error {
        std::io::Error::other(self)
    }

    /// The limit an I/O error reports, if it is one.
    pub fn from_io(e: &std::io::Error) -> Option<Beyond> {
        e.get_ref()
            .and_then(|inner| inner.downcast_ref::<Beyond>())
            .cloned()
    }
}

/// A used cell past the sheet limits: refused, naming the cell.
pub fn cell(row: u32, col: u32) -> Result<(), Beyond> {
    if col < MAX_COLUMNS && row < MAX_ROWS {
        return Ok(());
    }
    let at = a1(row, col);
    let last = crate::read::column_letters(MAX_COLUMNS - 1);
    let (en, zh) = if col >= MAX_COLUMNS {
        (
            format!("a cell is used at {at}, beyond column {last} ({MAX_COLUMNS} columns); a bill ledger or meter export is far narrower, so this is a stray entry: delete the cells beyond the data (select the columns after the last one, Delete) and save"),
            format!("{at} 处有内容，超出 {last} 列（{MAX_COLUMNS} 列）；账单台账或电表导出远没有这么宽，这是误填的内容：请删除数据以外的单元格（选中最后一列之后的各列，删除）后保存"),
        )
    } else {
        (
            format!("a cell is used at {at}, beyond row {MAX_ROWS} (the most a spreadsheet holds): the file is damaged or not a spreadsheet export; save it again from Excel"),
            format!("{at} 处有内容，超出第 {MAX_ROWS} 行（电子表格的上限）：文件已损坏或不是电子表格导出；请用 Excel 重新保存"),
        )
    };
    Err(Beyond {
        cell: Some((row, col)),
        ..Beyond::new("SHEET_TOO_LARGE", en, zh)
    })
}

/// The used area of a sheet that a whole-sheet reader would allocate: refused past
/// [`MAX_AREA`], naming its corner cells.
pub fn area(first: (u32, u32), last: (u32, u32)) -> Result<(), Beyond> {
    cell(last.0, last.1)?;
    let rows = u64::from(last.0.saturating_sub(first.0)) + 1;
    let cols = u64::from(last.1.saturating_sub(first.1)) + 1;
    if rows * cols <= MAX_AREA {
        return Ok(());
    }
    let (from, to) = (a1(first.0, first.1), a1(last.0, last.1));
    Err(Beyond {
        cell: Some(last),
        ..Beyond::new(
            "SHEET_TOO_LARGE",
            format!("the cells used span {from}:{to}, {} cells ({rows} rows × {cols} columns), more than the {} an .xls or .ods sheet may span (it is read whole); delete the stray cells far from the data, or save the file as .xlsx, which is read row by row", grouped(rows * cols), grouped(MAX_AREA)),
            format!("已用单元格范围为 {from}:{to}，共 {} 个（{rows} 行 × {cols} 列），超过 .xls 或 .ods 工作表允许的 {} 个（此类文件整表读取）；请删除远离数据的误填单元格，或另存为按行读取的 .xlsx", grouped(rows * cols), grouped(MAX_AREA)),
        )
    })
}

/// A whole-sheet reader that reserves the area a sheet declares (an .xls's DIMENSIONS record)
/// past [`MAX_AREA`].
pub fn declared(first: (u32, u32), last: (u32, u32), rows: u64, cols: u64) -> Beyond {
    let (from, to) = (a1(first.0, first.1), a1(last.0, last.1));
    Beyond {
        cell: Some(last),
        ..Beyond::new(
            "SHEET_TOO_LARGE",
            format!("the sheet declares its used area as {from}:{to} ({rows} rows × {cols} columns), more than the {} cells an .xls sheet may span (it is read whole); delete the stray cells far from the data and save, or save the file as .xlsx", grouped(MAX_AREA)),
            format!("工作表声明的已用范围为 {from}:{to}（{rows} 行 × {cols} 列），超过 .xls 工作表允许的 {} 个单元格（此类文件整表读取）；请删除远离数据的误填单元格后保存，或另存为 .xlsx", grouped(MAX_AREA)),
        )
    }
}

/// The text of a cell past [`MAX_CELL_TEXT`].
pub fn cell_text() -> Beyond {
    Beyond::new(
        "CELL_TOO_LONG",
        format!("a cell holds more than {} MiB of text (Excel allows 32,767 characters); the file is not a normal workbook and is not read", MAX_CELL_TEXT >> 20),
        format!("某单元格的文本超过 {} MiB（Excel 单元格最多 32,767 个字符）；该文件不是正常的工作簿，不予读取", MAX_CELL_TEXT >> 20),
    )
}

/// XML markup past [`MAX_MARKUP`].
pub fn markup(part: &str) -> Beyond {
    Beyond::new(
        "XML_TOO_LONG",
        format!("{part}: one XML tag, comment or CDATA section is longer than {} MiB; the file is not a normal workbook and is not read", MAX_MARKUP >> 20),
        format!("{part}：某个 XML 标签、注释或 CDATA 段超过 {} MiB；该文件不是正常的工作簿，不予读取", MAX_MARKUP >> 20),
    )
}

fn grouped(n: u64) -> String {
    lingtan_core::text::grouped(n.into(), 0)
}

fn mib(n: u64) -> String {
    if n >= 1 << 30 {
        format!("{} GiB", n >> 30)
    } else {
        format!("{} MiB", (n >> 20).max(1))
    }
}

/// Whether a part is streamed (a worksheet, an .ods's content) or held whole while reading.
fn streamed(part: &str) -> bool {
    let p = part.to_lowercase();
    p.contains("worksheets/") || p == "content.xml"
}

/// The inflated bytes of a whole package, shared by the parts read from it.
#[derive(Clone)]
pub(crate) struct Budget {
    used: Arc<AtomicU64>,
    limit: u64,
}

impl Budget {
    /// For a package of `file_len` bytes.
    pub fn new(file_len: usize) -> Budget {
        Budget {
            used: Arc::new(AtomicU64::new(0)),
            limit: (file_len as u64)
                .saturating_mul(MAX_RATIO)
                .saturating_add(TOTAL_FLOOR),
        }
    }
}

/// A part being inflated, counted as it comes out: past its size or ratio limit, or past the
/// package's budget, it fails with a [`Beyond`] naming the part.
pub(crate) struct Capped<R> {
    inner: R,
    part: String,
    compressed: u64,
    read: u64,
    size_limit: u64,
    ratio_limit: u64,
    budget: Budget,
}

impl<R: Read> Capped<R> {
    pub fn new(inner: R, part: &str, compressed: u64, budget: &Budget) -> Capped<R> {
        Capped {
            inner,
            part: part.to_string(),
            compressed,
            read: 0,
            size_limit: if streamed(part) {
                MAX_PART
            } else {
                MAX_HELD_PART
            },
            ratio_limit: compressed.saturating_mul(MAX_RATIO).max(PART_FLOOR),
            budget: budget.clone(),
        }
    }

    fn beyond(&self) -> Beyond {
        let part = &self.part;
        let read = mib(self.read);
        let compressed = self.compressed;
        if self.read > self.size_limit {
            let limit = mib(self.size_limit);
            return Beyond::new(
                "ZIP_PART_TOO_LARGE",
                format!("the workbook's part {part} inflates to more than {limit} ({read} read so far, from {compressed} bytes in the file); a bill ledger or meter export is far smaller, so it is not read (a \"zip bomb\"?); export the data again, or split it into several files"),
                format!("工作簿的组成部分 {part} 解压后超过 {limit}（已读 {read}，文件中仅 {compressed} 字节）；账单台账或电表导出远没有这么大，不予读取（疑为“压缩炸弹”）；请重新导出数据，或拆分为多个文件"),
            );
        }
        Beyond::new(
            "ZIP_RATIO",
            format!("the workbook's part {part} inflates more than {MAX_RATIO} times ({read} from {compressed} bytes in the file, and counting); real workbooks inflate 5 to 25 times, so this one is not read (a \"zip bomb\"?); open it in Excel and save it again, or export the data again"),
            format!("工作簿的组成部分 {part} 的解压倍数超过 {MAX_RATIO} 倍（文件中 {compressed} 字节，已解压 {read}）；正常工作簿约为 5 至 25 倍，不予读取（疑为“压缩炸弹”）；请用 Excel 打开后重新保存，或重新导出数据"),
        )
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        let total = self.budget.used.fetch_add(n as u64, Ordering::Relaxed) + n as u64;
        if self.read > self.size_limit.min(self.ratio_limit) || total > self.budget.limit {
            return Err(self.beyond().into_io());
        }
        Ok(n)
    }
}

/// Inflate every part of a zip package once, counting, before a reader that trusts it (calamine)
/// gets it: a part past its limits is refused by name. The bytes are the same when calamine
/// reads them, so what passed here passes there.
pub(crate) fn check_zip(bytes: &[u8]) -> Result<(), Beyond> {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        // not a zip calamine can open either: it says so itself
        return Ok(());
    };
    let budget = Budget::new(bytes.len());
    for i in 0..zip.len() {
        let Ok(file) = zip.by_index(i) else { continue };
        let name = file.name().map(|n| n.into_owned()).unwrap_or_default();
        let compressed = file.compressed_size();
        let mut capped = Capped::new(file, &name, compressed, &budget);
        if let Err(e) = std::io::copy(&mut capped, &mut std::io::sink()) {
            if let Some(beyond) = Beyond::from_io(&e) {
                return Err(beyond);
            }
            // a damaged part: calamine reports it when (and if) it reads it
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        for (name, data) in parts {
            zip.start_file(
                *name,
                zip::write::SimpleFileOptions::default()
                    .compression_method(zip::CompressionMethod::Deflated),
            )
            .unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn a_cell_beyond_the_limits_is_named() {
        assert!(cell(0, 0).is_ok(), "a cell beyond the limits is named");
        assert!(
            cell(MAX_ROWS - 1, MAX_COLUMNS - 1).is_ok(),
            "a cell beyond the limits is named"
        );
        let e = cell(1_048_575, 16_383).unwrap_err();
        assert_eq!(
            e.code, "SHEET_TOO_LARGE",
            "a cell beyond the limits is named"
        );
        assert!(
            e.en.contains("XFD1048576"),
            "a cell beyond the limits is named: {}",
            e.en
        );
        assert!(e.en.contains("AMJ"), "the last column allowed: {}", e.en);
        assert_eq!(
            e.issue("a.xlsx").cell.as_deref(),
            Some("XFD1048576"),
            "a cell beyond the limits is named"
        );
        let e = area((0, 0), (199_999, 25)).unwrap_err();
        assert!(
            e.en.contains("A1:Z200000"),
            "a cell beyond the limits is named: {}",
            e.en
        );
        assert!(
            area((0, 0), (65_535, 29)).is_ok(),
            "a full .xls sheet 30 columns wide"
        );
    }

    #[test]
    fn a_part_that_inflates_too_much_is_refused_by_name_while_inflating() {
        // 64 MiB of zeros deflate to about 64 KiB: a ratio of about 1000
        let bomb = vec![0u8; 64 << 20];
        let bytes = zip_of(&[
            ("docProps/app.xml", b"<x/>"),
            ("xl/sharedStrings.xml", &bomb),
        ]);
        let start = std::time::Instant::now();
        let e = check_zip(&bytes).unwrap_err();
        assert_eq!(
            e.code, "ZIP_RATIO",
            "a part that inflates too much is refused by name while inflating"
        );
        assert!(
            e.en.contains("xl/sharedStrings.xml"),
            "a part that inflates too much is refused by name while inflating: {}",
            e.en
        );
        assert!(
            start.elapsed() < std::time::Duration::from_secs(5),
            "refused while inflating, not after"
        );
        // the same bytes at an honest ratio pass
        let honest: Vec<u8> = (0..(4u32 << 20))
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect();
        assert!(
            check_zip(&zip_of(&[("xl/sharedStrings.xml", &honest)])).is_ok(),
            "a part that inflates too much is refused by name while inflating"
        );
    }
}
