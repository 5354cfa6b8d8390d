#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Load leakscan_sample.ko and check that the leak detector reports exactly
# its seven leaks, in kmemleak's format, and none of the objects it keeps.
# The test drives only /sys/kernel/debug/kmemleak, so it holds for any engine.

DIR="$(dirname "$(readlink -f "$0")")"
. "$DIR"/../kselftest/ktap_helpers.sh

KMEMLEAK=/sys/kernel/debug/kmemleak
MODULE=leakscan_sample
# The sample's leaks as tag:size, sorted: see samples/leakscan/leakscan_sample.c.
# Each leaked object starts with "leakscan-sample:<tag>", which the hex dump shows.
EXPECTED=$({
	for i in $(seq 20); do echo many:32; done
	printf '%s\n' small:64 big:1024 large:12000 vmalloc:20480 cache:136 \
		percpu:48 head:96 middle:192 tail:256 cycle-a:128 cycle-b:512
} | sort | tr '\n' ' ' | sed 's/ $//')
NR_LEAKS=31
# A conservative scanner takes any word that points into an object for a
# reference, and a live kernel is full of stale words: a dangling pointer in
# a live stack frame, a stale field copied from a freed object. When one
# happens to point where a leak landed, that leak is hidden, in that load.
# So the result varies, and is measured rather than retried: the sample is
# loaded SAMPLE_LOADS times (4 by default), with its leaks on other slab
# pages each time (spread=0, 8, 16, ...), and each load gets the two scans
# a leak needs (the second after the minimum age), no more. Each load's
# count and the rate over all loads are printed. No load may report
# anything else. Every leak must be reported by at least one load: a leak
# that no load reports is an engine bug, and is named with the word that
# last referenced it. And the rate must be at least SAMPLE_MIN_RATE
# percent (90 by default).
LOADS=${SAMPLE_LOADS:-4}
MIN_RATE=${SAMPLE_MIN_RATE:-90}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

ktap_print_header
if [ "$(id -u)" != 0 ]; then
	ktap_skip_all "must be run as root"
	exit "$KSFT_SKIP"
fi
if [ ! -e "$KMEMLEAK" ]; then
	ktap_skip_all "$KMEMLEAK missing: no leak detector in this kernel"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 10

# Split the report in $1 into one file per record, $WORK/rec.N, and list the
# records that come from the sample module. (It frees its leaks when it is
# unloaded: none of an earlier load's is left to report.)
split_records() {
	rm -f "$WORK"/rec.*
	awk -v dir="$WORK" '/^unreferenced object /{ n++ } n { print > (dir "/rec." n) }' "$1"
	grep -l "\[$MODULE\]" "$WORK"/rec.* 2>/dev/null
}

record_size() {
	sed -n 's/^unreferenced object\( ([a-z]*)\)\? 0x[0-9a-f]* (size \([0-9]*\)):$/\2/p' "$1"
}

# "tag:size" of a sample record; the tag is the start of the ASCII column of
# the hex dump's second row.
record_id() {
	tag=$(sed -n '/^  hex dump/{n;n;p;}' "$1" |
		sed -n 's/^    \([0-9a-f][0-9a-f] \)\{15\}[0-9a-f][0-9a-f]  \([a-z-]*\).*$/\2/p')
	echo "${tag:-?}:$(record_size "$1")"
}

# Scan, then list the sample's reported leaks as sorted tag:size words.
scan_and_list() {
	echo scan >"$KMEMLEAK"
	cat "$KMEMLEAK" >"$WORK/report"
	for r in $(split_records "$WORK/report"); do record_id "$r"; done |
		sort | tr '\n' ' ' | sed 's/ $//'
}

