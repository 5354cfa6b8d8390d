// SPDX-License-Identifier: GPL-2.0
/*
 * leakscan: finding what is unreferenced.
 *
 * A scan resets the reference counts, reads the roots (the kernel's data
 * sections, every possible CPU's percpu area and the live part of every
 * task's stack), then reads every object found reachable, and finally
 * judges the unreachable ones (index.c). Memory is read with ls_lock held,
 * LS_CHUNK bytes at a time, dropping it in between so that allocations go
 * on and the scan can reschedule: objects and root ranges are read in
 * chunks, objects of up to LS_CHUNK bytes back to back until LS_CHUNK
 * bytes have been read (index.c), and tree walks let go every 1024
 * objects. A task's stack, under rcu_read_lock(), is read in one go: its
 * live part is at most THREAD_SIZE.
 *
 * Scans are serialised by ls_scan_mutex. The scan thread is started and
 * stopped under ls_thread_mutex only, never under ls_scan_mutex, so that
 * stopping it cannot wait on a scan that waits on the stopper.
 */

#define pr_fmt(fmt) "kmemleak: " fmt

#include <kunit/visibility.h>
#include <linux/bsearch.h>
#include <linux/crc32.h>
#include <linux/jiffies.h>
#include <linux/kmemleak.h>
#include <linux/kasan.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/memblock.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/sysfs.h>
#include <linux/vmalloc.h>

#include <asm/sections.h>

#include "../slab.h"
#include "growth.h"
#include "internals.h"
#include "leakscan.h"

/* ---------------------------------------------------------------- Data */

static DEFINE_MUTEX(ls_scan_mutex);
static DEFINE_MUTEX(ls_thread_mutex);
static struct task_struct *ls_thread;
static unsigned long ls_period = LS_SCAN_PERIOD_SECS * HZ;

/* When each of the last 2^LS_SCAN_SEQ_BITS scans began, by number. */
static unsigned long ls_scan_jiffies[1 << LS_SCAN_SEQ_BITS];

/**
 * ls_scan_began - when a scan that a referrer names began
 * @seq_low:	the low bits of its number (ls_referrer_seq())
 * @when:	set to jiffies at its start
 * @next:	set to jiffies at the start of the scan after it, or 0 if
 *		there is none yet
 *
 * A referrer keeps only the low bits of the scan's number: a scan more
 * than 2^LS_SCAN_SEQ_BITS scans old is taken for the latest one with the
 * same low bits.
 *
 * Return: false if no scan with those low bits has begun yet.
 */
bool ls_scan_began(unsigned long seq_low, unsigned long *when, unsigned long *next)
{
	unsigned long cur, seq;
	bool ok;

	cur = ls_lock_index()->seq;
	seq = cur - ((cur - seq_low) & LS_SCAN_SEQ_MASK);
	ok = seq && seq <= cur;
	if (ok) {
		*when = ls_scan_jiffies[seq & LS_SCAN_SEQ_MASK];
		*next = seq < cur ? ls_scan_jiffies[(seq + 1) & LS_SCAN_SEQ_MASK] : 0;
	}
	ls_unlock_index();
	return ok;
}

/* The last complete scan's figures, for leakscan/stats (under the lock). */
static struct ls_scan_stats ls_last_scan;

/* Told of each scan's new leaks, under ls_scan_mutex (console.c). */
static void (*ls_notify)(unsigned long new_leaks);

/**
 * ls_scan_last - the figures of the last complete scan
 * @st: where to copy them
 *
 * The caller holds the index lock, under which a scan stores them.
 */
void ls_scan_last(struct ls_scan_stats *st)
{
	ls_locked_index();
	*st = ls_last_scan;
}

/**
 * ls_scan_set_notify - have a function told of each scan's new leaks
 * @fn: called after a scan that reported some, with their number, while
 *	no other scan can run and change which leaks are new
 *
 * Set once, at initialisation, by the layer that shows them: the scan
 * knows nothing of the console.
 */
void ls_scan_set_notify(void (*fn)(unsigned long new_leaks))
{
	mutex_lock(&ls_scan_mutex);
	ls_notify = fn;
	mutex_unlock(&ls_scan_mutex);
}

/* Minimum age of a leak, in jiffies. */
u32 ls_min_age = 5 * HZ;
EXPORT_SYMBOL_IF_KUNIT(ls_min_age);

