#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# "off" disables the leak detector for good: afterwards every command but
# "clear" fails with EPERM, and "clear" still succeeds. Runs last, since
# nothing can turn the detector on again.

DIR="$(dirname "$(readlink -f "$0")")"
. "$DIR"/../kselftest/ktap_helpers.sh
. "$DIR"/lib.sh

ktap_print_header
skip_unless "$KMEMLEAK" "no leak detector in this kernel"
ktap_set_plan 4

expect "off is accepted" ok "$(write off)"
expect "scan then fails with EPERM" EPERM "$(write scan)"
expect "scan=on then fails with EPERM" EPERM "$(write scan=on)"
expect "clear still succeeds" ok "$(write clear)"
ktap_finished
