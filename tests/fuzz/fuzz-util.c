// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-util.c - helpers shared by the harnesses: library context, input as a file. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "imaevm.h"
#include "fuzz.h"

struct imaevm_ctx *fuzz_ctx(void)
{
	static struct imaevm_ctx *ctx;

	if (!ctx && imaevm_ctx_new(&ctx))
		abort();
	return ctx;
}

int fuzz_file(const uint8_t *data, size_t size, char path[32])
{
	int fd = memfd_create("fuzz-input", MFD_CLOEXEC);
	size_t done = 0;

	if (fd < 0)
		return -1;
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);

		if (n <= 0) {
			close(fd);
			return -1;
		}
		done += (size_t)n;
	}
	if (lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -1;
	}
	snprintf(path, 32, "/proc/self/fd/%d", fd);
	return fd;
}

int fuzz_within(const void *p, size_t n, const void *base, size_t size)
{
	const unsigned char *c = p, *b = base;

	return c >= b && n <= size && (size_t)(c - b) <= size - n;
}
