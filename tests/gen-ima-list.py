#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# gen-ima-list.py - write IMA measurement lists (binary or ASCII) and the PCRs
# a kernel would have extended for them.  Written from the kernel's format
# rules only (ima_template.c, ima_template_lib.c, ima_fs.c), independently of
# libimaevm, so tests can use it as an oracle.
import argparse
import hashlib
import struct
import sys

TEMPLATES = {
    "ima": ["d", "n"],
    "ima-ng": ["d-ng", "n-ng"],
    "ima-ngv2": ["d-ngv2", "n-ng"],
    "ima-sig": ["d-ng", "n-ng", "sig"],
    "ima-sigv2": ["d-ngv2", "n-ng", "sig"],
    "ima-buf": ["d-ng", "n-ng", "buf"],
    "ima-modsig": ["d-ng", "n-ng", "sig", "d-modsig", "modsig"],
    "evm-sig": ["d-ng", "n-ng", "evmsig", "xattrnames", "xattrlengths",
                "xattrvalues", "iuid", "igid", "imode"],
}
MIXED = ["ima-ng", "ima-ngv2", "ima-sig", "ima-sigv2", "ima-buf",
         "ima-modsig", "evm-sig"]


def h(algo, data):
    return hashlib.new(algo, data).digest()


def fake_sig(i):
    # a signature v2 header (type 3, version 2, sha256, key id, size) + bytes
    body = h("sha512", b"sig%d" % i) * 4
    return bytes([3, 2, 4]) + struct.pack(">I", 0x11223344 + i) + \
        struct.pack(">H", len(body)) + body


def appended(content, sig):
    """A file with a module-style signature appended (module_signature:
    algo, hash, id_type=2 (PKCS#7), signer_len, key_id_len, pad[3], be32
    sig_len; then the magic string)."""
    return content + sig + struct.pack(">BBBBB3xI", 0, 0, 2, 0, 0, len(sig)) + \
        b"~Module signature appended~\n"


def split_appended(blob):
    """(content, PKCS#7) of a file with a module-style signature appended."""
    magic = b"~Module signature appended~\n"
    if not blob.endswith(magic) or len(blob) < len(magic) + 12:
        sys.exit("no appended signature")
    trailer = blob[-len(magic) - 12:-len(magic)]
    if trailer[2] != 2:
        sys.exit("appended signature is not PKCS#7")
    sig_len = struct.unpack(">I", trailer[8:])[0]
    end = len(blob) - len(magic) - 12
    return blob[:end - sig_len], blob[end - sig_len:end]


def modsig_fields(algo, spec):
    """ima-modsig fields of a real file, FILE (it carries an appended
    signature, e.g. from the kernel's sign-file) or FILE:SIG.der[:DIGESTHEX]
    (the signature is appended here): d-ng is the digest of the file with the
    signature, d-modsig the digest of the file without it (or DIGESTHEX),
    modsig the PKCS#7 as it is."""
    path, *rest = spec.split(":")
    if rest:
        content = open(path, "rb").read()
        sig = open(rest[0], "rb").read()
        whole = appended(content, sig)
    else:
        whole = open(path, "rb").read()
        content, sig = split_appended(whole)
    dmod = bytes.fromhex(rest[1]) if len(rest) > 1 and rest[1] else h(algo, content)
    return [algo.encode() + b":\0" + h(algo, whole),
            path.encode() + b"\0", b"", algo.encode() + b":\0" + dmod, sig]


def fields_for(template, i, algo, name, violation, modsig=None, content=None):
    """Field values (raw bytes as the kernel stores them) of entry i."""
    if modsig and template == "ima-modsig" and not violation:
        return modsig_fields(algo, modsig[(i - 1) % len(modsig)])
    buf = b"buffer %d \x00\xff" % i
    digest = bytes(hashlib.new(algo).digest_size) if violation else \
        h(algo, buf if "buf" in TEMPLATES[template] else
          content if content is not None else b"content %d" % i)
    vals = []
    for f in TEMPLATES[template]:
        if f == "d":
            vals.append(bytes(20) if violation else h("sha1", b"content %d" % i))
        elif f in ("d-ng", "d-modsig"):
            if f == "d-modsig" and i % 2 == 0:  # no modsig: both empty
                vals.append(b"")
            else:
                vals.append(algo.encode() + b":\0" + digest)
        elif f == "d-ngv2":
            kind = b"verity" if i % 3 == 0 else b"ima"
            vals.append(kind + b":" + algo.encode() + b":\0" + digest)
        elif f == "n":
            vals.append(name.encode()[:255])
        elif f == "n-ng":
            vals.append(name.encode() + b"\0")
        elif f in ("sig", "modsig", "evmsig"):
            vals.append(b"" if i % 2 == 0 else fake_sig(i))
        elif f == "buf":
            vals.append(buf)  # the kernel records the buffer's digest
        elif f == "xattrnames":
            vals.append(b"security.ima|security.selinux\0" if i % 2 else b"")
        elif f == "xattrlengths":
            vals.append(struct.pack("<II", 34, 27) if i % 2 else b"")
        elif f == "xattrvalues":
            vals.append((b"\x04\x04" + digest[:32].ljust(32, b"\0") +
                         b"system_u:object_r:bin_t:s0\0") if i % 2 else b"")
        elif f in ("iuid", "igid"):
            vals.append(struct.pack("<I", 1000 + i))
        elif f == "imode":
            vals.append(struct.pack("<H", 0o100755))
    return vals


