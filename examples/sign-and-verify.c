// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sign-and-verify.c - libimaevm example: sign a file's sha256 digest as
 * evmctl ima_sign would, print the security.ima value in hex, and verify
 * it with a certificate.  Build: make -C examples (uses pkg-config).
 *
 * usage: sign-and-verify PRIVATE-KEY CERTIFICATE FILE
 */
#define IMAEVM_NO_COMPAT	/* the new, thread-safe API only */
#include <imaevm.h>
#include <stdio.h>
#include <syslog.h>

static void log_stderr(void *opaque, int priority, const char *msg)
{
	(void)opaque;
	(void)priority;
	fprintf(stderr, "libimaevm: %s\n", msg);
}

int main(int argc, char **argv)
{
	struct imaevm_key_params kp = { 0 };
	struct imaevm_signing_key *key = NULL;
	struct imaevm_keyset *ks = NULL;
	struct imaevm_verify_result vr;
	struct imaevm_ctx *ctx = NULL;
	struct imaevm_digest d;
	unsigned char *value = NULL;
	size_t len = 0, i;
	int err, ret = 1;

	if (argc != 4) {
		fprintf(stderr, "usage: %s PRIVATE-KEY CERTIFICATE FILE\n", argv[0]);
		return 2;
	}
	err = imaevm_ctx_new(&ctx);
	if (err)
		goto out;
	imaevm_ctx_set_log(ctx, log_stderr, NULL, LOG_ERR);

	/* load the key once; it may sign any number of digests, from any thread */
	kp.path = argv[1];
	err = imaevm_signing_key_load(ctx, &kp, &key);
	if (err)
		goto out;
	err = imaevm_digest_path(ctx, argv[3], IMAEVM_HASH_SHA256, &d);
	if (err)
		goto out;
	err = imaevm_sign_digest(ctx, key, &d, 2, &value, &len);
	if (err)
		goto out;
	for (i = 0; i < len; i++)
		printf("%02x", value[i]);
	printf("\n");

	/* a read-only key set, shareable between threads once loaded */
	err = imaevm_keyset_new(&ks);
	if (!err && (err = imaevm_keyset_add_file(ctx, ks, argv[2])) > 0)
		err = imaevm_verify_digest(ctx, ks, value, len, &d, &vr);
	if (err)
		goto out;
	printf("verified with key %08x\n", (unsigned int)vr.keyid);
	ret = 0;
out:
	if (err)
		fprintf(stderr, "%s: %s\n", argv[0], imaevm_strerror(err));
	imaevm_free(value);
	imaevm_keyset_free(ks);
	imaevm_signing_key_free(key);
	imaevm_ctx_free(ctx);
	return ret;
}
