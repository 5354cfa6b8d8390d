/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What leakscan reads of other kernel internals that move between kernel
 * versions, one named helper each. This copy is written against Linux
 * 7.3; a backport to another kernel carries its own copy of this file and
 * changes nothing else.
 */
#ifndef _MM_LEAKSCAN_INTERNALS_H
#define _MM_LEAKSCAN_INTERNALS_H

#include <linux/mm_types.h>
#include <linux/module.h>
#include <linux/stddef.h>

#include "../slab.h"

/*
 * The word of struct page that a slab's freelist pointer shares (7.3:
 * struct page's __folio_index, struct slab's freelist). Whoever takes the
 * pages after the slab and does not write that word leaves the pointer
 * there.
 */
#define LS_PAGE_REUSED_WORD	offsetof(struct page, __folio_index)
static_assert(offsetof(struct slab, freelist) == LS_PAGE_REUSED_WORD);

static inline unsigned long *ls_page_reused_word(struct page *page)
{
	return &page->__folio_index;
}

/*
 * What the stock engine of this version shows, and leakscan shows alike
 * (7.3): record and dump headers name the kind of a percpu or physical
 * object, verbose output groups the new leaks by backtrace, dump= finds
 * every object holding the address, and kmemleak.min_unref_scans exists.
 */
#define LS_STOCK_KIND_TAGS	1
#define LS_STOCK_VERBOSE_GROUPS	1
#define LS_STOCK_DUMP_ANY	1
#define LS_STOCK_MIN_UNREF	1

/* 7.3 names symbol namespaces with strings. */
#define LS_IMPORT_KUNIT_NS()	MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING")

#endif /* _MM_LEAKSCAN_INTERNALS_H */
