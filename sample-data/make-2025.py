#!/usr/bin/env python3
"""make-2025.py — the sample factory's second year (2025), for the reduction story.

Writes, deterministically (fixed seed, fixed zip times; standard library only):
  activity-2025.csv                   the 2025 bills and deliveries, in activity-2024.csv's layout
  excel/pv-inverter-2025-h2.xlsx      the new rooftop PV's inverter export, 15-minute, long format

The story (all fictional): production grows 4 % (182,000 → 189,280 pieces). An LED retrofit of
the workshop lighting is done in March 2025 (420 fixtures, 150 W → 60 W, 4,200 h a year: about
13,230 kWh a month less from 21 March). A 300 kWp rooftop PV array on the new workshop roof is
commissioned on 1 July 2025 (two 150 kWp inverters, INV-A1 and INV-A2); 95 % of what it makes is
used on site and is taken off the plant's grid bills. Gas, LPG, refrigerant and the warehouse's
power are as in 2024; diesel deliveries are those of 2024 a year later; freight follows
production. The plant's first 2025 bill (21 Dec 2024 – 20 Jan 2025) is already in
activity-2024.csv: the 2025 bills start on 21 January 2025, so nothing of 2024 changes; the last
one runs from 21 December 2025 to 20 January 2026.

Usage: python3 make-2025.py   (from anywhere; writes next to itself)
"""
import csv
import datetime as dt
import io
import math
import os
import random
import zipfile
from decimal import ROUND_HALF_UP, Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
GROWTH = Decimal("1.04")
LED_KWH_PER_DAY = Decimal(420 * (150 - 60) * 4200) / 1000 / 365  # ≈ 434.96 kWh a day
LED_FROM = dt.date(2025, 3, 21)
PV_FROM = dt.date(2025, 7, 1)
PV_TO = dt.date(2025, 12, 31)
INVERTERS = [("INV-A1", 150.0), ("INV-A2", 150.0)]
SELF_USE = Decimal("0.95")
ZIP_TIME = (2026, 1, 25, 9, 0, 0)


def q(x, places="0.01"):
    return Decimal(x).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def day(s):
    return dt.date.fromisoformat(s)


def plus_year(d):
    return d.replace(year=d.year + 1)


def pv_series():
    """{day: {inverter: [kWh per 15 min] * 96}} from 1 July to 31 December 2025 (interval-ending)."""
    rng = random.Random(20250701)
    out = {}
    d = PV_FROM
    while d <= PV_TO:
        doy = d.timetuple().tm_yday
        # day length and strength fall from July to December (Anji, 30.6° N)
        daylen = 12.2 + 1.9 * math.cos(2 * math.pi * (doy - 172) / 365)
        noon = 12 * 60 + 5
        rise, sset = noon - daylen * 30, noon + daylen * 30
        strength = 0.78 + 0.22 * math.cos(2 * math.pi * (doy - 172) / 365)
        weather = rng.choices(["S", "P", "O", "R"], weights=[40, 30, 20, 10])[0]
        base = {"S": 0.95, "P": 0.70, "O": 0.32, "R": 0.13}[weather]
        spread = {"S": 0.04, "P": 0.30, "O": 0.15, "R": 0.08}[weather]
        cloud = 0.0
        clear = []
        for k in range(96):
            cloud = 0.7 * cloud + rng.gauss(0, spread)
            clear.append(min(1.05, max(0.05, base + cloud)))
        out[d] = {}
        for n, (name, kwp) in enumerate(INVERTERS):
            series = []
            for k in range(96):
                mid = (k + 1) * 15 - 7.5
                if rise < mid < sset:
                    shape = math.sin(math.pi * (mid - rise) / (sset - rise)) ** 2
                    own = clear[k] * (1 + rng.gauss(0, 0.02))
                    e = kwp * 0.80 * 0.25 * shape * own * strength * (1.0 if n == 0 else 0.99)
                    series.append(max(Decimal("0.00"), q(repr(e))))
                else:
                    series.append(Decimal("0.00"))
            out[d][name] = series
        d += dt.timedelta(days=1)
    return out


def pv_between(pv, a, b):
    """kWh the PV made from day a to day b inclusive."""
    return sum((sum(sum(v) for v in pv[d].values()) for d in pv if a <= d <= b), Decimal(0))


def days_between(a, b, start):
    """Days of [a, b] on or after start."""
    if b < start:
        return 0
    return (b - max(a, start)).days + 1


