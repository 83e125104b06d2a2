#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# demo.sh - build evmctl and run the main job on a built-in example tree.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build-demo}

echo "== building in $build"
bash "$top/scripts/build.sh" "$build"
evmctl=$build/src/evmctl/evmctl

work=$(mktemp -d /tmp/evmctl-demo.XXXXXX)
trap 'rm -rf "$work"' EXIT
tree=$work/rootfs
echo "== making a sample tree in $tree"
mkdir -p "$tree/usr/bin" "$tree/usr/lib" "$tree/etc"
for i in $(seq 1 20); do head -c $((i * 1000)) /dev/urandom >"$tree/usr/lib/lib$i.so"; done
cp /bin/true /bin/false "$tree/usr/bin/"
echo "hostname=demo" >"$tree/etc/config"
ln -s ../lib/lib1.so "$tree/usr/bin/link"

echo "== labelling every regular file with its sha256 digest (security.ima)"
"$evmctl" ima_hash -r "$tree" | sed "s|$tree|ROOTFS|"

echo "== checking every label against sha256sum"
bad=0 n=0
while IFS= read -r -d '' f; do
	want=0404$(sha256sum "$f" | cut -d' ' -f1)
	got=$(getfattr --absolute-names -e hex -n security.ima "$f" 2>/dev/null | sed -n 's/^security.ima=0x//p')
	n=$((n + 1))
	[ "$got" = "$want" ] || { echo "MISMATCH: $f"; bad=$((bad + 1)); }
done < <(find "$tree" -type f -print0)
echo "$n files checked, $bad mismatches"
[ "$bad" -eq 0 ]