def template_data(template, vals, unknown):
    """The bytes the kernel hashes into the template digest."""
    if template == "ima" and not unknown:
        return vals[0] + vals[1].ljust(256, b"\0")
    return b"".join(struct.pack("<I", len(v)) + v for v in vals)


def binary_entry(pcr, tdigest, template, vals, data, unknown):
    out = struct.pack("<I", pcr) + tdigest + struct.pack("<I", len(template)) + \
        template.encode()
    if template == "ima" and not unknown:
        return out + vals[0] + struct.pack("<I", len(vals[1])) + vals[1]
    return out + struct.pack("<I", len(data)) + data


def show(field, v):
    """IMA_SHOW_ASCII of one field."""
    if field in ("d-ng", "d-ngv2", "d-modsig"):
        prefix, digest = v.split(b"\0", 1)
        return prefix.decode() + digest.hex()
    if field in ("n", "n-ng", "xattrnames"):
        return v.rstrip(b"\0").decode()
    if field in ("iuid", "igid", "imode"):
        return str(int.from_bytes(v, "little"))
    return v.hex()


def ascii_entry(pcr, tdigest, template, vals):
    line = "%d %s %s" % (pcr, tdigest.hex(), template)
    for f, v in zip(TEMPLATES[template], vals):
        line += " " + (show(f, v) if v else "")
    return line + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--template", default="ima-ng",
                    help="a template name, 'mixed', or any other name (unknown template)")
    ap.add_argument("--file-algo", default="sha256")
    ap.add_argument("--pcr", default="10", help="PCRs to cycle through, e.g. 10,11")
    ap.add_argument("--banks", default="sha1,sha256")
    ap.add_argument("--padded", default="",
                    help="banks the kernel extends with the zero-padded sha1 digest")
    ap.add_argument("--violations", type=int, default=0, help="every Nth entry is a violation")
    ap.add_argument("--boot-aggregate", action="store_true",
                    help="first entry is an ima-ng boot_aggregate")
    ap.add_argument("--spaces", action="store_true", help="some file names contain spaces")
    ap.add_argument("--modsig", action="append", default=[],
                    help="ima-modsig entries for FILE:SIG.der[:DIGESTHEX] (a real "
                    "PKCS#7 signature, appended here) or FILE (signed by sign-file), "
                    "used in turn; repeatable")
    ap.add_argument("--big", type=int, default=0,
                    help="every Nth entry has a 300 kB file name (larger than read buffers)")
    ap.add_argument("--format", choices=["binary", "ascii"], default="binary")
    ap.add_argument("--list-bank", metavar="ALGO",
                    help="write the per-bank list of bank ALGO (Linux 6.10+: "
                    "binary_runtime_measurements_ALGO): template digests of "
                    "ALGO, violations all zero of its size; the PCRs are the "
                    "same as for the sha1 list")
    ap.add_argument("--out", required=True)
    ap.add_argument("--pcrs-out", help="write PREFIX.<bank> files, 'PCR-NN: hex'")
    ap.add_argument("--extend-out", help="write one tpm2_pcrextend argument per entry")
    ap.add_argument("--tamper", type=int, default=0,
                    help="corrupt the file name of entry N (1-based) after computing the PCRs")
    ap.add_argument("--no-expected", action="store_true", help="do not compute PCRs (fast)")
    ap.add_argument("--boot-seed", default=None,
                    help="with --boot-aggregate: its digest is of this string (another boot)")
    ap.add_argument("--pcr-after", default=None, metavar="N:LIST",
                    help="entries after entry N cycle through the PCRs of LIST instead")
    ap.add_argument("--split", default="", metavar="N[,N...]",
                    help="also write OUT.upto-N (the first N entries) and OUT.after-N "
                    "(the entries after N); with --pcrs-out, PREFIX.<bank>.at-N: "
                    "the PCRs after entry N")
    a = ap.parse_args()
    splits = sorted(int(x) for x in a.split.split(",") if x)
    late = None
    if a.pcr_after:
        n, lst = a.pcr_after.split(":")
        late = (int(n), [int(p) for p in lst.split(",")])
    ends = {}
    snap = {}
    written = 0

    banks = [b for b in a.banks.split(",") if b]
    padded = set(b for b in a.padded.split(",") if b)
    pcrlist = [int(p) for p in a.pcr.split(",")]
    pcrs = {b: {} for b in banks}
    sizes = {b: hashlib.new(b).digest_size for b in banks}
    extend = open(a.extend_out, "w") if a.extend_out else None
    out = open(a.out, "wb")
    buf = []
    for i in range(1, a.count + 1):
        if a.template == "mixed":
            template = MIXED[i % len(MIXED)]
        else:
            template = a.template
        unknown = template not in TEMPLATES
        ftemplate = "ima-ng" if unknown else template
        pcr = pcrlist[(i - 1) % len(pcrlist)]
        if late and i > late[0]:
            pcr = late[1][(i - late[0] - 1) % len(late[1])]
        violation = a.violations and i % a.violations == 0
        name = "/usr/lib/file %d" % i if a.spaces and i % 5 == 0 else "/usr/bin/prog-%d" % i
        if a.big and i % a.big == 0 and ftemplate != "ima":
            name = "/big/%d/" % i + "x" * 300000
        if i == 1 and a.boot_aggregate:
            ftemplate, template, unknown, name = "ima-ng", "ima-ng", False, "boot_aggregate"
        vals = fields_for(ftemplate, i, a.file_algo if ftemplate != "ima" else "sha1",
                          name, violation, a.modsig,
                          a.boot_seed.encode() if i == 1 and a.boot_aggregate and
                          a.boot_seed is not None else None)
        data = template_data(template, vals, unknown)
        lb = a.list_bank or "sha1"
        tdigest = bytes(hashlib.new(lb).digest_size) if violation else h(lb, data)
        if not a.no_expected:
            ext = []
            for b in banks:
                if b in padded:
                    d = (b"\xff" * 20 if violation else tdigest).ljust(sizes[b], b"\0")
                else:
                    d = b"\xff" * sizes[b] if violation else h(b, data)
                old = pcrs[b].get(pcr, bytes(sizes[b]))
                pcrs[b][pcr] = h(b, old + d)
                ext.append("%s=%s" % (b, d.hex()))
            if extend:
                extend.write("%d:%s\n" % (pcr, ",".join(ext)))
        if i == a.tamper:
            vals = [v.replace(b"/", b"!", 1) if f in ("n", "n-ng") else v
                    for f, v in zip(TEMPLATES[ftemplate], vals)]
            data = template_data(template, vals, unknown)
        if a.format == "binary":
            buf.append(binary_entry(pcr, tdigest, template, vals, data, unknown))
        else:
            if unknown:
                sys.exit("an unknown template cannot be written as ASCII")
            buf.append(ascii_entry(pcr, tdigest, template, vals).encode())
        written += len(buf[-1])
        if i in splits:
            ends[i] = written
            snap[i] = {b: dict(pcrs[b]) for b in banks}
        if len(buf) >= 4096:
            out.write(b"".join(buf))
            buf = []
    out.write(b"".join(buf))
    out.close()
    for n in splits:
        if n not in ends:
            sys.exit("--split %d: the list has fewer entries" % n)
        with open(a.out, "rb") as src, open("%s.upto-%d" % (a.out, n), "wb") as up, \
                open("%s.after-%d" % (a.out, n), "wb") as after:
            left = ends[n]
            while left:
                chunk = src.read(min(left, 1 << 20))
                up.write(chunk)
                left -= len(chunk)
            while True:
                chunk = src.read(1 << 20)
                if not chunk:
                    break
                after.write(chunk)
        if a.pcrs_out and not a.no_expected:
            for b in banks:
                with open("%s.%s.at-%d" % (a.pcrs_out, b, n), "w") as f:
                    for p in range(24):
                        f.write("PCR-%02d: %s\n" % (p, snap[n][b].get(p, bytes(sizes[b])).hex()))
    if extend:
        extend.close()
    if a.no_expected:
        return
    for b in banks:
        for p in sorted(pcrs[b]):
            print("%s:%d:%s" % (b, p, pcrs[b][p].hex()))
        if a.pcrs_out:
            with open("%s.%s" % (a.pcrs_out, b), "w") as f:
                for p in range(24):
                    f.write("PCR-%02d: %s\n" % (p, pcrs[b].get(p, bytes(sizes[b])).hex()))


if __name__ == "__main__":
    main()
