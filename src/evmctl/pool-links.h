/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pool-links.h - the hard links of one inode, done one after the other. */
#ifndef EVMCTL_POOL_LINKS_H
#define EVMCTL_POOL_LINKS_H

#include <stdbool.h>
#include <stddef.h>

#include "pool.h"

/*
 * Hard links of one inode are done one after the other: the label one
 * worker writes changes the inode's ctime while another reads the same
 * content through a second link, which would take it for a change made by
 * someone else and refuse the digest.  The table holds the inodes with a
 * link in flight; the caller locks it.
 */
struct link_table {
	struct inode_links *v;
	size_t n, cap;
};

/* Whether @it may have other links (an entry known by type alone: not yet). */
bool links_many(const struct pool_item *it);
/*
 * For an item just taken: false if another link of its inode is in
 * flight (the item then waits behind it).  Without memory for the table
 * the item just goes ahead.
 */
bool links_start(struct link_table *t, struct pool_item *it);
/* For an item done: the next link of its inode, to run now, or NULL. */
struct pool_item *links_done(struct link_table *t, const struct pool_item *it);
void links_free(struct link_table *t);

#endif /* EVMCTL_POOL_LINKS_H */
