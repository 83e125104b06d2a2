// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-keys.c - harness: private keys (PEM/DER, encrypted), certificates and
 * public keys as the library loads them from a file, and what is done with a
 * key once loaded (key id, a signature, the old read_pub_pkey()). */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <openssl/evp.h>

#undef IMAEVM_NO_COMPAT
#include "imaevm.h"
#include "fuzz.h"

static int signing_key(struct imaevm_ctx *ctx, const char *path, const char *password)
{
	struct imaevm_key_params p = { .path = path, .password = password };
	struct imaevm_signing_key *key = NULL;
	struct imaevm_digest d = { .algo = IMAEVM_HASH_SHA256, .len = 32 };
	unsigned char *value;
	size_t len;
	int err;

	err = imaevm_signing_key_load(ctx, &p, &key);
	if (err) {
		FUZZ_ASSERT(err < 0 && !key);
		return err;
	}
	FUZZ_ASSERT(imaevm_signing_key_max_size(key) > 0);
	memset(d.value, 0x5a, d.len);
	if (imaevm_sign_digest(ctx, key, &d, 2, &value, &len) == 0) {
		struct imaevm_xattr_info info;

		FUZZ_ASSERT(len <= 9 + (size_t)imaevm_signing_key_max_size(key));
		FUZZ_ASSERT(imaevm_xattr_parse(value, len, &info) == 0);
		FUZZ_ASSERT(info.keyid == imaevm_signing_key_id(key));
		imaevm_free(value);
	}
	imaevm_signing_key_free(key);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imaevm_ctx *ctx = fuzz_ctx();
	struct imaevm_keyset *ks;
	uint32_t keyid;
	char path[32];
	int fd, n;

	fd = fuzz_file(data, size, path);
	if (fd < 0)
		return 0;
	/* without a password first: an encrypted key then asks for one
	 * (-ENOKEY) and is tried again with it */
	if (signing_key(ctx, path, NULL) == -ENOKEY)
		signing_key(ctx, path, "fuzz");
	if (imaevm_keyset_new(&ks) == 0) {
		n = imaevm_keyset_add_file(ctx, ks, path);
		FUZZ_ASSERT(n < 0 || (size_t)n == imaevm_keyset_count(ks));
		imaevm_keyset_free(ks);
	}
	(void)imaevm_keyid_from_cert(ctx, path, &keyid);
	EVP_PKEY_free(read_pub_pkey(path, 0));
	EVP_PKEY_free(read_pub_pkey(path, 1));
	close(fd);
	return 0;
}
