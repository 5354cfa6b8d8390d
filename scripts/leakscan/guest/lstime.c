// SPDX-License-Identifier: GPL-2.0
/*
 * lstime FILE STRING: write STRING to FILE in one write() and print how
 * long the write took, in nanoseconds (CLOCK_MONOTONIC). For timing a
 * "scan" of /sys/kernel/debug/kmemleak in the benchmark guest.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long long t0, t1;
	ssize_t n;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: lstime FILE STRING\n");
		return 2;
	}
	fd = open(argv[1], O_WRONLY);
	if (fd < 0) {
		fprintf(stderr, "lstime: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	t0 = now_ns();
	n = write(fd, argv[2], strlen(argv[2]));
	t1 = now_ns();
	if (n < 0) {
		fprintf(stderr, "lstime: writing '%s' to %s: %s\n", argv[2], argv[1],
			strerror(errno));
		return 1;
	}
	close(fd);
	printf("%lld\n", t1 - t0);
	return 0;
}
