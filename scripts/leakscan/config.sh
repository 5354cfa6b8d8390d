#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Configure a Kbuild O= directory for one engine: tinyconfig, then
# configs/base.config and configs/<engine>.config merged on top (and
# configs/debug.config for <engine>-debug, configs/irqsoff.config for
# <engine>-irqsoff), then a
# check that Kconfig kept every option the fragments ask for. Skipped when
# neither the fragments nor the patches changed since the last run.
# The full profile's builds (full-<engine>, PROFILE=full) start from
# x86_64_defconfig + kvm_guest.config instead, with configs/full.config in
# place of base.config.
#
# Usage: config.sh <engine> <O= directory>
set -euo pipefail
. "$(dirname "$0")/lib.sh"

engine=${1:-leakscan}
check_engine "$engine"
out=${2:-$(engine_dir "$engine")}
mkdir -p "$out"
# Kbuild takes a relative O= from the source tree, not from here.
out=$(realpath "$out")
cfgdir=$LS_TOP/scripts/leakscan/configs
base=tinyconfig
common=$cfgdir/base.config
name=$engine
case $name in
full-*)
	base="x86_64_defconfig + kvm_guest.config"
	common=$cfgdir/full.config
	name=${name#full-}
	;;
esac
case $name in
*-debug) frags=("$common" "$cfgdir/${name%-debug}.config" "$cfgdir/debug.config") ;;
*-irqsoff) frags=("$common" "$cfgdir/${name%-irqsoff}.config" "$cfgdir/irqsoff.config") ;;
*) frags=("$common" "$cfgdir/$name.config") ;;
esac

# A tree that make prepare did not make (series-check's) has no .leakscan/.
stamp=$( { cat "${frags[@]}" "$LS_SRC/.leakscan/applied" "$LS_SRC"/.leakscan/patches/* \
	2>/dev/null || true; } | sha1sum | cut -d' ' -f1)
if [ ! -f "$out/.config" ] || [ "$(cat "$out/.leakscan-config" 2>/dev/null)" != "$stamp" ]; then
	step "configuring ENGINE=$engine: $base + $(cd "$cfgdir" && echo "${frags[@]##*/}" | sed 's/ / + /g')"
	if [ "$base" = tinyconfig ]; then
		kmake "$out" tinyconfig >"$out/config.log" 2>&1 ||
			die "tinyconfig failed (see $out/config.log)"
	else
		kmake "$out" x86_64_defconfig >"$out/config.log" 2>&1 &&
			kmake "$out" kvm_guest.config >>"$out/config.log" 2>&1 ||
			die "x86_64_defconfig + kvm_guest.config failed (see $out/config.log)"
	fi
	"$LS_SRC/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" \
		"${frags[@]}" >>"$out/config.log" 2>&1 ||
		die "merging config fragments failed (see $out/config.log)"
	kmake "$out" olddefconfig >>"$out/config.log" 2>&1 ||
		die "olddefconfig failed (see $out/config.log)"
	# Every option a fragment asks for must have survived Kconfig; where
	# fragments disagree, the later one wins, as in merge_config.sh.
	bad=0
	declare -A want=()
	order=()
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*) sym=${line%%=*} ;;
		"# CONFIG_"*" is not set") sym=${line#\# }; sym=${sym%% *} ;;
		*) continue ;;
		esac
		[ -n "${want[$sym]+set}" ] || order+=("$sym")
		want[$sym]=$line
	done < <(cat "${frags[@]}")
	for sym in "${order[@]}"; do
		line=${want[$sym]}
		got=$(grep -E "^($sym=|# $sym is not set)" "$out/.config" || echo "# $sym is not set")
		if [ "$got" != "$line" ]; then
			warn "config fragment wants '$line' but Kconfig gave '$got'"
			bad=1
		fi
	done
	[ $bad = 0 ] || die "ENGINE=$engine: configuration does not match the fragments (missing dependency?)"
	echo "$stamp" >"$out/.leakscan-config"
else
	step "configuration of ENGINE=$engine is up to date"
fi

