#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# upstream-vm.sh - run ima-evm-utils 1.6.2's own kernel tests, unchanged, in
# Debian's kernel under QEMU (TCG), once with 1.6.2's evmctl and once with
# ours.  The guest's root is the host's root shared read-only over 9p; each
# test gets a fresh boot, as 1.6.2 boots a fresh UML kernel per test, since
# a test leaves the kernel changed (IMA policy, EVM mode).  Two guests run
# at a time.
#
# Usage: upstream-vm.sh DIR
# Environment: REF_SRC, REF_EVMCTL, REF_LIBDIR (the 1.6.2 build), EVMCTL
# (ours, maybe libtool's wrapper), top_srcdir.
# Writes DIR/NAME/TEST[+LIST]/{rc,log,setup.log,dmesg,evm,seconds} for NAME
# in ref, ours.  Exit 77 (reason on stderr) when QEMU, busybox or the kernel
# cannot be had; 1 when a guest wrote no result.
set -euo pipefail
dir=$1
: "${REF_SRC:?}" "${REF_EVMCTL:?}" "${REF_LIBDIR:?}" "${EVMCTL:?}" "${top_srcdir:?}"
here=$(cd "$top_srcdir/tests/kernel" && pwd)
# TEST or TEST:LIST (TST_LIST=LIST: only those cases; 1.6.2 boots again for
# check_evm_revalidate, which needs EVM mode bits the first run must not set)
tests=${UPSTREAM_KERNEL_TESTS:-portable_signatures.test portable_signatures.test:check_evm_revalidate \
	evm_hmac.test mmap_check.test fsverity.test ima_policy_check.test}
unavailable() { echo "$*" >&2; exit 77; }
for c in qemu-system-x86_64:qemu-system-x86 busybox:busybox-static keyctl:keyutils \
	mkfs.ext4:e2fsprogs getfattr:attr xxd:xxd fsverity:fsverity cc:gcc; do
	command -v "${c%%:*}" >/dev/null || unavailable "${c%%:*} not found (Debian package ${c#*:})"
done
[ "$(id -u)" = 0 ] || unavailable "needs root (the guest runs as root on the host's root)"
cache=${IMAEVM_TEST_CACHE:-/var/cache/imaevm-test}
kdir=$(bash "$here/fetch-kernel.sh" "$cache") || exit $?

