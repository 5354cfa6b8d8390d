#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# leakscan.min_age_ms: 5000 by default; at 0, leaks are reported by two
# scans in a row, with no wait; at 60000, not even after two scans.

DIR="$(dirname "$(readlink -f "$0")")"
. "$DIR"/../kselftest/ktap_helpers.sh
. "$DIR"/lib.sh

PARAM=/sys/module/leakscan/parameters/min_age_ms
MODULE=leakscan_sample

ktap_print_header
skip_unless "$PARAM" "not the leakscan engine"
ktap_set_plan 4

# Load the sample and scan twice at once; print how many records name it.
load_and_scan_twice() {
	modprobe "$MODULE" spread="$1" || { echo "modprobe failed"; return; }
	echo scan >"$KMEMLEAK"
	echo scan >"$KMEMLEAK"
	awk '/^unreferenced object /{ r = 0 } /\[leakscan_sample\]/ && !r { r = 1; n++ }
	     END { print n + 0 }' "$KMEMLEAK"
	rmmod "$MODULE"
}

expect "min_age_ms is 5000 by default" 5000 "$(cat $PARAM)"
echo 60000 >$PARAM
expect "at 60000, two scans report none of the sample's leaks" 0 "$(load_and_scan_twice 0)"
echo 0 >$PARAM
n=$(load_and_scan_twice 8)
if [ "$n" -ge 20 ] 2>/dev/null; then
	ktap_test_pass "at 0, two scans with no wait report the sample's leaks ($n of 31)"
else
	ktap_test_fail "at 0, two scans with no wait report the sample's leaks ($n of 31)"
fi
echo 5000 >$PARAM
expect "min_age_ms=bogus is refused" "Invalid argument" \
	"$( (echo bogus >$PARAM) 2>&1 | sed 's/.*: //')"
ktap_finished
