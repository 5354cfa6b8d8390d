/* SPDX-License-Identifier: GPL-2.0 */
/*
 * leakscan's growth table: how many reachable objects each allocation site
 * holds at each scan, over the last LS_GROWTH_SCANS scans, and which sites
 * keep growing. A leak that stays referenced (a list that is only added
 * to, a reference never dropped) is invisible to the mark and sweep, but
 * its site's live objects rise scan after scan.
 *
 * A scan tallies each reachable object under its backtrace (and comm: the
 * trace handle) as the judging walk passes it (ls_tally_add()). Once the
 * scan is over, ls_growth_commit() folds the tallies into sites, the
 * backtraces without the comm, and records them in the table: the
 * LS_GROWTH_SITES sites with the most live objects, in order of handle.
 *
 * Pure logic, like index.c: no locking and no allocation, so that it is
 * unit-tested on the host (tools/testing/leakscan/). The caller serialises
 * the tally with the scan and the table with its readers.
 */
#ifndef MM_LEAKSCAN_GROWTH_H
#define MM_LEAKSCAN_GROWTH_H

#include "index.h"

/* Scans of history kept per site (K). */
#define LS_GROWTH_SCANS		8
/* Backtraces a scan tallies; more are counted as dropped. */
#define LS_GROWTH_TRACES_BITS	14
#define LS_GROWTH_TRACES	BIT(LS_GROWTH_TRACES_BITS)
/* Slots a backtrace may look at for its tally. */
#define LS_GROWTH_PROBES	16
/* Sites whose history is kept. */
#define LS_GROWTH_SITES		8192

/**
 * struct ls_tally - one backtrace's reachable objects in one scan
 * @trace:	the depot handle (frames and comm), or after
 *		ls_growth_commit() has folded it, the site's; 0: unused
 * @objects:	how many
 * @bytes:	their total size
 * @example:	the start of the youngest of them
 * @size:	its size, at most U32_MAX
 * @referrer:	its referrer (ls_referrer_pack())
 * @born:	its jiffies
 */
struct ls_tally {
	depot_stack_handle_t trace;
	u32 objects;
	u32 born;
	u32 size;
	unsigned long bytes;
	unsigned long example;
	unsigned long referrer;
};

/**
 * struct ls_site - one allocation site's history
 * @site:	the depot handle of its backtrace, without the comm
 * @first:	the number (ls_growth.scans) of the first scan that
 *		recorded it; it has history from there on
 * @objects:	its reachable objects at each scan, by scan number modulo
 *		LS_GROWTH_SCANS
 * @bytes:	their total size, likewise
 * @example:	the youngest of its objects at the last scan, 0 if none
 * @size:	that object's size
 * @referrer:	that object's referrer
 */
struct ls_site {
	depot_stack_handle_t site;
	u32 first;
	u32 objects[LS_GROWTH_SCANS];
	unsigned long bytes[LS_GROWTH_SCANS];
	unsigned long example;
	unsigned long size;
	unsigned long referrer;
};

/**
 * struct ls_growth - the tally of the scan in progress, and the table
 * @tally:	open-addressed by backtrace (ls_tally_add())
 * @tallied:	slots of @tally in use
 * @untallied:	reachable objects this scan could not tally: no slot free
 *		within LS_GROWTH_PROBES
 * @untraced:	reachable objects without a backtrace, or whose backtrace
 *		has no site (site_of() gave 0), not tallied
 * @sites:	the table, in order of site handle
 * @nr_sites:	entries of @sites in use
 * @counts:	scratch for choosing the largest sites
 * @scans:	scans recorded
 * @when:	jiffies of each of the last scans, by number modulo
 *		LS_GROWTH_SCANS
 * @dropped_sites: sites with reachable objects at the last scan that the
 *		table had no room for
 * @dropped_objects: their reachable objects
 * @dropped_untallied: @untallied, as of the last scan
 * @last_untraced: @untraced, as of the last scan
 */
struct ls_growth {
	struct ls_tally tally[LS_GROWTH_TRACES];
	u32 tallied;
	unsigned long untallied;
	unsigned long untraced;
	struct ls_site sites[LS_GROWTH_SITES];
	u32 nr_sites;
	u32 counts[LS_GROWTH_SITES + LS_GROWTH_TRACES];
	u32 scans;
	unsigned long when[LS_GROWTH_SCANS];
	unsigned long dropped_sites;
	unsigned long dropped_objects;
	unsigned long dropped_untallied;
	unsigned long last_untraced;
};

/**
 * struct ls_growing - a site that grows, as ls_growth_judge() finds it
 * @site:	the site's entry in the table
 * @objects:	its reachable objects now
 * @bytes:	their size
 * @delta:	how many more than @scans scans ago
 * @delta_bytes: and how many more bytes (negative if fewer)
 * @scans:	the window, in scans
 * @span:	the window, in jiffies
 */
struct ls_growing {
	const struct ls_site *site;
	unsigned long objects;
	unsigned long bytes;
	unsigned long delta;
	long delta_bytes;
	unsigned int scans;
	unsigned long span;
};

/*
 * Count @obj, reachable in the scan that is ending, under its backtrace.
 * At most LS_GROWTH_PROBES slots are looked at: O(1) under the index lock.
 */
static inline void ls_tally_add(struct ls_growth *g, const struct ls_object *obj)
{
	u32 h, i;
	struct ls_tally *t;

	if (!obj->trace) {
		g->untraced++;
		return;
	}
	h = hash_32(obj->trace, LS_GROWTH_TRACES_BITS);
	for (i = 0; i < LS_GROWTH_PROBES; i++) {
		t = &g->tally[(h + i) & (LS_GROWTH_TRACES - 1)];
		if (t->trace == obj->trace)
			break;
		if (!t->trace) {
			t->trace = obj->trace;
			g->tallied++;
			break;
		}
	}
	if (i == LS_GROWTH_PROBES) {
		g->untallied++;
		return;
	}
	t->objects++;
	t->bytes += obj->size;
	/* The youngest, the last walked of the same age. */
	if (!t->example || (s32)(obj->jiffies - t->born) >= 0) {
		t->example = obj->start;
		t->size = min_t(unsigned long, obj->size, U32_MAX);
		t->referrer = obj->referrer;
		t->born = obj->jiffies;
	}
}

void ls_growth_init(struct ls_growth *g);
void ls_growth_commit(struct ls_growth *g, unsigned long now,
		      depot_stack_handle_t (*site_of)(depot_stack_handle_t trace));
bool ls_growth_judge(const struct ls_growth *g, const struct ls_site *s,
		     unsigned int window, unsigned long min_objects,
		     struct ls_growing *out);
size_t ls_growth_list(const struct ls_growth *g, unsigned int window,
		      unsigned long min_objects, struct ls_growing *out);

#endif /* MM_LEAKSCAN_GROWTH_H */
