#!/usr/bin/env python3
"""make_certificates.py — write the sample factory's 2025 green-certificate export
(gec-trades-2025.xlsx) in the layout of the Beijing Power Exchange's trade details.

Run by hand, not by the build; its output is committed next to it:

    python3 sample-data/offset/make_certificates.py

Standard library only (the workbook is written as its XML parts, with fixed ZIP timestamps):
running it twice gives byte-identical files.

The layout (column names and order) is the one ../../shared/domain/OFFSET.md lists for the
Beijing Power Exchange trade details, seen in public scraping code: 成交时间, 交易类型, 购方主体名称,
购方省份, 交易年份, 生产年月, 补贴类型, 绿证编码, 成交数量(个), 成交单价(元/个). The title row above
the header is how the platform's download looks in the screenshots described there (unconfirmed).

EVERYTHING IN IT IS FICTIONAL: the certificate codes (32 digits, the length one secondary source
reports; the digits are made up, not a real project's filing code), the quantities, the prices and
the trades. Do not use them for anything but the Lingtan sample.
"""

import os
import zipfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "gec-trades-2025.xlsx")

BUYER = "安吉绿叶户外家具有限公司"
TITLE = "绿证交易明细（北京电力交易中心）"
HEADER = ["成交时间", "交易类型", "购方主体名称", "购方省份", "交易年份", "生产年月", "补贴类型",
          "绿证编码", "成交数量(个)", "成交单价(元/个)"]
# (time, trade type, year, production month, subsidy, code, quantity, unit price) — fictional.
# Two purchases from one (fictional) Inner Mongolia wind farm; 32-digit codes, all made up.
ROWS = [
    ("2025-02-18 10:32:05", "双边协商", "2025", "202501", "平价（无补贴）",
     "15020000000000001202501000000001", 1200, 5.20),
    ("2025-03-05 14:08:41", "挂牌交易", "2025", "202502", "平价（无补贴）",
     "15020000000000001202502000000002", 500, 5.35),
]

FIXED = (2025, 3, 15, 9, 0, 0)


def cell(ref, value):
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def col(i):
    return chr(ord("A") + i)


def sheet_xml():
    rows = [[TITLE], HEADER]
    for t, kind, year, month, subsidy, code, qty, price in ROWS:
        rows.append([t, kind, BUYER, "浙江省", year, month, subsidy, code, qty, price])
    out = []
    for r, values in enumerate(rows, start=1):
        cells = "".join(cell(f"{col(c)}{r}", v) for c, v in enumerate(values))
        out.append(f'<row r="{r}">{cells}</row>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetData>' + "".join(out) + '</sheetData>'
            '<mergeCells count="1"><mergeCell ref="A1:J1"/></mergeCells></worksheet>')


PARTS = {
    "[Content_Types].xml":
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '</Types>',
    "_rels/.rels":
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>',
    "xl/workbook.xml":
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="绿证交易明细" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels":
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '</Relationships>',
    "xl/worksheets/sheet1.xml": sheet_xml(),
}


def main():
    with zipfile.ZipFile(OUT, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in PARTS.items():
            info = zipfile.ZipInfo(name, date_time=FIXED)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, text.encode("utf-8"))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
