// SPDX-License-Identifier: GPL-2.0
/*
 * leakscan: a kernel memory leak detector behind the kmemleak interface.
 *
 * This file holds the hooks of include/linux/kmemleak.h, the metadata
 * they manage and the state behind them, which the other files reach
 * through ls_lock_index() and ls_count(). index.c keeps the objects,
 * scan.c finds what is unreferenced, results.c and summary.c read what it
 * found, report.c formats it, and debugfs.c and console.c show it.
 *
 * Locking:
 *  - ls_lock (raw, irq-safe) protects the index (index.c), every object's
 *    fields and the scan areas. The hooks take it with interrupts off, for
 *    an insertion, a removal or a flag; the scanner takes it for about
 *    LS_CHUNK bytes of memory at a time (a task's stack: at most
 *    THREAD_SIZE), or 1024 objects of a tree walk (scan.c).
 *  - Each CPU's nursery lock (raw) protects the young objects waiting
 *    there (see ls_nursery_add()) and the CPU's spare metadata. Its CPU
 *    takes it alone, with interrupts off, to add, free or annotate one of
 *    them: a search of at most LS_NURSERY_SIZE words, and a copy of one
 *    object's metadata. Others take it only inside ls_lock, one
 *    nursery at a time. A flush moves at most LS_NURSERY_SIZE objects
 *    into the index per hold of ls_lock; a free or annotation of an
 *    object found neither in its CPU's nursery nor in the index compares
 *    up to LS_NURSERY_SIZE words per CPU whose nursery is not empty.
 *  - ls_pool_lock (raw, irq-safe) protects the early pool's free list. It
 *    nests inside nothing and nothing nests inside it.
 *  - Nothing is allocated or freed under ls_lock: metadata is allocated
 *    before taking it, and what it frees is collected in the index's
 *    graveyard and released after it is dropped.
 *  - Scans are serialised by ls_scan_mutex (scan.c), which is never held
 *    while the scan thread is started or stopped.
 */

#define pr_fmt(fmt) "kmemleak: " fmt

#include <kunit/visibility.h>
#include <linux/crc32.h>
#include <linux/hashtable.h>
#include <linux/init.h>
#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/stackdepot.h>
#include <linux/stacktrace.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <linux/kfence.h>

#include <asm/sections.h>

#include "../slab.h"
#include "internals.h"
#include "leakscan.h"

/* ---------------------------------------------------------------- Data */

/* The metadata budget: one 64-byte cache line per object on 64-bit kernels. */
static_assert(!IS_ENABLED(CONFIG_64BIT) || sizeof(struct ls_object) == 64);
static_assert(PID_MAX_LIMIT <= 1 << LS_PID_BITS);

static DEFINE_RAW_SPINLOCK(ls_lock);
static struct ls_index ls_idx = LS_INDEX_INIT(&ls_ops);
/*
 * Event counters. Some count every allocation: each CPU counts in its own
 * struct ls_cpu, so that no cache line is written by all. Before
 * kmemleak_init() there are none, and boot is single-threaded: the early
 * counts go here.
 */
struct ls_counters {
	long n[LS_COUNT_MAX];
};

static struct ls_counters ls_early_counters;

/* Tracking is on from the first hook; kmemleak=off or "off" turns it off. */
DEFINE_STATIC_KEY_TRUE(ls_enabled);
static bool ls_off __read_mostly = IS_ENABLED(CONFIG_DEBUG_KMEMLEAK_DEFAULT_OFF);
static bool ls_stack_traces __read_mostly = true;
static bool ls_slab_ready __read_mostly;
/* Where the vmalloc'ed task stacks come from (their vm_struct's caller). */
static const void *ls_stack_caller __read_mostly;

static struct kmem_cache *ls_cache __ro_after_init;
static struct kmem_cache *ls_area_cache __ro_after_init;

/*
 * Metadata for objects registered before the slab allocator is up, and a
 * reserve when it fails later. It lives in .bss, which the scan reads as a
 * root, so scan.c skips it: its start fields would otherwise keep every
 * object it describes alive.
 */
static struct ls_object ls_pool[CONFIG_DEBUG_KMEMLEAK_MEM_POOL_SIZE];
static LLIST_HEAD(ls_pool_free);
static unsigned long ls_pool_next;
static unsigned long ls_pool_in_use;
static DEFINE_RAW_SPINLOCK(ls_pool_lock);

/*
 * Scan areas, for the few objects that have them (LS_AREAS), hashed by
 * the address of the object's metadata: unlike its start, that stays the
 * same when kmemleak_free_part() cuts the object.
 */
struct ls_area {
	struct hlist_node node;
	const struct ls_object *obj;
	unsigned long start;
	unsigned long end;
};

static DEFINE_HASHTABLE(ls_areas, 8);
static unsigned long ls_nr_areas;	/* under ls_lock */

#define ls_area_key(obj)	((unsigned long)(obj))
/* Areas of one object that ls_areas_scan() scans one by one. */
#define LS_AREAS_AT_ONCE	8

/* ----------------------------------------------------------- Internals */

static struct ls_object *ls_pool_get(void)
{
	struct ls_object *obj = NULL;
	unsigned long flags;

	raw_spin_lock_irqsave(&ls_pool_lock, flags);
	if (!llist_empty(&ls_pool_free)) {
		/* One taker at a time, under the lock, as llist_del_first() needs. */
		obj = llist_entry(llist_del_first(&ls_pool_free), struct ls_object, free);
	} else if (ls_pool_next < ARRAY_SIZE(ls_pool)) {
		obj = &ls_pool[ls_pool_next++];
	}
	if (obj)
		ls_pool_in_use++;
	raw_spin_unlock_irqrestore(&ls_pool_lock, flags);
	return obj;
}

static void ls_pool_put(struct ls_object *obj)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&ls_pool_lock, flags);
	__llist_add(&obj->free, &ls_pool_free);
	ls_pool_in_use--;
	raw_spin_unlock_irqrestore(&ls_pool_lock, flags);
}

/**
 * ls_root_exclusions - the part of .bss that scan.c must not read
 * @start: set to its first byte
 * @end: set to its end
 */
void ls_root_exclusions(unsigned long *start, unsigned long *end)
{
	*start = (unsigned long)ls_pool;
	*end = (unsigned long)(ls_pool + ARRAY_SIZE(ls_pool));
}

