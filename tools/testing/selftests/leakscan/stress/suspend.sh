#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The leak detector must not stand in the way of suspend. With pm_test set
# to "freezer", a write of "freeze" to /sys/power/state freezes every task,
# waits five seconds and thaws them again. It must succeed, with no task
# refusing to freeze:
#  - while the scan thread sleeps between scans;
#  - while scans run back to back, from the thread and from a writer;
#  - under an allocation storm.
# A thread that is freezable but never freezes (as leakscan's was) makes
# each of these fail after the freezer's 20 seconds.

DIR="$(dirname "$(readlink -f "$0")")"
. "$DIR"/../../kselftest/ktap_helpers.sh
. "$DIR"/../lib.sh

PM_TEST=/sys/power/pm_test
STATE=/sys/power/state
BENCH=/sys/kernel/debug/leakscan_bench
# The stress tests' debug build has CONFIG_SUSPEND and CONFIG_PM_DEBUG.
pids=

stop_load() {
	for p in $pids; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	pids=
}

# Leave the scan thread off and pm_test at none, however the test ends.
restore() {
	stop_load
	[ ! -e $PM_TEST ] || echo none >$PM_TEST
	echo scan=off >"$KMEMLEAK"
	rmmod leakscan_bench 2>/dev/null
}
trap restore EXIT

ktap_print_header
skip_unless "$KMEMLEAK" "no leak detector in this kernel"
skip_unless "$PM_TEST" "needs CONFIG_SUSPEND and CONFIG_PM_DEBUG"
if ! grep -qw freeze $STATE; then
	ktap_skip_all "$STATE does not offer freeze"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 3

# suspend: "ok" if a freezer test cycle succeeds and logs no task refusing
# to freeze; otherwise what went wrong.
suspend() {
	before=$(dmesg | grep -c 'refusing to freeze')
	err=$( (echo freeze >$STATE) 2>&1)
	rc=$?
	after=$(dmesg | grep -c 'refusing to freeze')
	if [ $rc -eq 0 ] && [ "$after" -eq "$before" ]; then
		echo ok
		return
	fi
	why=$(dmesg | grep -A3 'refusing to freeze' | tail -n 4 | tr '\n' ' ')
	echo "write: ${err:-rc $rc}; $why"
}

echo freezer >$PM_TEST
# The thread, started by scan=N, sleeps until its next scan.
echo scan=600 >"$KMEMLEAK"
expect "freeze with the scan thread idle" ok "$(suspend)"

echo scan=1 >"$KMEMLEAK"
(while :; do echo scan >"$KMEMLEAK"; done) &
pids="$pids $!"
sleep 1
expect "freeze while scans run back to back" ok "$(suspend)"
stop_load

if modprobe leakscan_bench; then
	(while :; do echo "storm 2000" >$BENCH; done) &
	pids="$pids $!"
	sleep 1
	expect "freeze under an allocation storm" ok "$(suspend)"
	stop_load
else
	ktap_test_skip "freeze under an allocation storm: no leakscan_bench"
fi

ktap_finished
