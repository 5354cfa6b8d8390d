// SPDX-License-Identifier: GPL-2.0
/*
 * A module that leaks a known set of objects, for leak detector tests.
 *
 * Loading it leaks exactly seven objects:
 *
 *   size  allocator        how
 *     64  kmalloc          pointer dropped
 *   1024  kmalloc          pointer dropped
 *     96  kmalloc          head of a leaked chain of three
 *    192  kmalloc          middle of that chain (only the head points here)
 *    256  kmalloc          tail of that chain (only the middle points here)
 *  12000  kmalloc (large)  pointer dropped, served by the page allocator
 *  20480  vmalloc          pointer dropped
 *
 * The slab sizes are kmalloc cache sizes, because the slab hooks register
 * an object with its cache's object size, not with the size asked for.
 *
 * It also keeps objects that a detector must not report: one held by a
 * global, a list whose links point into the middle of its elements, one
 * known only through a pointer to its middle, one annotated with
 * kmemleak_not_leak() and one with kmemleak_ignore(). Unloading the module
 * frees those; the leaks stay leaked.
 *
 * The leaked objects are filled with "leakscan-sample" and a tag, so that
 * they are easy to spot in a report's hex dump.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compiler.h>
#include <linux/kmemleak.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#define SAMPLE_TAG_LEN 24

struct sample_link {
	char tag[SAMPLE_TAG_LEN];
	void *next;
};

struct sample_elem {
	unsigned long payload[3];
	struct list_head node;		/* not at offset 0 on purpose */
};

static void *sample_kept;
static void *sample_kept_middle;	/* points 16 bytes into its object */
static void *sample_not_leak;
static void *sample_ignored;
static LIST_HEAD(sample_list);

static void sample_fill(void *p, size_t size, const char *what)
{
	char tag[SAMPLE_TAG_LEN];

	memset(p, 0, size);
	snprintf(tag, sizeof(tag), "leakscan-sample:%s", what);
	memcpy(p, tag, min(size, sizeof(tag)));
}

static noinline void *sample_leak_kmalloc(size_t size, const char *what)
{
	void *p = kmalloc(size, GFP_KERNEL);

	if (p)
		sample_fill(p, size, what);
	return p;
}

static noinline void *sample_leak_vmalloc(size_t size)
{
	void *p = vmalloc(size);

	if (p)
		sample_fill(p, size, "vmalloc");
	return p;
}

/* A chain head -> middle -> tail, where only the head's pointer is dropped. */
static noinline int sample_leak_chain(void)
{
	struct sample_link *head, *mid, *tail;

	tail = sample_leak_kmalloc(256, "tail");
	mid = sample_leak_kmalloc(192, "middle");
	head = sample_leak_kmalloc(96, "head");
	if (!head || !mid || !tail) {
		kfree(head);
		kfree(mid);
		kfree(tail);
		return -ENOMEM;
	}
	mid->next = tail;
	head->next = mid;
	return 0;
}

static noinline int sample_leak_all(void)
{
	if (!sample_leak_kmalloc(64, "small") ||
	    !sample_leak_kmalloc(1024, "big") ||
	    !sample_leak_kmalloc(12000, "large") ||
	    !sample_leak_vmalloc(20480))
		return -ENOMEM;
	return sample_leak_chain();
}

static void *sample_hide(void *p)
{
	return (void *)~(unsigned long)p;
}

static noinline int sample_keep_all(void)
{
	void *not_leak, *ignored;
	int i;

	sample_kept = kzalloc(48, GFP_KERNEL);
	sample_kept_middle = kzalloc(64, GFP_KERNEL);
	if (!sample_kept || !sample_kept_middle)
		return -ENOMEM;
	sample_kept_middle += 16;

	not_leak = kzalloc(56, GFP_KERNEL);
	ignored = kzalloc(72, GFP_KERNEL);
	if (!not_leak || !ignored) {
		kfree(not_leak);
		kfree(ignored);
		return -ENOMEM;
	}
	kmemleak_not_leak(not_leak);
	kmemleak_ignore(ignored);
	/* Hide both pointers from the scanner: only the annotations count. */
	sample_not_leak = sample_hide(not_leak);
	sample_ignored = sample_hide(ignored);

	for (i = 0; i < 4; i++) {
		struct sample_elem *e = kzalloc(sizeof(*e), GFP_KERNEL);

		if (!e)
			return -ENOMEM;
		list_add_tail(&e->node, &sample_list);
	}
	return 0;
}

/*
 * Overwrite the dead stack below the caller's frame. The allocator's deeper
 * frames left copies of the leaked pointers there, and a conservative
 * scanner that reads the whole stack would take them for references.
 */
static noinline void sample_scrub_stack(int depth)
{
	char buf[1024];

	memset(buf, 0, sizeof(buf));
	barrier_data(buf);
	if (depth > 1)
		sample_scrub_stack(depth - 1);
}

static void sample_free_kept(void)
{
	struct sample_elem *e, *tmp;

	list_for_each_entry_safe(e, tmp, &sample_list, node) {
		list_del(&e->node);
		kfree(e);
	}
	kfree(sample_kept);
	if (sample_kept_middle)
		kfree(sample_kept_middle - 16);
	if (sample_not_leak)
		kfree(sample_hide(sample_not_leak));
	if (sample_ignored)
		kfree(sample_hide(sample_ignored));
}

static int __init leakscan_sample_init(void)
{
	int ret;

	ret = sample_keep_all();
	if (!ret)
		ret = sample_leak_all();
	sample_scrub_stack(4);
	if (ret) {
		sample_free_kept();
		return ret;
	}
	pr_info("leaked 7 objects (64, 96, 192, 256, 1024, 12000 and 20480 bytes)\n");
	return 0;
}
module_init(leakscan_sample_init);

static void __exit leakscan_sample_exit(void)
{
	sample_free_kept();
}
module_exit(leakscan_sample_exit);

MODULE_DESCRIPTION("Leaks a known set of objects, to test leak detectors");
MODULE_LICENSE("GPL");