/**
 * ls_pool_used - early pool entries in use
 *
 * Return: the count.
 */
unsigned long ls_pool_used(void)
{
	return READ_ONCE(ls_pool_in_use);
}

/**
 * ls_pool_size - early pool entries in all
 *
 * Return: CONFIG_DEBUG_KMEMLEAK_MEM_POOL_SIZE.
 */
unsigned long ls_pool_size(void)
{
	return ARRAY_SIZE(ls_pool);
}

static struct ls_object *ls_meta_alloc(gfp_t gfp)
{
	struct ls_object *obj = NULL;

	if (likely(ls_slab_ready))
		obj = kmem_cache_alloc(ls_cache, gfp_nested_mask(gfp));
	if (likely(obj)) {
		obj->flags = 0;
		return obj;
	}
	if (likely(ls_slab_ready))
		ls_count(LS_COUNT_RESERVE, 1);
	obj = ls_pool_get();
	if (obj) {
		obj->flags = LS_EARLY;
		return obj;
	}
	ls_count(LS_COUNT_UNTRACKED, 1);
	return NULL;
}

/**
 * ls_release - free metadata taken from the graveyard
 * @list: the list, from ls_take_graveyard()
 *
 * Called without ls_lock held.
 */
void ls_release(struct llist_node *list)
{
	struct ls_object *obj, *next;

	llist_for_each_entry_safe(obj, next, list, free) {
		if (obj->flags & LS_EARLY)
			ls_pool_put(obj);
		else
			kmem_cache_free(ls_cache, obj);
	}
}

static void ls_unlink_area(struct ls_area *area, struct hlist_head *dead)
{
	hash_del(&area->node);
	hlist_add_head(&area->node, dead);
	ls_nr_areas--;
}

static void ls_unlink_areas(struct ls_object *obj, struct hlist_head *dead)
{
	struct ls_area *area;
	struct hlist_node *tmp;

	hash_for_each_possible_safe(ls_areas, area, tmp, node, ls_area_key(obj))
		if (area->obj == obj)
			ls_unlink_area(area, dead);
}

/*
 * After kmemleak_free_part() cut @obj, under ls_lock: free the areas it no
 * longer overlaps, and move those in the part that split off to @tail
 * (NULL if nothing split off). An area across the hole needs one area on
 * each side: *@extra, if there is one; without it, the tail is scanned
 * whole, which can hide leaks but never report one falsely, and keeps none
 * of the areas it was given.
 */
static void ls_cut_areas(struct ls_object *obj, struct ls_object *tail,
			 struct ls_area **extra, struct hlist_head *dead)
{
	unsigned long end = obj->start + obj->size;
	struct ls_area *area, *copy;
	struct hlist_node *tmp;

	lockdep_assert_held(&ls_lock);
	hash_for_each_possible_safe(ls_areas, area, tmp, node, ls_area_key(obj)) {
		if (area->obj != obj)
			continue;
		if (tail && area->end > tail->start) {
			if (area->start >= end) {
				hash_del(&area->node);
				area->obj = tail;
				hash_add(ls_areas, &area->node, ls_area_key(tail));
				continue;
			}
			copy = *extra;
			*extra = NULL;
			if (copy) {
				*copy = *area;
				copy->obj = tail;
				hash_add(ls_areas, &copy->node, ls_area_key(tail));
				ls_nr_areas++;
			} else {
				tail->flags &= ~LS_AREAS;
			}
			area->end = end;
		}
		if (area->end <= obj->start || area->start >= end)
			ls_unlink_area(area, dead);
	}
	if (tail && !(tail->flags & LS_AREAS))
		ls_unlink_areas(tail, dead);
}

static void ls_free_areas(struct hlist_head *dead)
{
	struct ls_area *area;
	struct hlist_node *tmp;

	hlist_for_each_entry_safe(area, tmp, dead, node)
		kmem_cache_free(ls_area_cache, area);
}

/* Remove @obj under ls_lock; areas to free go to @dead. */
static void ls_forget(struct ls_object *obj, struct hlist_head *dead)
{
	if (obj->flags & LS_AREAS)
		ls_unlink_areas(obj, dead);
	ls_remove(&ls_idx, obj);
}

/*
 * Young objects. Most allocations are freed soon after, on the CPU that
 * made them. A new virtual object waits in its CPU's nursery, out of the
 * index: its free finds it there, and neither takes ls_lock nor touches
 * the tree. A full nursery goes into the index as one batch, under one
 * hold of ls_lock; so does every nursery, before anything reads the index
 * (ls_lock_index()), and the one that holds an object that a lookup did
 * not find in the index (ls_lookup_virt()). While a scan runs, new
 * objects go to the index directly, so that it sees them (LS_NEW).
 *
 * An object is in the index or in one nursery, never both, and moves from
 * a nursery to the index only under ls_lock. So a search under ls_lock of
 * the index, then of every nursery, finds any object allocated before it.
 *
 * Each nursery has its own raw lock, which its CPU takes with interrupts
 * off and which others take only under ls_lock: a free on another CPU,
 * or a flush. The addresses are kept inverted, so that the array, which
 * the scan reads, holds no reference to the objects.
 *
 * A stale object in the index (one whose free was never reported) is
 * forgotten when a new object over it enters the index; a new object that
 * is freed while still young leaves it there.
 */
#define LS_NURSERY_SIZE	32

/*
 * The metadata of young objects freed on this CPU, kept for its next
 * young objects: most allocations then cost neither a slab allocation nor
 * a slab free of metadata. At most LS_SPARE_SIZE per CPU, 2 KiB.
 */
#define LS_SPARE_SIZE	32

/**
 * struct ls_cpu - what each CPU keeps for itself
 * @lock:	protects @nr, @hidden, @obj, @nr_spare and @spare
 * @nr:		young objects in the nursery
 * @hidden:	their start addresses, inverted
 * @obj:	their metadata
 * @nr_spare:	metadata in @spare
 * @spare:	metadata of young objects freed, ready for new ones (never
 *		LS_EARLY's)
 * @counters:	this CPU's part of the event counters (enum ls_counter)
 *
 * These come from kmalloc(), one per possible CPU on its node, not from
 * percpu variables: the first percpu chunk's addresses alias the kernel
 * image's data, and every byte added to the static percpu area moves
 * where the dynamic percpu objects land among them.
 */
