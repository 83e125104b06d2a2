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

#define CHUNK (128 * 1024)
#define XATTR "user.iocost"

struct file {
	int dirfd;
	char *name;
};

static struct file *files;
static size_t nfiles, cap;
static atomic_size_t next_file;
static atomic_ullong total_bytes;
static int no_read, get_xattr;

static void add(int dirfd, const char *name)
{
	if (nfiles == cap) {
		cap = cap ? 2 * cap : 4096;
		files = realloc(files, cap * sizeof(*files));
		if (!files) {
			perror("realloc");
			exit(1);
		}
	}
	files[nfiles].dirfd = dirfd;
	files[nfiles].name = strdup(name);
	nfiles++;
}

/* Directory fds stay open for the workers' openat() (as the walk holds them). */
static void walk(int dirfd)
{
	DIR *d = fdopendir(dirfd);
	struct dirent *de;
	struct stat st;

	if (!d) {
		perror("fdopendir");
		exit(1);
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISREG(st.st_mode)) {
			add(dirfd, de->d_name);
		} else if (S_ISDIR(st.st_mode)) {
			int fd = openat(dirfd, de->d_name,
					O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (fd >= 0)
				walk(fd);
		}
	}
	/* keep the fd: closedir would close it */
}

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

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	pthread_t *t;
	struct rusage ru;
	double start;
	int c, fd;
	long i;

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
	start = now();
	fd = open(argv[optind], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		perror(argv[optind]);
		return 1;
	}
	walk(fd);
	t = calloc((size_t)jobs, sizeof(*t));
	for (i = 0; i < jobs; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (i = 0; i < jobs; i++)
		pthread_join(t[i], NULL);
	getrusage(RUSAGE_SELF, &ru);
	printf("%zu %llu %.4f %.4f\n", nfiles, (unsigned long long)total_bytes, now() - start,
	       (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6);
	return 0;
}
