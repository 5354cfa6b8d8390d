// SPDX-License-Identifier: GPL-2.0
/*
 * leakscan: allocation backtraces, and a cache that spares most unwinds.
 *
 * Unwinding 16 frames is most of what tracking an allocation costs. But
 * allocations come again and again from the same call chains, and a call
 * chain leaves a recognisable mark on the stack: its return addresses, at
 * fixed distances from the top of the task's stack. So the first unwind
 * from a chain remembers, besides the trace's depot handle, where on the
 * stack each return address was read. The next allocation that enters the
 * hook at the same depth from the same caller finds that entry and only
 * compares those words with the remembered addresses. If every one
 * matches, the unwinder would read the same addresses from the same
 * places, and the handle is reused. If one differs, the chain differs: it
 * unwinds and the entry is replaced.
 *
 * Chains into the same hook caller at the same depth share a set of four
 * entries, replaced in turn. The cache is per CPU and used in task context
 * only, with preemption disabled while an entry is read or written;
 * interrupt handlers never touch it, so no lock is needed. It needs the x86
 * unwinder interface (for where each return address lives); elsewhere
 * every trace is unwound.
 */

#define pr_fmt(fmt) "kmemleak: " fmt

#include <linux/hash.h>
#include <linux/kallsyms.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/stackdepot.h>
#include <linux/stacktrace.h>
#include <linux/string.h>

#include "internals.h"
#include "leakscan.h"

#if LS_TRACE_CACHE
#include <asm/unwind.h>
#endif

/* Per CPU: 32 sets of 4 chains; a set is chosen by the hook's caller and depth. */
#define LS_CACHE_SETS_BITS	5
#define LS_CACHE_WAYS		4
/* Frames of ours, at most, before the hook's caller. */
#define LS_SKIP_MAX	6

/**
 * struct ls_trace_entry - one call chain's trace, and where it was read
 * @caller:	return address of the kmemleak_*() hook
 * @depth:	bytes from the top of the stack to the stack pointer in
 *		ls_save_trace()
 * @nr:		frames in @ips
 * @handle:	the trace's depot handle (frames and comm)
 * @comm:	the comm recorded with it
 * @ips:	the frames
 * @slots:	for each frame, bytes from the top of the stack to the word
 *		it was read from
 * @sheaf:	the chain is LS_SHEAF_ALLOCATOR's allocation
 */
struct ls_trace_entry {
	unsigned long caller;
	u32 depth;
	u16 nr;
	bool sheaf;
	depot_stack_handle_t handle;
	char comm[TASK_COMM_LEN];
	unsigned long ips[LS_MAX_FRAMES];
	u16 slots[LS_MAX_FRAMES];
};

/* A set: chains into the same caller at the same depth, and the next victim. */
struct ls_trace_set {
	struct ls_trace_entry way[LS_CACHE_WAYS];
	unsigned int victim;
};

static struct ls_trace_set __percpu *ls_trace_cache;

/* ---------------------------------------------------------- Internals */

/* Where LS_SHEAF_ALLOCATOR's code is: [start, start + size). */
static unsigned long ls_sheaf_start __ro_after_init;
static unsigned long ls_sheaf_size __ro_after_init;

/*
 * Frames an object allocated by LS_SHEAF_ALLOCATOR has below it: the
 * slab allocator's own. An allocation nested deeper (a new slab's
 * vectors, say) is not a sheaf.
 */
#define LS_SHEAF_DEPTH	5

/* Whether LS_SHEAF_ALLOCATOR allocated the object whose frames these are. */
static bool ls_frames_sheaf(const unsigned long *ips, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < min(nr, LS_SHEAF_DEPTH); i++)
		if (ips[i] - ls_sheaf_start < ls_sheaf_size)
			return true;
	return false;
}

static void ls_comm(char *comm)
{
	memset(comm, 0, TASK_COMM_LEN);
	if (in_hardirq())
		strscpy(comm, "hardirq", TASK_COMM_LEN);
	else if (in_serving_softirq())
		strscpy(comm, "softirq", TASK_COMM_LEN);
	else
		strscpy(comm, current->comm, TASK_COMM_LEN);
}

static depot_stack_handle_t ls_depot_save(unsigned long *entries, unsigned int nr,
					  const char *comm, gfp_t gfp)
{
	memcpy(&entries[nr], comm, TASK_COMM_LEN);
	return stack_depot_save(entries, nr + LS_COMM_WORDS,
				gfp_nested_mask(gfp) & ~__GFP_DIRECT_RECLAIM);
}

#if LS_TRACE_CACHE