# Check one record against kmemleak's format, line by line.
record_well_formed() {
	awk '
	NR == 1 { ok = $0 ~ /^unreferenced object( \(percpu\))? 0x[0-9a-f]+ \(size [0-9]+\):$/
		  pcpu = $0 ~ /\(percpu\)/; next }
	NR == 2 { ok = ok && $0 ~ /^  comm "[^"]*", pid [0-9]+, jiffies [0-9]+$/; next }
	# A record that says "(percpu)" (7.x) dumps its bytes from one CPU.
	NR == 3 { ok = ok && $0 ~ /^  hex dump \(first [0-9]+ bytes( on cpu [0-9]+)?\):$/ &&
		  (!pcpu || $0 ~ / on cpu /); next }
	state == 0 && /^    [0-9a-f][0-9a-f] / { hex++; next }
	state == 0 && /^  backtrace \(crc [0-9a-f]+\):$/ { state = 1; next }
	state == 1 && /^    [^ ]/ { frames++; next }
	{ ok = 0 }
	END { exit !(ok && hex >= 1 && hex <= 2 && frames >= 1 && frames <= 16) }
	' "$1"
}

leaks_before=$(dmesg | grep -c "new suspected memory leaks")

# Forget whatever the boot leaked, so that only the sample is new.
echo scan >"$KMEMLEAK" && echo clear >"$KMEMLEAK"

# The words of $2 that are not in $1, counting repeats: "a a b" minus
# "a b" is "a".
minus() {
	printf '%s\n' $2 | awk -v have="$1" '
		BEGIN { n = split(have, h, " "); for (i = 1; i <= n; i++) got[h[i]]++ }
		NF { if (got[$0]-- <= 0) printf " %s", $0 }'
}

# What keeps the missing leaks referenced: dump= of every leak the last
# report does not list names the word that last referenced it.
dump_missing() {
	for a in $(cat /sys/module/$MODULE/parameters/addresses 2>/dev/null); do
		grep -qE "^unreferenced object( \([a-z]+\))? $a " "$WORK/report" && continue
		echo "dump=$a" >"$KMEMLEAK" 2>/dev/null
		dmesg | awk -v obj="$a (size " '/kmemleak: Object/ && index($0, obj) {
				p = 1; print "# " $0 }
			p && /last referenced|never found referenced/ { print "# " $0; p = 0 }'
	done
}

# False positives in $1: records that are not expected leaks, or more of
# them than expected.
extras_of() {
	minus "$EXPECTED" "$1"
}

# Load the sample, scan twice, the second time once its leaks are old
# enough to report (5 s), and set $found to what the report lists.
load_and_scan() {
	modprobe "$MODULE" spread=$(($1 * 8)) || return 1
	echo scan >"$KMEMLEAK"
	sleep 6
	found=$(scan_and_list)
}

load=1
if load_and_scan 0; then
	ktap_test_pass "$MODULE loads"
else
	ktap_exit_fail_msg "modprobe $MODULE failed"
fi
extra=""
# Leaks that no load has reported yet, and all reports of the sample's.
missing=$EXPECTED
reported=0
while :; do
	extra="$extra$(extras_of "$found")"
	missed=$(minus "$found" "$EXPECTED")
	n=$((NR_LEAKS - $(echo $missed | wc -w)))
	reported=$((reported + n))
	ktap_print_msg "load $load: $n of $NR_LEAKS reported, missing:${missed:- nothing}"
	# Still missing: what this load missed as well.
	missing=$(minus "$(minus "$missed" "$missing")" "$missing")
	[ $load -lt "$LOADS" ] || break
	rmmod "$MODULE" || break
	load=$((load + 1))
	load_and_scan $((load - 1)) || break
done
rate=$((reported * 100 / (load * NR_LEAKS)))
ktap_print_msg "reported $reported of $((load * NR_LEAKS)) leaks in $load loads: $rate %"
records=$(split_records "$WORK/report")

if [ -z "$extra" ]; then
	ktap_test_pass "no reachable or annotated object is reported"
else
	ktap_print_msg "unexpected records:$extra"
	ktap_test_fail "no reachable or annotated object is reported"
fi

# Every leak reported. The stock engine (no /sys/kernel/debug/leakscan) is
# known to miss leaks that a stale word in live memory still points to; for
# it a miss is a skip that says which leaks it missed, not a failure.
if [ -z "$missing" ]; then
	ktap_test_pass "every one of the sample's $NR_LEAKS leaks is reported"
