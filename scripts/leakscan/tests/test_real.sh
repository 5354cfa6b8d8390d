#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Tests of the real workload's script (scripts/leakscan/guest/real.sh),
# read on the host: it runs in the guest. Prints PASS:/FAIL: lines.
# Usage: test_real.sh [real.sh]
set -uo pipefail
real=${1:-$(dirname "$0")/../guest/real.sh}

not() { ! "$@"; }
check() {	# check <name> <command...>
	local name=$1
	shift
	if "$@"; then echo "PASS: real.sh: $name"; else echo "FAIL: real.sh: $name"; fi
}

# trinity's pool of perf fds switched a scheduler static key while the
# other vCPU ran __schedule, and the guest died of an int3 (CI, stop 21):
# the run as nobody had it, the run as root did not. Every trinity run
# must leave out the perf and socket pools.
fds=$(sed -n 's/^TRINITY_NO_FDS="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$real")
mapfile -t used < <(grep -v '^[[:space:]]*#' "$real" | grep -o -- '--disable-fds=[^ )]*' |
	sed "s/\"//g; s/^--disable-fds=//; s/^\\\$TRINITY_NO_FDS\$/$fds/")
all_leave_out() {	# all_leave_out <pool>
	local u
	for u in "${used[@]}"; do
		[[ ",$u," == *",$1,"* ]] || return 1
	done
}
check "both trinity runs (as nobody, as root) name the pools they leave out" \
	[ "${#used[@]}" = 2 ]
check "every trinity run leaves out the perf fds" all_leave_out perf
check "every trinity run leaves out the sockets" all_leave_out sockets
excluded=$(sed -n '/^TRINITY_EXCLUDE=/,/"$/p' "$real")
check "the perf_event_open syscall is left out" grep -qw perf_event_open <<<"$excluded"

# trinity as root once stalled in CI (its children dying of a divide error
# in trinity, one after another) until timeout(1) killed it after 600 s,
# and nothing said what its processes were doing. bounded() runs a command
# for at most N seconds, and at the limit prints each process's state and
# kernel stack before it kills them. Its functions, run here on the host.
tmp=$(mktemp -d)
# Names of this run's own, none a prefix of another run's.
name=lt$$z
sleeper=$tmp/${name}s
trap 'kill_named "$name" 2>/dev/null; rm -rf "$tmp" "/tmp/stacks-$name"' EXIT
say() { echo "real: $*"; }
eval "$(sed -n '/^named() {/,/^}/p; /^kill_named() {/,/^}/p; /^dump_named() {/,/^}/p; /^bounded() {/,/^}/p' "$real")"
cp "$(command -v sleep)" "$sleeper"
out=$(bounded 5 "$name" "$tmp/fast.log" sh -c 'echo hi; exit 3'; echo "rc=$? stalled=$STALLED")
check "bounded: a command that ends in time gives its own status" grep -qx "rc=3 stalled=0" <<<"$out"
check "bounded: ... and its output goes to the log" grep -qx hi "$tmp/fast.log"
check "bounded: ... and nothing else is printed" [ "$(wc -l <<<"$out")" = 1 ]
out=$(bounded 5 "$name" "$tmp/124.log" sh -c 'exit 124'; echo "rc=$? stalled=$STALLED")
check "bounded: a command that gives 124 itself is no stall" grep -qx "rc=124 stalled=0" <<<"$out"
t0=$(date +%s)
out=$(bounded 2 "$name" "$tmp/slow.log" "$sleeper" 100; echo "rc=$? stalled=$STALLED")
t1=$(date +%s)
check "bounded: a command past its limit gives 124, a stall" grep -qx "rc=124 stalled=1" <<<"$out"
check "bounded: ... within a few seconds of the limit" [ $((t1 - t0)) -le 6 ]
check "bounded: ... says it is still running" \
	grep -qx "real: $name: still running after 2 s: its processes:" <<<"$out"
check "bounded: ... and prints each process's state" \
	grep -qE "^real:   [0-9]+ ${name}s: S \(sleeping\), in [A-Za-z0-9_.]+, syscall [0-9]+$" <<<"$out"
if [ -r /proc/self/stack ]; then
	check "bounded: ... and its kernel stack" grep -qE '^real:     \[<0>\] ' <<<"$out"
else
	echo "SKIP: real.sh: bounded: ... and its kernel stack (/proc/self/stack not readable here)"
fi
check "bounded: ... and no process that would not die" not grep -q "does not die" <<<"$out"
left=0
for p in /proc/[0-9]*; do
	[ "$(cat "$p/comm" 2>/dev/null)" = "${name}s" ] && left=1
done
check "bounded: ... and kills it" [ $left = 0 ]
