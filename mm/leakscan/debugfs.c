// SPDX-License-Identifier: GPL-2.0
/*
 * leakscan: /sys/kernel/debug/kmemleak, as the stock engine serves it,
 * and leakscan's own files beside it in /sys/kernel/debug/leakscan/.
 *
 * Reading kmemleak lists the objects reported as leaks that the last scan
 * still found unreferenced; it never scans. Each write is one command,
 * matched by prefix: scan, clear, off, stack=on|off, scan=on|off,
 * scan=<secs> and dump=<addr>. The files only pass data along: results.c
 * and summary.c give it, report.c formats it.
 */

#define pr_fmt(fmt) "kmemleak: " fmt

#include <kunit/visibility.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/seq_buf.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "internals.h"
#include "leakscan.h"

static void *ls_seq_start(struct seq_file *m, loff_t *pos)
{
	struct ls_cursor *c = m->private;
	loff_t i;

	if (*pos != c->pos || *pos == 0) {
		c->tree = 0;
		c->addr = 0;
		for (i = 0; i < *pos; i++) {
			if (!ls_results_seek(c, LS_LISTED))
				return NULL;
			c->addr++;
		}
		c->pos = *pos;
	}
	return ls_results_seek(c, LS_LISTED) ? c : NULL;
}

static void *ls_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct ls_cursor *c = v;

	++*pos;
	c->pos = *pos;
	c->addr++;
	return ls_results_seek(c, LS_LISTED) ? c : NULL;
}

static void ls_seq_stop(struct seq_file *m, void *v)
{
}

/*
 * Records are printed into a seq_buf over the room left in the seq_file's
 * buffer, as the console gets them; one that does not fit is committed as
 * an overflow, and seq_read() prints it again into a larger buffer.
 */
static void ls_seq_buf_begin(struct seq_file *m, struct seq_buf *sb)
{
	char *buf;
	size_t size = seq_get_buf(m, &buf);

	seq_buf_init(sb, buf, size);
}

static void ls_seq_buf_end(struct seq_file *m, struct seq_buf *sb)
{
	seq_commit(m, seq_buf_has_overflowed(sb) ? -1 : seq_buf_used(sb));
}

static int ls_seq_show(struct seq_file *m, void *v)
{
	struct ls_snapshot snap;
	struct seq_buf sb;

	if (ls_results_get(v, LS_LISTED, &snap)) {
		ls_seq_buf_begin(m, &sb);
		ls_print_object(&sb, &snap.obj, snap.head, snap.head_len);
		ls_seq_buf_end(m, &sb);
	}
	return 0;
}

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

/**
 * ls_dump - the dump=<addr> command: print an object's metadata
 * @str: the address, in any base kstrtoul() takes
 *
 * Each object that holds the address (ls_results_find()) is dumped to the
 * console, with where it was last referenced.
 *
 * Return: 0, or -EINVAL if @str is not a number or no object holds it.
 */
int ls_dump(const char *str)
{
	struct ls_object found[3];
	struct ls_where w;
	unsigned long addr;
	int i, n;

	if (kstrtoul(str, 0, &addr))
		return -EINVAL;
	n = ls_results_find(addr, found, ARRAY_SIZE(found));
	if (!n) {
		pr_info("Unknown object at 0x%08lx\n", addr);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		ls_results_where(found[i].referrer, &w);
		ls_dump_object(&found[i], &w);
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
			ls_results_clear();
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

/* --------------------------------------------------------- Suppressions */

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
	struct ls_suppression_list *list;
	int k;

	list = kzalloc_obj(*list, GFP_KERNEL);
	if (!list)
		return -ENOMEM;
	ls_suppressions(list);
	for (k = 0; k < list->nr; k++)
		seq_printf(seq, "%s\n", list->name[k]);
	kfree(list);
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

/* ------------------------------------------------------- Summary, stats */

static int ls_summary_show(struct seq_file *seq, void *v)
{
	struct ls_summary *sum;
	struct seq_buf sb;
	struct ls_where w;
	size_t i;
	int ret;

	sum = kzalloc_obj(*sum, GFP_KERNEL);
	if (!sum)
		return -ENOMEM;
	ret = ls_summarise(sum);
	for (i = 0; !ret && i < sum->nr; i++) {
		ls_results_where(sum->groups[i].example.referrer, &w);
		ls_seq_buf_begin(seq, &sb);
		ls_print_group(&sb, &sum->groups[i], &w);
		ls_seq_buf_end(seq, &sb);
	}
	if (!ret)
		ls_print_summary_end(seq, sum, ls_counter(LS_COUNT_UNTRACKED));
	ls_summary_free(sum);
	kfree(sum);
	return ret;
}
DEFINE_SHOW_ATTRIBUTE(ls_summary);

static int ls_growth_show(struct seq_file *seq, void *v)
{
	struct ls_growth_report r;
	struct seq_buf sb;
	struct ls_where w;
	size_t i;
	int ret;

	ret = ls_results_growth(&r);
	for (i = 0; !ret && i < r.nr; i++) {
		ls_results_where(r.records[i].referrer, &w);
		/* Referenced when recorded: no "unreferenced since" line. */
		w.next = 0;
		ls_seq_buf_begin(seq, &sb);
		ls_print_growth(&sb, &r.records[i], &w);
		ls_seq_buf_end(seq, &sb);
	}
	if (!ret)
		ls_print_growth_end(seq, &r);
	kvfree(r.records);
	return ret;
}
DEFINE_SHOW_ATTRIBUTE(ls_growth);

static int ls_stats_show(struct seq_file *seq, void *v)
{
	struct ls_stats st;

	ls_results_stats(&st);
	ls_print_stats(seq, &st);
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
	debugfs_create_file("growth", 0444, dir, NULL, &ls_growth_fops);
	debugfs_create_file("suppressions", 0644, dir, NULL, &ls_suppress_fops);
	return 0;
}
