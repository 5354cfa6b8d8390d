#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Tests of scripts/leakscan/lib.sh's helpers. Prints PASS:/FAIL: lines.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

check() {	# check <name> <command...>
	local name=$1
	shift
	if "$@"; then echo "PASS: lib: $name"; else echo "FAIL: lib: $name"; fi
}

# make check's debug boot: its command line once made a console log name
# longer than a file name may be (ENAMETOOLONG), and the boot failed.
long="slab_debug=A,ls_object debug_pagealloc=on lscollection=leakscan/stress STRESS_SECS=60"
long="$long FAULT_SECS=20 SCALE_OBJECTS=500000 mem=5120M HOTPLUG_RANGE=0x140000000+0x10000000"
long="$long lsskip=leakscan/stress:suspend.sh,leakscan/stress:hotplug.sh kunit.enable=0"
a=$(basename "$(console_log leakscan-debug check "$long")")
b=$(basename "$(console_log leakscan-debug check "$long x")")
check "a long command line gives a console log name a file may have" [ ${#a} -le 255 ]
check "two long command lines give two names" [ "$a" != "$b" ]
check "a short command line gives its words joined by '-'" \
	[ "$(basename "$(console_log leakscan check "kmemleak=off lstests=leakscan:boot_param.sh")")" \
	= console-check-kmemleak=off-lstests=leakscan-boot_param.sh.log ]
check "no command line gives the mode alone" \
	[ "$(basename "$(console_log leakscan check "")")" = console-check.log ]

# make realbench: a guest reaches @@LS-DONE@@ even when the workload died
# before its figures, and such a boot was taken as finished; the report
# then refused it, and the benchmark gave no table.
not() { ! "$@"; }
tmp=$(mktemp -d)
printf '@@LS-BEGIN figures@@\r\nboot_s 3\r\n@@LS-END figures@@\r\n@@LS-DONE@@\r\n' >"$tmp/done"
printf '@@LS-BEGIN figures@@\nboot_s 3\n@@LS-END figures@@\n@@LS-DONE@@\n' >"$tmp/unix"
printf '@@LS-BEGIN figures@@\r\nboot_s 3\r\n@@LS-DONE@@\r\n' >"$tmp/cut"
printf 'real: x @@LS-END figures@@\r\n@@LS-DONE@@\r\n' >"$tmp/quoted"
check "real_finished: figures to their end, serial line ends" real_finished "$tmp/done"
check "real_finished: figures to their end, plain line ends" real_finished "$tmp/unix"
check "real_finished: figures cut short" not real_finished "$tmp/cut"
check "real_finished: the marker only as a line of its own" not real_finished "$tmp/quoted"
check "real_finished: no console" not real_finished "$tmp/none"
rm -rf "$tmp"

# make realbench's REALBENCH_ENGINES: an engine named twice was built and
# booted twice, and its one log counted twice in the medians; a list split
# by tabs or newlines was refused although each name was good.
engines_ok() {	# engines_ok <list> <want>
	local got
	got=$(realbench_engines "$1" 2>/dev/null) && [ "$got" = "$2" ]
}
engines_refused() {	# engines_refused <list> <word of the message>
	local msg
	msg=$( (realbench_engines "$1" >/dev/null) 2>&1) && return 1
	[[ $msg == *"$2"* ]]
}
check "realbench engines: the three, in the order given" \
	engines_ok "leakscan none classic" "leakscan none classic"
check "realbench engines: tabs and newlines separate names too" \
	engines_ok $'classic\tleakscan\n' "classic leakscan"
check "realbench engines: a name given twice is refused" \
	engines_refused "classic leakscan leakscan" "twice"
check "realbench engines: classic is needed" engines_refused "none leakscan" "must name"
check "realbench engines: leakscan is needed" engines_refused "classic" "must name"
check "realbench engines: an unknown name is refused" \
	engines_refused "classic leakscan kasan" "'kasan' is not"
check "realbench engines: a pattern is a name, not file names" \
	engines_refused "classic leakscan *" "'*' is not"

# make series-check: SERIES_ENGINES names the engines built after every
# patch; a name that is no engine is refused before anything is built.
series_refused() {	# series_refused <BASE> <SERIES_ENGINES> <word of the message>
	local msg d rc=0
	d=$(mktemp -d)
	msg=$(BASE=$1 SERIES_ENGINES=$2 LS_BUILD=$d/build timeout 20 \
		"$LS_TOP/scripts/leakscan/series-check.sh" 2>&1) && rc=1
	[[ $msg == *"$3"* ]] && [ ! -e "$d/build" ] || rc=1
	rm -rf "$d"
	return $rc
}
for b in $(awk '!/^#/ && NF { print $1 }' "$LS_TOP/scripts/leakscan/base-version"); do
	check "series-check BASE=$b: an unknown engine in SERIES_ENGINES is refused" \
		series_refused "$b" "leakscan kasan" "unknown engine 'kasan'"
	check "series-check BASE=$b: a pattern in SERIES_ENGINES is a name, not file names" \
		series_refused "$b" "leakscan *" "unknown engine '*'"
done
