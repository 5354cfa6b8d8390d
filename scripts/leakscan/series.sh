#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make series: cut the work into a patch series on the pristine base tree.
# Extracts the base afresh into build/series-tree/, imports it into git as
# the base commit (Linux $LS_BASE_VERSION, with the Debian package version),
# commits the steps defined in series.py with the messages of series/, and
# writes git format-patch --cover-letter --base= output into build/series/
# (build/<base>/series/ for a backport, BASE=<base>).
#
# Usage: [BASE=<base>] series.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"

state=$LS_SRC/.leakscan
[ -f "$state/base" ] || die "build/src is missing: run make prepare first"
version=$(sed -n 's/^version //p' "$state/base")
package=$(sed -n 's/^package //p' "$state/base")
check_base_version "$version"

tree=$LS_BUILD/series-tree
step "extracting the pristine base ($package) into build/series-tree"
extract_base "$tree"
step "committing the series on it"
# A backport's patches say which stable tree they are for.
prefix=PATCH
[ -z "$LS_BACKPORT" ] || prefix="PATCH $LS_BASE.y"
LS_PATCHES=$LS_PATCHES LS_SUBJECT_PREFIX=$prefix python3 "$LS_TOP/scripts/leakscan/series.py" write "$LS_SRC" "$tree" \
	"$LS_BUILD/series" "$version" "$package"
ls "$LS_BUILD/series" | sed 's/^/    /'
