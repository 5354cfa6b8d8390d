#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A small workload reports no leaks: tmpfs files, pipes, a loopback TCP
# connection, forks, and a module loaded and unloaded.

DIR="$(dirname "$(readlink -f "$0")")"
. "$DIR"/../kselftest/ktap_helpers.sh

KMEMLEAK=/sys/kernel/debug/kmemleak
WORK=$(mktemp -d)
trap 'umount "$WORK/mnt" 2>/dev/null; rm -rf "$WORK"' EXIT

ktap_print_header
if [ ! -e "$KMEMLEAK" ]; then
	ktap_skip_all "$KMEMLEAK missing: no leak detector in this kernel"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 2

workload() {
	mkdir -p "$WORK/mnt" && mount -t tmpfs none "$WORK/mnt" || return 1
	for i in $(seq 50); do
		echo "file $i" >"$WORK/mnt/f$i"
	done
	cat "$WORK/mnt"/f* | sort | wc -l >/dev/null
	rm -f "$WORK/mnt"/f*
	umount "$WORK/mnt" || return 1
	for i in $(seq 20); do
		seq 1000 | cat | tail -n 1 >/dev/null
	done
	ip link set lo up 2>/dev/null
	nc -l -p 7777 >"$WORK/received" &
	sleep 1
	echo hello-loopback | nc -w 2 127.0.0.1 7777
	wait
	grep -q hello-loopback "$WORK/received" || return 1
	modprobe leakscan_sample && rmmod leakscan_sample
}

if workload; then
	ktap_test_pass "the workload runs"
else
	ktap_test_fail "the workload runs"
fi
# Old enough, and unreferenced in two scans: anything leaked shows now.
sleep 5
echo scan >"$KMEMLEAK"
sleep 1
echo scan >"$KMEMLEAK"
if [ -z "$(cat "$KMEMLEAK")" ]; then
	ktap_test_pass "the workload leaked nothing"
else
	sed 's/^/# /' "$KMEMLEAK"
	ktap_test_fail "the workload leaked nothing"
fi
ktap_finished
