// SPDX-License-Identifier: GPL-2.0-or-later
/* test-evm.c - EVM digest and HMAC of fixed inputs against values from evmctl 1.4 and Python. */
#include "config.h"

#include <errno.h>
#include <sys/stat.h>

#include "imaevm.h"
#include "unit.h"

static void check_hex(const struct imaevm_digest *d, const char *hex)
{
	unsigned char want[IMAEVM_MAX_DIGEST_SIZE];
	size_t n = unhex(hex, want, sizeof(want));

	CHECK_EQ_INT(d->len, n);
	CHECK(!memcmp(d->value, want, n));
}

int main(void)
{
	static const unsigned char ima[] = { 0x04, 0x01, 0xaa };
	struct imaevm_evm_input in;
	struct imaevm_digest d;
	struct imaevm_ctx *ctx;
	unsigned char uuid[IMAEVM_UUID_SIZE];
	unsigned char key[129] = { 0 };

	CHECK_EQ_INT(imaevm_ctx_new(&ctx), 0);

	/* inode 12, generation 0x9cd4061a, root, mode 0100644, no xattrs */
	imaevm_evm_input_init(&in, 0);
	CHECK_EQ_INT(in.n_xattrs, 5);
	in.ino = 12;
	in.generation = 0x9cd4061a;
	in.mode = 0100644;
	in.layout = IMAEVM_EVM_M64;
	CHECK_EQ_INT(imaevm_evm_digest(ctx, &in, IMAEVM_XATTR_DIGSIG, IMAEVM_HASH_SHA256, &d), 0);
	check_hex(&d, "180967f2c24d41ea6c86ec187d097e3c69072db361bbc2ba8289c3600af11b4f");
	in.layout = IMAEVM_EVM_M32;
	CHECK_EQ_INT(imaevm_evm_digest(ctx, &in, IMAEVM_XATTR_DIGSIG, IMAEVM_HASH_SHA256, &d), 0);
	check_hex(&d, "5b8f3d1d5c1383f0965cc84b8ea51c7a7093a7e61fbf5a2d39e637ef0f222c40");

	/* with a UUID */
	in.layout = IMAEVM_EVM_M64;
	CHECK_EQ_INT(imaevm_uuid_parse("00112233-4455-6677-8899-aabbccddeeff", uuid), 0);
	memcpy(in.uuid, uuid, sizeof(uuid));
	in.has_uuid = 1;
	CHECK_EQ_INT(imaevm_evm_digest(ctx, &in, IMAEVM_XATTR_DIGSIG, IMAEVM_HASH_SHA256, &d), 0);
	check_hex(&d, "efe203b00797bc5aed442e637a82271a1618cfa037745edcd32341453349c68d");

	/* portable: needs security.ima, ignores inode, generation and UUID */
	CHECK_EQ_INT(imaevm_evm_digest(ctx, &in, IMAEVM_XATTR_PORTABLE_DIGSIG,
				       IMAEVM_HASH_SHA256, &d), -ENODATA);
	CHECK_EQ_INT(imaevm_evm_input_set_xattr(&in, "security.ima", ima, sizeof(ima)), 0);
	CHECK_EQ_INT(imaevm_evm_input_set_xattr(&in, "security.SMACK64EXEC", ima, 1), -ENOENT);
	CHECK_EQ_INT(imaevm_evm_digest(ctx, &in, IMAEVM_XATTR_PORTABLE_DIGSIG,
				       IMAEVM_HASH_SHA256, &d), 0);
	/* python3: sha256(bytes.fromhex('0401aa') + struct.pack('=QIIIH2x', 0, 0, 0, 0, 0o100644)) */
	check_hex(&d, "ff07728fec9a883decb556c3d4d077ecbf89b39a408be681a6bb6cb75b8f9024");

	/* a stated mode: the generation follows the stated type */
	{
		struct imaevm_evm_input m = in;

		m.generation = 7;
		CHECK_EQ_INT(imaevm_evm_input_set_mode(&m, S_IFDIR | 0755), 0);
		CHECK_EQ_INT(m.mode, S_IFDIR | 0755);
		CHECK_EQ_INT(m.generation, 7);
		CHECK_EQ_INT(imaevm_evm_input_set_mode(&m, S_IFREG | 0600), 0);
		CHECK_EQ_INT(m.generation, 7);
		CHECK_EQ_INT(imaevm_evm_input_set_mode(&m, S_IFLNK | 0777), 0);
		CHECK_EQ_INT(m.mode, S_IFLNK | 0777);
		CHECK_EQ_INT(m.generation, 0);
		CHECK_EQ_INT(imaevm_evm_input_set_mode(NULL, 0), -EINVAL);
	}

	/* HMAC: key zero-padded to 128 bytes; python3 hmac.new(b'k'.ljust(128, b'\0'), data, 'sha1') */
	key[0] = 'k';
	CHECK_EQ_INT(imaevm_evm_hmac(ctx, &in, key, 1, &d), 0);
	CHECK_EQ_INT(d.algo, IMAEVM_HASH_SHA1);
	check_hex(&d, "722399449f2748a46a25a74e02d45a683999f931");
	{
		struct imaevm_digest d2;

		/* explicit zero padding gives the same HMAC */
		CHECK_EQ_INT(imaevm_evm_hmac(ctx, &in, key, 128, &d2), 0);
		CHECK(!memcmp(d.value, d2.value, 20));
	}
	CHECK_EQ_INT(imaevm_evm_hmac(ctx, &in, key, 129, &d), -EINVAL);

	CHECK_EQ_INT(imaevm_uuid_parse("0011223344556677", uuid), -EINVAL);
	CHECK_EQ_INT(imaevm_uuid_parse("00112233445566778899aabbccddeeffa", uuid), -EINVAL);
	CHECK_EQ_INT(imaevm_uuid_parse("00112233445566778899aabbccddeexx", uuid), -EINVAL);
	CHECK_EQ_INT(imaevm_evm_digest(ctx, &in, IMAEVM_XATTR_HMAC, IMAEVM_HASH_SHA256, &d), -EINVAL);

	imaevm_ctx_free(ctx);
	return unit_done("test-evm");
}
