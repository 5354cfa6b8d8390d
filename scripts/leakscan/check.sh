#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run every test there is for one engine and count the results:
#   1. host unit tests (tools/testing/leakscan) and the harness's own tests;
#      the engine that arm64 configs get with each KASAN mode (tagged.sh);
#   2. the kernel build, and builds of our directories with W=1, and with
#      KUnit off and WERROR on, with no warnings;
#   3. an external module built against build/<engine>;
#   4. a QEMU boot running the kselftests (KTAP) and collecting KUnit results;
#   5. a scan of the console for kernel splats;
#   6. for ENGINE=leakscan, make realcheck (the full profile under a real
#      workload), make stress and make series-check.
# Ends with "N passed, N failed" and exits non-zero on any failure.
#
# Usage: check.sh <engine>
set -uo pipefail
. "$(dirname "$0")/lib.sh"

engine=${1:-leakscan}
check_engine "$engine"
out=$(engine_dir "$engine")
scripts=$LS_TOP/scripts/leakscan
BOOT_TIMEOUT=${BOOT_TIMEOUT:-900}
t0=$(date +%s)
run_name="ENGINE=$engine"

step "host unit tests"
if [ -f "$LS_TOP/tools/testing/leakscan/Makefile" ]; then
	fold_results < <(make -s -C "$LS_TOP/tools/testing/leakscan" \
		KSRC="$LS_SRC" OUT="$LS_BUILD/hosttests" check 2>&1 || echo "FAIL: host unit tests (make exited non-zero)")
fi
fold_results < <(python3 "$scripts/tests/test_results.py" 2>&1 ||
	echo "FAIL: harness tests (exited non-zero)")
fold_results < <(python3 "$scripts/tests/test_bench_report.py" 2>&1 ||
	echo "FAIL: bench report tests (exited non-zero)")
fold_results < <(python3 "$scripts/tests/test_realbench_report.py" 2>&1 ||
	echo "FAIL: realbench report tests (exited non-zero)")
fold_results < <(python3 "$scripts/tests/test_pcprofile.py" 2>&1 ||
	echo "FAIL: pcprofile tests (exited non-zero)")

fold_results < <("$scripts/tests/test_prepare.sh" 2>&1)
fold_results < <("$scripts/tests/test_lib.sh" 2>&1 || echo "FAIL: lib.sh tests (exited non-zero)")
fold_results < <("$scripts/tests/test_real.sh" 2>&1 ||
	echo "FAIL: real.sh tests (exited non-zero)")

step "the engines' configurations differ only in the engine"
# Configure all three (without building) and compare them option by option,
# in each profile: small (tinyconfig-based) and full (defconfig-based).
ENGINE_OPTS='^(CONFIG_)?(DEBUG_KMEMLEAK|KMEMLEAK|LEAKSCAN|STACKDEPOT|SAMPLE_KMEMLEAK)'
for profile in small full; do
	pre=
	[ $profile = small ] || pre=full-
	cfg_ok=1
	for e in $LS_ENGINES; do
		"$scripts/config.sh" "$pre$e" "$LS_BUILD/configs/$pre$e" >/dev/null || cfg_ok=0
	done
	if [ $cfg_ok = 1 ]; then
		for e in $LS_ENGINES; do
			[ "$e" = leakscan ] && continue
			d=$(diff <(grep '^CONFIG_' "$LS_BUILD/configs/${pre}leakscan/.config") \
				<(grep '^CONFIG_' "$LS_BUILD/configs/$pre$e/.config") |
				sed -n 's/^[<>] //p' | grep -vE "$ENGINE_OPTS" || true)
			if [ -n "$d" ]; then
				echo "    leakscan and $e also differ in:" $d
				cfg_ok=0
			fi
		done
	fi
	if [ $cfg_ok = 1 ]; then
		result PASS "$profile profile: leakscan, classic and none configs differ only in engine options"
	else
		result FAIL "$profile profile: leakscan, classic and none configs differ only in engine options"
	fi
done

step "leakscan is not offered with arm64's tag-based KASAN"
fold_results < <("$scripts/tagged.sh" 2>&1)

step "kernel build"
if "$scripts/kernel.sh" "$engine"; then
	result PASS "kernel builds (ENGINE=$engine)"
else
	result FAIL "kernel builds (ENGINE=$engine)"
	finish
fi

step "W=1 build of our directories"
if "$scripts/w1.sh" "$engine"; then
	result PASS "no W=1 warnings in our files"
else
	result FAIL "no W=1 warnings in our files"
fi
if "$scripts/w1.sh" "$engine" nokunit; then
	result PASS "our files build with CONFIG_KUNIT off and CONFIG_WERROR on"
else
	result FAIL "our files build with CONFIG_KUNIT off and CONFIG_WERROR on"
fi

