// SPDX-License-Identifier: GPL-2.0
/*
 * leakscan object index and reachability analysis.
 *
 * Objects live in three red-black trees ordered by start address: virtual
 * addresses, percpu cookies and physical addresses. Objects in one tree
 * never overlap, so a descent finds the object containing an address.
 *
 * A scan colours objects in the usual tri-colour way, with the colour kept
 * implicit: an object is reachable once @count has reached @min_count; it
 * is then queued once on the work list, and its contents are scanned when
 * it comes off the list. Objects that stay below @min_count are leak
 * candidates; ls_scan_end() makes suspects of those that were unreferenced
 * in two consecutive scans, with unchanged contents, and are old enough,
 * and after a confirming pass reports those still unreferenced once enough
 * scans in a row found them so (see ls_judge()).
 *
 * The caller holds the index lock for every call (see core.c). A
 * &struct ls_scan_ops callback may drop it while it reads memory, so
 * nothing here keeps a tree position across a callback: the work list
 * holds the objects, and LS_QUEUED keeps a queued object's metadata alive
 * if it is freed meanwhile (it is then marked LS_FREED and buried).
 */

#include "growth.h"

/* Flags that only mean something during a scan. */
#define LS_SCAN_FLAGS	(LS_QUEUED | LS_PENDING | LS_NEW | LS_DONE)

static __always_inline unsigned long ls_end(const struct ls_object *obj)
{
	return obj->start + (obj->size ? obj->size : 1);
}

void ls_index_init(struct ls_index *idx, const struct ls_scan_ops *ops)
{
	struct ls_tree *trees[] = { &idx->virt, &idx->percpu, &idx->phys };
	int i;

	*idx = (struct ls_index){ .ops = ops };
	for (i = 0; i < 3; i++) {
		trees[i]->root = RB_ROOT;
		trees[i]->lo = ~0UL;
		trees[i]->hi = 0;
	}
}

struct ls_tree *ls_tree_of(struct ls_index *idx, u32 flags)
{
	if (flags & LS_PERCPU)
		return &idx->percpu;
	if (flags & LS_PHYS)
		return &idx->phys;
	return &idx->virt;
}

struct ls_object *ls_first(struct ls_tree *tree)
{
	struct rb_node *n = rb_first(&tree->root);

	return n ? rb_entry(n, struct ls_object, node) : NULL;
}

struct ls_object *ls_next(struct ls_object *obj)
{
	struct rb_node *n = rb_next(&obj->node);

	return n ? rb_entry(n, struct ls_object, node) : NULL;
}

/* Objects visited between two calls of ops->relax. */
#define LS_BATCH	1024

/*
 * The object after @obj in @tree, in a walk over the whole tree. Every
 * LS_BATCH steps, ops->relax may drop the lock for a while; @obj may be
 * gone when it comes back, so the walk goes on from the first object past
 * its start address.
 */
static struct ls_object *ls_step(struct ls_index *idx, struct ls_tree *tree,
				 struct ls_object *obj, unsigned int *n)
{
	unsigned long next;

	if (++*n % LS_BATCH || !idx->ops->relax)
		return ls_next(obj);
	next = obj->start + 1;
	idx->ops->relax(idx);
	return ls_lookup_from(tree, next);
}

/* Hand metadata back to the caller, to be freed once the lock is dropped. */
static void ls_bury(struct ls_index *idx, struct ls_object *obj)
{
	__llist_add(&obj->free, &idx->graveyard);
}

/**
 * ls_take_graveyard - take the metadata that is no longer in use
 * @idx: the index
 *
 * Return: a list of objects linked through their @free, for the caller
 * to free once it has dropped the lock (ls_release() in core.c).
 */
struct llist_node *ls_take_graveyard(struct ls_index *idx)
{
	return __llist_del_all(&idx->graveyard);
}

/* For rb_find_add(): a new object before, overlapping or after another. */
static int ls_cmp_overlap(struct rb_node *a, const struct rb_node *b)
{
	const struct ls_object *x = rb_entry(a, struct ls_object, node);
	const struct ls_object *y = rb_entry(b, struct ls_object, node);

	if (ls_end(x) <= y->start)
		return -1;
	return x->start >= ls_end(y);
}

/* For rb_find(): the address @key before, inside or after an object. */
static int ls_cmp_holds(const void *key, const struct rb_node *n)
{
	const struct ls_object *o = rb_entry(n, struct ls_object, node);
	unsigned long addr = (unsigned long)key;

	if (addr < o->start)
		return -1;
	return addr >= ls_end(o);
}

/*
 * For rb_find_first(): objects starting at or after the address @key
 * match, those before it are to its left.
 */
