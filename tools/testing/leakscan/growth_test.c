// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of mm/leakscan/growth.c: the tally, folding backtraces
 * into sites, the window and its rollover, the judgement, the table's
 * overflow and expiry, and the order of the list.
 *
 * A "backtrace" here is a number whose low 16 bits are its site and whose
 * high bits stand for the comm: site_of() drops them, as the kernel's
 * drops the comm from the depot entry.
 */
#include "index_internal.h"
#include "../../../mm/leakscan/growth.c"

#include <stdlib.h>

#include "test.h"

static struct ls_growth *g;
static unsigned long now_jiffies;
static unsigned long next_start = 0x1000;

static depot_stack_handle_t site_of(depot_stack_handle_t trace)
{
	return trace & 0xffff;
}

/*
 * Tally @n reachable objects of @size from @trace, born at @born. Return
 * the start of the last one.
 */
static unsigned long add(depot_stack_handle_t trace, u32 n, unsigned long size, u32 born)
{
	struct ls_object obj = { };
	u32 i;

	for (i = 0; i < n; i++) {
		obj.start = next_start;
		next_start += 0x100;
		obj.size = size;
		obj.trace = trace;
		obj.jiffies = born;
		obj.referrer = obj.start ^ 0xff;
		ls_tally_add(g, &obj);
	}
	return obj.start;
}

static void commit(void)
{
	now_jiffies += 250;
	ls_growth_commit(g, now_jiffies, site_of);
}

static const struct ls_site *find(depot_stack_handle_t site)
{
	u32 i;

	for (i = 0; i < g->nr_sites; i++)
		if (g->sites[i].site == site)
			return &g->sites[i];
	return NULL;
}

/* Whether @site, which must be in the table, grows. */
static bool grows(depot_stack_handle_t site, unsigned int window,
		  unsigned long min, struct ls_growing *out)
{
	const struct ls_site *s = find(site);
	struct ls_growing dummy;

	EXPECT(s);
	return s && ls_growth_judge(g, s, window, min, out ? out : &dummy);
}

static void reset(void)
{
	ls_growth_init(g);
	now_jiffies = 0;
}

/* Whether the table is in order of handle, without duplicates. */
static bool sorted(void)
{
	u32 i;

	for (i = 1; i < g->nr_sites; i++)
		if (g->sites[i - 1].site >= g->sites[i].site)
			return false;
	return true;
}

static void test_growing_site_flagged(void)
{
	static const u32 live[] = { 10, 20, 30, 40, 50 };
	struct ls_growing out;
	unsigned int i;

	reset();
	for (i = 0; i < 5; i++) {
		add(7, live[i], 64, i);
		add(9, 30, 32, i);		/* flat */
		commit();
	}
	EXPECT(grows(7, 4, 16, &out));
	EXPECT(out.objects == 50);
	EXPECT(out.bytes == 50 * 64);
	EXPECT(out.delta == 40);
	EXPECT(out.delta_bytes == 40 * 64);
	EXPECT(out.scans == 4);
	EXPECT(out.span == 4 * 250);
	EXPECT(!grows(9, 4, 16, NULL));
	/* Not by more than it rose, nor over more scans than it has. */
	EXPECT(!grows(7, 4, 41, NULL));
	EXPECT(grows(7, 4, 40, NULL));
	EXPECT(!grows(7, 5, 1, NULL));
	EXPECT(grows(7, 1, 10, NULL));
}

static void test_bounded_cache_not_flagged(void)
{
	/* Grows to 100 and stays, as an LRU cache does. */
	static const u32 live[] = { 40, 80, 100, 100, 100, 100 };
	unsigned int i;

	reset();
	for (i = 0; i < 6; i++) {
		add(3, live[i], 128, i);
		commit();
		if (i == 2)
			EXPECT(grows(3, 2, 16, NULL));
	}
	EXPECT(!grows(3, 4, 16, NULL));
	EXPECT(!grows(3, 1, 1, NULL));
}

static void test_one_flat_step_breaks_the_run(void)
{
	static const u32 live[] = { 10, 30, 50, 50, 70, 90 };
	unsigned int i;

	reset();
	for (i = 0; i < 6; i++) {
		add(5, live[i], 16, i);
		commit();
	}
	EXPECT(!grows(5, 4, 1, NULL));
	EXPECT(grows(5, 2, 1, NULL));
}

