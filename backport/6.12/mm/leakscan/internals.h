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
#include <linux/kfence.h>
#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/module.h>
#include <linux/sched/task_stack.h>
#include <linux/stddef.h>
#include <linux/vmalloc.h>

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
 * Whether the memory map is allocated without telling the leak detector,
 * so that the scan must read the struct pages of the pages in use itself
 * (ls_scan_memmap()). On 6.12 it is a memblock object, read as one.
 */
#define LS_MEMMAP_UNTRACKED	0

/*
 * SLUB's sheaves, of which only the live slots are read: 6.12 has none
 * (see the mainline copy).
 */
#define LS_SHEAF_ALLOCATOR	0

static inline size_t ls_sheaf_live_bytes(const void *sheaf, size_t size)
{
	return size;
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

/*
 * The size of the slab object that starts at @ptr if leakscan may zero it
 * as it is allocated, else 0 (6.12's struct slab and struct kmem_cache): not
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
 * (6.12), taken from @t's stack; NULL without CONFIG_VMAP_STACK.
 */
static inline const void *ls_vmap_stack_caller(struct task_struct *t)
{
	struct vm_struct *vm = IS_ENABLED(CONFIG_VMAP_STACK) ? task_stack_vm_area(t) : NULL;

	return vm ? vm->caller : NULL;
}

/* 6.12 names symbol namespaces with bare identifiers. */
#define LS_IMPORT_KUNIT_NS()	MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING)

#endif /* _MM_LEAKSCAN_INTERNALS_H */
