#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# gen-attest-list.py - an IMA measurement list (binary, ima-ng or ima-sig) of
# files named on stdin, for the remote attestation tests.  Written from the
# kernel's template rules (ima_template_lib.c), independently of libimaevm.
#
# stdin: one "PATH SHA256HEX [SIGHEX]" line per measured file (PATH is the
# runtime path; with SIGHEX the entry is ima-sig); fields are separated by
# tabs if the line has one (names with spaces), else by spaces.  Options:
#   --out FILE            the binary list
#   --boot-aggregate HEX  first entry: boot_aggregate with this sha256 digest
#   --extend-out FILE     one tpm2_pcrextend argument per entry (sha1, sha256)
#   --values-out FILE     the final sha256 PCR 10, raw (tpm2_quote -F values)
#   --pcrs-out FILE       sha256 PCRs 0-23 as "PCR-NN: hex" lines
#   --pcr N               the PCR of every entry (default 10)
#   --entry-pcr I=N       entry I (1-based, boot_aggregate included) on PCR N
import argparse
import hashlib
import struct
import sys


def field(b):
    return struct.pack("<I", len(b)) + b


ap = argparse.ArgumentParser()
ap.add_argument("--out", required=True)
ap.add_argument("--boot-aggregate")
ap.add_argument("--extend-out")
ap.add_argument("--values-out")
ap.add_argument("--pcrs-out")
ap.add_argument("--pcr", type=int, default=10)
ap.add_argument("--entry-pcr", action="append", default=[])
a = ap.parse_args()
moved = {int(i): int(n) for i, n in (x.split("=") for x in a.entry_pcr)}

items = []
if a.boot_aggregate:
    items.append(("boot_aggregate", bytes.fromhex(a.boot_aggregate), None))
for line in sys.stdin:
    parts = line.rstrip("\n").split("\t") if "\t" in line else line.split()
    if not parts:
        continue
    items.append((parts[0], bytes.fromhex(parts[1]),
                  bytes.fromhex(parts[2]) if len(parts) > 2 else None))

pcrs = {}
out, ext = [], []
for num, (path, digest, sig) in enumerate(items, 1):
    idx = moved.get(num, a.pcr)
    pcr = pcrs.setdefault(idx, {"sha1": bytes(20), "sha256": bytes(32)})
    data = field(b"sha256:\0" + digest) + field(path.encode() + b"\0")
    template = b"ima-ng"
    if sig is not None:
        data += field(sig)
        template = b"ima-sig"
    parts = []
    for bank in pcr:
        d = hashlib.new(bank, data).digest()
        pcr[bank] = hashlib.new(bank, pcr[bank] + d).digest()
        parts.append("%s=%s" % (bank, d.hex()))
    ext.append("%d:%s\n" % (idx, ",".join(parts)))
    out.append(struct.pack("<I", idx) + hashlib.sha1(data).digest() +
               field(template) + field(data))
with open(a.out, "wb") as f:
    f.writelines(out)
if a.extend_out:
    with open(a.extend_out, "w") as f:
        f.writelines(ext)
if a.values_out:
    with open(a.values_out, "wb") as f:
        f.write(pcrs.get(10, {"sha256": bytes(32)})["sha256"])
if a.pcrs_out:
    with open(a.pcrs_out, "w") as f:
        for i in range(24):
            f.write("PCR-%02d: %s\n" % (i, pcrs.get(i, {"sha256": bytes(32)})["sha256"].hex()))
