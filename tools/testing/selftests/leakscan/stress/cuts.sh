#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Memory given back while a scan reads it. The bench module's "cuts"
# command keeps eight blocks of 64 pages registered, by virtual or by
# physical address, and over and over gives the oldest back a quarter at a
# time, every quarter first cut off with kmemleak_free_part() or
# kmemleak_free_part_phys(): the front, a split in the middle, then the
# two objects left. Scans run back to back meanwhile, for CUTS_SECS
# seconds (20 by default).
#
# The debug build boots with debug_pagealloc=on, which unmaps every page
# given back: a scan that reads one after it was cut off faults, with
# interrupts off and ls_lock held, and the guest hangs or oopses: the
# boot's timeout or the console check of make stress fails the run.

DIR="$(dirname "$(readlink -f "$0")")"
. "$DIR"/../../kselftest/ktap_helpers.sh
. "$DIR"/../lib.sh
. "$DIR"/lib.sh

SECS=${CUTS_SECS:-20}

ktap_print_header
skip_unless "$KMEMLEAK" "no leak detector in this kernel"
if ! grep -qw 'debug_pagealloc=on' /proc/cmdline; then
	ktap_skip_all "needs debug_pagealloc=on"
	exit "$KSFT_SKIP"
fi
if ! modprobe leakscan_bench; then
	ktap_skip_all "no leakscan_bench module"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 3

faults=$(dmesg | grep -c 'unable to handle page fault')
scan_once() { echo scan >"$KMEMLEAK"; }
cuts_once() { echo "cuts 64" >"$BENCH"; }
run_loops "$SECS" scan cuts
loop_result scan "scans run while blocks are given back"
loop_result cuts "blocks are given back a quarter at a time while scans run"
expect "no read of a page given back" "$faults" \
	"$(dmesg | grep -c 'unable to handle page fault')"
rmmod leakscan_bench
ktap_finished
