/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What leakscan takes from the architecture, one named helper each, so
 * that the rest of it is the same everywhere. Where a helper has no
 * implementation, leakscan does without what it gives: a port adds one
 * here and changes nothing else.
 */
#ifndef _MM_LEAKSCAN_ARCH_H
#define _MM_LEAKSCAN_ARCH_H

#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/types.h>

/*
 * LS_TRACE_CACHE: trace.c caches call chains where it reads the stack
 * with the kernel's unwinder itself (<asm/unwind.h>): x86-64 with the ORC
 * or frame-pointer unwinder.
 */
#if defined(CONFIG_X86_64) && (defined(CONFIG_UNWINDER_ORC) || \
			       defined(CONFIG_UNWINDER_FRAME_POINTER))
#define LS_TRACE_CACHE		1
#else
#define LS_TRACE_CACHE		0
#endif

/*
 * LS_ARCH_VMEMMAP: the memory map is virtually mapped and its page tables
 * can be walked, so that the scan can tell a word of the boot-time memory
 * map read through the linear map (ls_memmap_page() in scan.c).
 */
#if defined(CONFIG_X86) && defined(CONFIG_SPARSEMEM_VMEMMAP)
#define LS_ARCH_VMEMMAP		1

/**
 * ls_arch_vmemmap_phys - where a byte of the memory map is in memory
 * @va:		its address in the memory map
 * @step:	raised to the bytes from @va to the end of the page table
 *		entry that maps it (a large page maps more)
 *
 * One page table lookup.
 *
 * Return: its physical address, or PHYS_ADDR_MAX if nothing maps @va.
 */
static inline phys_addr_t ls_arch_vmemmap_phys(unsigned long va, unsigned long *step)
{
	unsigned long size, pfn;
	unsigned int level;
	pte_t *pte;

	pte = lookup_address(va, &level);
	if (!pte || !pte_present(*pte))
		return PHYS_ADDR_MAX;
	switch (level) {
	case PG_LEVEL_1G:
		pfn = pud_pfn(*(pud_t *)pte);
		break;
	case PG_LEVEL_2M:
		pfn = pmd_pfn(*(pmd_t *)pte);
		break;
	default:
		pfn = pte_pfn(*pte);
		break;
	}
	size = page_level_size(level);
	*step = max(*step, size - (va & (size - 1)));
	return PFN_PHYS(pfn) + (va & (size - 1));
}
#else
#define LS_ARCH_VMEMMAP		0

static inline phys_addr_t ls_arch_vmemmap_phys(unsigned long va, unsigned long *step)
{
	return PHYS_ADDR_MAX;
}
#endif

/**
 * ls_arch_saved_sp - the stack pointer a task saved when switched out
 * @t:	a task that is not running
 *
 * Only its stack above that is live; the scan reads the stack whole
 * where the architecture does not say.
 *
 * Return: the stack pointer, or 0 if unknown.
 */
static inline unsigned long ls_arch_saved_sp(struct task_struct *t)
{
#ifdef CONFIG_X86
	return READ_ONCE(t->thread.sp);
#else
	return 0;
#endif
}

#endif /* _MM_LEAKSCAN_ARCH_H */
