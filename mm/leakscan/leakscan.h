/* SPDX-License-Identifier: GPL-2.0 */
/*
 * leakscan: the kernel side's private declarations, shared by core.c,
 * scan.c, trace.c, results.c, summary.c, report.c, debugfs.c and
 * console.c. The pure logic is in index.h.
 */
#ifndef MM_LEAKSCAN_LEAKSCAN_H
#define MM_LEAKSCAN_LEAKSCAN_H

#include <linux/jump_label.h>
#include <linux/sched.h>
#include <linux/seq_buf.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/stackdepot.h>
#include <linux/types.h>

#include "arch.h"
#include "index.h"

struct ls_growth;
struct page;

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
	LS_COUNT_YOUNG_FREES,	/* frees that found the object still young */
	LS_COUNT_SPARES_USED,	/* new objects given a young one's metadata */
	LS_COUNT_MAX,
};

DECLARE_STATIC_KEY_TRUE(ls_enabled);

/*
 * The files, in the order data flows through them; each calls only those
 * before it (and initialisation, in core.c, wires them together):
 * core.c (the hooks and the state) -> index.c (index.h) -> scan.c ->
 * results.c and summary.c (what the scans found) -> report.c (formatting)
 * -> debugfs.c and console.c (the user's doors). trace.c serves core.c.
 */

/* core.c: the state behind the hooks, and the switches. */
struct ls_index *ls_lock_index(void);
void ls_unlock_index(void);
struct ls_index *ls_locked_index(void);
void ls_count(enum ls_counter counter, long n);
long ls_counter(enum ls_counter counter);
void ls_release(struct llist_node *list);
void ls_disable(void);
bool ls_is_enabled(void);
void ls_stack_trace_set(bool on);
void ls_areas_scan(struct ls_object *obj,
		   void (*fn)(struct ls_object *obj, unsigned long start,
			      unsigned long end));
unsigned long ls_scan_areas(void);
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
 * @growth_sites: sites in the growth table after it
 * @growth_dropped_sites: sites it found that the table had no room for
 * @growth_dropped_objects: their reachable objects
 * @growth_untallied: reachable objects it could not tally
 * @growth_untraced: reachable objects it tallied under no site: no
 *		backtrace, or no room in the stack depot for the site's
 */
struct ls_scan_stats {
	u64 ns, start_ns, roots_ns, objects_ns, end_ns;
	unsigned long bytes, root_bytes, objects, new_leaks;
	unsigned long growth_sites, growth_dropped_sites, growth_dropped_objects;
	unsigned long growth_untallied, growth_untraced;
};

/* scan.c */
extern const struct ls_scan_ops ls_ops;
extern u32 ls_min_age;
extern unsigned int ls_min_unref_scans;
int ls_scan(void);
void ls_scan_set_notify(void (*fn)(unsigned long new_leaks));
void ls_scan_last(struct ls_scan_stats *st);
struct page *ls_memmap_page(unsigned long where, unsigned long *off);
bool ls_scan_began(unsigned long seq_low, unsigned long *when, unsigned long *next);
void ls_scan_thread_set(unsigned int secs);
void ls_scan_thread_stop(void);
int ls_scan_thread_start(void);
extern unsigned int ls_growth_scans;
extern unsigned long ls_growth_min_objects;
const struct ls_growth *ls_growth_lock(void);
void ls_growth_unlock(void);

/* trace.c */
void ls_trace_early_init(void);
bool ls_early_sheaf(unsigned long caller);
void ls_trace_init(void);
depot_stack_handle_t ls_save_trace(unsigned long caller, bool unwind, gfp_t gfp,
				   bool *sheaf);
unsigned int ls_trace_frames(depot_stack_handle_t trace, unsigned long **frames,
			     char *comm);

/* results.c: the listed leaks and what is known of them, as copies. */

/* The trees a reader walks, in order: virtual, then percpu objects. */
#define LS_RESULT_TREES		2

/**
 * struct ls_cursor - where a walk of the listed leaks is
 * @pos:	the record number, for seq_file
 * @tree:	the tree (0: virtual, 1: percpu; LS_RESULT_TREES: the end)
 * @addr:	the start of the object there, or where to look from
 */
