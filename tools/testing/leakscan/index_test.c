// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of mm/leakscan/index.c: the object index, free_part,
 * colouring and min_count, interior pointers, chains and cycles, the
 * checksum and age rules, clear, the work-list overflow path and objects
 * freed or created while a scan runs.
 *
 * Objects are real heap blocks of this process; the "data section" whose
 * words are the roots is the roots[] array below.
 */
#include "index_internal.h"
#include "../../../mm/leakscan/index.c"

#include <stdlib.h>

#include "test.h"

#define MIN_AGE 5

static struct ls_index idx;
static u32 now;
static void *roots[16];
static size_t work_cap;
static void (*during_scan)(struct ls_object *obj);
static void (*during_relax)(void);
static int relaxed;
/* Relax calls while the scan judges (after reading), and classifies. */
static int relaxed_judging, relaxed_classifying, relaxed_scanning;
/* Scans in a row that must find a leak (kmemleak.min_unref_scans). */
static u32 min_unref = 1;
/* Called between a scan proper and its confirming pass. */
static void (*before_confirm)(void);

/* Every block handed out, to free between tests. */
static void *blocks[16384];
static int nr_blocks;

/* The object whose contents are being read, for during_relax. */
static struct ls_object *reading;

/*
 * With chunk_ops, an LS_PHYS object's "physical address" is its block's
 * address less this; with the others, it is the block's address.
 */
#define FAKE_PHYS_OFFSET	0x100000UL

static unsigned long t_span(struct ls_index *i, struct ls_object *obj)
{
	return obj->flags & LS_PHYS ? obj->start + FAKE_PHYS_OFFSET : obj->start;
}

static void t_scan_object(struct ls_index *i, struct ls_object *obj)
{
	unsigned long start = i->ops->span ? i->ops->span(i, obj) : obj->start;

	if (during_scan)
		during_scan(obj);
	if (obj->flags & LS_FREED)
		return;
	reading = obj;
	ls_scan_span(i, obj, start, start + obj->size, true);
	reading = NULL;
}

/* FNV-1a, a piece at a time. */
static u32 t_crc(u32 h, const void *mem, size_t len)
{
	const unsigned char *p = mem;
	size_t n;

	for (n = 0; n < len; n++)
		h = (h ^ p[n]) * 16777619u;
	return h;
}

static u32 t_checksum(struct ls_index *i, struct ls_object *obj)
{
	return ls_crc_span(i, obj, 2166136261u, obj->start, obj->start + obj->size);
}

/* A stand-in for struct vm_struct: its first word is the block's address. */
struct fake_vm {
	void *addr;
};

static struct ls_object *t_vm_block(struct ls_index *i, struct ls_object *obj)
{
	struct fake_vm *vm = (struct fake_vm *)obj->start;

	return ls_lookup_start(&i->virt, (unsigned long)vm->addr);
}

static void t_relax(struct ls_index *i)
{
	relaxed++;
	if (i->classify)
		relaxed_classifying++;
	else if (!i->scanning)
		relaxed_judging++;
	else
		relaxed_scanning++;
	if (during_relax)
		during_relax();
}

static const struct ls_scan_ops ops = {
	.scan_object = t_scan_object,
	.checksum = t_checksum,
	.crc = t_crc,
	.vm_block = t_vm_block,
	.relax = t_relax,
};

/* The same, but objects of up to 64 bytes are read by the index itself. */
static const struct ls_scan_ops direct_ops = {
	.scan_object = t_scan_object,
	.checksum = t_checksum,
	.crc = t_crc,
	.vm_block = t_vm_block,
	.relax = t_relax,
	.direct_max = 64,
	.chunk = 64,
};

/* The same, reading objects a chunk of 64 bytes between relax calls. */
static const struct ls_scan_ops chunk_ops = {
	.scan_object = t_scan_object,
	.checksum = t_checksum,
	.crc = t_crc,
	.vm_block = t_vm_block,
	.relax = t_relax,
	.span = t_span,
	.chunk = 64,
};

static void free_graveyard(void)
{
	struct llist_node *node = ls_take_graveyard(&idx), *next;

	for (; node; node = next) {
		next = node->next;
		free(container_of(node, struct ls_object, free));
	}
}

static void reset(void)
{
	struct ls_tree *trees[] = { &idx.virt, &idx.percpu, &idx.phys };
	struct ls_object *obj;
	int t;

	for (t = 0; t < 3; t++)
		while ((obj = ls_first(trees[t])))
			ls_remove(&idx, obj);
	free_graveyard();
	while (nr_blocks)
		free(blocks[--nr_blocks]);
	ls_index_init(&idx, &ops);
	memset(roots, 0, sizeof(roots));
	now = 1000;
	work_cap = 1024;
	during_scan = NULL;
	during_relax = NULL;
	before_confirm = NULL;
	min_unref = 1;
	relaxed = 0;
	relaxed_judging = 0;
	relaxed_classifying = 0;
	relaxed_scanning = 0;
}

static struct ls_object *new_object(unsigned long start, size_t size,
				    int min_count, u32 flags)
{
	struct ls_object *obj = calloc(1, sizeof(*obj));

	obj->start = start;
	obj->size = size;
	obj->min_count = ls_min_count(min_count);
	obj->flags = flags;
	obj->jiffies = now;
	if (ls_insert(&idx, obj)) {
		free(obj);
		return NULL;
	}
	return obj;
}

static void *block(size_t size)
{
	void *mem = calloc(1, size);

	blocks[nr_blocks++] = mem;
	return mem;
}

/* A tracked heap block of @size bytes needing @min_count references. */
static void *tracked(size_t size, int min_count)
{
	void *mem = block(size);

	new_object((unsigned long)mem, size, min_count, 0);
	return mem;
}

static struct ls_object *obj_of(const void *mem)
{
	return ls_lookup_start(&idx.virt, (unsigned long)mem);
}

/* Objects in any tree with @flag set. */
static unsigned long count_flagged(u32 flag)
{
	struct ls_tree *trees[] = { &idx.virt, &idx.percpu, &idx.phys };
	struct ls_object *obj;
	unsigned long n = 0;
	int t;

	for (t = 0; t < 3; t++)
		for (obj = ls_first(trees[t]); obj; obj = ls_next(obj))
			n += !!(obj->flags & flag);
	return n;
}

