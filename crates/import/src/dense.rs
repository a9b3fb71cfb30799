//! The whole-sheet readers, looked at before they read: calamine reads an .xls or an .ods sheet
//! into one grid of rows × columns (and an .xls's compound file into memory by its own sector
//! chains), so what it would allocate is measured here first, by walking the same structures
//! the same way, and a file past a limit ([`crate::limits`]) is refused naming the sheet and
//! the cell.
//!
//! - .xls: the compound file's header, FAT and directory (a chain that loops is refused — it
//!   would grow without end), the `Workbook` stream's BIFF records: each sheet's DIMENSIONS
//!   (calamine reserves that many cells) and the position of every cell record, and the
//!   characters its shared-string cells copy.
//! - .ods: `content.xml`'s tables: row and column repeats, the cells with a value, and the text
//!   they copy (`text:s` runs of spaces included).

use crate::limits::{self, Beyond, MAX_AREA};

/// Characters the cells of one sheet may copy into a whole-sheet grid (a shared string is
/// copied into every cell that shows it; an .ods cell into every repeat).
pub const MAX_SHEET_TEXT: u64 = 64 << 20;

fn damaged(what: &str) -> Beyond {
    Beyond {
        code: "FILE_DAMAGED",
        en: format!(
            "the workbook's structure is damaged ({what}); open it in Excel and save it again"
        ),
        zh: format!("工作簿结构已损坏（{what}）；请在 Excel 中打开后重新保存"),
        sheet: None,
        cell: None,
    }
}

fn too_much_text(sheet: &str, chars: u64) -> Beyond {
    Beyond {
        code: "SHEET_TOO_LARGE",
        en: format!("its cells copy {} million characters of text (a shared text is copied into every cell that shows it), more than the {} million an .xls or .ods sheet may (it is read whole); save the file as .xlsx, which is read row by row", chars / 1_000_000, MAX_SHEET_TEXT / 1_000_000),
        zh: format!("其单元格共含 {} 百万个字符（共享文本在每个引用它的单元格中各算一次），超过 .xls 或 .ods 工作表允许的 {} 百万（此类文件整表读取）；请另存为按行读取的 .xlsx", chars / 1_000_000, MAX_SHEET_TEXT / 1_000_000),
        sheet: Some(sheet.to_string()),
        cell: None,
    }
}

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

fn u64_at(b: &[u8], i: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(i..i + 8)?.try_into().ok()?))
}

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const RESERVED: u32 = 0xFFFF_FFFA;
const DIFSECT: u32 = 0xFFFF_FFFC;

/// A compound file as calamine reads it (its `cfb` module): sectors after the header, a FAT
/// from the DIFAT, a directory chain, a mini stream.
pub(crate) struct Cfb<'a> {
    bytes: &'a [u8],
    size: usize,
    maxid: usize,
    fat: Vec<u32>,
    dirs: Vec<(String, u32, u64)>,
    mini_fat: Vec<u32>,
    mini: Vec<u8>,
}

