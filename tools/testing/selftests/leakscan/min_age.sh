#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# leakscan.min_age_ms: 5000 by default; at 0, leaks are reported by two
# scans in a row, with no wait; at 60000, not even after two scans. With no
# wait, more of the sample's leaks can still be hidden by a stale word
# than after one (sample_leaks.sh): the rate over MIN_AGE_LOADS loads (3 by
# default) is printed, and must be at least MIN_AGE_RATE percent (80 by
# default).

DIR="$(dirname "$(readlink -f "$0")")"
. "$DIR"/../kselftest/ktap_helpers.sh
. "$DIR"/lib.sh

PARAM=/sys/module/leakscan/parameters/min_age_ms
MODULE=leakscan_sample
LOADS=${MIN_AGE_LOADS:-3}
MIN_RATE=${MIN_AGE_RATE:-80}
LISTED=$(mktemp)
trap 'rm -f "$LISTED"' EXIT

ktap_print_header
skip_unless "$PARAM" "not the leakscan engine"
ktap_set_plan 4

# Load the sample and scan twice at once; print how many of this load's
# leaks (their addresses, from the module) the report lists.
load_and_scan_twice() {
	modprobe "$MODULE" spread="$1" || { echo "modprobe failed"; return; }
	echo scan >"$KMEMLEAK"
	echo scan >"$KMEMLEAK"
	sed -n 's/^unreferenced object\( ([a-z]*)\)\? \(0x[0-9a-f]*\) .*/\2/p' \
		"$KMEMLEAK" >"$LISTED"
	n=0
	for a in $(cat /sys/module/$MODULE/parameters/addresses); do
		! grep -qxF "$a" "$LISTED" || n=$((n + 1))
	done
	echo $n
	rmmod "$MODULE"
}

expect "min_age_ms is 5000 by default" 5000 "$(cat $PARAM)"
echo 60000 >$PARAM
expect "at 60000, two scans report none of the sample's leaks" 0 "$(load_and_scan_twice 0)"
echo 0 >$PARAM
reported=0
for load in $(seq "$LOADS"); do
	n=$(load_and_scan_twice $((load * 8)))
	ktap_print_msg "load $load: $n of 31"
	[ "$n" -ge 0 ] 2>/dev/null && reported=$((reported + n))
done
rate=$((reported * 100 / (LOADS * 31)))
ktap_print_msg "reported $reported of $((LOADS * 31)) leaks in $LOADS loads: $rate %"
if [ "$rate" -ge "$MIN_RATE" ]; then
	ktap_test_pass "at 0, two scans with no wait report $MIN_RATE % of the leaks or more"
else
	ktap_test_fail "at 0, two scans with no wait report $MIN_RATE % of the leaks or more"
fi
echo 5000 >$PARAM
expect "min_age_ms=bogus is refused" "Invalid argument" \
	"$( (echo bogus >$PARAM) 2>&1 | sed 's/.*: //')"
ktap_finished
