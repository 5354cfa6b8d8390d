#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Every way of driving the leak detector, all at once, for STRESS_SECS
# seconds (60 by default): an allocation storm on every CPU, scans, clears,
# readers of the report (whole, in odd pieces, from odd offsets), toggles
# of the scan thread, dump= of live and freed objects, loading and
# unloading the sample module, and fork/exit. Every loop must keep going
# without an error; then the sample's leaks must be reported exactly.
# A deadlock shows as a hung task on the console, or as this test's
# timeout.

DIR="$(dirname "$(readlink -f "$0")")"
. "$DIR"/../../kselftest/ktap_helpers.sh
. "$DIR"/../lib.sh
. "$DIR"/lib.sh

SECS=${STRESS_SECS:-60}

ktap_print_header
skip_unless "$STATS" "not the leakscan engine"
ktap_set_plan 11

modprobe leakscan_bench || ktap_exit_fail_msg "modprobe leakscan_bench failed"

clear_once() { echo clear >"$KMEMLEAK"; }
read_once() { cat "$KMEMLEAK" >/dev/null; }
pieces_once() {
	dd if="$KMEMLEAK" of=/dev/null bs=7 count=300 2>/dev/null &&
		head -c 333 "$KMEMLEAK" >/dev/null
}
# dd skips by lseek() on the open file.
seek_once() {
	dd if="$KMEMLEAK" of=/dev/null bs=13 skip=$((${RANDOM:-1} % 97)) count=50 2>/dev/null
}
toggle_once() {
	t=$(((${t:-0} + 1) % 4))
	case $t in
	0) echo scan=on >"$KMEMLEAK" ;;
	1) echo scan=1 >"$KMEMLEAK" ;;
	2) echo scan=off >"$KMEMLEAK" ;;
	*) echo scan=600 >"$KMEMLEAK" ;;
	esac
}
# Objects the report lists now (live, or freed since), and those it listed
# last time (some freed since, with the sample's unload): each gets
# "dump=", which must succeed or say EINVAL for an unknown address.
dump_once() {
	now=$(head -c 8192 "$KMEMLEAK" |
		sed -n 's/^unreferenced object \(0x[0-9a-f]*\) .*/\1/p' | head -n 4)
	for a in $now ${before:-0xffff888000001000}; do
		case $(write "dump=$a") in
		ok | EINVAL) ;;
		*) return 1 ;;
		esac
	done
	before=$now
	sleep 1
}

scans_before=$(stat_of scans)
ktap_print_msg "running 10 loops at once for $SECS s"
run_loops "$SECS" storm scan clear read pieces seek toggle dump sample fork
echo scan=off >"$KMEMLEAK"

loop_result storm "an allocation storm on every CPU"
loop_result scan "scan in a loop"
loop_result clear "clear in a loop"
loop_result read "whole reads of the report"
loop_result pieces "reads of the report in 7- and 333-byte pieces"
loop_result seek "reads of the report from lseek() offsets"
loop_result toggle "scan=on, scan=1, scan=off and scan=600 in a loop"
loop_result dump "dump= of listed and freed objects"
loop_result sample "loading and unloading the sample module"
loop_result fork "fork and exit"

scans=$(($(stat_of scans) - scans_before))
ktap_print_msg "scans completed meanwhile: $scans"
rmmod leakscan_bench
sample_check "after the stress, the sample's leaks are reported exactly"
ktap_finished