/*
 * leakscan.min_age_ms, on the command line or in
 * /sys/module/leakscan/parameters: how old an unreferenced object must be
 * to be reported. The stock engine's fixed 5 s hides leaks in short runs.
 */
static int ls_min_age_set(const char *val, const struct kernel_param *kp)
{
	unsigned int ms;
	int ret;

	ret = kstrtouint(val, 0, &ms);
	if (ret)
		return ret;
	WRITE_ONCE(ls_min_age, msecs_to_jiffies(ms));
	return 0;
}

static int ls_min_age_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%u\n", jiffies_to_msecs(READ_ONCE(ls_min_age)));
}

static const struct kernel_param_ops ls_min_age_ops = {
	.set = ls_min_age_set,
	.get = ls_min_age_get,
};
module_param_cb(min_age_ms, &ls_min_age_ops, NULL, 0644);
MODULE_PARM_DESC(min_age_ms, "minimum age of a reported leak, in ms (default 5000)");

/*
 * leakscan.growth_scans and leakscan.growth_min_objects: a site grows when
 * its reachable objects rose at each of the last growth_scans scans, by
 * growth_min_objects in all (growth.h). growth_scans=0 stops tallying.
 */
unsigned int ls_growth_scans = 4;
unsigned long ls_growth_min_objects = 16;

static int ls_growth_scans_set(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int ret;

	ret = kstrtouint(val, 0, &n);
	if (ret)
		return ret;
	if (n >= LS_GROWTH_SCANS)
		return -EINVAL;
	WRITE_ONCE(ls_growth_scans, n);
	return 0;
}

static const struct kernel_param_ops ls_growth_scans_ops = {
	.set = ls_growth_scans_set,
	.get = param_get_uint,
};
module_param_cb(growth_scans, &ls_growth_scans_ops, &ls_growth_scans, 0644);
MODULE_PARM_DESC(growth_scans, "scans a growing site rose at, 0 (off) to 7 (default 4)");

static int ls_growth_min_objects_set(const char *val, const struct kernel_param *kp)
{
	unsigned long n;
	int ret;

	ret = kstrtoul(val, 0, &n);
	if (ret)
		return ret;
	if (!n || n > U32_MAX)
		return -EINVAL;
	WRITE_ONCE(ls_growth_min_objects, n);
	return 0;
}

static const struct kernel_param_ops ls_growth_min_objects_ops = {
	.set = ls_growth_min_objects_set,
	.get = param_get_ulong,
};
module_param_cb(growth_min_objects, &ls_growth_min_objects_ops, &ls_growth_min_objects,
		0644);
MODULE_PARM_DESC(growth_min_objects, "objects a growing site gained at least (default 16)");

/*
 * kmemleak.min_unref_scans, as in the stock engine: how many scans in a
 * row, each with its confirming pass, must find an object unreferenced
 * with unchanged contents before it is reported. As there, 2 by default
 * with CONFIG_DEBUG_KMEMLEAK_VERBOSE, 1 otherwise, and 0 counts as 1.
 */
unsigned int ls_min_unref_scans = IS_ENABLED(CONFIG_DEBUG_KMEMLEAK_VERBOSE) ? 2 : 1;
EXPORT_SYMBOL_IF_KUNIT(ls_min_unref_scans);
#if LS_STOCK_MIN_UNREF
#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "kmemleak."
module_param_named(min_unref_scans, ls_min_unref_scans, uint, 0644);
#endif

/* ----------------------------------------------------------- Internals */

static void ls_scan_range(struct ls_object *obj, unsigned long start,
			  unsigned long end)
{
	ls_scan_span(ls_locked_index(), obj, start, end, true);
}

/* A root range, skipping what core.c says must not be read. */
static void ls_scan_root(unsigned long start, unsigned long end)
{
	unsigned long skip_start, skip_end;

	ls_root_exclusions(&skip_start, &skip_end);
	ls_lock_index();
	if (skip_start < end && skip_end > start) {
		ls_scan_range(NULL, start, skip_start);
		ls_scan_range(NULL, skip_end, end);
	} else {
		ls_scan_range(NULL, start, end);
	}
	ls_unlock_index();
}

