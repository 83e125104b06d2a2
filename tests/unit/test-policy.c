// SPDX-License-Identifier: GPL-2.0-or-later
/* test-policy.c - unit test of runtime policies: manifests, keylime JSON, the checks, threads sharing one policy. */
#include "config.h"

#include <errno.h>
#include <pthread.h>

#include "imaevm.h"
#include "unit.h"

static const char D1[] = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
static const char D2[] = "fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9";

static struct imaevm_ml_entry file_entry(const char *path, const unsigned char *d, size_t len,
					 int algo)
{
	struct imaevm_ml_entry e = { .index = 5, .pcr = 10, .path = path, .digest = d,
				     .digest_len = len, .digest_algo = algo };
	return e;
}

static void test_manifest(struct imaevm_ctx *ctx)
{
	unsigned char d1[32], d2[32];
	struct imaevm_policy *p;
	struct imaevm_policy_tally t = { 0 };
	struct imaevm_policy_info info = { 0 };
	struct imaevm_ml_entry e;
	char text[512], *why = NULL;

	unhex(D1, d1, sizeof(d1));
	unhex(D2, d2, sizeof(d2));
	snprintf(text, sizeof(text), "# comment\n\nsha256:%s  /bin/a\\040b\r\nsha256:%s  /bin/c\n"
		 "exclude /tmp/*\n", D1, D2);
	CHECK_EQ_INT(imaevm_policy_new(ctx, NULL, &p), 0);
	CHECK_EQ_INT(imaevm_policy_add(p, text, strlen(text), IMAEVM_POLICY_AUTO, &why),
		     IMAEVM_POLICY_MANIFEST);
	CHECK(why == NULL);
	CHECK_EQ_INT(imaevm_policy_get_info(p, &info), 0);
	CHECK_EQ_INT(info.digests, 2);
	CHECK_EQ_INT(info.excludes, 1);
	e = file_entry("/bin/a b", d1, 32, IMAEVM_HASH_SHA256);
	CHECK_EQ_INT(imaevm_policy_check(p, &e, 0, &t), IMAEVM_POLICY_ALLOWED);
	e = file_entry("/bin/a b", d2, 32, IMAEVM_HASH_SHA256);
	CHECK_EQ_INT(imaevm_policy_check(p, &e, 0, &t), IMAEVM_POLICY_DIGEST_MISMATCH);
	CHECK_EQ_INT(imaevm_policy_check(p, &e, IMAEVM_POLICY_SIG_OK, &t),
		     IMAEVM_POLICY_ALLOWED_SIG);
	e = file_entry("/bin/a b", d2, 20, IMAEVM_HASH_SHA1);
	CHECK_EQ_INT(imaevm_policy_check(p, &e, 0, &t), IMAEVM_POLICY_NO_ALGO);
	e = file_entry("/bin/d", d2, 32, IMAEVM_HASH_SHA256);
	CHECK_EQ_INT(imaevm_policy_check(p, &e, 0, &t), IMAEVM_POLICY_UNKNOWN_FILE);
	e = file_entry("/tmp/x", d2, 32, IMAEVM_HASH_SHA256);
	CHECK_EQ_INT(imaevm_policy_check(p, &e, 0, &t), IMAEVM_POLICY_EXCLUDED);
	e = file_entry("boot_aggregate", d2, 32, IMAEVM_HASH_SHA256);
	e.index = 1;
	CHECK_EQ_INT(imaevm_policy_check(p, &e, 0, &t), IMAEVM_POLICY_UNCHECKED);
	CHECK_EQ_INT(t.checked, 6);
	CHECK_EQ_INT(t.allowed, 1);
	CHECK_EQ_INT(t.by_sig, 1);
	CHECK_EQ_INT(t.excluded, 1);
	CHECK_EQ_INT(t.refused, 3);
	CHECK_EQ_INT(imaevm_policy_check(p, &e, 0x80, NULL), -EINVAL);

	/* a bad line refuses the whole text: the good line before it is not added */
	snprintf(text, sizeof(text), "sha256:%s  /bin/new\nsha256:12  /bin/x\n", D1);
	CHECK_EQ_INT(imaevm_policy_add(p, text, strlen(text), IMAEVM_POLICY_MANIFEST, &why),
		     -EBADMSG);
	CHECK(why && !strncmp(why, "line 2: ", 8));
	imaevm_free(why);
	e = file_entry("/bin/new", d1, 32, IMAEVM_HASH_SHA256);
	CHECK_EQ_INT(imaevm_policy_check(p, &e, 0, NULL), IMAEVM_POLICY_UNKNOWN_FILE);
	e = file_entry("/bin/c", d2, 32, IMAEVM_HASH_SHA256);
	CHECK_EQ_INT(imaevm_policy_check(p, &e, 0, NULL), IMAEVM_POLICY_ALLOWED);
	imaevm_policy_free(p);
}

