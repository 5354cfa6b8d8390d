#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /sys/kernel/debug/leakscan/summary: leaks grouped by backtrace and kind,
# direct before indirect, largest first, ending with a SUMMARY line, and
# consistent with the kmemleak file. With leakscan_sample.ko's leaks:
#  - its twenty 32-byte leaks from one call site are one record of 640
#    bytes in 20 objects;
#  - of its chain head -> middle -> tail, head is direct, the others are
#    indirect;
#  - of its cycle a <-> b, exactly one is direct.
# The sample is reloaded elsewhere (spread=) if stale words hide one of
# these in a load, as in sample_leaks.sh.

DIR="$(dirname "$(readlink -f "$0")")"
. "$DIR"/../kselftest/ktap_helpers.sh
. "$DIR"/lib.sh

SUMMARY=/sys/kernel/debug/leakscan/summary
MODULE=leakscan_sample
LOADS=3
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

ktap_print_header
skip_unless "$SUMMARY" "not the leakscan engine"
ktap_set_plan 18

# The first line of each record with $1 in its frames.
headers_of() {
	awk -v fn="$1" '/^(direct|indirect) leak of /{ h = $0; next }
		index($0, fn) && h { print h; h = "" }' "$WORK/summary"
}

# Whether this load shows the chain, the cycle and all twenty "many".
complete() {
	[ "$(headers_of sample_leak_chain | wc -l)" = 3 ] &&
		[ "$(headers_of sample_leak_cycle | wc -l)" = 2 ] &&
		headers_of sample_leak_many | grep -q ' in 20 objects '
}

load=0
while [ $load -lt $LOADS ]; do
	modprobe "$MODULE" spread=$((load * 8)) || ktap_exit_fail_msg "modprobe $MODULE failed"
	load=$((load + 1))
	echo scan >"$KMEMLEAK"
	sleep 6
	for i in 1 2 3 4; do
		echo scan >"$KMEMLEAK"
		cat "$KMEMLEAK" >"$WORK/report"
		cat "$SUMMARY" >"$WORK/summary"
		complete && break 2
		sleep 1
	done
	rmmod "$MODULE"
done
ktap_print_msg "after $load loads"

# SUMMARY agrees with the kmemleak file read just before it.
want_n=$(grep -c '^unreferenced object ' "$WORK/report")
want_bytes=$(sed -n 's/^unreferenced object\( ([a-z]*)\)\? 0x[0-9a-f]* (size \([0-9]*\)):$/\2/p' \
	"$WORK/report" | awk '{ s += $1 } END { print s + 0 }')
last=$(tail -n 1 "$WORK/summary")
direct=$(grep -c '^direct leak of ' "$WORK/summary")
expect "the summary ends with a SUMMARY line matching the kmemleak file" \
	"SUMMARY: $want_bytes bytes leaked in $want_n objects" \
	"$(echo "$last" | sed 's/ (.*//')"
expect "SUMMARY's totals are the sums of the records" \
	"$(sed -n 's/^[a-z]* leak of \([0-9]*\) bytes in \([0-9]*\) objects.*/\1 \2/p' \
		"$WORK/summary" | awk '{ b += $1; n += $2 } END { print b + 0, n + 0 }')" \
	"$(echo "$last" |
		sed -n 's/^SUMMARY: \([0-9]*\) bytes leaked in \([0-9]*\) objects.*/\1 \2/p')"
expect "SUMMARY's direct and indirect counts add up" "$want_n" \
	"$(echo "$last" | sed -n 's/.*(\([0-9]*\) direct, \([0-9]*\) indirect)$/\1 \2/p' |
		awk '{ print $1 + $2 }')"
expect "every direct record comes before every indirect one" ok \
	"$(awk '/^indirect leak/{ i = 1 } /^direct leak/ && i { bad = 1 }
		END { print bad ? "no" : "ok" }' "$WORK/summary")"
expect "direct records are sorted by bytes, largest first" ok \
	"$(sed -n 's/^direct leak of \([0-9]*\) bytes.*/\1/p' "$WORK/summary" |
		awk 'NR > 1 && $1 > prev { bad = 1 } { prev = $1 }
		     END { print bad ? "no" : "ok" }')"
expect "twenty leaks from one call site are one record" \
	"direct leak of 640 bytes in 20 objects" \
	"$(headers_of sample_leak_many | sed 's/ (comm.*//')"
expect "a leaked chain: head direct, middle and tail indirect" \
	"direct 96|indirect 192|indirect 256" \
	"$(headers_of sample_leak_chain | awk '{ print $1, $4 }' | sort -t' ' -k2 -n |
		paste -s -d'|')"
expect "a leaked cycle has exactly one direct member" 1 \
	"$(headers_of sample_leak_cycle | grep -c '^direct')"
expect "the summary has direct leaks" yes "$([ "$direct" -gt 0 ] && echo yes || echo no)"
expect "each record's example says when it was last referenced" ok \
	"$(awk '/^  example: / { getline l
		if (l !~ /^  last referenced [0-9]+s ago from .+$/ &&
		    l != "  never found referenced by a scan") bad = 1 }
		END { print bad ? "no" : "ok" }' "$WORK/summary")"

