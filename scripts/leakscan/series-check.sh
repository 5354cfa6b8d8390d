#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make series-check: check the patch series the way a maintainer would.
#   1. make series, then git am every patch onto a fresh extract of the base,
#      imported as the same base commit the series names;
#   2. scripts/checkpatch.pl --strict on every patch: no error, warning or
#      check, but for FILE_PATH_CHANGES on a patch whose new files the
#      MAINTAINERS entry already covers (the cover letter says why);
#   3. scripts/kernel-doc -none -Wall on our sources and headers: silent;
#   4. after every patch, the host unit tests (once they exist) and a
#      kernel build for each engine of SERIES_ENGINES (default: none,
#      classic and leakscan; make check builds leakscan alone), through
#      ccache, each in its own Kbuild O= directory; after the last patch,
#      an engine not built after every patch is built from a copy of
#      ENGINE=leakscan's objects (classic), or only configured (none,
#      whose CONFIG_DEBUG_KMEMLEAK rebuilds nearly every file; built too
#      with LS_BACKPORT_ALL=1);
#   5. the tree after the last patch is the one make check tests;
#   6. then each backport (the other bases of base-version, BASE=<base>):
#      make series for it, git am onto its base, the host unit tests, the
#      final tree built as in 4 after the last patch, and one boot of the
#      selftests and KUnit tests with ENGINE=leakscan.
# Prints "PASS|FAIL: ..." lines and ends with "N passed, N failed".
#
# Usage: [BASE=<base>] [SERIES_ENGINES="..."] series-check.sh
# (BASE= a backport checks only it)
set -uo pipefail
. "$(dirname "$0")/lib.sh"

t0=$(date +%s)
run_name="make series-check"
# The engines built after every patch, each once, separated by single
# spaces; a name that is no engine is refused before anything is done.
per_patch=
set -f
for e in ${SERIES_ENGINES-none classic leakscan}; do
	case " $LS_ENGINES " in
	*" $e "*) ;;
	*) die "SERIES_ENGINES: unknown engine '$e' (choose from: $LS_ENGINES)" ;;
	esac
	case " $per_patch " in
	*" $e "*) ;;
	*) per_patch=$per_patch${per_patch:+ }$e ;;
	esac
done
set +f
# A backport is checked as a whole, not patch by patch.
backport=${LS_BACKPORT:+yes}
if [ -n "$backport" ]; then
	per_patch=
	run_name="make series-check BASE=$LS_BASE"
	"$(dirname "$0")/deps.sh" >/dev/null && "$(dirname "$0")/prepare.sh" >/dev/null ||
		{ result FAIL "BASE=$LS_BASE: make prepare"; finish; }
fi
scripts=$LS_TOP/scripts/leakscan
work=$LS_BUILD/series-check
tree=$work/src
series=$LS_BUILD/series
cfgdir=$scripts/configs

if ! "$scripts/series.sh"; then
	result FAIL "make series writes the series"
	finish
fi
result PASS "make series writes the series"
mapfile -t patches < <(ls "$series"/[0-9][0-9][0-9][0-9]-*.patch | grep -v '/0000-cover-letter')

state=$LS_SRC/.leakscan
version=$(sed -n 's/^version //p' "$state/base")
package=$(sed -n 's/^package //p' "$state/base")
step "importing a fresh extract of the base into build/series-check/src"
mkdir -p "$work"
extract_base "$tree"
base=$(python3 "$scripts/series.py" import "$tree" "$version" "$package") ||
	die "could not import the base tree into git"
want=$(sed -n 's/^base-commit: //p' "$series/0000-cover-letter.patch")
if [ "$base" = "$want" ]; then
	result PASS "the series' base-commit is the pristine $version ($package)"
else
	result FAIL "the series' base-commit ($want) is the pristine $version ($base)"
fi

