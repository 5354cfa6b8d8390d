// SPDX-License-Identifier: GPL-2.0
/*
 * leakscan: formatting, in the kmemleak report's format and leakscan's
 * own.
 *
 * Everything here prints what it is handed: copies of objects, resolved
 * referrers, groups and figures (results.c, summary.c). Records go to a
 * seq_buf, which the debugfs files hand over from their seq_file, or,
 * given NULL, to the console; the files' own lines go to their seq_file.
 * It takes no lock and looks nothing up but the backtraces in the stack
 * depot.
 */

#define pr_fmt(fmt) "kmemleak: " fmt

#include <kunit/visibility.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/seq_buf.h>
#include <linux/seq_file.h>
#include <linux/smp.h>
#include <linux/stackdepot.h>
#include <linux/stacktrace.h>
#include <linux/string.h>

#include "internals.h"
#include "leakscan.h"

#define LS_HEX_ROW	16

static __printf(2, 3) void ls_out(struct seq_buf *sb, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	if (sb) {
		seq_buf_vprintf(sb, fmt, args);
	} else {
		struct va_format vaf = { .fmt = fmt, .va = &args };

		pr_warn("%pV", &vaf);
	}
	va_end(args);
}

/* The full jiffies value, from its low 32 bits and the current time. */
static unsigned long ls_jiffies_of(const struct ls_object *obj)
{
	unsigned long now = jiffies;

	return now - (u32)((u32)now - obj->jiffies);
}

/* What a record's header says of the kind of address, as the stock engine. */
static const char *ls_kind(const struct ls_object *obj)
{
	if (!LS_STOCK_KIND_TAGS)
		return "";
	if (obj->flags & LS_PHYS)
		return " (phys)";
	if (obj->flags & LS_PERCPU)
		return " (percpu)";
	return "";
}

/**
 * ls_print_object - print an unreferenced object's record
 * @sb:		where to, or NULL for the console
 * @obj:	a snapshot of the object
 * @head:	a copy of its first bytes (on this CPU, for a percpu object),
 *		or NULL for a record without the hex dump
 * @head_len:	how many; at most 32 are printed
 */
void ls_print_object(struct seq_buf *sb, const struct ls_object *obj,
		     const void *head, size_t head_len)
{
	char comm[TASK_COMM_LEN], line[80];
	unsigned long *frames;
	unsigned int nr, i;

	nr = ls_trace_frames(obj->trace, &frames, comm);
	head_len = min_t(size_t, head_len, LS_HEAD_BYTES);
	ls_out(sb, "unreferenced object%s 0x%08lx (size %lu):\n", ls_kind(obj),
	       obj->start, (unsigned long)obj->size);
	ls_out(sb, "  comm \"%s\", pid %d, jiffies %lu\n", comm, obj->pid,
	       ls_jiffies_of(obj));
	if (!head)
		head_len = 0;
	else if (obj->flags & LS_PERCPU)
		ls_out(sb, "  hex dump (first %zu bytes on cpu %d):\n", head_len,
		       raw_smp_processor_id());
	else
		ls_out(sb, "  hex dump (first %zu bytes):\n", head_len);
	for (i = 0; i < head_len; i += LS_HEX_ROW) {
		hex_dump_to_buffer(head + i, min_t(size_t, LS_HEX_ROW, head_len - i),
				   LS_HEX_ROW, 1, line, sizeof(line), true);
		ls_out(sb, "    %s\n", line);
	}
	ls_out(sb, "  backtrace (crc %x):\n", obj->checksum);
	for (i = 0; i < nr; i++)
		ls_out(sb, "    %pS\n", (void *)frames[i]);
}
EXPORT_SYMBOL_IF_KUNIT(ls_print_object);

/**
 * ls_print_more - the line after a console record that stands for others
 * @n: how many new leaks of the same backtrace it stands for
 */
void ls_print_more(unsigned long n)
{
	pr_warn("  ... and %lu more object(s) with the same backtrace\n", n);
}

/**
 * ls_print_referrer - say when and where an object was last referenced
 * @sb:		where to, or NULL for the console
 * @w:		that, from ls_results_where()
 */
void ls_print_referrer(struct seq_buf *sb, const struct ls_where *w)
{
	char name[256];

	switch (w->kind) {
	case LS_WHERE_NEVER:
		ls_out(sb, "  never found referenced by a scan\n");
		return;
	case LS_WHERE_PERCPU:
		snprintf(name, sizeof(name), "percpu %pS of cpu %d", (void *)w->sym, w->cpu);
		break;
	case LS_WHERE_SYMBOL:
		snprintf(name, sizeof(name), "%pS", (void *)w->addr);
		break;
	case LS_WHERE_PAGE:
		snprintf(name, sizeof(name),
			 "the struct page of pfn 0x%lx, at +%lu (refcount %d)",
			 w->pfn, w->off, w->refcount);
		break;
	case LS_WHERE_OBJECT:
		snprintf(name, sizeof(name),
			 "object 0x%08lx+0x%lx (size %lu) allocated at %pS",
			 w->start, w->off, w->size, (void *)w->site);
		break;
	case LS_WHERE_STACK:
		snprintf(name, sizeof(name), "stack of %s/%d", w->comm, w->pid);
		break;
	case LS_WHERE_STACK_GONE:
		snprintf(name, sizeof(name), "a task stack, its task gone");
		break;
	default:
		snprintf(name, sizeof(name), "memory at 0x%lx", w->addr);
		break;
	}
	ls_out(sb, "  last referenced %lus ago from %s\n", (jiffies - w->when) / HZ, name);
	if (w->next)
		ls_out(sb, "  unreferenced since the scan %lus ago\n",
		       (jiffies - w->next) / HZ);
}

