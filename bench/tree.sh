#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tree.sh [FILES] - label and verify a whole tree with our evmctl and with the
# old one (/usr/bin/evmctl) in the same run; print times, ratios, and how
# close each job comes to the lower bound the crypto allows on this machine.
# Not part of CI: run by hand on an otherwise idle machine, as root.
# REPEAT=N (default 2): each job runs N times, old and new taking turns; the
# best time of each counts.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
files=${1:-50000}
repeat=${REPEAT:-2}
build=${BUILD_DIR:-$top/build-bench}
bash "$top/scripts/build.sh" "$build" CFLAGS="-O2 -g" >/dev/null
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
command -v bc >/dev/null || { echo "needs bc (apt-get install bc)"; exit 1; }

mkdir -p "$work"
[ -d "$tree" ] || python3 "$top/bench/make-tree.py" "$tree" "$files"
find "$tree" -type f -print0 | xargs -0 cat >/dev/null	# page cache warm
nfiles=$(find "$tree" -type f | wc -l)
nbytes=$(find "$tree" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
cpus=$(nproc)

# wall time of one run of a command line, after the previous run's xattr
# writes are on disk (their write-back must not fall into this run)
timed() {
	local s e
	sync
	s=$(date +%s.%N); sh -c "$1" >/dev/null 2>&1 || true; e=$(date +%s.%N)
	echo "$e - $s" | bc
}
smaller() { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc)" = 1 ]; then echo "$2"; else echo "$1"; fi; }
# best wall times of $repeat runs of two command lines, old and new taking
# turns so that both meet the same machine: prints "OLD NEW".  One untimed
# run first, so that no timed run is the one that replaces the previous
# job's labels (RSA signatures and digests are the same every run; EC
# signatures differ every run, for both tools alike).
both() {
	local i bo="" bn=""
	timed "$2" >/dev/null
	for i in $(seq "$repeat"); do
		bo=$(smaller "$bo" "$(timed "$1")")
		bn=$(smaller "$bn" "$(timed "$2")")
	done
	echo "$bo $bn"
}
best() {
	local i b=""
	for i in $(seq "$repeat"); do b=$(smaller "$b" "$(timed "$1")"); done
	echo "$b"
}
calc() { echo "scale=4; $*" | bc; }

# What OpenSSL does on one core of this machine: sha256 bytes/s on 16 KiB
# blocks (most files are small), and private/public key operations per second.
sha_rate=$(openssl speed -seconds 2 -evp sha256 -bytes 16384 2>/dev/null |
	awk '/^sha256/ {sub("k", "", $2); print $2 * 1000}')
read -r rsa_sign rsa_verify < <(openssl speed -seconds 2 rsa2048 2>/dev/null |
	awk '/^rsa 2048/ {print $6, $7}')
ec_sign=$(openssl speed -seconds 2 ecdsap256 2>/dev/null | awk '/nistp256/ {print $7}')

# the least wall time the crypto allows: all of it spread over every CPU
bound() { # bound OPS_PER_FILE_RATE (0: hashing only)
	local per_file=0
	[ "$1" = 0 ] || per_file=$(calc "$nfiles / $1")
	calc "($nbytes / $sha_rate + $per_file) / $cpus"
}

printf '== %s CPUs, tree: %s files, %.2f GB; best of %s runs\n' "$cpus" "$nfiles" \
	"$(calc "$nbytes / 1000000000")" "$repeat"
printf '== openssl speed, one core: sha256 %.0f MB/s (16 KiB blocks), RSA-2048 %s sign/s %s verify/s, P-256 %s sign/s\n' \
	"$(calc "$sha_rate / 1000000")" "$rsa_sign" "$rsa_verify" "$ec_sign"
printf '%-26s %9s %9s %8s %7s   %9s %8s %13s\n' job "old s" "new s" ratio target \
	"bound s" "new/bnd" "best possible"
row() { # row JOB OLD NEW TARGET BOUND
	printf '%-26s %9.2f %9.2f %7.2fx %6sx   %9.2f %7.0f%% %12.1fx\n' "$1" "$2" "$3" \
		"$(calc "$2 / $3")" "$4" "$5" "$(calc "100 * $5 / $3")" "$(calc "$2 / $5")"
}

read -r t_old t_new < <(both "$old ima_hash -r --xattr-user $tree" \
	"$new ima_hash -r --xattr-user $tree")
row "ima_hash -r (sha256)" "$t_old" "$t_new" 5 "$(bound 0)"

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/rsa.pem" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/ec.pem" 2>/dev/null
openssl req -new -x509 -key "$work/rsa.pem" -out "$work/rsa.der" -outform DER -subj /CN=b -days 2 2>/dev/null
for k in ec rsa; do
	read -r t_old t_new < <(both "$old ima_sign -r --xattr-user --key $work/$k.pem $tree" \
		"$new ima_sign -r --xattr-user --key $work/$k.pem $tree")
	if [ $k = rsa ]; then
		row "ima_sign -r (RSA-2048)" "$t_old" "$t_new" 8 "$(bound "$rsa_sign")"
	else
		row "ima_sign -r (EC P-256)" "$t_old" "$t_new" 15 "$(bound "$ec_sign")"
	fi
done
# the tree now holds RSA signatures; the old tool has no -r: xargs feeds it
read -r t_old t_new < <(both \
	"find $tree -type f -print0 | xargs -0 $old ima_verify --xattr-user --key $work/rsa.der" \
	"$new ima_verify -r --xattr-user --key $work/rsa.der $tree")
row "verify every file (RSA)" "$t_old" "$t_new" 5 "$(bound "$rsa_verify")"
"$new" ima_verify -r --xattr-user --key "$work/rsa.der" "$tree" | tail -1 | sed 's/^/   ima_verify -r summary: /'

# one large file: our throughput against OpenSSL's own for one core
big=$work/big-1g
[ -f "$big" ] || head -c 1073741824 /dev/urandom >"$big"
cat "$big" >/dev/null
t_new=$(best "$new ima_hash -n $big")
ours=$(calc "1073741824 / $t_new / 1000000")
lib=$(openssl speed -seconds 3 -evp sha256 -bytes 131072 2>/dev/null | awk '/^sha256/ {print $2}' | tr -d k)
limit=$(calc "$lib / 1000")
printf '%-26s %8.1f MB/s   openssl speed %8.1f MB/s   %5.1f%% of the limit (target 95%%)\n' \
	"1 GiB file, sha256" "$ours" "$limit" "$(calc "100 * $ours / $limit")"

# memory stays flat as the tree grows: past the output window (16,384 entries
# in flight) peak RSS must not depend on the number of files; 1/5 of the tree
# (10,000 files) against all of it
rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
part=("$tree"/d0[0-9])
printf '%-26s %6s KB for %s files, %6s KB for %s files (ima_sign -r, RSA)\n' "peak RSS, new" \
	"$(rss "$new" ima_sign -r --xattr-user --key "$work/rsa.pem" "${part[@]}")" \
	"$(find "${part[@]}" -type f | wc -l)" \
	"$(rss "$new" ima_sign -r --xattr-user --key "$work/rsa.pem" "$tree")" "$nfiles"