static int ls_cmp_from(const void *key, const struct rb_node *n)
{
	const struct ls_object *o = rb_entry(n, struct ls_object, node);

	return o->start < (unsigned long)key;
}

/**
 * ls_insert - add an object to its tree
 * @idx: the index
 * @obj: the object, with start, size and flags set
 *
 * Return: NULL, or an object @obj would overlap, in which case nothing was
 * inserted.
 */
struct ls_object *ls_insert(struct ls_index *idx, struct ls_object *obj)
{
	struct ls_tree *tree = ls_tree_of(idx, obj->flags);
	unsigned long end = ls_end(obj);
	struct rb_node *clash;

	clash = rb_find_add(&obj->node, &tree->root, ls_cmp_overlap);
	if (clash)
		return rb_entry(clash, struct ls_object, node);
	obj->flags &= ~LS_SCAN_FLAGS;
	if (idx->scanning) {
		obj->flags |= LS_NEW;
		idx->nr_new++;
	}
	obj->count = 0;
	if (obj->start < tree->lo)
		tree->lo = obj->start;
	if (end > tree->hi)
		tree->hi = end;
	idx->nr_objects++;
	idx->bytes += obj->size;
	return NULL;
}

/**
 * ls_lookup - find the object containing an address
 * @tree: the tree to search
 * @addr: the address
 *
 * Return: the object, or NULL.
 */
struct ls_object *ls_lookup(struct ls_tree *tree, unsigned long addr)
{
	struct rb_node *n = rb_find((const void *)addr, &tree->root, ls_cmp_holds);

	return n ? rb_entry(n, struct ls_object, node) : NULL;
}

/**
 * ls_lookup_start - find the object that starts at an address
 * @tree: the tree to search
 * @addr: the address
 *
 * Return: the object, or NULL.
 */
struct ls_object *ls_lookup_start(struct ls_tree *tree, unsigned long addr)
{
	struct ls_object *o = ls_lookup(tree, addr);

	return o && o->start == addr ? o : NULL;
}

/**
 * ls_lookup_from - find the first object starting at or after an address
 * @tree: the tree to search
 * @addr: the address
 *
 * Return: the object, or NULL.
 */
struct ls_object *ls_lookup_from(struct ls_tree *tree, unsigned long addr)
{
	struct rb_node *n = rb_find_first((const void *)addr, &tree->root,
					  ls_cmp_from);

	return n ? rb_entry(n, struct ls_object, node) : NULL;
}

/* Clear LS_NEW, keeping count of the objects that have it. */
static void ls_clear_new(struct ls_index *idx, struct ls_object *obj)
{
	if (obj->flags & LS_NEW) {
		obj->flags &= ~LS_NEW;
		idx->nr_new--;
	}
}

/**
 * ls_remove - take an object out of the index
 * @idx: the index
 * @obj: the object
 *
 * Its metadata goes to the graveyard, or, if a scan has it queued, is
 * marked LS_FREED for the scan to bury when it is done with it.
 */
void ls_remove(struct ls_index *idx, struct ls_object *obj)
{
	rb_erase(&obj->node, &ls_tree_of(idx, obj->flags)->root);
	RB_CLEAR_NODE(&obj->node);
	idx->nr_objects--;
	idx->bytes -= obj->size;
	ls_clear_new(idx, obj);
	if (obj->flags & LS_QUEUED)
		obj->flags |= LS_FREED;
	else
		ls_bury(idx, obj);
}

/**
 * ls_free_part - stop tracking part of an object
 * @idx:	the index
 * @obj:	the object
 * @start:	first byte of the part that was freed
 * @size:	its size
 * @spare:	unused metadata, needed when the part is in the middle; it
 *		goes to the graveyard if it is not used
 *
 * Return: false if the part was in the middle and there was no @spare, so
 * that what follows the part is no longer tracked.
 */
bool ls_free_part(struct ls_index *idx, struct ls_object *obj,
		  unsigned long start, unsigned long size,
		  struct ls_object *spare)
{
	unsigned long end = start + size, obj_end = obj->start + obj->size;
	bool tracked = true;

	if (start <= obj->start && end >= obj_end) {
		ls_remove(idx, obj);
	} else if (start <= obj->start) {
		idx->bytes -= end - obj->start;
		obj->size = obj_end - end;
		obj->start = end;
	} else if (end >= obj_end) {
		idx->bytes -= obj_end - start;
		obj->size = start - obj->start;
	} else {
		idx->bytes -= obj_end - start;
		obj->size = start - obj->start;
		if (spare) {
			u32 early = spare->flags & LS_EARLY;

			*spare = *obj;
			spare->start = end;
			spare->size = obj_end - end;
			/* The tail is new to the judging: no suspect, no run. */
			spare->flags &= ~(LS_SCAN_FLAGS | LS_FREED | LS_EARLY |
					  LS_SUSPECT | LS_FRESH);
			spare->flags |= early;
			spare->run = 0;
			ls_insert(idx, spare);
			return true;
		}
		tracked = false;
	}
	if (spare)
		ls_bury(idx, spare);
	return tracked;
}

