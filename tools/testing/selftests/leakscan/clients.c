// SPDX-License-Identifier: GPL-2.0
/*
 * Replays, syscall for syscall, how syzkaller, xfstests, blktests, LKFT and
 * IGT drive /sys/kernel/debug/kmemleak, and checks what they rely on: the
 * write and read semantics of the file, its mode and size, its error codes,
 * and that a clean boot reports nothing. Uses leakscan_sample.ko for leaks;
 * it leaves the module unloaded and nothing reported.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../kselftest_harness.h"

#define KMEMLEAK	"/sys/kernel/debug/kmemleak"
#define SAMPLE		"leakscan_sample"
#define SAMPLE_TAG	"[" SAMPLE "]"

/* One command on a new fd, as syzkaller writes it: 0 or -errno. */
static int command(const char *cmd)
{
	ssize_t n;
	int fd, err;

	fd = open(KMEMLEAK, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, cmd, strlen(cmd));
	err = errno;
	close(fd);
	return n == (ssize_t)strlen(cmd) ? 0 : -err;
}

/* Everything read() gives on @fd from where it is, in @chunk-byte reads. */
static char *read_rest(int fd, size_t chunk)
{
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap + 1);
	ssize_t n;

	for (;;) {
		if (len + chunk > cap) {
			cap = 2 * (len + chunk);
			buf = realloc(buf, cap + 1);
		}
		n = read(fd, buf + len, chunk);
		if (n <= 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	return buf;
}

static char *read_report(void)
{
	int fd = open(KMEMLEAK, O_RDONLY);
	char *r;

	if (fd < 0)
		return strdup("");
	r = read_rest(fd, 16384);
	close(fd);
	return r;
}

/* Records in @report, and those that hold @needle (NULL: all). */
static int count_records(const char *report, const char *needle)
{
	const char *p = report, *next;
	int n = 0;

	while ((p = strstr(p, "unreferenced object "))) {
		next = strstr(p + 1, "unreferenced object ");
		if (!needle || (strstr(p, needle) && (!next || strstr(p, needle) < next)))
			n++;
		p += 1;
	}
	return n;
}

/* A percpu record names the CPU that read it, which may differ per read. */
static void forget_cpus(char *report)
{
	char *p = report;

	while ((p = strstr(p, " on cpu "))) {
		p += 8;
		while (*p >= '0' && *p <= '9')
			*p++ = '?';
	}
}

static int sh(const char *cmd)
{
	int ret = system(cmd);

	return WIFEXITED(ret) ? WEXITSTATUS(ret) : -1;
}

/* Load the sample and scan so that its leaks are reported. */
static void load_and_report(struct __test_metadata *_metadata)
{
	ASSERT_EQ(0, sh("modprobe " SAMPLE));
	ASSERT_EQ(0, command("scan"));
	sleep(6);
	ASSERT_EQ(0, command("scan"));
}

static void unload(void)
{
	sh("rmmod " SAMPLE " 2>/dev/null");
}

/*
 * syzkaller's title for a record: the first frame after "backtrace" that
 * is not an allocator's (pkg/report/linux.go).
 */
static int syzkaller_title(const char *record, char *title, size_t size)
{
	static const char *const skip = "kmemleak|kmem|slab|alloc|create_object|strdup|memdup";
	regex_t frame_re, skip_re;
	regmatch_t m[2];
	const char *p = strstr(record, "backtrace (crc ");
	char line[256];
	int found = 0;

	if (!p)
		return 0;
	regcomp(&frame_re, "^ *(\\[<?(0x)?[0-9a-f]+>?\\] ){0,2}([a-zA-Z0-9_]+)[.+]", REG_EXTENDED);
	regcomp(&skip_re, skip, REG_EXTENDED);
	p = strchr(p, '\n');
	while (p && !found && sscanf(p + 1, "%255[^\n]", line) == 1 &&
	       strncmp(line, "unreferenced object", 19)) {
		regmatch_t mm[4];

		if (!regexec(&frame_re, line, 4, mm, 0)) {
			snprintf(title, size, "%.*s", (int)(mm[3].rm_eo - mm[3].rm_so),
				 line + mm[3].rm_so);
			if (regexec(&skip_re, title, 1, m, 0))
				found = 1;
		}
		p = strchr(p + 1, '\n');
	}
	regfree(&frame_re);
	regfree(&skip_re);
	return found;
}

TEST(a_clean_boot_reports_nothing)
{
	char *r;

	ASSERT_EQ(0, command("scan"));
	sleep(6);
	ASSERT_EQ(0, command("scan"));
	r = read_report();
	if (count_records(r, NULL))
		TH_LOG("%s", r);
	EXPECT_EQ(0, count_records(r, NULL));
	free(r);
}

TEST(file_mode_and_size)
{
	struct stat st;

	ASSERT_EQ(0, stat(KMEMLEAK, &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_EQ(0644, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_size);
}

TEST(write_semantics_and_errors)
{
	char junk[128];
	int fd;

	fd = open(KMEMLEAK, O_RDWR);
	ASSERT_LE(0, fd);
	/* Prefix match, a newline is fine, the size is returned ... */
	EXPECT_EQ(5, write(fd, "scan\n", 5));
	/* ... and the file position advances. */
	EXPECT_EQ(5, lseek(fd, 0, SEEK_CUR));
	/* Only the first 63 bytes are looked at, but all are consumed. */
	memset(junk, 'x', sizeof(junk));
	memcpy(junk, "scan", 4);
	EXPECT_EQ((ssize_t)sizeof(junk), write(fd, junk, sizeof(junk)));
	EXPECT_EQ(-EINVAL, command("bogus"));
	EXPECT_EQ(-EINVAL, command("dump=nonsense"));
	EXPECT_EQ(-EINVAL, command("dump=0x10"));
	/* kstrtouint()'s error, as 6.12 gives it: seconds are 32 bits. */
	EXPECT_EQ(-ERANGE, command("scan=99999999999999999999"));
	EXPECT_EQ(-ERANGE, command("scan=99999999999"));
	EXPECT_EQ(-EINVAL, command("scan=12abc"));
	EXPECT_EQ(0, command("stack=off"));
	EXPECT_EQ(0, command("stack=on"));
	close(fd);
}

TEST(syzkaller)
{
	char *first, *second, *p, title[128];
	ssize_t n1, n2;
	int fd, titled = 0;

	/* setup_leak(): one write per fd, no newline. */
	ASSERT_EQ(0, command("scan=off"));
	ASSERT_EQ(0, command("scan"));
	sleep(5);
	ASSERT_EQ(0, command("scan"));
	ASSERT_EQ(0, command("clear"));

	ASSERT_EQ(0, sh("modprobe " SAMPLE));
	/* check_leaks(): all on one O_RDWR fd. */
	fd = open(KMEMLEAK, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(4, write(fd, "scan", 4));
	sleep(6);
	ASSERT_EQ(4, write(fd, "scan", 4));
	first = calloc(1, 128 << 10);
	second = calloc(1, 128 << 10);
	n1 = read(fd, first, (128 << 10) - 1);
	ASSERT_LT(0, n1);
	ASSERT_EQ(4, write(fd, "scan", 4));
	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	n2 = read(fd, second, (128 << 10) - 1);
	EXPECT_LT(0, count_records(first, SAMPLE_TAG));
	EXPECT_EQ(count_records(first, SAMPLE_TAG), count_records(second, SAMPLE_TAG));
	EXPECT_LT(0, n2);
	/* Each record gets a title from the sample's own frames. */
	for (p = strstr(first, "unreferenced object "); p;
	     p = strstr(p + 1, "unreferenced object ")) {
		const char *end = strstr(p + 1, "unreferenced object ");

		if (!strstr(p, SAMPLE_TAG) || (end && strstr(p, SAMPLE_TAG) > end))
			continue;
		EXPECT_TRUE(syzkaller_title(p, title, sizeof(title)));
		EXPECT_EQ(0, strncmp(title, "sample_", 7)) TH_LOG("title %s", title);
		titled++;
	}
	EXPECT_EQ(count_records(first, SAMPLE_TAG), titled);
	ASSERT_EQ(5, write(fd, "clear", 5));
	close(fd);
	p = read_report();
	EXPECT_EQ(0, count_records(p, SAMPLE_TAG));
	free(p);
	free(first);
	free(second);
	unload();
	ASSERT_EQ(0, command("scan=on"));
}

TEST(xfstests_and_igt)
{
	char *whole, *pieces, byte, *rest, addr[64];
	int fd, n;

	/* No automatic scan may change the report between the reads below. */
	ASSERT_EQ(0, command("scan=off"));
	load_and_report(_metadata);
	/* xfstests: shell redirections, so O_TRUNC and a newline. */
	EXPECT_EQ(0, sh("echo scan > " KMEMLEAK " && cat " KMEMLEAK " | grep -q ."));
	whole = read_report();
	EXPECT_LT(0, count_records(whole, SAMPLE_TAG));
	/* Opening with O_TRUNC clears nothing. */
	fd = open(KMEMLEAK, O_WRONLY | O_TRUNC);
	ASSERT_LE(0, fd);
	close(fd);
	/* IGT: one byte first, then the rest in 16 KiB reads. */
	fd = open(KMEMLEAK, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, read(fd, &byte, 1));
	rest = read_rest(fd, 16384);
	close(fd);
	pieces = malloc(strlen(rest) + 2);
	pieces[0] = byte;
	memcpy(pieces + 1, rest, strlen(rest) + 1);
	forget_cpus(whole);
	forget_cpus(pieces);
	/*
	 * leakscan lists the same records on every read between two scans.
	 * The stock engine finds its place again by counting objects from the
	 * start of its list of all objects, so what is allocated or freed
	 * between two read() calls shifts it: there, each read() must only
	 * return whole records.
	 */
	EXPECT_EQ(0, access("/sys/module/leakscan", F_OK) ?
		  strncmp(pieces, "unreferenced object ", 20) : strcmp(whole, pieces));
	/* dump= of a reported object is accepted. */
	/* 7.3 tags percpu and physical objects: "object (percpu) 0x...". */
	n = sscanf(whole, "unreferenced object %63s", addr);
	ASSERT_EQ(1, n);
	if (addr[0] == '(')
		ASSERT_EQ(1, sscanf(strchr(whole, ')') + 1, " %63s", addr));
	memmove(addr + 5, addr, strlen(addr) + 1);
	memcpy(addr, "dump=", 5);
	EXPECT_EQ(0, command(addr));
	/* xfstests ends each test with "clear". */
	EXPECT_EQ(0, sh("echo clear > " KMEMLEAK));
	free(rest);
	rest = read_report();
	EXPECT_EQ(0, count_records(rest, NULL));
	free(rest);
	free(whole);
	free(pieces);
	unload();
	EXPECT_EQ(0, command("scan=on"));
}

TEST(blktests_and_lkft)
{
	char *r;

	/* blktests: clear; scan; sleep 1; cat: nothing. */
	ASSERT_EQ(0, command("clear"));
	ASSERT_EQ(0, command("scan"));
	sleep(1);
	r = read_report();
	EXPECT_EQ(0, count_records(r, NULL));
	free(r);
	/* LKFT: a module that frees what it took leaves nothing behind. */
	ASSERT_EQ(0, command("clear"));
	ASSERT_EQ(0, sh("modprobe " SAMPLE " && rmmod " SAMPLE));
	sleep(5);
	ASSERT_EQ(0, command("scan"));
	sleep(1);
	ASSERT_EQ(0, command("scan"));
	r = read_report();
	EXPECT_EQ(0, count_records(r, NULL));
	free(r);
}

TEST_HARNESS_MAIN
