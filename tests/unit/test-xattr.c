// SPDX-License-Identifier: GPL-2.0-or-later
/* test-xattr.c - security.ima/evm value encoding and parsing, incl. malformed. */
#include "config.h"

#include <errno.h>

#include "imaevm.h"
#include "unit.h"

static int parse_hex(const char *hex, struct imaevm_xattr_info *info,
		     unsigned char *buf, size_t max)
{
	size_t n = unhex(hex, buf, max);

	return imaevm_xattr_parse(buf, n, info);
}

static void test_encode(void)
{
	struct imaevm_digest d = { .algo = IMAEVM_HASH_SHA256, .len = 32 };
	unsigned char *v = NULL;
	size_t len = 0;

	memset(d.value, 0xab, d.len);
	CHECK_EQ_INT(imaevm_xattr_encode_digest(&d, &v, &len), 0);
	CHECK_EQ_INT(len, 34);
	CHECK(v && v[0] == 0x04 && v[1] == 4 && v[2] == 0xab && v[33] == 0xab);
	imaevm_free(v);

	d.algo = IMAEVM_HASH_SHA1;
	d.len = 20;
	CHECK_EQ_INT(imaevm_xattr_encode_digest(&d, &v, &len), 0);
	CHECK_EQ_INT(len, 21);
	CHECK(v && v[0] == 0x01 && v[1] == 0xab);
	imaevm_free(v);

	/* sha1 ending in four zeros: legacy form would read back as md5 */
	memset(d.value + 16, 0, 4);
	CHECK_EQ_INT(imaevm_xattr_encode_digest(&d, &v, &len), 0);
	CHECK_EQ_INT(len, 22);
	CHECK(v && v[0] == 0x04 && v[1] == IMAEVM_HASH_SHA1);
	imaevm_free(v);
	memset(d.value, 0xab, sizeof(d.value));

	d.algo = IMAEVM_HASH_SM3_256;
	d.len = 32;
	CHECK_EQ_INT(imaevm_xattr_encode_digest(&d, &v, &len), 0);
	CHECK(v && v[0] == 0x04 && v[1] == 17);
	imaevm_free(v);

	/* length that does not fit the algorithm */
	d.len = 20;
	v = NULL;
	CHECK_EQ_INT(imaevm_xattr_encode_digest(&d, &v, &len), -EINVAL);
	CHECK(v == NULL);
	d.algo = 77;
	CHECK_EQ_INT(imaevm_xattr_encode_digest(&d, &v, &len), -EINVAL);
	CHECK_EQ_INT(imaevm_xattr_encode_digest(NULL, &v, &len), -EINVAL);
	imaevm_free(NULL);
}

