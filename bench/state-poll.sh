#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# state-poll.sh - ima_measurement --state: a full replay of a 2,000,000-entry
# list, then polls of its next 1,000 entries (only the new ones, and the whole
# grown list), which must cost what a 1,000-entry list costs.
# Usage: bench/state-poll.sh [EVMCTL] (default: src/evmctl/evmctl).  Not run by make check.
# N=entries (default 2000000), RUNS=polls of each kind (default 3).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
EVMCTL=${1:-${EVMCTL:-$here/src/evmctl/evmctl}}
N=${N:-2000000}
RUNS=${RUNS:-3}
[ -x "$EVMCTL" ] || { echo "build first: $EVMCTL not found" >&2; exit 1; }
# time the program, not libtool's wrapper script around it
bindir=$(cd "$(dirname "$EVMCTL")" && pwd)
if [ -x "$bindir/.libs/evmctl" ] && head -c 2 "$EVMCTL" | grep -q '#!'; then
	EVMCTL=$bindir/.libs/evmctl
	export LD_LIBRARY_PATH=$bindir/../libimaevm/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
echo "generating $((N + 1000)) entries..."
python3 "$here/tests/gen-ima-list.py" --count $((N + 1000)) --boot-aggregate --split $N \
	--out l.bin --pcrs-out p >/dev/null
now() { date +%s.%N; }
run() { # run LABEL STATE-SUFFIX LIST
	local t0 t1
	t0=$(now)
	"$EVMCTL" ima_measurement --pcrs sha1,"p.sha1$2" --pcrs sha256,"p.sha256$2" \
		--state s "$3" >/dev/null 2>&1 || { echo "$1: FAILED" >&2; exit 1; }
	t1=$(now)
	printf '%-40s %8.3f s\n' "$1" "$(echo "$t1 - $t0" | bc)"
}
run "full replay, $N entries" .at-$N l.bin.upto-$N
cp s s.full
for i in $(seq "$RUNS"); do
	cp s.full s
	run "poll: the 1000 new entries only" "" l.bin.after-$N
	cp s.full s
	run "poll: the whole list, 1000 new" "" l.bin
done
