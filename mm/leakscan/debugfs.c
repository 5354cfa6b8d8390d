// SPDX-License-Identifier: GPL-2.0
/*
 * leakscan: /sys/kernel/debug/kmemleak, as the stock engine serves it.
 *
 * Reading lists the objects reported as leaks that the last scan still
 * found unreferenced; it never scans. Each write is one command, matched
 * by prefix: scan, clear, off, stack=on|off, scan=on|off, scan=<secs> and
 * dump=<addr>.
 */

#define pr_fmt(fmt) "kmemleak: " fmt

#include <kunit/visibility.h>
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <trace/events/error_report.h>

#include "internals.h"
#include "leakscan.h"

/* Objects visited under ls_lock before it is dropped for a while. */
#define LS_SEEK_BATCH	1024

/*
 * Where a reader is: the record at @pos is the object starting at @addr in
 * tree @tree (0: virtual, 1: percpu). Kept across read() calls, so that a
 * sequential read does not walk the trees from the start each time.
 */
struct ls_cursor {
	loff_t pos;
	int tree;
	unsigned long addr;
};

static struct ls_tree *ls_cursor_tree(int tree)
{
	return tree ? &ls_idx.percpu : &ls_idx.virt;
}

/* Which objects a walk shows. */
typedef bool (*ls_filter_t)(const struct ls_object *obj);

/* Those the report lists: reported, and still unreferenced. */
static bool ls_listed(const struct ls_object *obj)
{
	return (obj->flags & LS_REPORTED) && ls_unreferenced(obj);
}

/* Those the last scan reported for the first time. */
static bool ls_fresh(const struct ls_object *obj)
{
	return ls_listed(obj) && (obj->flags & LS_FRESH);
}

/* Move @c to the first object at or after it that @want; false at the end. */
static bool __ls_seek(struct ls_cursor *c, ls_filter_t want)
{
	struct ls_object *obj;
	unsigned int n = 0;

	raw_spin_lock_irq(&ls_lock);
	for (; c->tree < 2; c->tree++, c->addr = 0) {
		obj = ls_lookup_from(ls_cursor_tree(c->tree), c->addr);
		for (; obj; obj = ls_next(obj)) {
			if (want(obj)) {
				c->addr = obj->start;
				raw_spin_unlock_irq(&ls_lock);
				return true;
			}
			if (++n % LS_SEEK_BATCH == 0) {
				c->addr = obj->start + 1;
				raw_spin_unlock_irq(&ls_lock);
				cond_resched();
				raw_spin_lock_irq(&ls_lock);
				obj = ls_lookup_from(ls_cursor_tree(c->tree), c->addr);
				if (!obj)
					break;
				if (want(obj)) {
					c->addr = obj->start;
					raw_spin_unlock_irq(&ls_lock);
					return true;
				}
			}
		}
	}
	raw_spin_unlock_irq(&ls_lock);
	return false;
}

static bool ls_seek(struct ls_cursor *c)
{
	return __ls_seek(c, ls_listed);
}

static void *ls_seq_start(struct seq_file *m, loff_t *pos)
{
	struct ls_cursor *c = m->private;
	loff_t i;

	if (*pos != c->pos || *pos == 0) {
		c->tree = 0;
		c->addr = 0;
		for (i = 0; i < *pos; i++) {
			if (!ls_seek(c))
				return NULL;
			c->addr++;
		}
		c->pos = *pos;
	}
	return ls_seek(c) ? c : NULL;
}

static void *ls_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct ls_cursor *c = v;

	++*pos;
	c->pos = *pos;
	c->addr++;
	return ls_seek(c) ? c : NULL;
}

static void ls_seq_stop(struct seq_file *m, void *v)
{
}

/*
 * Copy a listed object and its first bytes (on this CPU, if percpu) under
 * ls_lock, so that printing it needs no lock.
 */
