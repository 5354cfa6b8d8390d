// SPDX-License-Identifier: GPL-2.0
/*
 * A module that measures what a leak detector costs, for make bench.
 *
 * Loading it with live=N allocates N objects of live_size bytes (128 by
 * default) and keeps them all reachable, from a kvmalloc'ed array that a
 * global points to: a heap for full-scan timings. They are freed on unload.
 * With live_sites=S (1 to 512), they come from S allocation backtraces,
 * round robin, as a real heap's come from many: chains of nine calls
 * through two functions, in every order.
 *
 * With leak_mb=M, it also leaks a vmalloc'ed block of M MiB, which holds
 * no pointers and which nothing points to (the module keeps its address
 * inverted, to free it on unload): the scan checksums it every time, the
 * longest job a scan has on one object.
 *
 * Writing a command to /sys/kernel/debug/leakscan_bench runs a timed loop
 * in the writer's context; reading the file gives the last result as
 * "<command> <ops> <ns> <ns per op>". The commands:
 *
 *   kmalloc <size> <n>   n kmalloc()/kfree() pairs of size bytes
 *   cache <n>            n kmem_cache_alloc()/kmem_cache_free() pairs
 *   vmalloc <n>          n vmalloc()/vfree() pairs of one page
 *   unwind <n>           n stack_trace_save() calls of up to 16 frames: the
 *                        floor of any engine that records backtraces
 *   storm <n>            n pairs of mixed sizes on every online CPU at once;
 *                        ops counts the pairs of all CPUs and ns the wall
 *                        time, so ns per op is the aggregate cost
 *   cuts <n>             blocks of 64 pages, eight at a time, registered
 *                        as objects to scan (by virtual or by physical
 *                        address); n times, the oldest is given back a
 *                        quarter at a time, each quarter first cut off
 *                        with kmemleak_free_part*(): the front, then the
 *                        third (a split), then the two objects left. With
 *                        debug_pagealloc=on, a scan that reads a quarter
 *                        after it was given back faults
 *
 * With CONFIG_MEMORY_HOTREMOVE, four more commands drive memory hotplug
 * (stress/hotplug.sh), physical addresses and sizes in hex:
 *
 *   hotadd <start> <size>    add_memory() of RAM the kernel was booted
 *                            without (mem=); its blocks stay offline
 *   hotremove <start> <size> remove_memory() of those blocks, offline again
 *   pageref <start> <size>   take a page of that range (online, movable)
 *                            and a new 96-byte object whose only reference
 *                            is the page's private word, in the memory map
 *                            of the hot-added memory; the log says
 *                            "pageref: object <address>, pfn <pfn>". The
 *                            page cannot migrate: its block cannot go
 *                            offline until pagefree
 *   pagedrop                 clear that word: the object is unreferenced
 *   pagefree                 free the object and give the page back
 *                            (ENOENT if there is none)
 *
 * Times come from ktime_get_ns().
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/kmemleak.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/memory_hotplug.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/stacktrace.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#define BENCH_CACHE_SIZE	128
#define BENCH_MAX_OPS		100000000UL

static unsigned long live;
module_param(live, ulong, 0444);
MODULE_PARM_DESC(live, "objects to keep allocated and reachable while loaded");

static unsigned int live_size = 128;
module_param(live_size, uint, 0444);
MODULE_PARM_DESC(live_size, "size of each of those objects, in bytes");

static unsigned int leak_mb;
module_param(leak_mb, uint, 0444);
MODULE_PARM_DESC(leak_mb, "MiB of one vmalloc'ed block to leak while loaded");

static unsigned int live_sites = 1;
module_param(live_sites, uint, 0444);
MODULE_PARM_DESC(live_sites, "allocation backtraces the live objects come from, 1 to 512");

static void **live_objs;

/*
 * Two functions that call each other, or themselves, BENCH_LEVELS times
 * as the bits of @path say, then allocate: 512 backtraces. Each counts
 * its calls in a slot of its own, which keeps the compiler from folding
 * the two into one.
 */
#define BENCH_LEVELS	9
static unsigned long bench_chain_calls[2];

