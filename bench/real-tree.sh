#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# real-tree.sh [DIR] - the tree jobs on a real tree (a copy of this machine's
# /usr: bin, sbin, lib/x86_64-linux-gnu, share/doc, share/man, include; or a
# copy of DIR), timed for our evmctl, ima-evm-utils 1.6.2 (built from
# ../shared/oracles by scripts/ or IMAEVM_ORACLE_EVMCTL) and Debian's 1.4,
# taking turns, against the machine's bound measured in the same run:
#   bound = (what the kernel costs + bytes / our multi-stream SHA-256 rate
#            + files / key operations per second) / CPUs
# where the kernel's cost is the CPU time of bench/io-cost (everything but
# hashing and signing: the walk, open, fstat, read to EOF, statx, the
# xattrs of the job's size, close of every file), the SHA-256 rate bench/sha-rate's four-stream block
# function per core (no copy: io-cost has it), and key operations openssl
# speed's, both per core while every CPU works.  Then three size classes (a 1 GiB file, 1,000,000 files of
# 1 KiB on tmpfs, the tree's large .so files) and peak RSS at 10k and 1M files.
# Not part of CI: run by hand as root on an otherwise idle machine.
# REPEAT=N (default 3) runs per job, best counts; SMALL=N files of the small
# class (0 skips it).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
repeat=${REPEAT:-3}
small=${SMALL:-1000000}
work=${BENCH_DIR:-/var/tmp/evmctl-bench}
build=${BUILD_DIR:-$top/build-bench}
cpus=$(nproc)
mkdir -p "$work"

bash "$top/scripts/build.sh" "$build" CFLAGS="-O2 -g" >/dev/null
new=$build/src/evmctl/evmctl
lib=$build/src/libimaevm/.libs
[ -x "$build/src/evmctl/.libs/evmctl" ] && new=$build/src/evmctl/.libs/evmctl
ref_dir=/var/cache/imaevm-oracle/ima-evm-utils-1.6.2/src
ref=${IMAEVM_ORACLE_EVMCTL:-$ref_dir/.libs/evmctl}
[ -x "$ref" ] || bash "$top/../shared/oracles/build-ima-evm-utils.sh" >/dev/null 2>&1 || true
deb=/usr/bin/evmctl
for t in "$ref" "$deb"; do [ -x "$t" ] || { echo "needs $t"; exit 1; }; done
command -v bc >/dev/null || { echo "needs bc"; exit 1; }
# each tool with its own library
tool() { # tool NAME -> command prefix
	case $1 in
	new) echo "env LD_LIBRARY_PATH=$lib $new" ;;
	1.6.2) echo "env LD_LIBRARY_PATH=$(dirname "$ref") $ref" ;;
	1.4) echo "$deb" ;;
	esac
}
cc -O2 -o "$work/io-cost" "$top/bench/io-cost.c" -lpthread
cc -O2 -I "$build" -I "$top/src/libimaevm" -o "$work/sha-rate" "$top/bench/sha-rate.c" \
	"$top/src/libimaevm/sha256-ni.c" -L "$lib" -limaevm -lcrypto