/* One pass over the roots and what they reach, then the judgement. */
static unsigned long scan_pass(bool confirm)
{
	struct ls_object **work = calloc(work_cap ? work_cap : 1, sizeof(*work));
	struct ls_rule rule = {
		.now = now, .min_age = MIN_AGE, .min_unref = min_unref,
		.confirm = confirm,
	};
	unsigned long found;

	ls_scan_begin(&idx, work, work_cap);
	ls_scan_words(&idx, NULL, roots, roots + ARRAY_SIZE(roots));
	ls_scan_drain(&idx);
	found = ls_scan_end(&idx, &rule);
	EXPECT(idx.nr_new == count_flagged(LS_NEW));
	free(work);
	free_graveyard();
	return found;
}

/* A scan as the kernel runs it: confirmed when it found suspects. */
static unsigned long scan(void)
{
	if (!scan_pass(false))
		return 0;
	if (before_confirm)
		before_confirm();
	return scan_pass(true);
}

/* Let objects age past MIN_AGE, then scan twice: what leaks is reported. */
static unsigned long age_and_scan_twice(void)
{
	now += MIN_AGE;
	return scan() + scan();
}

static bool reported(const void *mem)
{
	struct ls_object *obj = obj_of(mem);

	return obj && (obj->flags & LS_REPORTED) && ls_unreferenced(obj);
}

/* ------------------------------------------------------------------ */

static void test_lookup_interior_and_bounds(void)
{
	struct ls_object *a, *b;

	reset();
	a = new_object(0x1000, 0x100, 1, 0);
	b = new_object(0x1100, 0x10, 1, 0);
	EXPECT(ls_lookup(&idx.virt, 0x1000) == a);
	EXPECT(ls_lookup(&idx.virt, 0x10ff) == a);
	EXPECT(ls_lookup(&idx.virt, 0x1100) == b);
	EXPECT(!ls_lookup(&idx.virt, 0x1110));
	EXPECT(!ls_lookup(&idx.virt, 0xfff));
	EXPECT(!ls_lookup_start(&idx.virt, 0x1008));
	EXPECT(ls_lookup_start(&idx.virt, 0x1100) == b);
	EXPECT(idx.nr_objects == 2 && idx.bytes == 0x110);
	EXPECT(idx.virt.lo == 0x1000 && idx.virt.hi == 0x1110);
}

static void test_overlap_is_refused(void)
{
	struct ls_object *a, *clash;

	reset();
	a = new_object(0x2000, 0x100, 1, 0);
	clash = calloc(1, sizeof(*clash));
	clash->start = 0x20f8;
	clash->size = 0x10;
	EXPECT(ls_insert(&idx, clash) == a);
	clash->start = 0x1ff8;
	EXPECT(ls_insert(&idx, clash) == a);
	clash->start = 0x2100;
	EXPECT(!ls_insert(&idx, clash));
	EXPECT(idx.nr_objects == 2);
}

static void test_zero_size_object(void)
{
	reset();
	new_object(0x3000, 0, 1, 0);
	EXPECT(ls_lookup_start(&idx.virt, 0x3000));
	EXPECT(!ls_lookup(&idx.virt, 0x3001));
}

/* Runs of pointers, forwards, backwards and into gaps: each finds its own. */
static void test_pointer_runs_find_the_right_objects(void)
{
	struct ls_object *work[8], *a, *b, *c;
	unsigned long words[] = {
		0x10008, 0x1003f, 0x10040, 0x10060,	/* a, a, b, b */
		0x100c0, 0x10100,			/* the gap, then c's start */
		0x10104, 0x10004, 0x10140,		/* c, a, past c */
		0x10120, 0x1007f, 0x10080, 0x100ff,	/* c, b, the gap's ends */
	};

	reset();
	a = new_object(0x10000, 0x40, LS_MIN_COUNT_MAX, LS_NO_SCAN);
	b = new_object(0x10040, 0x40, LS_MIN_COUNT_MAX, LS_NO_SCAN);
	c = new_object(0x10100, 0x40, LS_MIN_COUNT_MAX, LS_NO_SCAN);
	ls_scan_begin(&idx, work, ARRAY_SIZE(work));
	ls_scan_words(&idx, NULL, words, words + ARRAY_SIZE(words));
	EXPECT(a->count == 3 && b->count == 3 && c->count == 3);
	ls_scan_drain(&idx);
	ls_scan_end(&idx, &(struct ls_rule){ .now = now, .min_age = MIN_AGE });
}

static void test_trees_are_separate(void)
{
	struct ls_object *v, *p, *ph;

	reset();
	v = new_object(0x4000, 0x40, 1, 0);
	p = new_object(0x4000, 0x40, 1, LS_PERCPU);
	ph = new_object(0x4000, 0x40, 0, LS_PHYS);
	EXPECT(v && p && ph);
	EXPECT(ls_lookup(&idx.virt, 0x4010) == v);
	EXPECT(ls_lookup(&idx.percpu, 0x4010) == p);
	EXPECT(ls_lookup(&idx.phys, 0x4010) == ph);
}

static void test_remove_goes_to_graveyard(void)
{
	struct ls_object *a;

	reset();
	a = new_object(0x5000, 0x20, 1, 0);
	ls_remove(&idx, a);
	EXPECT(!ls_lookup(&idx.virt, 0x5000));
	EXPECT(idx.nr_objects == 0 && idx.bytes == 0);
	EXPECT(ls_take_graveyard(&idx) == &a->free);
	free(a);
}

static void test_free_part(void)
{
	struct ls_object *a, *spare, *right;

	reset();
	a = new_object(0x10000, 0x1000, 1, 0);
	/* The front. */
	EXPECT(ls_free_part(&idx, a, 0x10000, 0x100, NULL));
	EXPECT(a->start == 0x10100 && a->size == 0xf00);
	/* The back. */
	EXPECT(ls_free_part(&idx, a, 0x10f00, 0x100, NULL));
	EXPECT(a->start == 0x10100 && a->size == 0xe00);
	EXPECT(idx.bytes == 0xe00);
	/* The middle, with spare metadata: two objects. */
	spare = calloc(1, sizeof(*spare));
	EXPECT(ls_free_part(&idx, a, 0x10400, 0x200, spare));
	right = ls_lookup(&idx.virt, 0x10600);
	EXPECT(right == spare && right->start == 0x10600 && right->size == 0x900);
	EXPECT(a->size == 0x300);
	EXPECT(!ls_lookup(&idx.virt, 0x10500));
	EXPECT(idx.nr_objects == 2 && idx.bytes == 0xc00);
	/* The middle without spare metadata: the right part is lost. */
	EXPECT(!ls_free_part(&idx, right, 0x10700, 0x10, NULL));
	EXPECT(right->size == 0x100 && !ls_lookup(&idx.virt, 0x10800));
	/* All of it, with an unused spare: both go to the graveyard. */
	spare = calloc(1, sizeof(*spare));
	EXPECT(ls_free_part(&idx, a, 0x10000, 0x1000, spare));
	EXPECT(!ls_lookup(&idx.virt, 0x10100));
	EXPECT(idx.nr_objects == 1);
	free_graveyard();
}