static void *bench_chain_b(size_t size, unsigned int path, unsigned int left);

static noinline void *bench_chain_a(size_t size, unsigned int path, unsigned int left)
{
	void *p;

	bench_chain_calls[0]++;
	if (!left)
		p = kzalloc(size, GFP_KERNEL);
	else if (path & 1)
		p = bench_chain_b(size, path >> 1, left - 1);
	else
		p = bench_chain_a(size, path >> 1, left - 1);
	barrier();
	return p;
}

static noinline void *bench_chain_b(size_t size, unsigned int path, unsigned int left)
{
	void *p;

	bench_chain_calls[1]++;
	if (!left)
		p = kzalloc(size, GFP_KERNEL);
	else if (path & 1)
		p = bench_chain_b(size, path >> 1, left - 1);
	else
		p = bench_chain_a(size, path >> 1, left - 1);
	barrier();
	return p;
}

/* The @i-th live object, from backtrace @i modulo live_sites. */
static void *bench_live_alloc(unsigned long i)
{
	unsigned int site = i % clamp(live_sites, 1U, 1U << BENCH_LEVELS);

	if (live_sites <= 1)
		return kzalloc(live_size, GFP_KERNEL);
	return bench_chain_a(live_size, site, BENCH_LEVELS);
}

static unsigned long leak_hidden;	/* ~address of the leaked block */
static struct kmem_cache *bench_cache;
static struct dentry *bench_file;

static DEFINE_MUTEX(bench_mutex);	/* one command at a time; guards result */
static char bench_result[128];

/* ------------------------------------------------------------- Loops */

enum bench_kind { BENCH_KMALLOC, BENCH_CACHE, BENCH_VMALLOC, BENCH_UNWIND };

/* n allocate/free pairs of one kind; returns the nanoseconds taken. */
static u64 bench_pairs(enum bench_kind kind, size_t size, unsigned long n)
{
	unsigned long i, frames[16];
	u64 t0 = ktime_get_ns();
	void *p;

	for (i = 0; i < n; i++) {
		switch (kind) {
		case BENCH_UNWIND:
			stack_trace_save(frames, ARRAY_SIZE(frames), 0);
			break;
		case BENCH_KMALLOC:
			p = kmalloc(size, GFP_KERNEL);
			OPTIMIZER_HIDE_VAR(p);
			kfree(p);
			break;
		case BENCH_CACHE:
			p = kmem_cache_alloc(bench_cache, GFP_KERNEL);
			OPTIMIZER_HIDE_VAR(p);
			kmem_cache_free(bench_cache, p);
			break;
		case BENCH_VMALLOC:
			p = vmalloc(size);
			OPTIMIZER_HIDE_VAR(p);
			vfree(p);
			break;
		}
	}
	return ktime_get_ns() - t0;
}

#define BENCH_CUT_BYTES		(64 * PAGE_SIZE)
#define BENCH_CUT_LIVE		8

/* A block of pages, tracked as an object to scan, by one of its addresses. */
struct bench_block {
	char *p;
	bool phys;
};

static void bench_block_track(struct bench_block *b, bool phys)
{
	b->phys = phys;
	b->p = alloc_pages_exact(BENCH_CUT_BYTES, GFP_KERNEL | __GFP_NOWARN);
	if (!b->p)
		return;		/* a slot left empty this time */
	/* Words that are not zero, so that a scan looks at each. */
	memset(b->p, 0x5a, BENCH_CUT_BYTES);
	if (phys)
		kmemleak_alloc_phys(virt_to_phys(b->p), BENCH_CUT_BYTES, GFP_KERNEL);
	else
		kmemleak_alloc(b->p, BENCH_CUT_BYTES, 0, GFP_KERNEL);
}

/* Stop tracking [@p, +@size) of a block, then give it back. */
static void bench_cut(char *p, size_t size, bool phys)
{
	if (phys)
		kmemleak_free_part_phys(virt_to_phys(p), size);
	else
		kmemleak_free_part(p, size);
	free_pages_exact(p, size);
	/* Let a scan on another CPU get on inside what is left. */
	usleep_range(50, 100);
}

