#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# A reader part way through the kmemleak file must not hide the leaks it
# lists. Whatever the engine keeps between two read() calls, such as where
# the reader is, must not count as a reference when scans run meanwhile:
# the record the reader stopped in, and every other, stays listed.

DIR="$(dirname "$(readlink -f "$0")")"
. "$DIR"/../kselftest/ktap_helpers.sh
. "$DIR"/lib.sh

MODULE=leakscan_sample
WORK=$(mktemp -d)
trap 'exec 3<&-; rmmod $MODULE 2>/dev/null; rm -rf "$WORK"' EXIT

ktap_print_header
skip_unless "$KMEMLEAK" "no leak detector in this kernel"
ktap_set_plan 3

# The object addresses the file lists, one per line.
listed() {
	sed -n 's/^unreferenced object\( ([a-z]*)\)\? \(0x[0-9a-f]*\) (size [0-9]*):$/\2/p' \
		"$KMEMLEAK"
}

echo scan=off >"$KMEMLEAK"
echo clear >"$KMEMLEAK"
modprobe $MODULE || ktap_exit_fail_msg "modprobe $MODULE failed"
sleep 6
# Reported by scan 1 + min_unref_scans, which is at most 2 by default.
for i in 1 2 3; do
	echo scan >"$KMEMLEAK"
done
listed >"$WORK/before"
expect "leaks are listed" yes "$([ -s "$WORK/before" ] && echo yes || echo no)"

# Read the first 40 bytes: the reader stops inside the first record.
exec 3<"$KMEMLEAK"
first=$(dd bs=40 count=1 <&3 2>/dev/null |
	sed -n 's/^unreferenced object\( ([a-z]*)\)\? \(0x[0-9a-f]*\).*/\2/p')
expect "the reader stopped in the first record" "$(head -n 1 "$WORK/before")" "$first"

echo scan >"$KMEMLEAK"
echo scan >"$KMEMLEAK"
listed >"$WORK/after"
exec 3<&-
# Leaks listed before and gone now: each is named, with what references it.
gone=$(grep -vxF -f "$WORK/after" "$WORK/before")
for a in $gone; do
	ktap_print_msg "no longer listed: $a"
	echo "dump=$a" >"$KMEMLEAK"
done
expect "scans while the reader waits drop no listed leak" "" "$(echo $gone)"

echo clear >"$KMEMLEAK"
ktap_finished
