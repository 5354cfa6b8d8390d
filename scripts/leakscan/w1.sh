#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build our directories with W=1 in a separate O= directory that shares the
# engine's .config, so the main build's objects keep their own flags. Fails
# on any compiler warning in our files.
#
# Usage: w1.sh <engine>
set -euo pipefail
. "$(dirname "$0")/lib.sh"

engine=${1:-leakscan}
check_engine "$engine"
out=$(engine_dir "$engine")
w1=$LS_BUILD/w1-$engine
OURS="mm/leakscan samples/leakscan"

dirs=()
for d in $OURS; do
	[ -d "$LS_SRC/$d" ] && dirs+=("$d/")
done
[ ${#dirs[@]} -gt 0 ] || { info "no directories of ours in the tree yet"; exit 0; }
mkdir -p "$w1"
cmp -s "$out/.config" "$w1/.config" || cp "$out/.config" "$w1/.config"
info "W=1 build of ${dirs[*]} in build/w1-$engine"
kmake "$w1" olddefconfig >"$w1/w1.log" 2>&1 || die "olddefconfig failed in build/w1-$engine"
# Rebuild our objects every time, so that a warning cannot hide in an
# object that is already up to date.
for d in "${dirs[@]}"; do
	find "$w1/$d" -name '*.o' -delete 2>/dev/null || true
done
if ! kmake "$w1" W=1 "${dirs[@]}" >>"$w1/w1.log" 2>&1; then
	grep -E 'error|warning' "$w1/w1.log" | head -n 40 >&2
	die "W=1 build failed (see build/w1-$engine/w1.log)"
fi
pattern="(^|/)($(echo "${dirs[@]%/}" | sed 's/ /|/g'))/[^:]*:[0-9]+(:[0-9]+)?: warning:"
warnings=$(grep -E "$pattern" "$w1/w1.log" || true)
if [ -n "$warnings" ]; then
	echo "$warnings" >&2
	die "$(echo "$warnings" | wc -l) W=1 warnings in our files"
fi
info "no warnings"
