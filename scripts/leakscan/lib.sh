# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the leakscan harness scripts. Source, do not run.

LS_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LS_BUILD=${LS_BUILD:-$LS_TOP/build}
LS_SRC=$LS_BUILD/src
LS_BASE_TARBALL=${LS_BASE_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
LS_BASE_VERSION=$(cat "$LS_TOP/scripts/leakscan/base-version")
LS_ENGINES="leakscan classic none"
LS_JOBS=${LS_JOBS:-$(($(nproc) + 1))}
export CCACHE_DIR=${CCACHE_DIR:-/var/cache/leakscan-ccache}
# Paths below the checkout are hashed relative to it, so that a fresh clone
# elsewhere (CI) hits the cache that this one filled.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$LS_TOP}

step() { printf '==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
warn() { printf 'leakscan: warning: %s\n' "$*" >&2; }
die() { printf 'leakscan: error: %s\n' "$*" >&2; exit 1; }

check_engine() {
	case " $LS_ENGINES " in
	*" $1 "*) ;;
	*) die "unknown ENGINE '$1' (choose one of: $LS_ENGINES)" ;;
	esac
}

# The Kbuild O= directory of an engine.
engine_dir() { echo "$LS_BUILD/$1"; }

# make in the kernel tree, through ccache, for the O= directory $1.
kmake() {
	local out=$1
	shift
	make -C "$LS_SRC" O="$out" CC="ccache gcc" HOSTCC="ccache gcc" \
		-j"$LS_JOBS" "$@"
}

kernel_release() { cat "$(engine_dir "$1")/include/config/kernel.release"; }