/* Where the contents of @obj are read: LS_PHYS ones through the linear map. */
static unsigned long ls_span(struct ls_index *idx, struct ls_object *obj)
{
	return obj->flags & LS_PHYS ? (unsigned long)__va(obj->start) : obj->start;
}

static void ls_scan_object(struct ls_index *idx, struct ls_object *obj)
{
	unsigned long start = obj->start;
	int cpu;

	/* Those up to LS_CHUNK bytes the index reads itself (direct_max). */
	if (obj->flags & LS_SHEAF) {
		ls_scan_range(obj, start, start + ls_sheaf_live_bytes((void *)start, obj->size));
	} else if (!(obj->flags & (LS_AREAS | LS_PERCPU | LS_PHYS))) {
		ls_scan_range(obj, start, start + obj->size);
	} else if (obj->flags & LS_AREAS) {
		ls_areas_scan(obj, ls_scan_range);
	} else if (obj->flags & LS_PERCPU) {
		for_each_possible_cpu(cpu) {
			start = (unsigned long)per_cpu_ptr((void __percpu *)obj->start, cpu);
			ls_scan_range(obj, start, start + obj->size);
			if (obj->flags & LS_FREED)
				return;
		}
	} else if (obj->flags & LS_PHYS) {
		/* Only what the linear map covers can be read. */
		if (PHYS_PFN(obj->start + obj->size) > max_low_pfn ||
		    !pfn_valid(PHYS_PFN(obj->start)))
			return;
		start = ls_span(idx, obj);
		ls_scan_range(obj, start, start + obj->size);
	}
}

/*
 * crc32() is instrumented, and an object's registered size may cover bytes
 * that KASAN keeps poisoned (kmalloc's rounding): it must not report them.
 */
static u32 ls_crc(u32 crc, const void *p, size_t len)
{
	kasan_disable_current();
	crc = crc32(crc, kasan_reset_tag(p), len);
	kasan_enable_current();
	return crc;
}

/* A chunk at a time, as reads are: a 64 MiB object is 16384 holds. */
static u32 ls_checksum(struct ls_index *idx, struct ls_object *obj)
{
	unsigned long start;
	u32 crc = 0;
	int cpu;

	if (obj->flags & LS_PHYS)
		return 0;
	if (!(obj->flags & LS_PERCPU))
		return ls_crc_span(idx, obj, 0, obj->start, obj->start + obj->size);
	for_each_possible_cpu(cpu) {
		start = (unsigned long)per_cpu_ptr((void __percpu *)obj->start, cpu);
		crc = ls_crc_span(idx, obj, crc, start, start + obj->size);
		if (obj->flags & LS_FREED)
			break;
	}
	return crc;
}

static struct ls_object *ls_vm_block(struct ls_index *idx, struct ls_object *obj)
{
	const struct vm_struct *vm = (const struct vm_struct *)obj->start;

	if (obj->size < sizeof(*vm))
		return NULL;
	return ls_lookup_start(&idx->virt, (unsigned long)READ_ONCE(vm->addr));
}

/*
 * The memory map is read with the memblock blocks that hold it, for a
 * struct page may hold a real reference (a folio's private data, a page
 * table's mm). But some of its words are only what an older user left:
 *  - A slab's freelist field points to the slab's first free object,
 *    which may have been allocated since, and it stays in the word of
 *    struct page it shares (LS_PAGE_REUSED_WORD) when the pages go to
 *    another user that does not write it, such as a large kmalloc() or
 *    another slab. Such words were found in
 *    practice hiding leaked kmalloc-1k, -2k and -4k objects and a 12000
 *    byte kmalloc() object. So that word is not a reference when it points
 *    into its own page or one of the LS_STALE_PAGES - 1 pages after it
 *    (a slab spans at most that many): no user of that word keeps a
 *    reference to its own pages there.
 *  - The struct page of a free page (no reference count) keeps whatever
 *    its last user left there: no word of it is a reference.
 * To tell them, a word of a memblock block that points to an object is
 * looked up in the memory map, through a table of the physically
 * contiguous pieces of the boot-time memory map (the one in memblock
 * blocks), sorted by physical address and built before the first scan.
 */
#define LS_STALE_PAGES	8	/* the pages of the largest slab */

#if LS_ARCH_VMEMMAP
struct ls_memmap_piece {
	phys_addr_t phys;	/* where it is */
	unsigned long va;	/* its address in the memory map */
	unsigned long bytes;	/* its size */
};