struct ls_cursor {
	loff_t pos;
	int tree;
	unsigned long addr;
};

/* Which leaks a walk visits. */
enum ls_which {
	LS_LISTED,		/* reported, and still unreferenced */
	LS_FRESH_LEAKS,		/* of those, reported by the last scan */
};

/**
 * struct ls_snapshot - a copy of a leak, taken under the index lock
 * @obj:	its metadata
 * @head:	its first bytes (on this CPU, for a percpu object)
 * @head_len:	how many
 */
struct ls_snapshot {
	struct ls_object obj;
	u8 head[LS_HEAD_BYTES];
	size_t head_len;
};

/* What held the word that last referenced an object. */
enum ls_where_kind {
	LS_WHERE_NEVER,		/* no scan found it referenced */
	LS_WHERE_PERCPU,	/* @sym, a static percpu variable, on @cpu */
	LS_WHERE_SYMBOL,	/* @addr, in the kernel image or a module */
	LS_WHERE_PAGE,		/* the struct page of @pfn, at @off */
	LS_WHERE_OBJECT,	/* the object at @start, of @size, from @site */
	LS_WHERE_STACK,		/* the stack of @comm/@pid */
	LS_WHERE_STACK_GONE,	/* a task stack whose task has exited */
	LS_WHERE_MEMORY,	/* @addr, in none of the above */
};

/**
 * struct ls_where - where and when an object was last referenced
 * @kind:	what held the word
 * @addr:	the word's address
 * @when:	jiffies at the start of the scan that found it
 * @next:	jiffies at the start of the scan after it, or 0
 * @sym:	LS_WHERE_PERCPU: the variable's address in the percpu section
 * @cpu:	LS_WHERE_PERCPU: the CPU
 * @pfn:	LS_WHERE_PAGE: the page's frame number
 * @off:	LS_WHERE_PAGE, LS_WHERE_OBJECT: the word's offset in it
 * @refcount:	LS_WHERE_PAGE: the page's reference count
 * @start:	LS_WHERE_OBJECT: the holder's start
 * @size:	LS_WHERE_OBJECT: the holder's size
 * @site:	LS_WHERE_OBJECT: where the holder was allocated
 * @comm:	LS_WHERE_STACK: the task's name
 * @pid:	LS_WHERE_STACK: its pid
 */
struct ls_where {
	enum ls_where_kind kind;
	unsigned long addr, when, next, sym;
	int cpu;
	unsigned long pfn, off;
	int refcount;
	unsigned long start, size, site;
	char comm[TASK_COMM_LEN];
	pid_t pid;
};

/**
 * struct ls_stats - the figures of leakscan/stats
 * @objects:	objects tracked
 * @bytes:	their total size
 * @leaks:	leaks listed
 * @indirect:	of which indirect
 * @pool_used:	early pool entries in use
 * @pool_size:	early pool entries
 * @scan_areas:	scan areas registered
 * @growth_sites_max: sites the growth table holds at most
 * @counters:	the event counters
 * @scan:	the last complete scan
 */
struct ls_stats {
	unsigned long objects, bytes, leaks, indirect;
	unsigned long pool_used, pool_size, scan_areas;
	unsigned long growth_sites_max;
	long counters[LS_COUNT_MAX];
	struct ls_scan_stats scan;
};

/**
 * struct ls_growth_record - a growing site, copied from the growth table
 * @site:	the depot handle of its backtrace (no comm)
 * @objects:	its reachable objects at the last scan
 * @bytes:	their size
 * @delta:	how many more than @scans scans before
 * @delta_bytes: and how many more bytes
 * @scans:	the window, in scans
 * @span:	the window, in jiffies
 * @example:	its youngest object at the last scan
 * @size:	that object's size
 * @referrer:	that object's referrer then
 */
struct ls_growth_record {
	depot_stack_handle_t site;
	unsigned long objects, bytes, delta;
	long delta_bytes;
	unsigned int scans;
	unsigned long span;
	unsigned long example, size, referrer;
};