/* The front quarter, the third (a split), then the two objects left. */
static void bench_block_cut(struct bench_block *b)
{
	size_t q = BENCH_CUT_BYTES / 4;

	if (!b->p)
		return;
	bench_cut(b->p, q, b->phys);
	bench_cut(b->p + 2 * q, q, b->phys);
	bench_cut(b->p + q, q, b->phys);
	bench_cut(b->p + 3 * q, q, b->phys);
	b->p = NULL;
}

/*
 * BENCH_CUT_LIVE blocks stay tracked, so that scans are reading them when
 * they are cut: n times, the oldest is given back and replaced.
 */
static int bench_cuts(unsigned long n, u64 *ns)
{
	struct bench_block ring[BENCH_CUT_LIVE];
	u64 t0 = ktime_get_ns();
	unsigned long i;

	for (i = 0; i < BENCH_CUT_LIVE; i++)
		bench_block_track(&ring[i], i & 1);
	for (i = 0; i < n; i++) {
		bench_block_cut(&ring[i % BENCH_CUT_LIVE]);
		bench_block_track(&ring[i % BENCH_CUT_LIVE], (i / BENCH_CUT_LIVE) & 1);
		cond_resched();
	}
	for (i = 0; i < BENCH_CUT_LIVE; i++)
		bench_block_cut(&ring[i]);
	*ns = ktime_get_ns() - t0;
	return 0;
}

/* The storm: one thread per online CPU, released together. */
struct storm {
	unsigned long n;
	atomic_t ready;
	atomic_t left;
	struct completion go;
	struct completion done;
};

static int storm_fn(void *arg)
{
	static const size_t sizes[] = { 32, 64, 128, 256, 512, 1024, 4096 };
	struct storm *s = arg;
	unsigned long i;
	void *p;

	atomic_inc(&s->ready);
	wait_for_completion(&s->go);
	for (i = 0; i < s->n; i++) {
		p = kmalloc(sizes[i % ARRAY_SIZE(sizes)], GFP_KERNEL);
		OPTIMIZER_HIDE_VAR(p);
		kfree(p);
		if (i % 1024 == 0)
			cond_resched();
	}
	if (atomic_dec_and_test(&s->left))
		complete(&s->done);
	return 0;
}

static int bench_storm(unsigned long n, unsigned long *ops, u64 *ns)
{
	struct storm s = { .n = n };
	struct task_struct *t;
	unsigned int cpus = 0;
	u64 t0;
	int cpu;

	init_completion(&s.go);
	init_completion(&s.done);
	atomic_set(&s.left, num_online_cpus());
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		t = kthread_create(storm_fn, &s, "lsbench/%d", cpu);
		if (IS_ERR(t)) {
			/* Those started are waiting for go: let them finish. */
			atomic_sub(num_online_cpus() - cpus, &s.left);
			break;
		}
		kthread_bind(t, cpu);
		wake_up_process(t);
		cpus++;
	}
	cpus_read_unlock();
	while (atomic_read(&s.ready) < cpus)
		schedule_timeout_uninterruptible(1);
	t0 = ktime_get_ns();
	complete_all(&s.go);
	if (cpus)
		wait_for_completion(&s.done);
	*ns = ktime_get_ns() - t0;
	*ops = n * cpus;
	return cpus == num_online_cpus() ? 0 : -ENOMEM;
}

/* ---------------------------------------------------- Memory hotplug */

#ifdef CONFIG_MEMORY_HOTREMOVE
#define BENCH_HOT_TRIES		4096

static struct page *hot_page;	/* its private word holds the object */
/*
 * The object's size: past the largest kmalloc cache, so that it comes from
 * the page allocator. A slab object's address lingers in words the scan
 * reads: a freed object's that a live word still names (on a defconfig
 * kernel, a lazily freed vmap_area's vm_struct pointer), and the slot of
 * a per-CPU sheaf that handed it out (a sheaf of the object's own unmerged
 * cache). The test would see such a stale word, not the page's.
 */