static struct ls_memmap_piece *ls_memmap;
static unsigned long ls_memmap_len;

/*
 * Walk the memory map of the present sections, one page table entry at a
 * time, merging what is contiguous both in the memory map and in physical
 * memory. Store at most @cap pieces in @out; return how many there are.
 */
static unsigned long ls_memmap_walk(struct ls_memmap_piece *out, unsigned long cap)
{
	struct ls_memmap_piece cur = { };
	unsigned long nr, va, end, step, n = 0;
	phys_addr_t phys;

	for (nr = 0; nr <= __highest_present_section_nr; nr++) {
		if (!present_section_nr(nr))
			continue;
		va = (unsigned long)pfn_to_page(section_nr_to_pfn(nr));
		end = va + PAGES_PER_SECTION * sizeof(struct page);
		for (; va < end; va += step) {
			step = PAGE_SIZE - offset_in_page(va);
			phys = ls_arch_vmemmap_phys(va, &step);
			step = min(step, end - va);
			if (phys == PHYS_ADDR_MAX)
				continue;	/* not mapped */
			if (cur.bytes && cur.va + cur.bytes == va &&
			    cur.phys + cur.bytes == phys) {
				cur.bytes += step;
				continue;
			}
			if (cur.bytes && n < cap)
				out[n] = cur;
			n += !!cur.bytes;
			cur = (struct ls_memmap_piece){ .phys = phys, .va = va, .bytes = step };
		}
	}
	if (cur.bytes && n < cap)
		out[n] = cur;
	return n + !!cur.bytes;
}

static int ls_memmap_cmp(const void *a, const void *b)
{
	const struct ls_memmap_piece *x = a, *y = b;

	return x->phys < y->phys ? -1 : x->phys > y->phys;
}

/* For bsearch(): whether the piece @elt holds the physical address @key. */
static int ls_memmap_holds(const void *key, const void *elt)
{
	phys_addr_t phys = *(const phys_addr_t *)key;
	const struct ls_memmap_piece *piece = elt;

	if (phys < piece->phys)
		return -1;
	return phys - piece->phys >= piece->bytes;
}

/* Build the table, once (under ls_scan_mutex). */
static void ls_memmap_init(void)
{
	struct ls_memmap_piece *map;
	unsigned long n;

	if (ls_memmap)
		return;
	/* Memory hot-remove would unmap pieces while we walk them. */
	get_online_mems();
	n = ls_memmap_walk(NULL, 0);
	map = n ? kvmalloc_array(n, sizeof(*map), GFP_KERNEL | __GFP_NOWARN) : NULL;
	if (map)
		n = min(n, ls_memmap_walk(map, n));
	put_online_mems();
	if (!map)
		return;		/* try again at the next scan */
	sort(map, n, sizeof(*map), ls_memmap_cmp, NULL);
	ls_memmap_len = n;
	/* Publish the length with the table: ls_memmap_page() reads both. */
	smp_store_release(&ls_memmap, map);
}

/**
 * ls_memmap_page - find the struct page that a word is in
 * @where:	the word's address, in the memory map or in the linear map
 * @off:	set to the word's offset in the struct page
 *
 * Return: the struct page of an online page, or NULL if @where is in
 * neither the memory map nor the boot-time memory map's linear-map alias
 * (or the table of where that is has not been built yet).
 */
struct page *ls_memmap_page(unsigned long where, unsigned long *off)
{
	/* Pairs with ls_memmap_init(): the length is valid once the table is. */
	const struct ls_memmap_piece *map = smp_load_acquire(&ls_memmap);
	const struct ls_memmap_piece *piece;
	unsigned long va, nr;
	struct page *page;
	phys_addr_t phys;

