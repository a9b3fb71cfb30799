#!/usr/bin/env bash
# Hostile workbooks (issue 12, items 4 and 5): four zip bombs of about 5 MB whose sheet, shared
# strings, styles or .ods content inflates to 5 GiB, and a sheet with a 256 MiB run of whitespace
# between its rows (bench/make_hostile_workbooks.py writes them). Each is given to
# `lingtan import --dry-run`; the bombs must be refused in seconds naming the part, the
# whitespace sheet read in seconds, all within a few hundred MiB.
# With OLD=path/to/another/lingtan, the same files are given to that binary too (bounded: killed
# after 60 s, address space 4 GiB), for a before/after table.
# Usage: bench/readers.sh   (release build expected in target/release)
set -uo pipefail
cd "$(dirname "$0")/.."
work=target/bench/hostile
mkdir -p "$work"
bin=target/release/lingtan
export LINGTAN_NOW=2025-04-01T09:00:00Z LINGTAN_LANG=en

if [ ! -f "$work/spaces-256.xlsx" ]; then
    python3 bench/make_hostile_workbooks.py "$work"
fi
project="$work/p.lingtan"
rm -f "$project" "$project"-wal "$project"-shm
"$bin" new "$project" --org Bench --year 2024 >/dev/null
"$bin" site add "$project" plant --grid CN-East >/dev/null
"$bin" source add "$project" grid --site plant --kind electricity --unit kWh >/dev/null

run() { # binary label file
    local b=$1 label=$2 f=$3 out="$work/out.txt"
    local size
    size=$(du -k "$f" | cut -f1)
    /usr/bin/time -f "%e %M" -o "$work/time.txt" bash -c "ulimit -v $((4 << 20)); exec timeout 60 \"$b\" import \"$project\" \"$f\" --source grid --dry-run" > "$out" 2>&1
    local code=$?
    read -r secs kib < <(tail -1 "$work/time.txt")
    local said
    said=$(grep -o -m1 -E '\[(ZIP_[A-Z_]+|SHEET_TOO_LARGE|FILE_DAMAGED|CELL_TOO_LONG)\][^;]*' "$out" | cut -c1-110)
    [ -z "$said" ] && said=$(grep -o -m1 -E 'total [0-9,.]+ kWh' "$out")
    [ "$code" = 124 ] && said="killed after 60 s"
    printf "  %-8s %-18s %6s KiB  exit %-3s %6s s  %5s MiB  %s\n" "$label" "$(basename "$f")" "$size" "$code" "$secs" "$((kib / 1024))" "$said"
}

echo "lingtan import --dry-run on hostile workbooks (wall time, peak RSS):"
for f in "$work"/bomb-sheet.xlsx "$work"/bomb-strings.xlsx "$work"/bomb-styles.xlsx "$work"/bomb-content.ods "$work"/spaces-256.xlsx; do
    run "$bin" now "$f"
    if [ -n "${OLD:-}" ]; then
        run "$OLD" before "$f"
    fi
done
