#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# make-sig-list.py [--binary] OUT PCRS-PREFIX FILE[:TAMPER]... - an ima-sig list of
# FILEs with the security.ima signature each carries (as the kernel would
# measure them), and the expected PCR 10 in PCRS-PREFIX.sha1/.sha256.
# FILE:digest records a different file digest (the signature then no longer
# matches it); the template digest is still right, so only the signature check
# can notice.  FILE:evmsig records the file's security.evm instead (what the
# kernel puts in 'sig' when the file has no IMA signature but an EVM portable
# one).  Written from the kernel's template rules, independent of evmctl.
import hashlib
import os
import struct
import sys

args = sys.argv[1:]
binary = args[0] == "--binary"
if binary:
    args = args[1:]
out, prefix, specs = args[0], args[1], args[2:]


def field(b):
    return struct.pack("<I", len(b)) + b


pcr = {"sha1": bytes(20), "sha256": bytes(32)}
lines = []
for spec in specs:
    path, _, tamper = spec.partition(":")
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).digest()
    if tamper == "digest":
        digest = hashlib.sha256(b"something else").digest()
    sig = os.getxattr(path, "security.evm" if tamper == "evmsig" else "security.ima")
    data = (field(b"sha256:\0" + digest) + field(path.encode() + b"\0") +
            field(sig))
    for bank in pcr:
        pcr[bank] = hashlib.new(bank, pcr[bank] + hashlib.new(bank, data).digest()).digest()
    if binary:  # as binary_runtime_measurements: little-endian
        lines.append(struct.pack("<I", 10) + hashlib.sha1(data).digest() +
                     field(b"ima-sig") + field(data))
    else:
        lines.append(("10 %s ima-sig sha256:%s %s %s\n" % (
            hashlib.sha1(data).hexdigest(), digest.hex(), path, sig.hex())).encode())
with open(out, "wb") as f:
    f.writelines(lines)
for bank, value in pcr.items():
    with open("%s.%s" % (prefix, bank), "w") as f:
        for i in range(24):  # evmctl 1.4 reads all 24, in order
            f.write("PCR-%02d: %s\n" % (i, (value if i == 10 else bytes(len(value))).hex()))
