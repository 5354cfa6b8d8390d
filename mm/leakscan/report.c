// SPDX-License-Identifier: GPL-2.0
/*
 * leakscan: printing objects, in the format of the kmemleak report.
 *
 * One printer serves the debugfs file (a seq_file) and the console. It
 * works on a snapshot of the object taken under ls_lock; only naming what
 * held a referrer looks things up again (under ls_lock, or RCU for tasks).
 */

#define pr_fmt(fmt) "kmemleak: " fmt

#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/smp.h>
#include <linux/stackdepot.h>
#include <linux/stacktrace.h>
#include <linux/string.h>

#include <asm/sections.h>

#include "internals.h"
#include "leakscan.h"

#define LS_HEX_ROW	16

static __printf(2, 3) void ls_out(struct seq_file *seq, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	if (seq) {
		seq_vprintf(seq, fmt, args);
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

/* The frames and the comm recorded for @obj; returns the frame count. */
static unsigned int ls_trace_of(const struct ls_object *obj,
				unsigned long **frames, char *comm)
{
	unsigned int nr = 0;

	comm[0] = '\0';
	if (obj->trace)
		nr = stack_depot_fetch(obj->trace, frames);
	if (nr < LS_COMM_WORDS)
		return 0;
	nr -= LS_COMM_WORDS;
	memcpy(comm, &(*frames)[nr], TASK_COMM_LEN);
	comm[TASK_COMM_LEN - 1] = '\0';
	return nr;
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
 * @seq:	where to, or NULL for the console
 * @obj:	a snapshot of the object
 * @head:	a copy of its first bytes (on this CPU, for a percpu object),
 *		or NULL for a record without the hex dump
 * @head_len:	how many; at most 32 are printed
 */
void ls_print_object(struct seq_file *seq, const struct ls_object *obj,
		     const void *head, size_t head_len)
{
	char comm[TASK_COMM_LEN], line[80];
	unsigned long *frames;
	unsigned int nr, i;

	nr = ls_trace_of(obj, &frames, comm);
	head_len = min_t(size_t, head_len, LS_HEAD_BYTES);
	ls_out(seq, "unreferenced object%s 0x%08lx (size %lu):\n", ls_kind(obj),
	       obj->start, (unsigned long)obj->size);
	ls_out(seq, "  comm \"%s\", pid %d, jiffies %lu\n", comm, obj->pid,
	       ls_jiffies_of(obj));
	if (!head)
		head_len = 0;
	else if (obj->flags & LS_PERCPU)
		ls_out(seq, "  hex dump (first %zu bytes on cpu %d):\n", head_len,
		       raw_smp_processor_id());
	else
		ls_out(seq, "  hex dump (first %zu bytes):\n", head_len);
	for (i = 0; i < head_len; i += LS_HEX_ROW) {
		hex_dump_to_buffer(head + i, min_t(size_t, LS_HEX_ROW, head_len - i),
				   LS_HEX_ROW, 1, line, sizeof(line), true);
		ls_out(seq, "    %s\n", line);
	}
	ls_out(seq, "  backtrace (crc %x):\n", obj->checksum);
	for (i = 0; i < nr; i++)
		ls_out(seq, "    %pS\n", (void *)frames[i]);
}

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
	struct ls_object x = { .trace = a }, y = { .trace = b };
	char comm[TASK_COMM_LEN];
	unsigned long *fa, *fb;
	unsigned int na, nb, i;

	if (a == b)
		return 0;
	na = ls_trace_of(&x, &fa, comm);
	nb = ls_trace_of(&y, &fb, comm);
	if (na != nb)
		return na < nb ? -1 : 1;
	for (i = 0; i < na; i++)
		if (fa[i] != fb[i])
			return fa[i] < fb[i] ? -1 : 1;
	return 0;
}

/**
 * ls_trace_has - whether a backtrace passes through a function
 * @trace:	the depot handle (frames and comm)
 * @name:	the function's name
 *
 * Return: true if one of the frames is inside a function of that name.
 */
bool ls_trace_has(depot_stack_handle_t trace, const char *name)
{
	struct ls_object obj = { .trace = trace };
	char comm[TASK_COMM_LEN], sym[KSYM_NAME_LEN];
	unsigned long *frames;
	unsigned int nr, i;

	nr = ls_trace_of(&obj, &frames, comm);
	for (i = 0; i < nr; i++)
		if (!lookup_symbol_name(frames[i], sym) && !strcmp(sym, name))
			return true;
	return false;
}

/**
 * ls_print_group - print one record of leakscan/summary
 * @seq:	where to
 * @indirect:	whether the group's leaks are indirect
 * @bytes:	their total size
 * @count:	their number
 * @trace:	their allocation backtrace (with the comm)
 * @pid:	the example's allocating pid
 * @example:	the address of one of them
 * @size:	its size
 * @referrer:	its referrer (see ls_print_referrer())
 */
void ls_print_group(struct seq_file *seq, bool indirect, unsigned long bytes,
		    unsigned long count, depot_stack_handle_t trace, int pid,
		    unsigned long example, unsigned long size, unsigned long referrer)
{
	struct ls_object ex = { .referrer = referrer };
	struct ls_object obj = { .trace = trace };
	char comm[TASK_COMM_LEN];
	unsigned long *frames;
	unsigned int nr, i;

	nr = ls_trace_of(&obj, &frames, comm);
	seq_printf(seq, "%s leak of %lu bytes in %lu objects (comm \"%s\", pid %d)\n",
		   indirect ? "indirect" : "direct", bytes, count, comm, pid);
	for (i = 0; i < nr; i++)
		seq_printf(seq, "    %pS\n", (void *)frames[i]);
	seq_printf(seq, "  example: unreferenced object 0x%08lx (size %lu)\n", example, size);
	ls_print_referrer(seq, &ex);
	seq_putc(seq, '\n');
}

/* Allocator functions, skipped when naming where an object was allocated. */
static const char *const ls_allocator_prefixes[] = {
	"slab_", "kmem_cache_alloc", "__kmem_cache_alloc", "kmalloc", "__kmalloc",
	"___kmalloc", "kzalloc", "krealloc", "kvmalloc", "__kvmalloc", "vmalloc",
	"__vmalloc", "vzalloc", "pcpu_alloc", "__alloc_percpu", "kmemdup",
};

/* The first frame of @trace outside the allocators. */
static noinline unsigned long ls_alloc_site(depot_stack_handle_t trace)
{
	struct ls_object obj = { .trace = trace };
	char comm[TASK_COMM_LEN], sym[KSYM_NAME_LEN];
	unsigned long *frames;
	unsigned int nr, i, k;

	nr = ls_trace_of(&obj, &frames, comm);
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

/* Name what holds the word at @where, in @buf. */
static void ls_name_where(char *buf, size_t len, unsigned long where)
{
	unsigned long pcpu_size = __per_cpu_end - __per_cpu_start;
	struct task_struct *g, *t;
	struct ls_object *obj, snap;
	unsigned long base, off;
	struct page *page;
	bool found = false;
	int cpu;

	for_each_possible_cpu(cpu) {
		base = (unsigned long)per_cpu_ptr((void __percpu *)__per_cpu_start, cpu);
		if (where - base < pcpu_size) {
			snprintf(buf, len, "percpu %pS of cpu %d",
				 __per_cpu_start + (where - base), cpu);
			return;
		}
	}
	if (is_kernel(where) || is_module_address(where)) {
		snprintf(buf, len, "%pS", (void *)where);
		return;
	}
	page = ls_memmap_page(where, &off);
	if (page) {
		snprintf(buf, len, "the struct page of pfn 0x%lx, at +%lu (refcount %d)",
			 page_to_pfn(page), off, page_count(page));
		return;
	}
	raw_spin_lock_irq(&ls_lock);
	obj = ls_lookup(&ls_idx.virt, where);
	if (obj)
		snap = *obj;
	raw_spin_unlock_irq(&ls_lock);
	if (obj && !(snap.flags & LS_STACK)) {
		snprintf(buf, len, "object 0x%08lx+0x%lx (size %lu) allocated at %pS",
			 snap.start, where - snap.start, (unsigned long)snap.size,
			 (void *)ls_alloc_site(snap.trace));
		return;
	}
	rcu_read_lock();
	for_each_process_thread(g, t) {
		if (where - (unsigned long)task_stack_page(t) < THREAD_SIZE) {
			snprintf(buf, len, "stack of %s/%d", t->comm, task_pid_nr(t));
			found = true;
			break;
		}
	}
	rcu_read_unlock();
	if (!found && obj)
		snprintf(buf, len, "a task stack, its task gone");
	else if (!found)
		snprintf(buf, len, "memory at 0x%lx", where);
}

/**
 * ls_print_referrer - say when and where an object was last referenced
 * @seq:	where to, or NULL for the console
 * @obj:	a snapshot of the object
 */
void ls_print_referrer(struct seq_file *seq, const struct ls_object *obj)
{
	unsigned long where = ls_referrer_where(obj->referrer), when, next;
	char name[256];

	if (!where || !ls_scan_began(ls_referrer_seq(obj->referrer), &when, &next)) {
		ls_out(seq, "  never found referenced by a scan\n");
		return;
	}
	ls_name_where(name, sizeof(name), where);
	ls_out(seq, "  last referenced %lus ago from %s\n", (jiffies - when) / HZ, name);
	if (next)
		ls_out(seq, "  unreferenced since the scan %lus ago\n", (jiffies - next) / HZ);
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
 * @obj: a snapshot of the object
 */
void ls_dump_object(const struct ls_object *obj)
{
	char comm[TASK_COMM_LEN];
	unsigned long *frames;
	unsigned int nr;

	nr = ls_trace_of(obj, &frames, comm);
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
	ls_print_referrer(NULL, obj);
}
