// SPDX-License-Identifier: GPL-2.0
/*
 * leakscan: the growth table (see growth.h), folded in after each scan and
 * judged when read.
 *
 * The table is kept in order of site handle, and so is the scan's folded
 * tally, so that recording a scan is one merge of two sorted arrays, in
 * place: O(T log T + S) for T backtraces and S sites, without allocating.
 * When the table cannot hold every site, those with the most reachable
 * objects now stay; a tie goes to a site already in it.
 */

#include "growth.h"

#define LS_COL(n)	((n) % LS_GROWTH_SCANS)

void ls_growth_init(struct ls_growth *g)
{
	memset(g, 0, sizeof(*g));
}

static int ls_tally_by_site(const void *a, const void *b)
{
	const struct ls_tally *x = a, *y = b;

	return x->trace < y->trace ? -1 : x->trace > y->trace;
}

static int ls_count_desc(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x > y ? -1 : x < y;
}

/* Add @from's objects to @to's, keeping the younger example. */
static void ls_tally_merge(struct ls_tally *to, const struct ls_tally *from)
{
	to->objects += from->objects;
	to->bytes += from->bytes;
	if ((s32)(from->born - to->born) > 0) {
		to->example = from->example;
		to->size = from->size;
		to->referrer = from->referrer;
		to->born = from->born;
	}
}

/*
 * Turn the tally's backtraces into sites, gathered at the front of the
 * tally in order of site handle, one entry each; clear the rest. Return
 * how many sites.
 */
static u32 ls_fold(struct ls_growth *g,
		   depot_stack_handle_t (*site_of)(depot_stack_handle_t trace))
{
	struct ls_tally *t = g->tally;
	u32 i, n = 0, m = 0;

	for (i = 0; i < LS_GROWTH_TRACES; i++) {
		if (!t[i].trace)
			continue;
		t[i].trace = site_of(t[i].trace);
		if (!t[i].trace) {
			g->untraced += t[i].objects;
			continue;
		}
		t[n++] = t[i];
	}
	sort(t, n, sizeof(*t), ls_tally_by_site, NULL);
	for (i = 0; i < n; i++) {
		if (m && t[m - 1].trace == t[i].trace)
			ls_tally_merge(&t[m - 1], &t[i]);
		else
			t[m++] = t[i];
	}
	memset(&t[m], 0, (LS_GROWTH_TRACES - m) * sizeof(*t));
	return m;
}

/* Record @t (NULL: none) as @s's entry for the scan in column @c. */
static void ls_site_set(struct ls_site *s, unsigned int c, const struct ls_tally *t)
{
	s->objects[c] = t ? t->objects : 0;
	s->bytes[c] = t ? t->bytes : 0;
	s->example = t ? t->example : 0;
	s->size = t ? t->size : 0;
	s->referrer = t ? t->referrer : 0;
}

/* Whether @s had no reachable object in any scan of its history. */
static bool ls_site_empty(const struct ls_growth *g, const struct ls_site *s)
{
	u32 d, age = g->scans - s->first;

	for (d = 0; d < LS_GROWTH_SCANS && d <= age; d++)
		if (s->objects[LS_COL(g->scans - d)])
			return false;
	return true;
}

/*
 * Whether an entry with @objects reachable objects now keeps its place,
 * when there are more than LS_GROWTH_SITES: those above @thr do, and as
 * many of those at @thr as @ties allows.
 */
static bool ls_keep(u32 objects, u32 thr, u32 *ties)
{
	if (objects > thr)
		return true;
	if (objects < thr || !*ties)
		return false;
	--*ties;
	return true;
}

/**
 * ls_growth_commit - record the scan whose tally is done
 * @g:		the table
 * @now:	jiffies at the start of the scan
 * @site_of:	the site of a backtrace: its frames' depot handle, without
 *		the comm; 0 if it has none
 *
 * Afterwards the tally is empty, ready for the next scan.
 */