def activity(pv):
    rows = []
    with open(os.path.join(HERE, "activity-2024.csv"), encoding="utf-8") as f:
        old = list(csv.DictReader(f))
    for r in old:
        src, a, b, qty = r["source"], day(r["from"]), day(r["to"]), Decimal(r["qty"])
        if src.startswith("Grid electricity"):
            if a < dt.date(2024, 1, 21):
                continue  # its 2025 counterpart (21 Dec 2024 – 20 Jan 2025) is already recorded
            a2, b2 = plus_year(a), plus_year(b)
            if src.endswith("plant"):
                kwh = qty * GROWTH - LED_KWH_PER_DAY * days_between(a2, b2, LED_FROM)
                kwh -= pv_between(pv, a2, b2) * SELF_USE
                note = f"State Grid bill {b2:%Y-%m} 户号 3301512846071 (plant)"
            else:
                kwh = qty
                note = f"State Grid bill {b2:%Y-%m} 户号 3301512846159 (warehouse)"
            rows.append((src, a2, b2, q(kwh, "1"), "kWh", note))
        elif src.startswith("Natural gas"):
            a2, b2 = plus_year(a), (plus_year(a + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1))
            rows.append((src, a2, b2, qty, "m3", f"Anji gas statement {a2:%Y-%m} 用户号 AJ-GY-008413"))
        elif src.startswith("Diesel"):
            a2 = plus_year(a)
            rows.append((src, a2, a2, qty, "L", f"Diesel delivery into site tank {a2:%Y-%m-%d}"))
        elif src.startswith("LPG"):
            a2 = plus_year(a)
            rows.append((src, a2, a2, qty, "kg", f"LPG delivery {a2:%Y-%m-%d}"))
        elif src.startswith("R-410A"):
            a2 = plus_year(a)
            rows.append((src, a2, a2, qty, "kg", f"Split AC service top-up {a2:%Y-%m-%d}"))
        elif src.startswith("Inbound freight"):
            a2, b2 = plus_year(a), plus_year(b)
            rows.append((src, a2, b2, q(qty * GROWTH, "0.1"), "t.km", f"Carrier statement {a2:%Y}-Q{(a2.month - 1) // 3 + 1}"))
    out = io.StringIO()
    out.write("source,from,to,qty,unit,note,evidence\n")
    for src, a, b, qty, unit, note in rows:
        out.write(f"{src},{a},{b},{qty.normalize():f},{unit},{note},\n")
    with open(os.path.join(HERE, "activity-2025.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(out.getvalue())
    return len(rows)


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xlsx(pv, path):
    """A minimal .xlsx as an inverter portal exports it: a title row, the header, then one row
    per inverter and quarter hour (interval-ending datetimes, kWh with two decimals)."""
    epoch = dt.datetime(1899, 12, 30)
    rows = []
    title = "电站报表 / Plant report：绿叶二期屋顶光伏 300 kWp（逆变器 INV-A1、INV-A2）  统计粒度：15分钟"
    rows.append(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{xml_escape(title)}</t></is></c></row>')
    head = ["统计时间", "设备名称", "发电量(kWh)"]
    cells = "".join(f'<c r="{c}2" t="inlineStr" s="1"><is><t>{h}</t></is></c>' for c, h in zip("ABC", head))
    rows.append(f'<row r="2">{cells}</row>')
    r = 3
    for d in sorted(pv):
        for k in range(96):
            t = dt.datetime(d.year, d.month, d.day) + dt.timedelta(minutes=15 * (k + 1))
            serial = (t - epoch).total_seconds() / 86400
            for name, _ in INVERTERS:
                v = pv[d][name][k]
                rows.append(
                    f'<row r="{r}"><c r="A{r}" s="2"><v>{serial!r}</v></c>'
                    f'<c r="B{r}" t="inlineStr"><is><t>{name}</t></is></c>'
                    f'<c r="C{r}" s="3"><v>{v}</v></c></row>'
                )
                r += 1
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<cols><col min="1" max="1" width="18" customWidth="1"/><col min="3" max="3" width="13" customWidth="1"/></cols>'
        f'<sheetData>{"".join(rows)}</sheetData></worksheet>'
    )
    styles = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        '</styleSheet>'
    )
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="发电量明细" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": styles,
        "xl/worksheets/sheet1.xml": sheet,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))
    return r - 3


def main():
    pv = pv_series()
    n = activity(pv)
    rows = xlsx(pv, os.path.join(HERE, "excel", "pv-inverter-2025-h2.xlsx"))
    total = pv_between(pv, PV_FROM, PV_TO)
    print(f"activity-2025.csv: {n} rows; pv-inverter-2025-h2.xlsx: {rows} rows, {total} kWh made")


if __name__ == "__main__":
    main()
