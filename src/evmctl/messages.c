// SPDX-License-Identifier: GPL-2.0-or-later
/* messages.c - how evmctl reports errors, warnings and detail on stderr. */
#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <syslog.h>
#include <sys/stat.h>

#include "evmctl.h"

/*
 * Whether a progress line is on the terminal.  Process-wide like stderr
 * itself, and only touched with stderr locked.
 */
static bool progress_visible;

static void clear_progress(void)
{
	if (progress_visible) {
		fputs("\r\033[K", stderr);
		progress_visible = false;
	}
}

void cli_progress(const char *fmt, ...)
{
	va_list ap;

	flockfile(stderr);
	clear_progress();
	if (fmt) {
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		progress_visible = true;
	}
	fflush(stderr);
	funlockfile(stderr);
}

/* One message is one locked write, so lines from threads never interleave. */
static void __attribute__((format(printf, 3, 0)))
vreport(const char *prefix, const char *path, const char *fmt, va_list ap)
{
	flockfile(stderr);
	clear_progress();
	fputs("evmctl: ", stderr);
	if (prefix)
		fputs(prefix, stderr);
	if (path)
		fprintf(stderr, "%s: ", path);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	funlockfile(stderr);
}

void cli_error(const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(NULL, path, fmt, ap);
	va_end(ap);
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning: ", NULL, fmt, ap);
	va_end(ap);
}

void cli_info(const struct evmctl *g, int level, const char *fmt, ...)
{
	va_list ap;

	if (g->verbose < level)
		return;
	va_start(ap, fmt);
	vreport(NULL, NULL, fmt, ap);
	va_end(ap);
}

/* Library messages: shown at -v (LOG_INFO) and -vv (LOG_DEBUG). */
void cli_log_to_stderr(void *opaque, int priority, const char *msg)
{
	flockfile(stderr);
	clear_progress();
	fprintf(stderr, "evmctl: %s%s\n", priority <= LOG_WARNING ? "warning: " : "", msg);
	funlockfile(stderr);
}

const char *file_type_name(unsigned int mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return "regular file";
	case S_IFDIR:
		return "directory";
	case S_IFLNK:
		return "symbolic link";
	case S_IFCHR:
		return "character device";
	case S_IFBLK:
		return "block device";
	case S_IFIFO:
		return "fifo";
	case S_IFSOCK:
		return "socket";
	}
	return "unknown file type";
}

/* Control characters and backslashes as \xNN: a list name cannot forge message lines. */
char *shown_name(const char *s)
{
	size_t n = 0, i;
	char *out, *o;

	for (i = 0; s[i]; i++)
		n += ((unsigned char)s[i] < 0x20 || s[i] == 0x7f || s[i] == '\\') ? 4 : 1;
	out = o = malloc(n + 1);
	if (!out)
		return NULL;
	for (i = 0; s[i]; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch < 0x20 || ch == 0x7f || ch == '\\')
			o += sprintf(o, "\\x%02x", ch);
		else
			*o++ = (char)ch;
	}
	*o = '\0';
	return out;
}