static void test_freed_and_reallocated(void)
{
	unsigned int i;

	/* The same number each scan, new objects every time. */
	reset();
	for (i = 0; i < 8; i++) {
		add(11, 25, 64, i);
		commit();
	}
	EXPECT(find(11) && find(11)->objects[LS_COL(g->scans - 1)] == 25);
	EXPECT(!grows(11, 4, 1, NULL));

	/* All freed, then allocated again and more: the zero is history. */
	reset();
	add(11, 10, 64, 0);
	commit();
	commit();
	add(11, 20, 64, 2);
	commit();
	add(11, 30, 64, 3);
	commit();
	add(11, 40, 64, 4);
	commit();
	EXPECT(find(11) && find(11)->objects[LS_COL(g->scans - 4)] == 0);
	EXPECT(grows(11, 3, 1, NULL));
	EXPECT(!grows(11, 4, 1, NULL));
}

static void test_comm_folded_into_site(void)
{
	struct ls_growing out;
	const struct ls_site *s;
	unsigned long youngest = 0;
	unsigned int i;

	reset();
	for (i = 0; i < 5; i++) {
		/* One site, three comms. */
		add(0x20021, 5 * i + 1, 64, 50);
		youngest = add(0x10021, 5 * i, 64, 100 + i);
		add(0x30021, 2, 64, 10);
		commit();
	}
	EXPECT(g->nr_sites == 1);
	s = find(0x21);
	EXPECT(s && s->objects[LS_COL(g->scans - 1)] == 20 + 21 + 2);
	EXPECT(grows(0x21, 4, 40, &out) && out.delta == 40);
	/* The example is the youngest of all three comms' objects. */
	EXPECT(s && s->example == youngest && s->referrer == (youngest ^ 0xff));
	EXPECT(s && s->size == 64);
}

static void test_example_is_youngest(void)
{
	struct ls_object obj = { .trace = 0x44, .size = 32 };
	const struct ls_site *s;

	reset();
	obj.start = 0x5000;
	obj.jiffies = 900;
	obj.referrer = 0xabc0;
	ls_tally_add(g, &obj);
	obj.start = 0x6000;
	obj.jiffies = 1000;
	obj.referrer = 0xdef0;
	ls_tally_add(g, &obj);
	obj.start = 0x7000;
	obj.jiffies = 950;
	ls_tally_add(g, &obj);
	commit();
	s = find(0x44);
	EXPECT(s && s->example == 0x6000 && s->referrer == 0xdef0);
	/* Gone: no example, no objects. */
	commit();
	s = find(0x44);
	EXPECT(s && !s->example && !s->objects[LS_COL(g->scans - 1)]);
}

static void test_window_rollover(void)
{
	unsigned int i;
	u32 live = 10;

	/*
	 * Twenty scans, more than the table keeps: it rises only in scans
	 * 10 to 14, is flat before and after.
	 */
	reset();
	for (i = 0; i < 20; i++) {
		if (i >= 10 && i <= 14)
			live += 10;
		add(2, live, 8, i);
		commit();
		if (i == 14)
			EXPECT(grows(2, 4, 40, NULL));
		if (i == 15)
			EXPECT(!grows(2, 4, 1, NULL) && grows(2, 3, 1, NULL) == false);
	}
	EXPECT(g->scans == 20);
	EXPECT(!grows(2, 4, 1, NULL));
	/* A window as long as the history kept, or longer, is refused. */
	EXPECT(!grows(2, LS_GROWTH_SCANS, 1, NULL));
	EXPECT(!grows(2, 0, 1, NULL));
	/* The columns hold the last eight scans. */
	EXPECT(find(2)->objects[LS_COL(19)] == 60 && find(2)->objects[LS_COL(12)] == 40);
	EXPECT(g->when[LS_COL(19)] == 20 * 250);
}

static void test_late_site_needs_history(void)
{
	unsigned int i;

	reset();
	for (i = 0; i < 10; i++) {
		if (i >= 6)
			add(12, 10 * (i - 5), 8, i);
		commit();
	}
	/* Present in 4 scans (6..9): 3 rises, not 4. */
	EXPECT(!grows(12, 4, 1, NULL));
	EXPECT(grows(12, 3, 30, NULL));
}