/**
 * ls_unreferenced - whether the last complete scan found an object a leak
 * candidate
 * @obj: the object
 *
 * Return: true if it needs references, and had too few in the last scan.
 */
bool ls_unreferenced(const struct ls_object *obj)
{
	return obj->min_count > 0 && (obj->flags & LS_WHITE);
}

/**
 * ls_is_leak - whether an object is reported and still a leak
 * @obj: the object
 *
 * Return: true if it was reported and the last scan found it unreferenced.
 */
bool ls_is_leak(const struct ls_object *obj)
{
	return (obj->flags & LS_REPORTED) && ls_unreferenced(obj);
}

/* Queue @obj to have its contents scanned, once per scan. */
static void ls_queue(struct ls_index *idx, struct ls_object *obj)
{
	if (obj->flags & (LS_DONE | LS_PENDING | LS_NO_SCAN | LS_STACK))
		return;
	if (idx->work_len < idx->work_cap) {
		idx->work[idx->work_len++] = obj;
		obj->flags |= LS_QUEUED | LS_DONE;
	} else {
		obj->flags |= LS_PENDING;
		idx->overflow = true;
	}
}

/**
 * ls_mark_root - treat an object as reachable for the rest of this scan
 * @idx: the index
 * @obj: the object
 */
void ls_mark_root(struct ls_index *idx, struct ls_object *obj)
{
	if (obj->min_count < 0)
		return;
	if (obj->count < obj->min_count)
		obj->count = obj->min_count;
	ls_queue(idx, obj);
}

/* Classification passes (ls_classify()). */
#define LS_CLASSIFY_POINTED	1	/* mark leaks that a leak points to */
#define LS_CLASSIFY_REACH	2	/* queue leaks reached from direct ones */

static void ls_ref_leak(struct ls_index *idx, struct ls_object *self,
			struct ls_object *obj)
{
	if (obj == self || !ls_is_leak(obj) || !(obj->flags & LS_QUEUED))
		return;
	if (idx->classify == LS_CLASSIFY_POINTED) {
		obj->flags |= LS_INDIRECT;
	} else if (!(obj->flags & LS_DONE) && idx->work_len < idx->work_cap) {
		obj->flags |= LS_DONE;
		idx->work[idx->work_len++] = obj;
	}
}

/* A reference to @obj was found at @where, inside @self (NULL for a root). */
static void ls_ref(struct ls_index *idx, struct ls_object *self,
		   struct ls_object *obj, const void *where)
{
	struct ls_object *block;

	if (unlikely(idx->classify)) {
		ls_ref_leak(idx, self, obj);
		return;
	}
	if (obj != self)
		obj->referrer = ls_referrer_pack(where, idx->seq);
	if (obj == self || obj->min_count < 0)
		return;
	if (obj->count < LS_REFS_MAX)
		obj->count++;
	if (obj->count == obj->min_count)
		ls_queue(idx, obj);
	/*
	 * Once a vm_struct is reachable, further references to it stand for
	 * references to the vmalloc'ed block it describes.
	 */
	if ((obj->flags & LS_VM_AREA) && obj->count > obj->min_count) {
		block = idx->ops->vm_block(idx, obj);
		if (block && block != self && block != obj)
			ls_ref(idx, self, block, where);
	}
}

/* Where the last lookups of one ls_scan_words() call ended. */
struct ls_hint {
	struct ls_object *obj;		/* the last object found */
	unsigned long gap_lo, gap_hi;	/* the last free range found */
};

/* ls_lookup(), which also gives the free range around @addr on a miss. */
static struct ls_object *ls_lookup_gap(struct ls_tree *tree, unsigned long addr,
				       struct ls_hint *hint)
{
	struct rb_node *n = tree->root.rb_node;
	unsigned long lo = 0, hi = ~0UL;

	while (n) {
		struct ls_object *o = rb_entry(n, struct ls_object, node);

		if (addr < o->start) {
			hi = o->start;
			n = n->rb_left;
		} else if (addr >= ls_end(o)) {
			lo = ls_end(o);
			n = n->rb_right;
		} else {
			return o;
		}
	}
	hint->gap_lo = lo;
	hint->gap_hi = hi;
	return NULL;
}

/*
 * The object holding @val in @tree. Pointers found next to each other tend
 * to point to the same object or to the next one (arrays, lists and slabs
 * of objects allocated one after the other), or to the same place where
 * there is none (the memory map's pointers to other struct pages), so try
 * those before a full descent. @hint is valid while the index lock is held.
 */
