// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input for the leak detector's debugfs files: the kmemleak file and
 * every file under /sys/kernel/debug/leakscan/.
 *
 * Each file gets a run of writes drawn from a seeded generator: random
 * bytes, very long writes, commands with embedded NULs, numbers out of
 * range, mutated commands, and writes from buffers the kernel cannot read
 * whole. Every write must be taken whole, or refused with EINVAL, EPERM or
 * EFAULT; or, for scan=<seconds> past 32 bits, with ERANGE, as kmemleak
 * does. Reads then come at odd sizes and offsets, through lseek() and
 * pread(), and from bad buffers. Last, a non-root process must not be able
 * to write any of the files. The console check of the harness fails the
 * run on any warning the kernel prints meanwhile.
 *
 * Nothing written turns the detector off ("off" is never sent), scans are
 * rationed, and the settings the writes may change (the scan thread, stack
 * traces, suppressions) are restored at the end.
 *
 * Usage: debugfs_fuzz [writes to the kmemleak file] [seed]
 */

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../kselftest.h"

#define KMEMLEAK	"/sys/kernel/debug/kmemleak"
#define LEAKSCAN_DIR	"/sys/kernel/debug/leakscan/"
#define MAX_SCANS	4	/* full scans the writes may start */
#define LONG_WRITE	(1024 * 1024)
#define SHOW_BAD	5	/* bad results to describe per file */

struct target {
	const char *path;
	unsigned int writes;
};

static struct target targets[] = {
	{ KMEMLEAK, 10000 },
	{ LEAKSCAN_DIR "suppressions", 4000 },
	{ LEAKSCAN_DIR "summary", 1000 },
	{ LEAKSCAN_DIR "stats", 1000 },
};

/* Commands to start from; "off" is not among them, and never produced. */
static const char *const words[] = {
	"scan", "clear", "stack=on", "stack=off", "scan=on", "scan=off",
	"scan=", "scan=1", "dump=", "dump=0x", "suppress=", "unsuppress=",
	"suppress=kmalloc", "unsuppress=kmalloc", "suppress=sample_leak_many",
};

/* Edges, some with a NUL inside: their length is the whole literal. */
#define EDGE(s)	{ s, sizeof(s) - 1 }
static const struct {
	const char *s;
	size_t len;
} edge[] = {
	EDGE("scan=99999999999"), EDGE("scan=18446744073709551615"),
	EDGE("scan=18446744073709551616"), EDGE("scan=-1"), EDGE("scan=0x"),
	EDGE("scan= 5"), EDGE("scan=5junk"), EDGE("dump=0xffffffffffffffff"),
	EDGE("dump=0"), EDGE("dump=-5"), EDGE("dump=garbage"),
	EDGE("dump=0x1234567890abcdef0"), EDGE("dump= "), EDGE("stack=maybe"),
	EDGE(""), EDGE("\n"), EDGE("\0"), EDGE("scan=\0005"), EDGE("dump=\0000"),
	EDGE("suppress=\0x"), EDGE("suppress= "), EDGE("suppress=a b"),
	EDGE("suppress=tab\there"), EDGE("suppress=new\nline"),
	EDGE("unsuppress=never_suppressed"),
};

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64*: reproducible from the seed. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static unsigned int below(unsigned int n)
{
	return n ? rnd() % n : 0;
}

/* A page the kernel can read, followed by one it cannot. */
static char *edge_page;
static long page_size;

static unsigned int scans;
static unsigned long lost_offs;

/*
 * Keep the detector on and the run short: a write that the kmemleak file
 * would take for "off" is altered, and one that would start a full scan is
 * altered once MAX_SCANS have been sent.
 */
