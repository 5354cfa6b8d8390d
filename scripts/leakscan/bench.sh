#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: build none, classic and leakscan from the same tree and
# config, boot each once under QEMU running the same workload
# (scripts/leakscan/guest/bench.sh with leakscan_bench.ko); then build
# classic and leakscan again with the irqsoff tracer, and boot each once
# to measure the longest stretch with interrupts off during scans. Print
# one table of medians, ranges and ratios, write it to
# build/bench/results.md and draw the ratios in build/bench/ratios.svg.
#
# Environment: BENCH_RUNS (default 3), BENCH_PAIRS (default 20000),
# BENCH_LIVE (default "10000 100000 1000000"), BENCH_TIMEOUT (seconds per
# boot, default 1800).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

runs=${BENCH_RUNS:-3}
pairs=${BENCH_PAIRS:-20000}
live=${BENCH_LIVE:-10000 100000 1000000}
limit=${BENCH_TIMEOUT:-1800}
scripts=$LS_TOP/scripts/leakscan
out=$LS_BUILD/bench
[ "$runs" -ge 3 ] 2>/dev/null || die "BENCH_RUNS must be a number of at least 3 (got '$runs')"
mkdir -p "$out"

tsc=$(tsc_cmdline)
# KUnit suites are built into some engines only: never run them here.
cmdline="$tsc kunit.enable=0 lsruns=$runs lspairs=$pairs lslive=\"$live\""
logs=()
for e in none classic leakscan classic-irqsoff leakscan-irqsoff; do
	step "bench: building ENGINE=$e"
	"$scripts/kernel.sh" "$e"
	"$scripts/initramfs.sh" "$e"
	args=$cmdline
	case $e in
	*-irqsoff)
		args="$tsc kunit.enable=0 lsruns=$runs lsbench=irqsoff"
		step "bench: the longest stretch with interrupts off during scans, ENGINE=$e" ;;
	*) step "bench: running the workload on ENGINE=$e ($runs runs of each figure)" ;;
	esac
	"$scripts/boot.sh" "$e" bench "$limit" "$args" >"$out/boot-$e.out" 2>&1 || {
		grep -E '^leakscan: error' "$out/boot-$e.out" >&2 || tail -n 20 "$out/boot-$e.out" >&2
		die "the bench boot of ENGINE=$e failed (console: $out/boot-$e.out)"
	}
	log=$(sed -n 's/^    console: build\///p' "$out/boot-$e.out")
	cp "$LS_BUILD/$log" "$out/console-$e.log"
	if python3 "$scripts/results.py" splats "$out/console-$e.log" >"$out/splats-$e.txt"; then
		:
	else
		warn "ENGINE=$e printed kernel splats during the bench (see build/bench/splats-$e.txt)"
	fi
	logs+=("$e=$out/console-$e.log")
done

step "bench: results"
python3 "$scripts/bench_report.py" --runs "$runs" --kernel "$LS_BASE_VERSION" --md "$out/results.md" \
	--svg "$out/ratios.svg" "${logs[@]}"
info "table: build/bench/results.md, chart: build/bench/ratios.svg"
