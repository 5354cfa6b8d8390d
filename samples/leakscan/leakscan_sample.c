// SPDX-License-Identifier: GPL-2.0
/*
 * A module that leaks a known set of objects, for leak detector tests.
 *
 * Loading it leaks exactly 31 objects. The report shows each one's size,
 * and its hex dump starts with "leakscan-sample:<tag>":
 *
 *   tag      size   count  allocator        how
 *   small      64       1  kmalloc          pointer dropped
 *   big      1024       1  kmalloc          pointer dropped
 *   large   12000       1  kmalloc (large)  pointer dropped, page allocator
 *   vmalloc 20480       1  vmalloc          pointer dropped
 *   cache     136       1  kmem_cache       pointer dropped
 *   percpu     48       1  alloc_percpu     pointer dropped
 *   head       96       1  kmalloc          head of a leaked chain of three
 *   middle    192       1  kmalloc          only the head points to it
 *   tail      256       1  kmalloc          only the middle points to it
 *   cycle-a   128       1  kmalloc          a leaked cycle of two ...
 *   cycle-b   512       1  kmalloc          ... pointing to each other
 *   many       32      20  kmalloc          twenty from one call site
 *
 * The slab sizes are kmalloc cache sizes, because the slab hooks register
 * an object with its cache's object size, not with the size asked for.
 *
 * It also keeps objects that a detector must never report, each tagged
 * "leakscan-sample:kept-<how>": held by a global in .data and one in .bss,
 * by a list whose links point into the middle of its elements, through a
 * pointer to its middle, from inside a vmalloc'ed block, from inside a
 * percpu area, only from the stack of a sleeping kthread, and two
 * annotated with kmemleak_not_leak() and kmemleak_ignore().
 *
 * Writing 1 to /sys/module/leakscan_sample/parameters/drop leaks two more:
 * "later-global" (2048 bytes), whose only pointer was the global
 * sample_later_global, and "later-node" (4096 bytes), whose only pointer
 * was the child field of the first element of that list.
 *
 * Two more parameters make referenced growth, for leakscan/growth:
 * writing N to grow adds N "grow" elements to the list sample_grow_list,
 * which keeps them until unload; writing N to lru adds N "lru" elements to
 * a cache that keeps the newest SAMPLE_LRU_MAX and frees older ones. Both
 * stay reachable: the first grows without bound, the second does not.
 *
 * The module remembers its leaks through pointers it stores inverted,
 * which no scanner takes for references, so that unloading it frees
 * everything and it can be loaded again and again. Allocators reuse the
 * slots just freed, so a new load leaks at the same addresses as the last
 * one; spread=N first takes (and keeps, reachable) N more objects of each
 * size, so that the leaks land elsewhere.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compiler.h>
#include <linux/completion.h>
#include <linux/kmemleak.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>

#define SAMPLE_TAG_LEN		24
#define SAMPLE_MANY		20
#define SAMPLE_CACHE_SIZE	136
#define SAMPLE_PERCPU_SIZE	48

enum sample_kind { SAMPLE_KMALLOC, SAMPLE_VMALLOC, SAMPLE_CACHE, SAMPLE_PERCPU };

struct sample_link {
	char tag[SAMPLE_TAG_LEN];
	void *next;
};

struct sample_elem {
	char tag[SAMPLE_TAG_LEN];
	struct list_head node;		/* not at offset 0 on purpose */
	void *child;			/* the first element's: see drop= */
};

/* The leaks, remembered inverted so that they stay unreferenced. */
static struct {
	unsigned long hidden;
	enum sample_kind kind;
} sample_leaks[40];
static int sample_nr_leaks;

static struct kmem_cache *sample_cache;

static unsigned int spread;
module_param(spread, uint, 0444);
MODULE_PARM_DESC(spread, "objects of each size to take first, so that the leaks land elsewhere");

/* What spread= took: reachable from here, freed on unload. */
#define SAMPLE_SPREAD_MAX	64
static const size_t sample_sizes[] = { 64, 1024, 12000, 96, 192, 256, 128, 512, 32,
				       2048, 4096 };
static void *sample_spread_kmalloc[SAMPLE_SPREAD_MAX][ARRAY_SIZE(sample_sizes)];
static void *sample_spread_vmalloc[SAMPLE_SPREAD_MAX];
static void *sample_spread_cache[SAMPLE_SPREAD_MAX];
static void __percpu *sample_spread_percpu[SAMPLE_SPREAD_MAX];