static void test_min_count_rules(void)
{
	void *root_obj, *ignored, *once, *twice_one_ref, *twice, *from_root, *from_ignored;

	reset();
	from_root = tracked(32, 1);
	from_ignored = tracked(32, 1);
	root_obj = tracked(32, LS_MIN_ROOT);	/* not referenced by anything */
	ignored = tracked(32, LS_MIN_IGNORE);
	*(void **)root_obj = from_root;
	*(void **)ignored = from_ignored;
	once = tracked(32, 1);
	twice_one_ref = tracked(32, 2);
	twice = tracked(32, 2);
	roots[0] = once;
	roots[1] = twice_one_ref;
	roots[2] = twice;
	roots[3] = twice;
	EXPECT(age_and_scan_twice() == 2);
	EXPECT(!reported(root_obj));		/* roots are never reported */
	EXPECT(!reported(from_root));		/* ... and are scanned */
	EXPECT(!reported(ignored));		/* ignored: never reported */
	EXPECT(reported(from_ignored));		/* ... and never scanned */
	EXPECT(!reported(once));
	EXPECT(reported(twice_one_ref));	/* one of two references */
	EXPECT(!reported(twice));
}

static void test_interior_pointer_keeps_alive(void)
{
	char *a;

	reset();
	a = tracked(256, 1);
	roots[0] = a + 200;
	EXPECT(age_and_scan_twice() == 0);
	roots[0] = a + 256;			/* one past the end: not a reference */
	EXPECT(age_and_scan_twice() == 1);
	EXPECT(reported(a));
}

static void test_chain(void)
{
	void **a, **b, **c;

	reset();
	a = tracked(64, 1);
	b = tracked(64, 1);
	c = tracked(64, 1);
	a[0] = b;
	b[3] = c;
	roots[5] = a;
	EXPECT(age_and_scan_twice() == 0);
	roots[5] = NULL;
	EXPECT(age_and_scan_twice() == 3);
	EXPECT(reported(a) && reported(b) && reported(c));
}

/* Read directly or through scan_object: the same result, and the bytes. */
static void test_direct_reads(void)
{
	void **a, **b, **big, **c;

	reset();
	idx.ops = &direct_ops;
	a = tracked(64, 1);
	b = tracked(64, 1);
	big = tracked(128, 1);			/* over direct_max */
	c = tracked(32, 1);
	a[7] = b;
	b[0] = big;
	big[15] = c;
	roots[5] = a;
	EXPECT(age_and_scan_twice() == 0);
	EXPECT(idx.scanned == 64 + 64 + 128 + 32);
	roots[5] = b;				/* a leaks */
	EXPECT(age_and_scan_twice() == 1);
	EXPECT(reported(a) && !reported(b) && !reported(big) && !reported(c));
	idx.ops = &ops;
}

static bool direct(const void *mem)
{
	return reported(mem) && !(obj_of(mem)->flags & LS_INDIRECT);
}

static bool indirect(const void *mem)
{
	return reported(mem) && (obj_of(mem)->flags & LS_INDIRECT);
}

/* a -> b -> c leaked: a is direct, b and c indirect. */
static void test_chain_is_one_direct_leak(void)
{
	void **a, **b, **c;

	reset();
	a = tracked(64, 1);
	b = tracked(64, 1);
	c = tracked(64, 1);
	a[2] = b;
	b[5] = c;
	c[0] = c;				/* itself: no matter */
	EXPECT(age_and_scan_twice() == 3);
	EXPECT(direct(a) && indirect(b) && indirect(c));
}

/* A leaked cycle: exactly one member is direct, the oldest. */
static void test_cycle_has_one_direct_member(void)
{
	void **a, **b, **c;

	reset();
	b = tracked(32, 1);			/* the oldest */
	now += 1;
	a = tracked(32, 1);
	c = tracked(32, 1);
	a[0] = b;
	b[0] = c;
	c[0] = a;
	EXPECT(age_and_scan_twice() == 3);
	EXPECT(direct(b) && indirect(a) && indirect(c));
}

/* A leak pointing into a leaked cycle: it is the only direct one. */
static void test_tail_into_cycle(void)
{
	void **x, **a, **b;

	reset();
	a = tracked(32, 1);			/* older than x */
	b = tracked(32, 1);
	now += 1;
	x = tracked(48, 1);
	a[0] = b;
	b[1] = a;
	x[2] = (char *)a + 8;			/* an interior pointer */
	EXPECT(age_and_scan_twice() == 3);
	EXPECT(direct(x) && indirect(a) && indirect(b));
}

/* A diamond a -> b, c -> d: a is direct, the rest indirect. */
static void test_diamond(void)
{
	void **a, **b, **c, **d;

	reset();
	a = tracked(32, 1);
	b = tracked(32, 1);
	c = tracked(32, 1);
	d = tracked(32, 1);
	a[0] = b;
	a[1] = c;
	b[2] = d;
	c[3] = d;
	EXPECT(age_and_scan_twice() == 4);
	EXPECT(direct(a) && indirect(b) && indirect(c) && indirect(d));
}

/* A leak that only points to itself is still direct. */
static void test_self_reference_is_direct(void)
{
	void **a;

	reset();
	a = tracked(32, 1);
	a[1] = a;
	a[2] = (char *)a + 8;
	EXPECT(age_and_scan_twice() == 1);
	EXPECT(direct(a));
}

/* Two leaks sharing a third, once the one that a root kept lets go. */
static void test_shared_target_and_reachable(void)
{
	void **p, **q, **shared, **kept;

	reset();
	p = tracked(32, 1);
	q = tracked(32, 1);
	shared = tracked(32, 1);
	kept = tracked(32, 1);
	p[0] = shared;
	q[3] = shared;
	kept[0] = p;				/* kept is reachable: p is not a leak */
	roots[0] = kept;
	EXPECT(age_and_scan_twice() == 1);	/* q; shared is reachable */
	EXPECT(!reported(p) && !reported(kept) && !reported(shared));
	EXPECT(direct(q));
	/* Now p, kept and shared leak too: shared is the indirect one. */
	roots[0] = NULL;
	kept[0] = NULL;
	EXPECT(age_and_scan_twice() == 3);
	EXPECT(direct(p) && direct(q) && direct(kept) && indirect(shared));
}

