#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# keylime-bench.sh - ima_measurement --policy against keylime's own IMA
# verification: a 100,000-entry ima-ng ASCII list and a keylime runtime
# policy allowing every file, checked by keylime's checker (the oracle in
# shared/oracles/keylime) and by evmctl, same machine, same run.  Prints wall
# and CPU seconds, peak RSS and the ratios, against keylime's whole run and
# against its process_measurement_list call alone (what a verifier pays per
# attestation; the checker reports it with --time).
# Usage: bench/keylime-bench.sh [EVMCTL]  (KEYLIME_ORACLE_DIR, N=entries,
# RUNS=runs, best kept).  Not run by make check.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
EVMCTL=${1:-${EVMCTL:-$here/src/evmctl/evmctl}}
KDIR=${KEYLIME_ORACLE_DIR:-/work/shared/oracles/keylime}
N=${N:-100000}
RUNS=${RUNS:-3}
[ -x "$EVMCTL" ] || { echo "build first: $EVMCTL not found" >&2; exit 1; }
[ -x "$KDIR/keylime-ima-check.py" ] || { echo "keylime oracle not found in $KDIR" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time not found (Debian package time)" >&2; exit 1; }
# time the program, not libtool's wrapper script around it
bindir=$(cd "$(dirname "$EVMCTL")" && pwd)
if [ -x "$bindir/.libs/evmctl" ] && head -c 2 "$EVMCTL" | grep -q '#!'; then
	EVMCTL=$bindir/.libs/evmctl
	export LD_LIBRARY_PATH=$bindir/../libimaevm/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/keylime-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
cd "$dir"
export KEYLIME_ORACLE_CACHE=$dir

python3 "$here/tests/gen-ima-list.py" --count "$N" --template ima-ng --file-algo sha256 \
	--banks sha1,sha256 --boot-aggregate --format ascii --out list.ascii --pcrs-out list.pcrs >list.exp
/usr/bin/python3 "$KDIR/ascii-to-policies.py" list.ascii policy.json manifest.txt
pcr10=$(grep '^sha256:10:' list.exp | cut -d: -f3)
echo "list: $N entries, $(wc -c <list.ascii) bytes; policy.json $(wc -c <policy.json) bytes"

# best of RUNS: "wall user sys rss" into $1.best, the last output in $1.out
best() {
	local name=$1; shift
	: >"$name.all"
	for _ in $(seq "$RUNS"); do
		/usr/bin/time -f '%e %U %S %M' -o "$name.t" "$@" >"$name.out" 2>"$name.err" ||
			{ echo "$name failed: $(tail -3 "$name.err")" >&2; exit 1; }
		cat "$name.t" >>"$name.all"
		# the checker's --time lines: import, load, process_measurement_list (seconds)
		grep -o '[0-9.]* s' "$name.err" | tail -1 | cut -d' ' -f1 >>"$name.pml" || :
	done
	sort -n "$name.all" | head -1 >"$name.best"
}
best keylime "$KDIR/keylime-ima-check.py" --list list.ascii --policy policy.json \
	--pcr10 "$pcr10" --hash-alg sha256 --time
best evmctl "$EVMCTL" ima_measurement --policy policy.json --pcrs sha256,list.pcrs.sha256 \
	--verify-bank=sha256 list.ascii
# evmctl's policy load alone (a 1-entry list), to set its checking apart
head -1 list.ascii >one.ascii
best evmctl-load sh -c '"$0" ima_measurement --policy policy.json one.ascii; exit 0' "$EVMCTL"
grep -q '^keylime verdict: PASS' keylime.out || { echo "keylime did not accept" >&2; exit 1; }
pml=$(sort -n keylime.pml | head -1)	# best of the runs, as the wall times
read -r kw ku ks km <keylime.best
read -r ew eu es em <evmctl.best
read -r lw _ <evmctl-load.best
awk -v lw="$lw" -v kw="$kw" -v ku="$ku" -v ks="$ks" -v km="$km" -v ew="$ew" -v eu="$eu" -v es="$es" \
	-v em="$em" -v pml="$pml" 'BEGIN {
	kc = ku + ks; ec = eu + es
	if (ew < 0.001) ew = 0.001; if (ec < 0.001) ec = 0.001
	printf "keylime: wall %.2f s, cpu %.2f s, peak RSS %.1f MiB; process_measurement_list %.3f s\n", kw, kc, km / 1024, pml
	printf "evmctl:  wall %.3f s, cpu %.3f s, peak RSS %.1f MiB\n", ew, ec, em / 1024
	printf "ratio (keylime / evmctl): whole run wall %.1fx, cpu %.1fx, RSS %.1fx\n", kw / ew, kc / ec, km / em
	cw = ew - lw; if (cw < 0.001) cw = 0.001
	printf "evmctl policy load %.3f s, list check (the rest) %.3f s\n", lw, cw
	printf "ratio against the verification call alone (wall): whole evmctl run %.1fx, evmctl list check %.1fx\n", pml / ew, pml / cw
}'