/* Reachable objects. */
static void *sample_kept_data = (void *)1;	/* in .data, set at init */
static void *sample_kept_bss;
static void *sample_kept_middle;		/* points 16 bytes in */
static void **sample_kept_vmalloc;		/* holds a pointer */
static void * __percpu *sample_kept_percpu;	/* each CPU's holds one */
static unsigned long sample_not_leak, sample_ignored;	/* inverted */
static LIST_HEAD(sample_list);

/*
 * Two more objects are reachable until drop=1 is written: one from a
 * global, one from a list element's child pointer. Then both pointers are
 * cleared and the objects leak, so that a detector can say what held each
 * one last: the global's symbol, and the element's object.
 */
#define SAMPLE_LATER_GLOBAL_SIZE	2048
#define SAMPLE_LATER_NODE_SIZE		4096
static void *sample_later_global;

/* Referenced growth: a list only added to, and a bounded cache. */
#define SAMPLE_LRU_MAX		100
#define SAMPLE_POKE_MAX		1000
struct sample_grown {
	char tag[SAMPLE_TAG_LEN];
	struct list_head node;
};

static LIST_HEAD(sample_grow_list);
static LIST_HEAD(sample_lru_list);
static unsigned int sample_lru_len;
static DEFINE_MUTEX(sample_grow_mutex);

static struct task_struct *sample_thread;
static DECLARE_COMPLETION(sample_thread_ready);
static DECLARE_WAIT_QUEUE_HEAD(sample_thread_wq);

static unsigned long sample_hide(const void *p)
{
	return ~(unsigned long)p;
}

static void *sample_unhide(unsigned long v)
{
	return (void *)~v;
}

static void sample_fill(void *p, size_t size, const char *what)
{
	char tag[SAMPLE_TAG_LEN];

	memset(p, 0, size);
	snprintf(tag, sizeof(tag), "leakscan-sample:%s", what);
	memcpy(p, tag, min(size, sizeof(tag)));
}

static void *sample_remember(void *p, enum sample_kind kind)
{
	if (p && !WARN_ON(sample_nr_leaks == ARRAY_SIZE(sample_leaks))) {
		sample_leaks[sample_nr_leaks].hidden = sample_hide(p);
		sample_leaks[sample_nr_leaks].kind = kind;
		sample_nr_leaks++;
	}
	return p;
}

static int sample_drop(const char *val, const struct kernel_param *kp)
{
	struct sample_elem *first;
	bool drop;
	int ret;

	ret = kstrtobool(val, &drop);
	if (ret || !drop)
		return ret;
	first = list_first_entry_or_null(&sample_list, struct sample_elem, node);
	if (!sample_later_global || !first || !first->child)
		return -EALREADY;
	sample_remember(sample_later_global, SAMPLE_KMALLOC);
	sample_remember(first->child, SAMPLE_KMALLOC);
	WRITE_ONCE(sample_later_global, NULL);
	WRITE_ONCE(first->child, NULL);
	return 0;
}

static const struct kernel_param_ops sample_drop_ops = { .set = sample_drop };
module_param_cb(drop, &sample_drop_ops, NULL, 0200);
MODULE_PARM_DESC(drop, "write 1 to drop the last pointers to two more objects");

static noinline struct sample_grown *sample_grown_alloc(const char *what)
{
	struct sample_grown *e = kmalloc(sizeof(*e), GFP_KERNEL);

	if (e)
		sample_fill(e, sizeof(*e), what);
	return e;
}

/* One more element on sample_grow_list, for good. */
static noinline int sample_grow_add(void)
{
	struct sample_grown *e = sample_grown_alloc("grow");

	if (!e)
		return -ENOMEM;
	list_add_tail(&e->node, &sample_grow_list);
	return 0;
}

/* One more element in the cache, evicting the oldest past SAMPLE_LRU_MAX. */
static noinline int sample_lru_add(void)
{
	struct sample_grown *e = sample_grown_alloc("lru");

	if (!e)
		return -ENOMEM;
	list_add_tail(&e->node, &sample_lru_list);
	if (++sample_lru_len > SAMPLE_LRU_MAX) {
		e = list_first_entry(&sample_lru_list, struct sample_grown, node);
		list_del(&e->node);
		kfree(e);
		sample_lru_len--;
	}
	return 0;
}