static void test_keylime(struct imaevm_ctx *ctx)
{
	struct imaevm_policy_params params = { .flags = IMAEVM_POLICY_ANY_PATH };
	unsigned char d1[32], d2[32];
	struct imaevm_policy *p;
	struct imaevm_ml_entry e;
	char text[1024], *why = NULL;

	unhex(D1, d1, sizeof(d1));
	unhex(D2, d2, sizeof(d2));
	snprintf(text, sizeof(text), " {\"meta\": {\"version\": 1}, \"release\": 0, "
		 "\"digests\": {\"/bin/a\": [\"%s\"], \"boot_aggregate\": [\"%s\"]}, "
		 "\"excludes\": [\"/var/.*\"], \"keyrings\": {}, \"ima-buf\": {\"dm\": [\"%s\"]}, "
		 "\"ima\": {\"ignored_keyrings\": [], \"log_hash_alg\": \"sha1\", "
		 "\"dm_policy\": null}, \"verification-keys\": \"\"}", D1, D2, D2);
	CHECK_EQ_INT(imaevm_policy_new(ctx, &params, &p), 0);
	CHECK_EQ_INT(imaevm_policy_add(p, text, strlen(text), IMAEVM_POLICY_AUTO, &why),
		     IMAEVM_POLICY_KEYLIME);
	/* keylime digests: any algorithm of their length, any path with ANY_PATH */
	e = file_entry("/bin/a", d1, 32, IMAEVM_HASH_SM3_256);
	CHECK_EQ_INT(imaevm_policy_check(p, &e, 0, NULL), IMAEVM_POLICY_ALLOWED);
	e = file_entry("/bin/other", d1, 32, IMAEVM_HASH_SHA256);
	CHECK_EQ_INT(imaevm_policy_check(p, &e, 0, NULL), IMAEVM_POLICY_ALLOWED);
	e = file_entry("/var/log/x", d2, 32, IMAEVM_HASH_SHA256);
	CHECK_EQ_INT(imaevm_policy_check(p, &e, 0, NULL), IMAEVM_POLICY_EXCLUDED);
	/* excludes are anchored at the start only */
	e = file_entry("/x/var/log", d2, 32, IMAEVM_HASH_SHA256);
	CHECK_EQ_INT(imaevm_policy_check(p, &e, 0, NULL), IMAEVM_POLICY_ALLOWED);
	/* the boot_aggregate is checked under a keylime policy */
	e = file_entry("boot_aggregate", d1, 32, IMAEVM_HASH_SHA256);
	e.index = 1;
	CHECK_EQ_INT(imaevm_policy_check(p, &e, 0, NULL), IMAEVM_POLICY_ALLOWED);
	e = file_entry("/bin/a", d1, 32, IMAEVM_HASH_SHA256);
	e.pcr = 11;
	CHECK_EQ_INT(imaevm_policy_check(p, &e, 0, NULL), IMAEVM_POLICY_NOT_IMA_PCR);
	e = file_entry("dm", d2, 32, IMAEVM_HASH_SHA256);
	e.buf = (const unsigned char *)"not a certificate";
	e.buf_len = 17;
	CHECK_EQ_INT(imaevm_policy_check(p, &e, 0, NULL), IMAEVM_POLICY_ALLOWED);
	e.path = "other";
	CHECK_EQ_INT(imaevm_policy_check(p, &e, 0, NULL), IMAEVM_POLICY_UNKNOWN_BUFFER);

	CHECK_EQ_INT(imaevm_policy_add(p, "{\"meta\": {\"version\": 2}}", 24,
				       IMAEVM_POLICY_KEYLIME, &why), -EOPNOTSUPP);
	CHECK(why && strstr(why, "meta.version 2"));
	imaevm_free(why);
	snprintf(text, sizeof(text), "{\"meta\": {\"version\": 1}, \"digests\": "
		 "{\"/bin/z\": [\"%s\"], \"/bin/y\": [\"SHA\"]}}", D1);
	CHECK_EQ_INT(imaevm_policy_add(p, text, strlen(text), IMAEVM_POLICY_KEYLIME, &why),
		     -EBADMSG);
	CHECK(why && strstr(why, "digests[\"/bin/y\"][0]"));
	imaevm_free(why);
	memset(d2, 0, sizeof(d2));
	e = file_entry("/bin/z", d2, 32, IMAEVM_HASH_SHA256);
	CHECK_EQ_INT(imaevm_policy_check(p, &e, 0, NULL), IMAEVM_POLICY_UNKNOWN_FILE);
	imaevm_policy_free(p);
}

