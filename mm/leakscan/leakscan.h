/* SPDX-License-Identifier: GPL-2.0 */
/*
 * leakscan: the kernel side's private declarations, shared by core.c,
 * scan.c, trace.c, report.c and debugfs.c. The pure logic is in index.h.
 */
#ifndef MM_LEAKSCAN_LEAKSCAN_H
#define MM_LEAKSCAN_LEAKSCAN_H

#include <linux/jump_label.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/stackdepot.h>
#include <linux/types.h>

#include "index.h"

struct page;

/*
 * trace.c caches call chains where it reads the stack with the kernel's
 * unwinder itself: x86-64 with the ORC or frame-pointer unwinder.
 */
#if defined(CONFIG_X86_64) && (defined(CONFIG_UNWINDER_ORC) || \
			       defined(CONFIG_UNWINDER_FRAME_POINTER))
#define LS_TRACE_CACHE		1
#else
#define LS_TRACE_CACHE		0
#endif

/* Frames kept per allocation, as the stock engine keeps. */
#define LS_MAX_FRAMES		16
/* The comm of the allocating task follows the frames in the depot. */
#define LS_COMM_WORDS		(TASK_COMM_LEN / sizeof(unsigned long))
/* Bytes of an object's contents that its record shows. */
#define LS_HEAD_BYTES		32
/* Bytes read under the index lock at a time. */
#define LS_CHUNK		4096
/* First automatic scan after boot, and the default period, in seconds. */
#define LS_FIRST_SCAN_SECS	60
#define LS_SCAN_PERIOD_SECS	600

enum ls_counter {
	LS_COUNT_UNTRACKED,	/* no metadata could be allocated */
	LS_COUNT_RESERVE,	/* the slab failed, the reserve served */
	LS_COUNT_OVERLAPS,	/* an object replaced a stale overlapping one */
	LS_COUNT_UNKNOWN,	/* a free or annotation of an unknown object */
	LS_COUNT_SPLIT_LOST,	/* free_part could not split: tail untracked */
	LS_COUNT_SCANS,		/* scans completed */
	LS_COUNT_LEAKS,		/* leaks reported, in total */
	LS_COUNT_TRACE_HITS,	/* backtraces found in the trace cache */
	LS_COUNT_TRACE_MISSES,	/* backtraces unwound and cached */
	LS_COUNT_MAX,
};

extern raw_spinlock_t ls_lock;
extern struct ls_index ls_idx;
extern atomic_long_t ls_counters[LS_COUNT_MAX];
DECLARE_STATIC_KEY_TRUE(ls_enabled);

/* core.c */
void ls_release(struct ls_object *list);
void ls_disable(void);
bool ls_is_enabled(void);
void ls_stack_trace_set(bool on);
void ls_areas_scan(struct ls_object *obj,
		   void (*fn)(struct ls_object *obj, unsigned long start,
			      unsigned long end));
void ls_root_exclusions(unsigned long *start, unsigned long *end);
unsigned long ls_pool_used(void);
unsigned long ls_pool_size(void);

/**
 * struct ls_scan_stats - what the last complete scan did, and how long it took
 * @ns:		its duration
 * @start_ns:	resetting the counts and queueing the roots among the objects
 * @roots_ns:	reading stacks, data sections and percpu areas
 * @objects_ns:	reading the reachable objects
 * @end_ns:	judging the unreachable ones
 * @bytes:	bytes read in all
 * @root_bytes:	of which in stacks, data sections and percpu areas
 * @objects:	objects tracked at its end
 * @new_leaks:	leaks it reported for the first time
 */
struct ls_scan_stats {
	u64 ns, start_ns, roots_ns, objects_ns, end_ns;
	unsigned long bytes, root_bytes, objects, new_leaks;
};

/* scan.c */
extern struct ls_scan_stats ls_last_scan;
extern const struct ls_scan_ops ls_ops;
extern u32 ls_min_age;
extern unsigned int ls_min_unref_scans;
int ls_scan(void);
struct page *ls_memmap_page(unsigned long where, unsigned long *off);
bool ls_scan_began(unsigned long seq_low, unsigned long *when, unsigned long *next);
void ls_scan_thread_set(unsigned int secs);
void ls_scan_thread_stop(void);
int ls_scan_thread_start(void);

/* trace.c */
void ls_trace_early_init(void);
bool ls_early_sheaf(unsigned long caller);
void ls_trace_init(void);
depot_stack_handle_t ls_save_trace(unsigned long caller, bool unwind, gfp_t gfp,
				   bool *sheaf);

/* report.c */
void ls_print_object(struct seq_file *seq, const struct ls_object *obj,
		     const void *head, size_t head_len);
void ls_dump_object(const struct ls_object *obj);
void ls_print_referrer(struct seq_file *seq, const struct ls_object *obj);
bool ls_trace_has(depot_stack_handle_t trace, const char *name);
int ls_trace_cmp(depot_stack_handle_t a, depot_stack_handle_t b);
void ls_print_group(struct seq_file *seq, bool indirect, unsigned long bytes,
		    unsigned long count, depot_stack_handle_t trace, int pid,
		    unsigned long example, unsigned long size, unsigned long referrer);

/* debugfs.c */
int ls_debugfs_init(void);
void ls_print_new_leaks(unsigned long nr);
extern bool ls_verbose;

/* For leakscan_test.c only: core.c, then debugfs.c. */
#if IS_ENABLED(CONFIG_KUNIT)
unsigned long ls_scan_areas(void);
bool ls_test_record(unsigned long addr, char *buf, size_t size);
bool ls_test_tracked(unsigned long addr, unsigned long *size);
int ls_dump(const char *str);
#endif

#endif /* MM_LEAKSCAN_LEAKSCAN_H */
