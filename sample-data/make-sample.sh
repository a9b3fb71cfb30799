#!/usr/bin/env bash
# make-sample.sh — build the Lingtan sample project: a fictional outdoor-furniture plant in
# Anji (安吉), Huzhou, Zhejiang, inventory year 2024, on the East China grid.
#
# Usage: make-sample.sh LINGTAN_BIN OUT.lingtan
#
# Everything goes through the `lingtan` CLI, so the sample exercises the same path a user takes.
# Organisation, sites, sources and the one user-defined factor are set up below by hand; the
# activity rows are read from activity-2024.csv next to this script, and each row points at the
# clerk's stand-in record under evidence/. All names, numbers and documents are fictional.
set -euo pipefail

if [ $# -ne 2 ]; then
    echo "usage: $0 LINGTAN_BIN OUT.lingtan" >&2
    exit 2
fi
bin=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)

if ! command -v -- "$bin" >/dev/null 2>&1; then
    echo "make-sample.sh: lingtan binary not found or not executable: $bin" >&2
    exit 2
fi

# Start from nothing: the project file and SQLite's WAL side files.
rm -f -- "$out" "$out-wal" "$out-shm"

lt() { "$bin" "$@" >/dev/null; }

# --- Organisation ------------------------------------------------------------------------------
lt new "$out" \
    --org "Anji Greenleaf Outdoor Furniture Co., Ltd." \
    --org-zh "安吉绿叶户外家具有限公司" \
    --year 2024 --base-year 2024 --gwp AR6 \
    --boundary operational-control
# who prepared the report, and the date it carries (never the clock)
lt project set "$out" --prepared-by "EHS Dept. 环境健康安全部 (Wang Li 王丽)" --report-date 2025-03-31

# --- Sites -------------------------------------------------------------------------------------
lt site add "$out" "Anji plant" --grid CN-East \
    --address "浙江省湖州市安吉县经济开发区绿叶路88号 / No. 88 Lvye Road, Anji Economic Development Zone, Huzhou, Zhejiang"
lt site add "$out" "Dipu warehouse" --grid CN-East \
    --address "浙江省湖州市安吉县递铺街道竹乡北路216号 / No. 216 Zhuxiang North Road, Dipu, Anji, Huzhou, Zhejiang"

# --- User-defined factor (scope 3) -------------------------------------------------------------
lt factor add "$out" SAMPLE-FREIGHT-HGV --unit t.km --co2e 0.107 \
    --name "Road freight, heavy goods vehicle, average laden (sample)" \
    --dataset "Lingtan sample (illustrative)" --year 2024 \
    --citation "Illustrative value for the Lingtan sample only: 0.107 kg CO2e per tonne-km, chosen to be of the order of the UK DESNZ (ex-DEFRA) 2024 greenhouse gas conversion factors, Freighting goods, HGV (all diesel), All HGVs, average laden, per tonne.km. NOT checked against the DESNZ 2024 file: unverified, do not use for real reporting."

# --- Sources -----------------------------------------------------------------------------------
lt source add "$out" "Grid electricity - plant" --site "Anji plant" \
    --kind electricity --unit kWh --uncertainty 2
lt source add "$out" "Grid electricity - warehouse" --site "Dipu warehouse" \
    --kind electricity --unit kWh --uncertainty 2
lt source add "$out" "Natural gas - curing oven" --site "Anji plant" \
    --kind stationary-combustion --fuel natural-gas --unit m3 --uncertainty 3
lt source add "$out" "Diesel - forklifts" --site "Anji plant" \
    --kind mobile-combustion --fuel diesel --unit L --uncertainty 5
lt source add "$out" "LPG - canteen" --site "Anji plant" \
    --kind stationary-combustion --fuel lpg --unit kg --uncertainty 5
lt source add "$out" "R-410A - split AC" --site "Anji plant" \
    --kind fugitive --fuel R-410A --unit kg --uncertainty 10
lt source add "$out" "Inbound freight - aluminium" --site "Anji plant" \
    --kind scope3-4 --factor SAMPLE-FREIGHT-HGV --unit t.km --uncertainty 30
lt source add "$out" "Inbound freight - timber" --site "Anji plant" \
    --kind scope3-4 --factor SAMPLE-FREIGHT-HGV --unit t.km --uncertainty 30

# --- Activity ----------------------------------------------------------------------------------
# activity-2024.csv: source,from,to,qty,unit,note,evidence (no quoted fields, no commas in values;
# evidence is relative to this directory).
n=0
{
    IFS= read -r _header
    while IFS=, read -r source from to qty unit note evidence || [ -n "$source" ]; do
        evidence=${evidence%$'\r'}
        [ -n "$source" ] || continue
        args=(activity add "$out" --source "$source" --from "$from" --to "$to"
              --qty "$qty" --unit "$unit")
        [ -z "$note" ] || args+=(--note "$note")
        [ -z "$evidence" ] || args+=(--evidence "$here/$evidence")
        lt "${args[@]}"
        n=$((n + 1))
    done
} < "$here/activity-2024.csv"

echo "sample project written to $out ($n activity rows)"
