//! Generators for hostile inputs too big, too odd or too dangerous to commit: named in a case's
//! `gen` table as "generator" or "generator:argument".

use std::path::Path;
use std::process::Command;

/// Make the file `spec` names at `path`. An error starting with "skip:" means the machine cannot
/// make it (the case is skipped, and says so); any other error fails the suite.
pub fn make(spec: &str, path: &Path) -> Result<(), String> {
    let (name, arg) = spec.split_once(':').unwrap_or((spec, ""));
    match name {
        // a named pipe: reading it blocks until a writer comes
        "fifo" => {
            let ok = Command::new("mkfifo")
                .arg(path)
                .status()
                .map_err(|e| e.to_string())?;
            ok.success()
                .then_some(())
                .ok_or_else(|| "mkfifo failed".into())
        }
        "dir" => std::fs::create_dir(path).map_err(|e| e.to_string()),
        // a character device node in the case folder, the same device as /dev/ARG (null, full
        // or zero): an output case never names the system's own /dev files, so a regression
        // replaces only this node. Making one needs root; elsewhere the case is skipped.
        "chardev" => {
            let (major, minor) = match arg {
                "null" => ("1", "3"),
                "zero" => ("1", "5"),
                "full" => ("1", "7"),
                other => return Err(format!("chardev:{other}: null, zero or full")),
            };
            let made = Command::new("mknod")
                .arg(path)
                .args(["c", major, minor])
                .stderr(std::process::Stdio::null())
                .status()
                .map_err(|e| format!("skip: mknod: {e}"))?;
            made.success()
                .then_some(())
                .ok_or_else(|| "skip: mknod is not permitted here (not root)".into())
        }
        // a symbolic link to ARG (expanded relative to the case folder when not absolute)
        "symlink" => {
            let target = Path::new(arg);
            let target = if target.is_absolute() {
                target.to_path_buf()
            } else {
                path.parent().unwrap_or(Path::new(".")).join(target)
            };
            std::os::unix::fs::symlink(target, path).map_err(|e| e.to_string())
        }
        // a hard link to ARG (relative to the case folder when not absolute): the same file
        // under another name
        "hardlink" => {
            let target = Path::new(arg);
            let target = if target.is_absolute() {
                target.to_path_buf()
            } else {
                path.parent().unwrap_or(Path::new(".")).join(target)
            };
            std::fs::hard_link(target, path).map_err(|e| e.to_string())
        }
        // a file of ARG bytes of text (e.g. "text:hello")
        "text" => std::fs::write(path, arg).map_err(|e| e.to_string()),
        "empty" => std::fs::write(path, b"").map_err(|e| e.to_string()),
        // a sparse file of ARG MiB (takes no disk; reads as zeros)
        "sparse-mib" => {
            let mib: u64 = arg.parse().map_err(|_| format!("sparse-mib:{arg}"))?;
            let f = std::fs::File::create(path).map_err(|e| e.to_string())?;
            f.set_len(mib * 1024 * 1024).map_err(|e| e.to_string())
        }
        // text in UTF-16 (little or big endian, with or without a byte-order mark)
        "utf16le" | "utf16be" | "utf16le-bom" | "utf16be-bom" => {
            let big = name.starts_with("utf16be");
            let mut out = Vec::new();
            if name.ends_with("-bom") {
                out.extend(if big { [0xFE, 0xFF] } else { [0xFF, 0xFE] });
            }
            for unit in arg.encode_utf16() {
                out.extend(if big {
                    unit.to_be_bytes()
                } else {
                    unit.to_le_bytes()
                });
            }
            std::fs::write(path, out).map_err(|e| e.to_string())
        }
        // an .xlsx whose one sheet "Sheet1" holds ARG as its <sheetData> (cells written inline)
        "sheet-xml" => write(path, &xlsx(arg.as_bytes(), None)),
        // an .xlsx with a small bill ledger and one stray number at the cell ARG (e.g. XFD1048576)
        "stray-cell" => {
            let data = format!(
                "{LEDGER}<row r=\"{row}\"><c r=\"{arg}\"><v>1</v></c></row>",
                row = arg.trim_start_matches(|c: char| c.is_ascii_alphabetic())
            );
            write(path, &xlsx(data.as_bytes(), None))
        }
        // an .xlsx with a small bill ledger whose part PART inflates to MIB MiB of spaces from a
        // few MB, declaring that size honestly (so at most 4095 MiB): "zip-bomb:PART:4095"; with
        // "zip-bomb-lying", declaring 1 KiB
        "zip-bomb" | "zip-bomb-lying" => {
            let (part, mib) = arg.rsplit_once(':').ok_or("zip-bomb:PART:MIB")?;
            let mib: usize = mib.parse().map_err(|_| format!("zip-bomb:{arg}"))?;
            let size = if name == "zip-bomb" {
                u32::try_from(mib << 20).map_err(|_| "at most 4095 MiB")?
            } else {
                1024
            };
            let bomb = deflated(&[b' '; 1 << 20], mib);
            write(path, &xlsx(LEDGER.as_bytes(), Some((part, bomb, size, 0))))
        }
        // an .xlsx with a small bill ledger and a run of ARG MiB of whitespace (spaces, some tabs
        // and line ends) between its rows, deflated about 30 times
        "whitespace-sheet" => {
            let mib: usize = arg.parse().map_err(|_| format!("whitespace-sheet:{arg}"))?;
            let mut run = vec![b' '; 1 << 20];
            let mut x: u32 = 12345;
            for b in run.iter_mut() {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                *b = match x % 64 {
                    0 => b'\n',
                    1 => b'\t',
                    _ => b' ',
                };
            }
            let (head, tail) = LEDGER.split_at(LEDGER.find("<row r=\"3\"").unwrap_or(0));
            let head = format!("{SHEET_HEAD}{head}");
            let tail = format!("{tail}{SHEET_TAIL}");
            let mut sheet = deflate_flushed(head.as_bytes());
            let mut crc = flate2::Crc::new();
            crc.update(head.as_bytes());
            let block = deflate_flushed(&run);
            for _ in 0..mib {
                sheet.extend(&block);
                crc.update(&run);
            }
            sheet.extend(deflate_flushed(tail.as_bytes()));
            crc.update(tail.as_bytes());
            sheet.extend(deflate_end());
            let size = u32::try_from(head.len() + (mib << 20) + tail.len())
                .map_err(|_| "at most 4095 MiB")?;
            let raw = ("xl/worksheets/sheet1.xml", sheet, size, crc.sum());
            write(path, &xlsx(b"", Some(raw)))
        }
        // an .xls (compound file, BIFF8) with one sheet "S": "xls-cells:R,C;R,C" number cells
        // at 0-based rows and columns; "xls-dims:ROWS,COLS" one cell and a DIMENSIONS record
        // declaring that area; "xls-loop" a stream whose sector chain comes back to its start
        "xls-cells" => {
            let cells: Vec<(u16, u16, f64)> = arg
                .split(';')
                .filter_map(|rc| {
                    let (r, c) = rc.split_once(',')?;
                    Some((r.parse().ok()?, c.parse().ok()?, 1.0))
                })
                .collect();
            write(path, &cfb(&biff8((0, 1, 0, 1), &cells), None))
        }
        "xls-dims" => {
            let (r, c) = arg.split_once(',').ok_or("xls-dims:ROWS,COLS")?;
            let dims = (0, r.parse().unwrap_or(1), 0, c.parse().unwrap_or(1));
            write(path, &cfb(&biff8(dims, &[(0, 0, 1.0)]), None))
        }
        "xls-loop" => write(
            path,
            &cfb(&biff8((0, 1, 0, 1), &[(0, 0, 1.0)]), Some(100_000_000)),
        ),
        // an .ods whose content.xml holds ARG as its one table "T"
        "ods-table" => write(path, &ods(arg, None)),
        // an .ods whose part PART inflates to MIB MiB of spaces: "ods-bomb:content.xml:5120"
        "ods-bomb" => {
            let (part, mib) = arg.rsplit_once(':').ok_or("ods-bomb:PART:MIB")?;
            let mib: usize = mib.parse().map_err(|_| format!("ods-bomb:{arg}"))?;
            let size = u32::try_from(mib << 20).map_err(|_| "at most 4095 MiB")?;
            write(
                path,
                &ods("", Some((part, deflated(&[b' '; 1 << 20], mib), size, 0))),
            )
        }
        other => Err(format!("unknown generator '{other}'")),
    }
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| e.to_string())
}

