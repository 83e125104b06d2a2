#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# prepare.sh - label the two test filesystems of the real-kernel tests with
# the evmctl under test, tamper with copies, and write the guest's payload:
# certificates, IMA policy and step plan.
#
# Usage: prepare.sh DIR   (with $EVMCTL set; root, loop mounts)
# Makes DIR/a.img (IMA appraisal), DIR/b.img (EVM), DIR/payload/, and
# DIR/ima.pem, DIR/evm.pem for the host-side checks.  File names tell what
# each file is; the tests hold what the kernel should do with each.
set -euo pipefail
dir=$1
: "${EVMCTL:?}"
cd "$dir"
mkdir -p payload mnt

# keys: one for IMA, one for EVM (its certificate also goes into _ima, for
# `sign --imasig`, which signs both with the one key)
for k in ima evm; do
	openssl req -x509 -newkey rsa:2048 -nodes -keyout $k.key -subj "/CN=kernel test $k key" \
		-days 30 -addext subjectKeyIdentifier=hash -addext keyUsage=digitalSignature \
		-addext basicConstraints=critical,CA:FALSE -outform PEM -out $k.pem 2>/dev/null
	openssl x509 -in $k.pem -outform DER -out payload/$k.der
done

uuid_a=$(cat /proc/sys/kernel/random/uuid)
uuid_b=$(cat /proc/sys/kernel/random/uuid)
unmount() { mountpoint -q mnt && umount mnt; return 0; }
trap unmount EXIT
newfs() { # newfs IMAGE UUID: a fresh ext4 image mounted on mnt
	rm -f "$1"
	truncate -s 16M "$1"
	mkfs.ext4 -q -F -I 256 -U "$2" "$1"
	mount -o loop "$1" mnt
}
content() { # content FILE TEXT: a few KiB that differ per file
	{ echo "$2"; head -c 3000 /dev/urandom | od -An -tx1; } > "$1"
}
flip_last_byte() { # flip_last_byte FILE XATTR
	local hex
	hex=$(getfattr --absolute-names -e hex -n "$2" "$1" | sed -n "s/^$2=0x//p")
	hex=${hex%??}$(printf %02x $(( 0x${hex: -2} ^ 0xff )))
	setfattr -n "$2" -v "0x$hex" "$1"
}
E() { "$EVMCTL" "$@" >/dev/null; }

# ---- a.img: IMA appraisal (root's files need a signature, uid 1000's a hash)
newfs a.img "$uuid_a"
for f in sig256 sig-content sig-flip; do content mnt/$f $f; E ima_sign -a sha256 -k ima.key mnt/$f; done
content mnt/sig512 sig512; E ima_sign -a sha512 -k ima.key mnt/sig512
content mnt/setx setx
E ima_sign --sigfile -n -k ima.key mnt/setx	# only mnt/setx.sig
getfattr -n security.ima mnt/setx >/dev/null 2>&1 && { echo "ima_sign -n labelled setx" >&2; exit 1; }
E ima_setxattr --sigfile mnt/setx
rm mnt/setx.sig
content mnt/hash-root hash-root; E ima_hash mnt/hash-root
content mnt/nolabel nolabel
printf '#!/bin/sh\necho run-ok\n' > mnt/run-ok
printf '#!/bin/sh\necho run-bad\n' > mnt/run-bad
chmod 755 mnt/run-ok mnt/run-bad
E ima_sign -k ima.key mnt/run-ok mnt/run-bad
echo "# changed after signing" >> mnt/run-bad
echo "changed after signing" >> mnt/sig-content
flip_last_byte mnt/sig-flip security.ima
content mnt/nolabel-hash nolabel-hash
for f in hash256 hash512 hash-content hash-sig; do content mnt/$f $f; done
E ima_hash -a sha256 mnt/hash256 mnt/hash-content
E ima_hash -a sha512 mnt/hash512
E ima_sign -k ima.key mnt/hash-sig
echo "changed after hashing" >> mnt/hash-content
chown 1000:1000 mnt/nolabel-hash mnt/hash256 mnt/hash512 mnt/hash-content mnt/hash-sig
# a signature manifest, the packager's route: signed on a staging tree,
# applied below the filesystem's root; man-other's content on the target is
# not what was signed, so evmctl refuses to label it
mkdir -p stage
content stage/man-ok man-ok
content stage/man-other man-other
E ima_sign -r -n -k ima.key --manifest sig.manifest --manifest-root stage stage
cp stage/man-ok mnt/man-ok
content mnt/man-other "man-other, another version"
st=0
"$EVMCTL" ima_setxattr --manifest sig.manifest --root mnt -k ima.pem >manifest-apply.out \
	2>manifest-apply.err || st=$?
echo "$st" >manifest-apply.rc
files_a=$(cd mnt && ls)
umount mnt

# ---- b.img: EVM signatures (IMA signatures by ima.key, EVM by evm.key)
newfs b.img "$uuid_b"
for f in port nonport port-mode nonport-mode nonport-uid nonport-flip \
	port-content port-imachanged port-wrongkey noevm; do
	content mnt/$f $f
	E ima_sign -k ima.key mnt/$f