	/* A word read through the memory map itself (ls_scan_memmap()). */
	if (where >= (unsigned long)vmemmap &&
	    where < (unsigned long)(vmemmap + max_pfn)) {
		nr = (where - (unsigned long)vmemmap) / sizeof(struct page);
		page = pfn_valid(nr) ? pfn_to_online_page(nr) : NULL;
		if (page) {
			*off = where - (unsigned long)page;
			return page;
		}
	}
	if (!map || !virt_addr_valid((void *)where))
		return NULL;
	phys = __pa(where);
	piece = bsearch(&phys, map, ls_memmap_len, sizeof(*map), ls_memmap_holds);
	if (!piece)
		return NULL;
	va = piece->va + (phys - piece->phys);
	nr = (va - (unsigned long)vmemmap) / sizeof(struct page);
	/* Memory hot-removed since has no memory map any more. */
	if (!pfn_to_online_page(nr))
		return NULL;
	*off = va - (unsigned long)(vmemmap + nr);
	return vmemmap + nr;
}
EXPORT_SYMBOL_IF_KUNIT(ls_memmap_page);
#else
static void ls_memmap_init(void) { }

struct page *ls_memmap_page(unsigned long where, unsigned long *off)
{
	return NULL;
}
#endif

static bool ls_stale(struct ls_index *idx, const void *where,
		     struct ls_object *obj)
{
	unsigned long off, val;
	struct page *page;

	page = ls_memmap_page((unsigned long)where, &off);
	if (!page)
		return false;
	if (!page_count(page))
		return true;
	if (off != LS_PAGE_REUSED_WORD)
		return false;
	val = READ_ONCE(*(const unsigned long *)where);
	return virt_addr_valid((void *)val) &&
	       PHYS_PFN(__pa(val)) - page_to_pfn(page) < LS_STALE_PAGES;
}

/*
 * Between batches of a tree walk, chunks of a read: let interrupts and
 * other tasks in. A scan can take seconds, and cond_resched() alone is no
 * quiescent state for RCU-tasks when nothing else wants the CPU.
 */
static void ls_relax(struct ls_index *idx)
{
	ls_unlock_index();
	cond_resched_tasks_rcu_qs();
	ls_lock_index();
}

/*
 * What index.c needs of the kernel, one phase of the scan a line: reading
 * (objects up to a chunk in place, bigger ones through ls_scan_object()),
 * following a vm_struct to its block, judging unchanged contents, and
 * pacing (the lock is dropped between batches).
 */
const struct ls_scan_ops ls_ops = {
	.direct_max = LS_CHUNK, .scan_object = ls_scan_object, .stale = ls_stale,
	.span = ls_span, .chunk = LS_CHUNK,
	.vm_block = ls_vm_block,
	.checksum = ls_checksum, .crc = ls_crc,
	.relax = ls_relax,
};

/*
 * The stacks. A task that is not running saved its stack pointer when it
 * was switched out: only the stack above it is live, and the dead frames
 * below can only hide leaks. A running task's stack is read whole. The
 * vmalloc'ed stack object is flagged LS_STACK, so that it is not also read
 * whole as an object.
 */
static void ls_scan_task_stack(struct task_struct *t)
{
	unsigned long base, top, sp;
	struct ls_index *idx;
	struct ls_object *obj;

	base = (unsigned long)task_stack_page(t);
	top = base + THREAD_SIZE;
	sp = base;
	if (t == current)
		sp = current_stack_pointer;
	else if (!task_curr(t))
		sp = ls_arch_saved_sp(t);
	if (sp < base || sp >= top)
		sp = base;

	idx = ls_lock_index();
	obj = ls_lookup(&idx->virt, base);
	if (obj)
		obj->flags |= LS_STACK;
	/* Under rcu_read_lock(): no rescheduling. */
	ls_scan_span(idx, NULL, sp & ~(sizeof(long) - 1), top, false);
	ls_unlock_index();
}

static void ls_scan_stacks(void)
{
	struct task_struct *g, *t;

	rcu_read_lock();
	for_each_process_thread(g, t) {
		if (!try_get_task_stack(t))
			continue;
		ls_scan_task_stack(t);
		put_task_stack(t);
	}
	rcu_read_unlock();
}

/*
 * The struct page of a page in use can hold a real reference (a folio's
 * private data, a page table's mm), and the memory map is not a memblock
 * object to be read with the others: since 7.3 it is allocated without
 * telling the leak detector (MEMBLOCK_ALLOC_NOLEAKTRACE). So the struct
 * pages of the pages in use (with a reference count) in populated zones
 * are roots, read LS_MEMMAP_BATCH (4 KiB of them) per lock hold. Free
 * pages' struct pages only hold what their last user left, and so does
 * the word a slab's freelist shares when it points into its own pages
 * (see ls_stale()): neither is read.
 */