impl<'a> Cfb<'a> {
    /// Open, or say why calamine would loop or fail on it.
    pub fn open(bytes: &'a [u8]) -> Result<Cfb<'a>, Beyond> {
        if bytes.len() < 512
            || !bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        {
            return Err(damaged("not a compound file"));
        }
        let h = &bytes[..512];
        let version = u16_at(h, 26).unwrap_or(0);
        let size = match u16_at(h, 30) {
            Some(9) => 512,
            Some(12) => 4096,
            _ => return Err(damaged("sector size")),
        };
        let maxid = bytes.len() / size;
        let mut cfb = Cfb {
            bytes,
            size,
            maxid,
            fat: Vec::new(),
            dirs: Vec::new(),
            mini_fat: Vec::new(),
            mini: Vec::new(),
        };
        // the DIFAT: 109 entries in the header, then a chain of sectors
        let mut difat: Vec<u32> = (0..109).filter_map(|i| u32_at(h, 76 + 4 * i)).collect();
        let mut id = u32_at(h, 68).unwrap_or(ENDOFCHAIN);
        let mut seen = 0usize;
        while id < RESERVED {
            seen += 1;
            if seen > maxid + 1 {
                return Err(damaged("the DIFAT chain loops"));
            }
            let sector = cfb.sector(id)?;
            difat.extend((0..sector.len() / 4).filter_map(|i| u32_at(sector, 4 * i)));
            id = difat.pop().ok_or_else(|| damaged("DIFAT"))?;
        }
        let fat_sectors: Vec<u32> = difat.into_iter().filter(|&id| id < DIFSECT).collect();
        if fat_sectors.len() > maxid + 1 {
            // calamine reads each listed sector into the FAT: more than the file has is a FAT
            // larger than the file, repeated
            return Err(damaged("the FAT lists more sectors than the file has"));
        }
        for id in fat_sectors {
            let sector = cfb.sector(id)?;
            let words: Vec<u32> = (0..sector.len() / 4)
                .filter_map(|i| u32_at(sector, 4 * i))
                .collect();
            cfb.fat.extend(words);
        }
        let dirs = cfb.chain(u32_at(h, 48).unwrap_or(ENDOFCHAIN), u64::MAX, false)?;
        for entry in dirs.chunks_exact(128) {
            let units: Vec<u16> = (0..32).filter_map(|i| u16_at(entry, 2 * i)).collect();
            let mut name = String::from_utf16_lossy(&units);
            if let Some(l) = name.find('\0') {
                name.truncate(l);
            }
            let start = u32_at(entry, 116).unwrap_or(ENDOFCHAIN);
            let len = if size == 512 {
                u64::from(u32_at(entry, 120).unwrap_or(0))
            } else {
                u64_at(entry, 120).unwrap_or(0)
            };
            cfb.dirs.push((name, start, len));
        }
        if cfb.dirs.is_empty() || (version != 3 && cfb.dirs[0].1 == ENDOFCHAIN) {
            return Err(damaged("empty root directory"));
        }
        let mini_fat_len = u64::from(u32_at(h, 64).unwrap_or(0));
        if mini_fat_len > 0 {
            let (start, len) = (cfb.dirs[0].1, cfb.dirs[0].2);
            cfb.mini = cfb.chain(start, len, false)?;
            let mini_fat = cfb.chain(
                u32_at(h, 60).unwrap_or(ENDOFCHAIN),
                mini_fat_len.saturating_mul(size as u64),
                false,
            )?;
            cfb.mini_fat = (0..mini_fat.len() / 4)
                .filter_map(|i| u32_at(&mini_fat, 4 * i))
                .collect();
        }
        Ok(cfb)
    }

    /// A sector as calamine gets it: past the end of the file, short or empty.
    fn sector(&self, id: u32) -> Result<&'a [u8], Beyond> {
        let id = id as usize;
        if id > self.maxid {
            return Err(damaged("a sector beyond the end of the file"));
        }
        let start = (id + 1) * self.size;
        let end = (start + self.size).min(self.bytes.len());
        Ok(self.bytes.get(start..end).unwrap_or(&[]))
    }

    /// The bytes of a chain up to `len`, refusing a chain that comes back to a sector before
    /// `len` is reached (calamine would follow it for ever, growing).
    fn chain(&self, mut id: u32, len: u64, mini: bool) -> Result<Vec<u8>, Beyond> {
        let (fat, unit) = if mini {
            (&self.mini_fat, 64usize)
        } else {
            (&self.fat, self.size)
        };
        let mut seen = vec![false; fat.len().max(1)];
        let mut out = Vec::new();
        while id != ENDOFCHAIN {
            let slot = seen
                .get_mut(id as usize)
                .ok_or_else(|| damaged("a sector chain points outside the FAT"))?;
            if *slot {
                return Err(damaged("a sector chain loops"));
            }
            *slot = true;
            let sector: &[u8] = if mini {
                let start = id as usize * unit;
                self.mini
                    .get(start..(start + unit).min(self.mini.len()))
                    .unwrap_or(&[])
            } else {
                self.sector(id)?
            };
            let remaining = len.saturating_sub(out.len() as u64);
            let take = (sector.len() as u64).min(remaining) as usize;
            out.extend_from_slice(&sector[..take]);
            if out.len() as u64 >= len {
                break;
            }
            id = fat[id as usize];
        }
        Ok(out)
    }

