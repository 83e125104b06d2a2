#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# fetch-kernel.sh - get Debian 12's kernel (vmlinuz and the few modules the
# real-kernel tests load) into a cache, without installing the package.
#
# Usage: fetch-kernel.sh CACHE-DIR
# Prints the directory holding vmlinuz, config, modules/*.ko and
# modules/order (load order).  Exit 77 with a reason when the kernel package
# cannot be had.  IMAEVM_KERNEL_DEB=path uses that .deb instead of apt.
set -euo pipefail
cache=${1:?usage: fetch-kernel.sh CACHE-DIR}
# the modules the guest loads, in this order (dependencies resolved below);
# 9p and loop serve kernel-upstream.test (the host's root shared read-only)
want="virtio_pci virtio_blk ext4 sha512_generic loop 9pnet_virtio 9p"

unavailable() { echo "kernel unavailable: $*" >&2; exit 77; }
mkdir -p "$cache" || unavailable "cannot create cache $cache"
exec 9>"$cache/.lock"
flock 9

deb=${IMAEVM_KERNEL_DEB:-}
if [ -z "$deb" ]; then
	# the current ABI version is what the meta package depends on
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9.]*-[0-9]*-amd64\)$/\1/p' | head -1)
	if [ -n "$pkg" ]; then
		deb=$(ls -t "$cache/${pkg}_"*_amd64.deb 2>/dev/null | head -1 || true)
		if [ -z "$deb" ]; then
			tmp=$(mktemp -d "$cache/dl.XXXXXX")
			if ( cd "$tmp" && apt-get download "$pkg" >/dev/null 2>"$tmp/err" ); then
				mv "$tmp"/*.deb "$cache/"
				deb=$(ls -t "$cache/${pkg}_"*_amd64.deb | head -1)
			else
				# offline: an older kernel cached by an earlier run will do
				cat "$tmp/err" >&2
				deb=$(ls -t "$cache"/linux-image-*-amd64_*_amd64.deb 2>/dev/null | head -1 || true)
				[ -n "$deb" ] || { rm -rf "$tmp"; unavailable "apt-get download $pkg failed"; }
			fi
			rm -rf "$tmp"
		fi
	else
		# no apt metadata: use the newest .deb cached by an earlier run
		deb=$(ls -t "$cache"/linux-image-*-amd64_*_amd64.deb 2>/dev/null | head -1 || true)
		[ -n "$deb" ] || unavailable "apt-cache knows no linux-image-amd64 (run apt-get update) and nothing is cached in $cache"
	fi
fi
[ -f "$deb" ] || unavailable "$deb not found"

out="$cache/$(basename "$deb" .deb)"
# "ready" holds the module list it was made for: a new list unpacks again
if [ "$(cat "$out/ready" 2>/dev/null)" != "$want" ]; then
	command -v depmod >/dev/null && command -v modprobe >/dev/null ||
		unavailable "depmod/modprobe not found (Debian package kmod)"
	rm -rf "$out" "$out.tmp"
	mkdir -p "$out.tmp/modules"
	dpkg-deb -x "$deb" "$out.tmp/root" || unavailable "dpkg-deb -x $deb failed"
	version=$(ls "$out.tmp/root/lib/modules" | head -1)
	depmod -b "$out.tmp/root" "$version"
	cp "$out.tmp/root/boot/vmlinuz-$version" "$out.tmp/vmlinuz"
	cp "$out.tmp/root/boot/config-$version" "$out.tmp/config"
	echo "$version" > "$out.tmp/version"
	# each module once, dependencies first, as modprobe would insert them
	for m in $want; do
		modprobe -d "$out.tmp/root" -S "$version" --show-depends "$m" |
			sed -n 's/^insmod \([^ ]*\).*/\1/p'
	done | awk '!seen[$0]++' | while read -r ko; do
		case $ko in
		*.ko) cp "$ko" "$out.tmp/modules/" ;;
		*.ko.xz) xz -dc "$ko" > "$out.tmp/modules/$(basename "$ko" .xz)" ;;
		*) echo "unexpected module file $ko" >&2; exit 1 ;;
		esac
		basename "${ko%.xz}" >> "$out.tmp/modules/order"
	done
	rm -rf "$out.tmp/root"
	echo "$want" > "$out.tmp/ready"
	mv "$out.tmp" "$out"
fi
echo "$out"
