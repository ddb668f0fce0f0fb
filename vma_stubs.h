/* SPDX-License-Identifier: GPL-2.0 */
/* What the VMA suite asks of vma_stubs.c: records, and anon_vmas to fault in. */
#ifndef _VMA_STUBS_H
#define _VMA_STUBS_H

#include "vma_internal.h"

#define VMA_UFFD_EVENTS	8

/* Counted by the stubs as mm/vma.c calls them; the suite resets and checks. */
struct vma_record {
	unsigned long vmas_freed;
	unsigned long anon_vmas_freed;
	unsigned long anon_vma_ids;	/* the last id handed out */
	unsigned long pages_zapped;	/* pages unmap_vmas() was asked to zap */
	unsigned long pgtables_freed;	/* VMAs free_pgtables() tore down */
	unsigned long unacct_pages;	/* vm_unacct_memory() gave back */
	unsigned long acct_pages;	/* security_vm_enough_memory_mm() charged */
	unsigned long commit_refused;	/* and the times it refused */
	unsigned long tlb_flushes;
	long tlb_active;		/* gathers not yet finished */
	unsigned long populated;	/* pages populate_vma_page_range() got */
	unsigned long uprobe_mmaps;	/* uprobe_mmap() calls */
	/*
	 * exit_mmap()'s mmu_notifier_release() and arch_exit_mmap() calls,
	 * and the pages zapped before the first of the former.
	 */
	unsigned long mmu_releases, arch_exits, zapped_before_release;
	/* arch_unmap()'s calls, and the range of the last. */
	unsigned long arch_unmaps, arch_unmap_start, arch_unmap_end;
	/*
	 * userfaultfd unmap events: queued by userfaultfd_unmap_prep(),
	 * delivered by userfaultfd_unmap_complete(), which keeps the first
	 * VMA_UFFD_EVENTS (ctx, range).
	 */
	unsigned long uffd_queued, uffd_delivered, nr_uffd_events;
	struct {
		void *ctx;
		unsigned long start, end;
	} uffd_events[VMA_UFFD_EVENTS];
	/* mm_populate()'s calls, and the range of the last. */
	unsigned long mm_populates, mm_populate_addr, mm_populate_len;
	/*
	 * relocate_vma_down()'s: the move, and the page tables it freed;
	 * fail_move (set by the suite) fails the move's allocation.
	 */
	struct {
		bool fail_move;
		unsigned long moved_from, moved_to, moved_len;
		unsigned long pgd_addr, pgd_end, pgd_floor, pgd_ceiling;
	} reloc;
};
extern struct vma_record vma_record;
/* Free the userfaultfd unmap events still queued; how many there were. */
unsigned long vma_uffd_reclaim(void);
/* security_vm_enough_memory_mm() refuses (overcommit out of memory). */
extern bool vma_commit_refuse;
/* Inside exit_mmap(): the mm has no user, so no reader can reach a VMA. */
extern bool vma_mm_exiting;

/*
 * Called for each address at which vma_adjust_trans_huge() would split a
 * huge PMD that straddles it (the suite's, in vma.c).
 */
void vma_thp_split(unsigned long addr);

/*
 * Called for each address at which hugetlb_split() would unshare the PMD
 * tables of a VM_HUGETLB VMA, with the VMA (the suite's, in vma.c).
 */
void vma_hugetlb_split(struct vm_area_struct *vma, unsigned long addr);

/* A new anon_vma, as anon_vma_prepare() allocates one; NULL if out of memory. */
struct anon_vma *vma_anon_vma_alloc(void);
void vma_anon_vma_free(struct anon_vma *av);
/* Chain vma to anon_vma; -ENOMEM leaves nothing behind. */
int vma_anon_vma_link(struct vm_area_struct *vma, struct anon_vma *av);
void vma_anon_vma_unlink_newest(struct vm_area_struct *vma);
int vma_anon_vma_attach(struct vm_area_struct *vma, struct anon_vma *av);

#endif
