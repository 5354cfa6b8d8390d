#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the harness needs, if any are missing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PKGS="build-essential gcc make flex bison bc libelf-dev libssl-dev cpio
	xz-utils rsync kmod python3 perl ccache qemu-system-x86
	busybox-static $LS_BASE_PKG git python3-ply python3-git
	gcc-aarch64-linux-gnu e2fsprogs stress-ng trinity"

# The Debian suite that carries each base's source package, where the
# machine's own release does not.
suite_for() {
	case $1 in
	linux-source-7.3) echo trixie-backports ;;
	esac
}

# Add a Debian suite through the archive the machine's apt sources already
# name (deb822 .sources files or one-line lists), so that no host is
# written down here. Backports suites are not installed from by default:
# only the packages asked for by name come from them.
add_suite() {
	local suite=$1 list=/etc/apt/sources.list.d/leakscan-$1.sources uri
	[ -f "$list" ] && return 0
	uri=$(
		{
			awk 'BEGIN { IGNORECASE = 1 }
			     /^URIs:/ { u = $2 }
			     /^Suites:/ { for (i = 2; i <= NF; i++) if ($i !~ /-/) s = 1 }
			     /^[[:space:]]*$/ { if (u != "" && s) print u; u = ""; s = 0 }
			     END { if (u != "" && s) print u }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true
			awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i ~ /:\/\//) {
				if ($(i + 1) !~ /-/) print $i; break } }' \
				/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true
		} | grep -E '/debian/?$' | head -n 1 || true
	)
	[ -n "$uri" ] || die "no Debian archive in the machine's apt sources to take $suite from"
	info "adding $suite from $uri"
	printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: %s\n' \
		"$uri" "$suite" /usr/share/keyrings/debian-archive-keyring.gpg >"$list"
}

mkdir -p "$LS_BUILD"
step "checking host packages"
missing=()
for p in $PKGS; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing+=("$p")
done
# The base's source package should hold the version the series is made on
# ($LS_BASE_VERSION), not whatever stable update the archive has since.
have=$(dpkg-query -W -f='${Version}' "$LS_BASE_PKG" 2>/dev/null || true)
repin=
case " ${missing[*]} " in
*" $LS_BASE_PKG "*) ;;
*) [[ $have == "$LS_BASE_VERSION"-* ]] || repin=1 ;;
esac
if [ ${#missing[@]} -eq 0 ] && [ -z "$repin" ]; then
	info "all present"
elif [ "$(id -u)" != 0 ]; then
	[ ${#missing[@]} -eq 0 ] ||
		die "packages missing (${missing[*]}) and not root: install them with apt-get"
	warn "$LS_BASE_PKG is $have, not $LS_BASE_VERSION, and not root to change it"
else
	[ ${#missing[@]} -eq 0 ] || info "missing: ${missing[*]}"
	[ -z "$repin" ] || info "$LS_BASE_PKG is $have; the series is made on $LS_BASE_VERSION"
	for p in "${missing[@]}" ${repin:+"$LS_BASE_PKG"}; do
		s=$(suite_for "$p")
		[ -z "$s" ] || add_suite "$s"
	done
	step "apt-get update"
	apt-get update -q >"$LS_BUILD/apt.log" 2>&1 ||
		die "apt-get update failed (see $LS_BUILD/apt.log)"
	pin=$(apt-cache madison "$LS_BASE_PKG" 2>/dev/null | pinned_version)
	names=()
	for p in "${missing[@]}"; do
		s=$(suite_for "$p")
		if [ "$p" = "$LS_BASE_PKG" ] && [ -n "$pin" ]; then
			names+=("$p=$pin")
		else
			names+=("$p${s:+/$s}")
		fi
	done
	if [ -n "$repin" ]; then
		if [ -n "$pin" ]; then
			names+=("$LS_BASE_PKG=$pin")
		else
			warn "the archive no longer has $LS_BASE_PKG $LS_BASE_VERSION; keeping $have"
		fi
	fi
	if [ ${#names[@]} -gt 0 ]; then
		step "apt-get install ${names[*]}"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			--allow-downgrades "${names[@]}" >>"$LS_BUILD/apt.log" 2>&1 ||
			die "apt-get install failed for: ${names[*]} (see $LS_BUILD/apt.log)"
	fi
fi
for c in gcc make flex bison bc cpio ccache qemu-system-x86_64 python3 git; do
	command -v "$c" >/dev/null || die "required command '$c' not found after install"
done
[ -x /bin/busybox ] || die "/bin/busybox missing (package busybox-static)"
[ -r "$LS_BASE_TARBALL" ] || die "kernel source $LS_BASE_TARBALL missing (package $LS_BASE_PKG)"
mkdir -p "$CCACHE_DIR"
# Two profiles of three engines each, and their variants: a defconfig-sized
# build alone takes over 1 GiB of cache.
ccache -M 20G >/dev/null