    /// Whether a stream of this name is in the directory (case as calamine ignores it).
    pub fn has(&self, name: &str) -> bool {
        self.dirs
            .iter()
            .any(|(n, _, _)| n.eq_ignore_ascii_case(name))
    }

    /// A stream's bytes, found as calamine finds it.
    pub fn stream(&self, name: &str) -> Result<Option<Vec<u8>>, Beyond> {
        let Some(&(_, start, len)) = self
            .dirs
            .iter()
            .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
        else {
            return Ok(None);
        };
        self.chain(start, len, len < 4096).map(Some)
    }
}

/// One BIFF record: type, data, and the CONTINUE records after it.
struct Record<'a> {
    typ: u16,
    data: &'a [u8],
    cont: Vec<&'a [u8]>,
}

/// BIFF records from a position, CONTINUE records joined to the one before (as calamine's).
fn records(stream: &[u8]) -> impl Iterator<Item = Record<'_>> {
    let mut rest = stream;
    std::iter::from_fn(move || {
        let typ = u16_at(rest, 0)?;
        let len = u16_at(rest, 2)? as usize;
        let data = rest.get(4..4 + len)?;
        rest = &rest[4 + len..];
        let mut cont = Vec::new();
        while u16_at(rest, 0) == Some(0x003C) {
            let len = u16_at(rest, 2)? as usize;
            cont.push(rest.get(4..4 + len)?);
            rest = &rest[4 + len..];
        }
        Some(Record { typ, data, cont })
    })
}

/// The characters of each string of a shared string table (SST), walked as calamine reads it.
fn sst_lengths<'a>(r: &Record<'a>) -> Vec<u64> {
    fn advance<'a>(parts: &[&'a [u8]], part: &mut usize, data: &mut &'a [u8]) -> bool {
        *part += 1;
        match parts.get(*part) {
            Some(p) => {
                *data = p;
                true
            }
            None => false,
        }
    }
    let mut parts: Vec<&'a [u8]> = vec![r.data.get(8..).unwrap_or(&[])];
    parts.extend(r.cont.iter().copied());
    let mut part = 0;
    let mut data: &'a [u8] = parts[0];
    let mut out = Vec::new();
    let next_part = |data: &mut &'a [u8], part: &mut usize| advance(&parts, part, data);
    loop {
        if data.is_empty() && !next_part(&mut data, &mut part) {
            return out;
        }
        if data.len() < 3 {
            return out;
        }
        let cch = u16_at(data, 0).unwrap_or(0) as usize;
        let flags = data[2];
        data = &data[3..];
        let mut high = flags & 1 != 0;
        let mut runs = 0usize;
        let mut ext = 0usize;
        if flags & 0x8 != 0 {
            runs = u16_at(data, 0).unwrap_or(0) as usize;
            data = data.get(2..).unwrap_or(&[]);
        }
        if flags & 0x4 != 0 {
            ext = u32_at(data, 0).unwrap_or(0) as usize;
            data = data.get(4..).unwrap_or(&[]);
        }
        out.push(cch as u64);
        let mut left = cch;
        while left > 0 {
            let (chars, bytes) = if high {
                let l = (data.len() / 2).min(left);
                (l, 2 * l)
            } else {
                let l = data.len().min(left);
                (l, l)
            };
            data = &data[bytes..];
            left -= chars;
            if left > 0 {
                if !next_part(&mut data, &mut part) || data.is_empty() {
                    return out;
                }
                high = data[0] & 1 != 0;
                data = &data[1..];
            }
        }
        let mut skip = runs * 4 + ext;
        while skip > 0 {
            if data.is_empty() && !next_part(&mut data, &mut part) {
                return out;
            }
            let l = skip.min(data.len());
            data = &data[l..];
            skip -= l;
        }
    }
}

