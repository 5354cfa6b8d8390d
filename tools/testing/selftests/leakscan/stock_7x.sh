#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What the stock engine does since 7.x, on any engine that claims it (it
# has kmemleak.min_unref_scans; skipped otherwise, as on 6.12):
#  - min_unref_scans is 1 by default (2 with DEBUG_KMEMLEAK_VERBOSE), and a
#    leak is reported by scan 1 + min_unref_scans after it is old enough,
#    not by the scan before;
#  - verbose console records are grouped by backtrace: records plus their
#    "... and N more object(s) with the same backtrace" lines add up to the
#    "N new suspected memory leaks" line, and the sample's twenty leaks of
#    one backtrace get one record;
#  - records of percpu objects say "(percpu)";
#  - dump= takes an address inside an object, and percpu objects.

DIR="$(dirname "$(readlink -f "$0")")"
. "$DIR"/../kselftest/ktap_helpers.sh
. "$DIR"/lib.sh

PARAM=/sys/module/kmemleak/parameters/min_unref_scans
VERBOSE=/sys/module/kmemleak/parameters/verbose
MODULE=leakscan_sample
WORK=$(mktemp -d)
saved_unref=$(cat $PARAM 2>/dev/null)
# Leave the parameters as they were, however the test ends.
restore() {
	[ -z "$saved_unref" ] || echo "$saved_unref" >$PARAM
	[ ! -e $VERBOSE ] || echo 0 >$VERBOSE
	rmmod "$MODULE" 2>/dev/null
	rm -rf "$WORK"
}
trap restore EXIT

ktap_print_header
skip_unless "$KMEMLEAK" "no leak detector in this kernel"
skip_unless "$PARAM" "the stock ABI of this kernel predates min_unref_scans"
ktap_set_plan 11

# Records in the kmemleak file that name the sample.
sample_records() {
	awk '/^unreferenced object /{ r = 0 } /\[leakscan_sample\]/ && !r { r = 1; n++ }
	     END { print n + 0 }' "$KMEMLEAK"
}

# Load the sample with nothing listed before it, and let its leaks age.
fresh_load() {
	echo clear >"$KMEMLEAK"
	modprobe "$MODULE" spread="$1" || return 1
	sleep 6
}

echo scan=off >"$KMEMLEAK"
default=$(cat $PARAM)
want=1
zcat /proc/config.gz 2>/dev/null | grep -q '^CONFIG_DEBUG_KMEMLEAK_VERBOSE=y' && want=2
expect "min_unref_scans is $want by default" "$want" "$default"

# Scans 1..3 report nothing at min_unref_scans=3; scan 4 reports.
echo 3 >$PARAM
fresh_load 0 || ktap_exit_fail_msg "modprobe $MODULE failed"
counts=""
for i in 1 2 3 4; do
	echo scan >"$KMEMLEAK"
	counts="$counts $(sample_records)"
done
rmmod "$MODULE"
set -- $counts
if [ "$1:$2:$3" = "0:0:0" ] && [ "$4" -gt 0 ]; then
	ktap_test_pass "min_unref_scans=3: reported by scan 4, not before (records:$counts)"
else
	ktap_test_fail "min_unref_scans=3: reported by scan 4, not before (records:$counts)"
fi

echo 1 >$PARAM
fresh_load 8 || ktap_exit_fail_msg "modprobe $MODULE failed"
echo scan >"$KMEMLEAK"
first=$(sample_records)
echo 1 >$VERBOSE
dmesg -c >/dev/null
echo scan >"$KMEMLEAK"
echo 0 >$VERBOSE
dmesg >"$WORK/console"
cat "$KMEMLEAK" >"$WORK/report"
second=$(sample_records)
if [ "$first" = 0 ] && [ "$second" -gt 0 ]; then
	ktap_test_pass "min_unref_scans=1: reported by scan 2, not before ($second records)"
else
	ktap_test_fail "min_unref_scans=1: reported by scan 2, not before ($first, then $second)"
fi

