#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Where the full profile's guest spends its time under the real workload:
# boot build/<build> (full-none, full-classic, full-leakscan; built first if
# need be) with nokaslr and lsmode=real, sample every vCPU's program counter
# through QEMU's monitor (pcprofile.py) from /init to the end of the module
# churn (the workload, without the leak check's scans), and
# print the functions with the most samples. With a second build, also
# what the second spends beyond the first (diff). Under TCG the samples
# fall where the emulated CPU is, which is not a hardware profile: compare
# kernels with each other, not with a machine.
#
# Usage: profile.sh <build> [<build2>]
# REAL_CLASS_SECS, TRINITY_OPS, TRINITY_SEED, TRINITY_SECS, REAL_ROUNDS, REAL_SCANS,
# REAL_CLASSES and REAL_MODULES reach the guest, as in make realcheck;
# PROFILE_HZ sets the samples a second (50). Output: build/profile/.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: profile.sh <build> [<build2>]"
[ "${2:-}" != "$1" ] || die "profile.sh: '$1' against itself: name two different builds"
scripts=$LS_TOP/scripts/leakscan
out=$LS_BUILD/profile
hz=${PROFILE_HZ:-50}
mkdir -p "$out"
for b in "$@"; do
	check_engine "$b"
	case $b in full-*) ;; *) die "profile.sh takes full-profile builds (full-<engine>), not '$b'" ;; esac
done
"$scripts/userland.sh"
cmd="$(tsc_cmdline) kunit.enable=0 nokaslr$(real_params)"
for b in "$@"; do
	"$scripts/kernel.sh" "$b"
	"$scripts/initramfs.sh" "$b"
	cp --sparse=always "$LS_BUILD/userland/real.ext4" "$(engine_dir "$b")/real.ext4"
	sock=$out/$b.monitor
	# A console log left from an earlier boot would end the sampling at once.
	rm -f "$sock" "$out/$b.samples" "$(console_log "$b" real "$cmd")"
	step "profile: the real workload on $b, sampled $hz times a second"
	LS_MONITOR=$sock LS_GUEST_MEM=3328 LS_GUEST_DISK=$(engine_dir "$b")/real.ext4 \
		"$scripts/boot.sh" "$b" real 3000 "$cmd" >"$out/boot-$b.out" 2>&1 &
	boot=$!
	# On any exit before the boot is waited for, stop the guest: timeout
	# passes TERM on to QEMU.
	trap 'pkill -TERM -P "$boot" 2>/dev/null || :' EXIT
	rc=0
	python3 "$scripts/pcprofile.py" sample "$sock" "$out/$b.samples" --hz "$hz" \
		--pid "$boot" --log "$(console_log "$b" real "$cmd")" || rc=$?
	wait "$boot" || die "the boot of $b failed (see build/profile/boot-$b.out)"
	trap - EXIT
	[ $rc = 0 ] || die "sampling $b failed"
	python3 "$scripts/pcprofile.py" report "$(engine_dir "$b")/vmlinux" "$out/$b.samples" |
		tee "$out/$b.txt"
done
if [ $# = 2 ]; then
	python3 "$scripts/pcprofile.py" diff "$(engine_dir "$1")/vmlinux" "$out/$1.samples" \
		"$(engine_dir "$2")/vmlinux" "$out/$2.samples" | tee "$out/$1-vs-$2.txt"
fi
