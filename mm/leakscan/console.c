// SPDX-License-Identifier: GPL-2.0
/*
 * leakscan: what a scan tells beyond the kmemleak file, when it finds new
 * leaks.
 *
 * With kmemleak.verbose, the new leaks go to the console as the stock
 * engine of 7.3 prints them (LS_STOCK_VERBOSE_GROUPS): one record per
 * backtrace (its frames, whatever the comm); a backtrace of several
 * leaks gets its first one's record without the hex dump, and a line
 * counting the others. Leaks without a backtrace get a record each. And
 * each new direct leak is an error_report_end event, for tools that watch
 * for reports. The scan calls in here through ls_scan_set_notify().
 */

#define pr_fmt(fmt) "kmemleak: " fmt

#include <kunit/visibility.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include <trace/events/error_report.h>

#include "internals.h"
#include "leakscan.h"

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
	struct ls_cursor at;
};

static int ls_new_leak_cmp(const void *a, const void *b)
{
	const struct ls_new_leak *x = a, *y = b;
	int ret = ls_trace_cmp(x->trace, y->trace);

	if (ret)
		return ret;
	if (x->at.tree != y->at.tree)
		return x->at.tree - y->at.tree;
	return x->at.addr < y->at.addr ? -1 : x->at.addr > y->at.addr;
}

/*
 * One console record for the @n new leaks of one backtrace in @leak[]: the
 * first still listed, and a line counting the others.
 */
static void ls_tell_group(const struct ls_new_leak *leak, size_t n,
			  struct ls_snapshot *snap)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ls_results_get(&leak[i].at, LS_LISTED, snap))
			break;
	if (i == n)
		return;
	ls_print_object(NULL, &snap->obj, n == 1 ? snap->head : NULL, snap->head_len);
	if (n > 1)
		ls_print_more(n - 1);
}

/* Called by the scan, under its mutex, when it reported @nr new leaks. */
static void ls_tell_new_leaks(unsigned long nr)
{
	bool verbose = READ_ONCE(ls_verbose);
	struct ls_new_leak *list = NULL;
	struct ls_cursor c = { };
	struct ls_snapshot snap;
	size_t n = 0, i, j;

	if (!verbose && !trace_error_report_end_enabled())
		return;
	/* It holds addresses of leaks, but no scan runs until it is freed. */
	if (verbose && LS_STOCK_VERBOSE_GROUPS)
		list = kvmalloc_array(nr, sizeof(*list), GFP_KERNEL | __GFP_NOWARN);
	for (; ls_results_seek(&c, LS_FRESH_LEAKS); c.addr++) {
		if (!ls_results_get(&c, LS_FRESH_LEAKS, &snap))
			continue;
		if (!(snap.obj.flags & LS_INDIRECT))
			trace_error_report_end(ERROR_DETECTOR_KMEMLEAK, snap.obj.start);
		if (verbose && snap.obj.trace && list && n < nr)
			list[n++] = (struct ls_new_leak){ snap.obj.trace, c };
		else if (verbose)
			ls_print_object(NULL, &snap.obj, snap.head, snap.head_len);
		cond_resched();
	}
	sort(list, n, sizeof(*list), ls_new_leak_cmp, NULL);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && !ls_trace_cmp(list[j].trace, list[i].trace); j++)
			;
		ls_tell_group(&list[i], j - i, &snap);
		cond_resched();
	}
	kvfree(list);
}

/**
 * ls_console_init - have each scan tell of its new leaks here
 */
void ls_console_init(void)
{
	ls_scan_set_notify(ls_tell_new_leaks);
}
