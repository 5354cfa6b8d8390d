// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the leakscan engine, through the kmemleak_*() hooks the
 * allocators call. Each test leaks or keeps real objects, runs a real scan
 * and checks the report text: the record as the debugfs file prints it,
 * and what goes to the console, captured through the console tracepoint.
 *
 * The scan is conservative: a test's own stack must not hold the pointers
 * it expects to be leaked, so allocations happen in noinline helpers that
 * return the address inverted, and the dead stack is scrubbed before each
 * scan.
 */

#include <kunit/test.h>
#include <linux/ctype.h>
#include <linux/kmemleak.h>
#include <linux/percpu.h>
#include <linux/seq_buf.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>
#include <linux/vmalloc.h>
#include <trace/events/error_report.h>
#include <trace/events/printk.h>

#include "internals.h"
#include "leakscan.h"

/* ------------------------------------------------------ Console capture */

/*
 * What leakscan printed, one line per printk() and each ended with a
 * newline, as the console tracepoint passes it on (KFENCE's tests capture
 * their reports the same way): synchronously, from the printk() call.
 */
static struct {
	spinlock_t lock;	/* protects text and len */
	char text[16384];
	size_t len;
} observed = { .lock = __SPIN_LOCK_UNLOCKED(observed.lock) };

static void probe_console(void *ignore, const char *buf, size_t len)
{
	unsigned long flags;

	if (!strnstr(buf, "kmemleak: ", len))
		return;
	spin_lock_irqsave(&observed.lock, flags);
	/* Room for the line, its newline and the NUL; what is past it is lost. */
	if (observed.len + 2 <= sizeof(observed.text)) {
		len = min(len, sizeof(observed.text) - 2 - observed.len);
		memcpy(observed.text + observed.len, buf, len);
		observed.len += len;
		observed.text[observed.len++] = '\n';
		observed.text[observed.len] = '\0';
	}
	spin_unlock_irqrestore(&observed.lock, flags);
}

static bool console_saw(const char *needle)
{
	bool seen;

	spin_lock_irq(&observed.lock);
	seen = strstr(observed.text, needle);
	spin_unlock_irq(&observed.lock);
	return seen;
}

/*
 * Whether the console showed a line with @before, a number of seconds below
 * a minute, then @after: "last referenced <t>s ago from ...". A slow
 * kernel (KASAN, lockdep, an emulator) takes more than a second a scan.
 */
static bool console_saw_seconds(const char *before, const char *after)
{
	const char *p, *end;
	unsigned long secs;
	bool seen = false;

	spin_lock_irq(&observed.lock);
	for (p = observed.text; !seen && (p = strstr(p, before)); p = end) {
		p += strlen(before);
		for (end = p, secs = 0; isdigit(*end); end++)
			secs = secs * 10 + *end - '0';
		seen = end > p && secs < 60 && !strncmp(end, after, strlen(after));
	}
	spin_unlock_irq(&observed.lock);
	return seen;
}

/* ---------------------------------------------------------- Helpers */

static char record[4096];
static u32 saved_min_age;
static unsigned int saved_min_unref;
static bool saved_verbose;

static noinline void scrub_stack(int depth)
{
	char buf[512];

	memset(buf, 0, sizeof(buf));
	barrier_data(buf);
	if (depth > 1)
		scrub_stack(depth - 1);
}

/* Two scans, so that unreferenced objects are reported now. */
static long scan_twice(void)
{
	long a, b;

	scrub_stack(8);
	a = ls_scan();
	scrub_stack(8);
	b = ls_scan();
	return a < 0 || b < 0 ? -1 : a + b;
}

static noinline unsigned long leak_kmalloc(size_t size, const char *tag)
{
	char *p = kmalloc(size, GFP_KERNEL);

	if (!p)
		return 0;
	memset(p, 0, size);
	strscpy(p, tag, size);
	return ~(unsigned long)p;
}

/*
 * Not inlined, and with a barrier, so that the compiler cannot compute the
 * address early and keep it in a callee-saved register across a scan.
 */
static noinline void *unhide(unsigned long v)
{
	barrier();
	return (void *)~v;
}

static void *kept;		/* a root */

static int leakscan_test_init(struct kunit *test)
{
	if (!ls_is_enabled())
		kunit_skip(test, "leakscan is off");
	saved_min_age = READ_ONCE(ls_min_age);
	saved_min_unref = READ_ONCE(ls_min_unref_scans);
	saved_verbose = READ_ONCE(ls_verbose);
	/* Two scans report a leak: whatever the command line or Kconfig set. */
	WRITE_ONCE(ls_min_age, 0);
	WRITE_ONCE(ls_min_unref_scans, 1);
	WRITE_ONCE(ls_verbose, false);
	spin_lock_irq(&observed.lock);
	observed.len = 0;
	observed.text[0] = '\0';
	spin_unlock_irq(&observed.lock);
	return 0;
}

static void leakscan_test_exit(struct kunit *test)
{
	WRITE_ONCE(ls_verbose, saved_verbose);
	WRITE_ONCE(ls_min_age, saved_min_age);
	WRITE_ONCE(ls_min_unref_scans, saved_min_unref);
}

