# bad-input-fixtures.sh - extra fixtures for bad-input.test (sourced; $D set).
# A read-only filesystem: a read-only bind mount of $D/ro.
make_file "$D/ro/file" 100
if mount --bind "$D/ro" "$D/ro" 2>/dev/null && mount -o remount,bind,ro "$D/ro" 2>/dev/null; then
	at_exit "umount '$D/ro'"
else
	skip "cannot make a read-only bind mount for the read-only case"
fi
# A full filesystem: a tiny tmpfs filled up, with one small file to sign.
mkdir -p "$D/full"
if mount -t tmpfs -o size=64k none "$D/full" 2>/dev/null; then
	at_exit "umount '$D/full'"
	make_file "$D/full/file" 100
	head -c 1M /dev/zero >"$D/full/filler" 2>/dev/null
else
	skip "cannot mount a small tmpfs for the full-disk case"
fi

# keys: RSA key + certificate, an encrypted key, another key's certificate
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$D/key.pem" 2>/dev/null
openssl req -new -x509 -key "$D/key.pem" -out "$D/cert.der" -outform DER -subj /CN=bad -days 2 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$D/other.pem" 2>/dev/null
openssl req -new -x509 -key "$D/other.pem" -out "$D/other.der" -outform DER -subj /CN=other -days 2 2>/dev/null
openssl pkey -in "$D/key.pem" -aes256 -passout pass:right -out "$D/enc.pem" 2>/dev/null
head -c 300 "$D/key.pem" >"$D/truncated.pem"

# files with broken or foreign labels (not the checked "labelled" fixture)
make_file "$D/signed" 700
"$EVMCTL" ima_sign -k "$D/key.pem" "$D/signed" >/dev/null
make_file "$D/bigsize" 700
setfattr -n security.ima -v 0x030204aabbccdd0100cafe "$D/bigsize"
make_file "$D/badhash" 700
setfattr -n security.ima -v 0x030263aabbccdd0002cafe "$D/badhash"
# a well-formed v2 value larger than the first buffer ima_verify offers (1 KiB)
make_file "$D/longsig" 700
setfattr -n security.ima -v "0x030204aabbccdd07d0$(head -c 2000 /dev/zero | xxd -p | tr -d '\n')" "$D/longsig"
make_file "$D/hashonly" 700
"$EVMCTL" ima_hash "$D/hashonly" >/dev/null
EXTRA_LABELLED="$D/signed"

# measurement lists: a good one, then damaged copies
python3 "$top_srcdir/tests/gen-ima-list.py" --count 20 --out "$D/list.bin" --pcrs-out "$D/pcrs" >/dev/null
head -c 150 "$D/list.bin" >"$D/list-truncated.bin"
python3 - "$D" <<'PY'
import struct, sys
d = sys.argv[1]
good = open(d + "/list.bin", "rb").read()
def entry(pcr, name, data, namelen=None, datalen=None):
    return (struct.pack("<I", pcr) + bytes(20) +
            struct.pack("<I", len(name) if namelen is None else namelen) + name +
            struct.pack("<I", len(data) if datalen is None else datalen) + data)
open(d + "/list-hugelen.bin", "wb").write(good + entry(10, b"ima-ng", b"x" * 8, datalen=0xffffffff))
open(d + "/list-zeroname.bin", "wb").write(good + entry(10, b"", b"abc"))
open(d + "/list-pcr99.bin", "wb").write(entry(99, b"ima-ng", b"\x00" * 8))
open(d + "/list-nodata.bin", "wb").write(entry(10, b"ima-ng", b"", datalen=0))
PY
printf 'PCR-10: zz11\n' >"$D/pcrs-badhex"
printf 'PCR-10: 1122\n' >"$D/pcrs-short"
sed '/^PCR-10/d' "$D/pcrs.sha1" >"$D/pcrs-missing"
head -c 200 /dev/urandom >"$D/garbage.log"

# inputs read whole: over their caps (sparse: no space used), an overlong line
truncate -s 2M "$D/big.pem"
truncate -s 2M "$D/big.der"
truncate -s 257M "$D/big.policy"
truncate -s 65M "$D/big.log"
truncate -s 2M "$D/big.quote"
python3 -c "print('sha256:' + 'a' * 70000 + '  /x')" >"$D/longline.policy"
# keylime runtime policies (JSON)
printf '{"meta": {"version": 1}, "digests": {' >"$D/kl-truncated.json"
printf '{"meta": {"version": 1}} x' >"$D/kl-trailing.json"
printf '{"meta": [1, 2]}' >"$D/kl-list.json"
printf '{"meta": {"version": 1}, "digests": {"/bin/sh": "%s"}}' "$(printf 'a%.0s' {1..64})" >"$D/kl-type.json"
printf '{"meta": {"version": 1}, "digests": {"/bin/sh": ["sha256:%s"]}}' "$(printf 'a%.0s' {1..64})" >"$D/kl-hex.json"
printf '{"meta": {"version": 1}, "excludes": ["/tmp/("]}' >"$D/kl-regex.json"
printf '{"meta": {"version": 1}, "excludes": ["/var/(l+++++++og)/"]}' >"$D/kl-stacked.json"
printf '{"meta": {"version": 1}, "excludes": ["((a{99}){99}){99}"]}' >"$D/kl-count.json"
printf '{"meta": {"version": 2}}' >"$D/kl-version.json"
printf '{"digests": {}}' >"$D/kl-noversion.json"
printf '{"meta": {"version": 1}, "allowlist": {}}' >"$D/kl-unknown.json"
printf '{"meta": {"version": 1}, "verification-keys": "{\\"x\\": 1}"}' >"$D/kl-vkeys.json"
printf '{"meta": {"version": 1}, "ima": {"log_hash_alg": "md5"}}' >"$D/kl-alg.json"
printf '{"meta": {"version": 1}, "ima": {"dm_policy": {}}}' >"$D/kl-dm.json"
python3 -c "print('{\"a\":' * 100 + '1' + '}' * 100)" >"$D/kl-deep.json"
printf ' \n{' >"$D/kl-big.json"
truncate -s 257M "$D/kl-big.json"
head -c 32 /dev/urandom >"$D/hmackey"
printf 'x' >"$D/q.msg"
