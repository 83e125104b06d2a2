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
for b in sha256 sha384 sha512; do	# per-bank lists
	python3 "$gen" --count 3 --template mixed --violations 3 --no-expected \
		--list-bank $b --format binary --out "$here/corpus/ml-binary/bank-$b"
	python3 "$gen" --count 3 --template mixed --violations 3 --no-expected \
		--list-bank $b --format ascii --out "$here/corpus/ml-ascii/bank-$b"
done
: >"$here/corpus/ml-binary/empty"
: >"$here/corpus/ml-ascii/empty"

# ---- signature manifest lines (ima_setxattr --manifest)
mkdir -p "$here/corpus/sigmanifest"
sm() { printf '%s' "$2" >"$here/corpus/sigmanifest/$1"; }
sig=030204112233440004deadbeef
sm own "$sig sha256:$h32  /usr/bin/foo"
sm own-escaped "$sig sha256:$h32  /usr/bin/a\\134b\\012c"
sm own-dotdot "$sig sha256:$h32  /usr/../etc/x"
sm own-algo-mismatch "$sig sha1:$h20  /x"
sm sign-hash "$h32  usr/bin/foo $sig"
sm sign-hash-binary "$h32 *usr/bin/foo bar $sig"
sm sign-hash-escaped "\\$h32  usr/bin/a\\\\b\\nc $sig"
sm verity "sha256:$h32 usr/bin/foo 060304112233440004deadbeef"
sm not-a-signature "0404$h32 sha256:$h32  /x"
sm empty-path "$sig sha256:$h32  /./"

# ---- keylime runtime policies (ima_measurement --policy)
mkdir -p "$here/corpus/keylime-policy"
kp() { printf '%s' "$2" >"$here/corpus/keylime-policy/$1"; }
kp full '{"meta": {"version": 1, "generator": 0}, "release": 0, "digests": {"boot_aggregate": ["'$h32'"], "/usr/bin/foo": ["'$h32'", "'$h20'"]}, "excludes": ["/tmp/.*", "^/var/(log|cache)/"], "keyrings": {".ima": ["'$h32'"]}, "ima": {"ignored_keyrings": [".evm"], "log_hash_alg": "sha1", "dm_policy": null}, "ima-buf": {"kernel_version": ["'$h32'"]}, "verification-keys": ""}'
kp minimal '{"meta": {"version": 1}}'
kp bad-type '{"meta": {"version": 1}, "digests": {"/x": "'$h32'"}}'
kp bad-hex '{"meta": {"version": 1}, "digests": {"/x": ["sha256:'$h32'"]}}'
kp bad-regex '{"meta": {"version": 1}, "excludes": ["(", "[a-"]}'
kp truncated '{"meta": {"version": 1}, "digests": {"/x": ["'$h32
kp escapes '{"meta": {"version": 1}, "digests": {"/a\u0000b": ["'$h32'"], "/\u00e9": ["'$h32'"]}}'

# ---- manifests (ima_measurement --policy, imaevm_policy_add)
mkdir -p "$here/corpus/policy-manifest"
pm() { printf "$2" >"$here/corpus/policy-manifest/$1"; }
pm full "# evmctl manifest\nsha256:$h32  /usr/bin/foo\nsha1:$h20  /usr/bin/foo\nsha256:$h32  /a\\\\134b\\\\040c\r\n\nexclude /tmp/*\nexclude /var/\\\\052\n"
pm bad-digest "sha256:12  /x\n"
pm bad-escape "sha256:$h32  /x\\\\400\n"
pm relative "sha256:$h32  x\n"
pm nul "sha256:$h32  /x\\000y\n"
pm no-newline "sha512:$h32$h32  /x"

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

