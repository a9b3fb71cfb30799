#!/usr/bin/env python3
"""Write the hostile workbooks bench/readers.sh times Lingtan on.

Usage: make_hostile_workbooks.py OUTDIR

- bomb-sheet.xlsx, bomb-strings.xlsx, bomb-styles.xlsx, bomb-content.ods: four zip bombs of about
  5 MB, each with one part (the sheet, the shared strings, the styles, an .ods's content) that
  inflates to 5 GiB of spaces and declares that size honestly (zip64), the other parts a small
  bill ledger;
- spaces-256.xlsx: a bill ledger with a run of 256 MiB of whitespace (spaces, some tabs and line
  ends) between two of its rows, deflated about 30 times (about 10 MB), declared honestly.

A deflate stream is made of pieces compressed with a full flush (byte-aligned, no reference to
what came before), so one compressed MiB repeated is a valid stream of many MiB; the zip
container is written here so a part can carry it.
"""
import os
import random
import struct
import sys
import zlib

LEDGER = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>月份</t></is></c><c r="B1" t="inlineStr"><is><t>用电量(kWh)</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>2024-02</t></is></c><c r="B2"><v>1250</v></c></row>'
)
LAST_ROW = '<row r="3"><c r="A3" t="inlineStr"><is><t>2024-03</t></is></c><c r="B3"><v>1340</v></c></row>'
SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"
XLSX_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
    "xl/sharedStrings.xml": '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>',
    "xl/styles.xml": '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
    "xl/worksheets/sheet1.xml": SHEET_HEAD + LEDGER + LAST_ROW + SHEET_TAIL,
}
ODS_PARTS = {
    "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
    "META-INF/manifest.xml": '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>',
    "content.xml": "",
}


def flushed(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)


def end():
    return zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)


class Zip:
    """A zip with zip64 sizes where they need them."""

    def __init__(self, path):
        self.f = open(path, "wb")
        self.central = b""
        self.count = 0

    def add(self, name, method, pieces, size, crc):
        name = name.encode()
        offset = self.f.tell()
        big = size >= 0xFFFFFFFF
        head_at = self.f.tell()
        extra = struct.pack("<HHQQ", 1, 16, size, 0) if big else b""
        self.f.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 45 if big else 20, 0, method, 0, 0, crc,
                                 0xFFFFFFFF if big else 0, 0xFFFFFFFF if big else size, len(name), len(extra)))
        self.f.write(name + extra)
        start = self.f.tell()
        for p in pieces:
            self.f.write(p)
        compressed = self.f.tell() - start
        if big:  # the compressed size, now known, into the local zip64 field
            here = self.f.tell()
            self.f.seek(head_at + 30 + len(name) + 12)
            self.f.write(struct.pack("<Q", compressed))
            self.f.seek(here)
        cextra = struct.pack("<HHQQ", 1, 16, size, compressed) if big else b""
        self.central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45 if big else 20, 0, method, 0, 0, crc,
                                    0xFFFFFFFF if big else compressed, 0xFFFFFFFF if big else size,
                                    len(name), len(cextra), 0, 0, 0, 0, offset) + name + cextra
        self.count += 1

    def add_text(self, name, text):
        data = text.encode()
        self.add(name, 0, [data], len(data), zlib.crc32(data))

    def close(self):
        at = self.f.tell()
        self.f.write(self.central)
        self.f.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, self.count, self.count, len(self.central), at, 0))
        self.f.close()


def bomb(path, parts, part, gib=5):
    block = flushed(b" " * (1 << 20))
    z = Zip(path)
    for name, text in parts.items():
        if name == part:
            mib = gib << 10
            z.add(name, 8, [block] * mib + [end()], mib << 20, 0)
        else:
            z.add_text(name, text)
    z.close()


def spaces(path, mib):
    rnd = random.Random(1)
    run = bytes(rnd.choices(b" \n\t", weights=[62, 1, 1], k=1 << 20))
    head = (SHEET_HEAD + LEDGER).encode()
    tail = (LAST_ROW + SHEET_TAIL).encode()
    crc = zlib.crc32(head)
    for _ in range(mib):
        crc = zlib.crc32(run, crc)
    crc = zlib.crc32(tail, crc)
    block = flushed(run)
    z = Zip(path)
    for name, text in XLSX_PARTS.items():
        if name == "xl/worksheets/sheet1.xml":
            z.add(name, 8, [flushed(head)] + [block] * mib + [flushed(tail), end()],
                  len(head) + (mib << 20) + len(tail), crc)
        else:
            z.add_text(name, text)
    z.close()


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    bomb(os.path.join(out, "bomb-sheet.xlsx"), XLSX_PARTS, "xl/worksheets/sheet1.xml")
    bomb(os.path.join(out, "bomb-strings.xlsx"), XLSX_PARTS, "xl/sharedStrings.xml")
    bomb(os.path.join(out, "bomb-styles.xlsx"), XLSX_PARTS, "xl/styles.xml")
    bomb(os.path.join(out, "bomb-content.ods"), ODS_PARTS, "content.xml")
    spaces(os.path.join(out, "spaces-256.xlsx"), 256)


if __name__ == "__main__":
    main()