struct worker {
	const struct imaevm_policy *p;
	unsigned char d[32];
	uint64_t allowed;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	struct imaevm_policy_tally t = { 0 };
	char path[32];

	for (int i = 0; i < 20000; i++) {
		struct imaevm_ml_entry e;

		snprintf(path, sizeof(path), "/f%d", i % 1000);
		e = file_entry(path, w->d, 32, IMAEVM_HASH_SHA256);
		imaevm_policy_check(w->p, &e, 0, &t);
	}
	w->allowed = t.allowed;
	return NULL;
}

/* Many rules (the tables grow), and threads checking one policy at once. */
static void test_threads(struct imaevm_ctx *ctx)
{
	struct worker w[4];
	pthread_t th[4];
	struct imaevm_policy *p;
	char *text = malloc(1000 * 100), *o = text;
	unsigned char d1[32];
	int i;

	unhex(D1, d1, sizeof(d1));
	for (i = 0; i < 1000; i++)
		o += sprintf(o, "sha256:%s  /f%d\n", D1, i);
	CHECK_EQ_INT(imaevm_policy_new(ctx, NULL, &p), 0);
	CHECK_EQ_INT(imaevm_policy_add(p, text, (size_t)(o - text), 0, NULL),
		     IMAEVM_POLICY_MANIFEST);
	for (i = 0; i < 4; i++) {
		w[i].p = p;
		memcpy(w[i].d, d1, 32);
		w[i].d[0] ^= (unsigned char)(i & 1);	/* odd workers: a digest not allowed */
		CHECK_EQ_INT(pthread_create(&th[i], NULL, work, &w[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		CHECK_EQ_INT(w[i].allowed, i & 1 ? 0 : 20000);
	}
	imaevm_policy_free(p);
	free(text);
}

static void test_escape(void)
{
	char *out = NULL, s[] = "/a\\134b\\012c", bad[] = "/a\\400", nul[] = "/a\\000";

	CHECK_EQ_INT(imaevm_manifest_path_escape("/x//y/./z\\w\n", &out), 0);
	CHECK(out && !strcmp(out, "/x/y/z\\134w\\012"));
	imaevm_free(out);
	CHECK_EQ_INT(imaevm_manifest_path_escape("/cwd/./d/.", &out), 0);
	CHECK(out && !strcmp(out, "/cwd/d"));
	imaevm_free(out);
	CHECK_EQ_INT(imaevm_manifest_path_unescape(s), 0);
	CHECK(!strcmp(s, "/a\\b\nc"));
	CHECK_EQ_INT(imaevm_manifest_path_unescape(bad), -EBADMSG);
	CHECK_EQ_INT(imaevm_manifest_path_unescape(nul), -EBADMSG);
}

int main(void)
{
	struct imaevm_ctx *ctx;

	if (imaevm_ctx_new(&ctx))
		return 99;
	test_manifest(ctx);
	test_keylime(ctx);
	test_threads(ctx);
	test_escape();
	imaevm_ctx_free(ctx);
	return unit_done("test-policy");
}
