#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# attest-bench.sh - ima_measurement speed and memory against the old evmctl:
# a 200,000-entry ima-ng list replayed in 4 banks (ours) and 2 banks (old),
# then peak RSS for 20k, 200k and 2M entries (should stay flat).
# Usage: bench/attest-bench.sh [EVMCTL] (default: src/evmctl/evmctl).  Not run by make check.
# Other work on the machine skews wall times: as root, both tools run under
# SCHED_FIFO (chrt) so they get the CPUs they ask for; RT=0 turns that off.
# RUNS=N runs of each (best kept), alternating the two tools.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
EVMCTL=${1:-${EVMCTL:-$here/src/evmctl/evmctl}}
OLD=${OLD_EVMCTL:-/usr/bin/evmctl}
GEN="python3 $here/tests/gen-ima-list.py"
RUNS=${RUNS:-3}
[ -x "$EVMCTL" ] || { echo "build first: $EVMCTL not found" >&2; exit 1; }
# time the program, not libtool's wrapper script around it (~0.1 s a run)
bindir=$(cd "$(dirname "$EVMCTL")" && pwd)
if [ -x "$bindir/.libs/evmctl" ] && head -c 2 "$EVMCTL" | grep -q '#!'; then
	EVMCTL=$bindir/.libs/evmctl
	export LD_LIBRARY_PATH=$bindir/../libimaevm/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi
[ -x "$OLD" ] || { echo "$OLD not found (Debian package ima-evm-utils)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time not found (Debian package time)" >&2; exit 1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/attest-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
cd "$dir"

RUN=()
if [ "${RT:-1}" != 0 ] && [ "$(id -u)" = 0 ] && command -v chrt >/dev/null &&
   chrt -f 10 true 2>/dev/null; then
	RUN=(chrt -f 10)
fi

# one run: "wall cpu" seconds
timed() {
	/usr/bin/time -o "$dir/time" -f '%e %U %S' "${RUN[@]}" "$@" >/dev/null 2>&1 || true
	awk '{print $1, $2 + $3}' "$dir/time"
}
min() { awk -v a="$1" -v b="$2" 'BEGIN {print (a < b) ? a : b}'; }

echo "generating a 200000-entry ima-ng list and its PCRs (sha1, sha256, sha384, sha512)..."
$GEN --count 200000 --out list.bin --pcrs-out p --banks sha1,sha256,sha384,sha512 >/dev/null
P4="--pcrs sha1,p.sha1 --pcrs sha256,p.sha256 --pcrs sha384,p.sha384 --pcrs sha512,p.sha512"
P2="--pcrs sha1,p.sha1 --pcrs sha256,p.sha256"
"$EVMCTL" ima_measurement $P4 list.bin >/dev/null || { echo "ours: no match?" >&2; exit 1; }
"$OLD" ima_measurement $P2 list.bin >/dev/null 2>&1 || { echo "old: no match?" >&2; exit 1; }
ow=999999 oc=999999 nw=999999 nc=999999
for i in $(seq "$RUNS"); do	# alternate, so both see the same machine
	read -r w c < <(timed "$OLD" ima_measurement $P2 list.bin)
	ow=$(min "$w" "$ow") oc=$(min "$c" "$oc")
	read -r w c < <(timed "$EVMCTL" ima_measurement $P4 list.bin)
	nw=$(min "$w" "$nw") nc=$(min "$c" "$nc")
done
echo
echo "== ima_measurement, 200000-entry ima-ng list (best of $RUNS${RUN:+, under ${RUN[*]}}) =="
printf '%-34s %8s %8s\n' "" "wall s" "cpu s"
printf '%-34s %8s %8s\n' "old evmctl 1.4, 2 banks" "$ow" "$oc"
printf '%-34s %8s %8s\n' "evmctl, 4 banks" "$nw" "$nc"
awk -v ow="$ow" -v nw="$nw" -v oc="$oc" -v nc="$nc" 'BEGIN {
	w = ow / (nw > 0 ? nw : 0.001); c = oc / (nc > 0 ? nc : 0.001)
	printf "speed-up, wall: %.1fx  (target >= 3x: %s)\n", w, (w >= 3 ? "met" : "NOT MET")
	printf "speed-up, cpu:  %.1fx  (twice the banks in %.0f%% of the old cpu time)\n",
	       c, 100 / c }'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"

echo
echo "== memory: peak RSS of evmctl ima_measurement, 4 banks (should stay flat) =="
# the PCRs of the first 20000 entries: every list below matches at entry
# 20000 (the generator writes the same first entries), so each run does
# the same one-pass replay, only longer
$GEN --count 20000 --out q.bin --pcrs-out q --banks sha1,sha256,sha384,sha512 >/dev/null
Q4="--pcrs sha1,q.sha1 --pcrs sha256,q.sha256 --pcrs sha384,q.sha384 --pcrs sha512,q.sha512"
printf '%-10s %12s %12s %8s\n' entries "list MB" "peak RSS kB" status
for n in 20000 200000 2000000; do
	$GEN --count "$n" --out m.bin --no-expected
	st=0
	/usr/bin/time -o rss -f '%M' "$EVMCTL" ima_measurement $Q4 m.bin >/dev/null 2>&1 || st=$?
	printf '%-10s %12s %12s %8s\n' "$n" "$(( $(stat -c %s m.bin) / 1000000 ))" \
		"$(tail -n 1 rss)" "$st"
	rm -f m.bin
done
