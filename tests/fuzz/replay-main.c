// SPDX-License-Identifier: GPL-2.0-or-later
/* replay-main.c - run a harness over files, without libFuzzer (regression replay). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

static int replay(const char *path)
{
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, n;
	FILE *f = fopen(path, "rb");

	if (!f) {
		perror(path);
		return 1;
	}
	do {
		if (len == cap) {
			unsigned char *grown = realloc(buf, cap = cap ? cap * 2 : 4096);

			if (!grown) {
				free(buf);
				fclose(f);
				return 1;
			}
			buf = grown;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int i, err = 0;

	for (i = 1; i < argc; i++)
		err |= replay(argv[i]);
	printf("%d inputs replayed\n", argc - 1);
	return err;
}