static int sample_poke(const char *val, int (*add)(void))
{
	unsigned int n, i;
	int ret;

	ret = kstrtouint(val, 0, &n);
	if (ret)
		return ret;
	if (n > SAMPLE_POKE_MAX)
		return -EINVAL;
	mutex_lock(&sample_grow_mutex);
	for (i = 0; i < n && !ret; i++)
		ret = add();
	mutex_unlock(&sample_grow_mutex);
	return ret;
}

static int sample_grow_set(const char *val, const struct kernel_param *kp)
{
	return sample_poke(val, sample_grow_add);
}

static int sample_lru_set(const char *val, const struct kernel_param *kp)
{
	return sample_poke(val, sample_lru_add);
}

static const struct kernel_param_ops sample_grow_ops = { .set = sample_grow_set };
module_param_cb(grow, &sample_grow_ops, NULL, 0200);
MODULE_PARM_DESC(grow, "write N to add N elements to a list that only grows");

static const struct kernel_param_ops sample_lru_ops = { .set = sample_lru_set };
module_param_cb(lru, &sample_lru_ops, NULL, 0200);
MODULE_PARM_DESC(lru, "write N to add N elements to a cache of at most 100");

/*
 * The leaked objects' addresses, one a line (the percpu one's cookie, as a
 * report gives it), for tests that count the leaks of this load or want to
 * dump= one the detector did not report. Text holds no pointer a scanner
 * takes.
 */
static int sample_addresses(char *buf, const struct kernel_param *kp)
{
	int i, len = 0;

	for (i = 0; i < sample_nr_leaks; i++)
		len += sysfs_emit_at(buf, len, "0x%lx\n",
				     (unsigned long)sample_unhide(sample_leaks[i].hidden));
	return len;
}

static const struct kernel_param_ops sample_addresses_ops = { .get = sample_addresses };
module_param_cb(addresses, &sample_addresses_ops, NULL, 0400);
MODULE_PARM_DESC(addresses, "the leaked objects' addresses (the percpu one's cookie)");

static noinline void *sample_kmalloc(size_t size, const char *what)
{
	void *p = kmalloc(size, GFP_KERNEL);

	if (p)
		sample_fill(p, size, what);
	return p;
}

static noinline void *sample_leak_kmalloc(size_t size, const char *what)
{
	return sample_remember(sample_kmalloc(size, what), SAMPLE_KMALLOC);
}

static noinline void *sample_leak_vmalloc(size_t size)
{
	void *p = vmalloc(size);

	if (p)
		sample_fill(p, size, "vmalloc");
	return sample_remember(p, SAMPLE_VMALLOC);
}

static noinline void *sample_leak_cache(void)
{
	void *p = kmem_cache_alloc(sample_cache, GFP_KERNEL);

	if (p)
		sample_fill(p, SAMPLE_CACHE_SIZE, "cache");
	return sample_remember(p, SAMPLE_CACHE);
}

static noinline void __percpu *sample_leak_percpu(void)
{
	void __percpu *p = __alloc_percpu(SAMPLE_PERCPU_SIZE, sizeof(long));
	int cpu;

	if (!p)
		return NULL;
	for_each_possible_cpu(cpu)
		sample_fill(per_cpu_ptr(p, cpu), SAMPLE_PERCPU_SIZE, "percpu");
	sample_remember((__force void *)p, SAMPLE_PERCPU);
	return p;
}

/* head -> middle -> tail: only the head's pointer is dropped. */
static noinline int sample_leak_chain(void)
{
	struct sample_link *head, *mid, *tail;

	tail = sample_leak_kmalloc(256, "tail");
	mid = sample_leak_kmalloc(192, "middle");
	head = sample_leak_kmalloc(96, "head");
	if (!head || !mid || !tail)
		return -ENOMEM;
	mid->next = tail;
	head->next = mid;
	return 0;
}

/* a <-> b, and nothing else points to either. */
static noinline int sample_leak_cycle(void)
{
	struct sample_link *a, *b;

	a = sample_leak_kmalloc(128, "cycle-a");
	b = sample_leak_kmalloc(512, "cycle-b");
	if (!a || !b)
		return -ENOMEM;
	a->next = b;
	b->next = a;
	return 0;
}

