#!/usr/bin/env bash
# Benchmark `lingtan import` on a year of 15-minute data from 20 meters: 700,800 rows, long
# format, written as .xlsx by LibreOffice Calc (a real spreadsheet application) from the CSV that
# bench/make_meter_export.py writes. Target (issue 3): read, validated and stored in at most 1.5 s
# with peak memory at most 100 MiB.
# In the same run, on the same file, what a practitioner would use instead:
#   - pandas.read_excel (openpyxl engine) + group-by per meter and month
#   - python-calamine: read the sheet and sum per meter and month
# (installed into target/bench/venv with pip; skipped with a note when they cannot be installed).
# Usage: bench/import.sh   (release build expected in target/release)
#   BASELINE=path/to/an/older/lingtan bench/import.sh: time that binary too, run for run
#   interleaved with this one on the same file (before/after a change, in the same run)
#   SKIP_PYTHON=1: leave out the python comparisons; RUNS=N: N runs instead of 5
set -euo pipefail
cd "$(dirname "$0")/.."
work=target/bench
mkdir -p "$work"
xlsx="$work/meters-2023.xlsx"
bin=target/release/lingtan
export LINGTAN_NOW=2025-04-01T09:00:00Z

if [ ! -f "$xlsx" ]; then
    command -v soffice >/dev/null || {
        echo "installing LibreOffice Calc (headless) to write the benchmark workbook"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui
    }
    python3 bench/make_meter_export.py "$work/meters-2023.csv"
    echo "LibreOffice Calc: meters-2023.csv -> meters-2023.xlsx ..."
    (cd "$work" && soffice --headless --calc --infilter="CSV:44,34,76,1" \
        --convert-to xlsx:"Calc MS Excel 2007 XML" meters-2023.csv >/dev/null 2>&1)
fi
echo "file: $xlsx ($(du -m "$xlsx" | cut -f1) MiB; sheet XML $(unzip -l "$xlsx" xl/worksheets/sheet1.xml | awk 'NR==4{printf "%d", $1/1048576}') MiB)"

# an empty project with one source to import into
empty="$work/import-empty.lingtan"
rm -f "$empty" "$empty"-wal "$empty"-shm
"$bin" new "$empty" --org Bench --year 2023 >/dev/null
"$bin" site add "$empty" plant --grid CN-East >/dev/null
"$bin" source add "$empty" meters --site plant --kind electricity --unit kWh >/dev/null

runs=${RUNS:-5}
baseline=${BASELINE:-}
echo "lingtan import (read, validate, store; fresh project each run), $runs runs${baseline:+, each followed by the baseline $baseline}:"
best=""
base_best=""
for i in $(seq $runs); do
    # alternate which goes first, so neither always runs on a cache the other warmed
    order="this ${baseline:+baseline}"
    [ -n "$baseline" ] && [ $((i % 2)) -eq 0 ] && order="baseline this"
    for which in $order; do
        exe=$bin
        [ "$which" = baseline ] && exe=$baseline
        run="$work/import-run.lingtan"
        rm -f "$run" "$run"-wal "$run"-shm
        cp "$empty" "$run"
        /usr/bin/time -f "%e %M" -o "$work/time.txt" "$exe" import "$run" "$xlsx" --source meters --json > "$work/import-$which.json"
        read -r secs kib < "$work/time.txt"
        echo "  run $i ($which): ${secs} s, peak $((kib / 1024)) MiB"
        if [ "$which" = baseline ]; then
            if [ -z "$base_best" ] || awk "BEGIN{exit !($secs < $base_best)}"; then base_best=$secs; base_kib=$kib; fi
        elif [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; best_kib=$kib; fi
    done
done
cp "$work/import-this.json" "$work/import.json"
if [ -n "$baseline" ]; then
    echo "  best: this ${best} s, peak $((best_kib / 1024)) MiB; baseline ${base_best} s, peak $((base_kib / 1024)) MiB"
    python3 -c "import json; a=json.load(open('$work/import-this.json')); b=json.load(open('$work/import-baseline.json')); print('  same totals:', a['totals']==b['totals'], a['totals'])"
fi
python3 -c "import json,sys; r=json.load(open('$work/import.json')); print('  accepted', r['rows']['accepted'], 'readings;', len(r['months']), 'months; batch', r['batch'])"

# the bare cell stream, for reference (calamine in Rust, no conversion)
if [ -x target/release/examples/read_cells ]; then
    target/release/examples/read_cells "$xlsx" | sed 's/^/  reference: /'
fi

# the practitioner's tools, in a venv of their own
venv="$work/venv"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-venv && python3 -m venv "$venv"; }
fi
"$venv/bin/pip" install -q pandas openpyxl python-calamine >/dev/null 2>&1 || echo "  (pip install failed: python comparisons skipped)"
cat > "$work/compare.py" <<'PY'
import sys, time
which, path = sys.argv[1], sys.argv[2]
t = time.perf_counter()
if which == "pandas":
    import pandas as pd
    t = time.perf_counter()
    df = pd.read_excel(path, engine="openpyxl")
    df.columns = ["time", "meter", "kwh"]
    # interval-ending stamps: the reading at 00:00 belongs to the quarter hour before
    month = (df["time"] - pd.Timedelta(minutes=15)).dt.to_period("M")
    out = df.groupby([df["meter"], month])["kwh"].sum()
    n = len(out)
else:
    from python_calamine import CalamineWorkbook
    t = time.perf_counter()
    rows = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
    import datetime as dt
    q = dt.timedelta(minutes=15)
    sums = {}
    for ts, meter, kwh in rows[1:]:
        start = ts - q
        key = (meter, start.year, start.month)
        sums[key] = sums.get(key, 0.0) + kwh
    n = len(sums)
print(f"{time.perf_counter() - t:.3f} {n}")
PY
compare() {
    local which=$1 label=$2 best_c=""
    for i in $(seq "$3"); do
        if ! /usr/bin/time -f "%e %M" -o "$work/time.txt" "$venv/bin/python" "$work/compare.py" "$which" "$xlsx" > "$work/compare.txt" 2>"$work/compare.err"; then
            echo "  $label: failed ($(tail -1 "$work/compare.err"))"; return
        fi
        read -r inproc groups < "$work/compare.txt"
        read -r wall kib < "$work/time.txt"
        echo "  $label run $i: ${inproc} s (in process, after imports; ${wall} s with interpreter start), peak $((kib / 1024)) MiB, $groups meter-months"
        if [ -z "$best_c" ] || awk "BEGIN{exit !($inproc < $best_c)}"; then best_c=$inproc; fi
    done
    awk "BEGIN{printf \"  %s best %.2f s: lingtan is %.1fx faster\n\", \"$label\", $best_c, $best_c / $best}"
}
if [ -z "${SKIP_PYTHON:-}" ] && [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import pandas, openpyxl, python_calamine" 2>/dev/null; then
    echo "python-calamine (read the sheet, sum per meter and month), 3 runs:"
    compare calamine "python-calamine" 3
    echo "pandas.read_excel(engine=openpyxl) + group-by per meter and month, 1 run:"
    compare pandas "pandas+openpyxl" 1
fi
echo "best lingtan import: ${best} s, peak $((best_kib / 1024)) MiB"
awk "BEGIN{exit !($best <= 1.5 && $best_kib <= 100*1024)}" && echo "within target (<= 1.5 s, <= 100 MiB)" || echo "OUTSIDE TARGET (<= 1.5 s, <= 100 MiB)"
