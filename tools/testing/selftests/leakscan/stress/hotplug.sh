#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Memory hotplug while scans and an allocation storm run. make stress
# boots the guest with mem= below the top of its RAM and names the RAM
# above it in HOTPLUG_RANGE=<start>+<size> (hex). HOTPLUG_ROUNDS times (3
# by default), the bench module hot-adds that range, its blocks are
# onlined (movable) and offlined through sysfs, and the module hot-removes
# it. In the first round, an object whose only reference is the private
# word of a struct page of the hot-added memory must stay unreported over
# three scans, and be reported once that word is cleared: the memory map
# of hot-added memory is read as the boot memory's is.

DIR="$(dirname "$(readlink -f "$0")")"
. "$DIR"/../../kselftest/ktap_helpers.sh
. "$DIR"/../lib.sh
. "$DIR"/lib.sh

ROUNDS=${HOTPLUG_ROUNDS:-3}
MEM=/sys/devices/system/memory

ktap_print_header
skip_unless "$KMEMLEAK" "no leak detector in this kernel"
skip_unless "$MEM/block_size_bytes" "needs CONFIG_MEMORY_HOTPLUG"
if [ -z "${HOTPLUG_RANGE:-}" ]; then
	ktap_skip_all "no HOTPLUG_RANGE: boot with mem= below the RAM and name the RAM above it"
	exit "$KSFT_SKIP"
fi
# Without a page taken, pagefree says ENOENT; a module without the
# hotplug commands says EINVAL.
if ! modprobe leakscan_bench ||
	! (echo pagefree >"$BENCH") 2>&1 | grep -q 'No such file or directory'; then
	ktap_skip_all "no leakscan_bench module with the hotplug commands"
	rmmod leakscan_bench 2>/dev/null
	exit "$KSFT_SKIP"
fi
ktap_set_plan $((ROUNDS * 4 + 7))

start=$((${HOTPLUG_RANGE%+*}))
size=$((${HOTPLUG_RANGE#*+}))
bs=$((0x$(cat $MEM/block_size_bytes)))
first=$((start / bs))
last=$(((start + size) / bs - 1))
# The bench module reads hex.
range=$(printf '0x%x 0x%x' $start $size)
ktap_print_msg "$((size >> 20)) MiB at ${range% *}: memory blocks $first to $last"

# bench CMD: run a command of the bench module in a process of its own, so
# that no word of the writer's kernel stack outlives it; print the error.
bench() {
	err=$(sh -c "echo '$1' >$BENCH" 2>&1) && echo ok && return
	echo "${err#*: }"
}

# The states of the range's blocks, each once: "online", "offline", or
# "gone" for a block that is not there.
states() {
	for b in $(seq $first $last); do
		cat $MEM/memory$b/state 2>/dev/null || echo gone
	done | sort -u | tr '\n' ' ' | sed 's/ $//'
}

# set_state STATE: write STATE to each block of the range; print the error.
set_state() {
	for b in $(seq $first $last); do
		err=$(timeout 120 sh -c "echo $1 >$MEM/memory$b/state" 2>&1) ||
			{ echo "memory$b: ${err#*: }"; return; }
	done
	echo ok
}

# listed ADDRESS: 1 if the report lists the object at ADDRESS, else 0.
listed() {
	grep -c "^unreferenced object $1 " "$KMEMLEAK"
}

scans() {
	for i in 1 2 3; do echo scan >"$KMEMLEAK"; done
}

# listed_or_dump OBJ WANT: whether OBJ is listed (1 or 0); when that is not
# WANT, dump= it, so that the log says what held it or that nothing did.
listed_or_dump() {
	got=$(listed "$1")
	if [ "$got" != "$2" ]; then
		echo "dump=$1" >"$KMEMLEAK"
		dmesg | tail -n 12 | sed 's/^/# /' >&2
	fi
	echo "$got"
}

# The reference held in the memory map of the hot-added memory.
page_reference() {
	expect "an object is referenced from a page of the hot-added memory" ok \
		"$(bench "pageref $range")"
	hex='\(0x[0-9a-f]*\)'
	set -- $(dmesg | sed -n "s/.*leakscan_bench: pageref: object $hex, pfn $hex\$/\\1 \\2/p" |
		tail -n 1)
	obj=${1:-none}
	off=$((${2:-0} * 4096 - start))
	expect "that page is in the hot-added range" yes \
		"$([ $off -ge 0 ] && [ $off -lt $size ] && echo yes)"
	# Older than the minimum age, then judged.
	sleep 6
	scans
	expect "it is not reported while a struct page of hot-added memory holds it" 0 \
		"$(listed_or_dump "$obj" 0)"
	expect "the page lets go of it" ok "$(bench pagedrop)"
	scans
	expect "then it is reported" 1 "$(listed_or_dump "$obj" 1)"
	bench pagefree >/dev/null
}

# step WHAT STATE COMMAND...: run COMMAND, then expect the blocks in STATE.
step() {
	what=$1
	want=$2
	shift 2
	err=$("$@")
	[ "$err" = ok ] || ktap_print_msg "$what: $err"
	expect "$what" "$want" "$(states)"
}

# The page taken cannot migrate: give it back however the test ends.
trap 'bench pagefree >/dev/null; rm -rf "$WORK"' EXIT
rm -f "$WORK/stop"
loop scan scan_once &
loop storm storm_once &
for r in $(seq "$ROUNDS"); do
	step "round $r: hot-add" offline bench "hotadd $range"
	step "round $r: online" online set_state online_movable
	[ "$r" != 1 ] || page_reference
	step "round $r: offline" offline set_state offline
	step "round $r: hot-remove" gone bench "hotremove $range"
done
touch "$WORK/stop"
wait
loop_result scan "scans ran while memory came and went"
loop_result storm "the allocation storm ran while memory came and went"
rmmod leakscan_bench
ktap_finished