struct ls_cpu {
	raw_spinlock_t lock;
	unsigned int nr;
	unsigned long hidden[LS_NURSERY_SIZE];
	struct ls_object *obj[LS_NURSERY_SIZE];
	unsigned int nr_spare;
	struct ls_object *spare[LS_SPARE_SIZE];
	atomic_long_t counters[LS_COUNT_MAX];
} ____cacheline_aligned_in_smp;

/* Each possible CPU's, from kmemleak_init() on (before ls_slab_ready). */
static struct ls_cpu **ls_cpus __read_mostly;
/* CPUs whose nursery has been used: the others need no look. */
static struct cpumask ls_nursery_used;

/* With interrupts off: this CPU's. */
static struct ls_cpu *ls_this_cpu(void)
{
	return ls_cpus[smp_processor_id()];
}

/* Whether a new object with @flags may wait in a nursery. */
static bool ls_young(u32 flags)
{
	return likely(READ_ONCE(ls_slab_ready)) && !(flags & (LS_PERCPU | LS_PHYS));
}

/* What ls_nursery_add() did. */
enum ls_nursery_added {
	LS_ADDED,	/* the object waits in the nursery */
	LS_NO_SPARE,	/* no spare to copy into: allocate, then try again */
	LS_NO_ROOM,	/* the nursery is full or a scan runs: to the index */
};

/*
 * Put a young object in this CPU's nursery: @obj, or, if @obj is NULL, a
 * copy of @new in spare metadata.
 */
static enum ls_nursery_added ls_nursery_add(struct ls_object *obj,
					    const struct ls_object *new)
{
	enum ls_nursery_added added = LS_NO_ROOM;
	atomic_long_t *used;
	struct ls_cpu *n;
	unsigned long flags;

	local_irq_save(flags);
	/* Before the first object goes in, so that no search skips it. */
	if (unlikely(!cpumask_test_cpu(smp_processor_id(), &ls_nursery_used))) {
		cpumask_set_cpu(smp_processor_id(), &ls_nursery_used);
		/* The bit, before the object that a search must find. */
		smp_mb__after_atomic();
	}
	n = ls_this_cpu();
	raw_spin_lock(&n->lock);
	if (n->nr == LS_NURSERY_SIZE || READ_ONCE(ls_idx.scanning))
		goto out;
	if (!obj) {
		if (!n->nr_spare) {
			added = LS_NO_SPARE;
			goto out;
		}
		obj = n->spare[--n->nr_spare];
		*obj = *new;
		/* Only this CPU counts it, and only under the lock: no atomic. */
		used = &n->counters[LS_COUNT_SPARES_USED];
		atomic_long_set(used, atomic_long_read(used) + 1);
	}
	n->hidden[n->nr] = ~obj->start;
	n->obj[n->nr++] = obj;
	added = LS_ADDED;
out:
	raw_spin_unlock(&n->lock);
	local_irq_restore(flags);
	return added;
}

/*
 * The slot of @n holding the object that starts at @addr, or that contains
 * it if @inside; -1 if none does. Newest first: the likeliest to be freed.
 */
static int ls_nursery_find(struct ls_cpu *n, unsigned long addr, bool inside)
{
	int i;

	lockdep_assert_held(&n->lock);
	for (i = n->nr - 1; i >= 0; i--) {
		if (n->hidden[i] == ~addr ||
		    (inside && addr > ~n->hidden[i] &&
		     addr - ~n->hidden[i] < n->obj[i]->size))
			return i;
	}
	return -1;
}

/* Take the object starting at @start out of @n, if it is there. */
static struct ls_object *ls_nursery_take(struct ls_cpu *n, unsigned long start)
{
	int i = ls_nursery_find(n, start, false);
	struct ls_object *obj;

	if (i < 0)
		return NULL;
	obj = n->obj[i];
	n->nr--;
	n->hidden[i] = n->hidden[n->nr];
	n->obj[i] = n->obj[n->nr];
	return obj;
}

/*
 * Move every object of @n into the index: at most LS_NURSERY_SIZE
 * insertions. What they displace is left for the caller to release, as
 * in ls_create().
 */
static void ls_nursery_flush(struct ls_cpu *n, struct hlist_head *dead)
{
	struct ls_object *clash;
	unsigned int i;

	lockdep_assert_held(&ls_lock);
	raw_spin_lock(&n->lock);
	for (i = 0; i < n->nr; i++) {
		while ((clash = ls_insert(&ls_idx, n->obj[i]))) {
			ls_count(LS_COUNT_OVERLAPS, 1);
			ls_forget(clash, dead);
		}
	}
	n->nr = 0;
	raw_spin_unlock(&n->lock);
}

/*
 * Move every nursery into the index, holding ls_lock for one at a time.
 * An empty one, found so under its lock, costs no hold of ls_lock.
 */
static void ls_nursery_flush_all(void)
{
	struct llist_node *dead_objs;
	HLIST_HEAD(dead);
	struct ls_cpu *n;
	bool empty;
	int cpu;

	for_each_cpu(cpu, &ls_nursery_used) {
		n = ls_cpus[cpu];
		raw_spin_lock_irq(&n->lock);
		empty = !n->nr;
		raw_spin_unlock_irq(&n->lock);
		if (empty)
			continue;
		raw_spin_lock_irq(&ls_lock);
		ls_nursery_flush(n, &dead);
		dead_objs = ls_take_graveyard(&ls_idx);
		raw_spin_unlock_irq(&ls_lock);
		ls_release(dead_objs);
		ls_free_areas(&dead);
		INIT_HLIST_HEAD(&dead);
	}
}

/*
 * Under ls_lock: the nursery holding the object that starts at @addr (or
 * contains it, if @inside), and in @slot its slot; NULL if none does. The
 * object was allocated before the call, so a nursery seen empty without
 * its lock cannot hold it. At most LS_NURSERY_SIZE words are compared per
 * CPU whose nursery is not empty.
 */
static struct ls_cpu *ls_nursery_search(unsigned long addr, bool inside, int *slot)
{
	struct ls_cpu *n;
	int cpu;

