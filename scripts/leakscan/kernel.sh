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
"$(dirname "$0")/config.sh" "$engine" "$out"

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
