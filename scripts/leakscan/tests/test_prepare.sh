#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Tests of scripts/leakscan/prepare.sh against small fake source packages:
# the series applies to the right base, a rerun changes nothing, and a wrong
# version or a patch that no longer applies stops with a clear message.
# Needs build/src (run after prepare.sh). Prints PASS:/FAIL: lines.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prepare=$LS_TOP/scripts/leakscan/prepare.sh

# A base tree holding only the files our patches touch, made pristine again
# by reverse-applying the series to copies from build/src.
mapfile -t series < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$LS_PATCHES/series")
major=${LS_BASE%%.*}
minor=${LS_BASE#*.}
next="$major.$((minor + 1))"
make_tarball() {	# make_tarball <sublevel> <name> [edit-command]
	local t=$tmp/$2/$LS_BASE_PKG f i
	mkdir -p "$t"
	for f in $(sed -n 's|^+++ b/||p' "${series[@]/#/$LS_PATCHES/}" | sort -u); do
		mkdir -p "$t/$(dirname "$f")"
		cp "$LS_SRC/$f" "$t/$f"
	done
	for ((i = ${#series[@]} - 1; i >= 0; i--)); do
		patch -s -d "$t" -p1 -R <"$LS_PATCHES/${series[$i]}" || return 1
	done
	printf 'VERSION = %s\nPATCHLEVEL = %s\nSUBLEVEL = %s\nEXTRAVERSION =\n' \
		"$major" "$minor" "$1" >"$t/Makefile"
	[ -z "${3:-}" ] || (cd "$t" && eval "$3")
	tar -cJf "$tmp/$2.tar.xz" -C "$tmp/$2" "$LS_BASE_PKG"
}

run_prepare() {	# run_prepare <name>: output in $tmp/<name>.out
	LS_BUILD=$tmp/build-$1 LS_BASE_TARBALL=$tmp/$1.tar.xz "$prepare" >"$tmp/$1.out" 2>&1
}

t() {	# t <name> <command...>
	local name=$1
	shift
	if "$@"; then echo "PASS: prepare: $name"; else echo "FAIL: prepare: $name"; fi
}

make_tarball "${LS_BASE_VERSION##*.}" good || { echo "FAIL: prepare: making a pristine base"; exit 1; }
t "the series applies to $LS_BASE_VERSION" run_prepare good
t "the overlay is copied in" test -f "$tmp/build-good/src/samples/leakscan/leakscan_sample.c"
t "the patched files carry our edits" grep -q SAMPLE_LEAKSCAN "$tmp/build-good/src/samples/Kconfig"
stamp=$(stat -c %Y.%N "$tmp/build-good/src/samples/Kconfig" "$tmp/build-good/src/samples/leakscan/leakscan_sample.c")
sleep 1
t "a rerun succeeds" run_prepare good
t "a rerun rewrites nothing" test "$stamp" = "$(stat -c %Y.%N "$tmp/build-good/src/samples/Kconfig" \
	"$tmp/build-good/src/samples/leakscan/leakscan_sample.c")"

make_tarball 0 wrongmajor && sed -i "s/PATCHLEVEL = $minor/PATCHLEVEL = $((minor + 1))/" \
	"$tmp/wrongmajor/$LS_BASE_PKG/Makefile" &&
	tar -cJf "$tmp/wrongmajor.tar.xz" -C "$tmp/wrongmajor" "$LS_BASE_PKG"
t "a base that is not $LS_BASE is refused" bash -c "! LS_BUILD=$tmp/build-wm LS_BASE_TARBALL=$tmp/wrongmajor.tar.xz $prepare >$tmp/wm.out 2>&1"
t "... saying which version it found" grep -q "base kernel is $next.0, but BASE=$LS_BASE is a series for $LS_BASE" "$tmp/wm.out"
t "a missing base is refused, naming its package" bash -c "! LS_BUILD=$tmp/build-none LS_BASE_TARBALL=$tmp/none.tar.xz $LS_TOP/scripts/leakscan/deps.sh >$tmp/none.out 2>&1 && grep -q 'missing (package $LS_BASE_PKG)' $tmp/none.out"
t "an unknown BASE is refused" bash -c "! BASE=5.4 $prepare >$tmp/b.out 2>&1 && grep -q \"unknown BASE '5.4'\" $tmp/b.out"

make_tarball 999 newer "sed -i '/CONFIG_SAMPLE_KMEMLEAK/d' samples/Makefile"
t "a patch that no longer applies stops prepare" bash -c "! LS_BUILD=$tmp/build-new LS_BASE_TARBALL=$tmp/newer.tar.xz $prepare >$tmp/new.out 2>&1"
t "... warning of the other sublevel" grep -q "base kernel is $LS_BASE.999, the series was made on $LS_BASE_VERSION" "$tmp/new.out"
t "... and naming the patch" grep -q "error: patch ${series[0]} does not apply to linux $LS_BASE.999" "$tmp/new.out"

# A patch that was applied but has left the series is popped again.
src=$tmp/build-good/src
cat >"$tmp/extra.patch" <<'PATCH'
--- a/samples/Makefile
+++ b/samples/Makefile
@@ -1,2 +1,3 @@
+# leakscan test line
PATCH
head -n 2 "$src/samples/Makefile" | sed 's/^/ /' >>"$tmp/extra.patch"
patch -s -d "$src" -p1 <"$tmp/extra.patch"
cp "$tmp/extra.patch" "$src/.leakscan/patches/9999-extra.patch"
echo 9999-extra.patch >>"$src/.leakscan/applied"
t "a patch gone from the series is unapplied" run_prepare good
t "... leaving the tree as the series makes it" bash -c \
	"! grep -q 'leakscan test line' $src/samples/Makefile && diff -q <(printf '%s\n' ${series[*]}) $src/.leakscan/applied"

# make series on a base of another sublevel: the same warning as prepare's,
# and the series is still written.
sed -i "s/^version .*/version $LS_BASE.999/" "$tmp/build-good/src/.leakscan/base"
LS_BUILD=$tmp/build-good LS_BASE_TARBALL=$tmp/good.tar.xz \
	"$LS_TOP/scripts/leakscan/series.sh" >"$tmp/series.out" 2>&1
t "make series takes a base of another sublevel" \
	bash -c "! grep -q 'error: the series is made on' $tmp/series.out"
t "... warning of it" grep -q "base kernel is $LS_BASE.999, the series was made on $LS_BASE_VERSION" "$tmp/series.out"

# deps.sh installs the base's source package at the version the series is
# made on, when the archive still has it (apt-cache madison's lines).
madison="  $LS_BASE_PKG | $LS_BASE.999-1 | http://x/debian s/main amd64 Packages
  $LS_BASE_PKG | $LS_BASE_VERSION-1~deb12u1 | http://x/debian s/main amd64 Packages
  $LS_BASE_PKG | $LS_BASE_VERSION-0 | http://x/debian s/main amd64 Packages"
t "deps picks the package of $LS_BASE_VERSION" test "$(pinned_version <<<"$madison")" = "$LS_BASE_VERSION-1~deb12u1"
t "... and nothing when the archive has it no longer" test -z "$(sed 1d <<<"$madison" | sed 's/-1~deb12u1/.5-1/;s/-0 |/.5-0 |/' | pinned_version)"
