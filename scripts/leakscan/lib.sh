# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the leakscan harness scripts. Source, do not run.

LS_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

step() { printf '==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
warn() { printf 'leakscan: warning: %s\n' "$*" >&2; }
die() { printf 'leakscan: error: %s\n' "$*" >&2; exit 1; }

# The base the series is built on (BASE=, see base-version): 7.3, mainline
# and the primary base, or 6.12, the LTS backport. A backport keeps its own
# build directory, its own patches/<base>/ and the files of backport/<base>/
# over the overlay.
LS_PRIMARY_BASE=$(awk '!/^#/ && NF { print $1; exit }' "$LS_TOP/scripts/leakscan/base-version")
LS_BASE=${BASE:-$LS_PRIMARY_BASE}
LS_BASE_VERSION=$(awk -v b="$LS_BASE" '!/^#/ && $1 == b { print $2 }' \
	"$LS_TOP/scripts/leakscan/base-version")
[ -n "$LS_BASE_VERSION" ] || die "unknown BASE '$LS_BASE' (choose one of:" \
	"$(awk '!/^#/ && NF { printf "%s ", $1 }' "$LS_TOP/scripts/leakscan/base-version"))"
LS_BASE_PKG=linux-source-$LS_BASE
if [ "$LS_BASE" = "$LS_PRIMARY_BASE" ]; then
	LS_BUILD=${LS_BUILD:-$LS_TOP/build}
	LS_PATCHES=$LS_TOP/patches
	LS_BACKPORT=
else
	LS_BUILD=${LS_BUILD:-$LS_TOP/build/$LS_BASE}
	LS_PATCHES=$LS_TOP/patches/$LS_BASE
	LS_BACKPORT=$LS_TOP/backport/$LS_BASE
fi
export BASE=$LS_BASE
LS_SRC=$LS_BUILD/src
LS_BASE_TARBALL=${LS_BASE_TARBALL:-/usr/src/$LS_BASE_PKG.tar.xz}
LS_ENGINES="leakscan classic none"
# Builds beyond the engines: leakscan-debug is ENGINE=leakscan with the
# kernel's lock, atomicity, KASAN, lockup and fault-injection checkers
# (configs/debug.config), for make stress; classic-irqsoff and
# leakscan-irqsoff have the irqsoff tracer (configs/irqsoff.config), for
# make bench. The full profile (PROFILE=full) has full-<engine> for each
# engine and full-leakscan-debug: x86_64_defconfig + kvm_guest.config +
# configs/full.config under the engine's fragments (config.sh).
LS_BUILDS="$LS_ENGINES leakscan-debug classic-irqsoff leakscan-irqsoff"
LS_BUILDS="$LS_BUILDS full-leakscan full-classic full-none full-leakscan-debug"
LS_JOBS=${LS_JOBS:-$(($(nproc) + 1))}
export CCACHE_DIR=${CCACHE_DIR:-/var/cache/leakscan-ccache}
# Paths below the checkout are hashed relative to it, so that a fresh clone
# elsewhere (CI) hits the cache that this one filled.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$LS_TOP}

check_engine() {
	case " $LS_BUILDS " in
	*" $1 "*) ;;
	*) die "unknown ENGINE '$1' (choose one of: $LS_BUILDS)" ;;
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

# Extract the base tarball afresh into directory $1 (removed first).
extract_base() {
	local dst=$1 top
	rm -rf "$dst" "$dst.tmp"
	mkdir -p "$dst.tmp"
	tar -xJf "$LS_BASE_TARBALL" -C "$dst.tmp" ||
		die "could not extract $LS_BASE_TARBALL"
	top=$(find "$dst.tmp" -mindepth 1 -maxdepth 1 -type d | head -n 1)
	[ -n "$top" ] && [ -f "$top/Makefile" ] ||
		die "$LS_BASE_TARBALL does not hold a kernel tree"
	mv "$top" "$dst"
	rm -rf "$dst.tmp"
}

# Under TCG the guest's TSC runs at the host's rate, but calibrating it
# against the PIT can fail, or the clocksource watchdog can reject it; ktime
# then falls back to jiffies, which run slow under emulation. The command
# line that gives the rate and trusts the TSC, for the boots that time
# things (make bench, make realbench, make realcheck), every engine alike.
tsc_cmdline() {
	local khz
	khz=$(awk '/^cpu MHz/ { printf "%d", $4 * 1000; exit }' /proc/cpuinfo)
	[ -n "$khz" ] || die "cannot read the host's TSC rate from /proc/cpuinfo"
	echo "tsc=reliable tsc_early_khz=$khz"
}

