#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# gen-keylime-case.py LIST PCRS [--tamper N] [--remove N] <SPEC - an ASCII IMA
# list (the kernel's template rules) and the sha256 PCRs it extends ("PCR-NN:
# hex", PCR 10 also printed on stdout), for tests/attest-keylime.test.
# SPEC lines:  ng PATH HEX | sig PATH HEX SIGFILE | buf NAME DATAFILE
#              | viol PATH | pcr N ...   (the next entries go to PCR N)
# HEX is a sha256 file digest.  --tamper N changes entry N's name after its
# template hash is computed; --remove N leaves entry N out of the list (the
# PCRs still include it).
import hashlib
import struct
import sys

args = sys.argv[1:]
out, pcrs_out = args[0], args[1]
tamper = remove = 0
i = 2
while i < len(args):
    if args[i] == "--tamper":
        tamper = int(args[i + 1])
    elif args[i] == "--remove":
        remove = int(args[i + 1])
    i += 2


def field(b):
    return struct.pack("<I", len(b)) + b


pcr = {n: bytes(32) for n in range(24)}
lines = []
cur = 10
n = 0
for spec in sys.stdin.read().splitlines():
    w = spec.split()
    if not w:
        continue
    if w[0] == "pcr":
        cur = int(w[1])
        continue
    n += 1
    if w[0] == "viol":
        tmpl, name = "ima-ng", w[1]
        col = "sha256:" + "00" * 32
        th1, th256 = bytes(20), b"\xff" * 32
        data_cols = [col, name]
    else:
        d = bytes.fromhex(w[2]) if w[0] != "buf" else None
        if w[0] == "buf":
            buf = open(w[2], "rb").read()
            d = hashlib.sha256(buf).digest()
        dng = field(b"sha256:\0" + d)
        nng = field(w[1].encode() + b"\0")
        data = dng + nng
        tmpl = {"ng": "ima-ng", "sig": "ima-sig", "buf": "ima-buf"}[w[0]]
        cols = ["sha256:" + d.hex(), w[1]]
        if w[0] == "sig":
            sig = open(w[3], "rb").read()
            data += field(sig)
            if sig:
                cols.append(sig.hex())
        elif w[0] == "buf":
            data += field(buf)
            cols.append(buf.hex())
        th1, th256 = hashlib.sha1(data).digest(), hashlib.sha256(data).digest()
        data_cols = cols
    pcr[cur] = hashlib.sha256(pcr[cur] + th256).digest()
    if n == remove:
        continue
    if n == tamper:
        data_cols[1] = data_cols[1] + "-x"
    lines.append(" ".join([str(cur), th1.hex(), tmpl] + data_cols))
with open(out, "w") as f:
    f.write("".join(l + "\n" for l in lines))
with open(pcrs_out, "w") as f:
    for k in range(24):
        f.write("PCR-%02d: %s\n" % (k, pcr[k].hex()))
print(pcr[10].hex())