static noinline int sample_leak_many(void)
{
	int i;

	for (i = 0; i < SAMPLE_MANY; i++)
		if (!sample_leak_kmalloc(32, "many"))
			return -ENOMEM;
	return 0;
}

static noinline int sample_spread(void)
{
	unsigned int i, j;

	for (i = 0; i < min(spread, SAMPLE_SPREAD_MAX); i++) {
		for (j = 0; j < ARRAY_SIZE(sample_sizes); j++) {
			sample_spread_kmalloc[i][j] = kzalloc(sample_sizes[j], GFP_KERNEL);
			if (!sample_spread_kmalloc[i][j])
				return -ENOMEM;
		}
		sample_spread_vmalloc[i] = vzalloc(20480);
		sample_spread_cache[i] = kmem_cache_zalloc(sample_cache, GFP_KERNEL);
		sample_spread_percpu[i] = __alloc_percpu(SAMPLE_PERCPU_SIZE, sizeof(long));
		if (!sample_spread_vmalloc[i] || !sample_spread_cache[i] ||
		    !sample_spread_percpu[i])
			return -ENOMEM;
	}
	return 0;
}

static noinline int sample_leak_all(void)
{
	if (!sample_leak_kmalloc(64, "small") ||
	    !sample_leak_kmalloc(1024, "big") ||
	    !sample_leak_kmalloc(12000, "large") ||
	    !sample_leak_vmalloc(20480) ||
	    !sample_leak_cache() ||
	    !sample_leak_percpu())
		return -ENOMEM;
	if (sample_leak_chain() || sample_leak_cycle() || sample_leak_many())
		return -ENOMEM;
	return 0;
}

/*
 * Holds the only pointer to an object in a local variable, and sleeps
 * until the module goes away.
 */
static int sample_thread_fn(void *unused)
{
	void *held = sample_kmalloc(80, "kept-stack");

	/* Taking its address keeps the pointer in the frame, on the stack. */
	barrier_data(&held);
	complete(&sample_thread_ready);
	wait_event_interruptible(sample_thread_wq, kthread_should_stop());
	barrier_data(&held);
	kfree(held);
	return 0;
}

/* The objects that drop= lets leak. */
static noinline int sample_keep_later(void)
{
	struct sample_elem *first;

	first = list_first_entry(&sample_list, struct sample_elem, node);
	sample_later_global = sample_kmalloc(SAMPLE_LATER_GLOBAL_SIZE, "later-global");
	first->child = sample_kmalloc(SAMPLE_LATER_NODE_SIZE, "later-node");
	return sample_later_global && first->child ? 0 : -ENOMEM;
}

static noinline int sample_keep_all(void)
{
	void *not_leak, *ignored, *p;
	int i, cpu;

	sample_kept_data = sample_kmalloc(48, "kept-data");
	sample_kept_bss = sample_kmalloc(48, "kept-bss");
	sample_kept_middle = sample_kmalloc(64, "kept-middle");
	if (!sample_kept_data || !sample_kept_bss || !sample_kept_middle)
		return -ENOMEM;
	sample_kept_middle += 16;

	sample_kept_vmalloc = vzalloc(PAGE_SIZE);
	if (!sample_kept_vmalloc)
		return -ENOMEM;
	sample_kept_vmalloc[5] = sample_kmalloc(48, "kept-vmalloc");

	sample_kept_percpu = alloc_percpu(void *);
	if (!sample_kept_percpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		p = sample_kmalloc(48, "kept-percpu");
		if (!p)
			return -ENOMEM;
		*per_cpu_ptr(sample_kept_percpu, cpu) = p;
	}

	not_leak = sample_kmalloc(56, "kept-not-leak");
	ignored = sample_kmalloc(72, "kept-ignored");
	if (!not_leak || !ignored) {
		kfree(not_leak);
		kfree(ignored);
		return -ENOMEM;
	}
	kmemleak_not_leak(not_leak);
	kmemleak_ignore(ignored);
	/* Hide both pointers from the scanner: only the annotations count. */
	sample_not_leak = sample_hide(not_leak);
	sample_ignored = sample_hide(ignored);

	for (i = 0; i < 4; i++) {
		struct sample_elem *e = sample_kmalloc(sizeof(*e), "kept-list");

		if (!e)
			return -ENOMEM;
		list_add_tail(&e->node, &sample_list);
	}
	return 0;
}