/* Each object remembers the last word found pointing to it, and when. */
static void test_referrer_is_remembered(void)
{
	void **a, **b;
	unsigned long seq;

	reset();
	a = tracked(64, 1);
	b = tracked(64, 1);
	roots[3] = a;
	a[6] = b;
	EXPECT(age_and_scan_twice() == 0);
	seq = idx.seq;
	EXPECT(ls_referrer_where(obj_of(a)->referrer) == (unsigned long)&roots[3]);
	EXPECT(ls_referrer_where(obj_of(b)->referrer) == (unsigned long)&a[6]);
	EXPECT(ls_referrer_seq(obj_of(a)->referrer) == (seq & LS_SCAN_SEQ_MASK));
	roots[3] = NULL;			/* a and b leak */
	EXPECT(age_and_scan_twice() == 2);
	/* Still the last scan that found them reachable. */
	EXPECT(ls_referrer_where(obj_of(a)->referrer) == (unsigned long)&roots[3]);
	EXPECT(ls_referrer_seq(obj_of(a)->referrer) == (seq & LS_SCAN_SEQ_MASK));
	/* Two scans, the second with its confirming pass. */
	EXPECT(idx.seq == seq + 3);
}

static void test_referrer_packing(void)
{
	unsigned long kernel = 0xff11000000123458UL, user = 0x00005555deadbee8UL;

	EXPECT(ls_referrer_where(ls_referrer_pack((void *)kernel, 1029)) == kernel);
	EXPECT(ls_referrer_seq(ls_referrer_pack((void *)kernel, 1029)) == 5);
	EXPECT(ls_referrer_where(ls_referrer_pack((void *)user, 7)) == user);
	EXPECT(ls_referrer_where(0) == 0);
}

static void test_cycles(void)
{
	void **a, **b, **c, **d;

	reset();
	a = tracked(32, 1);
	b = tracked(32, 1);
	a[0] = b;
	b[0] = a;				/* a leaked cycle */
	c = tracked(32, 1);
	d = tracked(32, 1);
	c[1] = d;
	d[1] = c;
	roots[0] = d;				/* a reachable cycle */
	EXPECT(age_and_scan_twice() == 2);
	EXPECT(reported(a) && reported(b));
	EXPECT(!reported(c) && !reported(d));
}

static void test_self_reference_does_not_count(void)
{
	void **a, **blk;
	struct fake_vm *vm;

	reset();
	a = tracked(32, 1);
	a[1] = a;
	EXPECT(age_and_scan_twice() == 1);
	EXPECT(reported(a));
	/* A block reachable through its vm_struct pointing back at it. */
	blk = tracked(64, 2);
	vm = tracked(16, 1);
	obj_of(vm)->flags |= LS_VM_AREA;
	vm->addr = blk;
	blk[0] = vm;
	blk[1] = vm;
	roots[0] = vm;
	EXPECT(age_and_scan_twice() == 1);
	EXPECT(reported(blk));
}

static void test_no_scan(void)
{
	void **a, *b;

	reset();
	a = tracked(32, 1);
	b = tracked(32, 1);
	obj_of(a)->flags |= LS_NO_SCAN;
	a[0] = b;
	roots[0] = a;
	EXPECT(age_and_scan_twice() == 1);
	EXPECT(!reported(a));			/* referenced, so no leak */
	EXPECT(reported(b));			/* a's contents were not read */
}

static void test_checksum_rule(void)
{
	char *a;

	reset();
	a = tracked(32, 1);
	now += MIN_AGE;
	EXPECT(scan() == 0);			/* first unreferenced scan */
	a[3] ^= 1;
	EXPECT(scan() == 0);			/* changed since: not yet */
	EXPECT(scan() == 1);			/* unchanged since: a leak */
	EXPECT(reported(a));
}

static void test_two_consecutive_unreferenced_scans(void)
{
	void *a;

	reset();
	a = tracked(32, 1);
	now += MIN_AGE;
	EXPECT(scan() == 0);			/* unreferenced, checksum taken */
	roots[0] = a;
	EXPECT(scan() == 0);			/* referenced in between */
	roots[0] = NULL;
	EXPECT(scan() == 0);			/* unchanged, but not consecutive */
	EXPECT(scan() == 1);
	EXPECT(reported(a));
}

/*
 * The packed fields of struct ls_object at their limits: a min_count too
 * large for its bits is clamped, not wrapped to a negative (ignored) one;
 * a count stops at LS_REFS_MAX, so it passes min_count once; and a run
 * stops at LS_RUN_MAX, which a longer rule is taken for.
 */
static void test_packed_fields_saturate(void)
{
	static_assert(sizeof(long) != 8 || sizeof(struct ls_object) == 64);
	void *refs[3 * LS_REFS_MAX], *a, *b;
	int i;

	reset();
	EXPECT(ls_min_count(1000) == LS_MIN_COUNT_MAX);
	EXPECT(ls_min_count(-5) == LS_MIN_IGNORE);
	a = tracked(64, 1000);
	EXPECT(obj_of(a)->min_count == LS_MIN_COUNT_MAX);
	/* Reachable through three times LS_REFS_MAX references. */
	for (i = 0; i < ARRAY_SIZE(refs); i++)
		refs[i] = a;
	b = tracked(sizeof(refs), 0);
	memcpy(b, refs, sizeof(refs));
	now += MIN_AGE;
	EXPECT(scan() == 0 && scan() == 0);
	EXPECT(obj_of(a)->count == LS_REFS_MAX);
	EXPECT(!(obj_of(a)->flags & LS_WHITE));

	/* A longer rule counts as LS_RUN_MAX: reported by scan 1 + that. */
	reset();
	min_unref = LS_RUN_MAX + 1;
	a = tracked(32, 1);
	now += MIN_AGE;
	for (i = 0; i < LS_RUN_MAX; i++)
		EXPECT(scan() == 0);
	EXPECT(obj_of(a)->run == LS_RUN_MAX - 1);
	EXPECT(scan() == 1);
	EXPECT(obj_of(a)->run == LS_RUN_MAX && reported(a));
}