	lockdep_assert_held(&ls_lock);
	for_each_cpu(cpu, &ls_nursery_used) {
		n = ls_cpus[cpu];
		if (!READ_ONCE(n->nr))
			continue;
		raw_spin_lock(&n->lock);
		*slot = ls_nursery_find(n, addr, inside);
		if (*slot >= 0)
			return n;	/* with its lock held */
		raw_spin_unlock(&n->lock);
	}
	return NULL;
}

/*
 * Under ls_lock: the virtual object starting at @addr (or containing it,
 * if @inside), wherever it is. A young one is moved into the index first,
 * with the rest of its nursery.
 */
static struct ls_object *ls_lookup_virt(unsigned long addr, bool inside,
					struct hlist_head *dead)
{
	struct ls_object *obj;
	struct ls_cpu *n;
	int slot;

	lockdep_assert_held(&ls_lock);
	obj = inside ? ls_lookup(&ls_idx.virt, addr) : ls_lookup_start(&ls_idx.virt, addr);
	if (obj)
		return obj;
	n = ls_nursery_search(addr, inside, &slot);
	if (!n)
		return NULL;
	raw_spin_unlock(&n->lock);
	ls_nursery_flush(n, dead);
	return inside ? ls_lookup(&ls_idx.virt, addr) : ls_lookup_start(&ls_idx.virt, addr);
}

/* @caller: the return address of the hook, the trace's first frame. */
static noinline void ls_create(unsigned long start, size_t size,
			       int min_count, u32 flags, gfp_t gfp,
			       unsigned long caller)
{
	enum ls_nursery_added added = LS_NO_ROOM;
	struct ls_object new = {}, *obj, *clash;
	struct llist_node *dead_objs;
	HLIST_HEAD(dead);
	unsigned long irqflags;
	bool sheaf, young;
	u32 early;

	if (READ_ONCE(ls_off))
		return;
	new.start = start;
	new.size = min_t(size_t, size, LS_SIZE_MAX);
	new.min_count = ls_min_count(min_count);
	new.flags = flags;
	new.jiffies = (u32)jiffies;
	new.pid = in_task() ? current->pid : 0;
	/* The depot is set up just before kmemleak_init(). */
	if (READ_ONCE(ls_slab_ready))
		new.trace = ls_save_trace(caller, READ_ONCE(ls_stack_traces), gfp,
					  &sheaf);
	else
		sheaf = ls_early_sheaf(caller);
	if (sheaf)
		new.flags |= LS_SHEAF;
	young = ls_young(flags);
	if (young) {
		added = ls_nursery_add(NULL, &new);
		if (added == LS_ADDED)
			return;
	}
	obj = ls_meta_alloc(gfp);
	if (!obj)
		return;
	early = obj->flags;
	*obj = new;
	obj->flags |= early;
	if (added == LS_NO_SPARE && ls_nursery_add(obj, NULL) == LS_ADDED)
		return;

	raw_spin_lock_irqsave(&ls_lock, irqflags);
	/* A full nursery: in with it, and this object with it. */
	if (young)
		ls_nursery_flush(ls_this_cpu(), &dead);
	/*
	 * An overlap means the free of an older object was never reported
	 * to us. The memory is the new object's now: forget the old one.
	 */
	while ((clash = ls_insert(&ls_idx, obj))) {
		ls_count(LS_COUNT_OVERLAPS, 1);
		ls_forget(clash, &dead);
	}
	dead_objs = ls_take_graveyard(&ls_idx);
	raw_spin_unlock_irqrestore(&ls_lock, irqflags);
	ls_release(dead_objs);
	ls_free_areas(&dead);
}

/*
 * Under ls_lock: take the young object starting at @start out of another
 * CPU's nursery. (This CPU's was searched first; an object already
 * allocated cannot enter it since.)
 */
static struct ls_object *ls_nursery_take_any(unsigned long start)
{
	struct ls_object *obj;
	struct ls_cpu *n;
	int slot;

	n = ls_nursery_search(start, false, &slot);
	if (!n)
		return NULL;
	obj = ls_nursery_take(n, start);
	raw_spin_unlock(&n->lock);
	return obj;
}

static void ls_release_one(struct ls_object *obj)
{
	if (obj) {
		obj->free.next = NULL;
		ls_release(&obj->free);
	}
}

static void ls_delete(struct ls_tree *tree, unsigned long start)
{
	struct ls_object *obj, *young = NULL;
	struct llist_node *dead_objs;
	bool spared = false;
	struct ls_cpu *n;
	HLIST_HEAD(dead);
	unsigned long flags;

	if (tree == &ls_idx.virt) {
		local_irq_save(flags);
		n = ls_this_cpu();
		raw_spin_lock(&n->lock);
		young = ls_nursery_take(n, start);
		/*
		 * Never in the index, so it has no scan areas. Once off, keep
		 * nothing: ls_spares_free() may have passed (ls_off is set
		 * before it takes this lock).
		 */
		if (young && !(young->flags & LS_EARLY) &&
		    n->nr_spare < LS_SPARE_SIZE && !READ_ONCE(ls_off)) {
			n->spare[n->nr_spare++] = young;
			young = NULL;
			spared = true;
		}
		raw_spin_unlock(&n->lock);
		local_irq_restore(flags);
		if (young || spared) {
			ls_count(LS_COUNT_YOUNG_FREES, 1);
			ls_release_one(young);
			return;
		}
	}

	raw_spin_lock_irqsave(&ls_lock, flags);
	obj = ls_lookup_start(tree, start);
	if (obj)
		ls_forget(obj, &dead);
	else if (tree == &ls_idx.virt)
		young = ls_nursery_take_any(start);
	if (young)
		ls_count(LS_COUNT_YOUNG_FREES, 1);
	else if (!obj)
		ls_count(LS_COUNT_UNKNOWN, 1);
	dead_objs = ls_take_graveyard(&ls_idx);
	raw_spin_unlock_irqrestore(&ls_lock, flags);
	ls_release(dead_objs);
	ls_release_one(young);
	ls_free_areas(&dead);
}