static void test_site_expires(void)
{
	unsigned int i;

	reset();
	add(13, 5, 8, 0);
	add(14, 5, 8, 0);
	commit();
	for (i = 0; i < LS_GROWTH_SCANS - 1; i++) {
		add(14, 5, 8, 0);
		commit();
	}
	/* Absent for K-1 scans: its first is still in the window. */
	EXPECT(find(13) && find(14));
	add(14, 5, 8, 0);
	commit();
	EXPECT(!find(13) && find(14));
	EXPECT(g->dropped_sites == 0);
	EXPECT(sorted());
}

static void test_untraced(void)
{
	struct ls_object obj = { .start = 0x100, .size = 8 };

	reset();
	ls_tally_add(g, &obj);			/* no trace */
	add(0x70000, 3, 8, 0);			/* a trace whose site is 0 */
	add(15, 2, 8, 0);
	commit();
	EXPECT(g->last_untraced == 4);
	EXPECT(g->nr_sites == 1 && find(15));
}

static void test_table_overflow(void)
{
	u32 i, n = LS_GROWTH_SITES + 100;
	unsigned long dropped = 0;

	/* Site i has i + 1 objects: the 100 smallest do not fit. */
	reset();
	for (i = 0; i < n; i++)
		add(i + 1, i + 1, 8, 0);
	EXPECT(g->untallied == 0);
	commit();
	for (i = 0; i < 100; i++)
		dropped += i + 1;
	EXPECT(g->nr_sites == LS_GROWTH_SITES);
	EXPECT(g->dropped_sites == 100);
	EXPECT(g->dropped_objects == dropped);
	EXPECT(!find(100) && find(101) && find(n));
	EXPECT(sorted());

	/*
	 * Next scan: one new site as big as the smallest kept. The sites
	 * already there win the tie, and nothing is lost from them.
	 */
	for (i = 100; i < n; i++)
		add(i + 1, i + 1, 8, 1);
	add(0xfff0, 101, 8, 1);
	commit();
	EXPECT(g->nr_sites == LS_GROWTH_SITES);
	EXPECT(g->dropped_sites == 1 && g->dropped_objects == 101);
	EXPECT(find(101) && !find(0xfff0));
	EXPECT(sorted());

	/* A bigger newcomer pushes out the smallest. */
	for (i = 100; i < n; i++)
		add(i + 1, i + 1, 8, 2);
	add(0xfff0, 5000, 8, 2);
	commit();
	EXPECT(find(0xfff0) && !find(101) && find(102));
	EXPECT(g->dropped_sites == 1 && g->dropped_objects == 101);
	EXPECT(find(0xfff0)->first == 2);
	EXPECT(sorted());
}

static void test_tally_overflow(void)
{
	u32 i;

	/* More backtraces than the tally has slots. */
	reset();
	for (i = 0; i < LS_GROWTH_TRACES + 500; i++)
		add(i + 1, 1, 8, 0);
	EXPECT(g->untallied >= 500);
	EXPECT(g->tallied + g->untallied == LS_GROWTH_TRACES + 500);
	commit();
	EXPECT(g->dropped_untallied >= 500 && g->untallied == 0);
	EXPECT(g->tallied == 0);
	EXPECT(g->nr_sites == LS_GROWTH_SITES);
	/* Every tally slot is clear for the next scan. */
	for (i = 0; i < LS_GROWTH_TRACES; i++)
		if (g->tally[i].trace || g->tally[i].objects)
			break;
	EXPECT(i == LS_GROWTH_TRACES);
}

static void test_list_fastest_first(void)
{
	static struct ls_growing out[LS_GROWTH_SITES];
	unsigned int i;
	size_t n;

	reset();
	for (i = 0; i < 5; i++) {
		add(20, 10 + 5 * i, 8, i);	/* +20 */
		add(21, 10 + 30 * i, 8, i);	/* +120 */
		add(22, 100 + 5 * i, 8, i);	/* +20, more objects */
		add(23, 50, 8, i);		/* flat */
		commit();
	}
	n = ls_growth_list(g, 4, 16, out);
	EXPECT(n == 3);
	EXPECT(out[0].site->site == 21 && out[0].delta == 120);
	EXPECT(out[1].site->site == 22 && out[2].site->site == 20);
	EXPECT(ls_growth_list(g, 4, 121, out) == 0);
	EXPECT(ls_growth_list(g, 4, 120, out) == 1 && out[0].site->site == 21);
}

