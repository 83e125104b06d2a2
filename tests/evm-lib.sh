# SPDX-License-Identifier: GPL-2.0-or-later
# evm-lib.sh - helpers of the EVM tests (sourced after lib.sh): a loop-mounted
# ext4 image, and the digest inside an old-evmctl RSA signature.

# mount_ext4 DIR: make a fresh ext4 image, mount it on DIR through a loop
# device (unmounted at exit); sets LOOP_DEV.  Skips when loop devices or
# mounting are unavailable.
mount_ext4() {
	need_root
	need_cmd mkfs.ext4 e2fsprogs
	need_cmd losetup util-linux
	need_cmd blkid util-linux
	mkdir -p "$1"
	truncate -s 32M "$WORKDIR/ext4.img" || hard_error "truncate"
	mkfs.ext4 -q -F "$WORKDIR/ext4.img" >/dev/null 2>&1 || hard_error "mkfs.ext4 failed"
	LOOP_DEV=$(losetup -f --show "$WORKDIR/ext4.img" 2>/dev/null) ||
		skip "no loop device available (losetup -f failed)"
	at_exit "losetup -d $LOOP_DEV 2>/dev/null"
	mount -t ext4 "$LOOP_DEV" "$1" 2>/dev/null || skip "cannot mount an ext4 image on $LOOP_DEV"
	at_exit "umount '$1' 2>/dev/null"
}

# lxattr_hex FILE NAME: as xattr_hex, of a symlink itself
lxattr_hex() {
	getfattr -h --absolute-names -e hex -n "$2" "$1" 2>/dev/null |
		sed -n "s/^$2=0x//p"
}

# make_rsa_key DIR: DIR/priv.pem, DIR/pub.pem (2048-bit RSA)
make_rsa_key() {
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1/priv.pem" 2>/dev/null &&
		openssl pkey -in "$1/priv.pem" -pubout -out "$1/pub.pem" 2>/dev/null ||
		hard_error "openssl cannot make an RSA key"
}

# sig_digest FILE PUBKEY SIZE: the SIZE-byte digest signed in FILE's
# security.evm (signature v2, RSA PKCS#1 v1.5), as hex.
sig_digest() {
	local hex
	hex=$(lxattr_hex "$1" security.evm)
	[ -n "$hex" ] || return 1
	# header: type, version, algo, keyid (4), size (2)
	printf '%s' "${hex:18}" | xxd -r -p > "$WORKDIR/.sig"
	openssl pkeyutl -verifyrecover -pubin -inkey "$2" -in "$WORKDIR/.sig" \
		-pkeyopt rsa_padding_mode:pkcs1 2>/dev/null | xxd -p | tr -d '\n' |
		tail -c $(($3 * 2))
}
