#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Tests of the real workload's script (scripts/leakscan/guest/real.sh),
# read on the host: it runs in the guest. Prints PASS:/FAIL: lines.
# Usage: test_real.sh [real.sh]
set -uo pipefail
real=${1:-$(dirname "$0")/../guest/real.sh}

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
