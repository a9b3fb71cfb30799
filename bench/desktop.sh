#!/usr/bin/env bash
# Desktop timings, measured inside the end-to-end test (the real app in WebKitGTK under Xvfb,
# driven through WebDriver; the debug build, as `make test` builds it):
#   launch → interactive start screen; launch → readable text (the start screen on show and no
#   font face still loading: text waits for its face); open the sample → results on screen; open
#   a project of 100,000 records → results; jumps through the 100,000-row table until real rows
#   show; a language switch (labels, then the results redrawn); a rare character typed → the full
#   GBK font face loaded.
# Then, in the same run, launch → readable text alone (the `launch_to_readable_text` test) for
# this build and, when BEFORE names another build of the app (e.g. one of main kept aside), for
# that one too, alternately: a before/after figure under the same load.
# Aim (issue #5): under 1.5 s for launch → start screen and open → results. Each figure includes
# WebDriver's own round trips (about 20–50 ms per poll), so it is an upper bound.
# Usage: [BEFORE=path/to/lingtan-desktop] bench/desktop.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
for i in $(seq "$runs"); do
    echo "run $i:"
    cargo test --locked -p lingtan-desktop --test e2e -- --nocapture 2>&1 \
        | grep -E '^\[e2e\] (launch|open|100,000|language|baseline|a rare)' | sed 's/^\[e2e\] /  /'
    for app in ${BEFORE:+"$BEFORE"} ""; do
        echo "  launch alone, ${app:-this build}:"
        LINGTAN_E2E_APP=$app cargo test --locked -p lingtan-desktop --test e2e -- \
            --ignored --exact launch_to_readable_text --nocapture 2>&1 \
            | grep -E '^\[e2e\] launch → readable' | sed 's/^\[e2e\] /    /'
    done
done
