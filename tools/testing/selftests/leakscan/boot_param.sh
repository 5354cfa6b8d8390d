#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The kmemleak= boot parameter, as 6.12 behaves:
#  - kmemleak=off: dmesg says "Kernel memory leak detector disabled", no
#    scan thread runs, the debugfs file still exists and reads empty, every
#    command but "clear" fails with EPERM and "clear" succeeds;
#  - otherwise (the default here): dmesg says "Kernel memory leak detector
#    initialized (mem pool available: N)", the scan thread started, and the
#    kmemleak.verbose parameter is there.
# The harness boots a second time with kmemleak=off to run the first case.

DIR="$(dirname "$(readlink -f "$0")")"
. "$DIR"/../kselftest/ktap_helpers.sh
. "$DIR"/lib.sh

ktap_print_header
skip_unless "$KMEMLEAK" "no leak detector in this kernel"

# The scan thread, by its comm.
scan_thread() {
	for c in /proc/[0-9]*/comm; do
		[ "$(cat "$c" 2>/dev/null)" = kmemleak ] && echo running && return
	done
	echo absent
}

dmesg_has() {
	dmesg | grep -q "kmemleak: $1" && echo yes || echo no
}

case " $(cat /proc/cmdline) " in
*" kmemleak=off "*)
	ktap_set_plan 8
	expect "kmemleak=off: dmesg says the detector is disabled" yes \
		"$(dmesg_has 'Kernel memory leak detector disabled$')"
	expect "kmemleak=off: dmesg does not say it initialized" no \
		"$(dmesg_has 'Kernel memory leak detector initialized')"
	expect "kmemleak=off: no scan thread runs" absent "$(scan_thread)"
	expect "kmemleak=off: no scan thread was started" no \
		"$(dmesg_has 'Automatic memory scanning thread started')"
	expect "kmemleak=off: the file reads empty" 0 "$(wc -c <"$KMEMLEAK")"
	expect "kmemleak=off: scan fails with EPERM" EPERM "$(write scan)"
	expect "kmemleak=off: scan=on fails with EPERM" EPERM "$(write scan=on)"
	expect "kmemleak=off: clear succeeds" ok "$(write clear)"
	;;
*)
	ktap_set_plan 4
	init='kmemleak: Kernel memory leak detector initialized'
	line=$(dmesg | grep -c "$init (mem pool available: [0-9][0-9]*)\$")
	expect "dmesg says the detector initialized, with the pool left" 1 "$line"
	expect "dmesg does not say it is disabled" no \
		"$(dmesg_has 'Kernel memory leak detector disabled')"
	expect "the scan thread started at boot (AUTO_SCAN)" yes \
		"$(dmesg_has 'Automatic memory scanning thread started$')"
	expect "kmemleak.verbose is a parameter, off by default" N \
		"$(cat /sys/module/kmemleak/parameters/verbose 2>&1)"
	;;
esac
ktap_finished