# The real workload's parameters set in the environment, as " NAME=value"
# words for the kernel command line (scripts/leakscan/guest/real.sh reads
# them). Lists (REAL_CLASSES, REAL_MODULES) go with commas: a space would
# end the word.
real_params() {
	local v val
	for v in REAL_CLASS_SECS TRINITY_OPS TRINITY_SEED TRINITY_SECS REAL_ROUNDS \
		REAL_SCANS REAL_CLASSES REAL_MODULES; do
		val=${!v:-}
		[ -z "$val" ] || printf ' %s=%s' "$v" "${val// /,}"
	done
}

# make realbench's engines (REALBENCH_ENGINES): the names in $1, split on
# any blank, printed once each in the order given, space-separated. Dies on
# a name that is not none, classic or leakscan, on a name given twice, and
# without classic and leakscan, which the comparison needs.
realbench_engines() {
	local - e seen=()
	set -f
	for e in $1; do
		case $e in none | classic | leakscan) ;;
		*) die "REALBENCH_ENGINES: '$e' is not none, classic or leakscan" ;;
		esac
		[[ " ${seen[*]} " != *" $e "* ]] || die "REALBENCH_ENGINES: '$e' is named twice"
		seen+=("$e")
	done
	for e in classic leakscan; do
		[[ " ${seen[*]} " == *" $e "* ]] ||
			die "REALBENCH_ENGINES must name classic and leakscan (got '$1')"
	done
	echo "${seen[*]}"
}

kernel_release() { cat "$(engine_dir "$1")/include/config/kernel.release"; }

# Counting results: "PASS|FAIL|SKIP: name" lines, as make check prints them.
passed=0
failed=0
skipped=0

result() {	# result PASS|FAIL|SKIP name
	echo "$1: $2"
	case $1 in
	PASS) passed=$((passed + 1)) ;;
	SKIP) skipped=$((skipped + 1)) ;;
	*) failed=$((failed + 1)) ;;
	esac
}

# Fold the "PASS|FAIL|SKIP: name" lines of a command's output into ours.
fold_results() {
	local line
	while IFS= read -r line; do
		case $line in
		PASS:* | FAIL:* | SKIP:*) result "${line%%:*}" "${line#*: }" ;;
		*) echo "    $line" ;;
		esac
	done
}

# One result for the splats on a console log: PASS, or FAIL after listing
# them.
splat_result() {	# splat_result LOG name
	local found
	if found=$(python3 "$LS_TOP/scripts/leakscan/results.py" splats "$1"); then
		result PASS "$2"
	else
		echo "$found" | sed 's/^/    /'
		result FAIL "$2"
	fi
}

# End a run: what ran ($run_name) and how long since $t0, then the counts
# as the last line; exit non-zero on any failure.
finish() {
	echo
	echo "$run_name, $(($(date +%s) - t0)) s"
	if [ $skipped -gt 0 ]; then
		echo "$passed passed, $failed failed, $skipped skipped"
	else
		echo "$passed passed, $failed failed"
	fi
	[ $failed = 0 ]
	exit
}

# Whether a console log of lsmode=real holds the workload's figures to
# their end. The guest reaches @@LS-DONE@@ even when real.sh died before
# writing them, so a boot that succeeded has not always finished.
real_finished() { grep -q '^@@LS-END figures@@'$'\r''\?$' "$1" 2>/dev/null; }

# The console log boot.sh writes for an engine, mode and extra command line.
# A name longer than 200 bytes (a file's may have 255) keeps its first 150
# and a hash of the whole.
console_log() {
	local name=$2
	[ -z "${3:-}" ] || name=$2-$(echo "$3" | tr -c 'A-Za-z0-9_.=\n' '-' | tr ' ' '-')
	if [ ${#name} -gt 200 ]; then
		name=${name:0:150}-$(printf '%s' "$name" | sha1sum | cut -c1-12)
	fi
	echo "$(engine_dir "$1")/console-$name.log"
}

# The Debian version of the base's source package that holds
# $LS_BASE_VERSION, from apt-cache madison's lines on stdin: the newest
# Debian revision of it, or nothing when the archive no longer has it.
pinned_version() {
	awk -F'|' -v v="$LS_BASE_VERSION" '{ gsub(/ /, "", $2) }
		index($2, v "-") == 1 { print $2; exit }'
}

# A tree of another base is refused; another sublevel of the same base is
# tried, with a warning (stable updates seldom touch what the series edits,
# and prepare stops at the first patch that does not apply).
check_base_version() {	# check_base_version <version of the tree>
	case $1 in
	"$LS_BASE".*) ;;
	*) die "base kernel is $1, but BASE=$LS_BASE is a series for $LS_BASE (expected $LS_BASE_VERSION)" ;;
	esac
	[ "$1" = "$LS_BASE_VERSION" ] ||
		warn "base kernel is $1, the series was made on $LS_BASE_VERSION; trying it anyway"
}