static void test_parse_digests(void)
{
	struct imaevm_xattr_info info;
	unsigned char buf[1024];

	/* sha1 of "abc", as evmctl 1.4 writes it */
	CHECK_EQ_INT(parse_hex("01a9993e364706816aba3e25717850c26c9cd0d89d", &info, buf, sizeof(buf)), 0);
	CHECK_EQ_INT(info.type, IMAEVM_XATTR_DIGEST);
	CHECK_EQ_INT(info.hash_algo, IMAEVM_HASH_SHA1);
	CHECK_EQ_INT(info.digest_len, 20);
	CHECK(info.digest == buf + 1);
	/* md5 in the legacy form, both lengths the kernel accepts */
	CHECK_EQ_INT(parse_hex("01900150983cd24fb0d6963f7d28e17f72", &info, buf, sizeof(buf)), 0);
	CHECK_EQ_INT(info.hash_algo, IMAEVM_HASH_MD5);
	CHECK_EQ_INT(parse_hex("01900150983cd24fb0d6963f7d28e17f7200000000", &info, buf, sizeof(buf)), 0);
	CHECK_EQ_INT(info.hash_algo, IMAEVM_HASH_MD5);
	/* digest-ng sha256 */
	CHECK_EQ_INT(parse_hex("0404ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", &info, buf, sizeof(buf)), 0);
	CHECK_EQ_INT(info.type, IMAEVM_XATTR_DIGEST_NG);
	CHECK_EQ_INT(info.hash_algo, IMAEVM_HASH_SHA256);
	CHECK_EQ_INT(info.digest_len, 32);
	/* truncated, overlong, unknown algorithm */
	CHECK_EQ_INT(parse_hex("0404ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f200", &info, buf, sizeof(buf)), -EBADMSG);
	CHECK_EQ_INT(parse_hex("0404ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015adff", &info, buf, sizeof(buf)), -EBADMSG);
	CHECK_EQ_INT(parse_hex("04630000", &info, buf, sizeof(buf)), -EOPNOTSUPP);
	CHECK_EQ_INT(parse_hex("04", &info, buf, sizeof(buf)), -EBADMSG);
	CHECK_EQ_INT(parse_hex("01aabb", &info, buf, sizeof(buf)), -EBADMSG);
	CHECK_EQ_INT(imaevm_xattr_parse(buf, 0, &info), -EBADMSG);
	CHECK_EQ_INT(parse_hex("07aabb", &info, buf, sizeof(buf)), -EBADMSG);
	CHECK_EQ_INT(parse_hex("00aabb", &info, buf, sizeof(buf)), -EBADMSG);
	/* HMAC: exactly 20 bytes of sha1 */
	CHECK_EQ_INT(parse_hex("02a9993e364706816aba3e25717850c26c9cd0d89d", &info, buf, sizeof(buf)), 0);
	CHECK_EQ_INT(info.type, IMAEVM_XATTR_HMAC);
	CHECK_EQ_INT(parse_hex("02a9993e36", &info, buf, sizeof(buf)), -EBADMSG);
}

static void test_parse_signatures(void)
{
	struct imaevm_xattr_info info;
	unsigned char buf[1024];

	/* v2: type 03, version 02, sha256, key id 11223344, size 0004, sig */
	CHECK_EQ_INT(parse_hex("030204112233440004deadbeef", &info, buf, sizeof(buf)), 0);
	CHECK_EQ_INT(info.type, IMAEVM_XATTR_DIGSIG);
	CHECK_EQ_INT(info.sig_version, 2);
	CHECK_EQ_INT(info.hash_algo, IMAEVM_HASH_SHA256);
	CHECK_EQ_INT(info.keyid, 0x11223344);
	CHECK_EQ_INT(info.sig_len, 4);
	CHECK(info.sig == buf + 9);
	/* size field larger / smaller than the value */
	CHECK_EQ_INT(parse_hex("030204112233440005deadbeef", &info, buf, sizeof(buf)), -EBADMSG);
	CHECK_EQ_INT(parse_hex("030204112233440003deadbeef", &info, buf, sizeof(buf)), -EBADMSG);
	CHECK_EQ_INT(parse_hex("030204112233440000", &info, buf, sizeof(buf)), -EBADMSG);
	CHECK_EQ_INT(parse_hex("0302041122", &info, buf, sizeof(buf)), -EBADMSG);
	/* unknown hash id, unknown version */
	CHECK_EQ_INT(parse_hex("030263112233440004deadbeef", &info, buf, sizeof(buf)), -EOPNOTSUPP);
	CHECK_EQ_INT(parse_hex("030904112233440004deadbeef", &info, buf, sizeof(buf)), -EBADMSG);
	/* portable (05, v2) and verity (06, v3) */
	CHECK_EQ_INT(parse_hex("050206aabbccdd0002cafe", &info, buf, sizeof(buf)), 0);
	CHECK_EQ_INT(info.type, IMAEVM_XATTR_PORTABLE_DIGSIG);
	CHECK_EQ_INT(info.hash_algo, IMAEVM_HASH_SHA512);
	CHECK_EQ_INT(parse_hex("060304aabbccdd0002cafe", &info, buf, sizeof(buf)), 0);
	CHECK_EQ_INT(info.type, IMAEVM_XATTR_VERITY_DIGSIG);
	CHECK_EQ_INT(info.sig_version, 3);
	CHECK_EQ_INT(parse_hex("060204aabbccdd0002cafe", &info, buf, sizeof(buf)), -EBADMSG);
	/* v1: type, version 1, time, RSA, sha1 (0), keyid[8], nmpi 1, MPI of 16 bits */
	CHECK_EQ_INT(parse_hex("0301000000000000" "0102030405060708" "01" "0010abcd", &info, buf, sizeof(buf)), 0);
	CHECK_EQ_INT(info.sig_version, 1);
	CHECK_EQ_INT(info.hash_algo, IMAEVM_HASH_SHA1);
	/* v1 numbers sha256 as 1 (its own digest_algo list, not the kernel's) */
	CHECK_EQ_INT(parse_hex("0301000000000001" "0102030405060708" "01" "0010abcd", &info, buf, sizeof(buf)), 0);
	CHECK_EQ_INT(info.hash_algo, IMAEVM_HASH_SHA256);
	CHECK_EQ_INT(parse_hex("0301000000000002" "0102030405060708" "01" "0010abcd", &info, buf, sizeof(buf)), -EOPNOTSUPP);
	CHECK(info.keyid_v1 == buf + 8);
	CHECK_EQ_INT(info.sig_len, 4);
	/* MPI longer than the value */
	CHECK_EQ_INT(parse_hex("0301000000000002" "0102030405060708" "01" "0018abcd", &info, buf, sizeof(buf)), -EBADMSG);
}