static void defuse(const char *path, char *buf, size_t len)
{
	if (strcmp(path, KMEMLEAK))
		return;
	if (len >= 3 && !memcmp(buf, "off", 3)) {
		buf[0] = 'O';
		lost_offs++;
	}
	if (len >= 4 && !memcmp(buf, "scan", 4) &&
	    (len == 4 || buf[4] != '=')) {
		if (scans >= MAX_SCANS)
			buf[0] = 'S';
		else
			scans++;
	}
}

/* Fill @buf with one bad write; return its length. */
static size_t make_write(char *buf, size_t cap)
{
	const char *w;
	size_t len, i;

	switch (below(6)) {
	case 0:		/* random bytes */
		len = below(257);
		for (i = 0; i < len; i++)
			buf[i] = rnd();
		return len;
	case 1:		/* very long: a command, then filler or digits */
		w = words[below(ARRAY_SIZE(words))];
		len = 4096 + below(cap - 4096);
		memset(buf, below(2) ? '9' : 'A', len);
		memcpy(buf, w, strlen(w));
		return len;
	case 2:		/* a command with a NUL inside */
		w = words[below(ARRAY_SIZE(words))];
		len = strlen(w) + 1 + below(8);
		memset(buf, 'x', len);
		memcpy(buf, w, strlen(w));
		buf[below(len)] = '\0';
		return len;
	case 3:		/* numbers out of range and other edges */
		i = below(ARRAY_SIZE(edge));
		memcpy(buf, edge[i].s, edge[i].len);
		return edge[i].len;
	case 4:		/* a suppression name at and past every limit */
		w = below(2) ? "suppress=" : "unsuppress=";
		len = strlen(w);
		memcpy(buf, w, len);
		i = 100 + below(200);
		memset(buf + len, 'f', i);
		return len + i;
	default:	/* a mutated command */
		w = words[below(ARRAY_SIZE(words))];
		len = strlen(w);
		memcpy(buf, w, len);
		for (i = below(4); i; i--) {
			size_t at = below(len + 1);

			if (at < len)
				buf[at] = rnd();
			else
				buf[len++] = rnd();
		}
		if (below(3) == 0)
			buf[len++] = '\n';
		return len;
	}
}

struct tally {
	unsigned long writes, taken, einval, eperm, efault, erange, bad;
	unsigned long reads, read_bytes, read_errors;
};

static void check_write(const char *path, const char *buf, size_t len,
			ssize_t ret, int err, struct tally *t)
{
	t->writes++;
	if (ret == (ssize_t)len || ret == 0) {
		t->taken++;
		return;
	}
	if (ret < 0 && err == EINVAL) {
		t->einval++;
		return;
	}
	if (ret < 0 && err == EPERM) {
		t->eperm++;
		return;
	}
	if (ret < 0 && err == EFAULT) {
		t->efault++;
		return;
	}
	/* kmemleak's own answer to scan=<more than 32 bits of seconds>. */
	if (ret < 0 && err == ERANGE && !strcmp(path, KMEMLEAK) &&
	    !strncmp(buf, "scan=", 5)) {
		t->erange++;
		return;
	}
	if (t->bad++ < SHOW_BAD)
		ksft_print_msg("%s: a %zu-byte write starting \"%.16s\" got %zd (%s)\n",
			       path, len, buf, ret, ret < 0 ? strerror(err) : "short");
}

/* A write from a buffer the kernel cannot read whole: EFAULT, or taken. */
static void partial_write(int fd, const char *path, struct tally *t)
{
	const char *w = words[below(ARRAY_SIZE(words))];
	size_t len = strlen(w) + 1 + below(64);
	size_t readable = below(len);
	char *buf = edge_page + page_size - readable;
	ssize_t ret;

	memset(buf, 'x', readable);
	memcpy(buf, w, readable < strlen(w) ? readable : strlen(w));
	defuse(path, buf, readable);
	ret = write(fd, below(4) ? buf : (char *)16, len);
	if (ret < 0 && errno == EFAULT) {
		t->writes++;
		t->efault++;
		return;
	}
	check_write(path, buf, len, ret, errno, t);
}

