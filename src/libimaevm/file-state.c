// SPDX-License-Identifier: LGPL-2.1-or-later
/* file-state.c - notice a file that changes while its content is read for a digest. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "internal.h"

#ifndef TRACEFS_MAGIC
#define TRACEFS_MAGIC 0x74726163
#endif
#ifndef CONFIGFS_MAGIC
#define CONFIGFS_MAGIC 0x62656570
#endif

/*
 * A write stamps the file with the kernel's coarse clock (the time of the
 * last tick) unless the kernel has multigrain timestamps.  A change made
 * after we looked but in the same tick as the change before it would then
 * leave every field as we saw it.  So a file changed in the current tick
 * is looked at again once the clock has moved on; a file that is still
 * changing after this many ticks is being written, and is not read.
 */
#define BUSY_ROUNDS 4
/* Polls of the coarse clock while waiting for the next tick (1 ms each). */
#define TICK_POLLS 100

#define STATE_MASK (STATX_TYPE | STATX_MODE | STATX_INO | STATX_SIZE | \
		    STATX_MTIME | STATX_CTIME)

static int state_read(int fd, struct imaevm_file_state *s)
{
	struct statx stx;
	struct stat st;

	if (statx(fd, "", AT_EMPTY_PATH | AT_STATX_SYNC_AS_STAT, STATE_MASK, &stx) == 0) {
		/* a field the filesystem does not give stays 0 in both looks */
		*s = (struct imaevm_file_state){ .mode = stx.stx_mode,
						 .known = stx.stx_mask & STATE_MASK };
		if (stx.stx_mask & STATX_INO)
			s->ino = stx.stx_ino;
		if (stx.stx_mask & STATX_SIZE)
			s->size = stx.stx_size;
		if (stx.stx_mask & STATX_MTIME)
			s->mtime_ns = stx.stx_mtime.tv_sec * 1000000000LL + stx.stx_mtime.tv_nsec;
		if (stx.stx_mask & STATX_CTIME)
			s->ctime_ns = stx.stx_ctime.tv_sec * 1000000000LL + stx.stx_ctime.tv_nsec;
		return 0;
	}
	/* no statx (old kernel, a seccomp filter): fstat has the same fields */
	if (errno != ENOSYS && errno != EPERM && errno != EINVAL)
		return -errno;
	if (fstat(fd, &st) < 0)
		return -errno;
	*s = (struct imaevm_file_state){
		.mode = st.st_mode,
		.ino = st.st_ino,
		.size = (uint64_t)st.st_size,
		.mtime_ns = st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec,
		.ctime_ns = st.st_ctim.tv_sec * 1000000000LL + st.st_ctim.tv_nsec,
		.known = STATE_MASK,
	};
	return 0;
}

static int64_t coarse_now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME_COARSE, &ts) < 0)
		return 0;
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Wait until the coarse clock is past @t; false if it does not get there. */
static bool wait_past(int64_t t)
{
	const struct timespec ms = { 0, 1000000 };
	int i;

	for (i = 0; i < TICK_POLLS; i++) {
		if (coarse_now() > t)
			return true;
		nanosleep(&ms, NULL);
	}
	return false;
}

int imaevm_file_state_begin(struct imaevm_ctx *ctx, int fd, struct imaevm_file_state *s)
{
	int64_t before, after;
	int round, err;

	for (round = 0;; round++) {
		before = coarse_now();
		err = state_read(fd, s);
		if (err || !S_ISREG(s->mode))
			return err;
		after = coarse_now();
		/* stamped before this tick (or in the future): a later change shows */
		if (s->ctime_ns < before || s->ctime_ns > after)
			return 0;
		if (round == BUSY_ROUNDS || !wait_past(s->ctime_ns)) {
			imaevm_log(ctx, LOG_INFO, "the file is being written (changed in each of %d clock ticks)",
				   round + 1);
			return -ESTALE;
		}
	}
}

int imaevm_file_state_from_stat(const struct stat *st, struct imaevm_file_state *s)
{
	*s = (struct imaevm_file_state){
		.mode = st->st_mode,
		.ino = st->st_ino,
		.size = (uint64_t)st->st_size,
		.mtime_ns = st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec,
		.ctime_ns = st->st_ctim.tv_sec * 1000000000LL + st->st_ctim.tv_nsec,
		.known = STATE_MASK,
	};
	/*
	 * Reading starts after now: a change during it is stamped in a later
	 * tick than one the caller's look could have missed, and shows.
	 */
	if (!S_ISREG(s->mode) || s->ctime_ns < coarse_now())
		return 0;
	return -EAGAIN;
}

/* Filesystems whose files need not hold as many bytes as their size says. */
static bool size_is_nominal(int fd)
{
	struct statfs sf;

	if (fstatfs(fd, &sf) < 0)
		return false;
	switch ((unsigned long)sf.f_type) {
	case PROC_SUPER_MAGIC:
	case SYSFS_MAGIC:
	case SECURITYFS_MAGIC:
	case DEBUGFS_MAGIC:
	case TRACEFS_MAGIC:
	case CONFIGFS_MAGIC:
	case CGROUP_SUPER_MAGIC:
	case CGROUP2_SUPER_MAGIC:
	case BPF_FS_MAGIC:
	case PSTOREFS_MAGIC:
	case EFIVARFS_MAGIC:
	case SELINUX_MAGIC:
	case SMACK_MAGIC:
	case FUSE_SUPER_MAGIC:
		return true;
	}
	return false;
}

int imaevm_file_state_check(struct imaevm_ctx *ctx, int fd,
			    const struct imaevm_file_state *b, uint64_t done)
{
	struct imaevm_file_state a;
	off_t end;
	int err;

	err = state_read(fd, &a);
	if (err)
		return err;
	/* a field only one look has (the first from the caller's fstat) is not compared */
	a.known &= b->known;
	if (!(a.known & STATX_INO))
		a.ino = b->ino;
	if (!(a.known & STATX_SIZE))
		a.size = b->size;
	if (!(a.known & STATX_MTIME))
		a.mtime_ns = b->mtime_ns;
	if (!(a.known & STATX_CTIME))
		a.ctime_ns = b->ctime_ns;
	if (a.ino != b->ino || a.size != b->size || a.mtime_ns != b->mtime_ns ||
	    a.ctime_ns != b->ctime_ns) {
		imaevm_log(ctx, LOG_INFO, "changed while it was read (size %llu, then %llu%s)",
			   (unsigned long long)b->size, (unsigned long long)a.size,
			   a.mtime_ns != b->mtime_ns || a.ctime_ns != b->ctime_ns ?
			   "; its times changed" : "");
		return -ESTALE;
	}
	/*
	 * The read ended where the size said, as it does from offset 0 (the
	 * usual case, no syscall) or from any offset on an unchanged file.
	 */
	if (!b->size || done == b->size)
		return 0;
	end = lseek(fd, 0, SEEK_CUR);
	if (end >= 0 && (uint64_t)end == b->size)
		return 0;
	if (size_is_nominal(fd))
		return 0;
	imaevm_log(ctx, LOG_INFO, "changed while it was read (%llu bytes read of %llu)",
		   (unsigned long long)done, (unsigned long long)b->size);
	return -ESTALE;
}