static struct ls_object *ls_find(struct ls_tree *tree, unsigned long val,
				 struct ls_hint *hint)
{
	struct ls_object *obj = hint->obj;

	if (val >= hint->gap_lo && val < hint->gap_hi)
		return NULL;
	if (obj) {
		if (val - obj->start < obj->size)
			return obj;
		if (val >= obj->start) {
			obj = ls_next(obj);
			if (obj && val - obj->start < obj->size) {
				hint->obj = obj;
				return obj;
			}
		}
	}
	obj = ls_lookup_gap(tree, val, hint);
	if (obj)
		hint->obj = obj;
	return obj;
}

/**
 * ls_scan_words - count the references held by a range of memory
 * @idx:	the index
 * @self:	the object the range belongs to (its references to itself
 *		do not count), or NULL for a root
 * @from:	first byte
 * @to:		end of the range
 *
 * Every aligned word that points into an object counts as one reference
 * to it.
 */
void ls_scan_words(struct ls_index *idx, struct ls_object *self,
		   const void *from, const void *to)
{
	const unsigned long *p = PTR_ALIGN(from, sizeof(long));
	const unsigned long *end = (const unsigned long *)to;
	/* One compare per range: val - lo < span, unsigned. */
	unsigned long vlo = idx->virt.lo, vspan = idx->virt.hi - idx->virt.lo;
	unsigned long plo = idx->percpu.lo, pspan = idx->percpu.hi - idx->percpu.lo;
	bool check_stale = self && (self->flags & LS_PHYS) && idx->ops->stale;
	struct ls_hint vhint = { .gap_lo = 1 }, phint = { .gap_lo = 1 };
	struct ls_object *obj;

	for (; p + 1 <= end; p++) {
		unsigned long val;

		/* Zero is the commonest word, and never a reference. */
		while (p + 4 <= end &&
		       !(READ_ONCE_NOCHECK(p[0]) | READ_ONCE_NOCHECK(p[1]) |
			 READ_ONCE_NOCHECK(p[2]) | READ_ONCE_NOCHECK(p[3])))
			p += 4;
		if (p + 1 > end)
			break;
		val = READ_ONCE_NOCHECK(*p);
		if (!val)
			continue;
		obj = NULL;
		if (val - vlo < vspan) {
			obj = ls_find(&idx->virt, val, &vhint);
			if (obj && check_stale && idx->ops->stale(idx, p, obj))
				continue;
		}
		/*
		 * Percpu cookies may lie inside the span of virtual objects
		 * (x86_64 since 6.15: kernel-image addresses), so a miss there
		 * is looked up in the percpu tree as well.
		 */
		if (!obj && val - plo < pspan)
			obj = ls_find(&idx->percpu, val, &phint);
		if (obj)
			ls_ref(idx, self, obj, p);
	}
}

/*
 * Between two pieces of a read of @obj (NULL: a root) under the lock: let
 * the lock go, then cut what is left to read, [*@start, *@end), to what
 * @obj covers now. kmemleak_free_part() may have cut it at the front, at
 * the end or in the middle (the tail is then another object). False if
 * @obj was freed meanwhile.
 */
static bool ls_span_relax(struct ls_index *idx, struct ls_object *obj,
			  unsigned long *start, unsigned long *end)
{
	unsigned long lo;

	idx->ops->relax(idx);
	idx->unpaced = 0;
	if (!obj)
		return true;
	if (obj->flags & LS_FREED)
		return false;
	if (obj->flags & LS_PERCPU)
		return true;	/* percpu objects are never cut */
	lo = idx->ops->span ? idx->ops->span(idx, obj) : obj->start;
	*start = max(*start, lo);
	*end = min(*end, lo + obj->size);
	return true;
}

/*
 * Read [@start, @end) of @obj: its words, or, if @crc is given, their
 * checksum into *@crc. If @relax, the lock is let go whenever ops->chunk
 * bytes have been read since it last was (idx->unpaced, which counts
 * across ranges and objects too), at a word boundary, so that no word is
 * split between two pieces.
 */
static void ls_read_span(struct ls_index *idx, struct ls_object *obj,
			 unsigned long start, unsigned long end, bool relax,
			 u32 *crc)
{
	unsigned long chunk = idx->ops->chunk, next;

	relax = relax && chunk && idx->ops->relax;
	while (start < end) {
		next = end;
		if (relax && idx->unpaced >= chunk) {
			if (!ls_span_relax(idx, obj, &start, &end))
				return;
			continue;
		}
		if (relax && end - start > chunk - idx->unpaced) {
			next = ALIGN_DOWN(start + chunk - idx->unpaced, sizeof(long));
			if (next <= start) {
				/* Not a whole word left before the next relax. */
				idx->unpaced = chunk;
				continue;
			}
		}
		if (crc) {
			*crc = idx->ops->crc(*crc, (const void *)start, next - start);
		} else {
			ls_scan_words(idx, obj, (void *)start, (void *)next);
			idx->scanned += next - start;
		}
		idx->unpaced += next - start;
		start = next;
	}
}