static void fuzz_writes(const char *path, unsigned int n, struct tally *t)
{
	static char buf[LONG_WRITE];
	unsigned int i;
	size_t len;
	ssize_t ret;
	int fd;

	fd = open(path, O_WRONLY);
	if (fd < 0) {
		ksft_print_msg("%s: open for writing: %s\n", path, strerror(errno));
		t->bad++;
		return;
	}
	for (i = 0; i < n; i++) {
		if (below(10) == 0) {
			partial_write(fd, path, t);
			continue;
		}
		len = make_write(buf, sizeof(buf));
		defuse(path, buf, len);
		ret = write(fd, buf, len);
		check_write(path, buf, len, ret, errno, t);
		/* Now and then, from a fresh file descriptor. */
		if (below(50) == 0) {
			close(fd);
			fd = open(path, below(2) ? O_WRONLY : O_RDWR | O_TRUNC);
			if (fd < 0) {
				ksft_print_msg("%s: reopen: %s\n", path, strerror(errno));
				t->bad++;
				return;
			}
		}
	}
	close(fd);
}

static void fuzz_reads(const char *path, unsigned int n, struct tally *t)
{
	static char buf[3 * 4096 + 1];
	unsigned int i;
	ssize_t ret;
	off_t off;
	int fd, err;

	fd = open(path, O_RDONLY);
	if (fd < 0) {
		ksft_print_msg("%s: open for reading: %s\n", path, strerror(errno));
		t->bad++;
		return;
	}
	/* Once whole from the start, then at odd sizes and offsets. */
	while ((ret = read(fd, buf, sizeof(buf))) > 0)
		t->read_bytes += ret;
	lseek(fd, 0, SEEK_SET);
	for (i = 0; i < n; i++) {
		size_t size = 1 + below(sizeof(buf) - 1);

		switch (below(5)) {
		case 0:
			off = below(1 << 16);
			ret = pread(fd, buf, size, off);
			break;
		case 1:
			off = lseek(fd, (off_t)below(1 << 14) - 4096,
				    below(2) ? SEEK_SET : SEEK_CUR);
			ret = off < 0 ? off : read(fd, buf, size);
			break;
		case 2:
			ret = lseek(fd, 0, SEEK_END);
			break;
		case 3:
			ret = read(fd, edge_page + page_size, size);
			break;
		default:
			ret = read(fd, buf, size);
			if (ret == 0)
				lseek(fd, 0, SEEK_SET);
			break;
		}
		err = errno;
		t->reads++;
		if (ret >= 0) {
			t->read_bytes += ret;
			continue;
		}
		t->read_errors++;
		if (err != EINVAL && err != EFAULT && t->bad++ < SHOW_BAD)
			ksft_print_msg("%s: a read got %s\n", path, strerror(err));
	}
	close(fd);
}

