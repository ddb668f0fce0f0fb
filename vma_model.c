// SPDX-License-Identifier: GPL-2.0
/*
 * The VMA suite's page model.  Mapping, unmapping and changing flags are
 * plain per-page writes; the one rule it holds is when two neighbouring
 * pages may share a VMA, written down from the kernel's documentation of
 * vma_merge_new_range() and vma_merge_existing_range() (mm/vma.c, 6.12):
 *
 *   Two adjacent mapped pages may be in one VMA when
 *   - their vm_flags are equal, VM_SOFTDIRTY aside (is_mergeable_vma()),
 *   - neither is VM_SPECIAL (VM_IO, VM_DONTEXPAND, VM_PFNMAP, VM_MIXEDMAP:
 *     "special VMAs are unmergeable"),
 *   - they map the same file (or both none), at consecutive file offsets
 *     (anonymous memory: consecutive address >> PAGE_SHIFT, which is what
 *     mmap gives it as pgoff), so that one vm_pgoff describes both,
 *   - their anon_vmas are compatible: equal, or the side the op brought in
 *     (the new, changed or copied range) has none yet.  Not the other way
 *     round: is_mergeable_anon_vma() lets a NULL anon_vma through only when
 *     the neighbour's anon_vma_chain is singular, and a neighbour without
 *     an anon_vma has an empty chain, so a range with an anon_vma does not
 *     merge into a neighbour without one.  (Both none: equal, so they do.)
 *   - their memory policies, userfaultfd contexts and anon_vma names are
 *     equal (is_mergeable_vma(); the suite's are objects compared by
 *     address, as mpol_equal() and anon_vma_name_eq() compare equal
 *     contents).
 *
 * Where the kernel may leave such pages in two VMAs: it merges only where
 * an op asked it to (the boundaries of a new, changed or copied range, and
 * inside a range whose flags an mprotect-like loop changed), never after
 * munmap; it does not merge when that would remove a VMA whose vm_ops have
 * close (can_merge_remove_vma()); and it merges a range with both
 * neighbours only if their two anon_vmas are compatible with each other.
 * The suite applies those exceptions; this file only says "may".
 */
#include <generated/features.h>
#ifdef HAVE_VMA_SUITE
#include <stdlib.h>
#include <string.h>
#include "vma_model.h"
#include "vma_internal.h"	/* the VM_ flags */

void vma_model_init(struct vma_model *m, unsigned long nr_pages)
{
	memset(m, 0, sizeof(*m));
	m->nr_pages = nr_pages;
	m->pages = calloc(nr_pages, sizeof(*m->pages));
	if (!m->pages)
		abort();
	m->all_changed = true;
}

void vma_model_destroy(struct vma_model *m)
{
	free(m->pages);
	free(m->by_flags);
	memset(m, 0, sizeof(*m));
}

static void reserve_flags(struct vma_model *m, unsigned int n)
{
	if (n <= m->room_by_flags)
		return;
	m->room_by_flags = n > 2 * m->room_by_flags ? n : 2 * m->room_by_flags;
	m->by_flags = realloc(m->by_flags,
			      m->room_by_flags * sizeof(*m->by_flags));
	if (!m->by_flags)
		abort();
}

static void note_change(struct vma_model *m, unsigned long first,
			unsigned long n)
{
	if (m->nr_changed == VMA_MODEL_CHANGES) {
		m->all_changed = true;
		return;
	}
	m->changed[m->nr_changed][0] = first;
	m->changed[m->nr_changed][1] = first + n;
	m->nr_changed++;
}

void vma_model_settled(struct vma_model *m)
{
	m->nr_changed = 0;
	m->all_changed = false;
}

/* n more (or fewer) mapped pages with these flags. */
static void count_flags(struct vma_model *m, unsigned long flags, long n)
{
	unsigned int i;

	if (!n)
		return;
	m->mapped += n;
	for (i = 0; i < m->nr_by_flags; i++)
		if (m->by_flags[i].flags == flags)
			break;
	if (i == m->nr_by_flags) {
		reserve_flags(m, i + 1);
		m->by_flags[i].flags = flags;
		m->by_flags[i].pages = 0;
		m->nr_by_flags++;
	}
	m->by_flags[i].pages += n;
	/* Keep only flags that pages have, so the table stays short. */
	if (!m->by_flags[i].pages)
		m->by_flags[i] = m->by_flags[--m->nr_by_flags];
}

