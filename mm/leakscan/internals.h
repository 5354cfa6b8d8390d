/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What leakscan reads of other kernel internals that move between kernel
 * versions, one named helper each. This copy is written against Linux
 * 7.3; a backport to another kernel carries its own copy of this file and
 * changes nothing else.
 */
#ifndef _MM_LEAKSCAN_INTERNALS_H
#define _MM_LEAKSCAN_INTERNALS_H

#include <linux/kfence.h>
#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/module.h>
#include <linux/sched/task_stack.h>
#include <linux/stddef.h>
#include <linux/vmalloc.h>

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
 * Whether the memory map is allocated without telling the leak detector
 * (7.3: MEMBLOCK_ALLOC_NOLEAKTRACE), so that the scan must read the struct
 * pages of the pages in use itself (ls_scan_memmap()).
 */
#define LS_MEMMAP_UNTRACKED	1

/*
 * SLUB's sheaves (7.3: struct slab_sheaf, private to mm/slub.c) are
 * per-CPU arrays of object addresses that __alloc_empty_sheaf() allocates:
 * after a 16-byte union, the cache, the number of slots in use and a node
 * come before the slots. Only the slots in use are live: they hold free
 * objects, or objects that kfree_rcu() queued and that stay tracked until
 * their grace period ends. Taking an object leaves its address in the slot
 * past the new count, where it would hide that object when it leaks, so
 * only the slots in use are read.
 */
#define LS_SHEAF_ALLOCATOR	"__alloc_empty_sheaf"
#define LS_SHEAF_COUNT		24	/* offset of the unsigned int count */
#define LS_SHEAF_SLOTS		32	/* offset of the slots */

/* How many bytes of the sheaf at @sheaf, of @size bytes, are live. */
static inline size_t ls_sheaf_live_bytes(const void *sheaf, size_t size)
{
	size_t n;

	if (size < LS_SHEAF_SLOTS)
		return size;
	n = READ_ONCE(*(const unsigned int *)(sheaf + LS_SHEAF_COUNT));
	return LS_SHEAF_SLOTS + min(n, (size - LS_SHEAF_SLOTS) / sizeof(void *)) *
	       sizeof(void *);
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

/*
 * The size of the slab object that starts at @ptr if leakscan may zero it
 * as it is allocated, else 0 (7.3's struct slab and struct kmem_cache): not
 * a KFENCE object, in a cache without a constructor, RCU-typesafe freeing
 * or poisoning, and not one that init_on_alloc zeroes already.
 */
static inline size_t ls_slab_zeroable_size(const void *ptr, gfp_t gfp)
{
	struct kmem_cache *s;
	struct slab *slab;

	if (!virt_addr_valid(ptr) || is_kfence_address(ptr))
		return 0;
	slab = virt_to_slab(ptr);
	if (!slab)
		return 0;
	s = slab->slab_cache;
	if (s->ctor || (s->flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)) ||
	    slab_want_init_on_alloc(gfp, s) ||
	    (ptr - slab_address(slab)) % s->size)
		return 0;
	return s->object_size;
}

/*
 * Who allocates vmalloc'ed task stacks: the caller their vm_struct records
 * (7.3), taken from @t's stack; NULL without CONFIG_VMAP_STACK.
 */
static inline const void *ls_vmap_stack_caller(struct task_struct *t)
{
	struct vm_struct *vm = IS_ENABLED(CONFIG_VMAP_STACK) ? task_stack_vm_area(t) : NULL;

	return vm ? vm->caller : NULL;
}

/* 7.3 names symbol namespaces with strings. */
#define LS_IMPORT_KUNIT_NS()	MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING")

#endif /* _MM_LEAKSCAN_INTERNALS_H */