/**
 * struct ls_growth_report - leakscan/growth
 * @records:	the growing sites, fastest growing first
 * @nr:		how many
 * @objects:	their reachable objects, in all
 * @bytes:	and bytes
 * @window:	leakscan.growth_scans
 * @min_objects: leakscan.growth_min_objects
 * @sites:	sites in the table
 * @sites_max:	sites it holds at most
 * @scans:	scans recorded in it
 * @dropped_sites: sites with reachable objects at the last scan that did
 *		not fit in the table
 * @dropped_objects: their reachable objects
 * @untallied:	reachable objects the last scan could not tally
 */
struct ls_growth_report {
	struct ls_growth_record *records;
	size_t nr;
	unsigned long objects, bytes;
	unsigned int window;
	unsigned long min_objects;
	unsigned long sites, sites_max, scans;
	unsigned long dropped_sites, dropped_objects, untallied;
};

int ls_trace_cmp(depot_stack_handle_t a, depot_stack_handle_t b);
bool ls_results_seek(struct ls_cursor *c, enum ls_which which);
bool ls_results_get(const struct ls_cursor *c, enum ls_which which,
		    struct ls_snapshot *snap);
int ls_results_find(unsigned long addr, struct ls_object *found, int max);
void ls_results_where(unsigned long referrer, struct ls_where *w);
void ls_results_stats(struct ls_stats *st);
void ls_results_clear(void);
int ls_results_growth(struct ls_growth_report *r);

/* summary.c: the listed leaks grouped, and the suppressions. */
#define LS_MAX_SUPPRESSIONS	32
#define LS_SUPPRESSION_LEN	128

/**
 * struct ls_group - the listed leaks of one backtrace and kind
 * @trace:	their allocation backtrace (and comm)
 * @indirect:	whether they are indirect leaks
 * @bytes:	their total size
 * @count:	their number
 * @example:	the one at the lowest address, for dump=
 */
struct ls_group {
	depot_stack_handle_t trace;
	bool indirect;
	unsigned long bytes;
	unsigned long count;
	struct ls_object example;
};

/**
 * struct ls_summary - the summary's groups, largest first, and totals
 * @groups:	the groups not suppressed, direct ones first
 * @nr:		how many
 * @bytes:	the bytes of the leaks in them
 * @count:	their number
 * @direct:	of which direct
 * @indirect:	and indirect
 * @nr_suppressions: the suppressions in use
 * @suppression: each one's function, and the leaks it hid
 */
struct ls_summary {
	struct ls_group *groups;
	size_t nr;
	unsigned long bytes, count, direct, indirect;
	int nr_suppressions;
	struct {
		char name[LS_SUPPRESSION_LEN];
		unsigned long count, bytes;
	} suppression[LS_MAX_SUPPRESSIONS];
};

/**
 * struct ls_suppression_list - the suppressions' functions
 * @nr:		how many
 * @name:	their names, in the order they were added
 */
struct ls_suppression_list {
	int nr;
	char name[LS_MAX_SUPPRESSIONS][LS_SUPPRESSION_LEN];
};

int ls_summarise(struct ls_summary *sum);
void ls_summary_free(struct ls_summary *sum);
int ls_suppress_command(char *buf);
void ls_suppressions(struct ls_suppression_list *list);

/* report.c: formatting, to a seq_buf or (NULL) the console, or a seq_file. */
void ls_print_object(struct seq_buf *sb, const struct ls_object *obj,
		     const void *head, size_t head_len);
void ls_print_more(unsigned long n);
void ls_print_referrer(struct seq_buf *sb, const struct ls_where *w);
void ls_dump_object(const struct ls_object *obj, const struct ls_where *w);
void ls_print_group(struct seq_buf *sb, const struct ls_group *g,
		    const struct ls_where *w);
void ls_print_summary_end(struct seq_file *seq, const struct ls_summary *sum,
			  long untracked);
void ls_print_stats(struct seq_file *seq, const struct ls_stats *st);
void ls_print_growth(struct seq_buf *sb, const struct ls_growth_record *r,
		     const struct ls_where *w);
void ls_print_growth_end(struct seq_file *seq, const struct ls_growth_report *r);

/* debugfs.c and console.c */
int ls_debugfs_init(void);
int ls_dump(const char *str);
void ls_console_init(void);
extern bool ls_verbose;

#endif /* MM_LEAKSCAN_LEAKSCAN_H */
