#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""gen-evlog.py - write a TPM 2.0 crypto-agile firmware event log (TCG PC Client
Platform Firmware Profile layout), good or broken in one chosen way.

usage: gen-evlog.py CASE OUT
Prints one line per event: "INDEX OFFSET" (where the event starts)."""
import hashlib
import struct
import sys

SHA1, SHA256 = (4, "sha1", 20), (0xB, "sha256", 32)
EV_NO_ACTION, EV_S_CRTM_VERSION, EV_SEPARATOR, EV_IPL = 3, 8, 4, 0xD
EV_POST_CODE, EV_EFI_VARIABLE_DRIVER_CONFIG = 1, 0x80000001
EV_EFI_BOOT_SERVICES_APPLICATION, EV_EFI_ACTION = 0x80000003, 0x80000007


def ev12(pcr, typ, data, digest):
    return struct.pack("<II", pcr, typ) + digest + struct.pack("<I", len(data)) + data


def ev2(pcr, typ, data, algs, no_digest=False, measured=None):
    """@measured: what the digests are of, when it is not the event data"""
    m = data if measured is None else measured
    body = b"".join(struct.pack("<H", a) + (bytes(s) if no_digest else hashlib.new(n, m).digest())
                    for a, n, s in algs)
    return struct.pack("<III", pcr, typ, len(algs)) + body + struct.pack("<I", len(data)) + data


def spec_id(algs, vendor=b"", vendor_size=None):
    d = b"Spec ID Event03\0" + struct.pack("<IBBBB", 0, 0, 2, 0, 2) + struct.pack("<I", len(algs))
    d += b"".join(struct.pack("<HH", a, s) for a, _, s in algs)
    d += bytes([len(vendor) if vendor_size is None else vendor_size]) + vendor
    return ev12(0, EV_NO_ACTION, d, bytes(20))


def locality(algs, loc=3):
    return ev2(0, EV_NO_ACTION, b"StartupLocality\0" + bytes([loc]), algs, no_digest=True)


def body(algs):
    return [ev2(0, EV_S_CRTM_VERSION, b"S-CRTM", algs), ev2(4, EV_IPL, b"boot loader", algs),
            ev2(7, EV_SEPARATOR, b"\0\0\0\0", algs), ev2(9, EV_IPL, b"grub.cfg", algs)]


def efi_variable(name, data):
    """UEFI_VARIABLE_DATA: vendor GUID, name and data lengths, UTF-16 name, data."""
    guid = bytes.fromhex("61dfe48bca93d211aa0d00e098032b8c")  # EFI_GLOBAL_VARIABLE
    uname = name.encode("utf-16-le")
    return guid + struct.pack("<QQ", len(name), len(data)) + uname + data


def efi_image(length):
    """UEFI_IMAGE_LOAD_EVENT with an empty device path."""
    return struct.pack("<QQQQ", 0x7e000000, length, 0, 0)


def firmware(algs):
    """The shape of a UEFI boot: every PCR 0-9 extended, separators on 0-7,
    Secure Boot variables on 7, boot loader and kernel on 4, grub on 8/9."""
    ev = [ev2(0, EV_S_CRTM_VERSION, "1.0 S-CRTM".encode("utf-16-le"), algs),
          ev2(0, EV_POST_CODE, b"POST CODE", algs)]
    for var in ("SecureBoot", "PK", "KEK", "db", "dbx"):
        ev.append(ev2(7, EV_EFI_VARIABLE_DRIVER_CONFIG, efi_variable(var, b"\1" + var.encode()), algs))
    ev += [ev2(1, EV_POST_CODE, b"ACPI tables", algs),
           ev2(2, EV_EFI_BOOT_SERVICES_APPLICATION, efi_image(0x10000), algs),
           ev2(3, EV_POST_CODE, b"option ROM config", algs),
           ev2(5, EV_EFI_ACTION, b"Calling EFI Application from Boot Option", algs),
           ev2(6, EV_POST_CODE, b"platform state", algs)]
    ev += [ev2(p, EV_SEPARATOR, b"\0\0\0\0", algs) for p in range(8)]
    ev += [ev2(4, EV_EFI_BOOT_SERVICES_APPLICATION, efi_image(n), algs) for n in (0x1000, 0x2000, 0x3000)]
    # GRUB measures the command, not its "grub_cmd: " prefix or the NUL
    cmd = b"linux /vmlinuz-6.1.0 root=/dev/sda1 ro"
    ev += [ev2(8, EV_IPL, b"grub_cmd: " + cmd + b"\0", algs, measured=cmd),
           ev2(9, EV_IPL, b"/boot/grub/grub.cfg\0", algs),
           ev2(9, EV_IPL, b"/boot/initrd.img-6.1.0\0", algs)]
    return ev


def main():
    case, out = sys.argv[1], sys.argv[2]
    algs = [SHA1, SHA256]
    events = [spec_id(algs), locality(algs)] + body(algs)
    if case == "good":
        pass
    elif case == "firmware":
        events = [spec_id(algs), locality(algs, 0)] + firmware(algs)
    elif case == "no-action-ffffffff":
        # what Windows and some laptop firmware append (e.g. EFI_NO_ACTION records)
        events += [ev2(0xFFFFFFFF, EV_NO_ACTION, b"appended record", algs, no_digest=True),
                   ev2(0xFFFFFFFF, EV_NO_ACTION, b"another one", algs, no_digest=True)]
    elif case == "pcr-out-of-range":
        events.insert(4, ev2(30, EV_IPL, b"no such PCR", algs))
    elif case == "vendor-info-short":
        # vendorInfoSize says 8, EventSize stops after 2 bytes of it
        events[0] = spec_id(algs, b"ab", vendor_size=8)
    elif case == "few-digests":
        events.insert(3, ev2(4, EV_IPL, b"sha1 only", [SHA1]))
    elif case == "algorithm-twice":
        e = ev2(4, EV_IPL, b"sha1 twice", [SHA1, SHA1])
        events.insert(3, e)
    elif case == "late-locality":
        events.insert(3, locality(algs, 0))
    elif case == "spec-id-digest-size":
        bad = [SHA1, (0xB, "sha256", 20)]
        events = [spec_id(bad)] + [ev2(4, EV_IPL, b"x", [SHA1, (0xB, "sha1", 20)])]
    else:
        sys.exit("unknown case " + case)
    off = 0
    for i, e in enumerate(events):
        print(i, off)
        off += len(e)
    with open(out, "wb") as f:
        f.write(b"".join(events))


main()