static void ls_delete_part(struct ls_tree *tree, unsigned long start,
			   size_t size)
{
	struct ls_object *obj, *spare, *tail, *unused = NULL;
	struct llist_node *dead_objs;
	struct ls_area *extra = NULL;
	HLIST_HEAD(dead);
	unsigned long flags;

	/*
	 * Only a cut in the middle needs them, but they cannot be had later:
	 * the metadata of the tail, and an area for its part of an area
	 * across the cut.
	 */
	spare = ls_meta_alloc(GFP_ATOMIC);
	if (READ_ONCE(ls_nr_areas) && ls_slab_ready)
		extra = kmem_cache_alloc(ls_area_cache, GFP_ATOMIC | __GFP_NOWARN);
	raw_spin_lock_irqsave(&ls_lock, flags);
	obj = tree == &ls_idx.virt ? ls_lookup_virt(start, true, &dead) :
				      ls_lookup(tree, start);
	if (!obj) {
		ls_count(LS_COUNT_UNKNOWN, 1);
		unused = spare;
	} else if (start <= obj->start && start + size >= obj->start + obj->size) {
		ls_forget(obj, &dead);
		unused = spare;
	} else {
		tail = start > obj->start && start + size < obj->start + obj->size ?
		       spare : NULL;
		if (!ls_free_part(&ls_idx, obj, start, size, spare))
			ls_count(LS_COUNT_SPLIT_LOST, 1);
		if (obj->flags & LS_AREAS)
			ls_cut_areas(obj, tail, &extra, &dead);
	}
	dead_objs = ls_take_graveyard(&ls_idx);
	raw_spin_unlock_irqrestore(&ls_lock, flags);
	ls_release(dead_objs);
	ls_release_one(unused);
	ls_free_areas(&dead);
	if (extra)
		kmem_cache_free(ls_area_cache, extra);
}

/*
 * Stale words in what an allocation hands out hide leaks: SLUB's link to
 * the next free object, kept inside the object for most caches; what the
 * object's previous user left, in the bytes that kmalloc's rounding up, or
 * the merging of caches of different sizes, registers but nobody writes
 * (found in practice in struct cred's tail, hiding kmalloc-192 leaks).
 * Contents that are undefined for the user can be zeroed, as init_on_alloc
 * does: for slab objects of caches without a constructor, RCU freeing or
 * poisoning, when the allocator did not zero them already.
 * leakscan.zero_on_alloc=0 turns it off.
 */
static bool ls_zero_on_alloc __read_mostly = true;
module_param_named(zero_on_alloc, ls_zero_on_alloc, bool, 0644);
MODULE_PARM_DESC(zero_on_alloc, "zero new slab objects, so that stale words cannot hide leaks");

static void ls_zero_object(const void *ptr, gfp_t gfp)
{
	size_t size;

	if (!READ_ONCE(ls_zero_on_alloc))
		return;
	size = ls_slab_zeroable_size(ptr, gfp);
	if (!size)
		return;
	/* Eight bytes a store: byte stores are slow under emulators. */
	memset64((u64 *)ptr, 0, size / sizeof(u64));
	memset((void *)ptr + round_down(size, sizeof(u64)), 0, size % sizeof(u64));
}

/* Apply @fn to the object starting at @ptr (or containing it, if @inside). */
static void ls_annotate(const void *ptr, bool inside,
			void (*fn)(struct ls_object *obj, unsigned long arg),
			unsigned long arg)
{
	struct llist_node *dead_objs;
	struct ls_cpu *n;
	struct ls_object *obj;
	HLIST_HEAD(dead);
	unsigned long flags;
	int slot = -1;

	/* A young object of this CPU's is changed where it waits. */
	if (!inside) {
		local_irq_save(flags);
		n = ls_this_cpu();
		raw_spin_lock(&n->lock);
		slot = ls_nursery_find(n, (unsigned long)ptr, false);
		if (slot >= 0)
			fn(n->obj[slot], arg);
		raw_spin_unlock(&n->lock);
		local_irq_restore(flags);
		if (slot >= 0)
			return;
	}

	raw_spin_lock_irqsave(&ls_lock, flags);
	obj = ls_lookup_virt((unsigned long)ptr, inside, &dead);
	if (obj)
		fn(obj, arg);
	else
		ls_count(LS_COUNT_UNKNOWN, 1);
	dead_objs = ls_take_graveyard(&ls_idx);
	raw_spin_unlock_irqrestore(&ls_lock, flags);
	ls_release(dead_objs);
	ls_free_areas(&dead);
}

static void ls_set_min_count(struct ls_object *obj, unsigned long min_count)
{
	obj->min_count = ls_min_count((long)min_count);
	if (obj->min_count == LS_MIN_IGNORE)
		obj->flags |= LS_NO_SCAN;
}

static void ls_set_flags(struct ls_object *obj, unsigned long flags)
{
	obj->flags |= flags;
}

/* As if new: no longer a suspect, and its run starts again. */
static void ls_restart_run(struct ls_object *obj, unsigned long unused)
{
	obj->flags &= ~(LS_WHITE | LS_SUSPECT);
	obj->run = 0;
}

static void ls_set_trace(struct ls_object *obj, unsigned long trace)
{
	obj->trace = trace;
}

/**
 * ls_areas_scan - call @fn for each scan area of an LS_AREAS object
 * @obj: the object
 * @fn: called with the area, clipped to the object, under ls_lock
 */
void ls_areas_scan(struct ls_object *obj,
		   void (*fn)(struct ls_object *obj, unsigned long start,
			      unsigned long end))
{
	struct {
		unsigned long start, end;
	} at[LS_AREAS_AT_ONCE];
	unsigned long start, end;
	struct ls_area *area;
	int n = 0, i;

	lockdep_assert_held(&ls_lock);
	/* @fn may drop the lock, and a cut change the areas: copy them. */
	hash_for_each_possible(ls_areas, area, node, ls_area_key(obj)) {
		if (area->obj != obj)
			continue;
		if (n == ARRAY_SIZE(at)) {
			/* Rare: more than we copy. Read it all. */
			fn(obj, obj->start, obj->start + obj->size);
			return;
		}
		at[n].start = area->start;
		at[n++].end = area->end;
	}
	for (i = 0; i < n; i++) {
		/* Clipped to the object as it is now. */
		start = max(at[i].start, obj->start);
		end = min(at[i].end, obj->start + obj->size);
		if (start < end)
			fn(obj, start, end);
		/* @fn may have dropped the lock: the object may be gone. */
		if (obj->flags & LS_FREED)
			return;
	}
}

