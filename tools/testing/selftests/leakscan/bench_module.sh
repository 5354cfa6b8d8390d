#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark module that make bench uses: it holds live=N reachable
# objects, none of which may be reported, and its debugfs file runs timed
# loops and reports "<command> <ops> <ns> <ns per op>".

DIR="$(dirname "$(readlink -f "$0")")"
. "$DIR"/../kselftest/ktap_helpers.sh
. "$DIR"/lib.sh

BENCH=/sys/kernel/debug/leakscan_bench
LIVE=2000

ktap_print_header
if ! modinfo leakscan_bench >/dev/null 2>&1; then
	ktap_skip_all "leakscan_bench.ko is not built (CONFIG_SAMPLE_LEAKSCAN)"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 6

# bench CMD: the result line of CMD, or its error.
bench() {
	err=$( (echo "$1" >"$BENCH") 2>&1) || { echo "${err##*: }"; return; }
	cat "$BENCH"
}

expect "leakscan_bench loads holding $LIVE objects" ok \
	"$(modprobe leakscan_bench live=$LIVE && echo ok)"
r=$(bench "kmalloc 32 1000")
expect "a kmalloc timing gives name, ops, ns and ns per op" ok \
	"$(echo "$r" | grep -qE '^kmalloc-32 1000 [0-9]+ [0-9]+$' && echo ok || echo "$r")"
r=$(bench "storm 100")
expect "a storm counts the pairs of every CPU" "$((100 * $(nproc)))" \
	"$(echo "$r" | cut -d' ' -f2)"
expect "an unknown command is refused" "Invalid argument" "$(bench "frobnicate 3")"
if [ -e "$KMEMLEAK" ]; then
	echo scan >"$KMEMLEAK"
	sleep 6
	echo scan >"$KMEMLEAK"
	expect "none of the $LIVE held objects is reported" 0 \
		"$(grep -c 'leakscan_bench\|bench_init' "$KMEMLEAK")"
else
	ktap_test_skip "no leak detector to check the held objects with"
fi
expect "leakscan_bench unloads" ok "$(rmmod leakscan_bench && echo ok)"
ktap_finished
