// SPDX-License-Identifier: GPL-2.0
/*
 * leakscan: what the scans found, for those who show it.
 *
 * Everything here hands out copies taken under the index lock, so that
 * the callers (summary.c, debugfs.c, console.c) never hold it
 * and never see an object change under them: the listed leaks, one at a
 * time through a cursor; the objects holding an address, for dump=; where
 * an object was last referenced, resolved to what held the word; and the
 * figures of leakscan/stats. A walk takes the lock for at most
 * LS_SEEK_BATCH objects at a time.
 */

#include <kunit/visibility.h>
#include <linux/jiffies.h>
#include <linux/kallsyms.h>
#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/stackdepot.h>
#include <linux/string.h>

#include <asm/sections.h>

#include "growth.h"
#include "internals.h"
#include "leakscan.h"

/* Objects visited under the index lock before it is dropped for a while. */
#define LS_SEEK_BATCH	1024

/**
 * ls_trace_cmp - order two backtraces by their frames
 * @a:		a depot handle (frames and comm)
 * @b:		another
 *
 * The comm stored with the frames makes two handles of one backtrace
 * differ; this compares the frames only.
 *
 * Return: <0, 0 or >0, as @a's frames sort before, with or after @b's.
 */
int ls_trace_cmp(depot_stack_handle_t a, depot_stack_handle_t b)
{
	char comm[TASK_COMM_LEN];
	unsigned long *fa, *fb;
	unsigned int na, nb, i;

	if (a == b)
		return 0;
	na = ls_trace_frames(a, &fa, comm);
	nb = ls_trace_frames(b, &fb, comm);
	if (na != nb)
		return na < nb ? -1 : 1;
	for (i = 0; i < na; i++)
		if (fa[i] != fb[i])
			return fa[i] < fb[i] ? -1 : 1;
	return 0;
}

static struct ls_tree *ls_result_tree(struct ls_index *idx, int tree)
{
	return tree ? &idx->percpu : &idx->virt;
}

static bool ls_wanted(const struct ls_object *obj, enum ls_which which)
{
	if (!(obj->flags & LS_REPORTED) || !ls_unreferenced(obj))
		return false;
	return which == LS_LISTED || (obj->flags & LS_FRESH);
}

/**
 * ls_results_seek - move a cursor to the next leak of a kind
 * @c:		the cursor: from the object at or after @c->addr in @c->tree
 * @which:	which leaks
 *
 * A caller that has shown the leak at the cursor moves past it with
 * @c->addr++ first.
 *
 * Return: true with @c on such a leak, false at the end.
 */
