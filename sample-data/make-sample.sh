#!/usr/bin/env bash
# make-sample.sh — build the Lingtan sample project: a fictional outdoor-furniture plant in
# Anji (安吉), Huzhou, Zhejiang, inventory year 2024, on the East China grid; and its reduction
# story in 2025 (output, a 2030 target, an LED retrofit, rooftop PV metered by its inverters, a
# heat pump planned, an electric-forklift idea).
#
# Usage: make-sample.sh LINGTAN_BIN OUT.lingtan
#
# Everything goes through the `lingtan` CLI, so the sample exercises the same path a user takes.
# Organisation, sites, sources and the one user-defined factor are set up below by hand; the
# activity rows are read from activity-2024.csv next to this script, and each row points at the
# clerk's stand-in record under evidence/; the 2025 rows from activity-2025.csv and the PV
# inverters' export from excel/pv-inverter-2025-h2.xlsx (both made by make-2025.py). The
# inventory year stays 2024: its figures are those of the 2024-only sample. All names, numbers
# and documents are fictional.
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
# the rooftop PV commissioned in July 2025: holds the kWh the inverters made (emits nothing)
lt source add "$out" "Rooftop PV" --site "Anji plant" --kind onsite-generation --unit kWh

# --- Activity ----------------------------------------------------------------------------------
# activity-2024.csv: source,from,to,qty,unit,note,evidence (no quoted fields, no commas in values;
# evidence is relative to this directory).
n=0
add_rows() {
    local source from to qty unit note evidence
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
    } < "$1"
}
add_rows "$here/activity-2024.csv"
add_rows "$here/activity-2025.csv"

# --- Reduction (碳减排) -------------------------------------------------------------------------
# the PV inverters' 15-minute export (2025-07 to 2025-12), imported as the PV source's meter
lt import "$out" "$here/excel/pv-inverter-2025-h2.xlsx" --source "Rooftop PV"
# output: pieces made, and value added in 万元 (10,000 CNY)
lt output add "$out" --metric product --year 2024 --qty 182000 --unit pcs
lt output add "$out" --metric product --year 2025 --qty 189280 --unit pcs
lt output add "$out" --metric value-added --year 2024 --qty 3860 --unit 万元
lt output add "$out" --metric value-added --year 2025 --qty 4020 --unit 万元
# a near-term target in line with the SBTi SME route: −42 % of scope 1+2 (market) by 2030
lt target add "$out" "Scope 1+2 −42 % by 2030" --scopes 1+2 --base-year 2024 --target-year 2030 \
    --reduction 42
# energy prices (the bills in the sample carry no cost), the discount rate, a carbon price
lt project set "$out" --price "Grid electricity - plant=0.735/kWh" \
    --price "Grid electricity - warehouse=0.78/kWh" --price "Natural gas - curing oven=3.96/m3" \
    --price "Diesel - forklifts=7.6/L" --discount-rate 8 --carbon-price 80
lt measure add "$out" "LED retrofit, workshops" --kind led --fixtures 420 --watts-old 150 \
    --watts-new 60 --hours 4200 --capex 189000 --status done --start 2025-03 \
    --electricity-source "Grid electricity - plant"
lt measure add "$out" "Rooftop PV 300 kWp" --kind pv-rooftop --kwp 300 --yield 1000 \
    --self-consumption 95 --capex 1050000 --opex 6000 --lifetime 25 --status done \
    --start 2025-07 --meter "Rooftop PV" --electricity-source "Grid electricity - plant"
lt measure add "$out" "Heat pump for the curing oven" --kind heat-pump \
    --change "Natural gas - curing oven=-120000 m3" --change "Grid electricity - plant=390000 kWh" \
    --capex 1600000 --opex 20000 --status planned --start 2026-06
lt measure add "$out" "Electric forklifts" --kind electric-forklift --diesel 14000 --kwh 35000 \
    --fuel-source "Diesel - forklifts" --electricity-source "Grid electricity - plant" \
    --capex 480000 --status idea

# the offset step's 2025 story: green-electricity certificates and carbon credits
bash "$here/offset-2025.sh" "$bin" "$out" >/dev/null
# the certification step: 2025 claimed carbon neutral under ISO 14068-1 (the clock of March 2026)
bash "$here/claim-2025.sh" "$bin" "$out" >/dev/null

echo "sample project written to $out ($n activity rows, reduction, offset and claim story to 2025)"
