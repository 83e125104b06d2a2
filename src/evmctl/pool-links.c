// SPDX-License-Identifier: GPL-2.0-or-later
/* pool-links.c - the hard links of one inode, done one after the other. */
#include "config.h"

#include <stdlib.h>
#include <sys/stat.h>

#include "pool-links.h"

struct inode_links {
	dev_t dev;
	ino_t ino;
	const struct pool_item *owner;	/* the link in flight */
	struct pool_item *waiting, *waiting_tail;
};

bool links_many(const struct pool_item *it)
{
	return S_ISREG(it->e.st.st_mode) && it->e.st.st_nlink > 1;
}

static struct inode_links *find(struct link_table *t, const struct pool_item *it)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].dev == it->e.st.st_dev && t->v[i].ino == it->e.st.st_ino)
			return &t->v[i];
	return NULL;
}

bool links_start(struct link_table *t, struct pool_item *it)
{
	struct inode_links *l;

	if (!links_many(it))
		return true;
	l = find(t, it);
	if (l && l->owner == it)	/* its turn came */
		return true;
	if (l) {
		it->next = NULL;
		if (l->waiting_tail)
			l->waiting_tail->next = it;
		else
			l->waiting = it;
		l->waiting_tail = it;
		return false;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct inode_links *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return true;
		t->v = v;
		t->cap = cap;
	}
	t->v[t->n++] = (struct inode_links){ .dev = it->e.st.st_dev, .ino = it->e.st.st_ino,
					     .owner = it };
	return true;
}

struct pool_item *links_done(struct link_table *t, const struct pool_item *it)
{
	struct inode_links *l;
	struct pool_item *w;

	if (!links_many(it) || !(l = find(t, it)) || l->owner != it)
		return NULL;
	w = l->waiting;
	if (!w) {
		*l = t->v[--t->n];
		return NULL;
	}
	l->waiting = w->next;
	if (!l->waiting)
		l->waiting_tail = NULL;
	l->owner = w;
	return w;
}

void links_free(struct link_table *t)
{
	free(t->v);
	*t = (struct link_table){ NULL, 0, 0 };
}