bool ls_results_seek(struct ls_cursor *c, enum ls_which which)
{
	struct ls_index *idx;
	struct ls_object *obj;
	unsigned int n = 0;

	idx = ls_lock_index();
	for (; c->tree < LS_RESULT_TREES; c->tree++, c->addr = 0) {
		obj = ls_lookup_from(ls_result_tree(idx, c->tree), c->addr);
		while (obj) {
			if (ls_wanted(obj, which)) {
				c->addr = obj->start;
				ls_unlock_index();
				return true;
			}
			if (++n % LS_SEEK_BATCH) {
				obj = ls_next(obj);
				continue;
			}
			/* Let go; look up where we were, which may be gone. */
			c->addr = obj->start + 1;
			ls_unlock_index();
			cond_resched();
			idx = ls_lock_index();
			obj = ls_lookup_from(ls_result_tree(idx, c->tree), c->addr);
		}
	}
	ls_unlock_index();
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(ls_results_seek);

/**
 * ls_results_get - copy the leak at a cursor
 * @c:		the cursor, from ls_results_seek()
 * @which:	the kind of leak it must still be
 * @snap:	where to copy it, with its first bytes
 *
 * Return: false if that object is gone or is no longer such a leak.
 */
bool ls_results_get(const struct ls_cursor *c, enum ls_which which,
		    struct ls_snapshot *snap)
{
	struct ls_index *idx;
	struct ls_object *obj;
	const void *mem;

	if (c->tree >= LS_RESULT_TREES)
		return false;
	idx = ls_lock_index();
	obj = ls_lookup_start(ls_result_tree(idx, c->tree), c->addr);
	if (!obj || !ls_wanted(obj, which)) {
		ls_unlock_index();
		return false;
	}
	snap->obj = *obj;
	snap->head_len = min_t(size_t, obj->size, LS_HEAD_BYTES);
	mem = (const void *)obj->start;
	if (obj->flags & LS_PERCPU)
		mem = per_cpu_ptr((void __percpu *)obj->start, raw_smp_processor_id());
	memcpy(snap->head, mem, snap->head_len);
	ls_unlock_index();
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(ls_results_get);

/**
 * ls_results_find - the objects that hold an address, as dump= finds them
 * @addr:	the address
 * @found:	where to copy them
 * @max:	the room there; 3 is enough
 *
 * As the stock engine of 7.3 does (LS_STOCK_DUMP_ANY), the address may be
 * anywhere inside an object, and virtual, physical and percpu objects are
 * all looked for; before 7.3, only a virtual object starting there.
 *
 * Return: how many were copied.
 */
int ls_results_find(unsigned long addr, struct ls_object *found, int max)
{
	struct ls_index *idx;
	struct ls_object *obj;
	int t, n = 0;

	for (t = 0; t < (LS_STOCK_DUMP_ANY ? 3 : 1) && n < max; t++) {
		idx = ls_lock_index();
		if (!LS_STOCK_DUMP_ANY)
			obj = ls_lookup_start(&idx->virt, addr);
		else
			obj = ls_lookup(t == 0 ? &idx->virt : t == 1 ? &idx->phys :
					&idx->percpu, addr);
		if (obj)
			found[n++] = *obj;
		ls_unlock_index();
	}
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(ls_results_find);

/**
 * ls_results_clear - the clear command: list none of today's leaks again
 */
void ls_results_clear(void)
{
	ls_clear(ls_lock_index());
	ls_unlock_index();
}

/**
 * ls_results_stats - the figures of leakscan/stats
 * @st: where to put them
 */
void ls_results_stats(struct ls_stats *st)
{
	struct ls_index *idx;
	int i;

	idx = ls_lock_index();
	st->objects = idx->nr_objects;
	st->bytes = idx->bytes;
	st->leaks = idx->nr_leaks;
	st->indirect = idx->nr_indirect;
	ls_scan_last(&st->scan);
	ls_unlock_index();
	st->pool_used = ls_pool_used();
	st->pool_size = ls_pool_size();
	st->scan_areas = ls_scan_areas();
	st->growth_sites_max = LS_GROWTH_SITES;
	for (i = 0; i < LS_COUNT_MAX; i++)
		st->counters[i] = ls_counter(i);
}
EXPORT_SYMBOL_IF_KUNIT(ls_results_stats);

/**
 * ls_results_growth - the sites that grow, for leakscan/growth
 * @r:	set to them, fastest growing first, and the table's figures; the
 *	caller frees @r->records with kvfree()
 *
 * The records are copied under the table's mutex; they hold objects'
 * addresses, so they are kept out of the scan.
 *
 * Return: 0, or -ENOMEM.
 */
int ls_results_growth(struct ls_growth_report *r)
{
	const struct ls_growth *g;
	struct ls_growing *list;
	size_t i, n = 0;
	int ret = 0;

	memset(r, 0, sizeof(*r));
	r->window = READ_ONCE(ls_growth_scans);
	r->min_objects = READ_ONCE(ls_growth_min_objects);
	r->sites_max = LS_GROWTH_SITES;
	list = kvmalloc_array(LS_GROWTH_SITES, sizeof(*list), GFP_KERNEL);
	if (!list)
		return -ENOMEM;
	g = ls_growth_lock();
	/* Turned off, the detector shows nothing, as the kmemleak file does. */
	if (g && ls_is_enabled()) {
		n = ls_growth_list(g, r->window, r->min_objects, list);
		r->sites = g->nr_sites;
		r->scans = g->scans;
		r->dropped_sites = g->dropped_sites;
		r->dropped_objects = g->dropped_objects;
		r->untallied = g->dropped_untallied;
	}
	if (n) {
		r->records = kvmalloc_array(n, sizeof(*r->records), GFP_KERNEL);
		if (r->records)
			kmemleak_ignore(r->records);
		else
			ret = -ENOMEM;
	}
	for (i = 0; r->records && i < n; i++) {
		r->records[i] = (struct ls_growth_record){
			.site = list[i].site->site,
			.objects = list[i].objects,
			.bytes = list[i].bytes,
			.delta = list[i].delta,
			.delta_bytes = list[i].delta_bytes,
			.scans = list[i].scans,
			.span = list[i].span,
			.example = list[i].site->example,
			.size = list[i].site->size,
			.referrer = list[i].site->referrer,
		};
		r->objects += list[i].objects;
		r->bytes += list[i].bytes;
	}
	if (r->records)
		r->nr = n;
	ls_growth_unlock();
	kvfree(list);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(ls_results_growth);

/* Allocator functions, skipped when naming where an object was allocated. */
static const char *const ls_allocator_prefixes[] = {
	"slab_", "kmem_cache_alloc", "__kmem_cache_alloc", "kmalloc", "__kmalloc",
	"___kmalloc", "kzalloc", "krealloc", "kvmalloc", "__kvmalloc", "vmalloc",
	"__vmalloc", "vzalloc", "pcpu_alloc", "__alloc_percpu", "kmemdup",
};

/* The first frame of @trace outside the allocators. */
static noinline unsigned long ls_alloc_site(depot_stack_handle_t trace)
{
	char comm[TASK_COMM_LEN], sym[KSYM_NAME_LEN];
	unsigned long *frames;
	unsigned int nr, i, k;

	nr = ls_trace_frames(trace, &frames, comm);
	for (i = 0; i < nr; i++) {
		if (lookup_symbol_name(frames[i], sym))
			return frames[i];
		for (k = 0; k < ARRAY_SIZE(ls_allocator_prefixes); k++)
			if (str_has_prefix(sym, ls_allocator_prefixes[k]))
				break;
		if (k == ARRAY_SIZE(ls_allocator_prefixes))
			return frames[i];
	}
	return 0;
}

/* Whether a task's stack holds @where; if so, name the task in @w. */
static bool ls_stack_holds(unsigned long where, struct ls_where *w)
{
	struct task_struct *g, *t;
	bool found = false;

	rcu_read_lock();
	for_each_process_thread(g, t) {
		if (where - (unsigned long)task_stack_page(t) < THREAD_SIZE) {
			get_task_comm(w->comm, t);
			w->pid = task_pid_nr(t);
			found = true;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

/* What holds the word at @where. */
static void ls_where_is(unsigned long where, struct ls_where *w)
{
	unsigned long pcpu_size = __per_cpu_end - __per_cpu_start;
	struct ls_object *obj, holder;
	struct page *page;
	unsigned long base;
	int cpu;

	for_each_possible_cpu(cpu) {
		base = (unsigned long)per_cpu_ptr((void __percpu *)__per_cpu_start, cpu);
		if (where - base < pcpu_size) {
			w->kind = LS_WHERE_PERCPU;
			w->sym = (unsigned long)__per_cpu_start + (where - base);
			w->cpu = cpu;
			return;
		}
	}
	if (is_kernel(where) || is_module_address(where)) {
		w->kind = LS_WHERE_SYMBOL;
		return;
	}
	page = ls_memmap_page(where, &w->off);
	if (page) {
		w->kind = LS_WHERE_PAGE;
		w->pfn = page_to_pfn(page);
		w->refcount = page_count(page);
		return;
	}
	obj = ls_lookup(&ls_lock_index()->virt, where);
	if (obj)
		holder = *obj;
	ls_unlock_index();
	if (obj && !(holder.flags & LS_STACK)) {
		w->kind = LS_WHERE_OBJECT;
		w->start = holder.start;
		w->off = where - holder.start;
		w->size = holder.size;
		w->site = ls_alloc_site(holder.trace);
		return;
	}
	if (ls_stack_holds(where, w))
		w->kind = LS_WHERE_STACK;
	else
		w->kind = obj ? LS_WHERE_STACK_GONE : LS_WHERE_MEMORY;
}

/**
 * ls_results_where - resolve an object's referrer
 * @referrer:	the object's referrer field
 * @w:		set to where and when it was last referenced
 */
void ls_results_where(unsigned long referrer, struct ls_where *w)
{
	memset(w, 0, sizeof(*w));
	w->addr = ls_referrer_where(referrer);
	if (!w->addr || !ls_scan_began(ls_referrer_seq(referrer), &w->when, &w->next)) {
		w->kind = LS_WHERE_NEVER;
		return;
	}
	ls_where_is(w->addr, w);
}