/*
 * kmemleak.min_unref_scans, as 7.3 counts it: a new object's first scan
 * takes its checksum, and it is reported by scan 1 + min_unref_scans.
 */
static void test_min_unref_scans(void)
{
	void *a;
	int i;

	reset();
	min_unref = 3;
	a = tracked(32, 1);
	now += MIN_AGE;
	for (i = 1; i <= 3; i++)
		EXPECT(scan() == 0);
	EXPECT(obj_of(a)->run == 2);
	EXPECT(!reported(a));
	EXPECT(scan() == 1);
	EXPECT(reported(a));
	/* A reference ends the run: three more confirmed scans after it. */
	reset();
	min_unref = 2;
	a = tracked(32, 1);
	now += MIN_AGE;
	EXPECT(scan() == 0 && scan() == 0);
	roots[0] = a;
	EXPECT(scan() == 0);
	EXPECT(obj_of(a)->run == 0);
	roots[0] = NULL;
	EXPECT(scan() == 0 && scan() == 0);
	EXPECT(scan() == 1);
	/* 0 counts as 1, as in the stock engine. */
	reset();
	min_unref = 0;
	a = tracked(32, 1);
	EXPECT(age_and_scan_twice() == 1);
}

static void *confirm_target;

static void reference_target(void)
{
	roots[1] = confirm_target;
}

/*
 * A suspect that its confirming pass finds referenced (a pointer that
 * moved while the scan proper read memory) is not reported, and its run
 * starts again.
 */
static void test_confirming_pass(void)
{
	void *a, *b;

	reset();
	a = tracked(32, 1);
	b = tracked(32, 1);
	now += MIN_AGE;
	EXPECT(scan() == 0);
	confirm_target = a;
	before_confirm = reference_target;
	EXPECT(scan() == 1);			/* b only */
	EXPECT(!reported(a) && reported(b));
	EXPECT(obj_of(a)->run == 0 && !(obj_of(a)->flags & LS_SUSPECT));
	before_confirm = NULL;
	roots[1] = NULL;
	EXPECT(scan() == 0);			/* a: checksum again */
	EXPECT(scan() == 1);
	EXPECT(reported(a));
	/* Nothing to confirm: the scan proper found no suspect. */
	EXPECT(scan_pass(false) == 0);
}

static struct ls_object *split_spare;

static void split_target(void)
{
	struct ls_object *obj = obj_of(confirm_target);

	split_spare = calloc(1, sizeof(*split_spare));
	EXPECT(ls_free_part(&idx, obj, obj->start + 32, 32, split_spare));
}

/* A suspect split between the passes: its tail is not judged yet. */
static void test_split_suspect_tail_is_not_reported(void)
{
	char *a;

	reset();
	a = tracked(128, 1);
	now += MIN_AGE;
	EXPECT(scan() == 0);
	confirm_target = a;
	before_confirm = split_target;
	EXPECT(scan() == 1);
	EXPECT(reported(a));
	EXPECT(!(split_spare->flags & (LS_REPORTED | LS_FRESH | LS_SUSPECT)));
	EXPECT(split_spare->run == 0);
}

static void test_transient_leak_restarts_the_run(void)
{
	void *a;

	reset();
	a = tracked(32, 1);
	now += MIN_AGE;
	EXPECT(scan() == 0);
	obj_of(a)->flags &= ~LS_WHITE;		/* kmemleak_transient_leak() */
	EXPECT(scan() == 0);
	EXPECT(scan() == 1);
}

static void test_age_rule(void)
{
	void *a;

	reset();
	a = tracked(32, 1);
	now += MIN_AGE - 1;
	EXPECT(scan() == 0);
	EXPECT(scan() == 0);			/* two scans, but too young */
	now += 1;
	EXPECT(scan() == 1);
	EXPECT(reported(a));
}

static void test_reported_once_and_clear(void)
{
	void **a, *b;

	reset();
	a = tracked(32, 1);
	b = tracked(32, 1);
	EXPECT(age_and_scan_twice() == 2);
	/* Fresh: reported by this very scan (kmemleak.verbose prints them). */
	EXPECT((obj_of(a)->flags & LS_FRESH) && (obj_of(b)->flags & LS_FRESH));
	EXPECT(scan() == 0);			/* not new any more */
	EXPECT(!(obj_of(a)->flags & LS_FRESH) && !(obj_of(b)->flags & LS_FRESH));
	EXPECT(reported(a) && reported(b));
	a[0] = b;
	EXPECT(ls_clear(&idx) == 2);
	EXPECT(!reported(a) && !reported(b));
	EXPECT(obj_of(a)->min_count == LS_MIN_ROOT);
	EXPECT(age_and_scan_twice() == 0);
	EXPECT(!reported(a) && !reported(b));
}

static void test_referenced_again_is_not_listed(void)
{
	void *a;

	reset();
	a = tracked(32, 1);
	EXPECT(age_and_scan_twice() == 1);
	roots[0] = a;
	scan();
	EXPECT(!reported(a));
	roots[0] = NULL;
	EXPECT(age_and_scan_twice() == 0);	/* reported before: not new */
	EXPECT(reported(a));
}

static void test_vm_area_surplus_references(void)
{
	struct fake_vm *vm;
	void *blockmem;

	reset();
	blockmem = tracked(4096, 2);		/* as kmemleak_vmalloc() does */
	vm = tracked(64, 1);
	obj_of(vm)->flags |= LS_VM_AREA;
	vm->addr = blockmem;			/* the first reference */
	roots[0] = vm;				/* vm is reachable ... */
	EXPECT(age_and_scan_twice() == 1);	/* ... the block has 1 of 2 */
	EXPECT(reported(blockmem) && !reported(vm));
	roots[1] = vm;				/* a surplus reference */
	scan();
	EXPECT(!reported(blockmem));
	roots[1] = NULL;
	roots[2] = blockmem;			/* or a direct one */
	scan();
	EXPECT(!reported(blockmem));
}

static void test_percpu_cookie_reference(void)
{
	struct ls_object *p;

	reset();
	p = new_object(0x7000, 0x40, 1, LS_PERCPU | LS_NO_SCAN);	/* no memory behind */
	roots[0] = (void *)0x7008;
	EXPECT(age_and_scan_twice() == 0);
	roots[0] = NULL;
	EXPECT(age_and_scan_twice() == 1);
	EXPECT((p->flags & LS_REPORTED) && ls_unreferenced(p));
}

