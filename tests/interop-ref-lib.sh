# SPDX-License-Identifier: GPL-2.0-or-later
# interop-ref-lib.sh - cells of the interop matrix against 1.6.2 (sourced by
# interop-ref.test after lib.sh and sign-lib.sh; uses OURS, REF and PASS).

HASHES="sha1 sha224 sha256 sha384 sha512 sm3"
declare -A TOT OK KTYPE KID
DIMS=()
CELLS=0
CELLS_OK=0

note() { echo "note: $*"; }

hash_id() { # kernel hash_info id as two hex digits, GOST ones included
	case $1 in
	streebog256|md_gost12_256) echo 12 ;; streebog512|md_gost12_512) echo 13 ;;
	*) hash_id_hex "$1" ;;
	esac
}

# le HEXDIGITS VALUE: VALUE as little-endian hex of HEXDIGITS/2 bytes
le() {
	local h i out=""
	h=$(printf "%0${1}x" "$2")
	for ((i = ${#h} - 2; i >= 0; i -= 2)); do out+=${h:i:2}; done
	echo "$out"
}

# runx ours|ref ARGS...: run that evmctl; on failure set WHY to the command
# and its last message.  Output stays in $WORKDIR/.out.
runx() {
	local who=$1 st=0 args
	shift
	if [ "$who" = ours ]; then
		"${OURS[@]}" "$@" >"$WORKDIR/.out" 2>"$WORKDIR/.err" || st=$?
	else
		"${REF[@]}" "$@" >"$WORKDIR/.out" 2>"$WORKDIR/.err" || st=$?
	fi
	[ "$st" = 0 ] && return 0
	if [ "$who" = ours ]; then args="${OURS[*]:1} $*"; else args="${REF[*]:3} $*"; fi
	args=${args# }
	args=${args//$WORKDIR\//}
	WHY="$who: 'evmctl $args' exited $st: $(grep -v -e '^hash(' -e '^evm/ima signature' \
		"$WORKDIR/.err" | tail -n 2 | tr '\n' ' ')"
	return 1
}
# whyf MESSAGE: set WHY and fail the cell body
whyf() { WHY=$*; return 1; }
short() { [ "${#1}" -gt 24 ] && echo "${1:0:24}..." || echo "${1:-(empty)}"; }

# cell KEY HASH OP WAY BODY [ARGS...]: one cell; BODY sets WHY when it fails
cell() {
	local k=$1 h=$2 o=$3 w=$4 d r=0
	shift 4
	WHY=""
	"$@" || r=1
	CELLS=$((CELLS + 1))
	CHECKS=$((CHECKS + 1))
	for d in "operation|$o" "key|$k" "hash|$h" "way|$w"; do
		[ -n "${TOT[$d]:-}" ] || DIMS+=("$d")
		TOT[$d]=$(( ${TOT[$d]:-0} + 1 ))
		[ "$r" = 0 ] && OK[$d]=$(( ${OK[$d]:-0} + 1 ))
	done
	if [ "$r" = 0 ]; then
		CELLS_OK=$((CELLS_OK + 1))
		pass "$k/$h/$o/$w"
	else
		fail "cell $k/$h/$o/$w: ${WHY:-failed}"
	fi
}

report() {
	local dim d line
	echo "interop-ref: $CELLS cells, $CELLS_OK passed, $((CELLS - CELLS_OK)) failed"
	for dim in operation key hash way; do
		line=""
		for d in "${DIMS[@]}"; do
			[ "${d%%|*}" = "$dim" ] || continue
			line+=" ${d#*|} ${OK[$d]:-0}/${TOT[$d]}"
		done
		echo "interop-ref: by $dim (passed/cells):$line"
	done
	done_testing
}

# setup_fs: FS is a directory on a loop-mounted ext4 (its UUID known, so
# non-portable EVM signatures can be checked), else under WORKDIR with a
# UUID given to both tools.  REF_U and OURS_U are the UUID options.
setup_fs() {
	FS=$WORKDIR/fs
	mkdir -p "$FS"
	local img=$WORKDIR/fs.img dev
	if command -v mkfs.ext4 >/dev/null && command -v losetup >/dev/null &&
		truncate -s 96M "$img" && mkfs.ext4 -q -F -b 4096 -N 16384 "$img" >/dev/null 2>&1 &&
		dev=$(losetup -f --show "$img" 2>/dev/null); then
		at_exit "losetup -d $dev 2>/dev/null"
		if mount -t ext4 "$dev" "$FS" 2>/dev/null; then
			at_exit "umount '$FS' 2>/dev/null"
			UUID=$(blkid -s UUID -o value "$dev")
			# we read the UUID from the filesystem; 1.6.2 asks blkid for
			# /dev/block/MAJ:MIN, which needs udev: give it the UUID
			REF_U=(-u"$UUID")
			OURS_U=()
			return
		fi
	fi
	UUID=6b1e3c2a-5d4f-4e6a-9b8c-7d6e5f4a3b2c
	note "no loop-mounted ext4: non-portable EVM cells use --uuid=$UUID on both sides"
	REF_U=(-u"$UUID")
	OURS_U=(-u"$UUID")
}

# make_keyset NAME TYPE KEYID: NAME.{pem,der,crt,pub} (sign-lib's mkkey, or
# GOST through the engine), NAME-kid.{crt,der} with a subject key identifier
# ending in KEYID, NAME-app.pem (the key with that certificate appended) and
# NAME-enc.pem (the key encrypted with $PASS).
make_keyset() {
	local n=$WORKDIR/$1 md=-sha256 eng=()
	case $2 in
	gost:*)
		eng=(-engine gost)
		md=-md_gost12_${2#gost:}
		openssl genpkey "${eng[@]}" -algorithm "gost2012_${2#gost:}" -pkeyopt paramset:A \
			-out "$n.pem" >/dev/null 2>&1 &&
			openssl req "${eng[@]}" -new -x509 -key "$n.pem" -out "$n.crt" \
				-subj "/CN=interop $1" -days 30 "$md" >/dev/null 2>&1 &&
			openssl x509 "${eng[@]}" -in "$n.crt" -outform DER -out "$n.der" >/dev/null 2>&1 &&
			openssl pkey "${eng[@]}" -in "$n.pem" -pubout -out "$n.pub" >/dev/null 2>&1 ||
			hard_error "cannot make GOST key $1"
		;;
	*) mkkey "$1" "$2" ;;
	esac
	KTYPE[$1]=${2%%:*}
	KID[$1]=$3
	case $2 in sm2:*) md=-sm3 ;; esac
	openssl req "${eng[@]}" -new -x509 -key "$n.pem" -out "$n-kid.crt" -subj "/CN=interop $1 kid" \
		-days 30 "$md" -addext "subjectKeyIdentifier=00112233445566778899aabbccddeeff$3" \
		>/dev/null 2>&1 &&
		openssl x509 "${eng[@]}" -in "$n-kid.crt" -outform DER -out "$n-kid.der" >/dev/null 2>&1 &&
		cat "$n.pem" "$n-kid.crt" >"$n-app.pem" &&
		openssl pkey "${eng[@]}" -in "$n.pem" -aes256 -passout "pass:$PASS" -out "$n-enc.pem" \
			>/dev/null 2>&1 ||
		hard_error "cannot make the certificates of $1"
	[ "$(skid_keyid "$n-kid.crt")" = "$3" ] || hard_error "$1-kid.crt: SKID does not end in $3"
}

# ref_can_sign NAME ALGO: does 1.6.2 sign with this key and hash?  REF_WHY says why not.
ref_can_sign() {
	local f=$WORKDIR/probe-$1-$2
	make_file "$f" 100
	REF_WHY=""
	runx ref ima_sign -a "$2" -k "$WORKDIR/$1.pem" "$f" && return 0
	REF_WHY=$(grep -v '^hash(' "$WORKDIR/.err" | tail -n 1)
	return 1
}

SEQ=0
# pair DIR OP: make DIR/OP.ours and DIR/OP.ref with the same fresh content
pair() {
	SEQ=$((SEQ + 1))
	FO=$1/$2.ours
	FR=$1/$2.ref
	make_file "$FO" $((1000 + SEQ * 37))
	cp "$FO" "$FR"
}

# == content digests ==
ima_hash_body() {
	local a=$1 i vo vr
	shift
	runx ours ima_hash -a "$a" "${@/%/.ours}" || return 1
	# 1.6.2 hashes only the first FILE of a command line
	for i in "$@"; do
		runx ref ima_hash -a "$a" "$i.ref" || return 1
	done
	for i in "$@"; do
		vo=$(xattr_hex "$i.ours" security.ima)
		vr=$(xattr_hex "$i.ref" security.ima)
		[ -n "$vr" ] || whyf "1.6.2 wrote no security.ima on ${i##*/}" || return 1
		[ "$vo" = "$vr" ] ||
			whyf "security.ima of ${i##*/}: ours $(short "$vo"), 1.6.2 $(short "$vr")" || return 1
	done
}
ima_hash_cell() {
	local a=$1 d=$FS/hash-$1 s files=()
	mkdir -p "$d"
	for s in 0 1 4096 65537 1048593; do
		make_file "$d/f$s.ours" "$s"
		cp "$d/f$s.ours" "$d/f$s.ref"
		files+=("$d/f$s")
	done
	cell - "$a" ima_hash bytes ima_hash_body "$a" "${files[@]}"
}

# == IMA signatures: ima_sign and its key options ==
# Set per operation: SO_OURS/SO_REF (signing options, -a and the key
# included), VK (the verifying certificate), EXP_KID (the key id expected in
# the header), SIGFILE (1: the signature travels in FILE.sig).
ima_value() { # ima_value FILE: the signature, from FILE.sig or security.ima
	if [ "$SIGFILE" = 1 ]; then
		[ -s "$1.sig" ] && xxd -p "$1.sig" | tr -d '\n'
	else
		xattr_hex "$1" security.ima
	fi
}
hdr_ok() { # hdr_ok VALUE ALGO KEYID WHAT: signature v2 header
	local want
	want="0302$(hash_id "$2")$3"
	[ "${1:0:14}" = "$want" ] ||
		whyf "$4: header $(short "${1:0:14}"), expected $want (type 03, v2, hash $2, key id $3)"
}
ima_ours_ref() {
	local v
	runx ours ima_sign "${SO_OURS[@]}" "$FO" || return 1
	v=$(ima_value "$FO")
	[ -n "$v" ] || whyf "ours: ima_sign ${SO_OURS[*]//$WORKDIR\//}: no signature written" || return 1
	hdr_ok "$v" "$A" "$EXP_KID" "ours${HDR_HINT:+ ($HDR_HINT)}" || return 1
	if [ "$SIGFILE" = 1 ]; then
		# only the .sig may carry it to the verifier
		setfattr -x security.ima "$FO" 2>/dev/null
		runx ref ima_verify --sigfile -k "$VK" "$FO"
	else
		runx ref ima_verify -k "$VK" "$FO"
	fi
}
ima_ref_ours() {
	runx ref ima_sign "${SO_REF[@]}" "$FR" || return 1
	[ -n "$(ima_value "$FR")" ] || whyf "1.6.2 wrote no signature" || return 1
	if [ "$SIGFILE" = 1 ]; then
		setfattr -x security.ima "$FR" 2>/dev/null
		runx ours ima_verify --sigfile -k "$VK" "$FR"
	else
		runx ours ima_verify -k "$VK" "$FR"
	fi || return 1
	refuses_changed_content
}
# refuses_changed_content: our verdict on a copy of FR with one byte changed
refuses_changed_content() {
	local bad=$FR.bad
	cp --preserve=xattr "$FR" "$bad" || whyf "cannot copy ${FR##*/}" || return 1
	[ "$SIGFILE" = 0 ] || cp "$FR.sig" "$bad.sig"
	local b
	b=$(xxd -s 7 -l 1 -p "$bad")
	printf '%02x' $((16#$b ^ 0xff)) | xxd -r -p | dd of="$bad" bs=1 seek=7 conv=notrunc 2>/dev/null
	if cmp -s "$FR" "$bad"; then whyf "test bug: the content did not change"; return 1; fi
	if [ "$SIGFILE" = 1 ]; then
		! runx ours ima_verify --sigfile -k "$VK" "$bad"
	else
		! runx ours ima_verify -k "$VK" "$bad"
	fi || whyf "ours: ima_verify accepts the signature on changed content" || return 1
	rm -f "$bad" "$bad.sig"
}
same_value() { # same_VALUE WHAT OURS REF
	[ -n "$2" ] || whyf "$1: ours has none" || return 1
	[ -n "$3" ] || whyf "$1: 1.6.2 has none" || return 1
	[ "$2" = "$3" ] || whyf "$1 differs: ours $(short "$2"), 1.6.2 $(short "$3")"
}
ima_bytes() { same_value "signature" "$(ima_value "$FO")" "$(ima_value "$FR")"; }

ima_op() { # ima_op NAME ALGO D OP
	local n=$1
	pair "$3" "$4"
	cell "$n" "$A" "$4" "ours>1.6.2" ima_ours_ref
	cell "$n" "$A" "$4" "1.6.2>ours" ima_ref_ours
	[ "${KTYPE[$n]}" = rsa ] && cell "$n" "$A" "$4" bytes ima_bytes
	return 0
}

# == sign_hash: digest lines in, the lines with signatures out ==
hash_lines() { # hash_lines ALGO FILE...: "HEX  PATH" lines as sha*sum prints them
	local f eng=()
	case $1 in streebog*|md_gost*) eng=(-engine gost) ;; esac
	for f in "${@:2}"; do
		openssl dgst "${eng[@]}" "-$1" -r "$f" 2>/dev/null | sed 's/ \*/  /'
	done
}
sign_hash_check() { # sign_hash_check WHO-VERIFIES OUTFILE LINESFILE
	local line sig path n=0
	[ "$(wc -l <"$2")" = "$(wc -l <"$3")" ] || whyf "sign_hash printed $(wc -l <"$2") lines for $(wc -l <"$3")" || return 1
	while read -r line; do
		n=$((n + 1))
		sig=${line##* }
		[ "${line% *}" = "$(sed -n "${n}p" "$3")" ] || whyf "line $n does not start with its input" || return 1
		path=${line#*  }
		path=${path% *}
		set_hex "$path" "$sig" || whyf "cannot set security.ima of $path" || return 1
		runx "$1" ima_verify -k "$VK" "$path" || return 1
	done <"$2"
}
sign_hash_ours_ref() {
	runx ours sign_hash "${SO_OURS[@]}" <"$SH_LINES" || return 1
	cp "$WORKDIR/.out" "$SH_LINES.ours"
	hdr_ok "$(head -n 1 "$SH_LINES.ours" | sed 's/.* //')" "$A" "$EXP_KID" ours || return 1
	sign_hash_check ref "$SH_LINES.ours" "$SH_LINES"
}
sign_hash_ref_ours() {
	runx ref sign_hash "${SO_REF[@]}" <"$SH_LINES" || return 1
	cp "$WORKDIR/.out" "$SH_LINES.ref"
	sign_hash_check ours "$SH_LINES.ref" "$SH_LINES"
}
sign_hash_bytes() {
	same_value "sign_hash output" "$(cat "$SH_LINES.ours" 2>/dev/null)" "$(cat "$SH_LINES.ref" 2>/dev/null)"
}
sign_hash_op() { # sign_hash_op NAME D
	local n=$1
	pair "$2" sh1
	pair "$2" sh2
	SH_LINES=$2/lines
	hash_lines "$A" "$2/sh1.ours" "$2/sh2.ours" >"$SH_LINES"
	rm -f "$SH_LINES.ours" "$SH_LINES.ref"
	cell "$n" "$A" sign_hash "ours>1.6.2" sign_hash_ours_ref
	cell "$n" "$A" sign_hash "1.6.2>ours" sign_hash_ref_ours
	[ "${KTYPE[$n]}" = rsa ] && cell "$n" "$A" sign_hash bytes sign_hash_bytes
	return 0
}

# == EVM signatures ==
# EO: the sign options of the operation (-o, -i, --imasig, --imahash or none)
evm_type() { # the type and version bytes an EVM signature of EO starts with
	case " ${EO[*]} " in
	*" -o "*) echo 0502 ;; *" -i "*) echo 0303 ;; *) echo 0302 ;;
	esac
}
evm_prep() { # security.ima first, unless the operation writes it
	case " ${EO[*]} " in *" --imasig "*|*" --imahash "*) return 0 ;; esac
	runx ref ima_hash -a "$A" "$FO" && runx ref ima_hash -a "$A" "$FR" ||
		hard_error "1.6.2 ima_hash: $WHY"
}
evm_hdr() { # evm_hdr FILE WHO
	local v want
	v=$(xattr_hex "$1" security.evm)
	want=$(evm_type)$(hash_id "$A")$EXP_KID
	[ "${v:0:14}" = "$want" ] ||
		whyf "$2: security.evm starts $(short "${v:0:14}"), expected $want"
}
# immutable_ok FILE: the -i signature checked by openssl over the digest 1.6.2
# signs: the security.* values (only security.ima here), then uid, gid (32-bit)
# and mode (16-bit, 2 bytes padding), little-endian; no inode, generation or UUID.
immutable_ok() {
	local f=$1 evm ima extra uid gid mode
	extra=$(getfattr -m '^security\.' --absolute-names "$f" 2>/dev/null |
		grep -v -e '^#' -e '^security\.ima$' -e '^security\.evm$' -e '^$')
	[ -z "$extra" ] || whyf "${f##*/} carries $extra: the layout here knows only security.ima" || return 1
	ima=$(xattr_hex "$f" security.ima)
	evm=$(xattr_hex "$f" security.evm)
	read -r uid gid mode < <(stat -c '%u %g %f' "$f")
	printf '%s%s%s%s0000' "$ima" "$(le 8 "$uid")" "$(le 8 "$gid")" "$(le 4 $((16#$mode)))" |
		xxd -r -p | openssl dgst "-$A" -binary >"$WORKDIR/.imm.dgst"
	write_hex "$WORKDIR/.imm.sig" "${evm:18}"
	pkeyutl_verify "$K.pub" "$A" "$WORKDIR/.imm.dgst" "$WORKDIR/.imm.sig"
}
evm_ours_ref() {
	if [ "$(evm_type)" = 0303 ]; then
		# first 1.6.2's own -i signature: it proves the layout the check uses
		runx ref sign "${EO[@]}" "${REF_U[@]}" -a "$A" -k "$K.pem" "$FR" || return 1
		immutable_ok "$FR" ||
			whyf "test bug: 1.6.2's own -i signature does not verify over the assumed layout" || return 1
		runx ours sign "${EO[@]}" "${OURS_U[@]}" -a "$A" -k "$K.pem" "$FO" || return 1
		evm_hdr "$FO" ours || return 1
		immutable_ok "$FO" || whyf "ours: the -i signature does not verify over 1.6.2's digest" || return 1
		return 0
	fi
	runx ours sign "${EO[@]}" "${OURS_U[@]}" -a "$A" -k "$K.pem" "$FO" || return 1
	evm_hdr "$FO" ours || return 1
	runx ref verify "${REF_U[@]}" -k "$K.der" "$FO" || return 1
	case " ${EO[*]} " in
	*" --imasig "*) runx ref ima_verify -k "$K.der" "$FO" ;;
	esac
}
evm_ref_ours() {
	runx ref sign "${EO[@]}" "${REF_U[@]}" -a "$A" -k "$K.pem" "$FR" || return 1
	runx ours verify "${OURS_U[@]}" -k "$K.der" "$FR" || return 1
	case " ${EO[*]} " in
	*" --imasig "*) runx ours ima_verify -k "$K.der" "$FR" || return 1 ;;
	esac
	# another mode is other metadata: the signature must no longer verify
	local mode
	mode=$(stat -c %a "$FR")
	chmod 600 "$FR"
	if runx ours verify "${OURS_U[@]}" -k "$K.der" "$FR"; then
		chmod "$mode" "$FR"
		whyf "ours: verify accepts the signature after chmod 600"
		return 1
	fi
	chmod "$mode" "$FR"
}
# bytes: ours signs 1.6.2's file again (same inode, generation and UUID);
# RSA signatures must not change.  --imahash: the digest, for every key.
evm_bytes() {
	local re ri
	re=$(xattr_hex "$FR" security.evm)
	ri=$(xattr_hex "$FR" security.ima)
	[ -n "$re" ] || whyf "1.6.2 did not sign ${FR##*/}" || return 1
	if [ "${KTYPE[$N]}" != rsa ]; then
		same_value "security.ima" "$(xattr_hex "$FO" security.ima)" "$ri"
		return
	fi
	runx ours sign "${EO[@]}" "${OURS_U[@]}" -a "$A" -k "$K.pem" "$FR" || return 1
	same_value "security.ima" "$(xattr_hex "$FR" security.ima)" "$ri" &&
		same_value "security.evm" "$(xattr_hex "$FR" security.evm)" "$re"
}
evm_op() { # evm_op D OP OPTIONS...
	local d=$1 op=$2
	EO=("${@:3}")
	pair "$d" "$op"
	evm_prep
	cell "$N" "$A" "$op" "ours>1.6.2" evm_ours_ref
	[ "$(evm_type)" = 0303 ] || cell "$N" "$A" "$op" "1.6.2>ours" evm_ref_ours
	if [ "${KTYPE[$N]}" = rsa ] || [ "$op" = evm-imahash ]; then
		cell "$N" "$A" "$op" bytes evm_bytes
	fi
	return 0
}

