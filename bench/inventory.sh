#!/usr/bin/env bash
# Benchmark `lingtan inventory` on a project with 1,000,000 activity records over 200 sources
# (issue: at most 2 s end to end, peak memory at most 500 MiB), against a baseline measured in
# the same run on the same file: a Python script that reads the same rows with sqlite3 and sums
# them per source with floats — what a practitioner would write, doing far less (no factors,
# no pro-rating, no decimals, no checks).
# Usage: bench/inventory.sh [RECORDS] [SOURCES]   (release build expected in target/release)
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
sources=${2:-200}
work=target/bench
mkdir -p "$work"
project="$work/inventory-${records}.lingtan"
if [ ! -f "$project" ]; then
    rm -f "$project"-wal "$project"-shm
    echo "making $project ..."
    /usr/bin/time -f "  made in %e s, peak %M KiB" target/release/examples/bench_project "$project" "$records" "$sources"
fi
runs=5
echo "lingtan inventory --json on $records records / $sources sources, $runs runs:"
best=""
for i in $(seq $runs); do
    /usr/bin/time -f "%e %M" -o "$work/time.txt" target/release/lingtan inventory "$project" --json > "$work/inventory.json"
    read -r secs kib < "$work/time.txt"
    echo "  run $i: ${secs} s, peak $((kib / 1024)) MiB"
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; best_kib=$kib; fi
done
python3 - "$project" > "$work/baseline.txt" <<'PY'
import sqlite3, sys, time
t = time.perf_counter()
con = sqlite3.connect(sys.argv[1])
totals = {}
for source_id, qty in con.execute("SELECT source_id, quantity FROM activity NOT INDEXED WHERE status = 'current' AND period_from <= '2024-12-31' AND period_to >= '2024-01-01'"):
    totals[source_id] = totals.get(source_id, 0.0) + float(qty)
print(f"{time.perf_counter() - t:.3f}")
PY
baseline=$(cat "$work/baseline.txt")
echo "best: ${best} s, peak $((best_kib / 1024)) MiB; baseline (python sqlite3 + float sum per source, same file): ${baseline} s"
awk "BEGIN{printf \"ratio lingtan / baseline: %.2f\n\", $best / $baseline}"
awk "BEGIN{exit !($best <= 2.0 && $best_kib <= 500*1024)}" && echo "within target (<= 2 s, <= 500 MiB)" || echo "OUTSIDE TARGET (<= 2 s, <= 500 MiB)"