#define LS_MEMMAP_BATCH	(LS_CHUNK / sizeof(struct page))

static void ls_scan_struct_page(struct ls_index *idx, struct page *page)
{
	const char *p = (const char *)page;
	unsigned long val = READ_ONCE(*ls_page_reused_word(page));

	/* Mostly a file offset or nothing: look closer only at an address. */
	if (val - idx->virt.lo < idx->virt.hi - idx->virt.lo &&
	    virt_addr_valid((void *)val) &&
	    PHYS_PFN(__pa(val)) - page_to_pfn(page) < LS_STALE_PAGES) {
		ls_scan_words(idx, NULL, p, p + LS_PAGE_REUSED_WORD);
		ls_scan_words(idx, NULL, p + LS_PAGE_REUSED_WORD + sizeof(long),
			      page + 1);
	} else {
		ls_scan_words(idx, NULL, p, page + 1);
	}
	idx->scanned += sizeof(struct page);
}

static void ls_scan_memmap(void)
{
	unsigned long pfn, end, n = 0;
	struct page *page = NULL;
	struct ls_index *idx;
	struct zone *zone;

	get_online_mems();
	for_each_populated_zone(zone) {
		end = zone_end_pfn(zone);
		idx = ls_lock_index();
		for (pfn = zone->zone_start_pfn; pfn < end; pfn++) {
			if (++n % LS_MEMMAP_BATCH == 0)
				ls_relax(idx);
			/*
			 * Whether the memory map is there is decided per
			 * subsection: look it up at the first page of each.
			 */
			if (pfn == zone->zone_start_pfn || !(pfn % PAGES_PER_SUBSECTION))
				page = pfn_to_online_page(pfn);
			else if (page)
				page++;
			if (!page || page_zone(page) != zone || !page_count(page))
				continue;
			ls_scan_struct_page(idx, page);
		}
		ls_unlock_index();
	}
	put_online_mems();
}

static void ls_scan_roots(void)
{
	unsigned long size = __per_cpu_end - __per_cpu_start;
	int cpu;

	/* First, so that stacks are flagged before anything can queue them. */
	ls_scan_stacks();
	ls_scan_root((unsigned long)_sdata, (unsigned long)_edata);
	ls_scan_root((unsigned long)__bss_start, (unsigned long)__bss_stop);
	ls_scan_root((unsigned long)__start_ro_after_init,
		     (unsigned long)__end_ro_after_init);
	for_each_possible_cpu(cpu) {
		void __percpu *base = (void __percpu *)__per_cpu_start;
		unsigned long start = (unsigned long)per_cpu_ptr(base, cpu);

		ls_scan_root(start, start + size);
	}
	if (LS_MEMMAP_UNTRACKED)
		ls_scan_memmap();
}

/* -------------------------------------------------------------- Growth */

/*
 * The growth table: allocated by the first scan that tallies, filled by
 * each scan proper's judging walk under the index lock, and folded in after
 * the scan under ls_growth_mutex, which its readers hold too. Only the scan
 * touches the tally, and only the fold and the readers the table. A scan
 * made with growth_scans=0 leaves a gap in its history: the next scan that
 * tallies starts the table afresh (ls_growth_gap, under ls_scan_mutex).
 */
static DEFINE_MUTEX(ls_growth_mutex);
static struct ls_growth *ls_growth;
static bool ls_growth_gap;

/* A site: the depot handle of a backtrace's frames, without the comm. */
static depot_stack_handle_t ls_site_of(depot_stack_handle_t trace)
{
	char comm[TASK_COMM_LEN];
	unsigned long *frames;
	unsigned int nr;

	nr = ls_trace_frames(trace, &frames, comm);
	return nr ? stack_depot_save(frames, nr, GFP_KERNEL | __GFP_NOWARN) : 0;
}

/* The table a scan about to start tallies into, or NULL. */
static struct ls_growth *ls_growth_prepare(void)
{
	struct ls_growth *g;