/// A small bill ledger's rows: a header and two months (the third row is where a whitespace run
/// goes).
const LEDGER: &str = concat!(
    r#"<row r="1"><c r="A1" t="inlineStr"><is><t>月份</t></is></c><c r="B1" t="inlineStr"><is><t>用电量(kWh)</t></is></c></row>"#,
    r#"<row r="2"><c r="A2" t="inlineStr"><is><t>2024-02</t></is></c><c r="B2"><v>1250</v></c></row>"#,
    r#"<row r="3"><c r="A3" t="inlineStr"><is><t>2024-03</t></is></c><c r="B3"><v>1340</v></c></row>"#,
);

const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
const SHEET_TAIL: &str = "</sheetData></worksheet>";

/// A part given as deflated bytes: its name, the bytes, the size and CRC-32 it declares.
type Raw<'a> = Option<(&'a str, Vec<u8>, u32, u32)>;

/// A minimal .xlsx whose sheet holds `sheet_data`; `raw` replaces one part.
fn xlsx(sheet_data: &[u8], raw: Raw<'_>) -> Vec<u8> {
    let mut sheet = SHEET_HEAD.as_bytes().to_vec();
    sheet.extend(sheet_data);
    sheet.extend(SHEET_TAIL.as_bytes());
    let ct = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let workbook = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let wb_rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
    let strings = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>"#;
    let mut parts: Vec<(&str, Vec<u8>)> = vec![
        ("[Content_Types].xml", ct.as_bytes().to_vec()),
        ("_rels/.rels", rels.as_bytes().to_vec()),
        ("xl/workbook.xml", workbook.as_bytes().to_vec()),
        ("xl/_rels/workbook.xml.rels", wb_rels.as_bytes().to_vec()),
        ("xl/sharedStrings.xml", strings.as_bytes().to_vec()),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let mut zip = Zip::default();
    for (name, data) in parts.drain(..) {
        match &raw {
            Some((part, deflated, size, crc)) if *part == name => {
                zip.add(name, 8, deflated, *size, *crc)
            }
            _ => zip.add(name, 0, &data, data.len() as u32, crc32(&data)),
        }
    }
    zip.finish()
}

/// An .ods with one table "T" holding `table`; `raw` replaces one part.
fn ods(table: &str, raw: Raw<'_>) -> Vec<u8> {
    let manifest = r#"<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>"#;
    let content = format!(
        r#"<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="T">{table}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let mut zip = Zip::default();
    for (name, data) in [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", manifest),
        ("content.xml", &content),
    ] {
        match &raw {
            Some((part, deflated, size, crc)) if *part == name => {
                zip.add(name, 8, deflated, *size, *crc)
            }
            _ => zip.add(
                name,
                0,
                data.as_bytes(),
                data.len() as u32,
                crc32(data.as_bytes()),
            ),
        }
    }
    zip.finish()
}

/// `data` deflated and flushed to a byte boundary with the history reset (a full flush), so the
/// pieces can be put one after another, or repeated, into one deflate stream.
fn deflate_flushed(data: &[u8]) -> Vec<u8> {
    let mut c = flate2::Compress::new(flate2::Compression::best(), false);
    let mut out = Vec::with_capacity(data.len() / 2 + 1024);
    c.compress_vec(data, &mut out, flate2::FlushCompress::Full)
        .expect("deflate");
    while c.total_in() < data.len() as u64 || out.len() == out.capacity() {
        out.reserve(1 << 16);
        let done = c.total_in() as usize;
        c.compress_vec(&data[done..], &mut out, flate2::FlushCompress::Full)
            .expect("deflate");
    }
    out
}

/// The final, empty deflate block that ends a stream of flushed pieces.
fn deflate_end() -> Vec<u8> {
    let mut c = flate2::Compress::new(flate2::Compression::best(), false);
    let mut out = Vec::with_capacity(64);
    c.compress_vec(&[], &mut out, flate2::FlushCompress::Finish)
        .expect("deflate");
    out
}

/// `mib` MiB of `unit` (1 MiB) as one deflate stream.
fn deflated(unit: &[u8], mib: usize) -> Vec<u8> {
    let block = deflate_flushed(unit);
    let mut out = Vec::with_capacity(block.len() * mib + 16);
    for _ in 0..mib {
        out.extend(&block);
    }
    out.extend(deflate_end());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

/// A zip written by hand, so a part can carry bytes already deflated and a size that lies.
#[derive(Default)]
struct Zip {
    out: Vec<u8>,
    central: Vec<u8>,
    count: u16,
}

impl Zip {
    fn add(&mut self, name: &str, method: u16, data: &[u8], declared: u32, crc: u32) {
        let offset = self.out.len() as u32;
        let header = |sig: u32, central: bool| {
            let mut h = sig.to_le_bytes().to_vec();
            if central {
                h.extend(20u16.to_le_bytes());
            }
            h.extend(20u16.to_le_bytes());
            h.extend(0u16.to_le_bytes());
            h.extend(method.to_le_bytes());
            h.extend([0u8; 4]);
            h.extend(crc.to_le_bytes());
            h.extend((data.len() as u32).to_le_bytes());
            h.extend(declared.to_le_bytes());
            h.extend((name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes());
            if central {
                // comment length, disk, internal attributes; external attributes
                h.extend([0u8; 6]);
                h.extend(0u32.to_le_bytes());
                h.extend(offset.to_le_bytes());
            }
            h.extend(name.as_bytes());
            h
        };
        self.out.extend(header(0x0403_4b50, false));
        self.out.extend(data);
        self.central.extend(header(0x0201_4b50, true));
        self.count += 1;
    }

    fn finish(mut self) -> Vec<u8> {
        let start = self.out.len() as u32;
        self.out.extend(&self.central);
        self.out.extend(0x0605_4b50u32.to_le_bytes());
        self.out.extend([0u8; 4]);
        self.out.extend(self.count.to_le_bytes());
        self.out.extend(self.count.to_le_bytes());
        self.out.extend((self.central.len() as u32).to_le_bytes());
        self.out.extend(start.to_le_bytes());
        self.out.extend(0u16.to_le_bytes());
        self.out
    }
}

fn record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut r = typ.to_le_bytes().to_vec();
    r.extend((data.len() as u16).to_le_bytes());
    r.extend(data);
    r
}

/// A BIFF8 workbook stream: one sheet "S", a DIMENSIONS record, number cells.
fn biff8(dims: (u32, u32, u16, u16), cells: &[(u16, u16, f64)]) -> Vec<u8> {
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

/// A version-3 compound file holding `stream` as "Workbook"; with `loop_len`, the stream's
/// sector chain comes back to its start and its declared length is that.
fn cfb(stream: &[u8], loop_len: Option<u32>) -> Vec<u8> {
    const END: u32 = 0xFFFF_FFFE;
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
    h[60..64].copy_from_slice(&END.to_le_bytes());
    h[68..72].copy_from_slice(&END.to_le_bytes());
    for i in 0..109 {
        let v: u32 = if i == 0 { 0 } else { 0xFFFF_FFFF };
        h[76 + 4 * i..80 + 4 * i].copy_from_slice(&v.to_le_bytes());
    }
    let mut fat = vec![0xFFFF_FFFFu32; 128];
    fat[0] = 0xFFFF_FFFD;
    fat[1] = END;
    for i in 0..sectors {
        fat[2 + i] = match (i + 1 == sectors, loop_len) {
            (true, Some(_)) => 2,
            (true, None) => END,
            _ => (3 + i) as u32,
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
        e[68..76].copy_from_slice(&[0xFF; 8]);
        e[76..80].copy_from_slice(&child.to_le_bytes());
        e[116..120].copy_from_slice(&start.to_le_bytes());
        e[120..124].copy_from_slice(&size.to_le_bytes());
        e
    };
    let mut out = h;
    out.extend(fat.iter().flat_map(|w| w.to_le_bytes()));
    out.extend(entry("Root Entry", 5, 1, END, 0));
    let size = loop_len.unwrap_or(stream.len() as u32);
    out.extend(entry("Workbook", 2, 0xFFFF_FFFF, 2, size));
    out.extend(vec![0u8; 256]);
    out.extend(&stream);
    out
}
