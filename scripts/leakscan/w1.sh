#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build our directories on their own, in a separate O= directory made from
# the engine's .config, so the main build's objects keep their own flags.
# Two variants:
#   w1       W=1; fails on any compiler warning in our files;
#   nokunit  CONFIG_KUNIT off and CONFIG_WERROR on, as in x86_64 defconfig:
#            code kept only for the KUnit suite must not break that build.
#
# Usage: w1.sh <engine> [w1|nokunit]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

engine=${1:-leakscan}
variant=${2:-w1}
check_engine "$engine"
out=$(engine_dir "$engine")
dir=$LS_BUILD/$variant-$engine
OURS="mm/leakscan samples/leakscan"
case $variant in
w1) flags=(W=1) ;;
nokunit) flags=() ;;
*) die "unknown variant '$variant' (w1 or nokunit)" ;;
esac

dirs=()
for d in $OURS; do
	[ -d "$LS_SRC/$d" ] && dirs+=("$d/")
done
[ ${#dirs[@]} -gt 0 ] || { info "no directories of ours in the tree yet"; exit 0; }
mkdir -p "$dir"
cp "$out/.config" "$dir/.config.new"
[ "$variant" = nokunit ] && "$LS_SRC/scripts/config" --file "$dir/.config.new" -d KUNIT -e WERROR
cmp -s "$dir/.config.new" "$dir/.config.base" || cp "$dir/.config.new" "$dir/.config"
mv "$dir/.config.new" "$dir/.config.base"
info "$variant build of ${dirs[*]} in build/$variant-$engine"
kmake "$dir" olddefconfig >"$dir/build.log" 2>&1 || die "olddefconfig failed in build/$variant-$engine"
if [ "$variant" = nokunit ] && grep -q '^CONFIG_KUNIT=y' "$dir/.config"; then
	die "CONFIG_KUNIT is still on in build/$variant-$engine/.config"
fi
# Rebuild our objects every time, so that a warning cannot hide in an
# object that is already up to date.
for d in "${dirs[@]}"; do
	find "$dir/$d" -name '*.o' -delete 2>/dev/null || true
done
if ! kmake "$dir" "${flags[@]}" "${dirs[@]}" >>"$dir/build.log" 2>&1; then
	grep -E 'error|warning' "$dir/build.log" | head -n 40 >&2
	die "the $variant build failed (see build/$variant-$engine/build.log)"
fi
pattern="(^|/)($(echo "${dirs[@]%/}" | sed 's/ /|/g'))/[^:]*:[0-9]+(:[0-9]+)?: warning:"
warnings=$(grep -E "$pattern" "$dir/build.log" || true)
if [ -n "$warnings" ]; then
	echo "$warnings" >&2
	die "$(echo "$warnings" | wc -l) $variant warnings in our files"
fi
info "no warnings"