static void test_new_sites_between_old(void)
{
	static const depot_stack_handle_t old[] = { 10, 30, 50 };
	static const depot_stack_handle_t young[] = { 5, 20, 40, 60 };
	const struct ls_site *s;
	unsigned int i, k;

	reset();
	for (k = 0; k < 3; k++) {
		for (i = 0; i < 3; i++)
			add(old[i], old[i] + k, 8, k);
		commit();
	}
	/* New sites below, between and above the old ones. */
	for (i = 0; i < 3; i++)
		add(old[i], old[i] + 3, 8, 3);
	for (i = 0; i < 4; i++)
		add(young[i], young[i], 16, 3);
	commit();
	EXPECT(g->nr_sites == 7 && sorted());
	for (i = 0; i < 3; i++) {
		s = find(old[i]);
		EXPECT(s && s->first == 0);
		for (k = 0; s && k < 4; k++)
			EXPECT(s->objects[LS_COL(k)] == old[i] + k &&
			       s->bytes[LS_COL(k)] == 8 * (old[i] + k));
	}
	for (i = 0; i < 4; i++) {
		s = find(young[i]);
		EXPECT(s && s->first == 3);
		EXPECT(s && s->objects[LS_COL(3)] == young[i] &&
		       s->bytes[LS_COL(3)] == 16 * young[i]);
		/* Nothing from before it: the other columns are clear. */
		for (k = 0; s && k < LS_GROWTH_SCANS; k++)
			if (k != LS_COL(3))
				EXPECT(!s->objects[k] && !s->bytes[k]);
	}
	EXPECT(grows(10, 3, 3, NULL) && !grows(5, 1, 1, NULL));
}

static void test_scan_count_wraps(void)
{
	unsigned int i;

	/* The scan number wraps past U32_MAX in the middle of the window. */
	reset();
	g->scans = U32_MAX - 2;
	for (i = 0; i < 6; i++) {
		add(8, 10 * (i + 1), 8, i);
		commit();
	}
	EXPECT(g->scans == 3);
	EXPECT(grows(8, 4, 40, NULL));
	EXPECT(grows(8, 5, 50, NULL));
	EXPECT(!grows(8, 6, 1, NULL));
	EXPECT(find(8)->first == U32_MAX - 2);
}

static void test_ties_split(void)
{
	u32 i;
	unsigned long kept = 0;

	/*
	 * A full table of sites with 1 object, then 1000 new ones with 1 as
	 * well and 10 with 2: the 10 get in, and of the ties the old sites
	 * keep their places first.
	 */
	reset();
	for (i = 0; i < LS_GROWTH_SITES; i++)
		add(2 * i + 2, 1, 8, 0);
	commit();
	for (i = 0; i < LS_GROWTH_SITES; i++)
		add(2 * i + 2, 1, 8, 1);
	for (i = 0; i < 1000; i++)
		add(2 * i + 1, 1, 8, 1);
	for (i = 0; i < 10; i++)
		add(0x8000 + i, 2, 8, 1);
	commit();
	EXPECT(g->nr_sites == LS_GROWTH_SITES && sorted());
	for (i = 0; i < 10; i++)
		EXPECT(find(0x8000 + i));
	for (i = 0; i < LS_GROWTH_SITES; i++) {
		kept += !!find(2 * i + 2);
		EXPECT(!find(2 * i + 1));
	}
	EXPECT(kept == LS_GROWTH_SITES - 10);
	/* The old ones that left are the highest handles: merge order. */
	EXPECT(find(2) && !find(2 * LS_GROWTH_SITES));
	EXPECT(g->dropped_untallied == 0);
	EXPECT(g->dropped_sites == 1000 + 10);
	EXPECT(g->dropped_objects == 1000 + 10);
}

int main(void)
{
	g = calloc(1, sizeof(*g));
	if (!g)
		return 1;
	RUN(test_growing_site_flagged);
	RUN(test_bounded_cache_not_flagged);
	RUN(test_one_flat_step_breaks_the_run);
	RUN(test_freed_and_reallocated);
	RUN(test_comm_folded_into_site);
	RUN(test_example_is_youngest);
	RUN(test_window_rollover);
	RUN(test_late_site_needs_history);
	RUN(test_site_expires);
	RUN(test_untraced);
	RUN(test_table_overflow);
	RUN(test_tally_overflow);
	RUN(test_list_fastest_first);
	RUN(test_new_sites_between_old);
	RUN(test_scan_count_wraps);
	RUN(test_ties_split);
	free(g);
	return TEST_SUMMARY();
}