/*
 * Started last: kthread() keeps a pointer to its freed creation request
 * in a live frame, and an object leaked after it could land at that very
 * address, where any conservative scanner would take the stale pointer
 * for a reference.
 */
static noinline int sample_start_thread(void)
{
	sample_thread = kthread_run(sample_thread_fn, NULL, "leakscan_sample");
	if (IS_ERR(sample_thread)) {
		sample_thread = NULL;
		return -ENOMEM;
	}
	wait_for_completion(&sample_thread_ready);
	return 0;
}

static void sample_free_all(void)
{
	struct sample_grown *g, *gtmp;
	struct sample_elem *e, *tmp;
	int i, j, cpu;

	if (sample_thread)
		kthread_stop(sample_thread);
	for (i = 0; i < SAMPLE_SPREAD_MAX; i++) {
		for (j = 0; j < ARRAY_SIZE(sample_sizes); j++)
			kfree(sample_spread_kmalloc[i][j]);
		vfree(sample_spread_vmalloc[i]);
		if (sample_spread_cache[i])
			kmem_cache_free(sample_cache, sample_spread_cache[i]);
		free_percpu(sample_spread_percpu[i]);
	}
	for (i = 0; i < sample_nr_leaks; i++) {
		void *p = sample_unhide(sample_leaks[i].hidden);

		switch (sample_leaks[i].kind) {
		case SAMPLE_KMALLOC:
			kfree(p);
			break;
		case SAMPLE_VMALLOC:
			vfree(p);
			break;
		case SAMPLE_CACHE:
			kmem_cache_free(sample_cache, p);
			break;
		case SAMPLE_PERCPU:
			free_percpu((void __percpu *)p);
			break;
		}
	}
	kfree(sample_later_global);
	list_for_each_entry_safe(g, gtmp, &sample_grow_list, node)
		kfree(g);
	list_for_each_entry_safe(g, gtmp, &sample_lru_list, node)
		kfree(g);
	list_for_each_entry_safe(e, tmp, &sample_list, node) {
		list_del(&e->node);
		kfree(e->child);
		kfree(e);
	}
	if (sample_kept_data != (void *)1)
		kfree(sample_kept_data);
	kfree(sample_kept_bss);
	if (sample_kept_middle)
		kfree(sample_kept_middle - 16);
	if (sample_kept_vmalloc)
		kfree(sample_kept_vmalloc[5]);
	vfree(sample_kept_vmalloc);
	if (sample_kept_percpu) {
		for_each_possible_cpu(cpu)
			kfree(*per_cpu_ptr(sample_kept_percpu, cpu));
		free_percpu(sample_kept_percpu);
	}
	if (sample_not_leak)
		kfree(sample_unhide(sample_not_leak));
	if (sample_ignored)
		kfree(sample_unhide(sample_ignored));
	kmem_cache_destroy(sample_cache);
}

/*
 * Overwrite the dead stack below the caller's frame. The allocator's deeper
 * frames left copies of the leaked pointers there, and a scanner that
 * reads a stack whole would take them for references.
 */
static noinline void sample_scrub_stack(int depth)
{
	char buf[1024];

	memset(buf, 0, sizeof(buf));
	barrier_data(buf);
	if (depth > 1)
		sample_scrub_stack(depth - 1);
}

static int __init leakscan_sample_init(void)
{
	int ret = -ENOMEM;

	sample_cache = kmem_cache_create("leakscan_sample", SAMPLE_CACHE_SIZE,
					 0, 0, NULL);
	if (sample_cache)
		ret = sample_keep_all();
	if (!ret)
		ret = sample_spread();
	/* After spread=, which moves them too. */
	if (!ret)
		ret = sample_keep_later();
	if (!ret)
		ret = sample_leak_all();
	if (!ret)
		ret = sample_start_thread();
	sample_scrub_stack(4);
	if (ret) {
		sample_free_all();
		return ret;
	}
	pr_info("leaked %d objects\n", sample_nr_leaks);
	return 0;
}
module_init(leakscan_sample_init);

static void __exit leakscan_sample_exit(void)
{
	sample_free_all();
}
module_exit(leakscan_sample_exit);

MODULE_DESCRIPTION("Leaks a known set of objects, to test leak detectors");
MODULE_LICENSE("GPL");