# The console's records and "... and N more" lines add up to the new leaks.
new=$(sed -n 's/.*kmemleak: \([0-9]*\) new suspected memory leaks.*/\1/p' "$WORK/console")
records=$(grep -c 'kmemleak: unreferenced object' "$WORK/console")
more=$(sed -n 's/.*kmemleak:   \.\.\. and \([0-9]*\) more object(s) with the same backtrace$/\1/p' \
	"$WORK/console" | awk '{ s += $1 } END { print s + 0 }')
expect "verbose: records and their '... and N more' lines add up to the new leaks" \
	"$new" "$((records + more))"

# The sample's twenty 32-byte leaks, tagged "many", share one backtrace:
# one record says so, without a hex dump. Only records of the sample
# count, whatever else the kernel leaks meanwhile.
many=$(awk '/^unreferenced object /{ r = /\(size 32\):$/ }
	r && /^    [0-9a-f ]+ +leakscan-sample:$/ { getline; if (/ many/) n++; r = 0 }
	END { print n + 0 }' "$WORK/report")
# In the console: the record whose frames name the sample's many-leaker.
awk '/kmemleak: unreferenced object/ { if (rec ~ /sample_leak_many/) print rec; rec = "" }
	{ rec = rec "\n" $0 } END { if (rec ~ /sample_leak_many/) print rec }' \
	"$WORK/console" >"$WORK/many"
many_more=$(sed -n 's/.* and \([0-9]*\) more object(s) with the same backtrace$/\1/p' \
	"$WORK/many")
if [ "$many" -ge 2 ] && [ "$many_more" = "$((many - 1))" ]; then
	ktap_test_pass "verbose: $many same-site leaks get one record, '... and $many_more more'"
else
	ktap_test_fail "verbose: the same-site leaks get one record ($many, '$many_more' more)"
fi
expect "verbose: that record has no hex dump" 0 "$(grep -c 'hex dump' "$WORK/many")"

# The sample's percpu leak is a "(percpu)" record; the sample has no other.
pcpu=$(awk '/^unreferenced object /{ hdr = $0 } /sample_leak_percpu/ { print hdr }' \
	"$WORK/report" | sed -n 's/^unreferenced object (percpu) \(0x[0-9a-f]*\) (size 48):$/\1/p')
expect "the percpu leak's record says (percpu)" 1 "$(echo "$pcpu" | grep -c .)"
expect "no other record of the sample has a kind" 1 "$(awk '/^unreferenced object /{ hdr = $0 }
	/\[leakscan_sample\]/ && hdr != "" { if (hdr ~ /^unreferenced object \(/) n++; hdr = "" }
	END { print n + 0 }' "$WORK/report")"

dmesg -c >/dev/null
expect "dump= of a percpu object" ok "$(write "dump=$pcpu")"
expect "... prints it as (percpu)" 1 \
	"$(dmesg | grep -c "kmemleak: Object (percpu) $pcpu (size 48):")"

# An address 8 bytes into the first of the sample's listed kmalloc leaks
# (any of them: a conservative scan may hide one or another).
set -- $(awk '/^unreferenced object /{ hdr = $0 }
	      /sample_leak_kmalloc/ && hdr { print hdr; hdr = "" }' "$WORK/report" |
	sed -n 's/^unreferenced object \(0x[0-9a-f]*\) (size \([0-9]*\)):$/\1 \2/p' |
	head -n 1)
obj=$1 size=$2
dmesg -c >/dev/null
if [ -n "$obj" ]; then
	write "dump=$(printf '0x%x' $((obj + 8)))" >"$WORK/inside"
else
	echo "no kmalloc leak of the sample listed" >"$WORK/inside"
fi
if [ "$(cat "$WORK/inside")" = ok ] &&
	dmesg | grep -q "kmemleak: Object $obj (size $size):"; then
	ktap_test_pass "dump= of an address inside an object dumps the object"
else
	ktap_test_fail "dump= of an address inside an object ($obj: $(cat "$WORK/inside"))"
fi

echo clear >"$KMEMLEAK"
ktap_finished
