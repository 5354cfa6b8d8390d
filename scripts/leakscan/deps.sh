#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the harness needs, if any are missing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PKGS="build-essential gcc make flex bison bc libelf-dev libssl-dev cpio
	xz-utils rsync kmod python3 perl ccache qemu-system-x86
	busybox-static linux-source-6.12 git python3-ply python3-git"

mkdir -p "$LS_BUILD"
step "checking host packages"
missing=()
for p in $PKGS; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	info "all present"
else
	info "missing: ${missing[*]}"
	[ "$(id -u)" = 0 ] ||
		die "packages missing (${missing[*]}) and not root: install them with apt-get"
	step "apt-get update"
	apt-get update -q >"$LS_BUILD/apt.log" 2>&1 ||
		die "apt-get update failed (see $LS_BUILD/apt.log)"
	step "apt-get install ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"${missing[@]}" >>"$LS_BUILD/apt.log" 2>&1 ||
		die "apt-get install failed for: ${missing[*]} (see $LS_BUILD/apt.log)"
fi
for c in gcc make flex bison bc cpio ccache qemu-system-x86_64 python3 git; do
	command -v "$c" >/dev/null || die "required command '$c' not found after install"
done
[ -x /bin/busybox ] || die "/bin/busybox missing (package busybox-static)"
[ -r "$LS_BASE_TARBALL" ] || die "kernel source $LS_BASE_TARBALL missing (package linux-source-6.12)"
mkdir -p "$CCACHE_DIR"
ccache -M 5G >/dev/null