# == remote attestation ==
# a swtpm quote of sha256 PCRs 0,1,10 with nonce 0011223344, its RSASSA
# signature and the AK's TPM2B_PUBLIC (selector 0: quote; 1: all three)
quote=ff54434780180022000b60eddf5ce1d2807c154a53f8c2953cf654305b0c0bba694d19a72e1ba30031ce000500112233440000000000004d51000000020000000001201910230016363600000001000b03ff010000202d5565fb483d8ea4525a7a9229677d1038ad34b6e22c8d5152e1d7f7b9817597
seed quote attest "00$quote"
seed quote truncated "00${quote:0:100}"
seed quote signed "0100760106${quote}0014000b01003aaf691e7f7dc56a0fd0a12ca1000ce3169a50fee2d30c6d2bd4c4e022736d4f3ac9d825b42fd8b971f982e1ac0d630ea3a02b26501d3ce149fb696a17634a0f938ddc7ee33ef984c3d51694c54101b767626701aebb88d989ced52b08009553a500e22d65a5546c400ed3968297a61d5d057ab78d533a644f1bc1f327ee97a16e32a5239615f90e73d86526f0323030b2748714cfa27da159d5cf43507210f6fcd61dbb2882e019acc1880fb1a2f9ca6f98d6a88a2d1019429f74c0d328509d0247422925522aba8235fa04df6ccbe536e37811c7f72cac913bd127ead31f08cf798244ab3b7ec9aed39db6701b16471efdae46cf98905c70c1e24a5bcf274c01180001000b00050072000000100014000b0800000000000100998586b0cbf7a27e9f97ea455da01bcb723be336104f1a5268ac46d79f6c96b50c07e0b4ece7eb8579020464ddc76d095f9283ffdf3c4c097b881ba56494a43ba071cd31e77be53ae02dd89774f555e4901e2dc84b2802a179b95e45733548fab1254159849c128efd83527eec71106f7e5e1a5fb932b5b2790d618c73a53321c3337c0a54638da69868bf50d52f0399dc954607245aff17b7cd33fbbd9fd7fb96e9760e4312b825d41130550bbbc792650a01cd8ea06df968bf20305b17f091339d63f839f38430b39628b438c6fe7191d424c9e56e107985fae5bc5463bdfbebcd92666103ba49a7aef505270637a68fc03d6a7ce4fb0139c5cf222a95edb3"

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
# the event-log rules' cases (tests/gen-evlog.py): accepted and refused logs
for c in no-action-ffffffff vendor-info-short few-digests algorithm-twice late-locality \
	spec-id-digest-size; do
	python3 "$here/../gen-evlog.py" "$c" "$here/corpus/evlog/$c" >/dev/null
done

# ---- incremental replay state files (ima_measurement --state): needs an
# evmctl, $EVMCTL (default: the one in ./build)
evmctl=${EVMCTL:-$here/../../build/src/evmctl/evmctl}
if [ -x "$evmctl" ]; then
	t=$(mktemp -d)
	mkdir -p "$here/corpus/ml-state"
	python3 "$gen" --count 5 --boot-aggregate --pcr 10,11 --out "$t/l" --pcrs-out "$t/p" >/dev/null
	"$evmctl" ima_measurement --pcrs sha1,"$t/p.sha1" --pcrs sha256,"$t/p.sha256" \
		--state "$here/corpus/ml-state/binary-2banks" "$t/l" >/dev/null 2>&1
	python3 "$gen" --count 4 --boot-aggregate --format ascii --padded sha256 --out "$t/a" \
		--pcrs-out "$t/pa" >/dev/null
	"$evmctl" ima_measurement --pcrs sha1,"$t/pa.sha1" --pcrs sha256,"$t/pa.sha256" \
		--state "$here/corpus/ml-state/ascii-padded" "$t/a" >/dev/null 2>&1
	python3 "$gen" --count 1 --boot-aggregate --banks sha256 --out "$t/one" \
		--pcrs-out "$t/po" >/dev/null
	"$evmctl" ima_measurement --pcrs sha256,"$t/po.sha256" \
		--state "$here/corpus/ml-state/one-entry" "$t/one" >/dev/null 2>&1
	head -c 40 "$here/corpus/ml-state/binary-2banks" >"$here/corpus/ml-state/truncated"
	rm -rf "$t"
fi
