/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * file-list.h - what io-cost.c and uring-cost.c share: the walk that lists
 * a tree's regular files (getdents, fstatat; directory fds stay open for
 * the workers' openat, as evmctl's walk holds them) and the timed run of
 * the workers over that list, printing "files bytes wall_s cpu_s".
 * Included by one program each; everything is static.
 */
#ifndef BENCH_FILE_LIST_H
#define BENCH_FILE_LIST_H

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/stat.h>

struct file {
	int dirfd;
	char *name;
};

static struct file *files;
static size_t nfiles, files_cap;
static atomic_size_t next_file;		/* the next file a worker takes */
static atomic_ullong total_bytes;	/* read by the workers */

static void *must(void *p)
{
	if (!p) {
		perror("file list");
		exit(1);
	}
	return p;
}

static void file_list_add(int dirfd, const char *name)
{
	if (nfiles == files_cap) {
		files_cap = files_cap ? 2 * files_cap : 4096;
		files = must(realloc(files, files_cap * sizeof(*files)));
	}
	files[nfiles].dirfd = dirfd;
	files[nfiles].name = must(strdup(name));
	nfiles++;
}

static void file_list_walk(int dirfd)
{
	DIR *d = must(fdopendir(dirfd));
	struct dirent *de;
	struct stat st;
	int fd;

	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		/* as evmctl's walk: a regular file's type from readdir, its stat from its fd */
		if (de->d_type == DT_REG)
			st.st_mode = S_IFREG;
		else if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISREG(st.st_mode))
			file_list_add(dirfd, de->d_name);
		else if (S_ISDIR(st.st_mode) &&
			 (fd = openat(dirfd, de->d_name,
				      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) >= 0)
			file_list_walk(fd);
	}
	/* the DIR is kept: closedir() would close the fd */
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Walk @dir, run @jobs threads of @worker, print the line: 0, or 1 if @dir cannot be opened. */
static int file_list_run(const char *dir, long jobs, void *(*worker)(void *))
{
	double start = now();
	struct rusage ru;
	pthread_t *t;
	long i;
	int fd;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		perror(dir);
		return 1;
	}
	file_list_walk(fd);
	t = must(calloc((size_t)jobs, sizeof(*t)));
	for (i = 0; i < jobs; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (i = 0; i < jobs; i++)
		pthread_join(t[i], NULL);
	free(t);
	getrusage(RUSAGE_SELF, &ru);
	printf("%zu %llu %.4f %.4f\n", nfiles, (unsigned long long)total_bytes, now() - start,
	       (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6);
	return 0;
}

#endif /* BENCH_FILE_LIST_H */
