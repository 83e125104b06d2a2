#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# evm-key-blob.py MASTER-KEY-FILE EVM-KEY-FILE - print the "load" argument
# of a kernel encrypted key (format default, master key user:kmk) whose
# decrypted payload is EVM-KEY-FILE, so that the guest can load an evm-key
# whose value the host knows (the kernel lacks CONFIG_USER_DECRYPTED_DATA).
# Layout from the kernel's encrypted-keys documentation and source: keys
# derived as sha256("ENC_KEY\0" | master) and sha256("AUTH_KEY\0" | master),
# AES-256-CBC over the zero-padded payload, hmac(sha256) over
# "default\0user:kmk\0LEN\0" | iv | "\0" | ciphertext.
import hashlib
import hmac
import os
import subprocess
import sys

master = open(sys.argv[1], "rb").read()
payload = open(sys.argv[2], "rb").read()


def derived(label):
    buf = label + b"\0" + master
    buf += bytes(max(len(b"AUTH_KEY") + 1 + len(master), 32) - len(buf))
    return hashlib.sha256(buf).digest()


iv = os.urandom(16)
padded = payload + bytes(-len(payload) % 16)
enc = subprocess.run(["openssl", "enc", "-aes-256-cbc", "-nopad", "-K", derived(b"ENC_KEY").hex(),
                      "-iv", iv.hex()], input=padded, capture_output=True, check=True).stdout
datalen = str(len(payload)).encode()
blob = b"default\0user:kmk\0" + datalen + b"\0" + iv + b"\0" + enc
mac = hmac.new(derived(b"AUTH_KEY"), blob, hashlib.sha256).digest()
print("load default user:kmk %d %s" % (len(payload), (iv + b"\0" + enc + mac).hex()))