/**
 * ls_scan_areas - scan areas registered with kmemleak_scan_area()
 *
 * Return: the number of them.
 */
unsigned long ls_scan_areas(void)
{
	return READ_ONCE(ls_nr_areas);
}

/**
 * ls_lock_index - take the index lock, with interrupts off
 *
 * The lock protects the index, every object's fields and the scan areas.
 * Holders keep it for a bounded time: see the top of this file. Young
 * objects are moved into the index first, so that the holder sees every
 * object allocated before the call.
 *
 * Return: the index.
 */
struct ls_index *ls_lock_index(void)
{
	ls_nursery_flush_all();
	raw_spin_lock_irq(&ls_lock);
	return &ls_idx;
}

/**
 * ls_unlock_index - drop the index lock taken by ls_lock_index()
 */
void ls_unlock_index(void)
{
	raw_spin_unlock_irq(&ls_lock);
}

/**
 * ls_locked_index - the index, for a caller that holds its lock
 *
 * Return: the index.
 */
struct ls_index *ls_locked_index(void)
{
	lockdep_assert_held(&ls_lock);
	return &ls_idx;
}

/**
 * ls_count - add to one of the event counters of leakscan/stats
 * @counter:	which
 * @n:		how much
 */
void ls_count(enum ls_counter counter, long n)
{
	if (likely(READ_ONCE(ls_slab_ready)))
		atomic_long_add(n, &ls_cpus[raw_smp_processor_id()]->counters[counter]);
	else
		ls_early_counters.n[counter] += n;
}

/**
 * ls_counter - read one of the event counters
 * @counter:	which
 *
 * Return: its value.
 */
long ls_counter(enum ls_counter counter)
{
	long sum = READ_ONCE(ls_early_counters.n[counter]);
	int cpu;

	if (READ_ONCE(ls_slab_ready))
		for_each_possible_cpu(cpu)
			sum += atomic_long_read(&ls_cpus[cpu]->counters[counter]);
	return sum;
}
EXPORT_SYMBOL_IF_KUNIT(ls_counter);

/**
 * ls_is_enabled - whether leakscan tracks allocations
 *
 * Return: false after kmemleak=off or the "off" command.
 */
bool ls_is_enabled(void)
{
	return !READ_ONCE(ls_off);
}
EXPORT_SYMBOL_IF_KUNIT(ls_is_enabled);

/**
 * ls_stack_trace_set - record backtraces of new allocations, or not
 * @on: whether to
 */
void ls_stack_trace_set(bool on)
{
	WRITE_ONCE(ls_stack_traces, on);
}

/* Free every CPU's spare metadata, one at a time. */
static void ls_spares_free(void)
{
	struct ls_object *obj;
	struct ls_cpu *n;
	int cpu;

	if (!ls_cpus)
		return;
	for_each_possible_cpu(cpu) {
		n = ls_cpus[cpu];
		while (n) {
			raw_spin_lock_irq(&n->lock);
			obj = n->nr_spare ? n->spare[--n->nr_spare] : NULL;
			raw_spin_unlock_irq(&n->lock);
			if (!obj)
				break;
			kmem_cache_free(ls_cache, obj);
		}
	}
}

/**
 * ls_disable - stop tracking for good and forget every object
 *
 * Called in process context, with the scan thread stopped.
 */
void ls_disable(void)
{
	struct ls_tree *trees[] = { &ls_idx.virt, &ls_idx.percpu, &ls_idx.phys };
	struct llist_node *dead_objs;
	struct ls_object *obj;
	HLIST_HEAD(dead);
	int i;

	if (READ_ONCE(ls_off))
		return;
	WRITE_ONCE(ls_off, true);
	static_branch_disable(&ls_enabled);
	for (i = 0; i < ARRAY_SIZE(trees); i++) {
		do {
			ls_nursery_flush_all();
			raw_spin_lock_irq(&ls_lock);
			while ((obj = ls_first(trees[i])) && !need_resched())
				ls_forget(obj, &dead);
			dead_objs = ls_take_graveyard(&ls_idx);
			raw_spin_unlock_irq(&ls_lock);
			ls_release(dead_objs);
			ls_free_areas(&dead);
			INIT_HLIST_HEAD(&dead);
			cond_resched();
		} while (obj);
	}
	ls_spares_free();
	pr_info("Kernel memory leak detector disabled\n");
}

/* ---------------------------------------------------- Public interface */

/**
 * kmemleak_alloc - register a newly allocated object
 * @ptr:	pointer to beginning of the object
 * @size:	size of the object
 * @min_count:	minimum number of references to this object. If during
 *		memory scanning a number of references less than @min_count
 *		is found, the object is reported as a memory leak. If
 *		@min_count is 0, the object is never reported as a leak. If
 *		@min_count is -1, the object is ignored (not scanned and not
 *		reported as a leak)
 * @gfp:	flags of the allocation, for the metadata
 */
void __ref kmemleak_alloc(const void *ptr, size_t size, int min_count,
			  gfp_t gfp)
{
	if (!static_branch_likely(&ls_enabled) || IS_ERR_OR_NULL(ptr))
		return;
	ls_zero_object(ptr, gfp);
	ls_create((unsigned long)ptr, size, min_count,
		  min_count == LS_MIN_IGNORE ? LS_NO_SCAN : 0, gfp, _RET_IP_);
}
EXPORT_SYMBOL_GPL(kmemleak_alloc);

/**
 * kmemleak_alloc_percpu - register a newly allocated __percpu object
 * @ptr:	__percpu pointer to beginning of the object
 * @size:	size of the object
 * @gfp:	flags of the allocation, for the metadata
 *
 * The object is scanned on every possible CPU and needs one reference.
 */
void __ref kmemleak_alloc_percpu(const void __percpu *ptr, size_t size,
				 gfp_t gfp)
{
	if (static_branch_likely(&ls_enabled) && !IS_ERR_OR_NULL(ptr))
		ls_create((__force unsigned long)ptr, size, 1, LS_PERCPU, gfp, _RET_IP_);
}
EXPORT_SYMBOL_GPL(kmemleak_alloc_percpu);

static void ls_mark_vm_area(struct ls_object *obj, unsigned long unused)
{
	obj->flags |= LS_VM_AREA;
}