#define BENCH_HOT_SIZE		(4 * PAGE_SIZE)
/*
 * The object's address once pagedrop took it out of the page, inverted:
 * no word that the scan reads may point to it.
 */
static unsigned long hot_hidden;

static struct page *bench_page_in(u64 start, u64 size)
{
	struct page *page, *next, *found = NULL;
	LIST_HEAD(others);
	int i;

	/* Movable allocations try ZONE_MOVABLE, the hot-added memory, first. */
	for (i = 0; i < BENCH_HOT_TRIES && !found; i++) {
		page = alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN);
		if (!page)
			break;
		if (PFN_PHYS(page_to_pfn(page)) - start < size)
			found = page;
		else
			list_add(&page->lru, &others);
	}
	list_for_each_entry_safe(page, next, &others, lru)
		__free_page(page);
	return found;
}

static void bench_page_free(void)
{
	if (!hot_page)
		return;
	if (page_private(hot_page))
		kfree((void *)page_private(hot_page));
	else if (hot_hidden)
		kfree((void *)~hot_hidden);
	set_page_private(hot_page, 0);
	__free_page(hot_page);
	hot_page = NULL;
	hot_hidden = 0;
}

/* A hotplug command's result, or -ENOIOCTLCMD if cmd is none. */
static int bench_hotplug(const char *cmd)
{
	u64 start, size;
	void *obj;

	if (sscanf(cmd, "hotadd %llx %llx", &start, &size) == 2)
		return add_memory(memory_add_physaddr_to_nid(start), start, size, MHP_NONE);
	if (sscanf(cmd, "hotremove %llx %llx", &start, &size) == 2) {
		if (hot_page && PFN_PHYS(page_to_pfn(hot_page)) - start < size)
			return -EBUSY;
		return remove_memory(start, size);
	}
	if (sysfs_streq(cmd, "pagedrop")) {
		if (!hot_page || !page_private(hot_page))
			return -EINVAL;
		hot_hidden = ~page_private(hot_page);
		set_page_private(hot_page, 0);
		return 0;
	}
	if (sysfs_streq(cmd, "pagefree")) {
		if (!hot_page)
			return -ENOENT;
		bench_page_free();
		return 0;
	}
	if (sscanf(cmd, "pageref %llx %llx", &start, &size) != 2)
		return -ENOIOCTLCMD;
	if (hot_page)
		return -EBUSY;
	hot_page = bench_page_in(start, size);
	if (!hot_page)
		return -ENOMEM;
	obj = kzalloc(BENCH_HOT_SIZE, GFP_KERNEL);
	if (!obj) {
		bench_page_free();
		return -ENOMEM;
	}
	set_page_private(hot_page, (unsigned long)obj);
	/* In the log: a storm running meanwhile rewrites bench_result. */
	pr_info("pageref: object 0x%lx, pfn 0x%lx\n", (unsigned long)obj,
		page_to_pfn(hot_page));
	return 0;
}
#else
static int bench_hotplug(const char *cmd)
{
	return -ENOIOCTLCMD;
}

static void bench_page_free(void) { }
#endif

/* ---------------------------------------------------------- Interface */