/**
 * ls_scan_span - read a range of memory, a chunk at a time
 * @idx:	the index
 * @obj:	the object the range belongs to, or NULL for a root
 * @start:	first byte
 * @end:	end of the range
 * @relax:	whether the lock may be let go (ops->relax) every ops->chunk
 *		bytes
 *
 * After a relax, @obj may have been freed, and the read stops; or it may
 * have been cut, and the rest of the range is cut to what @obj still
 * covers (ops->span).
 */
void ls_scan_span(struct ls_index *idx, struct ls_object *obj,
		  unsigned long start, unsigned long end, bool relax)
{
	ls_read_span(idx, obj, start, end, relax, NULL);
}

/**
 * ls_crc_span - extend a checksum over a range of an object
 * @idx:	the index
 * @obj:	the object
 * @crc:	the checksum so far
 * @start:	first byte
 * @end:	end of the range
 *
 * As ls_scan_span() reads, with ops->crc: a chunk at a time, the lock let
 * go in between. If @obj is freed meanwhile, the checksum stops there.
 *
 * Return: the checksum.
 */
u32 ls_crc_span(struct ls_index *idx, struct ls_object *obj, u32 crc,
		unsigned long start, unsigned long end)
{
	ls_read_span(idx, obj, start, end, true, &crc);
	return crc;
}

/*
 * Let the lock go once the reads since it was last let go (unpaced) come
 * to a chunk, between two objects of a list kept LS_QUEUED.
 */
static void ls_pace(struct ls_index *idx)
{
	if (!idx->ops->chunk || idx->unpaced < idx->ops->chunk || !idx->ops->relax)
		return;
	idx->ops->relax(idx);
	idx->unpaced = 0;
}

/*
 * Scans are serialised by the caller; this serves one without memory for
 * a longer list (slower, as correct). As with any list, leaks past half
 * of it are listed but not classified (ls_classify_leaks()).
 */
static struct ls_object *ls_fallback_work[LS_WORK_MIN];

/**
 * ls_scan_begin - start a scan
 * @idx:	the index
 * @work:	room for the work list
 * @cap:	its number of entries; the scan is correct with any, and
 *		fastest with one per object
 *
 * Resets the reference counts and queues the roots (min_count 0).
 */
void ls_scan_begin(struct ls_index *idx, struct ls_object **work, size_t cap)
{
	struct ls_tree *trees[] = { &idx->virt, &idx->percpu, &idx->phys };
	struct ls_object *obj;
	int i;

	if (!cap) {
		work = ls_fallback_work;
		cap = ARRAY_SIZE(ls_fallback_work);
	}
	idx->work = work;
	idx->work_cap = cap;
	idx->work_len = 0;
	idx->overflow = false;
	idx->scanning = true;
	idx->scanned = 0;
	idx->unpaced = 0;
	idx->steps = 0;
	idx->pending_tree = 0;
	idx->pending_from = 0;
	idx->seq++;
	for (i = 0; i < 3; i++) {
		for (obj = ls_first(trees[i]); obj;
		     obj = ls_step(idx, trees[i], obj, &idx->steps)) {
			obj->count = 0;
			/* LS_NEW marks what was inserted since scanning was set. */
			obj->flags &= ~((LS_SCAN_FLAGS & ~LS_NEW) | LS_FRESH);
			if (obj->min_count == LS_MIN_ROOT)
				ls_queue(idx, obj);
		}
	}
}

/*
 * Queue the objects created during the scan (LS_NEW) as roots, while there
 * is room; set @idx->overflow if some had to wait. Return how many were
 * queued.
 */
static size_t ls_requeue_new(struct ls_index *idx)
{
	struct ls_tree *trees[] = { &idx->virt, &idx->percpu, &idx->phys };
	struct ls_object *obj;
	size_t queued = 0;
	int i;

	for (i = 0; i < 3; i++) {
		for (obj = ls_first(trees[i]); obj;
		     obj = ls_step(idx, trees[i], obj, &idx->steps)) {
			if (!(obj->flags & LS_NEW))
				continue;
			if (idx->work_len == idx->work_cap) {
				idx->overflow = true;
				return queued;
			}
			ls_clear_new(idx, obj);
			ls_mark_root(idx, obj);
			queued++;
		}
	}
	return queued;
}