/// The bounding box of the cells seen in a sheet, and the text they copy.
#[derive(Default)]
struct Extent {
    first: Option<(u32, u32)>,
    last: (u32, u32),
    text: u64,
}

impl Extent {
    fn add(&mut self, row: u32, col: u32) {
        let first = self.first.get_or_insert((row, col));
        first.0 = first.0.min(row);
        first.1 = first.1.min(col);
        self.last.0 = self.last.0.max(row);
        self.last.1 = self.last.1.max(col);
    }

    fn check(&self, sheet: &str) -> Result<(), Beyond> {
        if let Some(first) = self.first {
            limits::area(first, self.last).map_err(|b| b.on_sheet(sheet))?;
        }
        if self.text > MAX_SHEET_TEXT {
            return Err(too_much_text(sheet, self.text));
        }
        Ok(())
    }
}

/// A BoundSheet8 record's sheet name (for messages).
fn sheet_name(d: &[u8], biff8: bool) -> Option<String> {
    let cch = *d.get(6)? as usize;
    if biff8 {
        let flags = *d.get(7)?;
        if flags & 1 != 0 {
            let units: Vec<u16> = (0..cch).filter_map(|i| u16_at(d, 8 + 2 * i)).collect();
            return Some(String::from_utf16_lossy(&units));
        }
        return Some(d.get(8..8 + cch)?.iter().map(|&b| char::from(b)).collect());
    }
    Some(encoding_rs::GBK.decode(d.get(7..7 + cch)?).0.into_owned())
}

