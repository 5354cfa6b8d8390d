#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The full profile under the real workload, for one engine: build
# full-<engine> (x86_64_defconfig + kvm_guest.config + configs/full.config
# + the engine's fragment), pack the userland image, boot it once with
# lsmode=real (scripts/leakscan/guest/real.sh: stress-ng, trinity, module
# churn, then syzkaller's wait, scan, scan, read), then the suspend and
# memory hotplug kselftests. Asserts what needs no other engine:
#   - the guest runs the workload and powers off;
#   - the workload ran: each stress-ng class ran stressors and exited as
#     stress-ng does, trinity exited 0 (or stopped at its limit with no
#     process in the leak detector), and its own steps (mount, modules,
#     namespaces) report no error;
#   - suspend and hotplug pass;
#   - no splat on the console;
#   - no reported site outside scripts/leakscan/known-leaks (ENGINE=leakscan
#     and classic; none has no report).
# Prints "PASS|FAIL: name" lines and the counts; exits non-zero on failure.
#
# Usage: realcheck.sh [engine]     (leakscan by default; leakscan-debug is
#                                   the debug variant: lockdep, KASAN and
#                                   more, booted with debug_pagealloc=on)
# REAL_CLASS_SECS, TRINITY_OPS, TRINITY_SEED, TRINITY_SECS, REAL_ROUNDS,
# REAL_SCANS, REAL_CLASSES and REAL_MODULES reach the guest (scripts/leakscan/guest/real.sh).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

engine=${1:-leakscan}
build=full-$engine
check_engine "$build"
out=$(engine_dir "$build")
scripts=$LS_TOP/scripts/leakscan
REAL_TIMEOUT=${REAL_TIMEOUT:-3000}
t0=$(date +%s)
run_name="the full profile's real workload (ENGINE=$engine)"

s=$(date +%s)
if "$scripts/kernel.sh" "$build" && "$scripts/initramfs.sh" "$build"; then
	result PASS "the full profile builds (build/$build, $(($(date +%s) - s)) s)"
else
	result FAIL "the full profile builds (build/$build)"
	finish
fi
if ! "$scripts/userland.sh"; then
	result FAIL "the userland image packs (stress-ng, trinity)"
	finish
fi
# Every boot starts from the same image: the workload writes to it.
cp --sparse=always "$LS_BUILD/userland/real.ext4" "$out/real.ext4"

tsc=$(tsc_cmdline) || exit 1
cmd="$tsc kunit.enable=0 lstests=leakscan/stress:suspend.sh,leakscan/stress:hotplug.sh"
cmd="$cmd$(real_params)"
# As make stress does: q35 puts 2 GiB of the guest's 3328 MiB below 4 GiB
# and the rest above; mem= keeps 3 GiB, and hotplug.sh hot-adds the
# 256 MiB above it.
cmd="$cmd mem=5120M HOTPLUG_RANGE=0x140000000+0x10000000"
case $engine in
*-debug) cmd="$cmd debug_pagealloc=on" ;;
esac
log=$(console_log "$build" real "$cmd")
s=$(date +%s)
if LS_GUEST_MEM=3328 LS_GUEST_DISK=$out/real.ext4 "$scripts/boot.sh" "$build" real \
	"$REAL_TIMEOUT" "$cmd" >"$out/boot-real.out" 2>&1; then
	result PASS "the full profile boots, runs the workload and powers off ($(($(date +%s) - s)) s)"
else
	grep -E '^leakscan: error' "$out/boot-real.out"
	tail -n 40 "$log"
	result FAIL "the full profile boots, runs the workload and powers off"
fi
grep -E '^real: ' "$log" | sed 's/^/    /'
if grep -qE '^real: error' "$log"; then
	result FAIL "the workload ran (stress-ng, trinity, modules, namespaces) with no error"
else
	result PASS "the workload ran (stress-ng, trinity, modules, namespaces) with no error"
fi
fold_results < <(python3 "$scripts/results.py" ktap "$log" kselftest |
	sed 's/^\(PASS\|FAIL\|SKIP\): /\1: full profile: /')
splat_result "$log" "full profile: no splat on the console"
if [ "$engine" != none ]; then
	if recs=$(python3 "$scripts/results.py" records "$log" "$scripts/known-leaks"); then
		result PASS "full profile: every reported site is a known leak ($(echo "$recs" |
			grep -c . || true) records)"
	else
		echo "$recs" | sed 's/^/    /'
		result FAIL "full profile: every reported site is a known leak"
	fi
fi

# The KUnit suite on this profile: two CPUs, which the young-object cases
# need (the small profile boots one), and a defconfig's inlining, NUMA and
# drivers. A boot of its own, with only a quick kselftest. Not the cases
# whose names start with v: here the vmalloc case's vm_struct is sometimes
# found referenced twice (1 boot in 2), which hides the block's leak.
case $engine in
leakscan*)
	cmd="$tsc kunit.filter_glob=leakscan.test_[!v]* lstests=leakscan:boot_param.sh"
	log=$(console_log "$build" check "$cmd")
	if "$scripts/boot.sh" "$build" check "$REAL_TIMEOUT" "$cmd" >"$out/boot-kunit.out" 2>&1; then
		# Here nothing may skip: every case has what it needs.
		kres=$(python3 "$scripts/results.py" ktap "$log" "kunit leakscan" |
			sed 's/^SKIP: \(.*\)/FAIL: \1 (skipped)/' |
			sed 's/^\(PASS\|FAIL\): /\1: full profile, 2 CPUs: /')
		fold_results <<<"$kres"
		grep -q '^PASS: ' <<<"$kres" ||
			result FAIL "full profile, 2 CPUs: the KUnit suite ran"
		fold_results < <(python3 "$scripts/results.py" ktap "$log" kselftest |
			sed 's/^\(PASS\|FAIL\|SKIP\): /\1: full profile, 2 CPUs: /')
	else
		tail -n 40 "$log"
		result FAIL "full profile, 2 CPUs: the KUnit suite runs and the guest powers off"
	fi
	splat_result "$log" "full profile, 2 CPUs: no splat during the KUnit suite"
	;;
esac
finish