/*
 * Percpu cookies need not lie outside the span of virtual objects: on
 * x86_64 since Linux 6.15 they are kernel-image addresses, between the
 * direct map's objects and the modules' (Linux 7.3 reported every dynamic
 * percpu object otherwise).
 */
static void test_percpu_cookie_inside_virtual_span(void)
{
	struct ls_object *p;

	reset();
	EXPECT(new_object(0x10000, 0x40, LS_MIN_ROOT, LS_NO_SCAN));
	EXPECT(new_object(0x90000, 0x40, LS_MIN_ROOT, LS_NO_SCAN));
	p = new_object(0x50000, 0x40, 1, LS_PERCPU | LS_NO_SCAN);
	roots[0] = (void *)0x50008;
	EXPECT(age_and_scan_twice() == 0);
	EXPECT(!(p->flags & LS_REPORTED));
	roots[0] = NULL;
	EXPECT(age_and_scan_twice() == 1);
	EXPECT((p->flags & LS_REPORTED) && ls_unreferenced(p));
}

/* A chain of @n tracked 32-byte objects, each pointing to the next. */
static void **tracked_chain(int n, void ***last)
{
	void **first = NULL, **prev = NULL;
	int i;

	for (i = 0; i < n; i++) {
		void **o = tracked(32, 1);

		if (prev)
			prev[1] = o;
		else
			first = o;
		prev = o;
	}
	if (last)
		*last = prev;
	return first;
}

static void test_tiny_work_list_gives_same_result(void)
{
	void **prev, **first, *lost;

	reset();
	work_cap = 0;				/* the fallback list */
	first = tracked_chain(200, &prev);
	lost = tracked(32, 1);
	roots[0] = first;
	EXPECT(age_and_scan_twice() == 1);
	EXPECT(reported(lost) && !reported(prev) && !reported(first));
	work_cap = 1;
	EXPECT(age_and_scan_twice() == 0);
	EXPECT(!reported(prev));
}

/*
 * A work list far smaller than what one object points to: the objects
 * that had to wait (LS_PENDING) are found by walks of the trees, which
 * must go on from where the last one stopped. Walking from the start each
 * time costs a walk of the trees per work list's worth: with 12000 objects
 * and 16 entries, some 4 million steps (4048 relax calls, one per 1024)
 * instead of three walks (35).
 */
static void test_overflow_walks_go_on_where_they_stopped(void)
{
	const int n = 12000;
	void **hub;
	int i;

	reset();
	work_cap = 16;
	hub = tracked(n * sizeof(void *), 1);
	for (i = 0; i < n; i++)
		hub[i] = tracked(32, 1);
	roots[0] = hub;
	now += MIN_AGE;
	relaxed_scanning = 0;
	EXPECT(scan() == 0);
	EXPECT(count_flagged(LS_WHITE) == 0);
	/*
	 * A walk of the trees each: the scan's start, the round that queues
	 * what waited, and the round that finds nothing left to queue.
	 */
	EXPECT(relaxed_scanning <= 3 * (n / 1024 + 2));
	roots[0] = NULL;
	EXPECT(age_and_scan_twice() == n + 1);
	EXPECT(reported(hub) && reported(hub[0]) && reported(hub[n - 1]));
}

static void *victim;
static void free_victim(struct ls_object *scanned)
{
	struct ls_object *obj = victim ? obj_of(victim) : NULL;

	if (obj) {
		ls_remove(&idx, obj);
		victim = NULL;
	}
}

static void test_freed_while_queued(void)
{
	void **a, **b, **c;

	reset();
	a = tracked(32, 1);
	b = tracked(32, 1);
	c = tracked(32, 1);
	a[0] = b;
	a[1] = c;
	roots[0] = a;
	victim = b;				/* freed once scanning starts */
	during_scan = free_victim;
	EXPECT(age_and_scan_twice() == 0);	/* ASan checks the rest */
	EXPECT(!obj_of(b) && !reported(c));
	EXPECT(idx.nr_objects == 2);
}

static void *created;
static void create_during_scan(struct ls_object *scanned)
{
	void **n;

	if (created)
		return;
	n = tracked(32, 1);
	n[0] = roots[0];			/* the only reference moves here */
	roots[0] = NULL;
	created = n;
}

static void test_object_created_during_scan_is_a_root(void)
{
	void **a, *b;

	reset();
	a = tracked(32, 1);
	b = tracked(32, 1);
	a[0] = b;
	roots[0] = a;
	now += MIN_AGE;
	EXPECT(scan() == 0);
	created = NULL;
	during_scan = create_during_scan;	/* after roots[] was read */
	EXPECT(scan() == 0);
	EXPECT(created && !reported(a) && !reported(b));
	EXPECT(idx.nr_new == 0);
	/* Between scans, only LS_PENDING and LS_DONE may stay (begin clears them). */
	EXPECT(!(obj_of(created)->flags & (LS_NEW | LS_QUEUED)));
	during_scan = NULL;
	roots[0] = created;
	EXPECT(age_and_scan_twice() == 0);
}

/* While the lock is "dropped": free the next live block, add a new one. */
static void **chain_head;
static void churn(void)
{
	void **second = chain_head[1], *fresh;
	struct ls_object *obj;

	if (second) {
		chain_head[1] = second[1];	/* unlink and free it */
		obj = obj_of(second);
		if (obj)
			ls_remove(&idx, obj);
	}
	fresh = tracked(48, 1);
	((void **)fresh)[0] = chain_head;	/* a young object */
}

static void test_walks_survive_relax_with_churn(void)
{
	void *lost;

	reset();
	chain_head = tracked_chain(3000, NULL);
	lost = tracked(32, 1);
	roots[0] = chain_head;
	during_relax = churn;
	EXPECT(age_and_scan_twice() >= 1);	/* the young ones may join */
	EXPECT(relaxed > 0);
	EXPECT(reported(lost));
	EXPECT(!reported(chain_head) && !reported(chain_head[1]));
	during_relax = NULL;
	EXPECT(ls_clear(&idx) >= 1);
	EXPECT(!reported(lost));
}

/* Objects read in place: the lock is let go every direct_max bytes. */
static int relaxed_in_drain;
static void churn_in_drain(void)
{
	relaxed_in_drain++;
	churn();
}

