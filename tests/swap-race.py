#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# swap-race.py swap DIR SECONDS | check DIR XATTR
#  swap:  exchange DIR/a and DIR/b atomically (renameat2 RENAME_EXCHANGE) in a
#         tight loop for SECONDS, so a tool that hashes by one lookup and
#         labels by another can put one file's digest on the other.
#  check: for each name, open it once and compare the label of that inode
#         with the digest of that inode's content; print "ok", "none" or
#         "WRONG" per file.
import ctypes
import hashlib
import os
import sys
import time

RENAME_EXCHANGE = 2


def swap(d, secs):
    libc = ctypes.CDLL(None, use_errno=True)
    a, b = os.path.join(d, "a").encode(), os.path.join(d, "b").encode()
    end = time.monotonic() + secs
    n = 0
    while time.monotonic() < end:
        if libc.renameat2(-100, a, -100, b, RENAME_EXCHANGE) != 0:
            sys.exit("renameat2: %s" % os.strerror(ctypes.get_errno()))
        n += 1
    print(n)


def check(d, xattr):
    for name in ("a", "b"):
        fd = os.open(os.path.join(d, name), os.O_RDONLY)
        try:
            h = hashlib.sha256()
            while chunk := os.read(fd, 1 << 20):
                h.update(chunk)
            try:
                label = os.getxattr(fd, xattr)
            except OSError:
                print("none")
                continue
            print("ok" if label == b"\x04\x04" + h.digest() else "WRONG")
        finally:
            os.close(fd)


if sys.argv[1] == "swap":
    swap(sys.argv[2], float(sys.argv[3]))
else:
    check(sys.argv[2], sys.argv[3])
