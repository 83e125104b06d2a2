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

echo "== a signing key and its certificate (RSA-2048)"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/key.pem" 2>/dev/null
openssl req -new -x509 -key "$work/key.pem" -out "$work/cert.der" -outform DER \
	-subj "/CN=evmctl demo" -days 1 2>/dev/null

echo "== signing every regular file of the tree (security.ima, signature v2)"
"$evmctl" ima_sign -r -k "$work/key.pem" "$tree" | sed "s|$tree|ROOTFS|" | cut -c1-40,520- | head -5
echo "   ..."

echo "== verifying the whole tree with our evmctl"
"$evmctl" ima_verify -r -k "$work/cert.der" "$tree"

if [ -x /usr/bin/evmctl ]; then
	echo "== and with the old evmctl (ima-evm-utils), file by file"
	find "$tree" -type f -print0 | xargs -0 -n1 /usr/bin/evmctl ima_verify --key "$work/cert.der" >/dev/null 2>&1 &&
		echo "evmctl 1.4 accepts every signature"
fi

echo "== one file changed after signing: verification names it"
echo "tampered" >>"$tree/etc/config"
"$evmctl" ima_verify -r -k "$work/cert.der" "$tree" 2>&1 >/dev/null | sed "s|$tree|ROOTFS|" || true

echo "== replaying a measurement list against the PCRs it should give"
python3 "$top/tests/gen-ima-list.py" --count 2000 --template ima-ng --banks sha1,sha256 \
	--out "$work/list.bin" --pcrs-out "$work/pcrs" >/dev/null
"$evmctl" ima_measurement --pcrs sha1,"$work/pcrs.sha1" --pcrs sha256,"$work/pcrs.sha256" "$work/list.bin"

echo "== boot_aggregate of a TPM 2.0 firmware event log (a UEFI boot's shape), every bank"
python3 "$top/tests/gen-evlog.py" firmware "$work/binary_bios_measurements" >/dev/null
"$evmctl" ima_boot_aggregate "$work/binary_bios_measurements"
samples=$top/../shared/testdata/upstream-samples
if [ -f "$samples/sample-binary_bios_measurements-pcrs-8-9" ]; then
	echo "== and of a real machine's event log"
	"$evmctl" ima_boot_aggregate "$samples/sample-binary_bios_measurements-pcrs-8-9"
fi
echo "== demo done"