static bool __ls_snapshot(struct ls_tree *tree, unsigned long addr,
			  ls_filter_t want, struct ls_object *snap, u8 *head,
			  size_t *len)
{
	struct ls_object *obj;
	const void *mem;

	raw_spin_lock_irq(&ls_lock);
	obj = ls_lookup_start(tree, addr);
	if (!obj || !want(obj)) {
		raw_spin_unlock_irq(&ls_lock);
		return false;
	}
	*snap = *obj;
	*len = min_t(size_t, obj->size, LS_HEAD_BYTES);
	mem = (const void *)obj->start;
	if (obj->flags & LS_PERCPU)
		mem = per_cpu_ptr((void __percpu *)obj->start, raw_smp_processor_id());
	memcpy(head, mem, *len);
	raw_spin_unlock_irq(&ls_lock);
	return true;
}

static bool ls_snapshot(struct ls_tree *tree, unsigned long addr,
			struct ls_object *snap, u8 *head, size_t *len)
{
	return __ls_snapshot(tree, addr, ls_listed, snap, head, len);
}

static int ls_seq_show(struct seq_file *m, void *v)
{
	struct ls_cursor *c = v;
	struct ls_object snap;
	u8 head[LS_HEAD_BYTES];
	size_t len;

	if (ls_snapshot(ls_cursor_tree(c->tree), c->addr, &snap, head, &len))
		ls_print_object(m, &snap, head, len);
	return 0;
}

#if IS_ENABLED(CONFIG_KUNIT)
/**
 * ls_test_record - whether an object is listed as a leak, and its record
 * @addr:	the object's start (virtual or percpu)
 * @buf:	where to print the record as the debugfs file does, or NULL
 * @size:	the size of @buf
 *
 * Return: true if the object is listed.
 */
