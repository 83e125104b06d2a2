# SPDX-License-Identifier: GPL-2.0-or-later
# sign-lib.sh - key and signature helpers for the signature tests (sourced after lib.sh).

need_cmd openssl openssl
need_cmd getfattr attr
need_cmd setfattr attr

# mkkey NAME TYPE: TYPE is rsa:BITS or ec:CURVE.  Makes NAME.pem (private
# key), NAME.der and NAME.crt (self-signed certificate, DER and PEM) and
# NAME.pub (PEM public key) in $WORKDIR.
mkkey() {
	local n=$WORKDIR/$1
	case $2 in
	rsa:*) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:"${2#rsa:}" -out "$n.pem" 2>/dev/null ;;
	ec:*) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:"${2#ec:}" -out "$n.pem" 2>/dev/null ;;
	sm2:*) openssl genpkey -algorithm SM2 -out "$n.pem" 2>/dev/null ;;
	esac || hard_error "cannot make key $1 ($2)"
	local md=-sha256
	case $2 in sm2:*) md=-sm3 ;; esac
	openssl req -new -x509 -key "$n.pem" -out "$n.crt" -subj "/CN=evmctl test $1" \
		-days 30 "$md" -addext keyUsage=digitalSignature 2>/dev/null &&
		openssl x509 -in "$n.crt" -outform DER -out "$n.der" &&
		openssl pkey -in "$n.pem" -pubout -out "$n.pub" ||
		hard_error "cannot make certificate for $1"
}

# skid_keyid CERT: last 4 bytes of the subject key identifier (openssl's view)
skid_keyid() {
	openssl x509 -in "$1" -noout -ext subjectKeyIdentifier 2>/dev/null |
		tail -n 1 | tr -d ' :\n' | tr 'A-F' 'a-f' | tail -c 8
}

# kernel hash_info id of a hash name, as two hex digits
hash_id_hex() {
	case $1 in
	sha1) echo 02 ;; sha256) echo 04 ;; sha384) echo 05 ;; sha512) echo 06 ;;
	sha224) echo 07 ;; sm3) echo 11 ;; *) echo xx ;;
	esac
}

# sig_value FILE [XATTR]: the signature value as hex
sig_value() { xattr_hex "$1" "${2:-security.ima}"; }

# write_hex FILE HEX: binary from hex
write_hex() { printf '%s' "$2" | xxd -r -p > "$1"; }

# set_hex FILE HEX [XATTR]: set the xattr from hex
set_hex() { setfattr -n "${3:-security.ima}" -v "0x$2" "$1"; }

# flip_last_bit HEX: the same hex with the lowest bit of the last byte flipped
flip_last_bit() {
	local h=$1 last
	last=$(( 0x${h: -2} ^ 1 ))
	printf '%s%02x' "${h:0:${#h}-2}" "$last"
}

# digest_bin FILE ALGO OUT: the binary digest of FILE
digest_bin() { openssl dgst "-$2" -binary "$1" > "$3"; }

# pkeyutl_verify PUB ALGO DIGESTFILE SIGFILE: openssl's verdict on a raw signature
pkeyutl_verify() {
	local extra=()
	if openssl pkey -pubin -in "$1" -text -noout 2>/dev/null | grep -q Modulus; then
		extra=(-pkeyopt rsa_padding_mode:pkcs1)
	fi
	openssl pkeyutl -verify -pubin -inkey "$1" -in "$3" -sigfile "$4" \
		-pkeyopt "digest:$2" "${extra[@]}" >/dev/null 2>&1
}

# fails COMMAND...: true when the command fails (output dropped)
fails() { ! "$@" >/dev/null 2>&1; }
# quiet COMMAND...: run with the output dropped
quiet() { "$@" >/dev/null 2>&1; }
