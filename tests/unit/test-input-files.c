// SPDX-License-Identifier: GPL-2.0-or-later
/* test-input-files.c - the library's file inputs refuse a FIFO, a device and an over-cap file without blocking. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "imaevm.h"
#include "imaevm-compat.h"
#include "unit.h"

/* A regression blocks in open(): the alarm turns it into a failure. */
static void timed_out(int sig)
{
	static const char msg[] = "test-input-files: blocked on a FIFO (timed out)\n";

	(void)sig;
	(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
	_exit(1);
}

static void check_path(struct imaevm_ctx *ctx, const char *path, int want)
{
	struct imaevm_key_params kp = { .path = path };
	struct imaevm_signing_key *key = NULL;
	struct imaevm_keyset *ks = NULL;
	struct imaevm_evlog *log = NULL;
	struct imaevm_pcrs pcrs;
	uint32_t keyid = 0;

	memset(&pcrs, 0, sizeof(pcrs));
	CHECK_EQ_INT(imaevm_signing_key_load(ctx, &kp, &key), want);
	CHECK(key == NULL);
	CHECK_EQ_INT(imaevm_keyid_from_cert(ctx, path, &keyid), want);
	CHECK_EQ_INT(imaevm_keyset_new(&ks), 0);
	CHECK_EQ_INT(imaevm_keyset_add_file(ctx, ks, path), want);
	CHECK_EQ_INT(imaevm_keyset_count(ks), 0);
	imaevm_keyset_free(ks);
	if (want == -ENODEV) {
		/* the attestation inputs: not regular, so not read */
		CHECK_EQ_INT(imaevm_evlog_open(ctx, path, &log), -ENODEV);
		CHECK_EQ_INT(imaevm_pcrs_read_file(ctx, path, IMAEVM_HASH_SHA1, &pcrs), -ENODEV);
		/* the old API's public key reader */
		CHECK(read_pub_pkey(path, 1) == NULL);
		CHECK(read_pub_pkey(path, 0) == NULL);
	}
}

int main(void)
{
	char dir[] = "/tmp/test-input-files.XXXXXX", fifo[64], big[64], uri[80];
	struct imaevm_key_params kp = { 0 };
	struct imaevm_signing_key *key = NULL;
	struct imaevm_ctx *ctx = NULL;
	FILE *f;

	signal(SIGALRM, timed_out);
	alarm(30);
	if (!mkdtemp(dir) || imaevm_ctx_new(&ctx)) {
		fprintf(stderr, "set-up failed\n");
		return 99;
	}
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(big, sizeof(big), "%s/big", dir);
	f = fopen(big, "w");
	if (f)
		fclose(f);
	if (mkfifo(fifo, 0600) || !f || truncate(big, IMAEVM_KEY_FILE_MAX + 1)) {
		fprintf(stderr, "set-up failed: %s\n", strerror(errno));
		return 99;
	}

	check_path(ctx, fifo, -ENODEV);		/* would block in open() */
	check_path(ctx, "/dev/null", -ENODEV);	/* a device */
	check_path(ctx, dir, -ENODEV);		/* a directory */
	check_path(ctx, big, -EFBIG);		/* one byte over the cap */

	/* a file: URI goes to OSSL_STORE, which would open the FIFO blocking */
	snprintf(uri, sizeof(uri), "file:%s", fifo);
	kp.path = uri;
	CHECK_EQ_INT(imaevm_signing_key_load(ctx, &kp, &key), -ENODEV);
	snprintf(uri, sizeof(uri), "file://%s", fifo);
	CHECK_EQ_INT(imaevm_signing_key_load(ctx, &kp, &key), -ENODEV);

	unlink(fifo);
	unlink(big);
	rmdir(dir);
	imaevm_ctx_free(ctx);
	return unit_done("test-input-files");
}
