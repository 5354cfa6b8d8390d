#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Configure and build the kernel and its modules for one engine into the
# Kbuild O= directory build/<engine>/. Incremental: the configuration is
# regenerated only when a fragment or a patch changed, and Kbuild recompiles
# only what changed, through ccache.
#
# Usage: kernel.sh <engine>
set -euo pipefail
. "$(dirname "$0")/lib.sh"

engine=${1:-leakscan}
check_engine "$engine"
out=$(engine_dir "$engine")
cfgdir=$LS_TOP/scripts/leakscan/configs
frags=("$cfgdir/base.config" "$cfgdir/$engine.config")
mkdir -p "$out"

stamp=$(cat "${frags[@]}" "$LS_SRC/.leakscan/applied" "$LS_SRC"/.leakscan/patches/* \
	2>/dev/null | sha1sum | cut -d' ' -f1)
if [ ! -f "$out/.config" ] || [ "$(cat "$out/.leakscan-config" 2>/dev/null)" != "$stamp" ]; then
	step "configuring ENGINE=$engine: tinyconfig + base.config + $engine.config"
	kmake "$out" tinyconfig >"$out/config.log" 2>&1 ||
		die "tinyconfig failed (see $out/config.log)"
	"$LS_SRC/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" \
		"${frags[@]}" >>"$out/config.log" 2>&1 ||
		die "merging config fragments failed (see $out/config.log)"
	kmake "$out" olddefconfig >>"$out/config.log" 2>&1 ||
		die "olddefconfig failed (see $out/config.log)"
	# Every option a fragment asks for must have survived Kconfig.
	bad=0
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*) sym=${line%%=*} ;;
		"# CONFIG_"*" is not set") sym=${line#\# }; sym=${sym%% *} ;;
		*) continue ;;
		esac
		got=$(grep -E "^($sym=|# $sym is not set)" "$out/.config" || echo "# $sym is not set")
		if [ "$got" != "$line" ]; then
			warn "config fragment wants '$line' but Kconfig gave '$got'"
			bad=1
		fi
	done < <(cat "${frags[@]}")
	[ $bad = 0 ] || die "ENGINE=$engine: configuration does not match the fragments (missing dependency?)"
	echo "$stamp" >"$out/.leakscan-config"
else
	step "configuration of ENGINE=$engine is up to date"
fi

step "building the kernel and modules for ENGINE=$engine in build/$engine (log: build/$engine/build.log)"
start=$(date +%s)
set +e
kmake "$out" all 2>&1 | tee "$out/build.log" | grep -E --line-buffered \
	'^ *(CC|LD|AR).* (mm|samples)/leakscan/|warning:|error:|Kernel: .* is ready'
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" != 0 ]; then
	tail -n 30 "$out/build.log" >&2
	die "kernel build failed for ENGINE=$engine (full log: build/$engine/build.log)"
fi
info "built in $(($(date +%s) - start)) s"

step "installing modules into build/$engine/modroot"
rm -rf "$out/modroot"
kmake "$out" INSTALL_MOD_PATH="$out/modroot" INSTALL_MOD_STRIP=1 modules_install \
	>"$out/modules_install.log" 2>&1 ||
	die "modules_install failed (see build/$engine/modules_install.log)"
