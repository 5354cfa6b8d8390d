/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-ins for what mm/leakscan/index.c and growth.c take from the kernel.
 * Same include guard as mm/leakscan/index_internal.h, and included first,
 * so that the kernel's version is skipped.
 */
#ifndef MM_LEAKSCAN_INDEX_INTERNAL_H
#define MM_LEAKSCAN_INDEX_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/align.h>
#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/hash.h>
#include <linux/kernel.h>
#include <linux/rbtree.h>
#include <linux/types.h>

typedef u32 depot_stack_handle_t;

#ifdef __LP64__
#define CONFIG_64BIT 1
#endif

#define READ_ONCE_NOCHECK(x)	READ_ONCE(x)
#define PTR_ALIGN(p, a)		((typeof(p))ALIGN((unsigned long)(p), (a)))
#ifndef U16_MAX
#define U16_MAX			((u16)~0U)
#endif
#ifndef U32_MAX
#define U32_MAX			((u32)~0U)
#endif

/* lib/sort.c's interface, on qsort() (growth.c passes no swap function). */
static inline void sort(void *base, size_t num, size_t size,
			int (*cmp)(const void *, const void *), void *swap)
{
	qsort(base, num, size, cmp);
}

/* The part of <linux/llist.h> that index.c uses: the half without atomics. */
struct llist_node {
	struct llist_node *next;
};

struct llist_head {
	struct llist_node *first;
};

static inline bool __llist_add(struct llist_node *new, struct llist_head *head)
{
	new->next = head->first;
	head->first = new;
	return !new->next;
}

static inline struct llist_node *__llist_del_all(struct llist_head *head)
{
	struct llist_node *first = head->first;

	head->first = NULL;
	return first;
}

#endif /* MM_LEAKSCAN_INDEX_INTERNAL_H */
