#!/usr/bin/env python3
"""make_broken.py — write the small, deliberately broken import fixtures in this directory.

Run by hand, not by the build. Its outputs are committed next to it.

    python3 -m venv /tmp/xl
    /tmp/xl/bin/pip install openpyxl msoffcrypto-tool   # openpyxl 3.1.x, msoffcrypto-tool 6.x
    /tmp/xl/bin/python tests/import/make_broken.py

Each file has one problem (gbk.csv has none: it is the control). README.md in this directory
names the exact cell. Numbers are taken from the sample factory's bills
(sample-data/evidence/electricity-ledger-2024.csv, gas-statements-2024.csv), so a fixture that
is fixed by hand would import to sample-consistent values.

Deterministic: fixed document dates, fixed ZIP timestamps, and the encryption salt/key for
password.xlsx drawn from a seeded generator, so reruns are byte-identical.
"""

import datetime as dt
import io
import os
import random
import re
import zipfile

import msoffcrypto
import msoffcrypto.method.container.ecma376_encrypted as ole_container
import msoffcrypto.method.ecma376_agile as agile
import openpyxl
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl.styles import Font

HERE = os.path.dirname(os.path.abspath(__file__))
FIXED_DOC_TIME = "2025-02-10T09:30:00Z"
FIXED_ZIP_TIME = (2025, 2, 10, 9, 30, 0)

# (period, kWh, 元) — from sample-data/evidence/electricity-ledger-2024.csv
PLANT = [
    ("2023-12-21至2024-01-20", 168420, 123038.52),
    ("2024-01-21至2024-02-20", 117860, 84163.16),
    ("2024-02-21至2024-03-20", 149730, 109104.49),
    ("2024-03-21至2024-04-20", 161950, 118613.79),
    ("2024-04-21至2024-05-20", 170380, 125042.51),
    ("2024-05-21至2024-06-20", 183610, 135643.79),
]
WAREHOUSE_H2 = [  # the warehouse's last six bills
    ("2024-07-21至2024-08-20", 16230, 12833.43),
    ("2024-08-21至2024-09-20", 14310, 11268.44),
    ("2024-09-21至2024-10-20", 11290, 8827.46),
    ("2024-10-21至2024-11-20", 10870, 8481.54),
    ("2024-11-21至2024-12-20", 11540, 8996.44),
    ("2024-12-21至2025-01-20", 12050, 9402.20),
]
GAS_H2 = [  # (month, m3, 元) — gas statements July–December
    (7, 25180, 99712.80), (8, 24760, 98049.60), (9, 27240, 107870.40),
    (10, 28630, 113374.80), (11, 29870, 118285.20), (12, 31460, 124581.60),
]


def xlsx_bytes(wb):
    wb.properties.creator = "沈佳慧"
    wb.properties.lastModifiedBy = "沈佳慧"
    wb.properties.created = dt.datetime(2025, 2, 10, 9, 30, 0)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    lambda m: m.group(1) + FIXED_DOC_TIME.encode() + m.group(2),
                    data,
                )
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            zout.writestr(zi, data)
    return out.getvalue()


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)
    print(f"  {name} ({len(data)} bytes)")


