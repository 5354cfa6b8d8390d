#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own samples/kmemleak/kmemleak-test.ko leaks 14 objects from
# its init function while loaded: 8 kmalloc, 5 vmalloc and 1 percpu, and
# prints the address of each. Its kmalloc'ed objects are not initialised,
# and stale words in and around them can keep a few looking referenced
# (see also sample_leaks.sh). So the number reported varies, and is
# measured: the module is loaded KMEMLEAK_TEST_LOADS times (3 by default),
# each load gets the two scans a leak needs, and each load's count and the
# rate over all loads are printed. Every load's leaks are told apart by
# the addresses it printed; unloading it leaks the objects its list and
# per-CPU pointers held, which are no false positives. Nothing else that
# its init function allocated may be reported, its percpu leak (its own
# kind) must be, in every load, and the rate must be at least
# KMEMLEAK_TEST_MIN_RATE percent (75 by default; the stock engine's is
# printed, not checked).

DIR="$(dirname "$(readlink -f "$0")")"
. "$DIR"/../kselftest/ktap_helpers.sh
. "$DIR"/lib.sh

# The sizes of its leaks, for kernels where its addresses are hashed.
EXPECTED="32 32 64 1024 1024 2048 2048 4096 4096 4096 4096 4096 4096 4096"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
: >"$WORK/old"
LOADS=${KMEMLEAK_TEST_LOADS:-3}
MIN_RATE=${KMEMLEAK_TEST_MIN_RATE:-75}

ktap_print_header
if [ ! -e "$KMEMLEAK" ]; then
	ktap_skip_all "$KMEMLEAK missing: no leak detector in this kernel"
	exit "$KSFT_SKIP"
fi
if ! modinfo kmemleak-test >/dev/null 2>&1; then
	ktap_skip_all "kmemleak-test.ko is not built (CONFIG_SAMPLE_KMEMLEAK)"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 4

# The addresses the last load printed, as "<what> <address>" lines.
printed() {
	dmesg | sed -n 's/.*kmemleak: Kmemleak testing$/--/p
		s/.*kmemleak: \(.*\) = \(0x[0-9a-f]*\)$/\1 \2/p' |
		awk '/^--$/ { n = 0; next } { line[++n] = $0 }
		     END { for (i = 1; i <= n; i++) print line[i] }'
}

# "<address> <size>" of the records allocated by a module's init function:
# by kmemleak-test's, or by one whose init section is freed (no symbol),
# but not those that name another module (the sample's, [leakscan_sample]).
init_records() {
	awk 'function out() { if (init && !other) print addr, size }
	     /^unreferenced object / { out(); init = 0; other = 0
		addr = $3 == "(percpu)" ? $4 : $3
		size = $NF; sub(/\):$/, "", size) }
	     /do_init_module/ { init = 1 }
	     /^    .*\[[a-z_0-9]+\]$/ && !/\[kmemleak_test\]$/ { other = 1 }
	     END { out() }' "$KMEMLEAK"
}

# by_size: count the leaks of the one load in $WORK/records by their sizes.
by_size() {
	found=$(cut -d' ' -f 2 "$WORK/records" | sort -n | tr '\n' ' ')
	n=$(printf '%s\n' $found | awk -v want="$EXPECTED" '
		BEGIN { k = split(want, w, " "); for (i = 1; i <= k; i++) left[w[i]]++ }
		NF && left[$0]-- > 0 { n++ } END { print n + 0 }')
	extra=$(printf '%s\n' $found | awk -v want="$EXPECTED" '
		BEGIN { k = split(want, w, " "); for (i = 1; i <= k; i++) left[w[i]]++ }
		NF && left[$0]-- <= 0 { printf "size %s ", $0 }')
	reported=$n
	by_size=1
	ktap_print_msg "load $load: $n of 14 reported (told by size): $found"
	case " $found " in
	*" 64 "*) percpu=1 ;;
	esac
	printf '%s\n' $EXPECTED >"$WORK/leaks"
}

# What was reported before is no concern of this test.
echo scan >"$KMEMLEAK"
echo clear >"$KMEMLEAK"
extra=""
percpu=0
reported=0
loaded=0
for load in $(seq "$LOADS"); do
	rmmod kmemleak-test 2>/dev/null
	modprobe kmemleak-test || break
	loaded=$((loaded + 1))
	echo scan >"$KMEMLEAK"
	sleep 6
	echo scan >"$KMEMLEAK"
	printed >"$WORK/printed"
	# Its leaks: what it allocated and kept no pointer to.
	grep -E '^(kmalloc\((32|1024|2048|4096)\)|vmalloc\(64\)|__alloc_percpu\(64, 4\)) ' \
		"$WORK/printed" | cut -d' ' -f 2- | sed 's/^.* //' >"$WORK/leaks"
	init_records >"$WORK/records"
	if [ ! -s "$WORK/leaks" ]; then
		# 6.12's kmemleak-test prints hashed addresses (%p): its leaks
		# are told by their sizes, in one load (unloading it leaks too).
		LOADS=$load
		by_size
		break
	fi
	cut -d' ' -f 1 "$WORK/records" >"$WORK/listed"
	n=$(grep -cxFf "$WORK/leaks" "$WORK/listed")
	reported=$((reported + n))
	ktap_print_msg "load $load: $n of $(wc -l <"$WORK/leaks") reported"
	# Anything else from an init function, but what earlier loads left.
	extra="$extra$(grep -vxFf "$WORK/leaks" "$WORK/listed" | grep -vxFf "$WORK/old" |
		tr '\n' ' ')"
	pcpu=$(sed -n 's/^__alloc_percpu(64, 4) //p' "$WORK/printed")
	! grep -qxF "${pcpu:-none}" "$WORK/listed" || percpu=$((percpu + 1))
	sed 's/^.* //' "$WORK/printed" >>"$WORK/old"
done
if [ "$loaded" = "$LOADS" ] && [ "$(wc -l <"$WORK/leaks")" = 14 ]; then
	ktap_test_pass "kmemleak-test loads $LOADS times, leaking 14 objects each"
else
	ktap_test_fail "kmemleak-test loads $LOADS times, leaking 14 objects each"
fi
rate=$((reported * 100 / (LOADS * 14)))
ktap_print_msg "reported $reported of $((LOADS * 14)) leaks in $LOADS loads: $rate %"
if [ -z "$extra" ]; then
	ktap_test_pass "nothing but kmemleak-test's leaks is reported"
else
	ktap_print_msg "unexpected: $extra"
	ktap_test_fail "nothing but kmemleak-test's leaks is reported"
fi
what="$MIN_RATE % of its leaks or more are reported by two scans"
if [ "$rate" -ge "$MIN_RATE" ]; then
	ktap_test_pass "$what"
elif [ -n "${by_size:-}" ]; then
	ktap_test_skip "$what (one load of 14 is too few to measure a rate: $rate %)"
elif [ ! -d /sys/kernel/debug/leakscan ]; then
	ktap_test_skip "$what (the stock engine: $rate %)"
else
	ktap_test_fail "$what"
fi
expect "its percpu leak is reported in every load" "$LOADS" "$percpu"
ktap_finished
