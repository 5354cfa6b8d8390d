#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot build/<engine> under QEMU with the harness initramfs.
#
# Usage: boot.sh <engine> <mode> [timeout-seconds] [extra command line]
#   mode: demo | check | real | shell | probe (see scripts/leakscan/guest/init)
# The console is copied to build/<engine>/console-<mode>.log, or with an
# extra command line to console-<mode>-<its words joined by '-'>.log (cut,
# with a hash, past 200 bytes: lib.sh's console_log).
# LS_GUEST_MEM sets the guest memory in MiB (1024 by default). LS_GUEST_DISK
# names a raw image the guest gets as /dev/vda (virtio-blk), and no NIC.
# LS_MONITOR names a Unix socket for QEMU's monitor (profile.sh samples the
# vCPUs through it); without it there is no monitor.
# Every mode but shell runs under a timeout; on expiry QEMU is killed and
# we fail.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

engine=${1:-leakscan}
mode=${2:-check}
limit=${3:-600}
extra=${4:-}
check_engine "$engine"
out=$(engine_dir "$engine")
kernel=$out/arch/x86/boot/bzImage
[ -f "$kernel" ] || die "no kernel at build/$engine: run 'make kernel ENGINE=$engine' first"
[ -f "$out/initramfs.cpio.gz" ] || die "no initramfs in build/$engine"

append="console=ttyS0 panic=-1 lsmode=$mode${extra:+ $extra}"
# The KUnit suite leaks on purpose: the demo and the shell show only what
# their user leaks, as make bench does.
case $mode in
demo | shell) append="$append kunit.enable=0" ;;
esac
qemu_base() {
	echo qemu-system-x86_64 -machine q35 -smp 2 -m "${LS_GUEST_MEM:-1024}" -no-reboot \
		-kernel "$kernel" -initrd "$out/initramfs.cpio.gz" \
		${LS_GUEST_DISK:+-drive file=$LS_GUEST_DISK,format=raw,if=virtio -nic none}
}

# KVM: /dev/kvm may exist and still not work (QEMU aborts or prints
# nothing). Probe it once with a short boot, and fall back to TCG.
accel_file=$LS_BUILD/accel
if [ ! -f "$accel_file" ]; then
	accel=tcg
	if [ -w /dev/kvm ] && [ "${LEAKSCAN_NO_KVM:-}" != 1 ]; then
		step "probing KVM (a failure here is expected on some machines)"
		if timeout -k 5 30 $(qemu_base) -accel kvm -cpu host -display none \
			-serial stdio -monitor none -append "console=ttyS0 panic=-1 lsmode=probe" \
			</dev/null 2>&1 | grep -q '@@LS-DONE@@'; then
			accel=kvm
		else
			info "KVM does not boot this kernel here; using TCG"
		fi
	fi
	echo "$accel" >"$accel_file"
fi
accel=$(cat "$accel_file")
case $accel in
kvm) accel_args="-accel kvm -cpu host" ;;
*) accel_args="-accel tcg -cpu max" ;;
esac

if [ "$mode" = shell ]; then
	step "booting ENGINE=$engine with a shell ($accel); leave with 'reboot -f' or Ctrl-A X"
	exec $(qemu_base) $accel_args -nographic -append "$append"
fi

log=$(console_log "$engine" "$mode" "$extra")
name=$(basename "$log" .log)
name=${name#console-}
step "booting ENGINE=$engine under QEMU ($accel), mode $mode, timeout ${limit} s"
info "console: build/$engine/console-$name.log"
set +e
monitor=none
[ -z "${LS_MONITOR:-}" ] || monitor=unix:$LS_MONITOR,server,nowait
timeout -k 10 "$limit" $(qemu_base) $accel_args -display none -serial stdio \
	-monitor "$monitor" -append "$append" </dev/null 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	die "guest timed out after $limit s (ENGINE=$engine, mode $mode); console in build/$engine/console-$name.log"
fi
[ "$rc" = 0 ] || die "QEMU exited with status $rc (ENGINE=$engine, mode $mode${extra:+, $extra})"
grep -q '@@LS-DONE@@' "$log" ||
	die "the guest stopped before finishing (ENGINE=$engine, mode $mode): see build/$engine/console-$name.log"
