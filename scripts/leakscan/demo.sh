#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot the guest, load the sample leak module, scan twice and show the
# report, then say how many of the sample's 33 leaked objects it holds.
# Fails if that is not all 33, naming what referenced each missing one
# last (dump=).
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
# The guest counts the sample's leaks the report lists, by address.
set -- $(sed -n 's/^demo: reported \([0-9]*\) of \([0-9]*\)\r\?$/\1 \2/p' "$log")
n=${1:-0}
[ "${2:-}" = 33 ] || die "the sample says it leaked ${2:-no} objects, not 33"
step "demo: the report holds $n of leakscan_sample's 33 leaked objects (ENGINE=$engine)"
if [ "$n" != 33 ]; then
	sed -n 's/^demo: not reported: /    /p' "$log" | tr -d '\r'
	die "the report misses $((33 - n)) of the sample's leaks; above, what referenced each last"
fi