/*
 * Queue the objects that had to wait (LS_PENDING), while there is room;
 * set @idx->overflow if some still wait. The walk goes on from where the
 * last one stopped and goes round the trees once, so that what waits
 * costs a round of the trees per round of the work list, not a walk from
 * the first object per list's worth.
 */
static void ls_requeue_pending(struct ls_index *idx)
{
	struct ls_tree *trees[] = { &idx->virt, &idx->percpu, &idx->phys };
	unsigned long from = idx->pending_from;
	int t = idx->pending_tree, i;
	struct ls_object *obj;

	/* The rest of the tree it stopped in, the others, then its start. */
	for (i = 0; i < 4; i++, t = (t + 1) % 3) {
		obj = ls_lookup_from(trees[t], i ? 0 : from);
		for (; obj; obj = ls_step(idx, trees[t], obj, &idx->steps)) {
			if (i == 3 && obj->start >= from)
				return;
			if (!(obj->flags & LS_PENDING))
				continue;
			if (idx->work_len == idx->work_cap) {
				idx->pending_tree = t;
				idx->pending_from = obj->start;
				idx->overflow = true;
				return;
			}
			obj->flags &= ~LS_PENDING;
			ls_queue(idx, obj);
		}
	}
}

static void ls_drain_work(struct ls_index *idx)
{
	struct ls_object *obj;

	while (idx->work_len) {
		/*
		 * No more than ops->chunk bytes read between two relax calls,
		 * however many objects they are in. Nothing is held across
		 * one: the next object comes off the list after it.
		 */
		ls_pace(idx);
		obj = idx->work[--idx->work_len];
		if (obj->flags & LS_FREED) {
			/* Freed while queued: only bury it. */
		} else if (!(obj->flags & (LS_PERCPU | LS_PHYS | LS_AREAS | LS_SHEAF)) &&
			   obj->size <= idx->ops->direct_max) {
			ls_scan_words(idx, obj, (void *)obj->start,
				      (void *)(obj->start + obj->size));
			idx->scanned += obj->size;
			idx->unpaced += obj->size;
		} else {
			idx->ops->scan_object(idx, obj);
		}
		obj->flags &= ~LS_QUEUED;
		if (obj->flags & LS_FREED)
			ls_bury(idx, obj);
	}
}

/* Rounds of objects created during the scan that are scanned as roots. */
#define LS_NEW_ROUNDS	4

/**
 * ls_scan_drain - scan everything reachable from what is queued
 * @idx: the index
 *
 * Objects created during the scan count as roots: they are too young to
 * be reported, but they may hold the only reference to older objects. So
 * that an allocation storm cannot keep the scan going for ever, only
 * LS_NEW_ROUNDS rounds of them are scanned; the two-scan rule of
 * ls_scan_end() covers the rest.
 */
void ls_scan_drain(struct ls_index *idx)
{
	int rounds = 0;

	for (;;) {
		ls_drain_work(idx);
		if (idx->overflow) {
			idx->overflow = false;
			ls_requeue_pending(idx);
			continue;
		}
		/* Only walk the trees for new objects if there are any. */
		if (rounds++ == LS_NEW_ROUNDS || !idx->nr_new ||
		    !ls_requeue_new(idx))
			break;
	}
}

/* Found referenced: no leak, and its run of unreferenced scans is over. */
static void ls_referenced(struct ls_object *obj)
{
	obj->flags &= ~(LS_WHITE | LS_SUSPECT);
	obj->run = 0;
}

/*
 * Decide about one unreferenced object; may drop the lock (checksum).
 * A scan proper makes it a suspect when this scan and the one before found
 * it unreferenced, its contents did not change between them, it is old
 * enough and not reported yet. The confirming pass, which reads everything
 * again without looking at contents, counts each suspect still
 * unreferenced as one more scan of its run, and reports it once the run
 * is rule->min_unref long.
 */
static unsigned long ls_judge(struct ls_index *idx, struct ls_object *obj,
			      const struct ls_rule *rule)
{
	bool was_white = obj->flags & LS_WHITE;
	u32 crc;

	if (rule->confirm) {
		if (!(obj->flags & LS_SUSPECT))
			return 0;
		obj->flags &= ~LS_SUSPECT;
		if (obj->run < LS_RUN_MAX)
			obj->run++;
		/* A run stops counting at LS_RUN_MAX: so does the rule. */
		if (obj->run < clamp(rule->min_unref, 1U, LS_RUN_MAX))
			return 0;
		obj->flags |= LS_REPORTED | LS_FRESH;
		return 1;
	}
	obj->flags &= ~LS_SUSPECT;
	/* Contents that must not be read count as unchanged. */
	crc = obj->flags & LS_NO_SCAN ? 0 : idx->ops->checksum(idx, obj);
	if (obj->flags & LS_FREED)
		return 0;
	obj->flags |= LS_WHITE;
	if (!was_white || crc != obj->checksum) {
		obj->run = 0;
		obj->checksum = crc;
		return 0;
	}
	if ((u32)(rule->now - obj->jiffies) < rule->min_age ||
	    (obj->flags & LS_REPORTED))
		return 0;
	obj->flags |= LS_SUSPECT;
	return 1;
}

