#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /sys/kernel/debug/leakscan/growth: the allocation sites whose reachable
# objects rose at each of the last leakscan.growth_scans scans, by
# leakscan.growth_min_objects in all. With leakscan_sample.ko loaded:
#  - an idle system, scanned growth_scans + 2 times a second apart, with
#    the defaults, flags no site;
#  - the sample's list that only grows (grow=8 before each of 6 scans) is
#    flagged, with exactly what it grew by, and its example was last
#    referenced from the list head or a neighbouring element;
#  - its bounded cache (lru=40 before each scan: 40, 80, then 100 for good)
#    is not flagged;
#  - the GROWTH line adds the records up, and bad settings are refused.

DIR="$(dirname "$(readlink -f "$0")")"
. "$DIR"/../kselftest/ktap_helpers.sh
. "$DIR"/lib.sh

GROWTH=/sys/kernel/debug/leakscan/growth
STATS=/sys/kernel/debug/leakscan/stats
PARAMS=/sys/module/leakscan/parameters
MODULE=leakscan_sample
SAMPLE=/sys/module/$MODULE/parameters
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

ktap_print_header
skip_unless "$GROWTH" "not the leakscan engine"
ktap_set_plan 12

# The first line of each record with $1 in its frames.
headers_of() {
	awk -v fn="$1" '/^growing: /{ h = $0; next }
		index($0, fn) && h { print h; h = "" }' "$WORK/growth"
}

# The record with $1 in its frames, whole.
record_of() {
	awk -v fn="$1" '/^growing: /{ r = $0 "\n"; hit = 0; next }
		r && /^$/ { if (hit) printf "%s", r; r = ""; next }
		r { r = r $0 "\n"; if (index($0, fn)) hit = 1 }' "$WORK/growth"
}

# Only the scans below: an automatic one would add a column of its own.
echo scan=off >"$KMEMLEAK"
modprobe "$MODULE" || ktap_exit_fail_msg "modprobe $MODULE failed"
expect "the defaults are a window of 4 scans and 16 objects" "4 16" \
	"$(cat $PARAMS/growth_scans) $(cat $PARAMS/growth_min_objects)"

# Idle: nothing should grow.
for i in 1 2 3 4 5 6; do
	echo scan >"$KMEMLEAK"
	sleep 1
done
cat "$GROWTH" >"$WORK/growth"
n=$(grep -c '^growing: ' "$WORK/growth")
[ "$n" = 0 ] || cat "$WORK/growth" | sed 's/^/# /'
expect "an idle system flags no site" 0 "$n"

for i in 1 2 3 4 5 6; do
	echo 8 >$SAMPLE/grow || ktap_exit_fail_msg "cannot poke grow"
	echo 40 >$SAMPLE/lru || ktap_exit_fail_msg "cannot poke lru"
	echo scan >"$KMEMLEAK"
done
cat "$GROWTH" >"$WORK/growth"
cat "$STATS" >"$WORK/stats"
ktap_print_msg "$(grep -c '^growing: ' "$WORK/growth") sites growing"

expect "the list that only grows is flagged once" 1 "$(headers_of sample_grow_add | wc -l)"
# struct sample_grown is 40 bytes: kmalloc-64, whose object size the
# slab hooks register.
want="growing: 48 objects (3072 bytes) reachable,"
want="$want +32 objects (+2048 bytes) in 4 scans"
expect "with what it holds and what it gained (8 a scan, 64-byte objects)" "$want" \
	"$(headers_of sample_grow_add | sed 's/ over [0-9.]*s$//')"
example='^  example: the youngest, object 0x[0-9a-f]* (size 64)$'
expect "its example is one of its elements" ok \
	"$(record_of sample_grow_add | grep -q "$example" && echo ok)"
# The list head (a symbol of the module), or a neighbouring element.
head='sample_grow_list\+0x[0-9a-f]+/0x[0-9a-f]+ \[leakscan_sample\]'
elem='object 0x[0-9a-f]+\+0x[0-9a-f]+ \(size 64\) allocated at sample_grown_alloc\+'
expect "which the list head or a neighbour referenced last" ok \
	"$(record_of sample_grow_add |
		grep -Eq "^  last referenced [0-9]+s ago from ($head|$elem)" && echo ok)"
[ -n "$(record_of sample_grow_add)" ] && record_of sample_grow_add | sed 's/^/# /'
expect "the bounded cache is not flagged" 0 "$(headers_of sample_lru_add | wc -l)"

last=$(tail -n 1 "$WORK/growth")
expect "the GROWTH line counts the records and adds them up" \
	"$(sed -n 's/^growing: \([0-9]*\) objects (\([0-9]*\) bytes).*/\1 \2/p' "$WORK/growth" |
		awk '{ n++; o += $1; b += $2 } END {
			printf "GROWTH: %d sites growing, ", n
			printf "%d objects (%d bytes) reachable", o, b }')" \
	"$(echo "$last" | sed 's/;.*//')"
expect "and gives the settings and the table" ok \
	"$(echo "$last" | grep -q '; window 4 scans, at least 16 objects; ' &&
		echo "$last" | grep -Eq '; [0-9]+ of 8192 sites tracked, [0-9]+ scans$' && echo ok)"
grep '^growth_' "$WORK/stats" | sed 's/^/# /'
expect "stats gives the table's occupancy, with nothing left out here" ok \
	"$(grep -Eq '^growth_sites [1-9][0-9]*$' "$WORK/stats" &&
		grep -qx 'growth_sites_max 8192' "$WORK/stats" &&
		grep -qx 'growth_sites_dropped 0' "$WORK/stats" &&
		grep -qx 'growth_objects_dropped 0' "$WORK/stats" &&
		grep -qx 'growth_objects_untallied 0' "$WORK/stats" &&
		grep -Eq '^growth_objects_untraced [0-9]+$' "$WORK/stats" &&
		! grep -q '^INCOMPLETE' "$WORK/growth" && echo ok)"

# Bad settings: an error each, and nothing changes.
refused=0
echo 8 >$PARAMS/growth_scans 2>/dev/null || refused=$((refused + 1))
echo 0 >$PARAMS/growth_min_objects 2>/dev/null || refused=$((refused + 1))
echo x >$PARAMS/growth_scans 2>/dev/null || refused=$((refused + 1))
expect "a window past 7, a minimum of 0 or a word is refused, and changes nothing" \
	"3 4 16" "$refused $(cat $PARAMS/growth_scans) $(cat $PARAMS/growth_min_objects)"
expect "the sample unloads" ok "$(rmmod "$MODULE" && echo ok)"

ktap_finished