	lockdep_assert_held(&ls_scan_mutex);
	if (!READ_ONCE(ls_growth_scans)) {
		ls_growth_gap = true;
		return NULL;
	}
	if (ls_growth) {
		if (ls_growth_gap) {
			mutex_lock(&ls_growth_mutex);
			ls_growth_init(ls_growth);
			mutex_unlock(&ls_growth_mutex);
			ls_growth_gap = false;
		}
		return ls_growth;
	}
	g = kvzalloc_obj(*g, GFP_KERNEL | __GFP_NOWARN);
	if (!g)
		return NULL;
	/* Its example addresses must not be taken for references. */
	kmemleak_ignore(g);
	mutex_lock(&ls_growth_mutex);
	ls_growth = g;
	mutex_unlock(&ls_growth_mutex);
	ls_growth_gap = false;
	return g;
}

/* Fold the tally of the scan that began at @when into the table. */
static void ls_growth_record(struct ls_growth *g, unsigned long when,
			     struct ls_scan_stats *st)
{
	mutex_lock(&ls_growth_mutex);
	ls_growth_commit(g, when, ls_site_of);
	st->growth_sites = g->nr_sites;
	st->growth_dropped_sites = g->dropped_sites;
	st->growth_dropped_objects = g->dropped_objects;
	st->growth_untallied = g->dropped_untallied;
	st->growth_untraced = g->last_untraced;
	mutex_unlock(&ls_growth_mutex);
}

/**
 * ls_growth_lock - take the growth table, for reading
 *
 * Return: the table, or NULL if no scan has tallied yet. Either way,
 * ls_growth_unlock() must follow.
 */
const struct ls_growth *ls_growth_lock(void)
	__acquires(&ls_growth_mutex)
{
	mutex_lock(&ls_growth_mutex);
	return ls_growth;
}

void ls_growth_unlock(void)
	__releases(&ls_growth_mutex)
{
	mutex_unlock(&ls_growth_mutex);
}

/* ---------------------------------------------------- Interface */

/*
 * An object that could not be tracked is never scanned: what only it points
 * to looks unreferenced. Say so next to the report, once per new count.
 */
static void ls_warn_untracked(void)
{
	static long warned;
	long untracked = ls_counter(LS_COUNT_UNTRACKED);

	if (xchg(&warned, untracked) != untracked)
		pr_warn("%ld objects could not be tracked (no memory for metadata): results may be incomplete\n",
			untracked);
}

/*
 * One pass: queue the roots, read them and all they reach, and judge by
 * @rule, tallying the reachable objects in @growth if not NULL. Adds its
 * times and bytes to @st; returns what ls_scan_end() does.
 */
static unsigned long ls_scan_pass(struct ls_scan_stats *st, const struct ls_rule *rule,
				  struct ls_growth *growth)
{
	struct ls_object **work;
	struct llist_node *dead;
	struct ls_index *idx;
	unsigned long found;
	u64 t0, t1, t2, t3;
	size_t cap;

	t0 = ktime_get_ns();
	/*
	 * One entry per object, plus room for those created meanwhile. Short
	 * of memory, half as many at a time, down to the list that
	 * ls_scan_begin() has for cap 0.
	 */
	work = NULL;
	cap = ls_lock_index()->nr_objects + 1024;
	ls_unlock_index();
	for (; cap > LS_WORK_MIN; cap /= 2) {
		work = kvmalloc_array(cap, sizeof(*work),
				      GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN);
		if (work)
			break;
	}
	if (!work)
		cap = 0;
	else
		kmemleak_ignore(work);

	idx = ls_lock_index();
	ls_scan_begin(idx, work, cap);
	ls_scan_jiffies[idx->seq & LS_SCAN_SEQ_MASK] = jiffies;
	ls_unlock_index();

	t1 = ktime_get_ns();
	ls_scan_roots();
	t2 = ktime_get_ns();

	idx = ls_lock_index();
	st->root_bytes += idx->scanned;
	ls_scan_drain(idx);
	t3 = ktime_get_ns();
	st->bytes += idx->scanned;
	st->objects = idx->nr_objects;
	idx->growth = growth;
	found = ls_scan_end(idx, rule);
	idx->growth = NULL;
	dead = ls_take_graveyard(idx);
	ls_unlock_index();

	st->start_ns += t1 - t0;
	st->roots_ns += t2 - t1;
	st->objects_ns += t3 - t2;
	st->end_ns += ktime_get_ns() - t3;
	ls_release(dead);
	kvfree(work);
	return found;
}

/**
 * ls_scan - run one full scan now
 *
 * Return: the number of new leaks, or -EINTR if a signal came while
 * waiting for another scan to finish.
 */