/* Read the contents of the leaks in @list[0..n), unless freed meanwhile. */
static void ls_read_leaks(struct ls_index *idx, struct ls_object **list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!(list[i]->flags & (LS_FREED | LS_NO_SCAN)))
			idx->ops->scan_object(idx, list[i]);
		ls_pace(idx);
	}
}

/* Queue-and-read from the top of the work list, marking what is reached. */
static void ls_reach(struct ls_index *idx, size_t base)
{
	struct ls_object *obj;

	while (idx->work_len > base) {
		obj = idx->work[--idx->work_len];
		ls_read_leaks(idx, &obj, 1);
	}
}

/* Which of two leaks in unreached cycles is made direct first. */
static bool ls_before(const struct ls_object *a, const struct ls_object *b,
		      u32 now)
{
	u32 age_a = now - a->jiffies, age_b = now - b->jiffies;

	return age_a > age_b || (age_a == age_b && a->start < b->start);
}

static void ls_swap(struct ls_object **a, struct ls_object **b)
{
	struct ls_object *t = *a;

	*a = *b;
	*b = t;
}

/* Restore the heap order of @heap[0..n) below @i (ls_before() first). */
static void ls_sift_down(struct ls_object **heap, size_t n, size_t i, u32 now)
{
	size_t child;

	while ((child = 2 * i + 1) < n) {
		if (child + 1 < n && ls_before(heap[child + 1], heap[child], now))
			child++;
		if (!ls_before(heap[child], heap[i], now))
			break;
		ls_swap(&heap[child], &heap[i]);
		i = child;
	}
}

/*
 * Sort the leaks in @list[0..n) into direct and indirect ones, as
 * LeakSanitizer does: a leak that no other leak points to is direct; the
 * leaks reached from a direct one are indirect. What is left is in leaked
 * cycles (and reached from them only): the oldest of it (then the lowest
 * address) is made direct, and what it reaches indirect, until nothing is
 * left. Every leak ends up direct or reachable from a direct one.
 *
 * The leaks are LS_QUEUED, so that metadata freed meanwhile stays, and the
 * lock may be let go between two of them (ls_pace()). The work list above
 * @n is the stack of the traversal. The cycles are taken from a heap of
 * what is left, built in place at the front of @list: O(n) for the
 * reading and the heap, and O(log n) for each leak taken from it. (A leak
 * cut at the front while the lock is let go keeps its place in the heap,
 * by its old address: only which member of its cycle is direct may
 * differ.)
 */
static void ls_classify(struct ls_index *idx, struct ls_object **list, size_t n,
			u32 now)
{
	struct ls_object *next;
	size_t i, left = 0;

	for (i = 0; i < n; i++)
		list[i]->flags &= ~(LS_INDIRECT | LS_DONE);
	idx->classify = LS_CLASSIFY_POINTED;
	ls_read_leaks(idx, list, n);

	idx->classify = LS_CLASSIFY_REACH;
	idx->work_len = n;
	for (i = 0; i < n; i++) {
		if (list[i]->flags & (LS_INDIRECT | LS_DONE))
			continue;
		list[i]->flags |= LS_DONE;
		idx->work[idx->work_len++] = list[i];
		ls_reach(idx, n);
	}
	/* What is left, to the front; the order of @list does not matter. */
	for (i = 0; i < n; i++) {
		if (!(list[i]->flags & (LS_DONE | LS_FREED))) {
			ls_swap(&list[i], &list[left]);
			left++;
		}
	}
	for (i = left / 2; i-- > 0;) {
		ls_sift_down(list, left, i, now);
		/* Paced by the metadata a sift reads, about. */
		idx->unpaced += sizeof(*next);
		ls_pace(idx);
	}
	while (left) {
		next = list[0];
		left--;
		ls_swap(&list[0], &list[left]);
		ls_sift_down(list, left, 0, now);
		idx->unpaced += sizeof(*next);
		ls_pace(idx);
		if (next->flags & (LS_DONE | LS_FREED))
			continue;
		next->flags &= ~LS_INDIRECT;
		next->flags |= LS_DONE;
		idx->work[idx->work_len++] = next;
		ls_reach(idx, n);
	}
	idx->classify = 0;
	idx->work_len = 0;
}