# the tree
if [ $# -ge 1 ]; then
	src=$(cd "$1" && pwd); tree=$work/tree-$(echo "$src" | tr / _)
	[ -d "$tree" ] || cp -a "$src" "$tree"
else
	tree=$work/usr
	if [ ! -d "$tree" ]; then
		mkdir -p "$tree/lib" "$tree/share"
		cp -a /usr/bin /usr/sbin /usr/include "$tree/"
		cp -a /usr/lib/x86_64-linux-gnu "$tree/lib/"
		cp -a /usr/share/doc /usr/share/man "$tree/share/"
	fi
fi
find "$tree" -type f -print0 | xargs -0 cat >/dev/null	# page cache warm
nfiles=$(find "$tree" -type f | wc -l)
nbytes=$(find "$tree" -type f -printf '%s\n' | awk '{s += $1} END {print s}')

calc() { echo "scale=4; $*" | bc; }
timed() { # wall time of one run; the previous run's writes on disk first
	local s e
	sync
	s=$(date +%s.%N)
	sh -c "$1" >/dev/null 2>"$work/last.err" || echo "warning: failed: $1: $(tail -1 "$work/last.err")" >&2
	e=$(date +%s.%N)
	echo "$e - $s" | bc
}
smaller() { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc)" = 1 ]; then echo "$2"; else echo "$1"; fi; }
# best of $repeat runs of each tool's command line, tools taking turns;
# the command line has TOOL where the tool goes, the second one (if given)
# is the old tools'.  Prints "new 1.6.2 1.4".
turns() {
	local i b_new="" b_ref="" b_deb="" n=$1 o=${2:-$1}
	timed "${n//TOOL/$(tool new)}" >/dev/null
	for i in $(seq "$repeat"); do
		b_new=$(smaller "$b_new" "$(timed "${n//TOOL/$(tool new)}")")
		b_ref=$(smaller "$b_ref" "$(timed "${o//TOOL/$(tool 1.6.2)}")")
		b_deb=$(smaller "$b_deb" "$(timed "${o//TOOL/$(tool 1.4)}")")
	done
	echo "$b_new $b_ref $b_deb"
}

# the machine, measured now.  A tree job keeps every CPU busy, and a core
# does less when the others work too (shared caches, clocks, the host), so
# the per-core rates of the bound are measured with every CPU at work: one
# sha-rate per CPU at once, openssl speed -multi.  One stream alone (the
# 1 GiB file) is measured alone.
read -r _ hash1_rate _ one_rate < <(LD_LIBRARY_PATH=$lib "$work/sha-rate")
read -r hash_rate mux_rate < <(for _ in $(seq "$cpus"); do LD_LIBRARY_PATH=$lib "$work/sha-rate" & done |
	awk '{h += $1; m += $3; n++} END {printf "%.0f %.0f\n", h / n, m / n}')
ossl_rate=$(openssl speed -seconds 2 -evp sha256 -bytes 16384 2>/dev/null |
	awk '/^sha256/ {sub("k", "", $2); print $2 * 1000}')
read -r rsa_sign rsa_verify < <(openssl speed -seconds 2 -multi "$cpus" rsa2048 2>/dev/null |
	awk -v n="$cpus" '/^rsa 2048/ {print $6 / n, $7 / n}')
ec_sign=$(openssl speed -seconds 2 -multi "$cpus" ecdsap256 2>/dev/null |
	awk -v n="$cpus" '/nistp256/ {print $7 / n}')
io() { # io ARGS... DIR: best CPU seconds of three runs of io-cost after one
	# untimed (the first run creates its xattr on every file, which costs more)
	local i b="" c
	"$work/io-cost" "$@" >/dev/null
	for i in 1 2 3; do
		c=$("$work/io-cost" "$@" | awk '{print $4}'); b=$(smaller "$b" "$c")
	done
	echo "$b"
}
# the xattr each job writes: its size, and whether it changes from run to
# run (an ECDSA signature does; a digest or an RSA PKCS#1 signature does
# not, and the filesystem skips writing a value already there).  Measured
# right before each job, on the tree as the job before left it.
io_set=$(io "$tree"); io_nr=$(io -n "$tree")
bound() { # bound IO_CPU KEY_OPS_PER_S (0: none)
	local per_key=0
	[ "$2" = 0 ] || per_key=$(calc "$nfiles / $2")
	calc "($1 + $nbytes / $hash_rate + $per_key) / $cpus"
}

printf '== %s CPUs; tree %s: %s files, %.2f GB; best of %s runs\n' "$cpus" "$tree" "$nfiles" \
	"$(calc "$nbytes / 1000000000")" "$repeat"
printf '== SHA-256 per core, every CPU hashing: ours %.0f MB/s (4 streams, hashing alone); one stream alone %.0f MB/s; from the page cache %.0f MB/s (4 files, every CPU) %.0f MB/s (1 file alone); openssl speed %.0f MB/s\n' \
	"$(calc "$hash_rate / 1000000")" "$(calc "$hash1_rate / 1000000")" "$(calc "$mux_rate / 1000000")" "$(calc "$one_rate / 1000000")" \
	"$(calc "$ossl_rate / 1000000")"
printf '== key operations per core, every CPU signing (openssl speed -multi): RSA-2048 %s sign/s %s verify/s, P-256 %s sign/s\n' \
	"$rsa_sign" "$rsa_verify" "$ec_sign"
printf '== kernel, CPU s for the tree: %s (walk, open, fstat, read, statx, a digest xattr written, close), %s without reading the content\n' \
	"$io_set" "$io_nr"
printf '%-28s %8s %8s %8s %9s %9s %8s %9s\n' job "new s" "1.6.2 s" "1.4 s" "vs 1.6.2" \
	"vs 1.4" "bound s" "new/bnd"
row() { # row JOB NEW REF DEB BOUND
	printf '%-28s %8.2f %8.2f %8.2f %8.2fx %8.2fx %8.2f %9.2f\n' "$1" "$2" "$3" "$4" \
		"$(calc "$3 / $2")" "$(calc "$4 / $2")" "$5" "$(calc "$2 / $5")"
}

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/rsa.pem" 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/ec.pem" 2>/dev/null
openssl req -new -x509 -key "$work/rsa.pem" -out "$work/rsa.der" -outform DER -subj /CN=b -days 2 2>/dev/null
uuid=01234567-89ab-cdef-0123-456789abcdef

row "ima_hash -r" $(turns "TOOL ima_hash -r --xattr-user $tree") "$(bound "$io_set" 0)"
io_ec=$(io -s 80 -v "$tree")
row "ima_sign -r P-256" $(turns "TOOL ima_sign -r --xattr-user --key $work/ec.pem $tree") \
	"$(bound "$io_ec" "$ec_sign")"
io_evm=$(io -s 265,265 "$tree")
row "sign -r --imasig (EVM, RSA)" \
	$(turns "TOOL sign -r --imasig --xattr-user --uuid=$uuid --key $work/rsa.pem $tree") \
	"$(bound "$io_evm" "$(calc "$rsa_sign / 2")")"
io_rsa=$(io -s 265 "$tree")
row "ima_sign -r RSA-2048" $(turns "TOOL ima_sign -r --xattr-user --key $work/rsa.pem $tree") \
	"$(bound "$io_rsa" "$rsa_sign")"
io_get=$(io -g "$tree")
# the old tools have no ima_verify -r: xargs feeds them
row "ima_verify (RSA)" $(turns "TOOL ima_verify -r --xattr-user --key $work/rsa.der $tree" \
	"find $tree -type f -print0 | xargs -0 TOOL ima_verify --xattr-user --key $work/rsa.der") \
	"$(bound "$io_get" "$rsa_verify")"
printf '== kernel, CPU s for the tree with each job'"'"'s xattr: %s (P-256 signature, 80 bytes, new each run), %s (EVM: two RSA signatures), %s (one RSA signature), %s (an xattr read)\n' \
	"$io_ec" "$io_evm" "$io_rsa" "$io_get"

# size classes: ima_hash, one tool after the other in turns
echo "== size classes (ima_hash; bound: the kernel's cost as above + bytes at our rate)"
big=$work/big-1g
[ -f "$big" ] || head -c 1073741824 /dev/urandom >"$big"
cat "$big" >/dev/null
# one file: hashed on one core while a second copies it out of the page cache
row "1 GiB file" $(turns "TOOL ima_hash -n $big") "$(calc "1073741824 / $hash1_rate")"
sotree=$work/so-tree
if [ ! -d "$sotree" ]; then
	mkdir -p "$sotree"
	find "$tree" -type f -name '*.so*' -size +1M -exec cp -a {} "$sotree/" \;
	[ -n "$(ls "$sotree")" ] || find "$tree" -type f -size +256k -exec cp -a {} "$sotree/" \;
fi
so_files=$(find "$sotree" -type f | wc -l)
so_bytes=$(find "$sotree" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
so_io=$(io "$sotree")
row "large .so ($so_files files)" $(turns "TOOL ima_hash -r --xattr-user $sotree") \
	"$(calc "($so_io + $so_bytes / $hash_rate) / $cpus")"
if [ "$small" -gt 0 ]; then
	stree=/dev/shm/evmctl-bench-small-$small
	[ -d "$stree" ] || python3 - "$stree" "$small" <<'EOF'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
data = bytes(range(256)) * 4
for i in range(n):
    d = os.path.join(root, "d%03d" % (i // 1000))
    if i % 1000 == 0:
        os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%d" % i), "wb") as f:
        f.write(data[i % 256:] + data[:i % 256])
EOF
	scost=$(io "$stree")
	row "$small files of 1 KiB" $(turns "TOOL ima_hash -r --xattr-user $stree") \
		"$(calc "($scost + $small * 1024 / $hash_rate) / $cpus")"
	rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
	# flat past the output window (16,384 entries in flight)
	printf '%-28s %s KB for 10,000 files, %s KB for 100,000, %s KB for %s\n' "peak RSS, ima_hash -r" \
		"$(rss env LD_LIBRARY_PATH=$lib "$new" ima_hash -r --xattr-user "$stree"/d00[0-9])" \
		"$(rss env LD_LIBRARY_PATH=$lib "$new" ima_hash -r --xattr-user "$stree"/d0[0-9][0-9])" \
		"$(rss env LD_LIBRARY_PATH=$lib "$new" ima_hash -r --xattr-user "$stree")" "$small"
fi