# checkpatch runs scripts/spdxcheck.py, which needs Debian's python3 modules
# (python3-ply, python3-git), whatever python3 comes first in PATH.
mkdir -p "$work/bin"
ln -sf /usr/bin/python3 "$work/bin/python3"

cp_errors=0
cp_warnings=0
cp_checks=0
cp_excused=0
# checkpatch --strict on patch $1, applied last to $tree.
checkpatch() {
	local p=$1 name=${1##*/} out total e w c excused=0 uncovered
	out=$(cd "$tree" && PATH="$work/bin:$PATH" scripts/checkpatch.pl --strict \
		--show-types -q "$p" 2>&1)
	total=$(echo "$out" | grep '^total: ' | tail -n 1)
	e=$(echo "$total" | sed -n 's/^total: \([0-9]*\) errors, \([0-9]*\) warnings, \([0-9]*\) checks.*/\1/p')
	w=$(echo "$total" | sed -n 's/^total: \([0-9]*\) errors, \([0-9]*\) warnings, \([0-9]*\) checks.*/\2/p')
	c=$(echo "$total" | sed -n 's/^total: \([0-9]*\) errors, \([0-9]*\) warnings, \([0-9]*\) checks.*/\3/p')
	if [ -z "$e" ] && [ -n "$out" ]; then
		echo "$out" | head -n 20 | sed 's/^/    /'
		result FAIL "checkpatch --strict runs on $name"
		return
	fi
	e=${e:-0} w=${w:-0} c=${c:-0}
	# FILE_PATH_CHANGES is excused when the MAINTAINERS entry, as of this
	# patch, covers every file the patch adds.
	if echo "$out" | grep -q 'FILE_PATH_CHANGES:'; then
		uncovered=$(awk '/^--- \/dev\/null/ { getline; sub(/^\+\+\+ b\//, ""); print }' "$p" |
			while read -r f; do
				covered=0
				while read -r pat; do
					case $f in "$pat"*) covered=1 ;; esac
				done < <(sed -n '/^LEAKSCAN /,/^$/s/^F:\t//p' "$tree/MAINTAINERS")
				[ $covered = 1 ] || echo "$f"
			done)
		if [ -z "$uncovered" ]; then
			excused=1
		else
			echo "    not covered by MAINTAINERS:" $uncovered
		fi
	fi
	cp_errors=$((cp_errors + e))
	cp_warnings=$((cp_warnings + w - excused))
	cp_checks=$((cp_checks + c))
	cp_excused=$((cp_excused + excused))
	if [ "$e" = 0 ] && [ "$((w - excused))" = 0 ] && [ "$c" = 0 ]; then
		result PASS "checkpatch --strict: $name: 0 errors, 0 warnings, 0 checks$(
			[ $excused = 0 ] || echo ' (FILE_PATH_CHANGES: covered by MAINTAINERS)')"
	else
		echo "$out" | grep -E '(ERROR|WARNING|CHECK):' | grep -v FILE_PATH_CHANGES |
			head -n 30 | sed 's/^/    /'
		result FAIL "checkpatch --strict: $name: $e errors, $((w - excused)) warnings, $c checks"
	fi
}

# Configure O= directory $2 for engine $1 in the series tree: tinyconfig,
# the harness's fragments on top, as make check configures.
series_config() {
	local engine=$1 out=$2
	make -C "$tree" O="$out" CC="ccache gcc" HOSTCC="ccache gcc" tinyconfig \
		>"$out/config.log" 2>&1 &&
		"$tree/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" \
			"$cfgdir/base.config" "$cfgdir/$engine.config" >>"$out/config.log" 2>&1 &&
		make -C "$tree" O="$out" CC="ccache gcc" HOSTCC="ccache gcc" olddefconfig \
			>>"$out/config.log" 2>&1
}

# The engine a configured O= directory builds.
built_engine() {
	if grep -q '^CONFIG_KMEMLEAK_ENGINE_LEAKSCAN=y' "$1/.config"; then
		echo leakscan
	elif grep -q '^CONFIG_DEBUG_KMEMLEAK=y' "$1/.config"; then
		echo classic
	else
		echo none
	fi
}

