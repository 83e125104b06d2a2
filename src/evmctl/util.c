// SPDX-License-Identifier: GPL-2.0-or-later
/* util.c - hex encoding and decoding and whole-file reading for evmctl. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

void hex_encode(const unsigned char *buf, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		*out++ = digits[buf[i] >> 4];
		*out++ = digits[buf[i] & 0xf];
	}
	*out = '\0';
}

void print_hex(FILE *out, const unsigned char *buf, size_t len)
{
	char hex[2 * 64 + 1];

	while (len) {
		size_t n = len > 64 ? 64 : len;

		hex_encode(buf, n, hex);
		fputs(hex, out);
		buf += n;
		len -= n;
	}
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int hex_decode(const char *s, size_t n, unsigned char *out, size_t max, size_t *len)
{
	size_t i;

	if (n % 2)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (hexval((unsigned char)s[i]) < 0)
			return -EINVAL;
	if (n / 2 > max)
		return -E2BIG;
	for (i = 0; i < n; i += 2)
		out[i / 2] = (unsigned char)(hexval((unsigned char)s[i]) << 4 |
					     hexval((unsigned char)s[i + 1]));
	*len = n / 2;
	return 0;
}

int read_fd_all(int fd, size_t max, unsigned char **bufp, size_t *lenp)
{
	/* room for max + 1 bytes (to see that there are more) and the NUL */
	size_t cap = max && max < 4096 ? max + 2 : 4096, len = 0;
	unsigned char *buf = malloc(cap), *grown;
	ssize_t n;
	int err;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (len + 1 == cap) {
			grown = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
			if (!grown) {
				err = -ENOMEM;
				break;
			}
			buf = grown;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (n == 0) {
			buf[len] = '\0';
			*bufp = buf;
			*lenp = len;
			return 0;
		}
		len += (size_t)n;
		if (max && len > max) {
			err = -EFBIG;
			break;
		}
	}
	explicit_bzero(buf, len);
	free(buf);
	return err;
}