done
E sign --portable -k evm.key mnt/port mnt/port-mode mnt/port-content mnt/port-imachanged
E sign -k evm.key mnt/nonport mnt/nonport-mode mnt/nonport-uid mnt/nonport-flip
E sign --portable -k ima.key mnt/port-wrongkey
content mnt/port-hash port-hash; E sign --imahash --portable -k evm.key mnt/port-hash
content mnt/nonport-hash nonport-hash; E sign --imahash -k evm.key mnt/nonport-hash
content mnt/both-imasig both-imasig; E sign --imasig -k evm.key mnt/both-imasig
content mnt/port-imasig port-imasig; E sign --imasig --portable -k evm.key mnt/port-imasig
# tampering after signing
chmod 600 mnt/port-mode mnt/nonport-mode
chown 1000 mnt/nonport-uid
flip_last_byte mnt/nonport-flip security.evm
echo "changed after signing" >> mnt/port-content
E ima_sign -a sha512 -k ima.key mnt/port-imachanged
# EVM HMACs with a key the guest loads as its evm-key (after the signatures)
head -c 32 /dev/urandom > payload/kmk.bin
head -c 32 /dev/urandom > evm-hmac.key
head -c 32 /dev/urandom > other-hmac.key
python3 "$(dirname "$0")/evm-key-blob.py" payload/kmk.bin evm-hmac.key > payload/evm-key.blob
for f in hmac hmac-mode hmac-wrongkey hmac-content; do
	content mnt/$f $f
	E ima_sign -k ima.key mnt/$f
done
E hmac --hmackey evm-hmac.key mnt/hmac mnt/hmac-mode mnt/hmac-content
E hmac --hmackey other-hmac.key mnt/hmac-wrongkey
chmod 600 mnt/hmac-mode
echo "changed after hmac" >> mnt/hmac-content
# a copy is a new inode: only the portable signature survives it (cp -a
# leaves security.evm out, as /etc/xattr.conf says: copy the labels by hand)
for f in port nonport; do
	cp -p mnt/$f mnt/$f-copy
	for x in security.ima security.evm; do
		setfattr -n $x -v "$(getfattr --absolute-names -e hex -n $x mnt/$f |
			sed -n "s/^$x=//p")" mnt/$f-copy
	done
done
files_b=$(cd mnt && ls | grep -v lost+found)
umount mnt
trap - EXIT

# ---- payload/v.img: fs-verity, enabled in the guest (whose kernel has it;
# the host's may not).  v3 signatures over the digest computed here; v512
# gets fs-verity with sha512 there, so its sha256 signature cannot match.
rm -f payload/v.img
truncate -s 16M payload/v.img
mkfs.ext4 -q -F -b 4096 -O verity payload/v.img
mount -o loop payload/v.img mnt
trap unmount EXIT
for f in v256 v512; do content mnt/$f $f; E ima_sign --veritysig -a sha256 -k ima.key mnt/$f; done
umount mnt
trap - EXIT
cp ima.pem payload/ima.pem

cat > payload/policy <<POL
measure func=FILE_CHECK fsuuid=$uuid_a
measure func=BPRM_CHECK fsuuid=$uuid_a
measure func=FILE_CHECK fsuuid=$uuid_b
appraise func=FILE_CHECK fsuuid=$uuid_a fowner=1000
appraise func=FILE_CHECK fsuuid=$uuid_a appraise_type=imasig
appraise func=BPRM_CHECK fsuuid=$uuid_a appraise_type=imasig
appraise func=FILE_CHECK fsuuid=$uuid_b appraise_type=imasig
POL
{
	echo "import _ima /test/ima.der"
	echo "import _ima /test/evm.der"
	# before the policy: no rule covers these, no EVM yet
	echo "sh vmount mkdir -p /mnt/v && mount -t ext4 -o loop /test/v.img /mnt/v"
	echo "sh venable fsverity enable /mnt/v/v256 && fsverity enable --hash-alg=sha512 /mnt/v/v512"
	echo "sh vmeasure fsverity measure /mnt/v/v256"
	echo "sh vverify evmctl ima_verify -v -k /test/ima.pem /mnt/v/v256"
	echo "sh vverify512 evmctl ima_verify -k /test/ima.pem /mnt/v/v512"
	echo "sh vumount umount /mnt/v"
	echo "policy /test/policy"
	for f in $files_a; do
		[ "$f" = lost+found ] && continue
		case $f in run-*) echo "exec /mnt/a/$f" ;; *) echo "read /mnt/a/$f" ;; esac
	done
	# EVM last: once on, every appraised file needs security.evm
	echo "import _evm /test/evm.der"
	echo "evm 2"
	for f in $files_b; do
		case $f in hmac*) ;; *) echo "read /mnt/b/$f" ;; esac
	done
	# then the HMAC key: a user master key and the encrypted evm-key
	echo "sh kmk keyctl padd user kmk @u < /test/kmk.bin"
	echo "sh evmkey keyctl add encrypted evm-key \"\$(cat /test/evm-key.blob)\" @u"
	echo "evm 1"
	for f in $files_b; do
		case $f in hmac*) echo "read /mnt/b/$f" ;; esac
	done
	echo "sh keys keyctl show @u"
} > payload/plan
