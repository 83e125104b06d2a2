#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tree.sh [FILES] - label and verify a whole tree with our evmctl and with the
# old one (/usr/bin/evmctl) in the same run; print times and ratios.
# Not part of CI: run by hand on an otherwise idle machine, as root.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
files=${1:-50000}
build=${BUILD_DIR:-$top/build-bench}
bash "$top/scripts/build.sh" "$build" CFLAGS="-O2 -g"
new=$build/src/evmctl/evmctl
# time the program, not libtool's wrapper script around it (~0.1 s a run)
if [ -x "$build/src/evmctl/.libs/evmctl" ]; then
	new=$build/src/evmctl/.libs/evmctl
	export LD_LIBRARY_PATH=$build/src/libimaevm/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi
old=/usr/bin/evmctl
work=${BENCH_DIR:-/var/tmp/evmctl-bench}
tree=$work/tree-$files
[ -x "$old" ] || { echo "needs $old (apt-get install ima-evm-utils)"; exit 1; }

mkdir -p "$work"
[ -d "$tree" ] || python3 "$top/bench/make-tree.py" "$tree" "$files"
find "$tree" -type f -print0 | xargs -0 cat >/dev/null	# page cache warm

secs() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc; }
ratio() { echo "scale=2; $1 / $2" | bc; }
row() { printf '%-34s old %8.2f s   new %8.2f s   %6.2fx\n' "$1" "$2" "$3" "$(ratio "$2" "$3")"; }

echo "== $(nproc) CPUs, tree: $(find "$tree" -type f | wc -l) files, $(du -sh "$tree" | cut -f1)"
t_old=$(secs "$old" ima_hash -r --xattr-user "$tree")
t_new=$(secs "$new" ima_hash -r --xattr-user "$tree")
row "ima_hash -r (sha256)" "$t_old" "$t_new"

if "$new" help ima_sign >/dev/null 2>&1; then
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/rsa.pem" 2>/dev/null
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/ec.pem" 2>/dev/null
	openssl req -new -x509 -key "$work/rsa.pem" -out "$work/rsa.der" -outform DER -subj /CN=b -days 2 2>/dev/null
	for k in rsa ec; do
		t_old=$(secs "$old" ima_sign -r --xattr-user --key "$work/$k.pem" "$tree")
		t_new=$(secs "$new" ima_sign -r --xattr-user --key "$work/$k.pem" "$tree")
		row "ima_sign -r ($k)" "$t_old" "$t_new"
	done
	"$new" ima_sign -r --xattr-user --key "$work/rsa.pem" "$tree" >/dev/null 2>&1
	t_old=$(secs sh -c "find '$tree' -type f -print0 | xargs -0 $old ima_verify --xattr-user --key $work/rsa.der")
	t_new=$(secs "$new" ima_verify -r --xattr-user --key "$work/rsa.der" "$tree")
	row "verify every file (rsa)" "$t_old" "$t_new"
else
	echo "(ima_sign not built yet: signing rows skipped)"
fi

# one large file: our throughput against OpenSSL's own for one core
big=$work/big-1g
[ -f "$big" ] || head -c 1073741824 /dev/urandom >"$big"
cat "$big" >/dev/null
t_new=$(secs "$new" ima_hash -n "$big")
ours=$(echo "scale=1; 1073741824 / $t_new / 1000000" | bc)
lib=$(openssl speed -seconds 3 -evp sha256 -bytes 131072 2>/dev/null | awk '/^sha256/ {print $2}' | tr -d k)
limit=$(echo "scale=1; $lib / 1000" | bc)
printf '%-34s %8s MB/s   openssl speed %8s MB/s   %5.1f%% of the limit\n' \
	"1 GiB file, sha256" "$ours" "$limit" "$(echo "scale=3; 100 * $ours / $limit" | bc)"
