#!/usr/bin/env bash
# claim-2025.sh — the certification step (零碳认证) of the sample factory's 2025 story, added to a
# sample project that make-sample.sh has written (it calls this script at its end, after
# offset-2025.sh).
#
# Usage: claim-2025.sh LINGTAN_BIN OUT.lingtan
#
# The claim is made in March 2026, after the period: every command here runs with the clock at
# 2026-03-20 (LINGTAN_NOW), since a claim covers a period that is over and a statement is dated
# when it is made. Through the `lingtan` CLI, as a user would:
#   - attaches the clerk's 2025 ledgers (evidence/*-2025.csv, stand-ins derived from
#     activity-2025.csv) to the 2025 records, which were recorded without them: each becomes a
#     corrected version with the reason (the verifier samples figures back to their evidence);
#   - states what ISO 14068-1's statement needs beyond the data: the statement date, third-party
#     verification and its body, the senior representative, where it is published, the plan's
#     last review — so that `lingtan claim SAMPLE --framework iso14068-1 --year 2025` passes;
#   - states the same for PAS 2060 as a renewal (not the first claimed period), with the QES's
#     subject rationale and activities, so that its check shows what a second period needs (a
#     reduction against the previous period) and what the sample lacks for it: the inbound
#     freight, two scope 3 sources above 1 % of the footprint, is outside the subject. The checks
#     say how to fix it — `lingtan claim subject OUT --framework pas2060 --source "Inbound
#     freight - timber" --include` (and the same for aluminium); a source above 1 % cannot be
#     excluded, even with a reason. The sample leaves that decision to the consultant.
# Nothing here changes a figure of 2024 or 2025.
#
# EVERYTHING IS FICTIONAL: the verifier, the people, the dates and the ledgers.
set -euo pipefail

if [ $# -ne 2 ]; then
    echo "usage: $0 LINGTAN_BIN OUT.lingtan" >&2
    exit 2
fi
bin=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
export LINGTAN_NOW=2026-03-20T09:00:00Z

lt() { "$bin" "$@" >/dev/null </dev/null; }

# --- Evidence for the 2025 records ---------------------------------------------------------------
# `activity list` prints "#ID vN<TAB>source<TAB>from..to<TAB>…": every record of 2025 (bills from
# 21 January 2025 on; the PV's imported rows keep their import file) gets its ledger.
"$bin" activity list "$out" | while IFS=$'\t' read -r idv source period _rest; do
    id=${idv%% *}
    id=${id#\#}
    case "${period%%..*}" in 2025-*) ;; *) continue ;; esac
    case "$source" in
        "Grid electricity"*) file=electricity-ledger-2025.csv ;;
        "Natural gas"*) file=gas-statements-2025.csv ;;
        "Diesel"*) file=diesel-purchases-2025.csv ;;
        "LPG"*) file=lpg-purchases-2025.csv ;;
        "R-410A"*) file=refrigerant-service-2025.csv ;;
        "Inbound freight"*) file=freight-tkm-2025.csv ;;
        *) continue ;;
    esac
    lt activity correct "$out" "$id" --evidence "$here/evidence/$file" \
        --reason "attach the 2025 ledger for the claim's verification"
done

# --- ISO 14068-1:2023: carbon neutral for 2025 ----------------------------------------------------
lt claim set "$out" --framework iso14068-1 --statement-date 2026-03-18 \
    --validation third-party --verifier "Fictional Verification Co. (sample)" \
    --senior "Chen Ming 陈明, General Manager 总经理" \
    --subject "Anji Greenleaf's Anji plant and Dipu warehouse (scope 1 and 2)" \
    --published-at "https://example.com/anji-greenleaf/carbon-neutrality-2025 (sample)" \
    --plan-reviewed 2026-03-10

# --- PAS 2060:2014: the same year as a renewal ----------------------------------------------------
lt claim set "$out" --framework pas2060 --statement-date 2026-03-18 \
    --validation third-party --verifier "Fictional Verification Co. (sample)" \
    --senior "Chen Ming 陈明, General Manager 总经理" --commitment-year 2025 \
    --subject "Anji Greenleaf's Anji plant and Dipu warehouse (scope 1 and 2)" \
    --published-at "https://example.com/anji-greenleaf/carbon-neutrality-2025 (sample)" \
    --plan-reviewed 2026-03-10 --first-period no \
    --subject-rationale "The legal entity's two sites, everything it operates in Anji; chosen as the unit the customers ask a claim for" \
    --activities "Making aluminium and timber outdoor furniture (cutting, welding, sanding, powder coating, assembly) at the Anji plant; storing the finished goods at the Dipu warehouse"