def ledger(rows, sheet="电费台账", header=("抄表起止日期", "有功电量(kWh)", "电费(元)")):
    """A plain, valid one-sheet ledger: header in row 1, one bill per row from row 2."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for c, h in enumerate(header, start=1):
        ws.cell(row=1, column=c, value=h).font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for c, v in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=v)
            if isinstance(v, int):
                cell.number_format = "#,##0"
            elif isinstance(v, float):
                cell.number_format = "#,##0.00"
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 15
    ws.column_dimensions["C"].width = 14
    return wb


def main():
    # text-in-quantity.xlsx — 电费台账!B7 (有功电量) is the text "约一万二"
    # (bill 2024-12-21至2025-01-20, really 12,050 kWh).
    wb = ledger(WAREHOUSE_H2)
    wb.active["B7"] = "约一万二"
    wb.active["B7"].number_format = "General"
    write("text-in-quantity.xlsx", xlsx_bytes(wb))

    # unknown-unit.xlsx — 单位 column, row 4 says "度电x"; the others say "kWh".
    rows = [(p, q, "kWh", m) for p, q, m in WAREHOUSE_H2]
    rows[2] = (rows[2][0], rows[2][1], "度电x", rows[2][3])
    wb = ledger(rows, header=("抄表起止日期", "用量", "单位", "电费(元)"))
    wb.active.column_dimensions["D"].width = 14
    write("unknown-unit.xlsx", xlsx_bytes(wb))

    # bad-period.xlsx — gas statement July–December; the December row reads "2024年13月".
    rows = [(f"2024年{m}月", q, a) for m, q, a in GAS_H2]
    rows[5] = ("2024年13月", rows[5][1], rows[5][2])
    wb = ledger(rows, sheet="2024年7-12月", header=("账期", "用气量（立方米）", "金额（元）"))
    write("bad-period.xlsx", xlsx_bytes(wb))

    # overlapping-periods.xlsx — the 4th bill starts 2024-03-11, inside the 3rd (…至2024-03-20).
    rows = [list(r) for r in PLANT[:5]]
    rows[3][0] = "2024-03-11至2024-04-20"
    wb = ledger([tuple(r) for r in rows])
    write("overlapping-periods.xlsx", xlsx_bytes(wb))

    # total-mismatch.xlsx — six plant bills, 合计 in row 8; B8 is 100 kWh more than B2:B7.
    wb = ledger(PLANT)
    ws = wb.active
    ws["A8"] = "合计"
    ws["A8"].font = Font(bold=True)
    ws["B8"] = sum(q for _, q, _ in PLANT) + 100
    ws["B8"].number_format = "#,##0"
    ws["C8"] = round(sum(m for _, _, m in PLANT), 2)
    ws["C8"].number_format = "#,##0.00"
    write("total-mismatch.xlsx", xlsx_bytes(wb))

    # not-a-spreadsheet.xlsx — UTF-8 text, no ZIP signature.
    write("not-a-spreadsheet.xlsx",
          "这不是Excel文件。\r\n电费台账请见共享盘 财务/能源/2024/。\r\n"
          "This is a plain text file that was renamed to .xlsx.\r\n".encode("utf-8"))

    # truncated.xlsx — first 3000 bytes of a valid ledger (the six plant bills).
    full = xlsx_bytes(ledger(PLANT))
    assert len(full) > 3000
    write("truncated.xlsx", full[:3000])

    # password.xlsx — the same valid six-bill plant ledger, encrypted (ECMA-376 agile), "1234".
    rng = random.Random(1234)
    agile._random_buffer = lambda n: bytes(rng.getrandbits(8) for _ in range(n))

    class _FixedNow(dt.datetime):  # the OLE container stamps its directory entries with now()
        @classmethod
        def now(cls, tz=None):
            return cls(2025, 2, 10, 9, 30, 0)

    ole_container.datetime = _FixedNow
    enc = io.BytesIO()
    OOXMLFile(io.BytesIO(full)).encrypt("1234", enc)
    write("password.xlsx", enc.getvalue())
    # self-check: it opens again with the password and is the ledger we encrypted
    dec = io.BytesIO()
    f = msoffcrypto.OfficeFile(io.BytesIO(enc.getvalue()))
    f.load_key(password="1234")
    f.decrypt(dec)
    assert dec.getvalue() == full

    # empty-sheet.xlsx — one sheet, "Sheet1", no cells at all.
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    write("empty-sheet.xlsx", xlsx_bytes(wb))

    # no-header.xlsx — row 1 is "A", "foo", "bar"; rows 2–6 are bare numbers.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["A", "foo", "bar"])
    for i, (_, q, m) in enumerate(PLANT[:5], start=1):
        ws.append([i, q, m])
    write("no-header.xlsx", xlsx_bytes(wb))

    # gbk.csv — control: a valid small warehouse ledger, GBK, CRLF, as Chinese Excel saves CSV.
    lines = ["抄表起止日期,有功电量(kWh),电费(元)"]
    lines += [f"{p},{q},{m:.2f}" for p, q, m in WAREHOUSE_H2]
    write("gbk.csv", ("\r\n".join(lines) + "\r\n").encode("gbk"))

    # demand-kw.xlsx — a long 15-minute export for the main meter on Mon 2024-06-03 whose value
    # column is 功率(kW): average demand, not energy. Values = 4 × the kWh in
    # sample-data/excel/main-meter-96pt-2024-06.xlsx for that day (if that file exists).
    kwh = None
    wide = os.path.join(os.path.dirname(os.path.dirname(HERE)), "sample-data", "excel",
                        "main-meter-96pt-2024-06.xlsx")
    if os.path.exists(wide):
        src = openpyxl.load_workbook(wide, read_only=True)
        for row in src.active.iter_rows(min_row=3, values_only=True):
            if row[0] == dt.datetime(2024, 6, 3):
                kwh = list(row[1:97])
        src.close()
    assert kwh is not None, "run sample-data/excel/make_workbooks.py first"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "负荷曲线"
    for c, h in enumerate(("时间", "表计", "功率(kW)"), start=1):
        ws.cell(row=1, column=c, value=h).font = Font(bold=True)
    for k in range(96):
        t = dt.datetime(2024, 6, 3) + dt.timedelta(minutes=15 * (k + 1))
        ws.cell(row=k + 2, column=1, value=t).number_format = "yyyy-mm-dd hh:mm"
        ws.cell(row=k + 2, column=2, value="主厂区总表")
        ws.cell(row=k + 2, column=3, value=round(kwh[k] * 4, 2)).number_format = "0.00"
    ws.column_dimensions["A"].width = 18
    write("demand-kw.xlsx", xlsx_bytes(wb))

    # interval-problems.xlsx — a long 15-minute export of two meters on 2024-06-05 with one
    # problem of each kind: a gap (M1 08:15-09:00 missing: rows deleted), a duplicate with the
    # same value (M1 10:00 twice), a duplicate that disagrees (M2 10:00: 31.5 vs 35.1), text in
    # a value cell (M2 12:00 "故障"), an unreadable time ("2024-06-05 25:00"), an empty value
    # (M1 13:00), a time off the 15-minute grid (M2 14:07).
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "负荷数据"
    for c, h in enumerate(("采集时间", "计量点", "正向有功电量(kWh)"), start=1):
        ws.cell(row=1, column=c, value=h).font = Font(bold=True)
    r = 2
    day = dt.datetime(2024, 6, 5)
    for k in range(96):
        t = day + dt.timedelta(minutes=15 * (k + 1))
        for meter in ("M1", "M2"):
            value = round(20 + (k % 7) * 1.5 + (3 if meter == "M2" else 0), 2)
            if meter == "M1" and dt.time(8, 15) <= t.time() <= dt.time(9, 0):
                continue
            ws.cell(row=r, column=1, value=t).number_format = "yyyy-mm-dd hh:mm"
            ws.cell(row=r, column=2, value=meter)
            ws.cell(row=r, column=3, value=value).number_format = "0.00"
            if meter == "M1" and t.time() == dt.time(13, 0):
                ws.cell(row=r, column=3).value = None
            if meter == "M2" and t.time() == dt.time(12, 0):
                ws.cell(row=r, column=3, value="故障")
            if meter == "M2" and t.time() == dt.time(14, 0):
                ws.cell(row=r, column=1, value=day + dt.timedelta(hours=14, minutes=7))
            if meter == "M1" and t.time() == dt.time(16, 0):
                ws.cell(row=r, column=1, value="2024-06-05 25:00")
            r += 1
            if t.time() == dt.time(10, 0):
                ws.cell(row=r, column=1, value=t).number_format = "yyyy-mm-dd hh:mm"
                ws.cell(row=r, column=2, value=meter)
                ws.cell(row=r, column=3, value=value if meter == "M1" else 35.1).number_format = "0.00"
                r += 1
    ws.column_dimensions["A"].width = 18
    write("interval-problems.xlsx", xlsx_bytes(wb))

    # register-readings.xlsx — hourly cumulative register readings (表码) of one meter with its
    # multiplier in a title row (倍率：80); the register goes backwards once (row 10: meter
    # replaced, not split).
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表码"
    ws["A1"] = "空压机房分表 户号 3301512846071-02  倍率：80"
    for c, h in enumerate(("抄表时间", "正向有功总示数(kWh)"), start=1):
        ws.cell(row=2, column=c, value=h).font = Font(bold=True)
    reading = 5230.12
    for k in range(24):
        t = dt.datetime(2024, 6, 5) + dt.timedelta(hours=k)
        if k == 8:
            reading = 12.40  # new meter, register starts again
        else:
            reading = round(reading + 0.85 + (k % 5) * 0.07, 2)
        ws.cell(row=3 + k, column=1, value=t).number_format = "yyyy-mm-dd hh:mm"
        ws.cell(row=3 + k, column=2, value=reading).number_format = "0.00"
    ws.column_dimensions["A"].width = 18
    write("register-readings.xlsx", xlsx_bytes(wb))


if __name__ == "__main__":
    main()
