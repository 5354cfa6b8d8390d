/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the pure logic of leakscan (index.c, growth.c) needs from the kernel. The host
 * unit tests in tools/testing/leakscan/ provide a file of the same name and
 * include guard with userspace stand-ins, and include it first.
 */
#ifndef MM_LEAKSCAN_INDEX_INTERNAL_H
#define MM_LEAKSCAN_INDEX_INTERNAL_H

#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/hash.h>
#include <linux/limits.h>
#include <linux/llist.h>
#include <linux/minmax.h>
#include <linux/rbtree.h>
#include <linux/sort.h>
#include <linux/stackdepot.h>
#include <linux/string.h>
#include <linux/types.h>

#endif /* MM_LEAKSCAN_INDEX_INTERNAL_H */
