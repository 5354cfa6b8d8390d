/* SPDX-License-Identifier: GPL-2.0 */
/* A minimal test runner: one PASS:/FAIL: line per test, then the totals. */
#ifndef LEAKSCAN_TEST_H
#define LEAKSCAN_TEST_H

#include <stdio.h>

static int test_failed_here;
static int tests_run, tests_failed;

#define EXPECT(cond) do {						\
	if (!(cond)) {							\
		printf("    %s:%d: expected %s\n", __FILE__, __LINE__, #cond); \
		test_failed_here = 1;					\
	}								\
} while (0)

#define RUN(fn) do {							\
	test_failed_here = 0;						\
	fn();								\
	tests_run++;							\
	if (test_failed_here)						\
		tests_failed++;						\
	printf("%s: host: %s\n", test_failed_here ? "FAIL" : "PASS", #fn); \
} while (0)

#define TEST_SUMMARY() ({						\
	printf("%d tests run, %d passed, %d failed\n", tests_run,	\
	       tests_run - tests_failed, tests_failed);			\
	tests_failed ? 1 : 0;						\
})

#endif