static unsigned long ls_stack_top(void)
{
	return (unsigned long)task_stack_page(current) + THREAD_SIZE;
}

static struct ls_trace_set *ls_cache_set(unsigned long caller, u32 depth)
{
	u32 h = hash_long(caller ^ ((unsigned long)depth << 32), LS_CACHE_SETS_BITS);

	return this_cpu_ptr(ls_trace_cache) + h;
}

/*
 * The handle of an entry whose chain the stack still holds, recorded with
 * this task's comm; else 0.
 */
static depot_stack_handle_t ls_cache_hit(unsigned long caller, u32 depth,
					 bool *sheaf)
{
	const struct ls_trace_set *set = ls_cache_set(caller, depth);
	unsigned long top = ls_stack_top();
	const struct ls_trace_entry *e;
	unsigned int i, w;

	for (w = 0; w < LS_CACHE_WAYS; w++) {
		e = &set->way[w];
		if (!e->handle || e->caller != caller || e->depth != depth ||
		    strncmp(e->comm, current->comm, TASK_COMM_LEN))
			continue;
		for (i = 0; i < e->nr; i++)
			if (READ_ONCE_NOCHECK(*(unsigned long *)(top - e->slots[i])) !=
			    e->ips[i])
				break;
		if (i == e->nr) {
			*sheaf = e->sheaf;
			return e->handle;
		}
	}
	return 0;
}

/*
 * Unwind from the hook's caller on, noting where each frame was read.
 * Return the number of frames, or 0 if @caller was not found or a frame
 * was not read from this task's stack (then nothing is cached).
 */
static unsigned int ls_unwind(unsigned long caller, unsigned long *ips, u16 *slots)
{
	unsigned long top = ls_stack_top(), addr, *where;
	struct unwind_state state;
	unsigned int nr = 0;
	bool cacheable = true;

	for (unwind_start(&state, current, NULL, NULL);
	     !unwind_done(&state) && nr < LS_MAX_FRAMES; unwind_next_frame(&state)) {
		addr = unwind_get_return_address(&state);
		if (!addr)
			break;
		if (!nr && addr != caller)
			continue;
		where = unwind_get_return_address_ptr(&state);
		if (!where || (unsigned long)where >= top ||
		    top - (unsigned long)where > THREAD_SIZE)
			cacheable = false;
		else
			slots[nr] = top - (unsigned long)where;
		ips[nr++] = addr;
	}
	return cacheable ? nr : 0;
}

/*
 * In task context. The comm is filled in @comm only on a miss: a hit
 * compares the entry's with the task's own.
 */
static depot_stack_handle_t ls_cached_trace(unsigned long caller, gfp_t gfp,
					    char *comm, bool *sheaf)
{
	unsigned long entries[LS_MAX_FRAMES + LS_COMM_WORDS];
	u16 slots[LS_MAX_FRAMES];
	struct ls_trace_entry *e;
	struct ls_trace_set *set;
	depot_stack_handle_t handle;
	unsigned int nr;
	u32 depth;

	depth = ls_stack_top() - current_stack_pointer;
	preempt_disable();
	handle = ls_cache_hit(caller, depth, sheaf);
	preempt_enable();
	if (handle) {
		ls_count(LS_COUNT_TRACE_HITS, 1);
		return handle;
	}
	ls_comm(comm);

	nr = ls_unwind(caller, entries, slots);
	if (!nr)
		return 0;
	*sheaf = ls_frames_sheaf(entries, nr);
	handle = ls_depot_save(entries, nr, comm, gfp);
	if (!handle)
		return 0;
	ls_count(LS_COUNT_TRACE_MISSES, 1);
	preempt_disable();
	set = ls_cache_set(caller, depth);
	e = &set->way[set->victim++ % LS_CACHE_WAYS];
	e->handle = 0;
	e->caller = caller;
	e->depth = depth;
	e->nr = nr;
	e->sheaf = *sheaf;
	memcpy(e->comm, comm, TASK_COMM_LEN);
	memcpy(e->ips, entries, nr * sizeof(entries[0]));
	memcpy(e->slots, slots, nr * sizeof(slots[0]));
	e->handle = handle;
	preempt_enable();
	return handle;
}

#else

static depot_stack_handle_t ls_cached_trace(unsigned long caller, gfp_t gfp,
					    char *comm, bool *sheaf)
{
	return 0;
}

#endif

/* ---------------------------------------------------------- Interface */

/**
 * ls_trace_early_init - find LS_SHEAF_ALLOCATOR's code, once
 *
 * Called by the first early allocation, and by kmemleak_init() in case
 * there was none.
 */