# Suppressions hide a function's leaks from the summary, and say so.
SUPP=/sys/kernel/debug/leakscan/suppressions
supp() {
	err=$( (echo "$1" >"$SUPP") 2>&1) && echo ok && return
	echo "${err##*: }"
}
bytes_before=$(echo "$last" | sed -n 's/^SUMMARY: \([0-9]*\) bytes.*/\1/p')
expect "suppress=sample_leak_many is accepted and listed" "ok sample_leak_many" \
	"$(supp suppress=sample_leak_many) $(cat $SUPP)"
cat "$SUMMARY" >"$WORK/suppressed"
expect "the summary hides the suppressed leaks and counts them" \
	"0|20 640 sample_leak_many|$((bytes_before - 640))" \
	"$(grep -c 'sample_leak_many+' "$WORK/suppressed")|$(
		awk '/^Suppressions used:/{ getline; getline; print $1, $2, $3 }' \
			"$WORK/suppressed")|$(tail -n 1 "$WORK/suppressed" |
		sed -n 's/^SUMMARY: \([0-9]*\) bytes.*/\1/p')"
expect "the kmemleak file still lists them" 20 \
	"$(grep -c 'sample_leak_many+' "$KMEMLEAK")"
expect "unsuppress= brings them back" "ok|" \
	"$(supp unsuppress=sample_leak_many)|$(cat $SUPP)"
einval="Invalid argument"
expect "an empty or unknown suppression is refused" "$einval|$einval|$einval" \
	"$(supp suppress=)|$(supp unsuppress=nothing_like_this)|$(supp frobnicate)"

# When and where: drop the last pointers to two reachable objects, and the
# summary names what held each one.
# Stale words can keep an object "referenced" for a while, as in
# sample_leaks.sh: if one of the two is not reported, reload elsewhere and
# drop again; each object must be named right in some drop.
# The last-referrer line of the record whose frames include $1 and whose
# size is $2.
referrer_of() {
	awk -v fn="$1" -v size="$2" '/^(direct|indirect) leak of /{ h = $0; f = 0; next }
		index($0, fn) { f = 1 }
		/^  example: / { ok = f && index($0, "(size " size ")") }
		/^  last referenced / && ok {
			sub(/^  last referenced [0-9]+s ago from /, ""); print; ok = 0 }' \
		"$WORK/dropped"
}
# How many of the two records say since which scan they are unreferenced.
since_lines() {
	grep -A2 -E '^  example: unreferenced object 0x[0-9a-f]+ \(size (2048|4096)\)$' \
		"$WORK/dropped" | grep -c '^  unreferenced since the scan [0-9]*s ago$'
}
G_WANT="sample_later_global+0x0/0x8 [$MODULE]"
g_seen= n_seen= since_seen=0
drops=0
while [ $drops -lt 6 ]; do
	if [ $drops -gt 0 ]; then
		rmmod "$MODULE"
		modprobe "$MODULE" spread=$((drops * 8 + 4)) ||
			ktap_exit_fail_msg "modprobe $MODULE failed"
	fi
	drops=$((drops + 1))
	echo scan >"$KMEMLEAK"
	echo 1 >/sys/module/$MODULE/parameters/drop
	echo scan >"$KMEMLEAK"
	sleep 6
	for i in 1 2 3 4 5 6; do
		echo scan >"$KMEMLEAK"
		cat "$SUMMARY" >"$WORK/dropped"
		[ "$(grep -c 'sample_keep_later+' "$WORK/dropped")" = 2 ] && break
		sleep 1
	done
	# A stale copy (on a stack, say) may be the last word seen pointing to
	# it: that is what the line must then say, but try for the global.
	g=$(referrer_of sample_keep_later 2048)
	n=$(referrer_of sample_keep_later 4096)
	ktap_print_msg "drop $drops: global's object: '$g'; node's object: '$n'"
	[ "$g_seen" = "$G_WANT" ] || g_seen=$g
	case $n_seen in "object 0x"*) ;; *) n_seen=$n ;; esac
	since_seen=$((since_seen + $(since_lines)))
	[ "$g_seen" = "$G_WANT" ] && case $n_seen in "object 0x"*) break ;; esac
done
expect "a leak dropped by a global names the global" "$G_WANT" "$g_seen"
case $n_seen in
"object 0x"*" (size 64) allocated at sample_kmalloc+"*"[$MODULE]")
	ktap_test_pass "a leak dropped by a list node names the node's object and allocation" ;;
*)
	ktap_test_fail "a leak dropped by a list node names the node's object and allocation" ;;
esac
if [ "$since_seen" -ge 2 ]; then
	ktap_test_pass "they say since which scan they are unreferenced"
else
	ktap_test_fail "they say since which scan they are unreferenced"
fi
rmmod "$MODULE" 2>/dev/null
ktap_finished
