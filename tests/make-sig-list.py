#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# make-sig-list.py [--binary] OUT PCRS-PREFIX FILE[:TAMPER]... - an ima-sig list of
# FILEs with the security.ima signature each carries (as the kernel would
# measure them), and the expected PCR 10 in PCRS-PREFIX.sha1/.sha256.
# FILE:digest records a different file digest (the signature then no longer
# matches it); the template digest is still right, so only the signature check
# can notice.  FILE:evmsig records the file's security.evm instead (what the
# kernel puts in 'sig' when the file has no IMA signature but an EVM portable
# one).  --sigv2 writes ima-sigv2 entries, typed "ima:" (content digest);
# FILE:verity records the content digest typed "verity:", FILE:fsverity the
# file's fs-verity digest typed "verity:", FILE:ima-fsverity its fs-verity
# digest typed "ima:".  Written from the kernel's template rules, independent
# of evmctl.
import hashlib
import os
import struct
import sys

args = sys.argv[1:]
binary = args[0] == "--binary"
if binary:
    args = args[1:]
sigv2 = args[0] == "--sigv2"
if sigv2:
    args = args[1:]
template = b"ima-sigv2" if sigv2 else b"ima-sig"
out, prefix, specs = args[0], args[1], args[2:]


def fsverity_digest(data):
    # Merkle tree of sha256 over 4096-byte blocks, no salt, then the digest
    # of the fsverity_descriptor (Documentation/filesystems/fsverity.rst)
    def blocks(b):
        return [b[i:i + 4096].ljust(4096, b"\0") for i in range(0, len(b), 4096)]
    root = bytes(32)
    if data:
        level = [hashlib.sha256(b).digest() for b in blocks(data)]
        while len(level) > 1:
            level = [hashlib.sha256(b).digest() for b in blocks(b"".join(level))]
        root = level[0]
    desc = struct.pack("<BBBBIQ", 1, 1, 12, 0, 0, len(data)) + \
        root.ljust(64, b"\0") + bytes(32) + bytes(144)
    return hashlib.sha256(desc).digest()


def field(b):
    return struct.pack("<I", len(b)) + b


pcr = {"sha1": bytes(20), "sha256": bytes(32)}
lines = []
for spec in specs:
    path, _, tamper = spec.partition(":")
    with open(path, "rb") as f:
        content = f.read()
    digest = hashlib.sha256(content).digest()
    if tamper == "digest":
        digest = hashlib.sha256(b"something else").digest()
    if tamper in ("fsverity", "ima-fsverity"):
        digest = fsverity_digest(content)
    prefix_txt = "sha256:"
    if sigv2:
        prefix_txt = ("verity:" if tamper in ("verity", "fsverity") else "ima:") + "sha256:"
    sig = os.getxattr(path, "security.evm" if tamper == "evmsig" else "security.ima")
    data = (field(prefix_txt.encode() + b"\0" + digest) + field(path.encode() + b"\0") +
            field(sig))
    for bank in pcr:
        pcr[bank] = hashlib.new(bank, pcr[bank] + hashlib.new(bank, data).digest()).digest()
    if binary:  # as binary_runtime_measurements: little-endian
        lines.append(struct.pack("<I", 10) + hashlib.sha1(data).digest() +
                     field(template) + field(data))
    else:
        lines.append(("10 %s %s %s%s %s %s\n" % (
            hashlib.sha1(data).hexdigest(), template.decode(), prefix_txt,
            digest.hex(), path, sig.hex())).encode())
with open(out, "wb") as f:
    f.writelines(lines)
for bank, value in pcr.items():
    with open("%s.%s" % (prefix, bank), "w") as f:
        for i in range(24):  # evmctl 1.4 reads all 24, in order
            f.write("PCR-%02d: %s\n" % (i, (value if i == 10 else bytes(len(value))).hex()))
