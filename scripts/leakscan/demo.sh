#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot the guest, load the sample leak module, scan twice and show the
# report, then say how many of the sample's 33 leaked objects it holds.
#
# Usage: demo.sh <engine>
set -euo pipefail
. "$(dirname "$0")/lib.sh"

engine=${1:-leakscan}
check_engine "$engine"
out=$(engine_dir "$engine")
"$(dirname "$0")/boot.sh" "$engine" demo "${BOOT_TIMEOUT:-300}"
log=$out/console-demo.log
if grep -q 'this kernel has no leak detector' "$log"; then
	step "demo: ENGINE=$engine has no leak detector, so there is no report"
	exit 0
fi
n=$(sed -n '/@@LS-DEMO-BEGIN@@/,/@@LS-DEMO-END@@/p' "$log" | tr -d '\r' |
	awk '/^unreferenced object /{ rec = 1; sample = 0 } /\[leakscan_sample\]/ && rec && !sample { sample = 1; n++ } END { print n + 0 }')
step "demo: the report holds $n of leakscan_sample's 33 leaked objects (ENGINE=$engine)"
[ "$n" -gt 0 ] || die "the sample's leaks are missing from the report"
