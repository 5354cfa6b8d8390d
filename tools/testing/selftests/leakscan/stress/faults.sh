#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Failing metadata allocations. The debug build boots with
# slab_debug=A,ls_object, which lets failslab fail allocations from
# leakscan's metadata cache and no other. Then:
#  1. FAULT_SECS seconds (20 by default) of the storm, the sample module's
#     loads and unloads, fork/exit and scans, with 10% of the metadata
#     allocations failing: leakscan keeps going, the reserve takes the
#     failures, nothing goes untracked and nothing is reported falsely;
#  2. with the failures stopped, the sample's leaks are all reported;
#  3. every metadata allocation failing while a module takes more objects
#     than the reserve holds: the objects left untracked are counted, and
#     the summary says that results may be incomplete. (Last: the
#     sample's leaks are not checked after it.)

DIR="$(dirname "$(readlink -f "$0")")"
. "$DIR"/../../kselftest/ktap_helpers.sh
. "$DIR"/../lib.sh
. "$DIR"/lib.sh

SECS=${FAULT_SECS:-20}
FAILSLAB=/sys/kernel/debug/failslab
SUMMARY=/sys/kernel/debug/leakscan/summary
# Stop the failures however the test ends.
trap 'echo 0 >"$FAILSLAB/probability"; rm -rf "$WORK"' EXIT

ktap_print_header
skip_unless "$STATS" "not the leakscan engine"
skip_unless "$FAILSLAB/probability" "no CONFIG_FAILSLAB"
if [ "$(cat /sys/kernel/slab/ls_object/failslab 2>/dev/null)" != 1 ]; then
	ktap_skip_all "leakscan's cache cannot fail: boot with slab_debug=A,ls_object"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 10

# fail PERCENT: fail that share of the allocations from caches marked for
# failslab (leakscan's only), quietly, whatever their gfp flags.
fail() {
	echo 0 >"$FAILSLAB/verbose"
	echo N >"$FAILSLAB/ignore-gfp-wait"
	echo Y >"$FAILSLAB/cache-filter"
	echo -1 >"$FAILSLAB/times"
	echo 1 >"$FAILSLAB/interval"
	echo "$1" >"$FAILSLAB/probability"
}

# The report's records, after two scans at least min_age apart.
settled_report() {
	echo scan >"$KMEMLEAK"
	sleep 6
	echo scan >"$KMEMLEAK"
	cat "$KMEMLEAK" >"$WORK/report"
	grep -c '^unreferenced object' "$WORK/report"
}

modprobe leakscan_bench || ktap_exit_fail_msg "modprobe leakscan_bench failed"
echo scan >"$KMEMLEAK"
echo clear >"$KMEMLEAK"

# 1. 10% of the metadata allocations fail.
reserve=$(stat_of metadata_from_reserve)
untracked=$(stat_of untracked_objects)
scans=$(stat_of scans)
fail 10
run_loops "$SECS" storm sample fork scan
fail 0
faults=$(($(stat_of metadata_from_reserve) - reserve))
ktap_print_msg "$SECS s at 10%: $faults metadata allocations failed;" \
	"reserve in use: $(stat_of early_pool_used) of $(stat_of early_pool_size)"
if [ "$faults" -gt 0 ]; then
	ktap_test_pass "failed metadata allocations are counted ($faults in $SECS s)"
else
	ktap_test_fail "failed metadata allocations are counted ($faults in $SECS s)"
fi
expect "the reserve took every failure: no object went untracked" 0 \
	$(($(stat_of untracked_objects) - untracked))
loop_result scan "scans keep working while allocations fail"
ktap_print_msg "scans completed meanwhile: $(($(stat_of scans) - scans))"
loop_result storm "the storm ran while allocations failed"
loop_result sample "the sample module loaded and unloaded while allocations failed"
records=$(settled_report)
if [ "$records" = 0 ]; then
	ktap_test_pass "nothing is reported afterwards: no false positive"
else
	sed 's/^/# /' "$WORK/report" | head -n 40
	ktap_test_fail "nothing is reported afterwards: no false positive"
fi
rmmod leakscan_bench

# 2. The failures have stopped: new leaks are reported again, exactly.
sample_check "with failures stopped, the sample's new leaks are reported again"

# 3. Every metadata allocation fails, and a module takes more objects than
# the reserve has left.
free=$(($(stat_of early_pool_size) - $(stat_of early_pool_used)))
untracked=$(stat_of untracked_objects)
fail 100
modprobe leakscan_bench live=$((free + 4000)) live_size=64
load=$?
fail 0
lost=$(($(stat_of untracked_objects) - untracked))
ktap_print_msg "reserve had $free free; $lost objects went untracked"
if [ $load = 0 ] && [ "$lost" -gt 0 ]; then
	ktap_test_pass "with the reserve exhausted, untracked objects are counted ($lost)"
else
	ktap_test_fail "with the reserve exhausted, untracked objects are counted ($lost)"
fi
settled_report >/dev/null
expect "no object held by the module's tracked array is reported" 0 \
	"$(grep -c 'bench_init' "$WORK/report")"
untracked_line='INCOMPLETE: [0-9]* objects could not be tracked: results may be incomplete'
if grep -q "^$untracked_line\$" "$SUMMARY"; then
	ktap_test_pass "the summary says that results may be incomplete"
else
	tail -n 3 "$SUMMARY" | sed 's/^/# /'
	ktap_test_fail "the summary says that results may be incomplete"
fi
rmmod leakscan_bench
echo clear >"$KMEMLEAK"
ktap_finished
