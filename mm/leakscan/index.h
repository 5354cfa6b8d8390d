/* SPDX-License-Identifier: GPL-2.0 */
/*
 * leakscan's object index and reachability analysis: the engine's pure
 * logic, free of locking, allocation and hardware, so that it builds and is
 * unit-tested on the host (tools/testing/leakscan/).
 *
 * Every function here expects the caller to hold the index lock (core.c).
 * None of them allocates or frees memory: metadata is allocated before the
 * lock is taken and released after it is dropped.
 */
#ifndef MM_LEAKSCAN_INDEX_H
#define MM_LEAKSCAN_INDEX_H

#include "index_internal.h"

/* Object flags. */
#define LS_NO_SCAN	0x0001	/* never read its contents */
#define LS_PERCPU	0x0002	/* start is a __percpu cookie */
#define LS_PHYS		0x0004	/* start is a physical address */
#define LS_AREAS	0x0008	/* scan only its scan areas (core.c) */
#define LS_VM_AREA	0x0010	/* a vm_struct: surplus references pass on */
#define LS_STACK	0x0020	/* a task stack: scanned by the task walk */
#define LS_REPORTED	0x0040	/* counted as a new leak once */
#define LS_WHITE	0x0080	/* unreferenced in the last complete scan */
#define LS_QUEUED	0x0100	/* on the scan's work list */
#define LS_PENDING	0x0200	/* reachable, waits for room on the work list */
#define LS_FREED	0x0400	/* freed while queued: the scanner releases it */
#define LS_NEW		0x0800	/* created while a scan runs */
#define LS_EARLY	0x1000	/* metadata from the early pool */
#define LS_DONE		0x2000	/* queued once in this scan */
#define LS_FRESH	0x4000	/* reported by the last scan, for the first time */
#define LS_INDIRECT	0x8000	/* a leak that only other leaks point to */
#define LS_SUSPECT	0x10000	/* a candidate the confirming pass looks at */
#define LS_SHEAF	0x20000	/* a SLUB sheaf: only its live slots are read */
#define LS_FLAG_BITS	18
static_assert(LS_SHEAF < 1U << LS_FLAG_BITS);

/* min_count values with a meaning of their own. */
#define LS_MIN_IGNORE	(-1)	/* neither scanned nor reported */
#define LS_MIN_ROOT	0	/* scanned, never reported */

/*
 * The widths of the packed fields of struct ls_object on 64-bit kernels.
 * A larger min_count is stored as LS_MIN_COUNT_MAX (the kernel passes at
 * most 2); @count stops at LS_REFS_MAX, above any min_count; a run stops
 * counting at LS_RUN_MAX, and ls_scan_end() takes a longer
 * kmemleak.min_unref_scans as LS_RUN_MAX. A pid fits in 22 bits
 * (PID_MAX_LIMIT), and an object's size in 42 (4 TiB).
 */
#define LS_MIN_COUNT_BITS	4
#define LS_MIN_COUNT_MAX	((1 << (LS_MIN_COUNT_BITS - 1)) - 1)
#define LS_REFS_BITS		4
#define LS_REFS_MAX		((1U << LS_REFS_BITS) - 1)
#define LS_RUN_BITS		(32 - LS_FLAG_BITS - LS_MIN_COUNT_BITS - LS_REFS_BITS)
#define LS_RUN_MAX		((1U << LS_RUN_BITS) - 1)
#define LS_PID_BITS		22
#define LS_SIZE_BITS		(64 - LS_PID_BITS)
#ifdef CONFIG_64BIT
#define LS_SIZE_MAX		((1UL << LS_SIZE_BITS) - 1)
#else
#define LS_SIZE_MAX		ULONG_MAX
#endif

/**
 * struct ls_object - metadata of one tracked memory block (64 bytes, one
 *		      cache line, on 64-bit kernels)
 * @node:	link in its &struct ls_tree, ordered by @start
 * @free:	once out of the tree: link in the graveyard or a free list
 * @start:	first byte (a virtual, percpu or physical address)
 * @referrer:	where the last reference to it was found, and in which scan
 *		(ls_referrer_*())
 * @size:	size in bytes, at most LS_SIZE_MAX
 * @pid:	pid of the allocating task, 0 in interrupt context
 * @trace:	stack depot handle of the allocation backtrace and comm
 * @checksum:	CRC of the contents when last found unreferenced
 * @jiffies:	low 32 bits of jiffies at allocation
 * @flags:	LS_* flags
 * @run:	scans in a row, each with its confirming pass, that found it
 *		unreferenced with unchanged contents (kmemleak.min_unref_scans);
 *		stops at LS_RUN_MAX
 * @min_count:	references needed to be reachable (or LS_MIN_*), at most
 *		LS_MIN_COUNT_MAX
 * @count:	references found by the scan in progress, up to LS_REFS_MAX
 */
