/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What leakscan reads of other kernel internals that move between kernel
 * versions, one named helper each. This copy is the 6.12 LTS backport's;
 * the mainline series has its own copy of this file, and nothing else
 * differs.
 */
#ifndef _MM_LEAKSCAN_INTERNALS_H
#define _MM_LEAKSCAN_INTERNALS_H

#include <linux/kmemleak.h>
#include <linux/mm_types.h>
#include <linux/module.h>
#include <linux/stddef.h>

#include "../slab.h"

/*
 * The word of struct page that a slab's freelist pointer shares (6.12:
 * struct page's index, struct slab's freelist). Whoever takes the pages
 * after the slab and does not write that word leaves the pointer there.
 */
#define LS_PAGE_REUSED_WORD	offsetof(struct page, index)
static_assert(offsetof(struct slab, freelist) == LS_PAGE_REUSED_WORD);

static inline unsigned long *ls_page_reused_word(struct page *page)
{
	return &page->index;
}

/*
 * What the stock engine of 6.12 shows, and leakscan shows alike: record
 * and dump headers do not name the kind of object, verbose output prints
 * every new leak, dump= takes an object's start address in the virtual
 * tree only, and there is no kmemleak.min_unref_scans (leakscan keeps its
 * confirming pass, with one scan to confirm).
 */
#define LS_STOCK_KIND_TAGS	0
#define LS_STOCK_VERBOSE_GROUPS	0
#define LS_STOCK_DUMP_ANY	0
#define LS_STOCK_MIN_UNREF	0

/*
 * 6.12's <linux/kmemleak.h> has no kmemleak_ignore_percpu(); leakscan
 * defines it all the same, for code backported from later kernels.
 */
void kmemleak_ignore_percpu(const void __percpu *ptr);

/* 6.12 names symbol namespaces with bare identifiers. */
#define LS_IMPORT_KUNIT_NS()	MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING)

#endif /* _MM_LEAKSCAN_INTERNALS_H */
