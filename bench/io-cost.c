// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * io-cost.c - what the kernel costs a labelling job that neither hashes nor
 * signs: the walk (openat, getdents, fstatat per entry), then per regular
 * file on a pool of threads what evmctl does (open O_NOATIME, fstat, read
 * to EOF in 128 KiB reads, statx after the read, one xattr write or read,
 * close).  The bound of bench/real-tree.sh is built from it.
 *
 * Usage: io-cost [-j THREADS] [-n] [-g] DIR
 *   -n  do not read the content (the per-file cost alone)
 *   -g  read the xattr instead of writing it (as a verification does)
 * Prints: files bytes wall_s cpu_s (user + system of the whole process).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "file-list.h"

#define CHUNK (128 * 1024)
#define XATTR "user.iocost"

static int no_read, get_xattr;

static void one(const struct file *f, unsigned char *buf)
{
	static const unsigned char value[34] = { 0x04, 0x04 };
	struct statx sx;
	struct stat st;
	ssize_t n;
	int fd;

	fd = openat(f->dirfd, f->name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
		    O_CLOEXEC | O_NOATIME);
	if (fd < 0)
		return;
	fstat(fd, &st);
	if (!no_read) {
		unsigned long long got = 0;

		while ((n = read(fd, buf, CHUNK)) > 0) {
			got += (unsigned long long)n;
			if ((size_t)n < CHUNK && got == (unsigned long long)st.st_size)
				break;
		}
		atomic_fetch_add(&total_bytes, got);
		statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx);
	}
	if (get_xattr) {
		unsigned char v[600];

		fgetxattr(fd, XATTR, v, sizeof(v));
	} else {
		fsetxattr(fd, XATTR, value, sizeof(value), 0);
	}
	close(fd);
}

static void *worker(void *arg)
{
	unsigned char *buf = malloc(CHUNK);
	size_t i;

	(void)arg;
	if (!buf)
		return NULL;
	while ((i = atomic_fetch_add(&next_file, 1)) < nfiles)
		one(&files[i], buf);
	free(buf);
	return NULL;
}

int main(int argc, char **argv)
{
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	int c;

	while ((c = getopt(argc, argv, "j:ng")) != -1) {
		switch (c) {
		case 'j':
			jobs = strtol(optarg, NULL, 10);
			break;
		case 'n':
			no_read = 1;
			break;
		case 'g':
			get_xattr = 1;
			break;
		default:
			fprintf(stderr, "usage: io-cost [-j THREADS] [-n] [-g] DIR\n");
			return 2;
		}
	}
	if (optind != argc - 1 || jobs < 1) {
		fprintf(stderr, "usage: io-cost [-j THREADS] [-n] [-g] DIR\n");
		return 2;
	}
	return file_list_run(argv[optind], jobs, worker);
}
