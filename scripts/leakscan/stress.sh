#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make stress: build ENGINE=leakscan with the kernel's checkers on
# (build/leakscan-debug: lockdep, atomic-sleep and spinlock debugging,
# generic KASAN, the lockup, hung-task and RCU stall detectors, failslab),
# boot it with failslab aimed at leakscan's metadata cache and
# debug_pagealloc on, run the leakscan/stress kselftests (suspend, memory
# given back while scans read it, memory hotplug, debugfs fuzzing, the concurrency stress,
# fault injection, 10^6 objects), and fail on any splat on the console.
# Prints "PASS|FAIL: name" lines and the counts; exits non-zero on failure.
#
# STRESS_SECS (60), FAULT_SECS (20) and SCALE_OBJECTS (1000000) reach the
# guest's tests through the kernel command line; STRESS_KUNIT=0 leaves the
# KUnit suite out, and STRESS_SKIP (test names) those tests (make check
# does both, with 500000 objects).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

engine=leakscan-debug
out=$(engine_dir "$engine")
scripts=$LS_TOP/scripts/leakscan
STRESS_TIMEOUT=${STRESS_TIMEOUT:-2400}
t0=$(date +%s)
run_name="make stress (ENGINE=$engine)"

if "$scripts/kernel.sh" "$engine" && "$scripts/initramfs.sh" "$engine"; then
	result PASS "the debug kernel builds (ENGINE=$engine)"
else
	result FAIL "the debug kernel builds (ENGINE=$engine)"
	finish
fi

cmd="slab_debug=A,ls_object debug_pagealloc=on lscollection=leakscan/stress"
cmd="$cmd STRESS_SECS=${STRESS_SECS:-60} FAULT_SECS=${FAULT_SECS:-20}"
cmd="$cmd SCALE_OBJECTS=${SCALE_OBJECTS:-1000000}"
# q35 puts 2 GiB of the guest's 3328 MiB below 4 GiB and the rest above it:
# mem= keeps 3 GiB, and stress/hotplug.sh hot-adds the 256 MiB above.
cmd="$cmd mem=5120M HOTPLUG_RANGE=0x140000000+0x10000000"
skip=
for t in ${STRESS_SKIP:-}; do
	skip="$skip${skip:+,}leakscan/stress:$t"
done
[ -z "$skip" ] || cmd="$cmd lsskip=$skip"
# The KUnit suite under the checkers too, unless STRESS_KUNIT=0.
[ "${STRESS_KUNIT:-1}" != 0 ] || cmd="$cmd kunit.enable=0"
log=$(console_log "$engine" check "$cmd")
# KASAN's shadow and redzones, and 10^6 objects: more memory than 1 GiB.
if LS_GUEST_MEM=3328 "$scripts/boot.sh" "$engine" check "$STRESS_TIMEOUT" "$cmd" \
	>"$out/boot-stress.out" 2>&1; then
	result PASS "the debug kernel boots, runs the stress tests and powers off"
else
	grep -E '^leakscan: error' "$out/boot-stress.out"
	tail -n 40 "$log"
	result FAIL "the debug kernel boots, runs the stress tests and powers off"
fi
fold_results < <(python3 "$scripts/results.py" ktap "$log" kselftest)
for s in $(python3 "$scripts/results.py" sections "$log" | sed -n 's/^kunit //p'); do
	fold_results < <(python3 "$scripts/results.py" ktap "$log" "kunit $s" |
		sed 's/^\(PASS\|FAIL\|SKIP\): /\1: debug build: /')
done
splat_result "$log" "debug build: no lockdep, KASAN, atomic-sleep, lockup, hung-task or RCU stall report"
finish