static int bench_run(char *cmd)
{
	unsigned long n, size, ops;
	char name[16];
	int ret = bench_hotplug(cmd);
	u64 ns;

	if (ret != -ENOIOCTLCMD)
		return ret;
	ret = 0;
	if (sscanf(cmd, "kmalloc %lu %lu", &size, &n) == 2) {
		if (!size || size > KMALLOC_MAX_CACHE_SIZE)
			return -EINVAL;
		snprintf(name, sizeof(name), "kmalloc-%lu", size);
	} else if (sscanf(cmd, "cache %lu", &n) == 1) {
		strscpy(name, "cache");
	} else if (sscanf(cmd, "vmalloc %lu", &n) == 1) {
		strscpy(name, "vmalloc");
	} else if (sscanf(cmd, "unwind %lu", &n) == 1) {
		strscpy(name, "unwind");
	} else if (sscanf(cmd, "storm %lu", &n) == 1) {
		strscpy(name, "storm");
	} else if (sscanf(cmd, "cuts %lu", &n) == 1) {
		strscpy(name, "cuts");
	} else {
		return -EINVAL;
	}
	if (!n || n > BENCH_MAX_OPS)
		return -EINVAL;

	ops = n;
	if (!strcmp(name, "cache"))
		ns = bench_pairs(BENCH_CACHE, BENCH_CACHE_SIZE, n);
	else if (!strcmp(name, "vmalloc"))
		ns = bench_pairs(BENCH_VMALLOC, PAGE_SIZE, n);
	else if (!strcmp(name, "unwind"))
		ns = bench_pairs(BENCH_UNWIND, 0, n);
	else if (!strcmp(name, "storm"))
		ret = bench_storm(n, &ops, &ns);
	else if (!strcmp(name, "cuts"))
		ret = bench_cuts(n, &ns);
	else
		ns = bench_pairs(BENCH_KMALLOC, size, n);
	if (ret)
		return ret;
	snprintf(bench_result, sizeof(bench_result), "%s %lu %llu %llu\n",
		 name, ops, ns, div64_u64(ns, ops));
	return 0;
}

static ssize_t bench_write(struct file *file, const char __user *ubuf,
			   size_t size, loff_t *ppos)
{
	char *buf;
	int ret;

	if (size >= 64)
		return -EINVAL;
	buf = memdup_user_nul(ubuf, size);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	mutex_lock(&bench_mutex);
	ret = bench_run(buf);
	mutex_unlock(&bench_mutex);
	kfree(buf);
	return ret ? ret : size;
}

static ssize_t bench_read(struct file *file, char __user *ubuf, size_t size,
			  loff_t *ppos)
{
	char buf[sizeof(bench_result)];

	mutex_lock(&bench_mutex);
	strscpy(buf, bench_result);
	mutex_unlock(&bench_mutex);
	return simple_read_from_buffer(ubuf, size, ppos, buf, strlen(buf));
}

static const struct file_operations bench_fops = {
	.owner = THIS_MODULE,
	.read = bench_read,
	.write = bench_write,
	.llseek = default_llseek,
};

/* ------------------------------------------------------- Load, unload */

static void bench_free_live(void)
{
	unsigned long i;

	if (!live_objs)
		return;
	for (i = 0; i < live; i++) {
		kfree(live_objs[i]);
		if (i % 4096 == 0)
			cond_resched();
	}
	kvfree(live_objs);
	live_objs = NULL;
}

static int __init bench_init(void)
{
	unsigned long i;

	bench_cache = kmem_cache_create("leakscan_bench", BENCH_CACHE_SIZE, 0, 0, NULL);
	if (!bench_cache)
		return -ENOMEM;
	if (live) {
		live_objs = kvcalloc(live, sizeof(*live_objs), GFP_KERNEL);
		if (!live_objs)
			goto nomem;
		for (i = 0; i < live; i++) {
			live_objs[i] = bench_live_alloc(i);
			if (!live_objs[i])
				goto nomem;
			if (i % 4096 == 0)
				cond_resched();
		}
	}
	if (leak_mb) {
		void *block = vmalloc((unsigned long)leak_mb << 20);

		if (!block)
			goto nomem;
		memset(block, 0x5a, (unsigned long)leak_mb << 20);
		leak_hidden = ~(unsigned long)block;
	}
	bench_file = debugfs_create_file("leakscan_bench", 0600, NULL, NULL, &bench_fops);
	pr_info("holding %lu objects of %u bytes, leaking %u MiB\n", live, live_size,
		leak_mb);
	return 0;

nomem:
	bench_free_live();
	kmem_cache_destroy(bench_cache);
	return -ENOMEM;
}

static void __exit bench_exit(void)
{
	debugfs_remove(bench_file);
	bench_page_free();
	bench_free_live();
	if (leak_hidden)
		vfree((void *)~leak_hidden);
	kmem_cache_destroy(bench_cache);
}

module_init(bench_init);
module_exit(bench_exit);

MODULE_DESCRIPTION("Costs of a kernel memory leak detector, for make bench");
MODULE_LICENSE("GPL");