/* Collect the leaks into the work list, LS_QUEUED, and classify them. */
static void ls_classify_leaks(struct ls_index *idx, u32 now)
{
	struct ls_tree *trees[] = { &idx->virt, &idx->percpu };
	unsigned int steps = 0;
	struct ls_object *obj;
	size_t n = 0, i;
	int t;

	for (t = 0; t < 2; t++) {
		for (obj = ls_first(trees[t]); obj; obj = ls_step(idx, trees[t], obj, &steps)) {
			if (!ls_is_leak(obj))
				continue;
			/* Half the list, for the traversal's stack. */
			if (n == idx->work_cap / 2)
				break;
			obj->flags |= LS_QUEUED;
			idx->work[n++] = obj;
		}
	}
	ls_classify(idx, idx->work, n, now);
	idx->nr_leaks = 0;
	idx->nr_indirect = 0;
	for (i = 0; i < n; i++) {
		obj = idx->work[i];
		if (!(obj->flags & LS_FREED)) {
			idx->nr_leaks++;
			idx->nr_indirect += !!(obj->flags & LS_INDIRECT);
		}
		obj->flags &= ~LS_QUEUED;
		if (obj->flags & LS_FREED)
			ls_bury(idx, obj);
	}
}

/**
 * ls_scan_end - finish a scan, or its confirming pass, and judge
 * @idx:	the index
 * @rule:	how (see ls_judge()): a scan proper picks the suspects, the
 *		confirming pass that must follow when there are any reports
 *		those of them that stay unreferenced
 *
 * Each reachable object is tallied in @idx->growth, if set, as the walk
 * passes it (ls_tally_add(): O(1)).
 *
 * Return: the number of suspects (a scan proper) or of new leaks (the
 * confirming pass).
 */
unsigned long ls_scan_end(struct ls_index *idx, const struct ls_rule *rule)
{
	struct ls_tree *trees[] = { &idx->virt, &idx->percpu };
	unsigned long found = 0;
	unsigned int steps = 0;
	struct ls_object *obj;
	size_t n, i;
	bool more;
	int t;

	/*
	 * Objects created from here on were not there when the scan read
	 * memory: they are simply young. And the walk below clears LS_NEW
	 * from those created before, so that no scan flag but LS_PENDING
	 * and LS_DONE (which ls_scan_begin() clears) outlives the scan,
	 * without another walk over every object.
	 */
	idx->scanning = false;
	/*
	 * The work list is empty: reuse it to hold the candidates, so that
	 * no tree position is kept while a checksum drops the lock.
	 * LS_PENDING marks the objects already judged.
	 */
	do {
		more = false;
		n = 0;
		for (t = 0; t < 2 && !more; t++) {
			for (obj = ls_first(trees[t]); obj;
			     obj = ls_step(idx, trees[t], obj, &steps)) {
				if (obj->flags & LS_PENDING)
					continue;
				/* Reachable ones are judged here, without a checksum. */
				if (obj->min_count <= 0 || obj->count >= obj->min_count) {
					ls_clear_new(idx, obj);
					ls_referenced(obj);
					if (idx->growth)
						ls_tally_add(idx->growth, obj);
					obj->flags |= LS_PENDING;
					continue;
				}
				if (n == idx->work_cap) {
					more = true;
					break;
				}
				ls_clear_new(idx, obj);
				obj->flags |= LS_PENDING | LS_QUEUED;
				idx->work[n++] = obj;
			}
		}
		for (i = 0; i < n; i++) {
			obj = idx->work[i];
			if (!(obj->flags & LS_FREED))
				found += ls_judge(idx, obj, rule);
			obj->flags &= ~LS_QUEUED;
			if (obj->flags & LS_FREED)
				ls_bury(idx, obj);
			/* Those left to judge are still LS_QUEUED. */
			ls_pace(idx);
		}
	} while (more);

	/* Suspects are classified after their confirming pass. */
	if (rule->confirm || !found)
		ls_classify_leaks(idx, rule->now);
	idx->work = NULL;
	idx->work_cap = 0;
	return found;
}

/**
 * ls_clear - stop reporting the current leaks, for good
 * @idx: the index
 *
 * Each object reported and still unreferenced becomes a root: it is
 * scanned from now on and never reported.
 *
 * Return: the number of objects cleared.
 */
unsigned long ls_clear(struct ls_index *idx)
{
	struct ls_tree *trees[] = { &idx->virt, &idx->percpu };
	struct ls_object *obj;
	unsigned int steps = 0;
	unsigned long n = 0;
	int t;

	for (t = 0; t < 2; t++) {
		for (obj = ls_first(trees[t]); obj; obj = ls_step(idx, trees[t], obj, &steps)) {
			if ((obj->flags & LS_REPORTED) && ls_unreferenced(obj)) {
				obj->min_count = LS_MIN_ROOT;
				ls_referenced(obj);
				n++;
			}
		}
	}
	return n;
}
