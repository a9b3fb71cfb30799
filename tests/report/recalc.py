#!/usr/bin/env python3
"""Recalculate a Lingtan workbook in LibreOffice and compare with the app's figures.

Usage: recalc.py WORKBOOK.xlsx WORKDIR

Every formula cell of the workbook carries the app's own result as its cached value. This script
replaces every cached value with 0, has LibreOffice Calc (headless, set to recalculate OOXML files
on load) load the poisoned copy and export every sheet as CSV with full precision, and checks
that each formula cell recalculated to the app's value (relative difference at most 1e-9: the app
computes in exact decimals, Calc in doubles). Exit 0 when all match; otherwise print the cells
that differ and exit 1. Needs soffice (Debian: libreoffice-calc-nogui).
"""
import csv
import os
import re
import shutil
import subprocess
import sys
import zipfile

NS = re.compile(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"')
REL = re.compile(r'<Relationship [^>]*Id="([^"]+)"[^>]*Target="([^"]+)"')
CELL = re.compile(r'<c r="([A-Z]+)([0-9]+)"[^>]*><f>([^<]*)</f><v>([^<]*)</v></c>')


def col_index(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def unescape(s):
    return s.replace("&apos;", "'").replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def main():
    book, work = sys.argv[1], sys.argv[2]
    if shutil.which("soffice") is None:
        print("soffice not found: install LibreOffice Calc (apt-get install libreoffice-calc-nogui) or run `make test`")
        return 2
    os.makedirs(work, exist_ok=True)
    src = zipfile.ZipFile(book)
    rels = dict(REL.findall(src.read("xl/_rels/workbook.xml.rels").decode()))
    sheets = {}  # part -> sheet name
    for name, rid in NS.findall(src.read("xl/workbook.xml").decode()):
        sheets["xl/" + rels[rid]] = unescape(name)
    expected = {}  # (sheet, row, col) -> (formula, value)
    poisoned = os.path.join(work, "poisoned.xlsx")
    with zipfile.ZipFile(poisoned, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename in sheets:
                text = data.decode()
                for letters, row, formula, value in CELL.findall(text):
                    expected[(sheets[item.filename], int(row) - 1, col_index(letters))] = (unescape(formula), float(value))
                text = re.sub(r"(<f>[^<]*</f><v>)[^<]*(</v>)", r"\g<1>0\g<2>", text)
                data = text.encode()
            out.writestr(item, data)
    profile = os.path.join(work, "profile", "user")
    os.makedirs(profile, exist_ok=True)
    with open(os.path.join(profile, "registrymodifications.xcu"), "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
                '<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>\n'
                '</oor:items>\n')
    outdir = os.path.join(work, "csv")
    shutil.rmtree(outdir, ignore_errors=True)
    # 44 comma, 34 quote, 76 UTF-8, 9th token false: full precision, 12th -1: every sheet
    subprocess.run(["soffice", "-env:UserInstallation=file://" + os.path.abspath(os.path.join(work, "profile")),
                    "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                    "--outdir", outdir, poisoned], check=True, capture_output=True, timeout=300)
    grids = {}
    for name in set(s for s, _, _ in expected):
        path = os.path.join(outdir, "poisoned-%s.csv" % name)
        with open(path, newline="", encoding="utf-8") as f:
            grids[name] = list(csv.reader(f))
    bad = []
    for (sheet, r, c), (formula, want) in sorted(expected.items()):
        try:
            got = float(grids[sheet][r][c])
        except (IndexError, ValueError) as e:
            bad.append("%s!%s%d =%s: no number after recalculation (%s)" % (sheet, chr(65 + c), r + 1, formula, e))
            continue
        if abs(got - want) > 1e-9 * max(1.0, abs(want)):
            bad.append("%s!%s%d =%s: LibreOffice %r, app %r" % (sheet, chr(65 + c), r + 1, formula, got, want))
    print("%d formula cells recalculated by LibreOffice, %d differ from the app" % (len(expected), len(bad)))
    per_sheet = {}
    for (sheet, _, _) in expected:
        per_sheet[sheet] = per_sheet.get(sheet, 0) + 1
    # which sheets were recalculated: a caller can require a sheet's formulas to be among them
    print("formula cells per sheet: " + "; ".join("%s %d" % (k, v) for k, v in sorted(per_sheet.items())))
    for line in bad[:40]:
        print("  " + line)
    return 1 if bad or not expected else 0


if __name__ == "__main__":
    sys.exit(main())