struct ls_object {
	union {
		struct rb_node node;
		struct llist_node free;
	};
	unsigned long start;
	unsigned long referrer;
#ifdef CONFIG_64BIT
	/* The size in the high bits: a shift, no mask, reads it. */
	unsigned long pid : LS_PID_BITS;
	unsigned long size : LS_SIZE_BITS;
#else
	unsigned long size;
	u32 pid;
#endif
	depot_stack_handle_t trace;
	u32 checksum;
	u32 jiffies;
	u32 flags : LS_FLAG_BITS;
	u32 run : LS_RUN_BITS;
	s32 min_count : LS_MIN_COUNT_BITS;
	u32 count : LS_REFS_BITS;
};

/* The min_count to store for one a caller gives: clamped to what fits. */
static inline int ls_min_count(long min_count)
{
	return clamp(min_count, (long)LS_MIN_IGNORE, (long)LS_MIN_COUNT_MAX);
}

/**
 * struct ls_rule - how ls_scan_end() judges
 * @now:	jiffies (low 32 bits)
 * @min_age:	minimum age of a leak, in jiffies
 * @min_unref:	scans in a row, each confirmed, that must find a leak
 *		unreferenced and unchanged (0 counts as 1)
 * @confirm:	false for a scan proper, which picks the suspects; true for
 *		the confirming pass after it, which reports those of them
 *		still unreferenced once their run is long enough
 */
struct ls_rule {
	u32 now;
	u32 min_age;
	u32 min_unref;
	bool confirm;
};

/*
 * A referrer packs the address of the referencing word (aligned, so its
 * low 3 bits are free, and a kernel address, whose top bits are all ones)
 * with the low LS_SCAN_SEQ_BITS of the number of the scan that found it.
 */
#define LS_SCAN_SEQ_BITS	10
#define LS_SCAN_SEQ_MASK	((1UL << LS_SCAN_SEQ_BITS) - 1)

static inline unsigned long ls_referrer_pack(const void *where, unsigned long seq)
{
	return ((unsigned long)where << (LS_SCAN_SEQ_BITS - 3)) | (seq & LS_SCAN_SEQ_MASK);
}

/* The referencing word's address (0 if none was ever recorded). */
static inline unsigned long ls_referrer_where(unsigned long referrer)
{
	if (!referrer)
		return 0;
	/* Restore the top bits, all ones in a kernel address. */
	return ((long)referrer >> (LS_SCAN_SEQ_BITS - 3)) & ~7UL;
}

static inline unsigned long ls_referrer_seq(unsigned long referrer)
{
	return referrer & LS_SCAN_SEQ_MASK;
}

/* One address space of objects, with the bounds of all objects ever in it. */
struct ls_tree {
	struct rb_root root;
	unsigned long lo;
	unsigned long hi;
};

struct ls_index;
struct ls_growth;

/**
 * struct ls_scan_ops - what the scan needs from its environment
 * @scan_object: read the contents of @obj, calling ls_scan_words() on them.
 *		May drop and retake the index lock between pieces, and must
 *		stop once @obj has LS_FREED set.
 * @checksum:	CRC of the contents of @obj, in the same way: through
 *		ls_crc_span().
 * @crc:	extend @crc over @len bytes at @p (ls_crc_span()).
 * @vm_block:	for an LS_VM_AREA object, the vmalloc'ed object it
 *		describes, or NULL.
 * @relax:	drop the index lock for a while: every so many objects in a
 *		walk over a whole tree, and every @chunk bytes read or
 *		checksummed. Optional.
 * @stale:	whether the word at @where, inside an LS_PHYS object, is known
 *		not to be a reference to @obj although it points to it.
 *		Optional.
 * @direct_max:	objects without LS_PERCPU, LS_PHYS, LS_AREAS or LS_SHEAF and at most
 *		this big are read by the index itself, as one range of
 *		memory, instead of through @scan_object. 0 for never.
 * @span:	where the contents of @obj (not LS_PERCPU) start, as an
 *		address to read: for LS_PHYS, that of its physical address.
 *		Optional: @obj->start if not given.
 * @chunk:	at most this many bytes are read or checksummed between two
 *		@relax calls, in one range or in many. 0 for no limit.
 */
struct ls_scan_ops {
	void (*scan_object)(struct ls_index *idx, struct ls_object *obj);
	u32 (*checksum)(struct ls_index *idx, struct ls_object *obj);
	u32 (*crc)(u32 crc, const void *p, size_t len);
	struct ls_object *(*vm_block)(struct ls_index *idx, struct ls_object *obj);
	void (*relax)(struct ls_index *idx);
	bool (*stale)(struct ls_index *idx, const void *where,
		      struct ls_object *obj);
	unsigned long (*span)(struct ls_index *idx, struct ls_object *obj);
	unsigned long direct_max;
	unsigned long chunk;
};