/*
 * The mapped pages of [first, first + n) leave the counts, run by run;
 * how many there were.
 */
static unsigned long uncount(struct vma_model *m, unsigned long first,
			     unsigned long n)
{
	unsigned long i, flags = 0, mapped = 0;
	long run = 0;

	for (i = first; i < first + n; i++) {
		const struct vma_page *p = &m->pages[i];

		if (!p->mapped)
			continue;
		if (run && p->flags != flags) {
			count_flags(m, flags, -run);
			run = 0;
		}
		flags = p->flags;
		run++;
		mapped++;
	}
	count_flags(m, flags, -run);
	return mapped;
}

void vma_page_map(struct vma_page *p, unsigned long flags, unsigned int file,
		  unsigned long pgoff, unsigned long anon)
{
	p->mapped = true;
	/* brk() sets VM_SOFTDIRTY, which merges ignore: not modelled. */
	p->flags = flags & ~VM_SOFTDIRTY;
	p->file = file;
	p->pgoff = pgoff;
	p->anon = anon;
	memset(&p->attrs, 0, sizeof(p->attrs));
}

void vma_model_map(struct vma_model *m, unsigned long first, unsigned long n,
		   unsigned long flags, unsigned int file, unsigned long pgoff,
		   unsigned long anon)
{
	unsigned long i;

	note_change(m, first, n);
	uncount(m, first, n);
	count_flags(m, flags & ~VM_SOFTDIRTY, n);
	for (i = 0; i < n; i++)
		vma_page_map(&m->pages[first + i], flags, file, pgoff + i, anon);
}

void vma_model_unmap(struct vma_model *m, unsigned long first, unsigned long n)
{
	note_change(m, first, n);
	m->unmapped += uncount(m, first, n);
	memset(&m->pages[first], 0, n * sizeof(*m->pages));
}

void vma_model_set_flags(struct vma_model *m, unsigned long first,
			 unsigned long n, unsigned long flags)
{
	unsigned long i;

	note_change(m, first, n);
	count_flags(m, flags & ~VM_SOFTDIRTY, uncount(m, first, n));
	for (i = first; i < first + n; i++)
		if (m->pages[i].mapped)
			m->pages[i].flags = flags & ~VM_SOFTDIRTY;
}

void vma_model_set_attrs(struct vma_model *m, unsigned long first,
			 unsigned long n, const struct vma_attrs *attrs)
{
	unsigned long i;

	note_change(m, first, n);
	for (i = first; i < first + n; i++)
		if (m->pages[i].mapped)
			m->pages[i].attrs = *attrs;
}

void vma_model_set_anon(struct vma_model *m, unsigned long first,
			unsigned long n, unsigned long anon)
{
	unsigned long i;

	note_change(m, first, n);
	for (i = first; i < first + n; i++)
		m->pages[i].anon = anon;
}

unsigned long vma_model_mapped(const struct vma_model *m, unsigned long first,
			       unsigned long n)
{
	unsigned long i, count = 0;

	if (first == 0 && n == m->nr_pages)
		return m->mapped;
	for (i = first; i < first + n; i++)
		count += m->pages[i].mapped;
	return count;
}

bool vma_pages_mergeable(const struct vma_page *l, const struct vma_page *r,
			 bool incoming_right)
{
	if (!l->mapped || !r->mapped)
		return false;
	if ((l->flags ^ r->flags) & ~VM_SOFTDIRTY)
		return false;
	if (l->flags & VM_SPECIAL)
		return false;
	if (l->file != r->file || r->pgoff != l->pgoff + 1)
		return false;
	if (l->attrs.name != r->attrs.name || l->attrs.pol != r->attrs.pol ||
	    l->attrs.uffd != r->attrs.uffd)
		return false;
	return l->anon == r->anon || !(incoming_right ? r->anon : l->anon);
}

bool vma_model_mergeable(const struct vma_model *m, unsigned long p,
			 bool incoming_right)
{
	return p && p < m->nr_pages &&
	       vma_pages_mergeable(&m->pages[p - 1], &m->pages[p],
				   incoming_right);
}

#endif /* HAVE_VMA_SUITE */