/**
 * ls_print_group - print one record of leakscan/summary
 * @sb:		where to
 * @g:		the group
 * @w:		where its example was last referenced
 */
void ls_print_group(struct seq_buf *sb, const struct ls_group *g,
		    const struct ls_where *w)
{
	char comm[TASK_COMM_LEN];
	unsigned long *frames;
	unsigned int nr, i;

	nr = ls_trace_frames(g->trace, &frames, comm);
	seq_buf_printf(sb, "%s leak of %lu bytes in %lu objects (comm \"%s\", pid %d)\n",
		       g->indirect ? "indirect" : "direct", g->bytes, g->count, comm,
		       g->example.pid);
	for (i = 0; i < nr; i++)
		seq_buf_printf(sb, "    %pS\n", (void *)frames[i]);
	seq_buf_printf(sb, "  example: unreferenced object 0x%08lx (size %lu)\n",
		       g->example.start, (unsigned long)g->example.size);
	ls_print_referrer(sb, w);
	seq_buf_putc(sb, '\n');
}

/**
 * ls_print_summary_end - the end of leakscan/summary, after the groups
 * @seq:	where to
 * @sum:	the summary
 * @untracked:	objects that could not be tracked
 *
 * What each suppression hid, a warning if objects went untracked, and the
 * total line.
 */
void ls_print_summary_end(struct seq_file *seq, const struct ls_summary *sum,
			  long untracked)
{
	int k;

	if (sum->nr_suppressions) {
		seq_puts(seq, "Suppressions used:\n");
		seq_printf(seq, "%7s %10s %s\n", "count", "bytes", "function");
		for (k = 0; k < sum->nr_suppressions; k++)
			seq_printf(seq, "%7lu %10lu %s\n", sum->suppression[k].count,
				   sum->suppression[k].bytes, sum->suppression[k].name);
		seq_putc(seq, '\n');
	}
	if (untracked)
		seq_printf(seq, "INCOMPLETE: %ld objects could not be tracked: results may be incomplete\n\n",
			   untracked);
	seq_printf(seq, "SUMMARY: %lu bytes leaked in %lu objects (%lu direct, %lu indirect)\n",
		   sum->bytes, sum->count, sum->direct, sum->indirect);
}

/* A span of jiffies as seconds, to a tenth. */
static void ls_secs(unsigned long j, unsigned long *s, unsigned long *tenths)
{
	unsigned long ms = jiffies_to_msecs(j);

	*s = ms / MSEC_PER_SEC;
	*tenths = ms % MSEC_PER_SEC / 100;
}

/**
 * ls_print_growth - print one record of leakscan/growth
 * @sb:		where to
 * @r:		the growing site
 * @w:		where its example was last referenced
 */
void ls_print_growth(struct seq_buf *sb, const struct ls_growth_record *r,
		     const struct ls_where *w)
{
	unsigned long *frames, secs, tenths;
	unsigned int nr, i;

	nr = stack_depot_fetch(r->site, &frames);
	ls_secs(r->span, &secs, &tenths);
	seq_buf_printf(sb,
		       "growing: %lu objects (%lu bytes) reachable, +%lu objects (%+ld bytes) in %u scans over %lu.%lus\n",
		       r->objects, r->bytes, r->delta, r->delta_bytes, r->scans,
		       secs, tenths);
	for (i = 0; i < nr; i++)
		seq_buf_printf(sb, "    %pS\n", (void *)frames[i]);
	seq_buf_printf(sb, "  example: the youngest, object 0x%08lx (size %lu)\n",
		       r->example, r->size);
	ls_print_referrer(sb, w);
	seq_buf_putc(sb, '\n');
}

/**
 * ls_print_growth_end - the end of leakscan/growth, after the records
 * @seq:	where to
 * @r:		the report
 *
 * An INCOMPLETE line if sites or objects went uncounted, and the total line.
 */
void ls_print_growth_end(struct seq_file *seq, const struct ls_growth_report *r)
{
	if (r->dropped_sites || r->untallied)
		seq_printf(seq, "INCOMPLETE: the last scan left %lu sites (%lu objects) out of the table and %lu objects untallied: growth there goes unseen\n\n",
			   r->dropped_sites, r->dropped_objects, r->untallied);
	seq_printf(seq, "GROWTH: %zu sites growing, %lu objects (%lu bytes) reachable; window %u scans, at least %lu objects; %lu of %lu sites tracked, %lu scans\n",
		   r->nr, r->objects, r->bytes, r->window, r->min_objects, r->sites,
		   r->sites_max, r->scans);
}

