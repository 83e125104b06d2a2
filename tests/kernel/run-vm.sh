#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run-vm.sh - one whole real-kernel run: fetch the kernel, label the test
# filesystems (prepare.sh), pack the initramfs, boot it under QEMU (TCG) with
# swtpm as its TPM 2.0, and unpack what the guest wrote into DIR/results.
#
# Usage: run-vm.sh DIR   ($EVMCTL: the evmctl under test, maybe libtool's
# wrapper; $top_srcdir).  Exit 77 (reason on stderr) when QEMU, swtpm,
# busybox or the kernel package cannot be had; 1 when the guest fails.
set -euo pipefail
dir=$1
: "${EVMCTL:?}" "${top_srcdir:?}"
here=$top_srcdir/tests/kernel
unavailable() { echo "$*" >&2; exit 77; }
for c in qemu-system-x86_64:qemu-system-x86 swtpm:swtpm busybox:busybox-static \
	keyctl:keyutils mkfs.ext4:e2fsprogs fsverity:fsverity; do
	command -v "${c%%:*}" >/dev/null || unavailable "${c%%:*} not found (Debian package ${c#*:})"
done
[ "$(id -u)" = 0 ] || unavailable "needs root (loop mounts, security.* xattrs)"
losetup -f >/dev/null 2>&1 || unavailable "no free loop device"

if [ -n "${IMAEVM_TEST_CACHE:-}" ]; then cache=$IMAEVM_TEST_CACHE
else cache=/var/cache/imaevm-test; fi
kdir=$(bash "$here/fetch-kernel.sh" "$cache") || exit $?

rm -rf "$dir"
mkdir -p "$dir/results"
dir=$(cd "$dir" && pwd)
log() { echo "[$(date +%T)] $*"; }

log "labelling the test filesystems"
bash "$here/prepare.sh" "$dir" || { echo "prepare.sh failed" >&2; exit 1; }

# the program, not libtool's wrapper, and the uninstalled library next to it
bin=$EVMCTL
if [ -x "$(dirname "$EVMCTL")/.libs/evmctl" ]; then
	bin=$(dirname "$EVMCTL")/.libs/evmctl
	export LD_LIBRARY_PATH=$(cd "$(dirname "$EVMCTL")/../libimaevm/.libs" && pwd)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi
log "packing the initramfs"
bash "$here/build-initramfs.sh" "$dir/initramfs.cpio.gz" "$kdir" "$here/init.sh" \
	"$dir/payload" "$bin" "$(command -v keyctl)" "$(command -v fsverity)" || exit $?

truncate -s 32M "$dir/out.img"
mkdir -p "$dir/tpm"
swtpm socket --tpm2 --tpmstate dir="$dir/tpm" --ctrl type=unixio,path="$dir/swtpm.sock" \
	--log file="$dir/swtpm.log" >/dev/null 2>&1 &
swtpm_pid=$!
trap 'kill $swtpm_pid 2>/dev/null || true; wait $swtpm_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -S "$dir/swtpm.sock" ] && break; sleep 0.1; done
[ -S "$dir/swtpm.sock" ] || { echo "swtpm did not start" >&2; exit 1; }

log "booting $(cat "$kdir/version") under QEMU (TCG)"
start=$(date +%s)
rc=0
timeout "${IMAEVM_KERNEL_TIMEOUT:-600}" qemu-system-x86_64 -accel tcg -cpu max -m 1024 \
	-nodefaults -display none -no-reboot -monitor none \
	-serial file:"$dir/console.log" \
	-kernel "$kdir/vmlinuz" -initrd "$dir/initramfs.cpio.gz" \
	-append "console=ttyS0 panic=-1 ima_appraise=enforce ima_template=ima-sig ima_hash=sha256" \
	-drive file="$dir/a.img",format=raw,if=virtio,readonly=on \
	-drive file="$dir/b.img",format=raw,if=virtio,readonly=on \
	-drive file="$dir/out.img",format=raw,if=virtio \
	-chardev socket,id=chrtpm,path="$dir/swtpm.sock" \
	-tpmdev emulator,id=tpm0,chardev=chrtpm -device tpm-tis,tpmdev=tpm0 \
	</dev/null >"$dir/qemu.out" 2>&1 || rc=$?
log "guest finished in $(( $(date +%s) - start )) s (qemu status $rc)"
tar -xf "$dir/out.img" -C "$dir/results" 2>/dev/null || true
if [ ! -f "$dir/results/complete" ]; then
	echo "the guest wrote no results (qemu status $rc); console:" >&2
	tail -40 "$dir/console.log" >&2
	cat "$dir/qemu.out" >&2
	exit 1
fi