static int leakscan_suite_init(struct kunit_suite *suite)
{
	return register_trace_console(probe_console, NULL);
}

static void leakscan_suite_exit(struct kunit_suite *suite)
{
	unregister_trace_console(probe_console, NULL);
	tracepoint_synchronize_unregister();
}

/*
 * Whether the object starting at @addr is listed as a leak, found as the
 * debugfs file finds its records; if so and @snap, a copy of it.
 */
static bool listed_as(unsigned long addr, struct ls_snapshot *snap)
{
	struct ls_snapshot copy;
	struct ls_cursor c;
	int t;

	for (t = 0; t < LS_RESULT_TREES; t++) {
		c = (struct ls_cursor){ .tree = t, .addr = addr };
		if (ls_results_get(&c, LS_LISTED, snap ?: &copy))
			return true;
	}
	return false;
}

static bool listed(unsigned long addr)
{
	return listed_as(addr, NULL);
}

/*
 * Whether @addr is listed; if so, its record in record[], printed by the
 * printer and into the kind of buffer that the debugfs file uses.
 */
static bool record_of(unsigned long addr)
{
	struct ls_snapshot snap;
	struct seq_buf sb;

	record[0] = '\0';
	if (!listed_as(addr, &snap))
		return false;
	seq_buf_init(&sb, record, sizeof(record));
	ls_print_object(&sb, &snap.obj, snap.head, snap.head_len);
	seq_buf_str(&sb);
	return !seq_buf_has_overflowed(&sb);
}

/* Whether an object starts at @addr (virtual), and its size. */
static bool tracked(unsigned long addr, unsigned long *size)
{
	struct ls_object found[3];
	int i, n = ls_results_find(addr, found, ARRAY_SIZE(found));

	for (i = 0; i < n; i++) {
		if (found[i].start == addr && !(found[i].flags & (LS_PHYS | LS_PERCPU))) {
			*size = found[i].size;
			return true;
		}
	}
	return false;
}

/* The scan areas registered, from leakscan/stats. */
static unsigned long scan_areas(void)
{
	struct ls_stats st;

	ls_results_stats(&st);
	return st.scan_areas;
}

/* Whether @addr is reported; if not, dump= names what last referenced it. */
static bool reported_or_dump(unsigned long addr)
{
	char cmd[24];

	if (listed(addr))
		return true;
	snprintf(cmd, sizeof(cmd), "0x%lx", addr);
	ls_dump(cmd);
	return false;
}

/* ------------------------------------------------------------- Tests */