rm -rf "$dir"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
cp "$kdir/config" "$dir/kernel-config"
cp "$kdir/version" "$dir/kernel-version"
log() { echo "[$(date +%T)] $*"; }
# the guest has its own /tmp and /run: what it needs of the host's /tmp (a
# build tree there) is bound back in, by top-level directory (BIND=)
binds=
for p in "$dir" "$REF_SRC" "$REF_EVMCTL" "$REF_LIBDIR" "$EVMCTL" "$here"; do
	p=$(readlink -f "$p")
	case $p in
	/tmp/*) p=${p#/tmp/}; p=/tmp/${p%%/*}
		case " $binds " in *" $p "*) ;; *) binds="$binds $p" ;; esac ;;
	/run/*) echo "$p: the guest cannot see files under /run" >&2; exit 1 ;;
	esac
done

# our program, not libtool's wrapper, and the uninstalled library next to it
ours=$EVMCTL ours_lib=
if [ -x "$(dirname "$EVMCTL")/.libs/evmctl" ]; then
	ours=$(cd "$(dirname "$EVMCTL")/.libs" && pwd)/evmctl
	ours_lib=$(cd "$(dirname "$EVMCTL")/../libimaevm/.libs" && pwd)
fi

# a stage per binary: tests/ links to the 1.6.2 scripts the five need (they
# put ../src first in PATH, so src/evmctl is the binary under test)
for name in ref ours; do
	s=$dir/stage-$name
	mkdir -p "$s/tests" "$s/src"
	for f in $(for t in $tests; do echo "${t%%:*}"; done | sort -u) \
		functions.sh gen-keys.sh ima_policy_check.awk; do
		ln -s "$REF_SRC/tests/$f" "$s/tests/$f"
	done
	cc -O2 -o "$s/tests/test_mmap" "$REF_SRC/tests/test_mmap.c"
done
ln -s "$REF_EVMCTL" "$dir/stage-ref/src/evmctl"
ln -s "$ours" "$dir/stage-ours/src/evmctl"

# the signing key the tests take as TST_KEY_PATH: key and certificate in one
# PEM file (1.6.2 uses the kernel's build key; any key in IMA's keyring does)
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/key.pem" -subj "/CN=upstream kernel tests" \
	-days 30 -addext subjectKeyIdentifier=hash -addext keyUsage=digitalSignature \
	-addext basicConstraints=critical,CA:FALSE -out "$dir/cert.pem" 2>/dev/null
cat "$dir/key.pem" "$dir/cert.pem" > "$dir/signing_key.pem"
# evm_hmac.test's HMAC key, read from the script at run time
hmac_hex=$(sed -n 's/^g_hmackey_data="\([0-9a-fA-F]*\)"$/\1/p' "$REF_SRC/tests/evm_hmac.test")
if [ -n "$hmac_hex" ]; then
	head -c 32 /dev/urandom > "$dir/kmk.bin"
	xxd -r -p <<<"$hmac_hex" > "$dir/hmac.key"
	python3 "$here/evm-key-blob.py" "$dir/kmk.bin" "$dir/hmac.key" > "$dir/evm-key.blob"
fi

# the IMA rules of portable_signatures.test, from its own definitions (plain
# assignments at the top of the script), for a kernel that takes one write
rules=$(grep -E '^[A-Z][A-Z0-9_]*=' "$REF_SRC/tests/portable_signatures.test" | grep -v -E '[`(]' |
	bash -c 'eval "$(cat)"; for v in $(compgen -v); do case $v in *_RULE) echo "${!v}" ;; esac; done')
[ -n "$rules" ] && echo "$rules" > "$dir/rules-portable_signatures"

log "packing the initramfs"
root=$dir/initramfs
mkdir -p "$root"/{bin,dev,proc,sys,modules}
cp "$(command -v busybox)" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cp "$here/upstream-init.sh" "$root/init"
chmod 755 "$root/init"
cp "$kdir"/modules/* "$root/modules/"
(cd "$root" && find . | LC_ALL=C sort | busybox cpio -o -H newc 2>/dev/null) | gzip -1 > "$dir/initramfs.cpio.gz"
rm -rf "$root"

# boot NAME TEST[:LIST]: one guest running TEST with stage NAME
boot() {
	local name=$1 t=${2%%:*} j=$dir/$1/${2/:/+} lib append rc=0
	mkdir -p "$j"
	lib=$REF_LIBDIR
	[ "$name" = ours ] && lib=$ours_lib
	append="console=ttyS0 panic=-1 quiet"
	{
		echo "GUEST=$here/upstream-guest.sh"
		echo "BIND=${binds# }"
		echo "TEST=$t"
		[ "$t" != "$2" ] && echo "TST_LIST=${2#*:}"
		echo "STAGE=$dir/stage-$name"
		echo "EVMCTL_LIBDIR=$lib"
		echo "TST_KEY_PATH=$dir/signing_key.pem"
		[ -f "$dir/rules-${t%.test}" ] && echo "RULES=$dir/rules-${t%.test}"
		case $t in evm_hmac.test)
			# an LSM that labels new files, so that EVM computes HMACs
			append="$append lsm=lockdown,yama,integrity,selinux enforcing=0"
			[ -f "$dir/evm-key.blob" ] &&
				echo "KMK=$dir/kmk.bin" && echo "EVMKEY_BLOB=$dir/evm-key.blob" ;;
		esac
	} > "$j/job"
	timeout "${IMAEVM_KERNEL_TIMEOUT:-600}" qemu-system-x86_64 -accel tcg -cpu max -m 2048 \
		-nodefaults -display none -no-reboot -monitor none \
		-serial file:"$j/console.log" \
		-kernel "$kdir/vmlinuz" -initrd "$dir/initramfs.cpio.gz" -append "$append" \
		-fsdev local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap \
		-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
		-fsdev local,id=job,path="$j",security_model=none \
		-device virtio-9p-pci,fsdev=job,mount_tag=job \
		</dev/null >"$j/qemu.out" 2>&1 || rc=$?
	echo "$rc" > "$j/qemu-status"
}

log "booting $(cat "$kdir/version") once per test and binary, two at a time"
start=$(date +%s)
jobs_list=()
for t in $tests; do for name in ref ours; do jobs_list+=("$name $t"); done; done
running=0
for jb in "${jobs_list[@]}"; do
	# shellcheck disable=SC2086
	boot $jb &
	running=$((running + 1))
	if [ $running -ge 2 ]; then wait -n || true; running=$((running - 1)); fi
done
wait
log "all guests finished in $(( $(date +%s) - start )) s"
st=0
for jb in "${jobs_list[@]}"; do
	set -- $jb
	j=$dir/$1/${2/:/+}
	if [ ! -f "$j/complete" ]; then
		echo "$1 $2: the guest wrote no result (qemu status $(cat "$j/qemu-status")); console:" >&2
		tail -20 "$j/console.log" >&2
		st=1
	fi
done
exit $st
