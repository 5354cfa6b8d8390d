// SPDX-License-Identifier: GPL-2.0
/*
 * leakscan: the listed leaks grouped by allocation backtrace, for
 * leakscan/summary, and the suppressions that hide groups from it.
 *
 * A group is the leaks of one backtrace (and comm, which the trace
 * carries) and kind, direct or indirect; groups are ordered direct before
 * indirect, the largest first, as LeakSanitizer orders its report. A
 * suppression names a function: every group whose backtrace passes
 * through it is counted under the suppression instead of shown.
 * Suppressing changes nothing but the summary.
 */

#include <linux/ctype.h>
#include <linux/kallsyms.h>
#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "leakscan.h"

static DEFINE_MUTEX(ls_suppress_mutex);	/* the list below */
static char ls_suppress_names[LS_MAX_SUPPRESSIONS][LS_SUPPRESSION_LEN];
static int ls_nr_suppress;

static int ls_find_suppression(const char *name)
{
	int k;

	for (k = 0; k < ls_nr_suppress; k++)
		if (!strcmp(ls_suppress_names[k], name))
			return k;
	return -1;
}

/**
 * ls_suppress_command - a write to leakscan/suppressions
 * @buf: "suppress=<function>" or "unsuppress=<function>", NUL-terminated;
 *	 white space around the name is dropped (in place)
 *
 * Return: 0, or -EINVAL for anything else, a name that is not one line of
 * printable characters or is too long, a suppression past
 * LS_MAX_SUPPRESSIONS, or the unsuppression of a name not in the list.
 */
int ls_suppress_command(char *buf)
{
	bool add = str_has_prefix(buf, "suppress=");
	char *name;
	int k, ret = 0;

	if (!add && !str_has_prefix(buf, "unsuppress="))
		return -EINVAL;
	name = strim(strchr(buf, '=') + 1);
	if (!*name || strlen(name) >= LS_SUPPRESSION_LEN)
		return -EINVAL;
	for (k = 0; name[k]; k++)
		if (!isgraph(name[k]))
			return -EINVAL;
	mutex_lock(&ls_suppress_mutex);
	k = ls_find_suppression(name);
	if (add && k < 0) {
		if (ls_nr_suppress == LS_MAX_SUPPRESSIONS)
			ret = -EINVAL;
		else
			strscpy(ls_suppress_names[ls_nr_suppress++], name);
	} else if (!add) {
		if (k < 0) {
			ret = -EINVAL;
		} else {
			memmove(ls_suppress_names[k], ls_suppress_names[k + 1],
				(ls_nr_suppress - k - 1) * LS_SUPPRESSION_LEN);
			ls_nr_suppress--;
		}
	}
	mutex_unlock(&ls_suppress_mutex);
	return ret;
}

/**
 * ls_suppressions - copy the list of suppressions, all at once
 * @list: where to
 */
void ls_suppressions(struct ls_suppression_list *list)
{
	int k;

	mutex_lock(&ls_suppress_mutex);
	list->nr = ls_nr_suppress;
	for (k = 0; k < ls_nr_suppress; k++)
		strscpy(list->name[k], ls_suppress_names[k]);
	mutex_unlock(&ls_suppress_mutex);
}

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
	return x->example.start < y->example.start ? -1 :
	       x->example.start > y->example.start;
}

/*
 * The first suppression of @sum that @trace passes through, or -1. Each
 * frame's symbol is looked up once, whatever the number of suppressions.
 */
static int ls_suppressed(const struct ls_summary *sum, depot_stack_handle_t trace)
{
	char comm[TASK_COMM_LEN], sym[KSYM_NAME_LEN];
	unsigned long *frames;
	unsigned int nr, i;
	int k, first = -1;

	if (!sum->nr_suppressions)
		return -1;
	nr = ls_trace_frames(trace, &frames, comm);
	for (i = 0; i < nr; i++) {
		if (lookup_symbol_name(frames[i], sym))
			continue;
		for (k = 0; k < sum->nr_suppressions; k++)
			if (!strcmp(sym, sum->suppression[k].name) &&
			    (first < 0 || k < first))
				first = k;
	}
	return first;
}