# Configure O= directory $work/$1 for engine $1 and build it, the tree as
# it is; $2 names the point in the series for the results. $3 is "tip"
# after the last patch, where each engine must configure as itself, or
# "configure" there to stop after the configuration. Before that,
# ENGINE=leakscan's configuration must give the stock engine until
# mm/Kconfig.debug offers leakscan (patch 4).
build_engine() {
	local engine=$1 what=$2 mode=${3:-} out=$work/$1 offers=no got want note s
	[ -z "$mode" ] || offers=yes
	grep -q '^config KMEMLEAK_ENGINE_LEAKSCAN$' "$tree/mm/Kconfig.debug" && offers=yes
	mkdir -p "$out"
	if ! series_config "$engine" "$out"; then
		tail -n 20 "$out/config.log" | sed 's/^/    /'
		result FAIL "$what: ENGINE=$engine configures"
		return
	fi
	got=$(built_engine "$out")
	want=$engine
	[ "$engine" = leakscan ] && [ $offers = no ] && want=classic
	if [ "$got" != "$want" ]; then
		result FAIL "$what: ENGINE=$engine configures the $want engine (got $got)"
		return
	fi
	if [ "$mode" = configure ]; then
		result PASS "$what: configures ENGINE=$engine (built with LS_BACKPORT_ALL=1)"
		return
	fi
	s=$(date +%s)
	if make -C "$tree" O="$out" CC="ccache gcc" HOSTCC="ccache gcc" \
		-j"$LS_JOBS" all >"$out/build.log" 2>&1; then
		note=""
		[ "$got" = "$engine" ] || note=", the $got engine: leakscan is not offered yet"
		result PASS "$what: builds with ENGINE=$engine$note ($(($(date +%s) - s)) s)"
	else
		grep -E 'error|Error' "$out/build.log" | head -n 20 | sed 's/^/    /'
		result FAIL "$what: builds with ENGINE=$engine"
	fi
	if grep -E 'warning:' "$out/build.log" | grep -E 'leakscan|kmemleak' |
		head -n 10 | sed 's/^/    /' | grep .; then
		result FAIL "$what: no compiler warning in our files (ENGINE=$engine)"
	fi
}

# With the tree at the last patch: the engines not built after every
# patch, then the options check. Cold, each engine is a whole kernel
# build: too long for make check (CI's limit). ENGINE=leakscan is built
# (and, for a backport, booted below); classic is built from a copy of its
# objects, reconfigured, so that Kbuild rebuilds what the engine changes
# and no more. ENGINE=none, where CONFIG_DEBUG_KMEMLEAK changes most
# files, is configured (for the options check) but built only with
# LS_BACKPORT_ALL=1.
tip_builds() {
	local what=$1 engine bad
	for engine in leakscan classic none; do
		case " $per_patch " in *" $engine "*) continue ;; esac
		if [ "$engine" = classic ] && [ -d "$work/leakscan" ]; then
			rm -rf "$work/classic"
			cp -a "$work/leakscan" "$work/classic"
		fi
		if [ "$engine" = none ] && [ -z "${LS_BACKPORT_ALL:-}" ]; then
			build_engine "$engine" "$what" configure
		else
			build_engine "$engine" "$what" tip
		fi
	done
	# Every config option the harness asks for exists at the end of the
	# series.
	for engine in none classic leakscan; do
		bad=$(grep -hE '^(CONFIG_[A-Z0-9_]+=|# CONFIG_[A-Z0-9_]+ is not set)' \
			"$cfgdir/base.config" "$cfgdir/$engine.config" | while read -r line; do
			grep -qxF "$line" "$work/$engine/.config" ||
				{ [[ $line == "# "* ]] && ! grep -q "^${line:2:-11}=" "$work/$engine/.config"; } ||
				echo "$line"
		done)
		if [ -z "$bad" ]; then
			result PASS "after the last patch, ENGINE=$engine gets every option it asks for"
		else
			result FAIL "after the last patch, ENGINE=$engine gets every option it asks for (missing: $bad)"
		fi
	done
}