/// An .xls, walked before calamine reads it.
pub(crate) fn check_xls(cfb: &Cfb<'_>) -> Result<(), Beyond> {
    let stream = match cfb.stream("Workbook")? {
        Some(s) => s,
        None => match cfb.stream("Book")? {
            Some(s) => s,
            None => return Ok(()), // calamine says it has no workbook stream
        },
    };
    let mut sheets: Vec<(usize, String)> = Vec::new();
    let mut strings: Vec<u64> = Vec::new();
    let mut biff8 = true;
    for r in records(&stream) {
        match r.typ {
            0x0809 => {
                let version = u16_at(r.data, 0).unwrap_or(0x0600);
                let kind = u16_at(r.data, 2).unwrap_or(0);
                biff8 = version == 0x0600 || (version == 0 && kind != 0x1000);
            }
            0x0085 => {
                let pos = u32_at(r.data, 0).unwrap_or(u32::MAX) as usize;
                let name =
                    sheet_name(r.data, biff8).unwrap_or_else(|| format!("#{}", sheets.len() + 1));
                sheets.push((pos, name));
            }
            0x00FC => strings = sst_lengths(&r),
            0x000A => break,
            _ => {}
        }
    }
    for (pos, name) in sheets {
        let Some(sheet) = stream.get(pos..) else {
            continue; // calamine fails on it by itself
        };
        let mut extent = Extent::default();
        let mut depth = 0usize;
        let mut seen_bof = false;
        let mut formula_at = (0u32, 0u32);
        for r in records(sheet) {
            if depth > 0 {
                match r.typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let d = r.data;
            let at = || Some((u32::from(u16_at(d, 0)?), u32::from(u16_at(d, 2)?)));
            match r.typ {
                0x0809 => {
                    if seen_bof {
                        depth += 1;
                    } else {
                        seen_bof = true;
                    }
                }
                0x0200 => {
                    // calamine reserves (last row − first row + 1) × (last col − first col + 1)
                    // cells, in wrapping arithmetic as a release build computes it
                    let (rf, rl, mut cf, cl) = match d.len() {
                        10 => (
                            u32::from(u16_at(d, 0).unwrap_or(0)),
                            u32::from(u16_at(d, 2).unwrap_or(0)),
                            u32::from(u16_at(d, 4).unwrap_or(0)),
                            u32::from(u16_at(d, 6).unwrap_or(0)),
                        ),
                        14 | 16 => (
                            u32_at(d, 0).unwrap_or(0),
                            u32_at(d, 4).unwrap_or(0),
                            u32::from(u16_at(d, 8).unwrap_or(0)),
                            u32::from(u16_at(d, 10).unwrap_or(0)),
                        ),
                        _ => continue,
                    };
                    if 0xFF < cf || cl < cf {
                        cf = 0;
                    }
                    let (end_r, end_c) = if rl >= 1 && cl >= 1 {
                        (rl - 1, cl - 1)
                    } else {
                        (rf, cf)
                    };
                    let rows = end_r.wrapping_sub(rf).wrapping_add(1) as u64;
                    let cols = end_c.wrapping_sub(cf).wrapping_add(1) as u64;
                    if rows.saturating_mul(cols) > MAX_AREA {
                        return Err(
                            limits::declared((rf, cf), (end_r, end_c), rows, cols).on_sheet(&name)
                        );
                    }
                }
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E => {
                    if let Some((row, col)) = at() {
                        extent.add(row, col);
                    }
                }
                0x0006 => {
                    if let Some(p) = at() {
                        formula_at = p;
                        extent.add(p.0, p.1);
                    }
                }
                0x0207 => extent.add(formula_at.0, formula_at.1),
                0x00FD => {
                    if let (Some((row, col)), Some(i)) = (at(), u32_at(d, 6)) {
                        if let Some(&chars) = strings.get(i as usize) {
                            extent.add(row, col);
                            extent.text += chars;
                        }
                    }
                }
                0x00BD => {
                    if let (Some((row, first)), true) = (at(), d.len() >= 6) {
                        let n = (d.len() - 6) / 6;
                        if n > 0 {
                            extent.add(row, first);
                            extent.add(row, first + n as u32 - 1);
                        }
                    }
                }
                0x000A => break,
                _ => {}
            }
        }
        extent.check(&name)?;
    }
    Ok(())
}

/// An .ods's content.xml, walked before calamine reads it.
pub(crate) fn check_ods(bytes: &[u8]) -> Result<(), Beyond> {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Ok(());
    };
    let Ok(file) = zip.by_name("content.xml") else {
        return Ok(()); // calamine says so
    };
    let budget = limits::Budget::new(bytes.len());
    let compressed = file.compressed_size();
    let capped = limits::Capped::new(file, "content.xml", compressed, &budget);
    let mut extent = Extent::default();
    let mut row = 0u64;
    let walked = crate::xlsx::ods_tables(capped, &mut |event| match event {
        OdsEvent::Row(r) => {
            if let Some((first, last)) = r.used {
                let top = row.min(u64::from(u32::MAX - 1)) as u32;
                let bottom = (row + r.repeat - 1).min(u64::from(u32::MAX - 1)) as u32;
                extent.add(top, first);
                extent.add(bottom, last);
            }
            extent.text = extent.text.saturating_add(r.text.saturating_mul(r.repeat));
            row += r.repeat;
            Ok(())
        }
        OdsEvent::End(name) => {
            let checked = extent.check(name);
            extent = Extent::default();
            row = 0;
            checked
        }
    });
    match walked {
        Ok(()) => Ok(()),
        Err(crate::xlsx::Fail::Beyond(b)) => Err(b),
        // damaged XML: calamine says what it finds
        Err(crate::xlsx::Fail::Unreadable(_)) => Ok(()),
    }
}

/// One row of an .ods table as calamine will expand it: how many times it repeats, the first
/// and last column with a value, and the characters its cells hold (column repeats included).
pub(crate) struct OdsRow {
    pub repeat: u64,
    pub used: Option<(u32, u32)>,
    pub text: u64,
}

