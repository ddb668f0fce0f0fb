/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMA suite's reference model: one entry per page of a bounded address
 * space, saying whether the page is mapped and with what.  It knows nothing
 * of VMAs or of the maple tree; the suite compares the kernel's VMAs with it
 * page by page.
 */
#ifndef _VMA_MODEL_H
#define _VMA_MODEL_H

#include <stdbool.h>

/*
 * What madvise(MADV_NAME)-, mbind()- and userfaultfd-like ops set: small
 * numbers of the suite's names, policies and uffd contexts, 0 for none.
 */
struct vma_attrs {
	unsigned char name;
	unsigned char pol;
	unsigned char uffd;
};

/* 32 bytes, no padding: the checks walk every page after every op. */
struct vma_page {
	unsigned long flags;	/* vm_flags */
	unsigned long pgoff;	/* file offset (anonymous: address >> PAGE_SHIFT) */
	unsigned long anon;	/* anon_vma id, 0: none yet */
	unsigned int file;	/* 0: anonymous, else the suite's file number */
	bool mapped;
	struct vma_attrs attrs;
};

/* How many mapped pages have these vm_flags. */
struct vma_flag_pages {
	unsigned long flags;
	unsigned long pages;
};

/*
 * Beside the pages, the number of mapped ones and their count per
 * vm_flags, kept as the pages change: the mm's stats (total_vm, exec_vm
 * ...) are functions of those, and a pass over every page for them before
 * and after every op was a seventh of the suite's time.
 */
#define VMA_MODEL_CHANGES	8

struct vma_model {
	unsigned long nr_pages;
	struct vma_page *pages;
	unsigned long mapped;
	unsigned long unmapped;	/* mapped pages vma_model_unmap() took away */
	struct vma_flag_pages *by_flags;
	unsigned int nr_by_flags;
	unsigned int room_by_flags;
	/*
	 * The page ranges [changed[i][0], changed[i][1]) written since the
	 * last vma_model_settled(); all_changed if there were too many, or
	 * before the first one.
	 */
	unsigned long changed[VMA_MODEL_CHANGES][2];
	unsigned int nr_changed;
	bool all_changed;
};

void vma_model_init(struct vma_model *m, unsigned long nr_pages);
void vma_model_destroy(struct vma_model *m);
/* One page mapped as vma_model_map() maps it, outside any model. */
void vma_page_map(struct vma_page *p, unsigned long flags, unsigned int file,
		  unsigned long pgoff, unsigned long anon);
/* Map [first, first + n) with pgoff counting up from pgoff, no attrs. */
void vma_model_map(struct vma_model *m, unsigned long first, unsigned long n,
		   unsigned long flags, unsigned int file, unsigned long pgoff,
		   unsigned long anon);
void vma_model_unmap(struct vma_model *m, unsigned long first, unsigned long n);
void vma_model_set_flags(struct vma_model *m, unsigned long first,
			 unsigned long n, unsigned long flags);
void vma_model_set_attrs(struct vma_model *m, unsigned long first,
			 unsigned long n, const struct vma_attrs *attrs);
void vma_model_set_anon(struct vma_model *m, unsigned long first,
			unsigned long n, unsigned long anon);
unsigned long vma_model_mapped(const struct vma_model *m, unsigned long first,
			       unsigned long n);
/* From now on, changed[] lists the pages the calls above write. */
void vma_model_settled(struct vma_model *m);
/*
 * Whether page r may join the page l before it in one VMA, the range an op
 * brought in being r's side (incoming_right) or l's.
 */
bool vma_pages_mergeable(const struct vma_page *l, const struct vma_page *r,
			 bool incoming_right);
/* The same for the model's page p and the page before it. */
bool vma_model_mergeable(const struct vma_model *m, unsigned long p,
			 bool incoming_right);

#endif