static void test_direct_reads_relax_with_churn(void)
{
	void *lost;

	reset();
	idx.ops = &direct_ops;
	chain_head = tracked_chain(200, NULL);
	lost = tracked(32, 1);
	roots[0] = chain_head;
	now += MIN_AGE;
	EXPECT(scan() == 0);
	/* 200 objects of 32 bytes, direct_max 64: a relax every two. */
	EXPECT(relaxed >= 99);
	relaxed = 0;
	relaxed_in_drain = 0;
	during_relax = churn_in_drain;
	/* Each relax frees the chain's second object and adds a young one. */
	EXPECT(scan() == 1);
	EXPECT(relaxed_in_drain > 10);
	EXPECT(reported(lost));
	EXPECT(!reported(chain_head) && !reported(chain_head[1]));
	during_relax = NULL;
	idx.ops = &ops;
}

/*
 * kmemleak_free_part() on an object while the scan reads it (between two
 * chunks) or while it waits in the work list. What was cut off is memory
 * given back, and must not be read: "ghost", whose only reference is
 * there, must be reported, while "kept", referenced from the part that
 * stays, must not.
 */
static struct ls_object *cut_obj;
static unsigned long cut_from, cut_size;
static int cuts;

static void cut(void)
{
	ls_free_part(&idx, cut_obj, cut_from, cut_size, NULL);
	cuts++;
	/* What still points into the part that stays. */
	roots[1] = (void *)(cut_obj->start + cut_obj->size - 8);
}

static void cut_while_read(void)
{
	if (reading == cut_obj && !cuts)
		cut();
}

static void cut_while_queued(struct ls_object *scanned)
{
	if (scanned != cut_obj && !cuts)
		cut();
}

/*
 * A holder of 512 bytes, of the kind @flags, holding ghost at byte @ghost
 * and kept at byte @keep; the cut is [@from, +@size) of it.
 */
static void check_cut(u32 flags, unsigned long ghost_at, unsigned long keep_at,
		      unsigned long from, unsigned long size, bool queued)
{
	void **via = tracked(32, 1), *ghost = tracked(32, 1), *kept = tracked(32, 1);
	char *holder = block(512);
	unsigned long at = (unsigned long)holder;

	if (flags & LS_PHYS)
		at -= FAKE_PHYS_OFFSET;	/* its physical address (t_span()) */
	cut_obj = new_object(at, 512, flags & LS_PHYS ? 0 : 1, flags);
	*(void **)(holder + ghost_at) = ghost;
	*(void **)(holder + keep_at) = kept;
	/* The holder is queued behind "via" (LS_PHYS ones are roots). */
	roots[0] = via;
	if (!(flags & LS_PHYS))
		via[0] = holder;
	cut_from = at + from;
	cut_size = size;
	cuts = 0;
	if (queued)
		during_scan = cut_while_queued;
	else
		during_relax = cut_while_read;
	idx.ops = &chunk_ops;
	EXPECT(age_and_scan_twice() == 1);
	EXPECT(cuts == 1);
	EXPECT(reported(ghost));
	EXPECT(!reported(kept));
	idx.ops = &ops;
}

static void test_front_cut_while_read(void)
{
	reset();
	check_cut(0, 160, 480, 0, 256, false);
}

static void test_phys_cut_while_read(void)
{
	reset();
	check_cut(LS_PHYS, 320, 32, 128, 384, false);
	reset();
	check_cut(LS_PHYS, 160, 480, 0, 256, false);
}

static void test_cuts_while_queued(void)
{
	reset();
	check_cut(0, 160, 480, 0, 256, true);
	reset();
	check_cut(0, 320, 32, 128, 384, true);
	reset();
	check_cut(LS_PHYS, 160, 480, 0, 256, true);
}

static void free_while_read(void)
{
	if (reading == cut_obj && !cuts) {
		ls_remove(&idx, cut_obj);
		cuts++;
	}
}

/*
 * A range that does not start on a word boundary is read in pieces that
 * end on one: the word at bytes [64, 72) of the block straddles the first
 * 64-byte chunk of a read that starts at byte 4.
 */
static void test_unaligned_range_loses_no_word(void)
{
	char *holder;
	void *target;

	reset();
	idx.ops = &chunk_ops;
	holder = block(256);
	target = tracked(32, 1);
	new_object((unsigned long)holder + 4, 252, 0, 0);	/* a root */
	*(void **)(holder + 64) = target;
	EXPECT(age_and_scan_twice() == 0);
	EXPECT(!reported(target));
	idx.ops = &ops;
}

static void test_freed_while_read(void)
{
	void **via, *ghost;
	char *holder;

	reset();
	via = tracked(32, 1);
	ghost = tracked(32, 1);
	holder = block(512);
	cut_obj = new_object((unsigned long)holder, 512, 1, 0);
	*(void **)(holder + 160) = ghost;
	via[0] = holder;
	roots[0] = via;
	cuts = 0;
	during_relax = free_while_read;
	idx.ops = &chunk_ops;
	EXPECT(age_and_scan_twice() == 1);
	EXPECT(cuts == 1 && reported(ghost));
	EXPECT(idx.nr_objects == 2);
	idx.ops = &ops;
}

/*
 * Interrupts stay off only so long: the judging checksums, and the
 * classification reads, its leaks a chunk (64 bytes here) at a time, with
 * the lock let go in between, as the scan proper does.
 */
static void test_judge_and_classify_are_paced(void)
{
	void **first;

	reset();
	idx.ops = &chunk_ops;
	first = tracked_chain(256, NULL);	/* 8 KiB of leaks */
	roots[0] = tracked_chain(256, NULL);	/* 8 KiB reachable */
	EXPECT(age_and_scan_twice() == 256);
	EXPECT(direct(first));
	/* Read through scan_object (no direct_max): 8 KiB a pass, 3 passes. */
	EXPECT(relaxed_scanning >= 3 * 128 - 3);
	/* Two scans judge them, each 8 KiB of checksums: 128 chunks. */
	EXPECT(relaxed_judging >= 2 * 128 - 2);
	/* The classification reads them twice. */
	EXPECT(relaxed_classifying >= 2 * 128 - 2);
	idx.ops = &ops;
}

/* Freed while its checksum is half done: no judgement, no report. */
static char *big_leak;
static void free_big_while_judged(void)
{
	struct ls_object *obj = big_leak ? obj_of(big_leak) : NULL;

	if (obj && !idx.scanning && !idx.classify) {
		ls_remove(&idx, obj);
		big_leak = NULL;
	}
}

