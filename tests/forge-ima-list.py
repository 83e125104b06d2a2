#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# forge-ima-list.py - rewrite a binary (sha1) IMA measurement list the way an
# attacker would: drop entries, rename a template, move an entry to another
# PCR.  Template digests are kept, so the forged list still replays.
import argparse
import struct
import sys


def entries(blob):
    off = 0
    while off < len(blob):
        pcr, = struct.unpack_from("<I", blob, off)
        digest = blob[off + 4:off + 24]
        nlen, = struct.unpack_from("<I", blob, off + 24)
        name = blob[off + 28:off + 28 + nlen]
        p = off + 28 + nlen
        dlen, = struct.unpack_from("<I", blob, p)
        data = blob[p + 4:p + 4 + dlen]
        off = p + 4 + dlen
        yield [pcr, digest, name, data]


def pack(e):
    pcr, digest, name, data = e
    return struct.pack("<I", pcr) + digest + struct.pack("<I", len(name)) + name + \
        struct.pack("<I", len(data)) + data


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--drop-pcr", type=int, action="append", default=[],
                    help="drop every entry on this PCR")
    ap.add_argument("--drop", type=int, action="append", default=[],
                    help="drop entry N (1-based)")
    ap.add_argument("--rename", action="append", default=[],
                    help="N:TEMPLATE: rename the template of entry N")
    ap.add_argument("--move", action="append", default=[],
                    help="N:PCR: move entry N to another PCR")
    a = ap.parse_args()
    rename = {int(x.split(":")[0]): x.split(":", 1)[1].encode() for x in a.rename}
    move = {int(x.split(":")[0]): int(x.split(":")[1]) for x in a.move}
    out = []
    with open(a.input, "rb") as f:
        blob = f.read()
    for i, e in enumerate(entries(blob), 1):
        if e[0] in a.drop_pcr or i in a.drop:
            continue
        if i in rename:
            e[2] = rename[i]
        if i in move:
            e[0] = move[i]
        out.append(pack(e))
    with open(a.output, "wb") as f:
        f.write(b"".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
