#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# leakscan looks pointers up without taking a KASAN tag off, so Kconfig
# does not offer it with arm64's tag-based KASAN modes, and the engine
# choice falls back to classic there. Configure (without building) arm64
# defconfig with DEBUG_KMEMLEAK and each KASAN mode, through Debian's
# aarch64 cross compiler, and check the engine each one gets.
# Prints "PASS|FAIL: name" lines.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

CROSS=aarch64-linux-gnu-
out=$LS_BUILD/arm64-config

# engine_for MODE: the engine a KASAN_<MODE> arm64 config gets, or why
# there is none.
engine_for() {
	local mode=$1 dir=$out/$1 cfg=$out/$1/.config
	mkdir -p "$dir"
	cp "$out/defconfig/.config" "$cfg"
	"$LS_SRC/scripts/config" --file "$cfg" -e DEBUG_KERNEL -e EXPERT -e KASAN \
		-d KASAN_GENERIC -d KASAN_SW_TAGS -d KASAN_HW_TAGS -e "KASAN_$mode" \
		-e ARM64_MTE -e DEBUG_KMEMLEAK
	make -s -C "$LS_SRC" O="$dir" ARCH=arm64 CROSS_COMPILE=$CROSS olddefconfig \
		>"$dir/config.log" 2>&1 || { echo "olddefconfig failed (build/arm64-config/$mode/config.log)"; return; }
	if ! grep -q "^CONFIG_KASAN_$mode=y" "$cfg"; then
		echo "KASAN_$mode could not be set"
	elif grep -q '^CONFIG_KMEMLEAK_ENGINE_LEAKSCAN=y' "$cfg"; then
		echo leakscan
	elif grep -q '^CONFIG_KMEMLEAK_ENGINE_CLASSIC=y' "$cfg"; then
		echo classic
	else
		echo "no engine"
	fi
}

if ! command -v ${CROSS}gcc >/dev/null; then
	echo "FAIL: arm64 configs: ${CROSS}gcc missing (package gcc-aarch64-linux-gnu)"
	exit 0
fi
mkdir -p "$out/defconfig"
if ! make -s -C "$LS_SRC" O="$out/defconfig" ARCH=arm64 CROSS_COMPILE=$CROSS defconfig \
	>"$out/defconfig/config.log" 2>&1; then
	echo "FAIL: arm64 configs: defconfig failed (build/arm64-config/defconfig/config.log)"
	exit 0
fi
for mode in SW_TAGS HW_TAGS GENERIC; do
	want=classic
	[ $mode = GENERIC ] && want=leakscan
	got=$(engine_for $mode)
	if [ "$got" = "$want" ]; then
		echo "PASS: arm64 with KASAN_$mode gets the $want engine"
	else
		echo "    got: $got"
		echo "FAIL: arm64 with KASAN_$mode gets the $want engine"
	fi
done
