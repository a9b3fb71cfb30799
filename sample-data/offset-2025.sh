#!/usr/bin/env bash
# offset-2025.sh — the offset step (碳抵消) of the sample factory's 2025 story, added to a sample
# project that make-sample.sh has written (it calls this script at its end).
#
# Usage: offset-2025.sh LINGTAN_BIN OUT.lingtan
#
# Through the `lingtan` CLI, as a user would:
#   - imports the 2025 green-electricity certificates (GECs, 绿证) the plant bought, from the
#     Beijing Power Exchange trade-details export offset/gec-trades-2025.xlsx (two purchases from
#     one wind farm, held until retired), for the Anji plant's consumption;
#   - retires (核销) the first purchase for the company with its statement; the second stays held
#     (its checks say it is not counted until retired);
#   - records the certificates of the plant's own rooftop PV (own generation, retired);
#   - records the carbon credits of offset/credits-2025.csv (a CCER block and a Verra VCS block)
#     and retires the CCER block whole and 1,200 t of the Verra block (a partial retirement: the
#     block is split into the retired part and the rest) against the 2025 residual emissions.
# Nothing here touches 2024: the 2024 inventory's figures are unchanged.
#
# The story is told after the year it offsets, as a factory does it: its commands run with the
# clock at 2026-02-20 (LINGTAN_NOW below, whatever the caller's clock), the certificates are
# retired in January 2026 and the credits in February 2026 — after the 2025 period, within the 12
# months ISO 14068-1 and PAS 2060 allow (a retirement in the future of the clock is refused).
#
# EVERYTHING IS FICTIONAL: certificate codes, serials (Verra's grammar, made-up numbers and a
# made-up project 9901), projects, quantities and the statements under offset/.
set -euo pipefail

if [ $# -ne 2 ]; then
    echo "usage: $0 LINGTAN_BIN OUT.lingtan" >&2
    exit 2
fi
bin=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
org="Anji Greenleaf Outdoor Furniture Co., Ltd."

lt() { LINGTAN_NOW=2026-02-20T09:00:00Z "$bin" "$@" >/dev/null; }

# --- Green-electricity certificates (GECs) -------------------------------------------------------
lt eac import "$out" "$here/offset/gec-trades-2025.xlsx" --site "Anji plant"
# record 1: the 1,200 certificates of January 2025, retired for the company
lt eac retire "$out" 1 --date 2026-01-20 --beneficiary "$org" \
    --evidence "$here/offset/gec-retirement-statement-2025.txt"
# record 2 (500 certificates of February 2025) stays held: bought, not yet retired
# the rooftop PV's own certificates (commissioned July 2025; self-generated, retired for the
# company)
lt eac add "$out" --type gec --id 33052300000000001202507000000009 --mwh 40 \
    --from 2025-07 --to 2025-12 --site "Anji plant" --technology solar \
    --plant "Anji plant rooftop PV (sample)" --region 浙江 --acquired own-generation \
    --tradable yes --subsidy no --retired 2026-01-20 --beneficiary "$org" \
    --evidence "$here/offset/pv-gec-retirement-2025.txt"

# --- Carbon credits ------------------------------------------------------------------------------
# offset/credits-2025.csv: registry,serial,qty,project_id,project,methodology,type,vintage,country,
# label (no quoted fields, no commas in values)
{
    IFS= read -r _header
    while IFS=, read -r registry serial qty project_id project methodology type vintage country label \
        || [ -n "$registry" ]; do
        label=${label%$'\r'}
        [ -n "$registry" ] || continue
        args=(credit add "$out" --registry "$registry" --serial "$serial")
        [ -z "$qty" ] || args+=(--qty "$qty")
        [ -z "$project_id" ] || args+=(--project-id "$project_id")
        [ -z "$project" ] || args+=(--project "$project")
        [ -z "$methodology" ] || args+=(--methodology "$methodology")
        [ -z "$type" ] || args+=(--type "$type")
        [ -z "$vintage" ] || args+=(--vintage "$vintage")
        [ -z "$country" ] || args+=(--country "$country")
        [ -z "$label" ] || args+=(--label "$label")
        lt "${args[@]}"
    done
} < "$here/offset/credits-2025.csv"
# block 1 (CCER, 800 t) retired whole; block 2 (Verra, 3,000 t) retired in part: 1,200 t
lt credit retire "$out" 1 --date 2026-02-10 --beneficiary "$org" --for-year 2025 \
    --reason "2025 residual emissions" --evidence "$here/offset/ccer-retirement-2025.txt"
lt credit retire "$out" 2 --date 2026-02-10 --beneficiary "$org" --for-year 2025 --qty 1200 \
    --reason "2025 residual emissions" --evidence "$here/offset/verra-retirement-2025.txt"

echo "offset 2025 added to $out (3 certificate records, 2 credit blocks)"