/**
 * kmemleak_vmalloc - register a newly vmalloc'ed object
 * @area:	the vm_struct of the area
 * @size:	size of the object
 * @gfp:	flags of the allocation, for the metadata
 *
 * The block needs two references, one of which is its vm_struct's; a
 * further reference to the vm_struct counts as one to the block.
 *
 * A task stack is flagged LS_STACK from the start: only the live part of
 * a running task's stack is read (scan.c), and a stack kept in the cache
 * of freed stacks is not read at all, since everything in it is stale.
 */
void __ref kmemleak_vmalloc(const struct vm_struct *area, size_t size,
			    gfp_t gfp)
{
	const void *stack_caller = READ_ONCE(ls_stack_caller);

	if (!static_branch_likely(&ls_enabled))
		return;
	ls_create((unsigned long)area->addr, size, 2,
		  stack_caller && area->caller == stack_caller ? LS_STACK : 0, gfp,
		  _RET_IP_);
	ls_annotate(area, false, ls_mark_vm_area, 0);
}
EXPORT_SYMBOL_GPL(kmemleak_vmalloc);

/**
 * kmemleak_free - unregister a previously registered object
 * @ptr:	pointer to beginning of the object
 */
void __ref kmemleak_free(const void *ptr)
{
	if (static_branch_likely(&ls_enabled) && !IS_ERR_OR_NULL(ptr))
		ls_delete(&ls_idx.virt, (unsigned long)ptr);
}
EXPORT_SYMBOL_GPL(kmemleak_free);

/**
 * kmemleak_free_part - partially unregister a previously registered object
 * @ptr:	pointer to the beginning or inside the object
 * @size:	size to be unregistered
 */
void __ref kmemleak_free_part(const void *ptr, size_t size)
{
	if (static_branch_likely(&ls_enabled) && !IS_ERR_OR_NULL(ptr))
		ls_delete_part(&ls_idx.virt, (unsigned long)ptr, size);
}
EXPORT_SYMBOL_GPL(kmemleak_free_part);

/**
 * kmemleak_free_percpu - unregister a previously registered __percpu object
 * @ptr:	__percpu pointer to beginning of the object
 */
void __ref kmemleak_free_percpu(const void __percpu *ptr)
{
	if (static_branch_likely(&ls_enabled) && !IS_ERR_OR_NULL(ptr))
		ls_delete(&ls_idx.percpu, (__force unsigned long)ptr);
}
EXPORT_SYMBOL_GPL(kmemleak_free_percpu);

/**
 * kmemleak_update_trace - record the current backtrace as the allocation's
 * @ptr:	pointer to beginning of the object
 */
void __ref kmemleak_update_trace(const void *ptr)
{
	depot_stack_handle_t trace;
	bool sheaf;

	if (!static_branch_likely(&ls_enabled) || IS_ERR_OR_NULL(ptr))
		return;
	trace = ls_save_trace(_RET_IP_, READ_ONCE(ls_stack_traces), GFP_NOWAIT, &sheaf);
	ls_annotate(ptr, false, ls_set_trace, trace);
}
EXPORT_SYMBOL(kmemleak_update_trace);

/**
 * kmemleak_not_leak - mark an allocated object as false positive
 * @ptr:	pointer to beginning of the object
 *
 * The object is never reported, and is always scanned.
 */
void __ref kmemleak_not_leak(const void *ptr)
{
	if (static_branch_likely(&ls_enabled) && !IS_ERR_OR_NULL(ptr))
		ls_annotate(ptr, false, ls_set_min_count, LS_MIN_ROOT);
}
EXPORT_SYMBOL(kmemleak_not_leak);

/**
 * kmemleak_transient_leak - mark an allocated object as transient false
 * positive
 * @ptr:	pointer to beginning of the object
 *
 * Its contents count as changed: the scans in a row that must find it
 * unreferenced (kmemleak.min_unref_scans) start again, as for a new object.
 */
void __ref kmemleak_transient_leak(const void *ptr)
{
	if (static_branch_likely(&ls_enabled) && !IS_ERR_OR_NULL(ptr))
		ls_annotate(ptr, false, ls_restart_run, 0);
}
EXPORT_SYMBOL(kmemleak_transient_leak);

/**
 * kmemleak_ignore - ignore an allocated object
 * @ptr:	pointer to beginning of the object
 *
 * The object is neither scanned nor reported.
 */
void __ref kmemleak_ignore(const void *ptr)
{
	if (static_branch_likely(&ls_enabled) && !IS_ERR_OR_NULL(ptr))
		ls_annotate(ptr, false, ls_set_min_count,
			    (unsigned long)(long)LS_MIN_IGNORE);
}
EXPORT_SYMBOL(kmemleak_ignore);

/**
 * kmemleak_scan_area - limit the range to be scanned in an allocated object
 * @ptr:	pointer to beginning or inside the object
 * @size:	size of the area; SIZE_MAX means to the end of the object
 * @gfp:	flags of the allocation, for the metadata
 *
 * Once an object has scan areas, only they are scanned.
 */
void __ref kmemleak_scan_area(const void *ptr, size_t size, gfp_t gfp)
{
	unsigned long start = (unsigned long)ptr, flags;
	struct llist_node *dead_objs;
	struct ls_object *obj;
	struct ls_area *area;
	HLIST_HEAD(dead);

	if (!static_branch_likely(&ls_enabled) || IS_ERR_OR_NULL(ptr))
		return;
	/* Not kmalloc(): a tracked area would count as references. */
	area = ls_slab_ready ? kmem_cache_alloc(ls_area_cache, gfp_nested_mask(gfp)) : NULL;
	if (!area) {
		ls_count(LS_COUNT_UNTRACKED, 1);
		return;
	}
	raw_spin_lock_irqsave(&ls_lock, flags);
	obj = ls_lookup_virt(start, true, &dead);
	if (obj) {
		area->obj = obj;
		area->start = start;
		area->end = size > obj->start + obj->size - start ?
			    obj->start + obj->size : start + size;
		hash_add(ls_areas, &area->node, ls_area_key(obj));
		ls_nr_areas++;
		obj->flags |= LS_AREAS;
		area = NULL;
	} else {
		ls_count(LS_COUNT_UNKNOWN, 1);
	}
	dead_objs = ls_take_graveyard(&ls_idx);
	raw_spin_unlock_irqrestore(&ls_lock, flags);
	ls_release(dead_objs);
	ls_free_areas(&dead);
	if (area)
		kmem_cache_free(ls_area_cache, area);
}
EXPORT_SYMBOL(kmemleak_scan_area);

