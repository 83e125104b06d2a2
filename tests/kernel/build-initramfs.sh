#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# build-initramfs.sh - pack the guest of the real-kernel tests: busybox, the
# kernel modules, evmctl and keyctl with their shared libraries, the /init
# script and a payload directory (keys, policy, plan) as /test.
#
# Usage: build-initramfs.sh OUT.cpio.gz KERNEL-DIR INIT-SCRIPT PAYLOAD-DIR BINARY...
# KERNEL-DIR is what fetch-kernel.sh prints; each BINARY goes to /bin under
# its own name, its libraries (as ldd resolves them, so set LD_LIBRARY_PATH
# for an uninstalled libimaevm) to /lib/x86_64-linux-gnu.
set -euo pipefail
out=$1 kdir=$2 init=$3 payload=$4
shift 4
busybox=$(command -v busybox) || { echo "busybox not found (Debian package busybox-static)" >&2; exit 77; }
# ldd fails on a static binary
ldd "$busybox" >/dev/null 2>&1 &&
	{ echo "$busybox is not static (Debian package busybox-static)" >&2; exit 77; }

root=$(mktemp -d "${TMPDIR:-/tmp}/initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,mnt,lib/x86_64-linux-gnu,lib64,modules,test}
cp "$busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"	# the interpreter of /init
cp "$init" "$root/init"
chmod 755 "$root/init"
cp "$kdir"/modules/* "$root/modules/"
cp -r "$payload"/. "$root/test/"
for bin in "$@"; do
	cp -L "$bin" "$root/bin/"
	ldd "$bin" | while read -r a b c _; do
		case "$a $b $c" in
		*"=> /"*) cp -L "$c" "$root/lib/x86_64-linux-gnu/" ;;
		/*) cp -L "$a" "$root/lib64/" ;;
		esac
	done
done
(cd "$root" && find . | LC_ALL=C sort | busybox cpio -o -H newc 2>/dev/null) | gzip -1 > "$out"
