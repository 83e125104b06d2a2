// SPDX-License-Identifier: LGPL-2.1-or-later
/* hex.c - hex digits by table, for the parsers of lists and policies (millions of digits). */
#include "config.h"

#include "internal.h"

#define UPPER 0x20	/* an uppercase digit */

/* A digit's value plus one (0: not a hex digit), UPPER for 'A'-'F'. */
static const unsigned char hex_tab[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11 | UPPER, ['B'] = 12 | UPPER, ['C'] = 13 | UPPER,
	['D'] = 14 | UPPER, ['E'] = 15 | UPPER, ['F'] = 16 | UPPER,
};

/* No branch per digit: a bad digit is noted and the result refused at the end. */
static long unhex(const char *s, size_t len, unsigned char *out, unsigned int refuse)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned int bad = 0;
	size_t i;

	if (len % 2)
		return -1;
	for (i = 0; i < len; i += 2) {
		unsigned int hi = hex_tab[p[i]], lo = hex_tab[p[i + 1]];

		bad |= (hi & refuse) | (lo & refuse) | (unsigned int)(hi == 0) | (unsigned int)(lo == 0);
		out[i / 2] = (unsigned char)(((hi & 0x1f) - 1) << 4 | ((lo & 0x1f) - 1));
	}
	return bad ? -1 : (long)(len / 2);
}

long imaevm_unhex(const char *s, size_t len, unsigned char *out)
{
	return unhex(s, len, out, 0);
}

long imaevm_unhex_lower(const char *s, size_t len, unsigned char *out)
{
	return unhex(s, len, out, UPPER);
}