VISIBLE_IF_KUNIT bool ls_test_record(unsigned long addr, char *buf, size_t size)
{
	struct seq_file m = { .buf = buf, .size = size };
	struct ls_object snap;
	u8 head[LS_HEAD_BYTES];
	size_t len;
	int t;

	for (t = 0; t < 2; t++) {
		if (!ls_snapshot(ls_cursor_tree(t), addr, &snap, head, &len))
			continue;
		if (buf && size) {
			ls_print_object(&m, &snap, head, len);
			buf[min(m.count, size - 1)] = '\0';
		}
		return true;
	}
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(ls_test_record);

/**
 * ls_test_tracked - whether an object starts at an address, and its size
 * @addr:	the address (virtual)
 * @size:	set to the object's size
 *
 * Return: true if an object starts there.
 */
VISIBLE_IF_KUNIT bool ls_test_tracked(unsigned long addr, unsigned long *size)
{
	struct ls_object *obj;

	raw_spin_lock_irq(&ls_lock);
	obj = ls_lookup_start(&ls_idx.virt, addr);
	if (obj)
		*size = obj->size;
	raw_spin_unlock_irq(&ls_lock);
	return obj;
}
EXPORT_SYMBOL_IF_KUNIT(ls_test_tracked);
#endif /* CONFIG_KUNIT: the test hooks of leakscan_test.c */

static const struct seq_operations ls_seq_ops = {
	.start = ls_seq_start,
	.next = ls_seq_next,
	.stop = ls_seq_stop,
	.show = ls_seq_show,
};

static int ls_open(struct inode *inode, struct file *file)
{
	int ret = seq_open_private(file, &ls_seq_ops, sizeof(struct ls_cursor));

	/*
	 * The cursor holds the address of the record the reader is in: kept
	 * out of the scan, as the scan's work list is, so that a reader
	 * part way through cannot hide that leak.
	 */
	if (!ret)
		kmemleak_ignore(((struct seq_file *)file->private_data)->private);
	return ret;
}

static void ls_clear_all(void)
{
	raw_spin_lock_irq(&ls_lock);
	ls_clear(&ls_idx);
	raw_spin_unlock_irq(&ls_lock);
}

/**
 * ls_dump - the dump=<addr> command: print an object's metadata
 * @str: the address, in any base kstrtoul() takes
 *
 * As the stock engine of 7.3 does (LS_STOCK_DUMP_ANY), the address may be
 * anywhere inside the object, and virtual, physical and percpu objects are
 * all looked for: each one found is dumped.
 *
 * Return: 0, or -EINVAL if @str is not a number or no object holds it.
 */
VISIBLE_IF_KUNIT int ls_dump(const char *str)
{
	struct ls_tree *trees[] = { &ls_idx.virt, &ls_idx.phys, &ls_idx.percpu };
	struct ls_object *obj, snap;
	unsigned long addr;
	bool found = false;
	int t;

	if (kstrtoul(str, 0, &addr))
		return -EINVAL;
	for (t = 0; t < (LS_STOCK_DUMP_ANY ? ARRAY_SIZE(trees) : 1); t++) {
		raw_spin_lock_irq(&ls_lock);
		obj = LS_STOCK_DUMP_ANY ? ls_lookup(trees[t], addr) :
					  ls_lookup_start(trees[t], addr);
		if (obj)
			snap = *obj;
		raw_spin_unlock_irq(&ls_lock);
		if (!obj)
			continue;
		ls_dump_object(&snap);
		found = true;
	}
	if (!found) {
		pr_info("Unknown object at 0x%08lx\n", addr);
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(ls_dump);

static int ls_command(const char *buf)
{
	unsigned int secs;
	int ret;

	if (!strncmp(buf, "clear", 5)) {
		if (ls_is_enabled())
			ls_clear_all();
		return 0;
	}
	if (!ls_is_enabled())
		return -EPERM;
	if (!strncmp(buf, "off", 3)) {
		ls_scan_thread_stop();
		ls_disable();
	} else if (!strncmp(buf, "stack=on", 8)) {
		ls_stack_trace_set(true);
	} else if (!strncmp(buf, "stack=off", 9)) {
		ls_stack_trace_set(false);
	} else if (!strncmp(buf, "scan=on", 7)) {
		ls_scan_thread_start();
	} else if (!strncmp(buf, "scan=off", 8)) {
		ls_scan_thread_stop();
	} else if (!strncmp(buf, "scan=", 5)) {
		/* As in the stock engine: ERANGE past UINT_MAX seconds. */
		ret = kstrtouint(buf + 5, 0, &secs);
		if (ret)
			return ret;
		ls_scan_thread_set(secs);
	} else if (!strncmp(buf, "scan", 4)) {
		ret = ls_scan();
		if (ret < 0)
			return ret;
	} else if (!strncmp(buf, "dump=", 5)) {
		return ls_dump(buf + 5);
	} else {
		return -EINVAL;
	}
	return 0;
}

static ssize_t ls_write(struct file *file, const char __user *ubuf,
			size_t size, loff_t *ppos)
{
	char buf[64];
	size_t len = min(size, sizeof(buf) - 1);
	int ret;

	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	ret = ls_command(buf);
	if (ret < 0)
		return ret;
	/* One command per write: the rest of the buffer is ignored. */
	*ppos += size;
	return size;
}

static const struct file_operations ls_fops = {
	.owner = THIS_MODULE,
	.open = ls_open,
	.read = seq_read,
	.write = ls_write,
	.llseek = seq_lseek,
	.release = seq_release_private,
};

/* ------------------------------------------------------------- Console */

/*
 * kmemleak.verbose, as in the stock engine: print each new leak to the
 * console when a scan reports it.
 */
#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "kmemleak."
bool ls_verbose = IS_ENABLED(CONFIG_DEBUG_KMEMLEAK_VERBOSE);
EXPORT_SYMBOL_IF_KUNIT(ls_verbose);
module_param_named(verbose, ls_verbose, bool, 0600);

/* A new leak, for the console's records grouped by backtrace. */
struct ls_new_leak {
	depot_stack_handle_t trace;
	int tree;
	unsigned long addr;
};

static int ls_new_leak_cmp(const void *a, const void *b)
{
	const struct ls_new_leak *x = a, *y = b;
	int ret = ls_trace_cmp(x->trace, y->trace);

	if (ret)
		return ret;
	if (x->tree != y->tree)
		return x->tree - y->tree;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/*
 * One console record for the @n new leaks of one backtrace in @leak[]: the
 * first still listed, and a line counting the others.
 */
static void ls_print_group_of(const struct ls_new_leak *leak, size_t n)
{
	struct ls_object snap;
	u8 head[LS_HEAD_BYTES];
	size_t len, i;

	for (i = 0; i < n; i++)
		if (__ls_snapshot(ls_cursor_tree(leak[i].tree), leak[i].addr,
				  ls_listed, &snap, head, &len))
			break;
	if (i == n)
		return;
	ls_print_object(NULL, &snap, n == 1 ? head : NULL, len);
	if (n > 1)
		pr_warn("  ... and %zu more object(s) with the same backtrace\n", n - 1);
}

/**
 * ls_print_new_leaks - tell of the last scan's new leaks
 * @nr: how many there are
 *
 * With kmemleak.verbose, print them to the console as the stock engine of
 * 7.3 does (LS_STOCK_VERBOSE_GROUPS): one record per backtrace (its
 * frames, whatever the comm); a backtrace of several leaks gets its first
 * one's record without the hex dump, and a line counting the others.
 * Leaks without a backtrace get a record each. For each new direct leak,
 * emit an error_report_end event (ERROR_DETECTOR_KMEMLEAK, with the
 * object's address), for tools that watch for reports, as KFENCE and KASAN
 * emit theirs. Called with
 * ls_scan_mutex held, so that no scan changes what is new.
 */
void ls_print_new_leaks(unsigned long nr)
{
	bool verbose = READ_ONCE(ls_verbose);
	struct ls_new_leak *list = NULL;
	struct ls_cursor c = { };
	struct ls_object snap;
	u8 head[LS_HEAD_BYTES];
	size_t len, n = 0, i, j;

	if (!verbose && !trace_error_report_end_enabled())
		return;
	if (verbose && LS_STOCK_VERBOSE_GROUPS)
		list = kvmalloc_array(nr, sizeof(*list), GFP_KERNEL | __GFP_NOWARN);
	for (; __ls_seek(&c, ls_fresh); c.addr++) {
		if (!__ls_snapshot(ls_cursor_tree(c.tree), c.addr, ls_fresh,
				   &snap, head, &len))
			continue;
		if (!(snap.flags & LS_INDIRECT))
			trace_error_report_end(ERROR_DETECTOR_KMEMLEAK, snap.start);
		if (verbose && snap.trace && list && n < nr)
			list[n++] = (struct ls_new_leak){ snap.trace, c.tree, c.addr };
		else if (verbose)
			ls_print_object(NULL, &snap, head, len);
		cond_resched();
	}
	sort(list, n, sizeof(*list), ls_new_leak_cmp, NULL);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && !ls_trace_cmp(list[j].trace, list[i].trace); j++)
			;
		ls_print_group_of(&list[i], j - i);
		cond_resched();
	}
	kvfree(list);
}

/* --------------------------------------------------------- Suppressions */

/*
 * /sys/kernel/debug/leakscan/suppressions: "suppress=<function>" hides,
 * from leakscan/summary, every leak whose backtrace passes through that
 * function, and "unsuppress=<function>" shows them again. Reading lists
 * the functions. Suppressing filters the summary only: the scans and the
 * kmemleak file are the same with or without it.
 */
#define LS_MAX_SUPPRESSIONS	32
#define LS_SUPPRESSION_LEN	128

static DEFINE_MUTEX(ls_suppress_mutex);	/* the list below */
static char ls_suppressions[LS_MAX_SUPPRESSIONS][LS_SUPPRESSION_LEN];
static int ls_nr_suppressions;

/* The first suppression that @trace passes through, or -1. */
static int ls_suppressed(depot_stack_handle_t trace)
{
	int k;

	for (k = 0; k < ls_nr_suppressions; k++)
		if (ls_trace_has(trace, ls_suppressions[k]))
			return k;
	return -1;
}

static int ls_find_suppression(const char *name)
{
	int k;

	for (k = 0; k < ls_nr_suppressions; k++)
		if (!strcmp(ls_suppressions[k], name))
			return k;
	return -1;
}

static int ls_suppress_command(char *buf)
{
	bool add = str_has_prefix(buf, "suppress=");
	char *name;
	int k, ret = 0;

	if (!add && !str_has_prefix(buf, "unsuppress="))
		return -EINVAL;
	name = strim(strchr(buf, '=') + 1);
	if (!*name || strlen(name) >= LS_SUPPRESSION_LEN)
		return -EINVAL;
	/* A symbol name: one line of printable characters, read back as is. */
	for (k = 0; name[k]; k++)
		if (!isgraph(name[k]))
			return -EINVAL;
	mutex_lock(&ls_suppress_mutex);
	k = ls_find_suppression(name);
	if (add && k < 0) {
		if (ls_nr_suppressions == LS_MAX_SUPPRESSIONS)
			ret = -EINVAL;
		else
			strscpy(ls_suppressions[ls_nr_suppressions++], name);
	} else if (!add) {
		if (k < 0) {
			ret = -EINVAL;
		} else {
			memmove(ls_suppressions[k], ls_suppressions[k + 1],
				(ls_nr_suppressions - k - 1) * LS_SUPPRESSION_LEN);
			ls_nr_suppressions--;
		}
	}
	mutex_unlock(&ls_suppress_mutex);
	return ret;
}

static ssize_t ls_suppress_write(struct file *file, const char __user *ubuf,
				 size_t size, loff_t *ppos)
{
	char *buf;
	int ret;

	if (size > LS_SUPPRESSION_LEN + 16)
		return -EINVAL;
	buf = memdup_user_nul(ubuf, size);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = ls_suppress_command(buf);
	kfree(buf);
	if (ret)
		return ret;
	*ppos += size;
	return size;
}

static int ls_suppress_show(struct seq_file *seq, void *v)
{
	int k;

	mutex_lock(&ls_suppress_mutex);
	for (k = 0; k < ls_nr_suppressions; k++)
		seq_printf(seq, "%s\n", ls_suppressions[k]);
	mutex_unlock(&ls_suppress_mutex);
	return 0;
}

static int ls_suppress_open(struct inode *inode, struct file *file)
{
	return single_open(file, ls_suppress_show, NULL);
}

static const struct file_operations ls_suppress_fops = {
	.owner = THIS_MODULE,
	.open = ls_suppress_open,
	.read = seq_read,
	.write = ls_suppress_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* -------------------------------------------------------------- Summary */

/*
 * /sys/kernel/debug/leakscan/summary: the listed leaks grouped by
 * allocation backtrace (and comm, which the trace carries) and kind, the
 * largest first, direct before indirect, as LeakSanitizer reports them.
 */
struct ls_group {
	depot_stack_handle_t trace;
	bool indirect;
	unsigned long bytes;
	unsigned long count;
	unsigned long example;		/* the lowest address, for dump= */
	unsigned long example_size;
	unsigned long referrer;		/* the example's */
	int pid;
};

struct ls_summary {
	struct ls_group *groups;
	size_t nr;
	unsigned long bytes, count, direct, indirect;
};

static int ls_group_by_trace(const void *a, const void *b)
{
	const struct ls_group *x = a, *y = b;

	if (x->indirect != y->indirect)
		return x->indirect - y->indirect;
	return x->trace < y->trace ? -1 : x->trace > y->trace;
}

static int ls_group_by_size(const void *a, const void *b)
{
	const struct ls_group *x = a, *y = b;

	if (x->indirect != y->indirect)
		return x->indirect - y->indirect;
	if (x->bytes != y->bytes)
		return x->bytes < y->bytes ? 1 : -1;
	return x->example < y->example ? -1 : x->example > y->example;
}

/* Collect one entry per listed leak, then merge them into groups. */
static int ls_summarise(struct ls_summary *sum)
{
	struct ls_cursor c = { };
	struct ls_object snap;
	u8 head[LS_HEAD_BYTES];
	struct ls_group *g;
	size_t cap = 64, i, n = 0;
	size_t len;

	memset(sum, 0, sizeof(*sum));
	sum->groups = kvmalloc_array(cap, sizeof(*g), GFP_KERNEL);
	if (!sum->groups)
		return -ENOMEM;
	/* It holds addresses of leaks: a scan meanwhile must not read it. */
	kmemleak_ignore(sum->groups);
	for (; __ls_seek(&c, ls_listed); c.addr++) {
		if (!__ls_snapshot(ls_cursor_tree(c.tree), c.addr, ls_listed, &snap,
				   head, &len))
			continue;
		if (n == cap) {
			g = kvrealloc(sum->groups, cap * 2 * sizeof(*g), GFP_KERNEL);
			if (!g)
				return -ENOMEM;
			kmemleak_ignore(g);
			sum->groups = g;
			cap *= 2;
		}
		g = &sum->groups[n++];
		g->trace = snap.trace;
		g->indirect = snap.flags & LS_INDIRECT;
		g->bytes = snap.size;
		g->count = 1;
		g->example = snap.start;
		g->example_size = snap.size;
		g->referrer = snap.referrer;
		g->pid = snap.pid;
		cond_resched();
	}
	sort(sum->groups, n, sizeof(*g), ls_group_by_trace, NULL);
	for (i = 0; i < n; i++) {
		struct ls_group *e = &sum->groups[i];

		sum->bytes += e->bytes;
		sum->count++;
		if (e->indirect)
			sum->indirect++;
		else
			sum->direct++;
		g = sum->nr ? &sum->groups[sum->nr - 1] : NULL;
		if (g && g->trace == e->trace && g->indirect == e->indirect) {
			g->bytes += e->bytes;
			g->count++;
			if (e->example < g->example) {
				g->example = e->example;
				g->example_size = e->example_size;
				g->referrer = e->referrer;
				g->pid = e->pid;
			}
		} else {
			sum->groups[sum->nr++] = *e;
		}
	}
	sort(sum->groups, sum->nr, sizeof(*g), ls_group_by_size, NULL);
	return 0;
}

static int ls_summary_show(struct seq_file *seq, void *v)
{
	unsigned long hid_count[LS_MAX_SUPPRESSIONS] = { };
	unsigned long hid_bytes[LS_MAX_SUPPRESSIONS] = { };
	struct ls_summary sum;
	long untracked;
	size_t i;
	int ret, k;

	ret = ls_summarise(&sum);
	if (ret)
		goto out;
	mutex_lock(&ls_suppress_mutex);
	for (i = 0; i < sum.nr; i++) {
		struct ls_group *g = &sum.groups[i];

		k = ls_suppressed(g->trace);
		if (k >= 0) {
			hid_count[k] += g->count;
			hid_bytes[k] += g->bytes;
			sum.bytes -= g->bytes;
			sum.count -= g->count;
			if (g->indirect)
				sum.indirect -= g->count;
			else
				sum.direct -= g->count;
			continue;
		}
		ls_print_group(seq, g->indirect, g->bytes, g->count, g->trace,
			       g->pid, g->example, g->example_size, g->referrer);
	}
	if (ls_nr_suppressions) {
		seq_puts(seq, "Suppressions used:\n");
		seq_printf(seq, "%7s %10s %s\n", "count", "bytes", "function");
		for (k = 0; k < ls_nr_suppressions; k++)
			seq_printf(seq, "%7lu %10lu %s\n", hid_count[k], hid_bytes[k],
				   ls_suppressions[k]);
		seq_putc(seq, '\n');
	}
	mutex_unlock(&ls_suppress_mutex);
	untracked = atomic_long_read(&ls_counters[LS_COUNT_UNTRACKED]);
	if (untracked)
		seq_printf(seq, "WARNING: %ld objects could not be tracked: results may be incomplete\n\n",
			   untracked);
	seq_printf(seq, "SUMMARY: %lu bytes leaked in %lu objects (%lu direct, %lu indirect)\n",
		   sum.bytes, sum.count, sum.direct, sum.indirect);
out:
	kvfree(sum.groups);
	return ret;
}
DEFINE_SHOW_ATTRIBUTE(ls_summary);

/* ---------------------------------------------------------------- Stats */

/* /sys/kernel/debug/leakscan/stats: "name value" lines. */
static const char *const ls_counter_names[] = {
	[LS_COUNT_UNTRACKED]	= "untracked_objects",
	[LS_COUNT_RESERVE]	= "metadata_from_reserve",
	[LS_COUNT_OVERLAPS]	= "overlapping_objects_replaced",
	[LS_COUNT_UNKNOWN]	= "unknown_object_calls",
	[LS_COUNT_SPLIT_LOST]	= "free_part_tails_untracked",
	[LS_COUNT_SCANS]	= "scans",
	[LS_COUNT_LEAKS]	= "leaks_reported_total",
	[LS_COUNT_TRACE_HITS]	= "trace_cache_hits",
	[LS_COUNT_TRACE_MISSES]	= "trace_cache_misses",
};

static_assert(ARRAY_SIZE(ls_counter_names) == LS_COUNT_MAX);

static int ls_stats_show(struct seq_file *seq, void *v)
{
	struct ls_scan_stats st;
	unsigned long objects, bytes, leaks, indirect;
	int i;

	raw_spin_lock_irq(&ls_lock);
	objects = ls_idx.nr_objects;
	bytes = ls_idx.bytes;
	leaks = ls_idx.nr_leaks;
	indirect = ls_idx.nr_indirect;
	st = ls_last_scan;
	raw_spin_unlock_irq(&ls_lock);
	seq_printf(seq, "objects %lu\n", objects);
	seq_printf(seq, "bytes %lu\n", bytes);
	seq_printf(seq, "metadata_bytes %lu\n", objects * sizeof(struct ls_object));
	seq_printf(seq, "metadata_bytes_per_object %zu\n", sizeof(struct ls_object));
	seq_printf(seq, "leaks %lu\n", leaks);
	seq_printf(seq, "leaks_direct %lu\n", leaks - indirect);
	seq_printf(seq, "leaks_indirect %lu\n", indirect);
	seq_printf(seq, "leaks_new_last_scan %lu\n", st.new_leaks);
	seq_printf(seq, "early_pool_used %lu\n", ls_pool_used());
	seq_printf(seq, "early_pool_size %lu\n", ls_pool_size());
	for (i = 0; i < LS_COUNT_MAX; i++)
		seq_printf(seq, "%s %ld\n", ls_counter_names[i],
			   atomic_long_read(&ls_counters[i]));
	seq_printf(seq, "last_scan_ns %llu\n", st.ns);
	seq_printf(seq, "last_scan_setup_ns %llu\n", st.start_ns);
	seq_printf(seq, "last_scan_roots_ns %llu\n", st.roots_ns);
	seq_printf(seq, "last_scan_objects_ns %llu\n", st.objects_ns);
	seq_printf(seq, "last_scan_judge_ns %llu\n", st.end_ns);
	seq_printf(seq, "last_scan_bytes %lu\n", st.bytes);
	seq_printf(seq, "last_scan_root_bytes %lu\n", st.root_bytes);
	seq_printf(seq, "last_scan_objects %lu\n", st.objects);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ls_stats);

/**
 * ls_debugfs_init - create /sys/kernel/debug/kmemleak and leakscan/
 *
 * Return: 0
 */
int ls_debugfs_init(void)
{
	struct dentry *dir;

	debugfs_create_file("kmemleak", 0644, NULL, NULL, &ls_fops);
	dir = debugfs_create_dir("leakscan", NULL);
	debugfs_create_file("stats", 0444, dir, NULL, &ls_stats_fops);
	debugfs_create_file("summary", 0444, dir, NULL, &ls_summary_fops);
	debugfs_create_file("suppressions", 0644, dir, NULL, &ls_suppress_fops);
	return 0;
}