static void test_kmalloc_leak_is_reported(struct kunit *test)
{
	const char *dmesg_line =
		" new suspected memory leaks (see /sys/kernel/debug/kmemleak)\n";
	unsigned long hidden = leak_kmalloc(128, "leakscan-kunit:leak");
	char line[64];

	KUNIT_ASSERT_NE(test, hidden, 0UL);
	KUNIT_EXPECT_GT(test, scan_twice(), 0L);
	KUNIT_ASSERT_TRUE(test, reported_or_dump((unsigned long)unhide(hidden)));
	KUNIT_ASSERT_TRUE(test, record_of((unsigned long)unhide(hidden)));
	snprintf(line, sizeof(line), "unreferenced object 0x%08lx (size 128):\n",
		 (unsigned long)unhide(hidden));
	KUNIT_EXPECT_TRUE(test, str_has_prefix(record, line));
	KUNIT_EXPECT_NOT_NULL(test, strstr(record, "  comm \""));
	KUNIT_EXPECT_NOT_NULL(test, strstr(record, "  hex dump (first 32 bytes):\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(record, "leakscan-kunit:l"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(record, "  backtrace (crc "));
	KUNIT_EXPECT_NOT_NULL(test, strstr(record, "leak_kmalloc+"));
	KUNIT_EXPECT_TRUE(test, console_saw(dmesg_line));
	kfree(unhide(hidden));
	KUNIT_EXPECT_FALSE(test, listed((unsigned long)unhide(hidden)));
}

static void test_reachable_is_not_reported(struct kunit *test)
{
	unsigned long hidden = leak_kmalloc(96, "leakscan-kunit:kept");
	unsigned long control = leak_kmalloc(96, "leakscan-kunit:ctrl");

	KUNIT_ASSERT_TRUE(test, hidden && control);
	WRITE_ONCE(kept, unhide(hidden));
	scan_twice();
	KUNIT_EXPECT_FALSE(test, listed((unsigned long)unhide(hidden)));
	/* The same allocation, unreferenced: reported by the same scans. */
	KUNIT_EXPECT_TRUE(test, reported_or_dump((unsigned long)unhide(control)));
	kfree(kept);
	WRITE_ONCE(kept, NULL);
	kfree(unhide(control));
}

static void test_annotations(struct kunit *test)
{
	unsigned long not_leak = leak_kmalloc(64, "leakscan-kunit:nl");
	unsigned long ignored = leak_kmalloc(64, "leakscan-kunit:ig");
	unsigned long leak = leak_kmalloc(64, "leakscan-kunit:lk");

	KUNIT_ASSERT_TRUE(test, not_leak && ignored && leak);
	kmemleak_not_leak(unhide(not_leak));
	kmemleak_ignore(unhide(ignored));
	scan_twice();
	KUNIT_EXPECT_FALSE(test, listed((unsigned long)unhide(not_leak)));
	KUNIT_EXPECT_FALSE(test, listed((unsigned long)unhide(ignored)));
	KUNIT_EXPECT_TRUE(test, listed((unsigned long)unhide(leak)));
	kfree(unhide(not_leak));
	kfree(unhide(ignored));
	kfree(unhide(leak));
}

static noinline unsigned long leak_vmalloc(void)
{
	char *p = vzalloc(3 * PAGE_SIZE);

	return p ? ~(unsigned long)p : 0;
}

static void test_vmalloc_leak_is_reported(struct kunit *test)
{
	unsigned long hidden = leak_vmalloc();
	char line[64];

	KUNIT_ASSERT_NE(test, hidden, 0UL);
	scan_twice();
	KUNIT_ASSERT_TRUE(test, reported_or_dump((unsigned long)unhide(hidden)));
	KUNIT_ASSERT_TRUE(test, record_of((unsigned long)unhide(hidden)));
	snprintf(line, sizeof(line), "unreferenced object 0x%08lx (size %lu):\n",
		 (unsigned long)unhide(hidden), 3 * PAGE_SIZE);
	KUNIT_EXPECT_TRUE(test, str_has_prefix(record, line));
	vfree(unhide(hidden));
}

static noinline unsigned long leak_percpu(void)
{
	void __percpu *p = __alloc_percpu(40, sizeof(long));

	return p ? ~(__force unsigned long)p : 0;
}

static void test_percpu_leak_is_reported(struct kunit *test)
{
	unsigned long hidden = leak_percpu();

	KUNIT_ASSERT_NE(test, hidden, 0UL);
	scan_twice();
	KUNIT_ASSERT_TRUE(test, record_of((unsigned long)unhide(hidden)));
	KUNIT_EXPECT_NOT_NULL(test, strstr(record, "(size 40):\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(record, "  hex dump (first 32 bytes on cpu "));
	/* The stock engine's header for the kind of object (7.3). */
	KUNIT_EXPECT_EQ(test, !!strstr(record, "unreferenced object (percpu) 0x"),
			!!LS_STOCK_KIND_TAGS);
	free_percpu((void __percpu *)unhide(hidden));
}

/* kmemleak_ignore_percpu(): neither scanned nor reported. */
static void test_ignore_percpu(struct kunit *test)
{
	unsigned long ignored = leak_percpu(), leak = leak_percpu();

	KUNIT_ASSERT_TRUE(test, ignored && leak);
	kmemleak_ignore_percpu((void __percpu *)unhide(ignored));
	scan_twice();
	KUNIT_EXPECT_FALSE(test, listed((unsigned long)unhide(ignored)));
	KUNIT_EXPECT_TRUE(test, listed((unsigned long)unhide(leak)));
	free_percpu((void __percpu *)unhide(ignored));
	free_percpu((void __percpu *)unhide(leak));
}

static void test_free_part_splits(struct kunit *test)
{
	unsigned long hidden = leak_kmalloc(256, "leakscan-kunit:part");
	char *p = unhide(hidden);
	unsigned long size;

	KUNIT_ASSERT_NE(test, hidden, 0UL);
	kmemleak_free_part(p + 64, 64);
	KUNIT_EXPECT_TRUE(test, tracked((unsigned long)p, &size));
	KUNIT_EXPECT_EQ(test, size, 64UL);
	KUNIT_EXPECT_FALSE(test, tracked((unsigned long)p + 64, &size));
	KUNIT_EXPECT_TRUE(test, tracked((unsigned long)p + 128, &size));
	KUNIT_EXPECT_EQ(test, size, 128UL);
	kmemleak_free(p + 128);
	kfree(p);
	KUNIT_EXPECT_FALSE(test, tracked((unsigned long)p, &size));
}

static void *kept_tail;		/* a second root */

/* Store the hidden pointers, so that no copy stays in the test's frame. */
static noinline void store_unhidden(unsigned long *words, const int *at,
				    const unsigned long *hidden, int n)
{
	int i;

	for (i = 0; i < n; i++)
		words[at[i]] = (unsigned long)unhide(hidden[i]);
}

/*
 * Scan areas follow their object through kmemleak_free_part(): a cut at
 * the front moves the object's start, and a cut in the middle splits off
 * a tail that takes the areas inside it. Each area holds the only
 * reference to an object; a word of the head outside both areas is a
 * reference that must not count. Freeing the two parts frees every area.
 */
static void test_scan_areas_follow_cuts(struct kunit *test)
{
	unsigned long holder = leak_kmalloc(512, "leakscan-kunit:areas");
	unsigned long front = leak_kmalloc(128, "leakscan-kunit:front");
	unsigned long tail = leak_kmalloc(128, "leakscan-kunit:tail");
	unsigned long outside = leak_kmalloc(128, "leakscan-kunit:out");
	unsigned long *h = unhide(holder);
	unsigned long areas = scan_areas();

	KUNIT_ASSERT_TRUE(test, holder && front && tail && outside);
	/* Bytes [128, 192) and [384, 448) are the holder's scan areas. */
	kmemleak_scan_area(h + 16, 64, GFP_KERNEL);
	kmemleak_scan_area(h + 48, 64, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, scan_areas(), areas + 2);
	store_unhidden(h, (int[]){ 17, 49, 9 },
		       (unsigned long[]){ front, tail, outside }, 3);
	/* Cut [0, 64) off the front, then [192, 384) out of the middle. */
	kmemleak_free_part(h, 64);
	kmemleak_free_part(h + 24, 192);
	/* Roots for the head, [64, 192), and the tail, [384, 512). */
	WRITE_ONCE(kept, h + 10);
	WRITE_ONCE(kept_tail, h + 60);
	scan_twice();
	KUNIT_EXPECT_FALSE(test, listed((unsigned long)unhide(front)));
	KUNIT_EXPECT_FALSE(test, listed((unsigned long)unhide(tail)));
	KUNIT_EXPECT_TRUE(test, reported_or_dump((unsigned long)unhide(outside)));
	WRITE_ONCE(kept, NULL);
	WRITE_ONCE(kept_tail, NULL);
	kmemleak_free(h + 8);
	kmemleak_free(h + 48);
	KUNIT_EXPECT_EQ(test, scan_areas(), areas);
	kfree(h);
	kfree(unhide(front));
	kfree(unhide(tail));
	kfree(unhide(outside));
}

/*
 * A split whose tail cannot have all its areas (one spare area per cut, and
 * here two areas span the hole) scans the tail whole, and keeps none of
 * the tail's areas: they would outlive the tail, and be taken for the areas
 * of whatever object next gets its metadata.
 */
static void test_split_without_spare_area_keeps_none(struct kunit *test)
{
	unsigned long holder = leak_kmalloc(512, "leakscan-kunit:areas2");
	unsigned long inner = leak_kmalloc(128, "leakscan-kunit:inner");
	unsigned long *h = unhide(holder);
	unsigned long areas = scan_areas();

	KUNIT_ASSERT_TRUE(test, holder && inner);
	/* Words [20, 52) and [16, 56) span the cut; [56, 60) is the tail's. */
	kmemleak_scan_area(h + 20, 32 * sizeof(long), GFP_KERNEL);
	kmemleak_scan_area(h + 16, 40 * sizeof(long), GFP_KERNEL);
	kmemleak_scan_area(h + 56, 4 * sizeof(long), GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, scan_areas(), areas + 3);
	/* Outside every area: found only if the tail is scanned whole. */
	store_unhidden(h, (int[]){ 62 }, (unsigned long[]){ inner }, 1);
	kmemleak_free_part(h + 24, 24 * sizeof(long));
	/* The head keeps its two parts; the tail has none. */
	KUNIT_EXPECT_EQ(test, scan_areas(), areas + 2);
	WRITE_ONCE(kept, h + 10);
	WRITE_ONCE(kept_tail, h + 50);
	scan_twice();
	KUNIT_EXPECT_FALSE(test, listed((unsigned long)unhide(inner)));
	WRITE_ONCE(kept, NULL);
	WRITE_ONCE(kept_tail, NULL);
	kmemleak_free(h + 48);
	kmemleak_free(h);
	KUNIT_EXPECT_EQ(test, scan_areas(), areas);
	kfree(h);
	kfree(unhide(inner));
}

/*
 * Leaks of 128 bytes: a kmalloc-64 object may take the place of a freed
 * kthread_create_info, which kthreadd's and the test thread's live frames
 * still point to.
 */
static void test_verbose_prints_new_leaks(struct kunit *test)
{
	unsigned long loud = leak_kmalloc(128, "leakscan-kunit:loud");
	unsigned long quiet;
	char line[80];

	KUNIT_ASSERT_NE(test, loud, 0UL);
	WRITE_ONCE(ls_verbose, true);
	scan_twice();
	snprintf(line, sizeof(line), "kmemleak: unreferenced object 0x%08lx (size 128):\n",
		 (unsigned long)unhide(loud));
	KUNIT_EXPECT_TRUE(test, console_saw(line));
	KUNIT_EXPECT_TRUE(test, console_saw("kmemleak:   backtrace (crc "));
	KUNIT_EXPECT_TRUE(test, console_saw("leakscan-kunit:l"));

	/* Reported once: later scans do not print it again, nor when quiet. */
	WRITE_ONCE(ls_verbose, false);
	quiet = leak_kmalloc(128, "leakscan-kunit:quiet");
	KUNIT_ASSERT_NE(test, quiet, 0UL);
	scan_twice();
	KUNIT_EXPECT_TRUE(test, listed((unsigned long)unhide(quiet)));
	snprintf(line, sizeof(line), "unreferenced object 0x%08lx",
		 (unsigned long)unhide(quiet));
	KUNIT_EXPECT_FALSE(test, console_saw(line));
	kfree(unhide(loud));
	kfree(unhide(quiet));
}

static void test_dump_prints_metadata(struct kunit *test)
{
	unsigned long hidden = leak_kmalloc(96, "leakscan-kunit:dump");
	char cmd[32], line[80];

	KUNIT_ASSERT_NE(test, hidden, 0UL);
	snprintf(cmd, sizeof(cmd), "0x%lx", (unsigned long)unhide(hidden));
	KUNIT_EXPECT_EQ(test, ls_dump(cmd), 0);
	snprintf(line, sizeof(line), "kmemleak: Object 0x%08lx (size 96):\n",
		 (unsigned long)unhide(hidden));
	KUNIT_EXPECT_TRUE(test, console_saw(line));
	KUNIT_EXPECT_TRUE(test, console_saw("kmemleak:   min_count = 1\n"));
	kfree(unhide(hidden));
	/* Freed: unknown now. */
	KUNIT_EXPECT_EQ(test, ls_dump(cmd), -EINVAL);
	snprintf(line, sizeof(line), "kmemleak: Unknown object at 0x%08lx\n",
		 (unsigned long)unhide(hidden));
	KUNIT_EXPECT_TRUE(test, console_saw(line));
}

/*
 * What the previous user of a slab slot left in it must not reach the next
 * user's unwritten bytes, where it would look like references.
 */
static void test_new_objects_hold_no_stale_words(struct kunit *test)
{
	int i, reused = 0;
	char *p, *q;

	if (IS_ENABLED(CONFIG_KASAN_GENERIC))
		kunit_skip(test, "KASAN's quarantine keeps freed slots from reuse");
	/*
	 * SLUB hands out the object freed last on this CPU first; an
	 * interrupt may take it in between, so up to ten tries, each of
	 * which must come back zeroed, and one at least in the same slot.
	 */
	for (i = 0; i < 10 && !reused; i++) {
		migrate_disable();
		p = kmalloc(128, GFP_KERNEL);
		if (p) {
			memset(p, 0xa5, 128);
			kfree(p);
		}
		q = kmalloc(128, GFP_KERNEL);
		migrate_enable();
		KUNIT_ASSERT_TRUE(test, p && q);
		KUNIT_EXPECT_NULL(test, memchr_inv(q, 0, 128));
		reused = q == p;
		kfree(q);
	}
	KUNIT_EXPECT_EQ(test, reused, 1);
}

/* New objects given spare metadata so far, from leakscan/stats. */
static long spares_used(void)
{
	struct ls_stats st;

	ls_results_stats(&st);
	return st.counters[LS_COUNT_SPARES_USED];
}

/*
 * A young object, marked as a root that is not scanned, then freed: its
 * metadata becomes this CPU's newest spare.
 */
static noinline void young_root_unscanned(size_t size)
{
	void *p = kmalloc(size, GFP_KERNEL);

	kmemleak_not_leak(p);
	kmemleak_no_scan(p);
	kfree(p);
}

/*
 * The metadata of a young object freed on this CPU is the next young
 * object's (the spares are a stack): it must take nothing from the old
 * one, neither its size, its trace, its min_count nor its flags. The
 * next allocation uses a spare unless an interrupt took it, or the
 * nursery was full, so up to ten tries, one of which must have used
 * exactly one spare.
 */
/*
 * The metadata of the object at ~@hidden, checked in a frame of its own,
 * which the scan's stack scrubbing overwrites: the copies hold its
 * address.
 */
static noinline void check_fresh_metadata(struct kunit *test, unsigned long hidden)
{
	struct ls_object found[3];
	int i, n;

	n = ls_results_find((unsigned long)unhide(hidden), found, ARRAY_SIZE(found));
	for (i = 0; i < n && found[i].start != (unsigned long)unhide(hidden); i++)
		;
	KUNIT_ASSERT_LT(test, i, n);
	KUNIT_EXPECT_EQ(test, (unsigned long)found[i].size, 128UL);
	KUNIT_EXPECT_EQ(test, (int)found[i].min_count, 1);
	KUNIT_EXPECT_EQ(test, found[i].flags & (LS_NO_SCAN | LS_EARLY), 0U);
	memzero_explicit(found, sizeof(found));
}

static void test_spare_metadata_starts_clean(struct kunit *test)
{
	unsigned long hidden = 0;
	int tries, reused = 0;
	long before;

	for (tries = 0; tries < 10 && !reused; tries++) {
		if (hidden)
			kfree(unhide(hidden));
		migrate_disable();
		young_root_unscanned(256);
		before = spares_used();
		hidden = leak_kmalloc(128, "leakscan-kunit:spare");
		reused = spares_used() - before == 1;
		migrate_enable();
		KUNIT_ASSERT_NE(test, hidden, 0UL);
	}
	KUNIT_EXPECT_EQ(test, reused, 1);
	check_fresh_metadata(test, hidden);
	KUNIT_EXPECT_GT(test, scan_twice(), 0L);
	KUNIT_ASSERT_TRUE(test, reported_or_dump((unsigned long)unhide(hidden)));
	KUNIT_ASSERT_TRUE(test, record_of((unsigned long)unhide(hidden)));
	KUNIT_EXPECT_NOT_NULL(test, strstr(record, " (size 128):\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(record, "leak_kmalloc+"));
	KUNIT_EXPECT_NULL(test, strstr(record, "young_root_unscanned"));
	kfree(unhide(hidden));
}

/* Two call chains into the same allocation, at the same stack depth. */
static noinline unsigned long alloc_via_first(void)
{
	unsigned long v = leak_kmalloc(128, "leakscan-kunit:first");

	barrier_data(&v);
	return v;
}

static noinline unsigned long alloc_via_second(void)
{
	unsigned long v = leak_kmalloc(128, "leakscan-kunit:second");

	barrier_data(&v);
	return v;
}

/*
 * The trace cache: an allocation from a chain seen before reuses its
 * trace, and one from another chain into the same place never does.
 */
static void test_cached_traces_name_the_right_caller(struct kunit *test)
{
	unsigned long first[3], second[3];
	long hits;
	int i;

	hits = ls_counter(LS_COUNT_TRACE_HITS);
	for (i = 0; i < 3; i++) {
		first[i] = alloc_via_first();
		second[i] = alloc_via_second();
		KUNIT_ASSERT_TRUE(test, first[i] && second[i]);
	}
	if (LS_TRACE_CACHE)
		KUNIT_EXPECT_GT(test, ls_counter(LS_COUNT_TRACE_HITS),
				hits);
	scan_twice();
	for (i = 0; i < 3; i++) {
		KUNIT_ASSERT_TRUE(test, record_of((unsigned long)unhide(first[i])));
		KUNIT_EXPECT_NOT_NULL(test, strstr(record, "alloc_via_first+"));
		KUNIT_EXPECT_NULL(test, strstr(record, "alloc_via_second+"));
		KUNIT_EXPECT_NOT_NULL(test, strstr(record, "leak_kmalloc+"));
		KUNIT_ASSERT_TRUE(test, record_of((unsigned long)unhide(second[i])));
		KUNIT_EXPECT_NOT_NULL(test, strstr(record, "alloc_via_second+"));
		KUNIT_EXPECT_NULL(test, strstr(record, "alloc_via_first+"));
	}
	for (i = 0; i < 3; i++) {
		kfree(unhide(first[i]));
		kfree(unhide(second[i]));
	}
}

/* A leak names the global that held it last, and when it let go. */
static void test_leak_names_its_last_referrer(struct kunit *test)
{
	unsigned long hidden = leak_kmalloc(128, "leakscan-kunit:dropped");
	char cmd[32];

	KUNIT_ASSERT_NE(test, hidden, 0UL);
	WRITE_ONCE(kept, unhide(hidden));
	scan_twice();
	KUNIT_EXPECT_FALSE(test, listed((unsigned long)unhide(hidden)));
	WRITE_ONCE(kept, NULL);
	scan_twice();
	KUNIT_ASSERT_TRUE(test, listed((unsigned long)unhide(hidden)));
	snprintf(cmd, sizeof(cmd), "0x%lx", (unsigned long)unhide(hidden));
	KUNIT_EXPECT_EQ(test, ls_dump(cmd), 0);
	KUNIT_EXPECT_TRUE(test, console_saw_seconds("  last referenced ",
						    "s ago from kept+0x0/0x8"));
	KUNIT_EXPECT_TRUE(test, console_saw_seconds("  unreferenced since the scan ", "s ago"));
	kfree(unhide(hidden));
}

/*
 * The memory map is scanned, so the struct page of a page in use holds
 * references (here page->private). Two kinds of its words must not hide
 * a leak: any word of a page without a reference count (a free page, or
 * here the second page of a non-compound pair), and the word of struct
 * page that a slab's freelist shares (LS_PAGE_REUSED_WORD) pointing into
 * the page itself, where that pointer stays when a large kmalloc() takes
 * the page.
 */
static void test_struct_page_words(struct kunit *test)
{
	unsigned long live = leak_kmalloc(64, "leakscan-kunit:pg0");
	unsigned long stale = leak_kmalloc(64, "leakscan-kunit:pg1");
	unsigned long big = leak_kmalloc(3 * PAGE_SIZE, "leakscan-kunit:big");
	struct page *pages = alloc_pages(GFP_KERNEL, 1), *head = NULL;
	char cmd[32], from[96];
	bool mapped = false;

	if (!pages || !live || !stale || !big)
		goto out;
	scan_twice();	/* the first scan finds where the memory map is */
	if (LS_ARCH_VMEMMAP) {
		unsigned long off, step = 0;
		phys_addr_t phys = ls_arch_vmemmap_phys((unsigned long)pages, &step);

		mapped = phys != PHYS_ADDR_MAX &&
			 ls_memmap_page((unsigned long)__va(phys), &off) == pages;
	}
	if (!mapped) {
		kunit_mark_skipped(test, "no table of where the memory map is");
		goto out;
	}
	head = virt_to_page(unhide(big));
	WRITE_ONCE(pages[0].private, (unsigned long)unhide(live));
	WRITE_ONCE(pages[1].private, (unsigned long)unhide(stale));
	WRITE_ONCE(*ls_page_reused_word(head), (unsigned long)unhide(big) + 64);
	scan_twice();
	KUNIT_EXPECT_FALSE(test, listed((unsigned long)unhide(live)));
	KUNIT_EXPECT_TRUE(test, listed((unsigned long)unhide(stale)));
	KUNIT_EXPECT_TRUE(test, listed((unsigned long)unhide(big)));
	/* The live one names where it is held. */
	snprintf(cmd, sizeof(cmd), "0x%lx", (unsigned long)unhide(live));
	KUNIT_EXPECT_EQ(test, ls_dump(cmd), 0);
	snprintf(from, sizeof(from),
		 "s ago from the struct page of pfn 0x%lx, at +%zu (refcount 1)",
		 page_to_pfn(pages), offsetof(struct page, private));
	KUNIT_EXPECT_TRUE(test, console_saw_seconds("  last referenced ", from));
out:
	KUNIT_EXPECT_TRUE(test, pages && live && stale && big);
	if (head)
		WRITE_ONCE(*ls_page_reused_word(head), 0);
	if (pages) {
		WRITE_ONCE(pages[0].private, 0);
		WRITE_ONCE(pages[1].private, 0);
		__free_pages(pages, 1);
	}
	kfree(live ? unhide(live) : NULL);
	kfree(stale ? unhide(stale) : NULL);
	kfree(big ? unhide(big) : NULL);
}

/* error_report_end events from the leak detector. */
static struct {
	spinlock_t lock;	/* protects ids and n */
	unsigned long ids[64];
	int n;
} reports = { .lock = __SPIN_LOCK_UNLOCKED(reports.lock) };

static void probe_error_report(void *ignore, enum error_detector detector,
			       unsigned long id)
{
	unsigned long flags;

	if (detector != ERROR_DETECTOR_KMEMLEAK)
		return;
	spin_lock_irqsave(&reports.lock, flags);
	if (reports.n < ARRAY_SIZE(reports.ids))
		reports.ids[reports.n++] = id;
	spin_unlock_irqrestore(&reports.lock, flags);
}

static bool reported_event(unsigned long id)
{
	bool seen = false;
	int i;

	spin_lock_irq(&reports.lock);
	for (i = 0; i < reports.n; i++)
		seen |= reports.ids[i] == id;
	spin_unlock_irq(&reports.lock);
	return seen;
}

/* A leaked pair head -> tail: one event, for the direct leak only. */
static noinline unsigned long leak_pair(unsigned long *tail)
{
	void **head = kzalloc(128, GFP_KERNEL), **t = kzalloc(256, GFP_KERNEL);

	if (!head || !t) {
		kfree(head);
		kfree(t);
		return 0;
	}
	head[0] = t;
	*tail = ~(unsigned long)t;
	return ~(unsigned long)head;
}

static void test_new_direct_leaks_raise_error_reports(struct kunit *test)
{
	unsigned long head, tail = 0;

	if (!IS_ENABLED(CONFIG_TRACEPOINTS))
		kunit_skip(test, "no tracepoints in this kernel");
	reports.n = 0;
	KUNIT_ASSERT_EQ(test, register_trace_error_report_end(probe_error_report, NULL), 0);
	head = leak_pair(&tail);
	KUNIT_ASSERT_NE(test, head, 0UL);
	scan_twice();
	unregister_trace_error_report_end(probe_error_report, NULL);
	tracepoint_synchronize_unregister();
	KUNIT_EXPECT_TRUE(test, listed((unsigned long)unhide(head)));
	KUNIT_EXPECT_TRUE(test, listed((unsigned long)unhide(tail)));
	KUNIT_EXPECT_TRUE(test, reported_event((unsigned long)unhide(head)));
	KUNIT_EXPECT_FALSE(test, reported_event((unsigned long)unhide(tail)));
	kfree(unhide(tail));
	kfree(unhide(head));
}

/*
 * Young objects wait in the nursery of the CPU that allocated them
 * (core.c). Their frees, annotations and partial frees may come from
 * another CPU, and must find them there.
 */
#define YOUNG_BATCH	80	/* more than a nursery holds: some are flushed */

enum young_op { YOUNG_ALLOC, YOUNG_FREE, YOUNG_NOT_LEAK, YOUNG_FREE_PART };

/*
 * The objects come from a cache of the test's own, so that no other
 * allocation can take their addresses once they are freed.
 */
struct young_batch {
	unsigned long hidden[YOUNG_BATCH];
	struct kmem_cache *cache;
	int from, to;		/* for YOUNG_FREE_PART: the part to free */
	enum young_op op;
};

/* Do b->op to every object of the batch: run by work_on_cpu(). */
static long young_batch_do(void *arg)
{
	struct young_batch *b = arg;
	char *p;
	int i;

	for (i = 0; i < YOUNG_BATCH; i++) {
		p = b->op == YOUNG_ALLOC ? NULL : unhide(b->hidden[i]);
		switch (b->op) {
		case YOUNG_ALLOC:
			p = kmem_cache_zalloc(b->cache, GFP_KERNEL);
			b->hidden[i] = p ? ~(unsigned long)p : 0;
			break;
		case YOUNG_FREE:
			kmem_cache_free(b->cache, p);
			break;
		case YOUNG_NOT_LEAK:
			/* The even ones only: the odd ones are the control. */
			if (i % 2 == 0)
				kmemleak_not_leak(p);
			break;
		case YOUNG_FREE_PART:
			kmemleak_free_part(p + b->from, b->to - b->from);
			break;
		}
	}
	return 0;
}

static void young_batch_on(int cpu, struct young_batch *b, enum young_op op)
{
	b->op = op;
	work_on_cpu(cpu, young_batch_do, b);
}

/*
 * A batch of @size-byte objects, allocated on the first online CPU; the
 * second is *other. Skips without two online CPUs.
 */
static struct young_batch *young_batch_new(struct kunit *test, size_t size, int *other)
{
	struct young_batch *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	int first = cpumask_first(cpu_online_mask), i;

	KUNIT_ASSERT_NOT_NULL(test, b);
	*other = cpumask_next(first, cpu_online_mask);
	if (*other >= nr_cpu_ids)
		kunit_skip(test, "needs two online CPUs");
	b->cache = kmem_cache_create("leakscan_kunit_young", size, 0, SLAB_NO_MERGE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, b->cache);
	young_batch_on(first, b, YOUNG_ALLOC);
	for (i = 0; i < YOUNG_BATCH; i++)
		KUNIT_ASSERT_NE(test, b->hidden[i], 0UL);
	return b;
}

static void test_young_objects_freed_on_another_cpu(struct kunit *test)
{
	struct young_batch *b;
	unsigned long size;
	int c, i, left = 0;

	b = young_batch_new(test, 48, &c);
	young_batch_on(c, b, YOUNG_FREE);
	for (i = 0; i < YOUNG_BATCH; i++)
		left += tracked((unsigned long)unhide(b->hidden[i]), &size);
	KUNIT_EXPECT_EQ(test, left, 0);
	kmem_cache_destroy(b->cache);
}

static void test_young_objects_annotated_on_another_cpu(struct kunit *test)
{
	int c, i, annotated = 0, control = 0;
	struct young_batch *b;

	b = young_batch_new(test, 48, &c);
	young_batch_on(c, b, YOUNG_NOT_LEAK);
	scan_twice();
	for (i = 0; i < YOUNG_BATCH; i++) {
		if (i % 2)
			control += listed((unsigned long)unhide(b->hidden[i]));
		else
			annotated += listed((unsigned long)unhide(b->hidden[i]));
	}
	/* A conservative scan may miss some leaks of the control: say how many. */
	kunit_info(test, "%d of %d unannotated young objects reported\n",
		   control, YOUNG_BATCH / 2);
	KUNIT_EXPECT_EQ(test, annotated, 0);
	KUNIT_EXPECT_GT(test, control, 0);
	young_batch_on(c, b, YOUNG_FREE);
	kmem_cache_destroy(b->cache);
}

static void test_young_objects_cut_on_another_cpu(struct kunit *test)
{
	int c, i, heads = 0, middles = 0, tails = 0;
	struct young_batch *b;
	unsigned long size, p;

	b = young_batch_new(test, 256, &c);
	b->from = 64;
	b->to = 128;
	young_batch_on(c, b, YOUNG_FREE_PART);
	for (i = 0; i < YOUNG_BATCH; i++) {
		p = (unsigned long)unhide(b->hidden[i]);
		heads += tracked(p, &size) && size == 64;
		middles += tracked(p + 64, &size);
		tails += tracked(p + 128, &size) && size == 128;
		kmemleak_free((void *)(p + 128));
	}
	KUNIT_EXPECT_EQ(test, heads, YOUNG_BATCH);
	KUNIT_EXPECT_EQ(test, middles, 0);
	KUNIT_EXPECT_EQ(test, tails, YOUNG_BATCH);
	young_batch_on(c, b, YOUNG_FREE);
	kmem_cache_destroy(b->cache);
}

static struct kunit_case leakscan_test_cases[] = {
	KUNIT_CASE(test_kmalloc_leak_is_reported),
	KUNIT_CASE(test_reachable_is_not_reported),
	KUNIT_CASE(test_annotations),
	KUNIT_CASE(test_vmalloc_leak_is_reported),
	KUNIT_CASE(test_percpu_leak_is_reported),
	KUNIT_CASE(test_ignore_percpu),
	KUNIT_CASE(test_free_part_splits),
	KUNIT_CASE(test_scan_areas_follow_cuts),
	KUNIT_CASE(test_split_without_spare_area_keeps_none),
	KUNIT_CASE(test_verbose_prints_new_leaks),
	KUNIT_CASE(test_dump_prints_metadata),
	KUNIT_CASE(test_new_objects_hold_no_stale_words),
	KUNIT_CASE(test_spare_metadata_starts_clean),
	KUNIT_CASE(test_cached_traces_name_the_right_caller),
	KUNIT_CASE(test_leak_names_its_last_referrer),
	KUNIT_CASE(test_struct_page_words),
	KUNIT_CASE(test_new_direct_leaks_raise_error_reports),
	KUNIT_CASE(test_young_objects_freed_on_another_cpu),
	KUNIT_CASE(test_young_objects_annotated_on_another_cpu),
	KUNIT_CASE(test_young_objects_cut_on_another_cpu),
	{},
};

static struct kunit_suite leakscan_test_suite = {
	.name = "leakscan",
	.test_cases = leakscan_test_cases,
	.init = leakscan_test_init,
	.exit = leakscan_test_exit,
	.suite_init = leakscan_suite_init,
	.suite_exit = leakscan_suite_exit,
};

kunit_test_suites(&leakscan_test_suite);

LS_IMPORT_KUNIT_NS();
MODULE_DESCRIPTION("KUnit tests of the leakscan engine");
MODULE_LICENSE("GPL");
