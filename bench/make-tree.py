#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# make-tree.py DIR [FILES] - a deterministic tree with a realistic size mix:
# mostly small files, some medium, a few multi-megabyte ones (~2 GB for 50k).
import os
import random
import sys

root = sys.argv[1]
files = int(sys.argv[2]) if len(sys.argv) > 2 else 50000
rng = random.Random(20261123)
# (share of files, min size, max size)
classes = [(0.90, 1, 16 << 10), (0.09, 16 << 10, 256 << 10),
           (0.009, 256 << 10, 2 << 20), (0.001, 2 << 20, 16 << 20)]
total = 0
for i in range(files):
    r = rng.random()
    acc = 0.0
    for share, lo, hi in classes:
        acc += share
        if r < acc:
            break
    size = rng.randint(lo, hi)
    d = os.path.join(root, "d%02d" % (i % 50), "s%03d" % (i // 50 % 20))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%06d" % i), "wb") as f:
        f.write(rng.randbytes(size))
    total += size
print("%d files, %.2f GB" % (files, total / 1e9))
