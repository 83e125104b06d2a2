#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# torn-writer.py - change a file while others read it, between two versions
# only, so that every consistent read of it has one of two digests.
#
#   torn-writer.py flip FILE MAX_PAUSE_MS      first and last byte: both 'A', then both 'B', ...
#                                              (never 'A' first and 'B' last, even for a moment)
#   torn-writer.py truncate FILE MAX_PAUSE_MS  cut to half its size, then back whole, ...
#
# Runs until killed (SIGTERM), pausing a random 0..MAX_PAUSE_MS between
# changes so that some reads fall between changes and some across them.
# Before it starts, FILE must be in the first version ('A' ends; whole).
import os
import random
import signal
import sys
import time

stop = False


def on_term(signum, frame):
    global stop
    stop = True


def main():
    mode, path, pause = sys.argv[1], sys.argv[2], float(sys.argv[3]) / 1000.0
    signal.signal(signal.SIGTERM, on_term)
    fd = os.open(path, os.O_WRONLY)
    size = os.fstat(fd).st_size
    rng = random.Random(size)
    n = 0
    # ready: the test waits for this line before it starts the readers
    print("ready", flush=True)
    while not stop:
        n += 1
        if mode == "flip" and n % 2:
            os.pwrite(fd, b"B", 0)
            os.pwrite(fd, b"B", size - 1)
        elif mode == "flip":
            # last byte first: the file is never 'A' first and 'B' last
            os.pwrite(fd, b"A", size - 1)
            os.pwrite(fd, b"A", 0)
        elif n % 2:
            os.ftruncate(fd, size // 2)
        else:
            os.ftruncate(fd, size)
            os.pwrite(fd, b"A", size - 1)
        time.sleep(rng.uniform(0, pause))
    # leave it in the first version: whole, 'A' at both ends
    if mode == "flip":
        os.pwrite(fd, b"A", size - 1)
        os.pwrite(fd, b"A", 0)
    else:
        os.ftruncate(fd, size)
        os.pwrite(fd, b"A", size - 1)
    os.close(fd)
    print(f"changes {n}", flush=True)


if __name__ == "__main__":
    main()
