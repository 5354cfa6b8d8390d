#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# "off" disables the leak detector for good: afterwards every command but
# "clear" fails with EPERM, and "clear" still succeeds. Runs last, since
# nothing can turn the detector on again.

DIR="$(dirname "$(readlink -f "$0")")"
. "$DIR"/../kselftest/ktap_helpers.sh

KMEMLEAK=/sys/kernel/debug/kmemleak

ktap_print_header
if [ ! -e "$KMEMLEAK" ]; then
	ktap_skip_all "$KMEMLEAK missing: no leak detector in this kernel"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 4

# write CMD: print the error the write gets, or "ok".
write() {
	err=$( (echo -n "$1" >"$KMEMLEAK") 2>&1) && echo ok && return
	case $err in
	*"Operation not permitted"*) echo EPERM ;;
	*"Invalid argument"*) echo EINVAL ;;
	*) echo "$err" ;;
	esac
}

# expect DESCRIPTION WANTED GOT
expect() {
	if [ "$3" = "$2" ]; then
		ktap_test_pass "$1"
	else
		ktap_print_msg "got $3"
		ktap_test_fail "$1"
	fi
}

expect "off is accepted" ok "$(write off)"
expect "scan then fails with EPERM" EPERM "$(write scan)"
expect "scan=on then fails with EPERM" EPERM "$(write scan=on)"
expect "clear still succeeds" ok "$(write clear)"
ktap_finished