/* leakscan/stats: "name value" lines. */
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
	[LS_COUNT_YOUNG_FREES]	= "young_objects_freed",
	[LS_COUNT_SPARES_USED]	= "metadata_reused",
};

static_assert(ARRAY_SIZE(ls_counter_names) == LS_COUNT_MAX);

/**
 * ls_print_stats - print leakscan/stats
 * @seq:	where to
 * @st:		the figures, from ls_results_stats()
 */
void ls_print_stats(struct seq_file *seq, const struct ls_stats *st)
{
	int i;

	seq_printf(seq, "objects %lu\n", st->objects);
	seq_printf(seq, "bytes %lu\n", st->bytes);
	seq_printf(seq, "metadata_bytes %lu\n", st->objects * sizeof(struct ls_object));
	seq_printf(seq, "metadata_bytes_per_object %zu\n", sizeof(struct ls_object));
	seq_printf(seq, "leaks %lu\n", st->leaks);
	seq_printf(seq, "leaks_direct %lu\n", st->leaks - st->indirect);
	seq_printf(seq, "leaks_indirect %lu\n", st->indirect);
	seq_printf(seq, "leaks_new_last_scan %lu\n", st->scan.new_leaks);
	seq_printf(seq, "early_pool_used %lu\n", st->pool_used);
	seq_printf(seq, "early_pool_size %lu\n", st->pool_size);
	seq_printf(seq, "scan_areas %lu\n", st->scan_areas);
	for (i = 0; i < LS_COUNT_MAX; i++)
		seq_printf(seq, "%s %ld\n", ls_counter_names[i], st->counters[i]);
	seq_printf(seq, "last_scan_ns %llu\n", st->scan.ns);
	seq_printf(seq, "last_scan_setup_ns %llu\n", st->scan.start_ns);
	seq_printf(seq, "last_scan_roots_ns %llu\n", st->scan.roots_ns);
	seq_printf(seq, "last_scan_objects_ns %llu\n", st->scan.objects_ns);
	seq_printf(seq, "last_scan_judge_ns %llu\n", st->scan.end_ns);
	seq_printf(seq, "last_scan_bytes %lu\n", st->scan.bytes);
	seq_printf(seq, "last_scan_root_bytes %lu\n", st->scan.root_bytes);
	seq_printf(seq, "last_scan_objects %lu\n", st->scan.objects);
	seq_printf(seq, "growth_sites %lu\n", st->scan.growth_sites);
	seq_printf(seq, "growth_sites_max %lu\n", st->growth_sites_max);
	seq_printf(seq, "growth_sites_dropped %lu\n", st->scan.growth_dropped_sites);
	seq_printf(seq, "growth_objects_dropped %lu\n", st->scan.growth_dropped_objects);
	seq_printf(seq, "growth_objects_untallied %lu\n", st->scan.growth_untallied);
	seq_printf(seq, "growth_objects_untraced %lu\n", st->scan.growth_untraced);
}

/*
 * An object's flags in the stock engine's numbering, which dump= shows:
 * allocated 0x1, reported 0x2, not scanned 0x4, physical 0x10, percpu
 * 0x20, suspect 0x40 (which the stock engine keeps on a leak until the
 * scan after the one that reported it, as LS_FRESH lasts). Its 0x8, an
 * object scanned whole because a scan area could not be allocated, has
 * no counterpart here.
 */
static unsigned int ls_stock_flags(const struct ls_object *obj)
{
	return 0x1 | (obj->flags & LS_REPORTED ? 0x2 : 0) |
	       (obj->flags & LS_NO_SCAN ? 0x4 : 0) |
	       (obj->flags & LS_PHYS ? 0x10 : 0) |
	       (obj->flags & LS_PERCPU ? 0x20 : 0) |
	       (obj->flags & (LS_SUSPECT | LS_FRESH) ? 0x40 : 0);
}

/**
 * ls_dump_object - print everything known about an object to the console
 * @obj:	a copy of the object
 * @w:		where it was last referenced
 */
void ls_dump_object(const struct ls_object *obj, const struct ls_where *w)
{
	char comm[TASK_COMM_LEN];
	unsigned long *frames;
	unsigned int nr;

	nr = ls_trace_frames(obj->trace, &frames, comm);
	pr_notice("Object%s 0x%08lx (size %lu):\n", ls_kind(obj), obj->start,
		  (unsigned long)obj->size);
	pr_notice("  comm \"%s\", pid %d, jiffies %lu\n", comm, obj->pid,
		  ls_jiffies_of(obj));
	pr_notice("  min_count = %d\n", obj->min_count);
	pr_notice("  count = %d\n", obj->count);
	pr_notice("  flags = 0x%x\n", ls_stock_flags(obj));
	pr_notice("  checksum = %u\n", obj->checksum);
	pr_notice("  backtrace:\n");
	stack_trace_print(frames, nr, 0);
	ls_print_referrer(NULL, w);
}