step "git am, checkpatch and the host unit tests, after every patch"
(cd "$tree" && git checkout -q -b series-check)
commits=()
n=0
for p in "${patches[@]}"; do
	n=$((n + 1))
	tag=$(printf '%02d/%02d' $n ${#patches[@]})
	if ! (cd "$tree" && git am -q --keep-cr "$p") >"$work/am.log" 2>&1; then
		sed 's/^/    /' "$work/am.log" | head -n 20
		(cd "$tree" && git am --abort) >/dev/null 2>&1
		result FAIL "after $tag: git am applies ${p##*/}"
		finish
	fi
	commits+=("$(git -C "$tree" rev-parse HEAD)")
	# A backport is checked as a whole, after its last patch.
	[ -n "$backport" ] && continue
	step "after $tag: ${p##*/}"
	checkpatch "$p"
	if [ -f "$tree/tools/testing/leakscan/Makefile" ]; then
		if make -s -C "$tree/tools/testing/leakscan" KSRC="$tree" \
			OUT="$work/hosttests" check >"$work/hosttests.log" 2>&1; then
			result PASS "after $tag: host unit tests pass"
		else
			tail -n 20 "$work/hosttests.log" | sed 's/^/    /'
			result FAIL "after $tag: host unit tests pass"
		fi
	fi
done

if [ -n "$backport" ]; then
	# A backport: the host tests and the builds, on the whole series.
	result PASS "BASE=$LS_BASE: git am applies all ${#patches[@]} patches of the backport"
	if make -s -C "$tree/tools/testing/leakscan" KSRC="$tree" \
		OUT="$work/hosttests" check >"$work/hosttests.log" 2>&1; then
		result PASS "BASE=$LS_BASE: host unit tests pass"
	else
		tail -n 20 "$work/hosttests.log" | sed 's/^/    /'
		result FAIL "BASE=$LS_BASE: host unit tests pass"
	fi
	tip_builds "BASE=$LS_BASE"
else
	# The builds after every patch go from the last patch back to the
	# first, each O= directory rebuilding what the step back changed. The
	# last patch's tree and configuration are make check's own, which has
	# just filled the cache with them: cold, the first build is mostly
	# cache hits, and the steps back are small.
	#
	# A step back removes the sources its later patch added, but not
	# their objects: were such an object left, a Makefile line that names
	# it a patch too early would link the stale object rather than fail.
	# So the objects of the sources added by the patch just built go
	# before each step back.
	step "a build after every patch, from the last back to the first"
	for ((n = ${#commits[@]}; n >= 1; n--)); do
		tag=$(printf '%02d/%02d' $n ${#patches[@]})
		if [ $n -lt ${#commits[@]} ]; then
			while read -r f; do
				for engine in $per_patch; do
					o=$work/$engine/${f%.*}
					rm -f "$o.o" "$o.ko" "$o.mod" "$o.mod.c" "$o.mod.o" \
						"$(dirname "$o")/.$(basename "$o").o.cmd"
				done
			done < <(git -C "$tree" diff --name-only --diff-filter=A \
				"${commits[n - 1]}" "${commits[n]}" -- '*.c' '*.S')
		fi
		if ! git -C "$tree" checkout -q "${commits[n - 1]}"; then
			result FAIL "after $tag: git checkout of the patch, to build it"
			break
		fi
		for engine in $per_patch; do
			build_engine "$engine" "after $tag"
		done
		[ $n = ${#commits[@]} ] && tip_builds "after the last patch"
	done
	git -C "$tree" checkout -q series-check ||
		result FAIL "git checkout of the last patch, after the builds"
fi

step "the last patch's tree is the one make check tests"
if [ "$(cd "$tree" && git rev-parse 'HEAD^{tree}')" = \
	"$(git -C "$LS_BUILD/series-tree" rev-parse 'leakscan^{tree}')" ]; then
	result PASS "git am of the series gives the tree make series committed"
else
	result FAIL "git am of the series gives the tree make series committed"
fi

# A backport: one boot of the selftests and KUnit tests, on the kernel
# built from the series (the O= directory above, as kernel.sh finishes it).
if [ -n "$backport" ]; then
	step "BASE=$LS_BASE: booting the backport's ENGINE=leakscan with the selftests"
	log=$work/leakscan/console-check.log
	if LS_BUILD=$work "$scripts/kernel.sh" leakscan >"$work/boot.out" 2>&1 &&
		LS_BUILD=$work "$scripts/initramfs.sh" leakscan >>"$work/boot.out" 2>&1 &&
		LS_BUILD=$work "$scripts/boot.sh" leakscan check "${BOOT_TIMEOUT:-900}" \
			>>"$work/boot.out" 2>&1; then
		result PASS "BASE=$LS_BASE: the guest boots, runs the tests and powers off"
	else
		grep -E '^leakscan: error' "$work/boot.out" | sed 's/^/    /'
		result FAIL "BASE=$LS_BASE: the guest boots, runs the tests and powers off"
	fi
	fold_results < <(python3 "$scripts/results.py" ktap "$log" kselftest |
		sed "s/^\(PASS\|FAIL\|SKIP\): /\1: BASE=$LS_BASE: /")
	for s in $(python3 "$scripts/results.py" sections "$log" | sed -n 's/^kunit //p'); do
		fold_results < <(python3 "$scripts/results.py" ktap "$log" "kunit $s" |
			sed "s/^\(PASS\|FAIL\|SKIP\): /\1: BASE=$LS_BASE: /")
	done
	if python3 "$scripts/results.py" splats "$log" >/dev/null; then
		result PASS "BASE=$LS_BASE: no splat on the console"
	else
		python3 "$scripts/results.py" splats "$log" | head -n 20 | sed 's/^/    /'
		result FAIL "BASE=$LS_BASE: no splat on the console"
	fi
fi

step "kernel-doc -none -Wall on our sources and headers"
mapfile -t docfiles < <(cd "$tree" && ls mm/leakscan/*.[ch] samples/leakscan/*.c)
kd=$(cd "$tree" && scripts/kernel-doc -none -Wall "${docfiles[@]}" 2>&1)
kd_n=$(printf '%s' "$kd" | grep -c . || true)
info "kernel-doc: $kd_n warnings in ${#docfiles[@]} files"
if [ "$kd_n" = 0 ]; then
	result PASS "kernel-doc -none -Wall: no warnings in ${#docfiles[@]} files"
else
	echo "$kd" | head -n 20 | sed 's/^/    /'
	result FAIL "kernel-doc -none -Wall: $kd_n warnings"
fi
info "checkpatch totals: $cp_errors errors, $cp_warnings warnings, $cp_checks checks" \
	"($cp_excused FILE_PATH_CHANGES excused)"
step "series: ${#patches[@]} patches; checkpatch --strict: $cp_errors errors," \
	"$cp_warnings warnings, $cp_checks checks ($cp_excused excused); kernel-doc: $kd_n warnings"
# The primary base's check goes on with every backport's.
if [ -z "$backport" ]; then
	for b in $(awk '!/^#/ && NF { print $1 }' "$LS_TOP/scripts/leakscan/base-version"); do
		[ "$b" = "$LS_BASE" ] && continue
		step "make series-check BASE=$b: the $b backport"
		fold_results < <(BASE=$b "$0" 2>&1 || echo "FAIL: make series-check BASE=$b (exited non-zero)")
	done
fi
finish
