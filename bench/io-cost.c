// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * io-cost.c - what the kernel costs a labelling job that neither hashes nor
 * signs: the walk (openat, getdents, fstatat per entry that readdir does
 * not say is a regular file), then per regular file on a pool of threads
 * what evmctl does (open O_NOATIME, fstat, read to EOF in 128 KiB reads,
 * statx after the read, the xattr writes (user.ima, user.evm) or one read,
 * close).  The bound of bench/real-tree.sh is built from it.
 *
 * Usage: io-cost [-j THREADS] [-n] [-g] [-s SIZE[,SIZE]] [-v] DIR
 *   -n  do not read the content (the per-file cost alone)
 *   -g  read the xattr instead of writing it (as a verification does)
 *   -s  write one xattr of each SIZE bytes (default 34, a SHA-256 digest
 *       label; a signature is larger and on ext4 leaves the inode for an
 *       xattr block, which costs the kernel more)
 *   -v  values differ from run to run (as ECDSA signatures do; a digest or
 *       an RSA PKCS#1 signature is the same each time, and the filesystem
 *       may skip writing what is already there)
 * Values differ from file to file, as labels do, so that no filesystem
 * shares one xattr block among files.
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

static int no_read, get_xattr, vary;
static size_t sizes[2] = { 34 };
static unsigned int nsizes = 1;
static unsigned int run_nonce;

static void set_xattrs(int fd, size_t index)
{
	/* the names evmctl writes with --xattr-user, so the layout is the job's */
	static const char *const names[2] = { "user.ima", "user.evm" };
	unsigned char value[1024];
	unsigned int i;
	size_t k;

	for (i = 0; i < nsizes; i++) {
		value[0] = 0x04;
		for (k = 1; k < sizes[i]; k++)
			value[k] = (unsigned char)((index >> (8 * (k % 4))) + k * 7 + i +
						   (vary ? run_nonce : 0));
		fsetxattr(fd, names[i], value, sizes[i], 0);
	}
}

static void one(const struct file *f, size_t index, unsigned char *buf)
{
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

		fgetxattr(fd, "user.ima", v, sizeof(v));
	} else {
		set_xattrs(fd, index);
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
		one(&files[i], i, buf);
	free(buf);
	return NULL;
}

int main(int argc, char **argv)
{
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	int c;

	run_nonce = (unsigned int)time(NULL) ^ (unsigned int)getpid();
	while ((c = getopt(argc, argv, "j:ngs:v")) != -1) {
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
		case 's':
			nsizes = sscanf(optarg, "%zu,%zu", &sizes[0], &sizes[1]) == 2 ? 2 : 1;
			if (!sizes[0] || sizes[0] > 1024 || (nsizes == 2 && (!sizes[1] || sizes[1] > 1024))) {
				fprintf(stderr, "io-cost: -s takes one or two sizes of 1 to 1024 bytes\n");
				return 2;
			}
			break;
		case 'v':
			vary = 1;
			break;
		default:
			fprintf(stderr, "usage: io-cost [-j THREADS] [-n] [-g] [-s SIZE[,SIZE]] [-v] DIR\n");
			return 2;
		}
	}
	if (optind != argc - 1 || jobs < 1) {
		fprintf(stderr, "usage: io-cost [-j THREADS] [-n] [-g] [-s SIZE[,SIZE]] [-v] DIR\n");
		return 2;
	}
	return file_list_run(argv[optind], jobs, worker);
}