int ls_scan(void)
{
	struct ls_scan_stats st = { };
	unsigned long leaks = 0, began;
	struct ls_growth *growth;
	struct ls_rule rule;

	if (mutex_lock_interruptible(&ls_scan_mutex))
		return -EINTR;
	began = jiffies;
	ls_memmap_init();
	growth = ls_growth_prepare();
	rule = (struct ls_rule){
		.now = (u32)jiffies,
		.min_age = READ_ONCE(ls_min_age),
		.min_unref = READ_ONCE(ls_min_unref_scans),
	};
	/*
	 * As the stock engine of 7.3 does: suspects are reported only if a
	 * second pass over all memory, which does not look at contents, finds
	 * them unreferenced too. A pointer that moved while the first pass
	 * read memory (an RCU-protected node replaced by its copy) is found
	 * by the second.
	 */
	if (ls_scan_pass(&st, &rule, growth)) {
		rule.confirm = true;
		leaks = ls_scan_pass(&st, &rule, NULL);
	}
	if (growth)
		ls_growth_record(growth, began, &st);
	st.ns = st.start_ns + st.roots_ns + st.objects_ns + st.end_ns;
	st.new_leaks = leaks;
	ls_lock_index();
	ls_last_scan = st;
	ls_unlock_index();

	ls_count(LS_COUNT_SCANS, 1);
	ls_count(LS_COUNT_LEAKS, leaks);
	if (leaks && ls_notify)
		ls_notify(leaks);
	mutex_unlock(&ls_scan_mutex);

	if (leaks) {
		pr_info("%lu new suspected memory leaks (see /sys/kernel/debug/kmemleak)\n",
			leaks);
		ls_warn_untracked();
	}
	return leaks;
}
EXPORT_SYMBOL_IF_KUNIT(ls_scan);

static int ls_scan_thread_fn(void *unused)
{
	static bool started;
	unsigned long wait = READ_ONCE(ls_period);

	/* The first scan after boot waits for the boot to settle. */
	if (!started) {
		started = true;
		wait = LS_FIRST_SCAN_SECS * HZ;
	}
	/*
	 * Not freezable, as the stock engine's thread is not: a freezable
	 * thread could freeze only between two scans, and a scan of a large
	 * machine outlasts the 20 s the freezer waits, so that suspend would
	 * fail whenever one was under way. Reading memory meanwhile is safe.
	 */
	while (!kthread_should_stop()) {
		wait = schedule_timeout_interruptible(wait);
		if (kthread_should_stop())
			break;
		if (wait)
			continue;	/* woken early: go back to sleep */
		ls_scan();
		wait = READ_ONCE(ls_period);
	}
	return 0;
}

/**
 * ls_scan_thread_start - start periodic scanning, if not running
 *
 * Return: 0, or a negative error code.
 */
int ls_scan_thread_start(void)
{
	struct task_struct *t;
	int ret = 0;

	mutex_lock(&ls_thread_mutex);
	if (!ls_thread) {
		t = kthread_run(ls_scan_thread_fn, NULL, "kmemleak");
		if (IS_ERR(t)) {
			pr_warn("Failed to create the scan thread\n");
			ret = PTR_ERR(t);
		} else {
			ls_thread = t;
			pr_info("Automatic memory scanning thread started\n");
		}
	}
	mutex_unlock(&ls_thread_mutex);
	return ret;
}

/**
 * ls_scan_thread_stop - stop periodic scanning, if running
 */
void ls_scan_thread_stop(void)
{
	mutex_lock(&ls_thread_mutex);
	if (ls_thread) {
		kthread_stop(ls_thread);
		ls_thread = NULL;
		pr_info("Automatic memory scanning thread ended\n");
	}
	mutex_unlock(&ls_thread_mutex);
}

/**
 * ls_scan_thread_set - set the period of the scan thread
 * @secs: seconds between scans; 0 stops the thread
 */
void ls_scan_thread_set(unsigned int secs)
{
	unsigned long msecs = (unsigned long)secs * MSEC_PER_SEC;

	ls_scan_thread_stop();
	if (secs) {
		/* At most UINT_MAX milliseconds, as in the stock engine. */
		WRITE_ONCE(ls_period, msecs_to_jiffies(min_t(unsigned long, msecs, UINT_MAX)));
		ls_scan_thread_start();
	}
}
