#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Helpers shared by the shell tests of this directory: source it after
# ktap_helpers.sh.

KMEMLEAK=/sys/kernel/debug/kmemleak

# write CMD: print the error a write of CMD to the kmemleak file gets, or
# "ok".
write() {
	err=$( (echo -n "$1" >"$KMEMLEAK") 2>&1) && echo ok && return
	case $err in
	*"Operation not permitted"*) echo EPERM ;;
	*"Invalid argument"*) echo EINVAL ;;
	*) echo "$err" ;;
	esac
}

# expect DESCRIPTION WANTED GOT: one KTAP result.
expect() {
	if [ "$3" = "$2" ]; then
		ktap_test_pass "$1"
	else
		ktap_print_msg "wanted '$2', got '$3'"
		ktap_test_fail "$1"
	fi
}

# skip_unless FILE WHY: skip the whole test, saying why, unless FILE exists.
skip_unless() {
	[ -e "$1" ] && return
	ktap_skip_all "$1 missing: $2"
	exit "$KSFT_SKIP"
}
