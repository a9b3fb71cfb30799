#!/usr/bin/env bash
# Desktop timings, measured inside the end-to-end test (the real app in WebKitGTK under Xvfb,
# driven through WebDriver; the debug build, as `make test` builds it):
#   launch → interactive start screen; open the sample → results on screen; open a project of
#   100,000 records → results; jumps through the 100,000-row table until real rows show; a
#   language switch (labels, then the results redrawn).
# Aim (issue #5): under 1.5 s for launch → start screen and open → results. Each figure includes
# WebDriver's own round trips (about 20–50 ms per poll), so it is an upper bound.
# Usage: bench/desktop.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
for i in $(seq "$runs"); do
    echo "run $i:"
    cargo test --locked -p lingtan-desktop --test e2e -- --nocapture 2>&1 \
        | grep -E '^\[e2e\] (launch|open|100,000|language|baseline)' | sed 's/^\[e2e\] /  /'
done