void ls_growth_commit(struct ls_growth *g, unsigned long now,
		      depot_stack_handle_t (*site_of)(depot_stack_handle_t trace))
{
	struct ls_site *h = g->sites;
	struct ls_tally *t = g->tally;
	unsigned int c = LS_COL(g->scans);
	u32 nt, i, j, n_old, n_new, u = 0, thr = 0, ties = 0;
	long w, from_old, from_new;
	bool full;

	nt = ls_fold(g, site_of);

	/*
	 * Sites in both: record the scan, and mark the tally's entry taken
	 * (objects 0; a folded entry has at least one). Sites only in the
	 * table had no reachable object.
	 */
	for (i = 0, j = 0; i < g->nr_sites; i++) {
		while (j < nt && t[j].trace < h[i].site)
			j++;
		if (j < nt && t[j].trace == h[i].site) {
			ls_site_set(&h[i], c, &t[j]);
			t[j].objects = 0;
		} else {
			ls_site_set(&h[i], c, NULL);
		}
	}

	/* Which to keep, if not all fit: a threshold on the objects now. */
	for (i = 0; i < g->nr_sites; i++)
		if (!ls_site_empty(g, &h[i]))
			g->counts[u++] = h[i].objects[c];
	for (j = 0; j < nt; j++)
		if (t[j].objects)
			g->counts[u++] = t[j].objects;
	full = u > LS_GROWTH_SITES;
	if (full) {
		sort(g->counts, u, sizeof(g->counts[0]), ls_count_desc, NULL);
		thr = g->counts[LS_GROWTH_SITES - 1];
		for (i = 0; g->counts[i] > thr; i++)
			;
		ties = LS_GROWTH_SITES - i;
	}
	g->dropped_sites = 0;
	g->dropped_objects = 0;

	/*
	 * The table's entries that stay, to its front. Those with no object
	 * in their whole history go quietly, and so do those with none now
	 * that lose their place: only their history is lost.
	 */
	for (i = 0, n_old = 0; i < g->nr_sites; i++) {
		if (ls_site_empty(g, &h[i]))
			continue;
		if (full && !ls_keep(h[i].objects[c], thr, &ties)) {
			g->dropped_sites += !!h[i].objects[c];
			g->dropped_objects += h[i].objects[c];
			continue;
		}
		if (n_old != i)
			h[n_old] = h[i];
		n_old++;
	}
	/* The new sites that get in, to the tally's front. */
	for (j = 0, n_new = 0; j < nt; j++) {
		if (!t[j].objects)
			continue;
		if (full && !ls_keep(t[j].objects, thr, &ties)) {
			g->dropped_sites++;
			g->dropped_objects += t[j].objects;
			continue;
		}
		t[n_new++] = t[j];
	}

	/*
	 * Merge them in from the back: the slot written is always past the
	 * old entries not yet moved, so none is overwritten unread.
	 */
	from_old = (long)n_old - 1;
	from_new = (long)n_new - 1;
	for (w = (long)n_old + n_new - 1; from_new >= 0; w--) {
		if (from_old >= 0 && h[from_old].site > t[from_new].trace) {
			h[w] = h[from_old--];
			continue;
		}
		memset(&h[w], 0, sizeof(h[w]));
		h[w].site = t[from_new].trace;
		h[w].first = g->scans;
		ls_site_set(&h[w], c, &t[from_new]);
		from_new--;
	}
	g->nr_sites = n_old + n_new;

	memset(t, 0, nt * sizeof(*t));
	g->tallied = 0;
	g->dropped_untallied = g->untallied;
	g->untallied = 0;
	g->last_untraced = g->untraced;
	g->untraced = 0;
	g->when[c] = now;
	g->scans++;
}

/**
 * ls_growth_judge - whether a site grows
 * @g:		the table
 * @s:		one of its sites
 * @window:	over how many of the last scans, at most LS_GROWTH_SCANS - 1
 * @min_objects: by how many objects at least, in all
 * @out:	set to the figures, if it does
 *
 * A site grows when its reachable objects rose at each of the last
 * @window scans, from the scan before them, and by @min_objects at least.
 *
 * Return: true if it does.
 */
bool ls_growth_judge(const struct ls_growth *g, const struct ls_site *s,
		     unsigned int window, unsigned long min_objects,
		     struct ls_growing *out)
{
	u32 last = g->scans - 1, k;
	unsigned int now, then;

	if (!window || window >= LS_GROWTH_SCANS || last - s->first < window)
		return false;
	for (k = last - window; k != last; k++)
		if (s->objects[LS_COL(k + 1)] <= s->objects[LS_COL(k)])
			return false;
	now = LS_COL(last);
	then = LS_COL(last - window);
	if (s->objects[now] - s->objects[then] < max(min_objects, 1UL))
		return false;
	*out = (struct ls_growing){
		.site = s,
		.objects = s->objects[now],
		.bytes = s->bytes[now],
		.delta = s->objects[now] - s->objects[then],
		.delta_bytes = (long)(s->bytes[now] - s->bytes[then]),
		.scans = window,
		.span = g->when[now] - g->when[then],
	};
	return true;
}

/* Fastest growing first; then the most objects; then by handle. */
static int ls_growing_cmp(const void *a, const void *b)
{
	const struct ls_growing *x = a, *y = b;

	if (x->delta != y->delta)
		return x->delta > y->delta ? -1 : 1;
	if (x->objects != y->objects)
		return x->objects > y->objects ? -1 : 1;
	return x->site->site < y->site->site ? -1 : x->site->site > y->site->site;
}

/**
 * ls_growth_list - the sites that grow, fastest first
 * @g:		the table
 * @window:	as for ls_growth_judge()
 * @min_objects: likewise
 * @out:	set to them: room for LS_GROWTH_SITES
 *
 * Return: how many sites grow.
 */
size_t ls_growth_list(const struct ls_growth *g, unsigned int window,
		      unsigned long min_objects, struct ls_growing *out)
{
	size_t n = 0;
	u32 i;

	for (i = 0; i < g->nr_sites; i++)
		n += ls_growth_judge(g, &g->sites[i], window, min_objects, &out[n]);
	sort(out, n, sizeof(*out), ls_growing_cmp, NULL);
	return n;
}