static void test_evm_values(void)
{
	struct imaevm_xattr_info info;
	struct imaevm_digest h = { .algo = IMAEVM_HASH_SHA1, .len = 20 };
	unsigned char *v = NULL, buf[64];
	size_t len = 0, i;

	for (i = 0; i < 20; i++)
		h.value[i] = (unsigned char)(0xa0 + i);
	CHECK_EQ_INT(imaevm_xattr_encode_hmac(&h, &v, &len), 0);
	CHECK_EQ_INT(len, 21);
	CHECK(v[0] == 0x02 && !memcmp(v + 1, h.value, 20));
	CHECK_EQ_INT(imaevm_xattr_parse(v, len, &info), 0);
	CHECK_EQ_INT(info.type, IMAEVM_XATTR_HMAC);
	imaevm_free(v);
	h.algo = IMAEVM_HASH_SHA256;
	h.len = 32;
	CHECK_EQ_INT(imaevm_xattr_encode_hmac(&h, &v, &len), -EINVAL);
	CHECK_EQ_INT(imaevm_xattr_encode_hmac(NULL, &v, &len), -EINVAL);

	/* the immutable form: 03 03, then the v2 layout */
	memcpy(buf, "\x03\x03\x04\xaa\xbb\xcc\xdd\x00\x02\xca\xfe", 11);
	CHECK_EQ_INT(imaevm_xattr_parse(buf, 11, &info), -EBADMSG);
	CHECK_EQ_INT(imaevm_evm_sig_parse(buf, 11, &info), 0);
	CHECK_EQ_INT(info.type, IMAEVM_EVM_IMMUTABLE_DIGSIG);
	CHECK_EQ_INT(info.sig_version, 3);
	CHECK_EQ_INT(info.hash_algo, IMAEVM_HASH_SHA256);
	CHECK_EQ_INT(info.keyid, 0xaabbccdd);
	CHECK_EQ_INT(info.sig_len, 2);
	CHECK_EQ_INT(imaevm_evm_sig_parse(buf, 10, &info), -EBADMSG);	/* size says 2 */
	/* everything else as imaevm_xattr_parse() */
	buf[1] = 2;
	CHECK_EQ_INT(imaevm_evm_sig_parse(buf, 11, &info), 0);
	CHECK_EQ_INT(info.type, IMAEVM_XATTR_DIGSIG);
	CHECK_EQ_INT(info.sig_version, 2);
	buf[0] = 0x05;
	CHECK_EQ_INT(imaevm_evm_sig_parse(buf, 11, &info), 0);
	CHECK_EQ_INT(info.type, IMAEVM_XATTR_PORTABLE_DIGSIG);
	CHECK_EQ_INT(imaevm_evm_sig_parse(buf, 1, &info), -EBADMSG);
	CHECK_EQ_INT(imaevm_evm_sig_parse(NULL, 0, NULL), -EINVAL);
}

int main(void)
{
	test_encode();
	test_parse_digests();
	test_parse_signatures();
	test_evm_values();
	return unit_done("test-xattr");
}
