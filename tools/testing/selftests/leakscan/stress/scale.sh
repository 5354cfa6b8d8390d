#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# 10^6 live tracked objects (SCALE_OBJECTS): a full scan completes, and so
# do clear and scan under the allocation storm, with none of the objects
# reported. The harness's console check fails the run on a soft lockup or
# an RCU stall meanwhile.

DIR="$(dirname "$(readlink -f "$0")")"
. "$DIR"/../../kselftest/ktap_helpers.sh
. "$DIR"/../lib.sh
. "$DIR"/lib.sh

N=${SCALE_OBJECTS:-1000000}

ktap_print_header
skip_unless "$STATS" "not the leakscan engine"
ktap_set_plan 5

t0=$(date +%s)
if modprobe leakscan_bench live="$N"; then
	ktap_test_pass "leakscan_bench loads holding $N objects ($(($(date +%s) - t0)) s)"
else
	ktap_exit_fail_msg "modprobe leakscan_bench live=$N failed"
fi

t0=$(date +%s)
echo scan >"$KMEMLEAK"
ms=$(($(stat_of last_scan_ns) / 1000000))
objects=$(stat_of last_scan_objects)
ktap_print_msg "a full scan of $objects objects: $ms ms ($(($(date +%s) - t0)) s wall)"
if [ "$objects" -ge "$N" ]; then
	ktap_test_pass "a full scan of $N live objects completes"
else
	ktap_test_fail "a full scan of $N live objects completes"
fi

clear_scan_once() { echo clear >"$KMEMLEAK" && echo scan >"$KMEMLEAK"; }
rm -f "$WORK/stop"
loop storm storm_once &
storm=$!
t0=$(date +%s)
clear_scan_once
cs=$?
touch "$WORK/stop"
wait "$storm"
ktap_print_msg "clear and scan under the storm: $(($(date +%s) - t0)) s"
expect "clear and scan under the storm complete" 0 "$cs"
loop_result storm "the storm ran meanwhile"

sleep 6
echo scan >"$KMEMLEAK"
expect "none of the $N objects is reported" 0 "$(grep -c 'bench_init' "$KMEMLEAK")"
rmmod leakscan_bench
ktap_finished
