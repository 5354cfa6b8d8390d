#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Extract the base kernel into build/src once, check its version, bring the
# patches of patches/series up to date (quilt-style push/pop) and copy the
# files the series adds (the overlay) into it. Unchanged files keep their
# timestamps, so Kbuild rebuilds only what really changed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

OVERLAY="mm/leakscan samples/leakscan tools/testing/selftests/leakscan
	tools/testing/leakscan Documentation/dev-tools/leakscan.rst"
state=$LS_SRC/.leakscan

src_version() {
	awk -F' *= *' '$1 == "VERSION" { v = $2 } $1 == "PATCHLEVEL" { p = $2 }
		$1 == "SUBLEVEL" { s = $2 } END { print v "." p "." s }' "$1/Makefile"
}

pkg=$(dpkg-query -W -f='${Version}' "$LS_BASE_PKG" 2>/dev/null || echo unknown)
if [ -f "$state/base" ] && ! grep -qxF "package $LS_BASE_PKG $pkg" "$state/base"; then
	info "$LS_BASE_PKG is now $pkg; build/src was $(sed -n 's/^package //p' "$state/base")"
	rm -f "$state/base"
fi
if [ ! -f "$state/base" ]; then
	step "extracting $LS_BASE_TARBALL into build/src"
	extract_base "$LS_SRC"
	mkdir -p "$state/patches"
	: >"$state/applied"
	printf 'version %s\npackage %s %s\n' "$(src_version "$LS_SRC")" \
		"$LS_BASE_PKG" "$pkg" >"$state/base"
fi

got=$(src_version "$LS_SRC")
step "base kernel: linux $got ($(sed -n 's/^package //p' "$state/base"))"
check_base_version "$got"

# Patches: keep the longest prefix of what is applied that still matches
# patches/series byte for byte, pop the rest, push what is missing.
mapfile -t want < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$LS_PATCHES/series")
mapfile -t have <"$state/applied"
keep=0
while [ $keep -lt ${#have[@]} ] && [ $keep -lt ${#want[@]} ] &&
	[ "${have[$keep]}" = "${want[$keep]}" ] &&
	cmp -s "$state/patches/${have[$keep]}" "$LS_PATCHES/${want[$keep]}"; do
	keep=$((keep + 1))
done
for ((i = ${#have[@]} - 1; i >= keep; i--)); do
	step "unapplying ${have[$i]}"
	patch -d "$LS_SRC" -p1 -R -s -f <"$state/patches/${have[$i]}" ||
		die "could not unapply ${have[$i]}; remove build/src to start over"
	rm -f "$state/patches/${have[$i]}"
	sed -i '$d' "$state/applied"
done
for ((i = keep; i < ${#want[@]}; i++)); do
	p=${want[$i]}
	[ -f "$LS_PATCHES/$p" ] || die "${LS_PATCHES#$LS_TOP/}/series names $p, which does not exist"
	step "applying $p"
	if ! out=$(patch -d "$LS_SRC" -p1 -N -s -f --dry-run <"$LS_PATCHES/$p" 2>&1); then
		printf '%s\n' "$out" >&2
		die "patch $p does not apply to linux $got (the series was made on $LS_BASE_VERSION)"
	fi
	patch -d "$LS_SRC" -p1 -N -s -f <"$LS_PATCHES/$p" >/dev/null
	cp "$LS_PATCHES/$p" "$state/patches/$p"
	echo "$p" >>"$state/applied"
done
info "${#want[@]} patches applied"

# Overlay: the files the series adds. rsync -c rewrites only changed files.
step "updating the overlay"
touch "$state/overlay"
for path in $(cat "$state/overlay") $OVERLAY; do
	if [ -d "$LS_TOP/$path" ]; then
		mkdir -p "$LS_SRC/$path"
		# A backport's own files are left for the step below, so that
		# an unchanged one is not rewritten (and rebuilt) every time.
		excl=()
		if [ -n "$LS_BACKPORT" ] && [ -d "$LS_BACKPORT/$path" ]; then
			while IFS= read -r f; do
				excl+=(--exclude="/${f#"$LS_BACKPORT/$path/"}")
			done < <(find "$LS_BACKPORT/$path" -type f)
		fi
		rsync -rc --delete "${excl[@]}" "$LS_TOP/$path/" "$LS_SRC/$path/"
	elif [ -f "$LS_TOP/$path" ]; then
		mkdir -p "$(dirname "$LS_SRC/$path")"
		rsync -c "$LS_TOP/$path" "$LS_SRC/$path"
	else
		rm -rf "${LS_SRC:?}/$path"
	fi
done
printf '%s\n' $OVERLAY >"$state/overlay"

# A backport's own versions of files, where the mainline ones use what the
# older kernel lacks (backport/<base>/, at kernel paths).
if [ -n "$LS_BACKPORT" ] && [ -d "$LS_BACKPORT" ]; then
	step "updating the $LS_BASE backport's own files"
	rsync -rc "$LS_BACKPORT/" "$LS_SRC/"
fi