# wrong_password: once per key, both tools refuse the encrypted key with
# a wrong password and write nothing (a check, not a cell)
declare -A WRONG_PW_DONE
wrong_password() {
	[ -z "${WRONG_PW_DONE[$N]:-}" ] || return 0
	WRONG_PW_DONE[$N]=1
	local f=$FS/$N-wrong-pw
	make_file "$f" 333
	check "$N: ours refuses the encrypted key with a wrong password" \
		fails "${OURS[@]}" ima_sign -a "$A" -k "$K-enc.pem" -pnot-it "$f"
	check "$N: 1.6.2 refuses it too" fails "${REF[@]}" ima_sign -a "$A" -k "$K-enc.pem" -pnot-it "$f"
	check_eq "$N: no security.ima after a wrong password" "$(xattr_hex "$f" security.ima)" ""
}

# run_key_hash NAME ALGO [OP...]: every operation (or those named) for one key and hash
run_key_hash() {
	N=$1 A=$2
	K=$WORKDIR/$N
	local d=$FS/$N-$A ops=("${@:3}") op skid c
	[ ${#ops[@]} -gt 0 ] || ops=(ima_sign sigfile keyid keyid-from-cert appended-cert encrypted
		sign_hash evm-portable evm-full evm-immutable evm-imasig evm-imahash evm-portable-imasig)
	mkdir -p "$d"
	skid=$(skid_keyid "$K.crt")
	for op in "${ops[@]}"; do
		SIGFILE=0 VK=$K.der EXP_KID=$skid HDR_HINT=""
		SO_OURS=(-a "$A" -k "$K.pem")
		SO_REF=(-a "$A" -k "$K.pem")
		case $op in
		ima_sign) ima_op "$N" "$A" "$d" "$op" ;;
		sigfile)
			SIGFILE=1
			SO_OURS+=(--sigfile) SO_REF+=(--sigfile)
			ima_op "$N" "$A" "$d" "$op" ;;
		keyid)
			VK=$K-kid.der EXP_KID=${KID[$N]}
			SO_OURS+=(--keyid "${KID[$N]}") SO_REF+=(--keyid "${KID[$N]}")
			ima_op "$N" "$A" "$d" "$op" ;;
		keyid-from-cert)
			VK=$K-kid.der EXP_KID=${KID[$N]}
			# the certificate as PEM for some keys, DER for the others
			c=$K-kid.crt
			case $N in rsa4096|p384|gost512) c=$K-kid.der ;; esac
			SO_OURS+=(--keyid-from-cert "$c") SO_REF+=(--keyid-from-cert "$c")
			ima_op "$N" "$A" "$d" "$op" ;;
		appended-cert)
			VK=$K-kid.der EXP_KID=${KID[$N]}
			HDR_HINT="-k KEY+CERT: the key id must be the appended certificate's SKID"
			SO_OURS=(-a "$A" -k "$K-app.pem") SO_REF=(-a "$A" -k "$K-app.pem")
			ima_op "$N" "$A" "$d" "$op" ;;
		encrypted)
			SO_OURS=(-a "$A" -k "$K-enc.pem" "-p$PASS")
			SO_REF=(-a "$A" -k "$K-enc.pem" "--pass=$PASS")
			ima_op "$N" "$A" "$d" "$op"
			wrong_password ;;
		sign_hash) sign_hash_op "$N" "$d" ;;
		evm-portable) evm_op "$d" "$op" -o ;;
		evm-full) evm_op "$d" "$op" ;;
		evm-immutable) evm_op "$d" "$op" -i ;;
		evm-imasig) evm_op "$d" "$op" --imasig ;;
		evm-imahash) evm_op "$d" "$op" --imahash ;;
		evm-portable-imasig) evm_op "$d" "$op" -o --imasig ;;
		esac
	done
}