/* Write one command to the kmemleak file, saying so if it fails. */
static void command(const char *cmd)
{
	int fd = open(KMEMLEAK, O_WRONLY);

	if (fd < 0 || write(fd, cmd, strlen(cmd)) < 0)
		ksft_print_msg("%s: %s\n", cmd, strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* Put back what the writes may have changed. */
static void restore(void)
{
	char name[256];
	FILE *f;
	int fd;

	command("scan=off");
	command("stack=on");
	/* Drop every suppression the writes added. */
	for (;;) {
		f = fopen(LEAKSCAN_DIR "suppressions", "r");
		if (!f || !fgets(name, sizeof(name), f)) {
			if (f)
				fclose(f);
			return;
		}
		fclose(f);
		name[strcspn(name, "\n")] = '\0';
		fd = open(LEAKSCAN_DIR "suppressions", O_WRONLY);
		if (fd < 0 || dprintf(fd, "unsuppress=%s", name) < 0) {
			ksft_print_msg("cannot drop suppression %s\n", name);
			if (fd >= 0)
				close(fd);
			return;
		}
		close(fd);
	}
}

/* A non-root process may write none of the files. */
static int nonroot_refused(void)
{
	unsigned int i;
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return 0;
	if (!pid) {
		if (setgid(65534) || setuid(65534))
			_exit(2);
		for (i = 0; i < ARRAY_SIZE(targets); i++) {
			int fd = open(targets[i].path, O_WRONLY);

			if (fd >= 0) {
				ksft_print_msg("uid 65534 opened %s for writing\n",
					       targets[i].path);
				_exit(1);
			}
			if (errno != EACCES && errno != EPERM) {
				ksft_print_msg("uid 65534: %s: %s\n", targets[i].path,
					       strerror(errno));
				_exit(1);
			}
		}
		_exit(0);
	}
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

int main(int argc, char **argv)
{
	unsigned long kmemleak_writes = argc > 1 ? strtoul(argv[1], NULL, 0) : 0;
	unsigned long seed = argc > 2 ? strtoul(argv[2], NULL, 0) : 0;
	unsigned long total = 0;
	unsigned int i;
	bool sample;

	ksft_print_header();
	if (geteuid())
		ksft_exit_skip("must be run as root\n");
	if (access(KMEMLEAK, F_OK) || access(LEAKSCAN_DIR "stats", F_OK))
		ksft_exit_skip("no leakscan engine in this kernel\n");
	if (kmemleak_writes)
		targets[0].writes = kmemleak_writes;
	if (!seed)
		seed = getpid() ^ time(NULL);
	rng_state = seed | 1;
	page_size = sysconf(_SC_PAGESIZE);
	edge_page = mmap(NULL, 2 * page_size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (edge_page == MAP_FAILED || mprotect(edge_page + page_size, page_size, PROT_NONE))
		ksft_exit_fail_msg("mmap: %s\n", strerror(errno));

	ksft_set_plan(2 * ARRAY_SIZE(targets) + 1);
	ksft_print_msg("seed %lu\n", seed);
	for (i = 0; i < ARRAY_SIZE(targets); i++) {
		struct tally t = { };

		fuzz_writes(targets[i].path, targets[i].writes, &t);
		total += t.writes;
		ksft_print_msg("%s: %lu writes: %lu taken, %lu EINVAL, %lu EPERM, ",
			       targets[i].path, t.writes, t.taken, t.einval, t.eperm);
		printf("%lu EFAULT, %lu ERANGE, %lu otherwise\n", t.efault, t.erange, t.bad);
		ksft_test_result(t.writes >= targets[i].writes && !t.bad,
				 "%u bad writes to %s are taken or refused with %s\n",
				 targets[i].writes, targets[i].path,
				 "EINVAL, EPERM, EFAULT (or kmemleak's ERANGE)");
	}
	/*
	 * Something to read: the sample module's leaks, reported. A leak is
	 * listed by the second scan that finds it old enough and unchanged.
	 */
	sample = !system("modprobe leakscan_sample");
	if (sample) {
		sleep(6);
		command("scan");
		command("scan");
	}
	for (i = 0; i < ARRAY_SIZE(targets); i++) {
		struct tally t = { };

		fuzz_reads(targets[i].path, 500, &t);
		ksft_print_msg("%s: %lu reads, %lu bytes, %lu refused\n",
			       targets[i].path, t.reads, t.read_bytes, t.read_errors);
		ksft_test_result(!t.bad, "500 reads of %s at odd sizes and offsets\n",
				 targets[i].path);
	}
	if (sample && system("rmmod leakscan_sample"))
		ksft_print_msg("rmmod leakscan_sample failed\n");
	restore();
	ksft_print_msg("%lu writes in all, %u of them scans, %lu \"off\" defused\n",
		       total, scans, lost_offs);
	ksft_test_result(nonroot_refused(), "a non-root user cannot write any of the files\n");
	ksft_finished();
}
