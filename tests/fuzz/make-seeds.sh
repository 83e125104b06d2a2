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
h20=$(printf "a1%.0s" $(seq 20))
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

# ---- measurement lists: every template, binary and ASCII (gen-ima-list.py)
gen=$here/../gen-ima-list.py
for t in ima ima-ng ima-ngv2 ima-sig ima-sigv2 ima-buf ima-modsig evm-sig; do
	mkdir -p "$here/corpus/ml-binary" "$here/corpus/ml-ascii"
	python3 "$gen" --count 3 --template "$t" --violations 3 --no-expected \
		--format binary --out "$here/corpus/ml-binary/$t"
	python3 "$gen" --count 3 --template "$t" --violations 3 --no-expected \
		--format ascii --out "$here/corpus/ml-ascii/$t"
done
python3 "$gen" --count 7 --template mixed --spaces --boot-aggregate --no-expected \
	--pcr 10,11 --format binary --out "$here/corpus/ml-binary/mixed"
python3 "$gen" --count 7 --template mixed --spaces --boot-aggregate --no-expected \
	--pcr 10,11 --format ascii --out "$here/corpus/ml-ascii/mixed"
python3 "$gen" --count 2 --template my-tmpl --no-expected --format binary \
	--out "$here/corpus/ml-binary/unknown-template"
python3 "$gen" --count 2 --file-algo sm3 --no-expected --format ascii \
	--out "$here/corpus/ml-ascii/sm3"
: >"$here/corpus/ml-binary/empty"
: >"$here/corpus/ml-ascii/empty"

# ---- PCR files: PCR-NN (old evmctl, TPM 1.2 sysfs), N: (tsspcrread), tpm2_pcrread
mkdir -p "$here/corpus/pcrs"
python3 "$gen" --count 3 --banks sha1,sha256 --out /dev/null \
	--pcrs-out "$here/corpus/pcrs/gen" >/dev/null
mv "$here/corpus/pcrs/gen.sha1" "$here/corpus/pcrs/pcr-nn-sha1"
mv "$here/corpus/pcrs/gen.sha256" "$here/corpus/pcrs/pcr-nn-sha256"
printf 'PCR-00: %s\nPCR-01: %s\n' "$(echo "$h20" | sed 's/../& /g;s/ $//')" "$h20" \
	>"$here/corpus/pcrs/tpm12-sysfs"
printf '0: %s\n10: %s\n' "$h32" "$h32" >"$here/corpus/pcrs/tsspcrread"
printf 'sha1:\n  0 : 0x%s\n  10: 0x%s\nsha256:\n  0 : 0x%s\n' \
	"$(echo "$h20" | tr a-f A-F)" "$h20" "$h32" >"$here/corpus/pcrs/tpm2-pcrread"

# ---- firmware event logs: TPM 1.2 and crypto-agile (TCG PC Client spec layout)
mkdir -p "$here/corpus/evlog"
python3 - "$here/corpus/evlog" <<'PY'
import hashlib, struct, sys
out = sys.argv[1]
def ev12(pcr, typ, data, digest=None):
    d = digest if digest is not None else hashlib.sha1(data).digest()
    return struct.pack("<II", pcr, typ) + d + struct.pack("<I", len(data)) + data
def ev2(pcr, typ, data, algs):
    body = b"".join(struct.pack("<H", a) + hashlib.new(n, data).digest() for a, n, _ in algs)
    return struct.pack("<III", pcr, typ, len(algs)) + body + struct.pack("<I", len(data)) + data
def spec_id(algs, vendor=b""):
    d = b"Spec ID Event03\0" + struct.pack("<IBBBB", 0, 0, 2, 0, 2) + struct.pack("<I", len(algs))
    d += b"".join(struct.pack("<HH", a, s) for a, _, s in algs) + bytes([len(vendor)]) + vendor
    return ev12(0, 3, d, bytes(20))
SHA1, SHA256, SHA384 = (4, "sha1", 20), (0xb, "sha256", 32), (0xc, "sha384", 48)
open(out + "/tpm12", "wb").write(ev12(0, 8, b"S-CRTM") + ev12(4, 5, b"boot") + ev12(7, 4, b"\0\0\0\0"))
algs = [SHA1, SHA256]
log = spec_id(algs) + ev2(0, 3, b"StartupLocality\0\3", algs) + ev2(0, 8, b"S-CRTM", algs) + \
    ev2(4, 0x80000003, b"app", algs) + ev2(9, 0xd, b"grub.cfg", algs)
