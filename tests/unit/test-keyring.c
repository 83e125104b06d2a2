// SPDX-License-Identifier: GPL-2.0-or-later
/* test-keyring.c - keyring specifications and certificate checks that fail before the kernel is asked. */
#include "config.h"

#include <errno.h>

#include "imaevm.h"
#include "unit.h"

int main(void)
{
	static const char not_a_cert[] = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
	static const unsigned char der_junk[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };
	struct imaevm_ctx *ctx;
	int32_t serial = 12345, key = 0;

	CHECK_EQ_INT(imaevm_ctx_new(&ctx), 0);
	CHECK_EQ_INT(imaevm_keyring_find(ctx, "", &serial), -EINVAL);
	CHECK_EQ_INT(imaevm_keyring_find(ctx, "@x", &serial), -EINVAL);
	CHECK_EQ_INT(imaevm_keyring_find(ctx, "@", &serial), -EINVAL);
	CHECK_EQ_INT(imaevm_keyring_find(ctx, "%user:foo", &serial), -EINVAL);
	CHECK_EQ_INT(imaevm_keyring_find(ctx, "%keyring", &serial), -EINVAL);
	CHECK_EQ_INT(imaevm_keyring_find(ctx, "%keyring:", &serial), -EINVAL);
	CHECK_EQ_INT(imaevm_keyring_find(ctx, "0", &serial), -EINVAL);
	CHECK_EQ_INT(imaevm_keyring_find(ctx, "-3", &serial), -EINVAL);
	CHECK_EQ_INT(imaevm_keyring_find(ctx, "99999999999", &serial), -EINVAL);
	CHECK_EQ_INT(imaevm_keyring_find(ctx, NULL, &serial), -EINVAL);
	CHECK_EQ_INT(serial, 12345);	/* untouched on failure */

	CHECK_EQ_INT(imaevm_keyring_import_cert(ctx, not_a_cert, sizeof(not_a_cert) - 1,
						-3, &key), -EBADMSG);
	CHECK_EQ_INT(imaevm_keyring_import_cert(ctx, der_junk, sizeof(der_junk), -3, &key),
		     -EBADMSG);
	CHECK_EQ_INT(imaevm_keyring_import_cert(ctx, der_junk, 0, -3, &key), -EINVAL);
	CHECK_EQ_INT(imaevm_keyring_import_rsa_v1(ctx, der_junk, sizeof(der_junk), -3, &key),
		     -EBADMSG);
	CHECK_EQ_INT(key, 0);

	imaevm_ctx_free(ctx);
	return unit_done("test-keyring");
}
