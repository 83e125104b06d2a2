#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# attest-bench.sh - ima_measurement speed and memory against the old evmctl:
# a 200,000-entry ima-ng list replayed in 4 banks (ours) and 2 banks (old),
# then peak RSS for 20k, 200k and 2M entries (should stay flat).
# Usage: bench/attest-bench.sh [EVMCTL] (default: src/evmctl/evmctl).  Not run by make check.
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

# best (lowest) wall and CPU seconds of $RUNS runs: "wall cpu"
best() {
	local i out w c bw=999999 bc=999999
	for i in $(seq "$RUNS"); do
		out=$(/usr/bin/time -f '%e %U %S' "$@" 2>&1 >/dev/null | tail -n 1)
		w=$(awk '{print $1}' <<<"$out")
		c=$(awk '{print $2 + $3}' <<<"$out")
		bw=$(awk -v a="$w" -v b="$bw" 'BEGIN {print (a < b) ? a : b}')
		bc=$(awk -v a="$c" -v b="$bc" 'BEGIN {print (a < b) ? a : b}')
	done
	echo "$bw $bc"
}

echo "generating a 200000-entry ima-ng list and its PCRs (sha1, sha256, sha384, sha512)..."
$GEN --count 200000 --out list.bin --pcrs-out p --banks sha1,sha256,sha384,sha512 >/dev/null
P4="--pcrs sha1,p.sha1 --pcrs sha256,p.sha256 --pcrs sha384,p.sha384 --pcrs sha512,p.sha512"
P2="--pcrs sha1,p.sha1 --pcrs sha256,p.sha256"
"$EVMCTL" ima_measurement $P4 list.bin >/dev/null || { echo "ours: no match?" >&2; exit 1; }
"$OLD" ima_measurement $P2 list.bin >/dev/null 2>&1 || { echo "old: no match?" >&2; exit 1; }
read -r ow oc < <(best "$OLD" ima_measurement $P2 list.bin)
read -r nw nc < <(best "$EVMCTL" ima_measurement $P4 list.bin)
printf '%-34s %8s %8s\n' "200000 entries" "wall s" "cpu s"
printf '%-34s %8s %8s\n' "old evmctl 1.4, 2 banks" "$ow" "$oc"
printf '%-34s %8s %8s\n' "evmctl, 4 banks" "$nw" "$nc"
awk -v ow="$ow" -v nw="$nw" -v oc="$oc" -v nc="$nc" 'BEGIN {
	printf "speed-up (wall): %.1fx   (cpu time): %.1fx   target: >= 3x wall\n",
	       ow / (nw > 0 ? nw : 0.001), oc / (nc > 0 ? nc : 0.001) }'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs (wall times need an idle machine)"

echo
printf '%-10s %12s\n' entries "peak RSS kB"
for n in 20000 200000 2000000; do
	$GEN --count "$n" --out m.bin --no-expected
	rss=$(/usr/bin/time -f '%M' "$EVMCTL" ima_measurement $P4 m.bin 2>&1 >/dev/null | tail -n 1)
	printf '%-10s %12s\n' "$n" "$rss"
	rm -f m.bin
done