open(out + "/agile-sha1-sha256", "wb").write(log)
algs = [SHA256, SHA384, (0x12, "sha256", 32)]
open(out + "/agile-three-banks", "wb").write(spec_id(algs, b"vend") + ev2(7, 0x800000e0, b"db", algs))
open(out + "/spec-id-only", "wb").write(spec_id([SHA256]))
PY

# ---- keys and certificates: RSA and EC, PEM and DER, encrypted (password "fuzz")
mkdir -p "$here/corpus/keys"
k=$here/corpus/keys
# new keys only when there are none: the corpus stays stable
if [ ! -f "$k/rsa.pem" ]; then
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$k/rsa.pem" 2>/dev/null
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$k/ec.pem" 2>/dev/null
	openssl pkey -in "$k/rsa.pem" -outform DER -out "$k/rsa.der"
	openssl pkey -in "$k/ec.pem" -traditional -out "$k/ec-traditional.pem"
	openssl pkcs8 -topk8 -in "$k/ec.pem" -passout pass:fuzz -iter 1 -out "$k/ec-encrypted.pem"
	openssl pkcs8 -topk8 -in "$k/rsa.pem" -passout pass:fuzz -iter 1 -outform DER \
		-out "$k/rsa-encrypted.der"
	openssl pkey -in "$k/ec.pem" -pubout -out "$k/ec-pub.pem"
	openssl pkey -in "$k/rsa.pem" -pubout -outform DER -out "$k/rsa-pub.der"
	openssl req -new -x509 -key "$k/ec.pem" -subj /CN=fuzz -days 1 -out "$k/ec-cert.pem" 2>/dev/null
	openssl req -new -x509 -key "$k/rsa.pem" -subj /CN=fuzz -days 1 -outform DER \
		-out "$k/rsa-cert.der" 2>/dev/null
fi
printf '\0' >"$k/nul"

# ---- sign_hash lines: byte 0 = options (bit 0 --veritysig, bits 1.. -a choice)
mkdir -p "$here/corpus/sign-hash"
line() { printf "$1%s" "$2" >"$here/corpus/sign-hash/$3"; }
line '\0' "$h32  /usr/bin/ls" sha256sum
line '\0' "$h20  name with spaces" sha1sum
line '\2' "$h32 -" algo-given
line '\1' "sha256:$h32 /usr/bin/ls" fsverity
line '\1' "sha512:$h32$h32 f" fsverity-sha512
line '\0' "zz  bad" bad-hex

# ---- signatures checked by fuzz-verify against the test keys in verify-keys/
vk=$here/verify-keys
if [ ! -f "$vk/ec.pem" ]; then
	mkdir -p "$vk"
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$vk/ec.pem" 2>/dev/null
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$vk/rsa.pem" 2>/dev/null
	openssl req -new -x509 -key "$vk/ec.pem" -subj /CN=fuzz-verify-ec -days 36500 \
		-out "$vk/ec-cert.pem" 2>/dev/null
	openssl pkey -in "$vk/rsa.pem" -pubout -out "$vk/rsa-pub.pem"
fi
mkdir -p "$here/corpus/verify"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
head -c 32 /dev/zero | tr '\0' 'Z' >"$tmp/digest"	# 0x5a, as the harness uses
for key in ec rsa; do
	# key id: last 4 bytes of the sha1 of the public key bits (RFC 5280 4.2.1.2)
	der_len=$([ $key = ec ] && echo 65 || echo 140)
	keyid=$(openssl pkey -in "$vk/$key.pem" -pubout -outform DER | tail -c "$der_len" |
		sha1sum | cut -c33-40)
	openssl pkeyutl -sign -inkey "$vk/$key.pem" -pkeyopt digest:sha256 \
		-in "$tmp/digest" -out "$tmp/sig"
	len=$(printf '%04x' "$(stat -c %s "$tmp/sig")")
	seed verify "v2-$key" "030204$keyid$len$(xxd -p "$tmp/sig" | tr -d '\n')"
	seed verify "v3-$key" "060304$keyid$len$(xxd -p "$tmp/sig" | tr -d '\n')"
done
seed verify v1 "03010000000000000102030405060708010010abcd"
seed verify unknown-key "030204deadbeef0004deadbeef"
