#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Pack the guest's initramfs for one engine: busybox, our /init, the
# kernel's modules and the installed kselftests.
#
# Usage: initramfs.sh <engine>
set -euo pipefail
. "$(dirname "$0")/lib.sh"

engine=${1:-leakscan}
check_engine "$engine"
out=$(engine_dir "$engine")
root=$out/initramfs
[ -d "$out/modroot/lib/modules" ] || die "build/$engine has no modules installed: run 'make kernel ENGINE=$engine' first"

step "packing the initramfs for ENGINE=$engine"
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,root,etc,lib}
cp /bin/busybox "$root/bin/busybox"
# One link per applet, but never one named busybox: that would loop.
for applet in $(/bin/busybox --list-full); do
	[ "${applet##*/}" = busybox ] && continue
	[ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done
install -m 0755 "$LS_TOP/scripts/leakscan/guest/init" "$root/init"
install -m 0755 "$LS_TOP/scripts/leakscan/guest/bench.sh" "$root/bench.sh"
install -m 0755 "$LS_TOP/scripts/leakscan/guest/real.sh" "$root/real.sh"
gcc -static -O2 -Wall -o "$root/usr/bin/lstime" "$LS_TOP/scripts/leakscan/guest/lstime.c" ||
	die "building the guest's lstime failed"
rm -f "$root/usr/bin/timeout"
install -m 0755 "$LS_TOP/scripts/leakscan/guest/timeout" "$root/usr/bin/timeout"
echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
echo "root:x:0:" >"$root/etc/group"
cp -a "$out/modroot/lib/modules" "$root/lib/"

info "installing the kselftests"
make -s -C "$LS_SRC/tools/testing/selftests" O="$out/kselftest-build" \
	TARGETS="leakscan leakscan/stress" INSTALL_PATH="$root/kselftest" install \
	>"$out/kselftest-install.log" 2>&1 ||
	die "installing the kselftests failed (see build/$engine/kselftest-install.log)"

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
	gzip -1 >"$out/initramfs.cpio.gz"
info "build/$engine/initramfs.cpio.gz: $(du -h "$out/initramfs.cpio.gz" | cut -f1)"