/**
 * struct ls_index - all tracked objects, and the state of a scan
 * @virt:	objects by virtual address
 * @percpu:	percpu objects, by cookie
 * @phys:	objects by physical address
 * @nr_objects:	objects in the three trees
 * @nr_new:	objects flagged LS_NEW
 * @bytes:	their total size
 * @ops:	scan callbacks
 * @work:	the work list (a stack) of objects whose contents to scan
 * @work_len:	entries in use
 * @work_cap:	entries available
 * @overflow:	the work list was full: an object waits, LS_PENDING, or
 *		objects created during the scan wait, LS_NEW
 * @pending_tree: the tree (virt, percpu, phys: 0 to 2) where the last
 *		walk for LS_PENDING objects stopped
 * @pending_from: and the address it stopped at
 * @steps:	tree steps of the scan's walks, for ops->relax
 * @scanning:	a scan is between ls_scan_begin() and ls_scan_end()
 * @scanned:	bytes read by the scan in progress (or the last one); the
 *		scan_object callback adds what it reads
 * @unpaced:	bytes read or checksummed since the lock was last let go
 * @nr_leaks:	leaks listed after the last scan
 * @nr_indirect: of which indirect
 * @seq:	the number of the scan in progress, or of the last one
 * @classify:	what references count for while leaks are classified
 *		(LS_CLASSIFY_*), or 0 during the scan proper
 * @graveyard:	freed metadata for the caller to release
 * @growth:	if set, where ls_scan_end() tallies the reachable objects
 *		by backtrace (growth.h)
 */
struct ls_index {
	struct ls_tree virt;
	struct ls_tree percpu;
	struct ls_tree phys;
	unsigned long nr_objects;
	unsigned long nr_new;
	unsigned long bytes;
	const struct ls_scan_ops *ops;
	struct ls_object **work;
	size_t work_len;
	size_t work_cap;
	bool overflow;
	bool scanning;
	int pending_tree;
	unsigned long pending_from;
	unsigned int steps;
	unsigned long scanned;
	unsigned long unpaced;
	unsigned long nr_leaks;
	unsigned long nr_indirect;
	unsigned long seq;
	int classify;
	struct llist_head graveyard;
	struct ls_growth *growth;
};

/* Entries of the work list that a scan always has (4 KiB on 64-bit). */
#define LS_WORK_MIN	512

#define LS_TREE_INIT	{ .root = RB_ROOT, .lo = ~0UL, .hi = 0 }
/* A static initialiser, the same as ls_index_init(). */
#define LS_INDEX_INIT(scan_ops) {					\
	.virt = LS_TREE_INIT, .percpu = LS_TREE_INIT,			\
	.phys = LS_TREE_INIT, .ops = (scan_ops),			\
}

void ls_index_init(struct ls_index *idx, const struct ls_scan_ops *ops);
struct ls_tree *ls_tree_of(struct ls_index *idx, u32 flags);
struct ls_object *ls_insert(struct ls_index *idx, struct ls_object *obj);
struct ls_object *ls_lookup(struct ls_tree *tree, unsigned long addr);
struct ls_object *ls_lookup_start(struct ls_tree *tree, unsigned long addr);
struct ls_object *ls_lookup_from(struct ls_tree *tree, unsigned long addr);
void ls_remove(struct ls_index *idx, struct ls_object *obj);
bool ls_free_part(struct ls_index *idx, struct ls_object *obj,
		  unsigned long start, unsigned long size,
		  struct ls_object *spare);
struct ls_object *ls_first(struct ls_tree *tree);
struct ls_object *ls_next(struct ls_object *obj);

bool ls_unreferenced(const struct ls_object *obj);
bool ls_is_leak(const struct ls_object *obj);
void ls_scan_begin(struct ls_index *idx, struct ls_object **work, size_t cap);
void ls_scan_words(struct ls_index *idx, struct ls_object *self,
		   const void *from, const void *to);
void ls_scan_span(struct ls_index *idx, struct ls_object *obj,
		  unsigned long start, unsigned long end, bool relax);
u32 ls_crc_span(struct ls_index *idx, struct ls_object *obj, u32 crc,
		unsigned long start, unsigned long end);
void ls_mark_root(struct ls_index *idx, struct ls_object *obj);
void ls_scan_drain(struct ls_index *idx);
unsigned long ls_scan_end(struct ls_index *idx, const struct ls_rule *rule);
unsigned long ls_clear(struct ls_index *idx);
struct llist_node *ls_take_graveyard(struct ls_index *idx);

#endif /* MM_LEAKSCAN_INDEX_H */
