#!/usr/bin/env bash
# Benchmark `lingtan report --pdf --xlsx` (issue: the sample factory in at most 1 s; a project with
# 100,000 activity records in at most 10 s at no more than 300 MiB; the sample PDF under 1 MiB).
# Baselines measured in the same run on the same files: `lingtan inventory --json` (the
# calculation alone) and the report as plain text (calculation + data gathering + document, no
# files), so the cost of the PDF and the workbook themselves shows.
# Usage: bench/report.sh [RECORDS] [SOURCES]   (release build and target/sample expected)
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-100000}
sources=${2:-50}
work=target/bench
mkdir -p "$work"
bin=target/release/lingtan
sample=target/sample/sample.lingtan
big="$work/report-${records}.lingtan"
if [ ! -f "$big" ]; then
    rm -f "$big"-wal "$big"-shm
    echo "making $big ..."
    /usr/bin/time -f "  made in %e s, peak %M KiB" target/release/examples/bench_project "$big" "$records" "$sources"
fi
runs=5
# best of $runs: prints "seconds kib"
best() {
    local b="" bk=""
    for _ in $(seq $runs); do
        /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > /dev/null
        read -r s k < "$work/time.txt"
        if [ -z "$b" ] || awk "BEGIN{exit !($s < $b)}"; then b=$s; bk=$k; fi
    done
    echo "$b $bk"
}
fail=0
for project in "$sample" "$big"; do
    name=$(basename "$project")
    read -r inv_s inv_k < <(best "$bin" inventory "$project" --json)
    read -r txt_s txt_k < <(best "$bin" report "$project" --lang zh+en)
    read -r all_s all_k < <(best "$bin" report "$project" --lang zh+en --pdf "$work/r.pdf" --xlsx "$work/r.xlsx")
    pdf=$(stat -c %s "$work/r.pdf"); xlsx=$(stat -c %s "$work/r.xlsx")
    pages=$(pdfinfo "$work/r.pdf" 2>/dev/null | awk '/^Pages:/{print $2}')
    echo "$name (best of $runs, zh+en):"
    echo "  inventory --json (baseline):   ${inv_s} s, peak $((inv_k / 1024)) MiB"
    echo "  report as text (baseline):     ${txt_s} s, peak $((txt_k / 1024)) MiB"
    echo "  report --pdf --xlsx:           ${all_s} s, peak $((all_k / 1024)) MiB; PDF ${pdf} bytes, ${pages:-?} pages; XLSX ${xlsx} bytes"
    if [ "$project" = "$sample" ]; then
        awk "BEGIN{exit !($all_s <= 1.0 && $pdf < 1048576)}" && echo "  within target (<= 1 s, PDF < 1 MiB)" || { echo "  OUTSIDE TARGET (<= 1 s, PDF < 1 MiB)"; fail=1; }
    else
        awk "BEGIN{exit !($all_s <= 10.0 && $all_k <= 300*1024)}" && echo "  within target (<= 10 s, <= 300 MiB)" || { echo "  OUTSIDE TARGET (<= 10 s, <= 300 MiB)"; fail=1; }
    fi
done
exit $fail
