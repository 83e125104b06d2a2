// SPDX-License-Identifier: GPL-2.0-or-later
/* test-file-state.c - a file that changes while it is read gives -ESTALE, not a digest. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "unit.h"

#define SIZE (256 * 1024)

static int make_file(char *path)
{
	static unsigned char buf[SIZE];
	int fd = mkstemp(path);
	size_t i;

	if (fd < 0)
		return -1;
	for (i = 0; i < SIZE; i++)
		buf[i] = (unsigned char)(i * 7);
	if (write(fd, buf, SIZE) != SIZE || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Read @fd from its offset to EOF; the byte count. */
static uint64_t drain(int fd)
{
	static unsigned char buf[65536];
	uint64_t done = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		done += (uint64_t)n;
	return done;
}

static void file_state(struct imaevm_ctx *ctx, int fd)
{
	struct imaevm_file_state st;

	/* unchanged, read whole */
	CHECK_EQ_INT(imaevm_file_state_begin(ctx, fd, &st), 0);
	CHECK_EQ_INT(st.size, SIZE);
	CHECK_EQ_INT(imaevm_file_state_check(ctx, fd, &st, drain(fd)), 0);
	/* unchanged, read from an offset: not a short read */
	CHECK_EQ_INT(lseek(fd, 100, SEEK_SET), 100);
	CHECK_EQ_INT(imaevm_file_state_check(ctx, fd, &st, drain(fd)), 0);

	/* one byte rewritten in place, size the same; right after the look */
	CHECK_EQ_INT(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ_INT(imaevm_file_state_begin(ctx, fd, &st), 0);
	CHECK_EQ_INT(pwrite(fd, "x", 1, SIZE - 1), 1);
	CHECK_EQ_INT(imaevm_file_state_check(ctx, fd, &st, drain(fd)), -ESTALE);

	/* truncated while read: short read, and a new size */
	CHECK_EQ_INT(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ_INT(imaevm_file_state_begin(ctx, fd, &st), 0);
	CHECK_EQ_INT(ftruncate(fd, SIZE / 2), 0);
	CHECK_EQ_INT(imaevm_file_state_check(ctx, fd, &st, drain(fd)), -ESTALE);

	/* a read that stops short of the size, all else the same */
	CHECK_EQ_INT(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ_INT(imaevm_file_state_begin(ctx, fd, &st), 0);
	CHECK_EQ_INT(lseek(fd, SIZE / 2 - 10, SEEK_SET), SIZE / 2 - 10);
	CHECK_EQ_INT(imaevm_file_state_check(ctx, fd, &st, 0), -ESTALE);
	CHECK_EQ_INT(imaevm_file_state_check(ctx, fd, &st, SIZE / 2 - 10), -ESTALE);
}

static int64_t coarse_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME_COARSE, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * A file changed in the current clock tick: a change later in the same
 * tick would carry the same time stamp, so it is looked at only once the
 * tick is over (its ctime then is not the tick's).  Only kernels without
 * multigrain time stamps (before 6.13) stamp changes with the tick itself,
 * so only there does this see a missing wait.
 */
static void same_tick(struct imaevm_ctx *ctx)
{
	struct imaevm_file_state st;
	char path[] = "/tmp/test-file-state-tick-XXXXXX";
	int i, fd, same = 0;

	for (i = 0; i < 5; i++) {
		fd = mkstemp(path);
		CHECK(fd >= 0);
		if (fd < 0)
			return;
		unlink(path);
		strcpy(path + strlen(path) - 6, "XXXXXX");
		CHECK_EQ_INT(write(fd, "z", 1), 1);
		CHECK_EQ_INT(imaevm_file_state_begin(ctx, fd, &st), 0);
		same += st.ctime_ns == coarse_now();
		close(fd);
	}
	CHECK_EQ_INT(same, 0);
}

/* The multiplexer: a lane whose file changes after it was added. */
static void mux(struct imaevm_ctx *ctx, int fd)
{
	struct imaevm_digest_mux *m = NULL;
	struct imaevm_digest d;
	void *tag = NULL;
	int result = 1;

	CHECK_EQ_INT(imaevm_digest_mux_new(ctx, &m), 0);
	if (!m)
		return;
	CHECK_EQ_INT(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ_INT(imaevm_digest_mux_add(m, fd, IMAEVM_HASH_SHA256, (void *)1), 0);
	CHECK_EQ_INT(pwrite(fd, "y", 1, 0), 1);
	CHECK_EQ_INT(imaevm_digest_mux_next(m, &tag, &d, &result), 1);
	CHECK(tag == (void *)1);
	CHECK_EQ_INT(result, -ESTALE);
	/* left alone, the same file digests (and so does imaevm_digest_fd) */
	CHECK_EQ_INT(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ_INT(imaevm_digest_mux_add(m, fd, IMAEVM_HASH_SHA256, (void *)2), 0);
	CHECK_EQ_INT(imaevm_digest_mux_next(m, &tag, &d, &result), 1);
	CHECK_EQ_INT(result, 0);
	CHECK_EQ_INT(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ_INT(imaevm_digest_fd(ctx, fd, IMAEVM_HASH_SHA256, &d), 0);
	imaevm_digest_mux_free(m);
}

int main(void)
{
	struct imaevm_ctx *ctx = NULL;
	struct imaevm_digest d;
	char path[] = "/tmp/test-file-state-XXXXXX";
	int fd;

	CHECK_EQ_INT(imaevm_ctx_new(&ctx), 0);
	if (!ctx)
		return 99;
	fd = make_file(path);
	if (fd < 0)
		return 99;
	unlink(path);
	file_state(ctx, fd);
	mux(ctx, fd);
	same_tick(ctx);
	close(fd);
	/* files whose size is not their length are not "changed" */
	CHECK_EQ_INT(imaevm_digest_path(ctx, "/proc/self/status", IMAEVM_HASH_SHA256, &d), 0);
	if (access("/sys/kernel/mm/transparent_hugepage/enabled", R_OK) == 0)
		CHECK_EQ_INT(imaevm_digest_path(ctx, "/sys/kernel/mm/transparent_hugepage/enabled",
						IMAEVM_HASH_SHA256, &d), 0);
	CHECK(!strcmp(imaevm_strerror(-ESTALE), "changed while it was read"));
	imaevm_ctx_free(ctx);
	return unit_done("test-file-state");
}