# == GOST R 34.10-2012 keys and Streebog through --engine gost ==
gost_cells() {
	local spec name bits a probe=$WORKDIR/gost-probe
	if ! openssl engine gost >/dev/null 2>&1; then
		note "OpenSSL cannot load the gost engine (Debian package libengine-gost-openssl): no GOST cells"
		return 0
	fi
	make_file "$probe" 100
	if ! runx ours --engine gost ima_hash -n -a streebog256 "$probe" &&
		grep -qi 'engine.*\(not supported\|unsupported\)' "$WORKDIR/.err"; then
		note "our evmctl reports engines unsupported ($WHY): no GOST cells"
		return 0
	fi
	OURS=("$EVMCTL" --engine gost)
	REF=("${REF_EVMCTL_CMD[@]}" --engine gost)
	# md_gost12_256 is the engine's own name of streebog256
	for a in streebog256 streebog512 md_gost12_256; do
		ima_hash_cell "$a"
	done
	for spec in gost256:256:streebog256 gost512:512:streebog512 gost256:256:md_gost12_256; do
		IFS=: read -r name bits a <<<"$spec"
		[ -f "$WORKDIR/$name.pem" ] || make_keyset "$name" "gost:$bits" "c0ffe$bits"
		if ! ref_can_sign "$name" "$a"; then
			note "$name/$a: 1.6.2 cannot sign with it (${REF_WHY:-no reason given}): not a cell"
			continue
		fi
		run_key_hash "$name" "$a" ima_sign sign_hash evm-portable
	done
	OURS=("$EVMCTL")
	REF=("${REF_EVMCTL_CMD[@]}")
}
