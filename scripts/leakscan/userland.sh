#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Pack the full profile's userland into build/userland/real.ext4: Debian's
# stress-ng and trinity (installed by deps.sh) with the shared libraries
# ldd resolves for them, at their own paths, and an empty /tmp to work in.
# The guest mounts it from virtio-blk at /real and links the loader and
# library directories into its busybox root; busybox stays the shell, and
# nothing is fetched at boot. Each boot works on a copy (realcheck.sh), so
# every engine starts from the same image. Skipped when the packages and
# this script are unchanged.
#
# Usage: userland.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"

dir=$LS_BUILD/userland
img=$dir/real.ext4
bins="/usr/bin/stress-ng /usr/bin/trinity"
# The image's size; it is sparse, and stress-ng's filesystem class writes
# into its /tmp.
size=${LS_USERLAND_SIZE:-2G}

for b in $bins; do
	[ -x "$b" ] || die "$b missing: run make deps (packages stress-ng and trinity)"
done
command -v mkfs.ext4 >/dev/null || die "mkfs.ext4 missing (package e2fsprogs)"
stamp=$( { dpkg-query -W -f='${Package} ${Version}\n' stress-ng trinity libc6
	cat "$0"; echo "$size"; } | sha1sum | cut -d' ' -f1)
if [ -f "$img" ] && [ "$(cat "$dir/stamp" 2>/dev/null)" = "$stamp" ]; then
	step "the userland image build/userland/real.ext4 is up to date"
	exit 0
fi

step "packing stress-ng and trinity into build/userland/real.ext4"
rm -rf "$dir"
mkdir -p "$dir/root"
root=$dir/root
# The binaries, then every library ldd names (the loader by its own path).
libs=$(for b in $bins; do
	ldd "$b" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
done | sort -u)
[ -n "$libs" ] || die "ldd resolved no library for $bins"
for f in $bins $libs; do
	mkdir -p "$root$(dirname "$f")"
	cp -L "$f" "$root$f"
done
mkdir -p "$root/tmp"
chmod 1777 "$root/tmp"
truncate -s "$size" "$img"
mkfs.ext4 -q -F -L leakscan-real -d "$root" "$img" >"$dir/mkfs.log" 2>&1 ||
	die "mkfs.ext4 -d failed (see build/userland/mkfs.log)"
echo "$stamp" >"$dir/stamp"
info "build/userland/real.ext4: $size, sparse, $(du -sh "$root" | cut -f1) of files"
