#!/usr/bin/env bash
# Benchmark `lingtan reduction --json` (issue 15: on the 1,000,000-record project over two years
# with 200 measures, at most 1.5 × the time of `lingtan inventory --json` on the same file, same
# run). Both are timed on the reporting year 2025, best of 5 runs each, interleaved so that the
# machine's noise falls on both alike.
# Usage: bench/reduction.sh [RECORDS] [SOURCES] [MEASURES]   (release build expected in target/release)
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
sources=${2:-200}
measures=${3:-200}
work=target/bench
mkdir -p "$work"
bin=target/release/lingtan
project="$work/reduction-${records}-${measures}.lingtan"
if [ ! -f "$project" ]; then
    rm -f "$project"-wal "$project"-shm
    echo "making $project ..."
    /usr/bin/time -f "  made in %e s, peak %M KiB" \
        target/release/examples/bench_project "$project" "$records" "$sources" 2 "$measures"
fi
runs=5
echo "on $records records / $sources sources over 2024-2025, $measures measures, $runs runs each (year 2025):"
best_inv="" best_red="" kib_inv="" kib_red=""
for i in $(seq $runs); do
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" inventory "$project" --year 2025 --json > "$work/inventory.json"
    read -r s k < "$work/time.txt"
    echo "  run $i: inventory --json ${s} s, peak $((k / 1024)) MiB"
    if [ -z "$best_inv" ] || awk "BEGIN{exit !($s < $best_inv)}"; then best_inv=$s; kib_inv=$k; fi
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" reduction "$project" --year 2025 --json > "$work/reduction.json"
    read -r s k < "$work/time.txt"
    echo "  run $i: reduction --json ${s} s, peak $((k / 1024)) MiB"
    if [ -z "$best_red" ] || awk "BEGIN{exit !($s < $best_red)}"; then best_red=$s; kib_red=$k; fi
done
python3 - "$work/reduction.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"  reduction.json: {len(r['measures'])} measures, {len(r['macc'])} on the MACC, "
      f"{len(r['targets'])} targets, decomposition {'yes' if r['decomposition'] else 'no'}, {len(r['issues'])} issues")
PY
echo "best: inventory --json ${best_inv} s ($((kib_inv / 1024)) MiB); reduction --json ${best_red} s ($((kib_red / 1024)) MiB)"
awk "BEGIN{printf \"ratio reduction / inventory: %.2f\n\", $best_red / $best_inv}"
awk "BEGIN{exit !($best_red <= 1.5 * $best_inv)}" && echo "within target (<= 1.5 x inventory)" || echo "OUTSIDE TARGET (<= 1.5 x inventory)"