void __init ls_trace_early_init(void)
{
	static bool done __initdata;
	unsigned long start, size, off;

	if (!LS_SHEAF_ALLOCATOR || done)
		return;
	done = true;
	start = kallsyms_lookup_name(LS_SHEAF_ALLOCATOR);
	if (start && kallsyms_lookup_size_offset(start, &size, &off) && !off) {
		ls_sheaf_start = start;
		ls_sheaf_size = size;
	}
}

/**
 * ls_trace_init - set up the trace cache (late: it takes 25 KiB per CPU)
 */
void __init ls_trace_init(void)
{
	if (LS_TRACE_CACHE)
		ls_trace_cache = (struct ls_trace_set __percpu *)
			__alloc_percpu(sizeof(struct ls_trace_set) << LS_CACHE_SETS_BITS,
				       __alignof__(struct ls_trace_set));
}

/**
 * ls_early_sheaf - whether LS_SHEAF_ALLOCATOR allocates an early object
 * @caller:	return address of the kmemleak_*() hook: the first frame
 *
 * Before the stack depot is up no backtrace is recorded, but the sheaves
 * made then (the boot caches' first ones) must be known all the same:
 * unwind to tell.
 *
 * Return: true if the allocation comes from LS_SHEAF_ALLOCATOR.
 */
bool __ref ls_early_sheaf(unsigned long caller)
{
	unsigned long entries[LS_SKIP_MAX + LS_SHEAF_DEPTH];
	unsigned int nr, skip = 0;

	if (!LS_SHEAF_ALLOCATOR || system_state != SYSTEM_BOOTING)
		return false;
	ls_trace_early_init();
	if (!ls_sheaf_size)
		return false;
	nr = stack_trace_save(entries, ARRAY_SIZE(entries), 0);
	while (skip < nr && skip < LS_SKIP_MAX && entries[skip] != caller)
		skip++;
	if (skip == nr || skip == LS_SKIP_MAX)
		return false;
	return ls_frames_sheaf(entries + skip, nr - skip);
}

/**
 * ls_save_trace - record the allocation backtrace and the comm in the depot
 * @caller:	return address of the kmemleak_*() hook: the first frame
 * @unwind:	whether to record frames at all (stack=on)
 * @gfp:	flags of the allocation, for the depot
 * @sheaf:	set to whether LS_SHEAF_ALLOCATOR allocates the object: a
 *		SLUB sheaf, of which only the live slots are read
 *
 * Return: the depot handle, or 0.
 */
noinline depot_stack_handle_t ls_save_trace(unsigned long caller, bool unwind,
					    gfp_t gfp, bool *sheaf)
{
	unsigned long entries[LS_SKIP_MAX + LS_MAX_FRAMES + LS_COMM_WORDS];
	char comm[TASK_COMM_LEN];
	depot_stack_handle_t handle = 0;
	unsigned int nr = 0, skip = 0;

	*sheaf = false;
	if (unwind && ls_trace_cache && in_task())
		handle = ls_cached_trace(caller, gfp, comm, sheaf);
	if (handle)
		return handle;
	ls_comm(comm);
	if (unwind) {
		/* Start at @caller; the frames before it are ours. */
		nr = stack_trace_save(entries, LS_SKIP_MAX + LS_MAX_FRAMES, 0);
		while (skip < nr && skip < LS_SKIP_MAX && entries[skip] != caller)
			skip++;
		if (skip == nr || skip == LS_SKIP_MAX)
			skip = 0;
		nr = min_t(unsigned int, nr - skip, LS_MAX_FRAMES);
		*sheaf = ls_frames_sheaf(entries + skip, nr);
	}
	return ls_depot_save(entries + skip, nr, comm, gfp);
}

/**
 * ls_trace_frames - the frames and the comm of a backtrace
 * @trace:	a depot handle from ls_save_trace(), or 0
 * @frames:	set to the frames
 * @comm:	TASK_COMM_LEN bytes, set to the comm ("" if none)
 *
 * Return: the number of frames.
 */
unsigned int ls_trace_frames(depot_stack_handle_t trace, unsigned long **frames,
			     char *comm)
{
	unsigned int nr = 0;

	comm[0] = '\0';
	if (trace)
		nr = stack_depot_fetch(trace, frames);
	if (nr < LS_COMM_WORDS)
		return 0;
	nr -= LS_COMM_WORDS;
	memcpy(comm, &(*frames)[nr], TASK_COMM_LEN);
	comm[TASK_COMM_LEN - 1] = '\0';
	return nr;
}