/// What the walk of an .ods's tables gives, in order.
pub(crate) enum OdsEvent<'a> {
    Row(OdsRow),
    /// The end of the table of this name.
    End(&'a str),
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::read::{read_bytes, Value};
    use std::io::Write;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend((data.len() as u16).to_le_bytes());
        r.extend(data);
        r
    }

    /// A BIFF8 workbook stream: one sheet "S", a DIMENSIONS record and number cells.
    pub fn biff8(dims: (u32, u32, u16, u16), cells: &[(u16, u16, f64)]) -> Vec<u8> {
        let bof = |dt: u16| {
            let mut d = vec![0u8; 16];
            d[0..2].copy_from_slice(&0x0600u16.to_le_bytes());
            d[2..4].copy_from_slice(&dt.to_le_bytes());
            record(0x0809, &d)
        };
        let bound = |pos: u32| {
            let mut d = pos.to_le_bytes().to_vec();
            d.extend([0, 0, 1, 0, b'S']);
            record(0x0085, &d)
        };
        let globals_len = bof(5).len() + bound(0).len() + 4;
        let mut stream = bof(5);
        stream.extend(bound(globals_len as u32));
        stream.extend(record(0x000A, &[]));
        stream.extend(bof(0x10));
        let mut d = dims.0.to_le_bytes().to_vec();
        d.extend(dims.1.to_le_bytes());
        d.extend(dims.2.to_le_bytes());
        d.extend(dims.3.to_le_bytes());
        d.extend([0, 0]);
        stream.extend(record(0x0200, &d));
        for &(row, col, v) in cells {
            let mut d = row.to_le_bytes().to_vec();
            d.extend(col.to_le_bytes());
            d.extend(0u16.to_le_bytes());
            d.extend(v.to_le_bytes());
            stream.extend(record(0x0203, &d));
        }
        stream.extend(record(0x000A, &[]));
        stream
    }

    /// A version-3 compound file holding one stream named `name` (at least 4096 bytes, so it is
    /// not in the mini stream); `fat_loop` makes the stream's chain come back to its start.
    pub fn cfb(name: &str, stream: &[u8], fat_loop: bool) -> Vec<u8> {
        let mut stream = stream.to_vec();
        stream.resize(stream.len().max(4096).div_ceil(512) * 512, 0);
        let sectors = stream.len() / 512;
        let mut h = vec![0u8; 512];
        h[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
        h[24..26].copy_from_slice(&0x3Eu16.to_le_bytes());
        h[26..28].copy_from_slice(&3u16.to_le_bytes());
        h[28..30].copy_from_slice(&0xFFFEu16.to_le_bytes());
        h[30..32].copy_from_slice(&9u16.to_le_bytes());
        h[32..34].copy_from_slice(&6u16.to_le_bytes());
        h[44..48].copy_from_slice(&1u32.to_le_bytes());
        h[48..52].copy_from_slice(&1u32.to_le_bytes());
        h[56..60].copy_from_slice(&4096u32.to_le_bytes());
        h[60..64].copy_from_slice(&ENDOFCHAIN.to_le_bytes());
        h[68..72].copy_from_slice(&ENDOFCHAIN.to_le_bytes());
        for i in 0..109 {
            let v: u32 = if i == 0 { 0 } else { 0xFFFF_FFFF };
            h[76 + 4 * i..80 + 4 * i].copy_from_slice(&v.to_le_bytes());
        }
        let mut fat = vec![0xFFFF_FFFFu32; 128];
        fat[0] = 0xFFFF_FFFD;
        fat[1] = ENDOFCHAIN;
        for i in 0..sectors {
            fat[2 + i] = if i + 1 == sectors {
                if fat_loop {
                    2
                } else {
                    ENDOFCHAIN
                }
            } else {
                (3 + i) as u32
            };
        }
        let entry = |name: &str, typ: u8, child: u32, start: u32, size: u32| {
            let mut e = vec![0u8; 128];
            let units: Vec<u16> = name.encode_utf16().collect();
            for (i, u) in units.iter().enumerate() {
                e[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
            }
            e[64..66].copy_from_slice(&(((units.len() + 1) * 2) as u16).to_le_bytes());
            e[66] = typ;
            e[67] = 1;
            e[68..72].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
            e[72..76].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
            e[76..80].copy_from_slice(&child.to_le_bytes());
            e[116..120].copy_from_slice(&start.to_le_bytes());
            e[120..124].copy_from_slice(&size.to_le_bytes());
            e
        };
        let mut out = h;
        out.extend(fat.iter().flat_map(|w| w.to_le_bytes()));
        out.extend(entry("Root Entry", 5, 1, ENDOFCHAIN, 0));
        out.extend(entry(name, 2, 0xFFFF_FFFF, 2, stream.len() as u32));
        out.extend(vec![0u8; 256]);
        out.extend(&stream);
        out
    }

    /// An .ods with this `<office:spreadsheet>` content.
    pub fn ods(tables: &str) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let parts = [
            ("mimetype", "application/vnd.oasis.opendocument.spreadsheet".to_string()),
            ("META-INF/manifest.xml", r#"<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>"#.to_string()),
            ("content.xml", format!(r#"<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"#)),
        ];
        for (name, text) in parts {
            zip.start_file(name, stored).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
        out.into_inner()
    }

    fn n(v: f64) -> Value {
        Value::Number(crate::read::decimal_from_f64(v).unwrap())
    }

    #[test]
    fn the_test_xls_is_read_by_calamine() {
        let bytes = cfb(
            "Workbook",
            &biff8((0, 2, 0, 2), &[(0, 0, 1.5), (1, 1, 2.0)]),
            false,
        );
        let sheets = read_bytes("t.xls", &bytes)
            .unwrap_or_else(|e| panic!("{}", e.message(lingtan_core::Lang::En)));
        assert_eq!(sheets[0].name, "S");
        assert_eq!(sheets[0].rows[0][0], n(1.5));
        assert_eq!(sheets[0].rows[1][1], n(2.0));
    }

    #[test]
    fn an_xls_with_a_stray_cell_far_away_is_refused_before_calamine_allocates() {
        // A1 and IV65536: a grid of 65,536 × 256 cells (16.7 million) for two numbers
        let bytes = cfb(
            "Workbook",
            &biff8((0, 1, 0, 1), &[(0, 0, 1.0), (65_535, 255, 2.0)]),
            false,
        );
        let e = read_bytes("t.xls", &bytes).unwrap_err();
        assert_eq!(
            e.code,
            "SHEET_TOO_LARGE",
            "{}",
            e.message(lingtan_core::Lang::En)
        );
        assert_eq!(e.sheet.as_deref(), Some("S"));
        assert!(
            e.message(lingtan_core::Lang::En).contains("A1:IV65536"),
            "names the area: {}",
            e.message(lingtan_core::Lang::En)
        );
    }

    #[test]
    fn an_xls_declaring_an_absurd_area_is_refused() {
        // calamine reserves the declared rows × columns before it reads a cell
        let bytes = cfb(
            "Workbook",
            &biff8((0, 4_000_000, 0, 200), &[(0, 0, 1.0)]),
            false,
        );
        let e = read_bytes("t.xls", &bytes).unwrap_err();
        assert_eq!(
            e.code,
            "SHEET_TOO_LARGE",
            "{}",
            e.message(lingtan_core::Lang::En)
        );
        assert!(
            e.message(lingtan_core::Lang::En).contains("declares"),
            "{}",
            e.message(lingtan_core::Lang::En)
        );
    }

    #[test]
    fn a_compound_file_whose_chain_loops_is_refused_not_followed() {
        let mut stream = biff8((0, 1, 0, 1), &[(0, 0, 1.0)]);
        stream.resize(8192, 0);
        let mut bytes = cfb("Workbook", &stream, true);
        // declare the stream longer than its sectors: calamine would go round the loop for ever
        let dir = 512 + 512 + 128;
        bytes[dir + 120..dir + 124].copy_from_slice(&100_000_000u32.to_le_bytes());
        let e = read_bytes("t.xls", &bytes).unwrap_err();
        assert_eq!(
            e.code,
            "FILE_DAMAGED",
            "{}",
            e.message(lingtan_core::Lang::En)
        );
        assert!(
            e.message(lingtan_core::Lang::En).contains("loops"),
            "{}",
            e.message(lingtan_core::Lang::En)
        );
    }

    #[test]
    fn an_xls_named_xlsx_is_read_as_what_it_is_and_said() {
        let bytes = cfb("Workbook", &biff8((0, 1, 0, 1), &[(0, 0, 1.0)]), false);
        let (sheets, notes) = crate::read::read_bytes_noted("bills.xlsx", &bytes).unwrap();
        assert_eq!(
            sheets[0].rows[0][0],
            n(1.0),
            "read, not called password-protected"
        );
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].code, "FILE_IS_XLS");
        assert!(
            notes[0].message(lingtan_core::Lang::En).contains(".xls"),
            "{}",
            notes[0].message(lingtan_core::Lang::En)
        );
        let e = read_bytes("bills.xlsx", &cfb("EncryptedPackage", &[1; 4096], false)).unwrap_err();
        assert_eq!(e.code, "FILE_PASSWORD", "an encrypted package is still one");
        let e = read_bytes("memo.xls", &cfb("WordDocument", &[1; 4096], false)).unwrap_err();
        assert_eq!(e.code, "FILE_NOT_SPREADSHEET");
    }

    const ROW: &str = r#"<table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row>"#;

    #[test]
    fn the_test_ods_is_read_by_calamine() {
        let bytes = ods(&format!(
            r#"<table:table table:name="T">{ROW}{ROW}</table:table>"#
        ));
        let sheets = read_bytes("t.ods", &bytes)
            .unwrap_or_else(|e| panic!("{}", e.message(lingtan_core::Lang::En)));
        assert_eq!(sheets[0].name, "T");
        assert_eq!(sheets[0].rows.len(), 2);
        assert_eq!(sheets[0].rows[1][0], n(1.0));
    }

    #[test]
    fn an_ods_whose_repeats_span_an_absurd_area_is_refused_before_calamine_reads_it() {
        // one row, repeated a million times, of a value repeated 200 columns: 200 million cells
        let bytes = ods(
            r#"<table:table table:name="T"><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="200" office:value-type="float" office:value="1"/></table:table-row></table:table>"#,
        );
        let e = read_bytes("t.ods", &bytes).unwrap_err();
        assert_eq!(
            e.code,
            "SHEET_TOO_LARGE",
            "{}",
            e.message(lingtan_core::Lang::En)
        );
        assert_eq!(e.sheet.as_deref(), Some("T"));
        assert!(
            e.message(lingtan_core::Lang::En).contains("A1:GR1000000"),
            "{}",
            e.message(lingtan_core::Lang::En)
        );
        // far to the right
        let bytes = ods(&format!(
            r#"<table:table table:name="T">{ROW}<table:table-row><table:table-cell table:number-columns-repeated="5000"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row></table:table>"#
        ));
        let e = read_bytes("t.ods", &bytes).unwrap_err();
        assert_eq!(
            e.cell.as_deref(),
            Some("GJI2"),
            "{}",
            e.message(lingtan_core::Lang::En)
        );
    }

    #[test]
    fn an_ods_whose_text_is_copied_without_bound_is_refused() {
        // a run of a billion spaces in one cell
        let bytes = ods(
            r#"<table:table table:name="T"><table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="1000000000"/></text:p></table:table-cell></table:table-row></table:table>"#,
        );
        let e = read_bytes("t.ods", &bytes).unwrap_err();
        assert_eq!(
            e.code,
            "CELL_TOO_LONG",
            "{}",
            e.message(lingtan_core::Lang::En)
        );
        // 100 kB of text repeated in a thousand rows
        let text = "x".repeat(100_000);
        let bytes = ods(&format!(
            r#"<table:table table:name="T"><table:table-row table:number-rows-repeated="1000"><table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell></table:table-row></table:table>"#
        ));
        let e = read_bytes("t.ods", &bytes).unwrap_err();
        assert_eq!(
            e.code,
            "SHEET_TOO_LARGE",
            "{}",
            e.message(lingtan_core::Lang::En)
        );
        assert!(
            e.message(lingtan_core::Lang::En).contains("characters"),
            "{}",
            e.message(lingtan_core::Lang::En)
        );
    }
}