elif [ ! -d /sys/kernel/debug/leakscan ] && [ -z "$extra" ]; then
	ktap_print_msg "never reported:$missing"
	why="the stock engine missed some behind stale references"
	ktap_test_skip "every one of the sample's $NR_LEAKS leaks is reported ($why)"
else
	ktap_print_msg "never reported:$missing"
	dump_missing
	ktap_test_fail "every one of the sample's $NR_LEAKS leaks is reported"
fi

what="$MIN_RATE % of the leaks or more are reported by two scans"
if [ "$load" = "$LOADS" ] && [ "$rate" -ge "$MIN_RATE" ]; then
	ktap_test_pass "$what"
elif [ ! -d /sys/kernel/debug/leakscan ] && [ "$load" = "$LOADS" ]; then
	ktap_test_skip "$what (the stock engine: $rate %)"
else
	ktap_test_fail "$what"
fi

bad=0
for r in $records; do
	if ! record_well_formed "$r"; then
		ktap_print_msg "malformed record:"
		sed 's/^/# /' "$r"
		bad=1
	fi
done
if [ -n "$records" ] && [ $bad = 0 ]; then
	ktap_test_pass "records follow kmemleak's format"
else
	ktap_test_fail "records follow kmemleak's format"
fi

# The 64-byte leak holds "leakscan-sample:small": the hex dump shows it.
small=$(for r in $records; do [ "$(record_id "$r")" = small:64 ] && echo "$r"; done)
if [ -n "$small" ] &&
	grep -q '^    6c 65 61 6b 73 63 61 6e 2d 73 61 6d 70 6c 65 3a  leakscan-sample:$' \
		"$small" &&
	grep -q '^    73 6d 61 6c 6c 00 00 00 00 00 00 00 00 00 00 00  small\.\{11\}$' \
		"$small"; then
	ktap_test_pass "hex dump shows the leaked object's contents"
else
	ktap_test_fail "hex dump shows the leaked object's contents"
fi

new_leaks='kmemleak: [0-9]+ new suspected memory leaks \(see /sys/kernel/debug/kmemleak\)'
leaks_after=$(dmesg | grep -cE "^(\[ *[0-9.]+\] )?$new_leaks\$")
if [ "$leaks_after" -gt "$leaks_before" ]; then
	ktap_test_pass "dmesg announces the new leaks"
else
	ktap_test_fail "dmesg announces the new leaks"
fi

# What is listed now is never listed again after "clear" (what was not
# reported yet may be, later).
listed=$(sed -n 's/^unreferenced object\( ([a-z]*)\)\? \(0x[0-9a-f]*\) .*/\2/p' "$KMEMLEAK")
echo clear >"$KMEMLEAK"
echo scan >"$KMEMLEAK"
sleep 1
echo scan >"$KMEMLEAK"
again=$(sed -n 's/^unreferenced object\( ([a-z]*)\)\? \(0x[0-9a-f]*\) .*/\2/p' "$KMEMLEAK")
reappeared=$(for a in $listed; do echo "$again" | grep -x "$a"; done)
if [ -n "$listed" ] && [ -z "$reappeared" ]; then
	ktap_test_pass "clear hides the reported leaks for good"
else
	ktap_test_fail "clear hides the reported leaks for good"
fi

if err=$( (echo bogus >"$KMEMLEAK") 2>&1); then
	ktap_test_fail "an unknown command is refused with EINVAL"
else
	case $err in
	*"Invalid argument"*) ktap_test_pass "an unknown command is refused with EINVAL" ;;
	*) ktap_print_msg "write failed with: $err"
	   ktap_test_fail "an unknown command is refused with EINVAL" ;;
	esac
fi

if rmmod "$MODULE"; then
	ktap_test_pass "$MODULE unloads"
else
	ktap_test_fail "$MODULE unloads"
fi

ktap_finished
