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