/* One entry per listed leak, in @sum->groups; -ENOMEM if out of memory. */
static int ls_collect(struct ls_summary *sum)
{
	struct ls_cursor c = { };
	struct ls_snapshot snap;
	struct ls_group *g;
	size_t cap = 64;

	sum->groups = kvmalloc_array(cap, sizeof(*g), GFP_KERNEL);
	if (!sum->groups)
		return -ENOMEM;
	/* It holds addresses of leaks: a scan meanwhile must not read it. */
	kmemleak_ignore(sum->groups);
	for (; ls_results_seek(&c, LS_LISTED); c.addr++) {
		if (!ls_results_get(&c, LS_LISTED, &snap))
			continue;
		if (sum->nr == cap) {
			g = kvrealloc(sum->groups, cap * 2 * sizeof(*g), GFP_KERNEL);
			if (!g)
				return -ENOMEM;
			kmemleak_ignore(g);
			sum->groups = g;
			cap *= 2;
		}
		sum->groups[sum->nr++] = (struct ls_group){
			.trace = snap.obj.trace,
			.indirect = snap.obj.flags & LS_INDIRECT,
			.bytes = snap.obj.size,
			.count = 1,
			.example = snap.obj,
		};
		cond_resched();
	}
	return 0;
}

/**
 * ls_summarise - group the listed leaks
 * @sum: zeroed; set to the groups not suppressed, the totals and what each
 *	 suppression hid. Free with ls_summary_free(), whatever the result.
 *
 * Return: 0, or -ENOMEM.
 */
int ls_summarise(struct ls_summary *sum)
{
	size_t i, n;
	int ret, k;

	mutex_lock(&ls_suppress_mutex);
	sum->nr_suppressions = ls_nr_suppress;
	for (k = 0; k < ls_nr_suppress; k++)
		strscpy(sum->suppression[k].name, ls_suppress_names[k]);
	mutex_unlock(&ls_suppress_mutex);
	ret = ls_collect(sum);
	if (ret)
		return ret;
	sort(sum->groups, sum->nr, sizeof(*sum->groups), ls_group_by_trace, NULL);
	n = sum->nr;
	sum->nr = 0;
	for (i = 0; i < n; i++) {
		struct ls_group *e = &sum->groups[i];
		struct ls_group *g = sum->nr ? &sum->groups[sum->nr - 1] : NULL;

		if (g && g->trace == e->trace && g->indirect == e->indirect) {
			g->bytes += e->bytes;
			g->count++;
			if (e->example.start < g->example.start)
				g->example = e->example;
		} else {
			sum->groups[sum->nr++] = *e;
		}
	}
	/* Count each group under its suppression, or keep it. */
	n = sum->nr;
	sum->nr = 0;
	for (i = 0; i < n; i++) {
		struct ls_group *g = &sum->groups[i];

		k = ls_suppressed(sum, g->trace);
		if (k >= 0) {
			sum->suppression[k].count += g->count;
			sum->suppression[k].bytes += g->bytes;
			continue;
		}
		sum->bytes += g->bytes;
		sum->count += g->count;
		if (g->indirect)
			sum->indirect += g->count;
		else
			sum->direct += g->count;
		sum->groups[sum->nr++] = *g;
		cond_resched();
	}
	sort(sum->groups, sum->nr, sizeof(*sum->groups), ls_group_by_size, NULL);
	return 0;
}

/**
 * ls_summary_free - free what ls_summarise() allocated
 * @sum: the summary
 */
void ls_summary_free(struct ls_summary *sum)
{
	kvfree(sum->groups);
	sum->groups = NULL;
}