step "external module build against build/$engine"
ext=$LS_BUILD/extmod-$engine
rm -rf "$ext"
mkdir -p "$ext"
cp "$LS_TOP/samples/leakscan/leakscan_sample.c" "$ext/"
echo 'obj-m += leakscan_sample.o' >"$ext/Kbuild"
if make -C "$out" M="$ext" CC="ccache gcc" modules >"$ext/build.log" 2>&1 &&
	[ -f "$ext/leakscan_sample.ko" ]; then
	result PASS "external module builds with make -C build/$engine M=<dir> modules"
else
	tail -n 20 "$ext/build.log"
	result FAIL "external module builds with make -C build/$engine M=<dir> modules"
fi

if ! "$scripts/initramfs.sh" "$engine"; then
	result FAIL "initramfs packs"
	finish
fi

step "booting the guest to run the in-guest tests"
log=$out/console-check.log
if "$scripts/boot.sh" "$engine" check "$BOOT_TIMEOUT" >"$out/boot-check.out" 2>&1; then
	result PASS "guest boots, runs the tests and powers off"
else
	grep -E '^leakscan: error' "$out/boot-check.out"
	tail -n 40 "$log"
	result FAIL "guest boots, runs the tests and powers off"
fi

step "a hung guest is stopped by the timeout, with a clear message"
if "$scripts/boot.sh" "$engine" demo 3 >"$out/boot-timeout.out" 2>&1; then
	result FAIL "a guest that overruns its timeout fails the run"
elif grep -q "guest timed out after 3 s" "$out/boot-timeout.out"; then
	result PASS "a guest that overruns its timeout fails the run, saying so"
else
	tail -n 5 "$out/boot-timeout.out"
	result FAIL "a guest that overruns its timeout fails the run, saying so"
fi

step "kselftest results"
fold_results < <(python3 "$scripts/results.py" ktap "$log" kselftest)

step "KUnit results"
suites=$(python3 "$scripts/results.py" sections "$log" | sed -n 's/^kunit //p')
if [ -z "$suites" ]; then
	echo "    no KUnit suites in this kernel"
fi
for s in $suites; do
	fold_results < <(python3 "$scripts/results.py" ktap "$log" "kunit $s")
done

step "console splats"
splat_result "$log" "no BUG, WARNING, Oops, lockdep, might_sleep, lockup or RCU stall on the console"

if [ "$engine" != none ]; then
	step "a second boot with kmemleak=off"
	offcmd="kmemleak=off lstests=leakscan:boot_param.sh"
	offlog=$(console_log "$engine" check "$offcmd")
	if "$scripts/boot.sh" "$engine" check "$BOOT_TIMEOUT" "$offcmd" >"$out/boot-off.out" 2>&1; then
		result PASS "guest boots with kmemleak=off"
		fold_results < <(python3 "$scripts/results.py" ktap "$offlog" kselftest |
			sed 's/^\(PASS\|FAIL\|SKIP\): /\1: kmemleak=off boot: /')
		if python3 "$scripts/results.py" splats "$offlog" >/dev/null; then
			result PASS "kmemleak=off boot: no splat on the console"
		else
			result FAIL "kmemleak=off boot: no splat on the console"
		fi
	else
		grep -E '^leakscan: error' "$out/boot-off.out"
		result FAIL "guest boots with kmemleak=off"
	fi
fi
# The full profile (defconfig-sized) under stress-ng and trinity, then
# suspend and hotplug on it (make realcheck).
if [ "$engine" = leakscan ]; then
	step "make realcheck: the full profile under a real workload"
	fold_results < <("$scripts/realcheck.sh" "$engine" 2>&1 ||
		echo "FAIL: make realcheck (exited non-zero)")
fi
# The reliability tests (make stress): the debug build, under stress.
if [ "$engine" = leakscan ]; then
	step "make stress: the debug build under stress, failing allocations and bad input"
	# Within CI's time: half the objects of scale.sh; the KUnit suite (run
	# by the check boot above) not again in the debug build; suspend and
	# hotplug not again either, as make realcheck ran them on the full
	# profile. make stress alone runs all of them in full.
	fold_results < <(SCALE_OBJECTS=${SCALE_OBJECTS:-500000} STRESS_KUNIT=${STRESS_KUNIT:-0} \
		STRESS_SKIP=${STRESS_SKIP-suspend.sh hotplug.sh} \
		"$scripts/stress.sh" 2>&1 || echo "FAIL: make stress (exited non-zero)")
	# The patch series (make series-check): git am, checkpatch, kernel-doc
	# and a build after every patch. Within CI's time: ENGINE=leakscan's
	# build after every patch (the stock engine's until patch 4 offers
	# leakscan), from the last patch back, which starts from the objects
	# of this check's own kernel build in the cache; classic from its
	# objects after the last. make series-check alone builds all three
	# engines after every patch.
	step "make series-check: the patch series applies, is clean and bisectable"
	fold_results < <(SERIES_ENGINES=${SERIES_ENGINES-leakscan} "$scripts/series-check.sh" 2>&1 ||
		echo "FAIL: make series-check (exited non-zero)")
fi
finish