/**
 * kmemleak_no_scan - do not scan an allocated object
 * @ptr:	pointer to beginning of the object
 *
 * The object can still be reported as a leak.
 */
void __ref kmemleak_no_scan(const void *ptr)
{
	if (static_branch_likely(&ls_enabled) && !IS_ERR_OR_NULL(ptr))
		ls_annotate(ptr, false, ls_set_flags, LS_NO_SCAN);
}
EXPORT_SYMBOL(kmemleak_no_scan);

/**
 * kmemleak_alloc_phys - register a newly allocated physical block
 * @phys:	physical address of the object
 * @size:	size of the object
 * @gfp:	flags of the allocation, for the metadata
 *
 * The block is scanned and never reported (memblock allocations).
 */
void __ref kmemleak_alloc_phys(phys_addr_t phys, size_t size, gfp_t gfp)
{
	if (static_branch_likely(&ls_enabled))
		ls_create((unsigned long)phys, size, LS_MIN_ROOT, LS_PHYS, gfp,
			  _RET_IP_);
}
EXPORT_SYMBOL(kmemleak_alloc_phys);

/**
 * kmemleak_free_part_phys - partially unregister a physical block
 * @phys:	physical address of the beginning or inside the object
 * @size:	size to be unregistered
 */
void __ref kmemleak_free_part_phys(phys_addr_t phys, size_t size)
{
	if (static_branch_likely(&ls_enabled))
		ls_delete_part(&ls_idx.phys, (unsigned long)phys, size);
}
EXPORT_SYMBOL(kmemleak_free_part_phys);

/**
 * kmemleak_ignore_phys - ignore a physical block
 * @phys:	physical address of the object
 */
void __ref kmemleak_ignore_phys(phys_addr_t phys)
{
	struct ls_object *obj;
	unsigned long flags;

	if (!static_branch_likely(&ls_enabled))
		return;
	raw_spin_lock_irqsave(&ls_lock, flags);
	obj = ls_lookup_start(&ls_idx.phys, (unsigned long)phys);
	if (obj)
		ls_set_min_count(obj, (unsigned long)(long)LS_MIN_IGNORE);
	else
		ls_count(LS_COUNT_UNKNOWN, 1);
	raw_spin_unlock_irqrestore(&ls_lock, flags);
}
EXPORT_SYMBOL(kmemleak_ignore_phys);

/**
 * kmemleak_ignore_percpu - ignore a percpu object
 * @ptr:	percpu address of the object
 *
 * The object is neither scanned nor reported.
 */
void __ref kmemleak_ignore_percpu(const void __percpu *ptr)
{
	struct ls_object *obj;
	unsigned long flags;

	if (!static_branch_likely(&ls_enabled) || !ptr || IS_ERR_PCPU(ptr))
		return;
	raw_spin_lock_irqsave(&ls_lock, flags);
	obj = ls_lookup_start(&ls_idx.percpu, (unsigned long)(__force const void *)ptr);
	if (obj)
		ls_set_min_count(obj, (unsigned long)(long)LS_MIN_IGNORE);
	else
		ls_count(LS_COUNT_UNKNOWN, 1);
	raw_spin_unlock_irqrestore(&ls_lock, flags);
}
EXPORT_SYMBOL_GPL(kmemleak_ignore_percpu);

/* ------------------------------------------------------- Initialisation */

static int __init ls_boot_param(char *str)
{
	if (!str)
		return -EINVAL;
	if (!strcmp(str, "off")) {
		WRITE_ONCE(ls_off, true);
	} else if (!strcmp(str, "on")) {
		WRITE_ONCE(ls_off, false);
		stack_depot_request_early_init();
	} else {
		return -EINVAL;
	}
	return 0;
}
early_param("kmemleak", ls_boot_param);

/* Each possible CPU's struct ls_cpu, on its node; tracked with the early pool. */
static bool __init ls_cpus_init(void)
{
	int cpu;

	ls_cpus = kcalloc(nr_cpu_ids, sizeof(*ls_cpus), GFP_KERNEL);
	if (!ls_cpus)
		return false;
	for_each_possible_cpu(cpu) {
		ls_cpus[cpu] = kzalloc_node(sizeof(**ls_cpus), GFP_KERNEL, cpu_to_node(cpu));
		if (!ls_cpus[cpu])
			return false;
		raw_spin_lock_init(&ls_cpus[cpu]->lock);
	}
	return true;
}

/**
 * kmemleak_init - set up the metadata cache once the slab allocator works
 *
 * Objects registered before use the early pool.
 */
void __init kmemleak_init(void)
{
	if (ls_off) {
		/* kmemleak=off, or DEFAULT_OFF without kmemleak=on. */
		static_branch_disable(&ls_enabled);
		pr_info("Kernel memory leak detector disabled\n");
		return;
	}
	if (!ls_cpus_init())
		panic("kmemleak: cannot set up the per-CPU state\n");
	ls_cache = KMEM_CACHE(ls_object, SLAB_NOLEAKTRACE | SLAB_PANIC);
	ls_area_cache = KMEM_CACHE(ls_area, SLAB_NOLEAKTRACE | SLAB_PANIC);
	ls_trace_early_init();
	WRITE_ONCE(ls_slab_ready, true);
}

/*
 * The debugfs file exists even when the detector is off, as with the stock
 * engine: reading it gives nothing, and every command but clear gets EPERM.
 */
static int __init ls_late_init(void)
{
	int ret;

	ret = ls_debugfs_init();
	if (ret || ls_off)
		return ret;
	ls_console_init();
	ls_trace_init();
	/* This runs in a kthread, whose stack came from where all do. */
	WRITE_ONCE(ls_stack_caller, ls_vmap_stack_caller(current));
	if (IS_ENABLED(CONFIG_DEBUG_KMEMLEAK_AUTO_SCAN))
		ls_scan_thread_start();
	pr_info("Kernel memory leak detector initialized (mem pool available: %lu)\n",
		ls_pool_size() - ls_pool_used());
	return 0;
}
late_initcall(ls_late_init);