static void test_checksum_of_big_object_is_paced(void)
{
	void *small;

	reset();
	idx.ops = &chunk_ops;
	big_leak = tracked(4096, 1);
	small = tracked(32, 1);
	EXPECT(age_and_scan_twice() == 2);
	/* Two scans checksum it: 64 chunks each. */
	EXPECT(relaxed_judging >= 2 * 63);
	EXPECT(reported(small));
	big_leak = tracked(4096, 1);
	now += MIN_AGE;
	during_relax = free_big_while_judged;
	EXPECT(scan() == 0);
	EXPECT(!big_leak && idx.nr_objects == 2 && reported(small));
	during_relax = NULL;
	idx.ops = &ops;
}

/*
 * Many leaked cycles, and objects reached from them, against the rule
 * made plain: repeatedly, the oldest leak not yet reached (then the lowest
 * address) is direct, and what it reaches indirect. Random graphs.
 */
#define GRAPH_N		300

static void oracle_reach(int from, int (*edges)[2], bool *done)
{
	int stack[GRAPH_N], top = 0, v, e;

	stack[top++] = from;
	done[from] = true;
	while (top) {
		v = stack[--top];
		for (e = 0; e < 2; e++) {
			int w = edges[v][e];

			if (w >= 0 && !done[w]) {
				done[w] = true;
				stack[top++] = w;
			}
		}
	}
}

static void check_random_graph(unsigned int seed)
{
	static int edges[GRAPH_N][2];
	static bool pointed[GRAPH_N], done[GRAPH_N], is_direct[GRAPH_N];
	static void **mem[GRAPH_N];
	int i, e, len, first, best, picks = 0, mismatches = 0;

	reset();
	srand(seed);
	for (i = 0; i < GRAPH_N; i++) {
		mem[i] = tracked(32, 1);
		obj_of(mem[i])->jiffies = now - rand() % 8;
		pointed[i] = false;
		done[i] = false;
		is_direct[i] = false;
		edges[i][0] = -1;
		edges[i][1] = -1;
	}
	/* Disjoint cycles of 2 to 5 leaks, the last one cut short. */
	for (first = 0; first < GRAPH_N; first += len) {
		len = 2 + rand() % 4;
		if (first + len > GRAPH_N)
			len = GRAPH_N - first;
		for (i = first; i < first + len; i++)
			edges[i][0] = len > 1 ? first + (i - first + 1) % len : -1;
	}
	/* A few more edges, between cycles or into them from a chain. */
	for (i = 0; i < GRAPH_N; i++)
		if (rand() % 6 == 0)
			edges[i][1] = rand() % GRAPH_N;
	for (i = 0; i < GRAPH_N; i++) {
		for (e = 0; e < 2; e++) {
			if (edges[i][e] == i)
				edges[i][e] = -1;
			mem[i][e] = edges[i][e] >= 0 ? mem[edges[i][e]] : NULL;
			if (edges[i][e] >= 0)
				pointed[edges[i][e]] = true;
		}
	}
	for (i = 0; i < GRAPH_N; i++) {
		if (!pointed[i]) {
			is_direct[i] = true;
			oracle_reach(i, edges, done);
		}
	}
	for (;;) {
		best = -1;
		for (i = 0; i < GRAPH_N; i++) {
			u32 age_i, age_b;

			if (done[i])
				continue;
			if (best < 0) {
				best = i;
				continue;
			}
			age_i = now - obj_of(mem[i])->jiffies;
			age_b = now - obj_of(mem[best])->jiffies;
			if (age_i > age_b || (age_i == age_b && mem[i] < mem[best]))
				best = i;
		}
		if (best < 0)
			break;
		is_direct[best] = true;
		oracle_reach(best, edges, done);
		picks++;
	}
	/* The heap must have been used, and more than once. */
	EXPECT(picks > 10);
	EXPECT(age_and_scan_twice() == GRAPH_N);
	for (i = 0; i < GRAPH_N; i++)
		mismatches += is_direct[i] != direct(mem[i]);
	if (mismatches)
		printf("    seed %u: %d of %d classified otherwise\n", seed, mismatches, GRAPH_N);
	EXPECT(mismatches == 0);
}

static void test_leaked_cycles_match_the_rule(void)
{
	unsigned int seed;

	for (seed = 1; seed <= 20; seed++)
		check_random_graph(seed);
}

int main(void)
{
	RUN(test_lookup_interior_and_bounds);
	RUN(test_overlap_is_refused);
	RUN(test_zero_size_object);
	RUN(test_pointer_runs_find_the_right_objects);
	RUN(test_trees_are_separate);
	RUN(test_remove_goes_to_graveyard);
	RUN(test_free_part);
	RUN(test_min_count_rules);
	RUN(test_interior_pointer_keeps_alive);
	RUN(test_chain);
	RUN(test_direct_reads);
	RUN(test_cycles);
	RUN(test_referrer_is_remembered);
	RUN(test_referrer_packing);
	RUN(test_chain_is_one_direct_leak);
	RUN(test_cycle_has_one_direct_member);
	RUN(test_tail_into_cycle);
	RUN(test_shared_target_and_reachable);
	RUN(test_diamond);
	RUN(test_self_reference_is_direct);
	RUN(test_self_reference_does_not_count);
	RUN(test_no_scan);
	RUN(test_checksum_rule);
	RUN(test_two_consecutive_unreferenced_scans);
	RUN(test_age_rule);
	RUN(test_reported_once_and_clear);
	RUN(test_referenced_again_is_not_listed);
	RUN(test_vm_area_surplus_references);
	RUN(test_percpu_cookie_reference);
	RUN(test_packed_fields_saturate);
	RUN(test_min_unref_scans);
	RUN(test_confirming_pass);
	RUN(test_transient_leak_restarts_the_run);
	RUN(test_split_suspect_tail_is_not_reported);
	RUN(test_percpu_cookie_inside_virtual_span);
	RUN(test_tiny_work_list_gives_same_result);
	RUN(test_overflow_walks_go_on_where_they_stopped);
	RUN(test_freed_while_queued);
	RUN(test_object_created_during_scan_is_a_root);
	RUN(test_walks_survive_relax_with_churn);
	RUN(test_direct_reads_relax_with_churn);
	RUN(test_front_cut_while_read);
	RUN(test_phys_cut_while_read);
	RUN(test_cuts_while_queued);
	RUN(test_freed_while_read);
	RUN(test_unaligned_range_loses_no_word);
	RUN(test_judge_and_classify_are_paced);
	RUN(test_checksum_of_big_object_is_paced);
	RUN(test_leaked_cycles_match_the_rule);
	reset();
	return TEST_SUMMARY();
}
