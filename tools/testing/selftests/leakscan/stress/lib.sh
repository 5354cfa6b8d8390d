#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Helpers of the stress tests: source it after ktap_helpers.sh and
# ../lib.sh.

STATS=/sys/kernel/debug/leakscan/stats
BENCH=/sys/kernel/debug/leakscan_bench
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# stat_of NAME: a value from leakscan/stats.
stat_of() {
	awk -v name="$1" '$1 == name { print $2 }' "$STATS"
}

# loop NAME COMMAND...: run COMMAND until $WORK/stop exists, then write
# "<runs> <failures>" to $WORK/NAME.
loop() {
	name=$1
	shift
	runs=0
	failures=0
	while [ ! -e "$WORK/stop" ]; do
		if "$@" >/dev/null 2>&1; then
			runs=$((runs + 1))
		else
			failures=$((failures + 1))
		fi
	done
	echo "$runs $failures" >"$WORK/$name"
}

# run_loops SECONDS NAME...: start the loop of each NAME (the function
# NAME_once), stop them all after SECONDS and wait for them.
run_loops() {
	secs=$1
	shift
	rm -f "$WORK/stop"
	for l in "$@"; do
		loop "$l" "${l}_once" &
	done
	sleep "$secs"
	touch "$WORK/stop"
	wait
}

# loop_result NAME WHAT: pass if the loop NAME ran at least once and never
# failed.
loop_result() {
	read -r runs failures <"$WORK/$1" || { runs=0; failures=?; }
	ktap_print_msg "$1: $runs runs, $failures failures"
	if [ "$runs" -gt 0 ] && [ "$failures" = 0 ]; then
		ktap_test_pass "$2"
	else
		ktap_test_fail "$2"
	fi
}

storm_once() { echo "storm 500" >"$BENCH"; }
scan_once() { echo scan >"$KMEMLEAK"; }
fork_once() { sh -c 'exit 0' && (exit 0); }
# A few seconds loaded, so that scans see its objects and leaks.
sample_once() {
	modprobe leakscan_sample spread=$((${RANDOM:-0} % 4 * 8)) &&
		sleep 2 && rmmod leakscan_sample
}

# sample_check WHAT: run ../sample_leaks.sh (the sample's exact leak set,
# no false positive, nothing lost, the rate reported by two scans) as one
# result. The debug kernel churns more memory, so more stale words: six
# loads, not four.
sample_check() {
	if SAMPLE_LOADS=6 "$DIR/../sample_leaks.sh" >"$WORK/sample.ktap" 2>&1; then
		grep -E '^# (load|reported) ' "$WORK/sample.ktap" | sed 's/^/# /'
		ktap_test_pass "$1"
	else
		grep -E '^(not ok|# )' "$WORK/sample.ktap" | sed 's/^/# /'
		ktap_test_fail "$1"
	fi
}
