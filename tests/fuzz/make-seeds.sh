#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make-seeds.sh - regenerate the small seed corpora committed in tests/fuzz/corpus.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
seed() { # seed HARNESS NAME HEX
	mkdir -p "$here/corpus/$1"
	printf '%s' "$3" | xxd -r -p >"$here/corpus/$1/$2"
}
h32=$(printf 'ab%.0s' $(seq 32))
seed xattr digest-sha1 "01a9993e364706816aba3e25717850c26c9cd0d89d"
seed xattr digest-md5 "01900150983cd24fb0d6963f7d28e17f72"
seed xattr digest-ng-sha256 "0404$h32"
seed xattr digest-ng-sm3 "0411$h32"
seed xattr hmac "02a9993e364706816aba3e25717850c26c9cd0d89d"
seed xattr sig-v2 "030204112233440004deadbeef"
seed xattr sig-v1 "03010000000000000102030405060708010010abcd"
seed xattr sig-v1-sha256 "03010000000000010102030405060708010010abcd"
seed xattr portable "050206aabbccdd0002cafe"
seed xattr verity "060304aabbccdd0002cafe"
seed xattr empty ""
# modsig: appended signatures as openssl cms makes them (no attributes, key
# id signer, with attributes), plus a truncated one
tmp=$(mktemp -d)
openssl req -new -x509 -newkey rsa:1024 -nodes -keyout "$tmp/k" -out "$tmp/c" \
	-subj /CN=seed -days 1 2>/dev/null
printf 'module' >"$tmp/m"
mkdir -p "$here/corpus/modsig"
sig() { openssl cms -sign -binary -nosmimecap -outform DER -md sha256 -in "$tmp/m" \
	-signer "$tmp/c" -inkey "$tmp/k" -out "$here/corpus/modsig/$1" "${@:2}"; }
sig noattr -noattr
sig keyid -noattr -keyid
sig attrs
head -c 200 "$here/corpus/modsig/attrs" >"$here/corpus/modsig/truncated"
rm -rf "$tmp"
