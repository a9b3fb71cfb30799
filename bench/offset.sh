#!/usr/bin/env bash
# Benchmark the offset step (issue 16, Speed): on the 1,000,000-record bench project (200
# sources, 2024) with 5,000 green certificates and 20,000 credit blocks added through the
# workbench (crates/lingtan/examples/bench_offset.rs: add_eac one by one, add_credits in bulk),
#   - `lingtan inventory --json` with them at most 1.2 x its time on the same project without;
#   - `lingtan offset --json` at most 1.5 x `lingtan inventory --json` on the same file;
#   - adding one credit among the 20,000 blocks under 50 ms (the overlap check): timed in the
#     process by bench_offset, and end to end as `lingtan credit add` (which also opens the file).
# Release build, best of 5 runs each, interleaved so that the machine's noise falls on all alike.
# Usage: bench/offset.sh [RECORDS] [EACS] [CREDITS]   (release build expected in target/release)
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
eacs=${2:-5000}
credits=${3:-20000}
sources=200
work=target/bench
mkdir -p "$work"
bin=target/release/lingtan
base="$work/offset-base-${records}.lingtan"
with="$work/offset-${records}-${eacs}-${credits}.lingtan"
if [ ! -f "$base" ]; then
    rm -f "$base"-wal "$base"-shm
    echo "making $base ..."
    /usr/bin/time -f "  made in %e s, peak %M KiB" \
        target/release/examples/bench_project "$base" "$records" "$sources"
fi
if [ ! -f "$with" ]; then
    rm -f "$with" "$with"-wal "$with"-shm
    cp "$base" "$with"
    echo "adding $eacs certificates and $credits credit blocks to $with ..."
    /usr/bin/time -f "  added in %e s, peak %M KiB" \
        target/release/examples/bench_offset "$with" "$eacs" "$credits" | tee "$work/offset-add.txt"
fi
runs=5
echo "on $records records / $sources sources (2024), $eacs certificates, $credits credit blocks, $runs runs each:"
best() { # name seconds: keep the smaller in best_<name>
    local v="best_$1"
    if [ -z "${!v}" ] || awk "BEGIN{exit !($2 < ${!v})}"; then printf -v "$v" '%s' "$2"; fi
}
best_base="" best_inv="" best_off="" best_add=""
for i in $(seq $runs); do
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" inventory "$base" --json > "$work/inventory-base.json"
    read -r s k < "$work/time.txt"; best base "$s"
    echo "  run $i: inventory --json without ${s} s ($((k / 1024)) MiB)"
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" inventory "$with" --json > "$work/inventory-with.json"
    read -r s k < "$work/time.txt"; best inv "$s"
    echo "  run $i: inventory --json with    ${s} s ($((k / 1024)) MiB)"
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" offset "$with" --json > "$work/offset.json"
    read -r s k < "$work/time.txt"; best off "$s"
    echo "  run $i: offset --json            ${s} s ($((k / 1024)) MiB)"
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" credit add "$with" --registry verra \
        --serial "19007-$((600000 + i * 1000))-$((600999 + i * 1000))-VCS-VCU-1491-VER-RW-3-4150-01102023-31122023-1" > /dev/null
    read -r s k < "$work/time.txt"; best add "$s"
    echo "  run $i: credit add (CLI)         ${s} s ($((k / 1024)) MiB)"
done
python3 - "$work/offset.json" "$work/inventory-with.json" <<'PY'
import json, sys
o = json.load(open(sys.argv[1]))
inv = json.load(open(sys.argv[2]))
print(f"  offset.json: residual {o['residual_tco2e']} t, certificates used {o['eac']['mwh_used']} MWh, "
      f"credits counted {o['credits']['counted_tco2e']} t, {len(o['issues'])} issues; "
      f"inventory scope 2 market {inv['totals']['scope2_market'] if 'totals' in inv else '?'}")
PY
echo "best: inventory --json without ${best_base} s, with ${best_inv} s; offset --json ${best_off} s; credit add (CLI, opening the file) ${best_add} s"
[ -f "$work/offset-add.txt" ] && cat "$work/offset-add.txt"
awk "BEGIN{printf \"ratio inventory with / without: %.2f\n\", $best_inv / $best_base}"
awk "BEGIN{printf \"ratio offset / inventory: %.2f\n\", $best_off / $best_inv}"
awk "BEGIN{exit !($best_inv <= 1.2 * $best_base)}" && echo "within target (inventory <= 1.2 x without)" || echo "OUTSIDE TARGET (inventory <= 1.2 x without)"
awk "BEGIN{exit !($best_off <= 1.5 * $best_inv)}" && echo "within target (offset <= 1.5 x inventory)" || echo "OUTSIDE TARGET (offset <= 1.5 x inventory)"
