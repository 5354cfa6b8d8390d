#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make realbench: none, classic and leakscan side by side on the full
# profile (x86_64_defconfig + kvm_guest.config, build/full-<engine>), each
# booted REALBENCH_RUNS times (default 1) with the same real workload
# (scripts/leakscan/guest/real.sh: stress-ng, trinity, module churn, then
# syzkaller's wait, scan, scan, read, timed scans and one under the irqsoff
# tracer), one guest at a time. realbench_report.py compares the reports
# site by site and writes build/realbench/results.md.
#
# Environment: REALBENCH_RUNS (1), REALBENCH_TIMEOUT (seconds per boot,
# 3600), REALBENCH_ENGINES ("none classic leakscan"; classic and leakscan
# are needed, none only for the throughput ratio); REAL_CLASS_SECS,
# TRINITY_OPS, TRINITY_SEED, REAL_ROUNDS, REAL_SCANS, REAL_CLASSES and
# REAL_MODULES reach the guest, as in make realcheck.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

runs=${REALBENCH_RUNS:-1}
limit=${REALBENCH_TIMEOUT:-3600}
scripts=$LS_TOP/scripts/leakscan
out=$LS_BUILD/realbench
[ "$runs" -ge 1 ] 2>/dev/null || die "REALBENCH_RUNS must be a number of at least 1 (got '$runs')"
engines=$(realbench_engines "${REALBENCH_ENGINES:-none classic leakscan}") || exit 1
mkdir -p "$out"

cmd="$(tsc_cmdline) kunit.enable=0"
cmd="$cmd$(real_params)"
"$scripts/userland.sh"
logs=()
dead=0
for e in $engines; do
	b=full-$e
	step "realbench: building ENGINE=$e, full profile"
	s=$(date +%s)
	"$scripts/kernel.sh" "$b"
	"$scripts/initramfs.sh" "$b"
	echo "$b $(($(date +%s) - s))" >>"$out/build-times"
done
# Round by round, each engine in turn: what drifts over the hour (the
# host's load, its clock) falls on every engine alike.
for r in $(seq "$runs"); do
	for e in $engines; do
		b=full-$e
		step "realbench: the real workload on ENGINE=$e, run $r of $runs"
		cp --sparse=always "$LS_BUILD/userland/real.ext4" "$(engine_dir "$b")/real.ext4"
		console=$(console_log "$b" real "$cmd")
		rm -f "$console"
		if LS_GUEST_MEM=3328 LS_GUEST_DISK=$(engine_dir "$b")/real.ext4 \
			"$scripts/boot.sh" "$b" real "$limit" "$cmd" >"$out/boot-$e-$r.out" 2>&1 &&
			real_finished "$console"; then
			cp "$console" "$out/console-$e-$r.log"
			logs+=("$e=$out/console-$e-$r.log")
			continue
		fi
		# A guest that dies (under TCG, a text-patching int3 has killed
		# one in the network class) costs its run, not the whole
		# benchmark: the report counts its splats and leaves it out of
		# the figures, and make realbench fails once the table is out.
		grep -E '^leakscan: error' "$out/boot-$e-$r.out" >&2 ||
			tail -n 20 "$out/boot-$e-$r.out" >&2
		warn "the realbench boot of ENGINE=$e, run $r, did not finish (see build/realbench/boot-$e-$r.out)"
		if [ -f "$console" ]; then
			cp "$console" "$out/console-$e-$r.log"
		else
			cp "$out/boot-$e-$r.out" "$out/console-$e-$r.log"
		fi
		logs+=("died:$e=$out/console-$e-$r.log")
		dead=$((dead + 1))
	done
done

step "realbench: results"
python3 "$scripts/realbench_report.py" --kernel "$LS_BASE_VERSION" --md "$out/results.md" "${logs[@]}"
info "table: build/realbench/results.md"
[ "$dead" = 0 ] || die "$dead realbench boot(s) did not finish: see build/realbench/results.md"
