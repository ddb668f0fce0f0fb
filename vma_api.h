/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMA suite's one way into the kernel's VMA code, whatever the tree's
 * generation: 6.12 keeps it in mm/vma.c behind a vma_merge_struct, 6.1 in
 * mm/mmap.c behind vma_merge()'s long argument list and __vma_adjust().
 * vma_api.c holds one small adapter per generation, chosen by
 * generated/features.h; vma.c, its ops, checks and model are shared, so a
 * replay file means the same on both.
 *
 * Each vapi_ call does what the named kernel caller does on that tree,
 * and nothing the suite could do itself.
 */
#ifndef _VMA_API_H
#define _VMA_API_H

#include <generated/features.h>
#include "vma_internal.h"

#ifdef HAVE_MM_VMA_C
#include <generated/src/mm/vma.h>
#else
/* What 6.12 has in mm/vma.h and 6.1 in mm/internal.h, which we do not read. */
static inline unsigned long vma_iter_addr(struct vma_iterator *vmi)
{
	return vmi->mas.index;
}

static inline unsigned long vma_iter_end(struct vma_iterator *vmi)
{
	return vmi->mas.last + 1;
}

static inline bool is_exec_mapping(vm_flags_t flags)
{
	return (flags & (VM_EXEC | VM_WRITE | VM_STACK)) == VM_EXEC;
}

static inline bool is_stack_mapping(vm_flags_t flags)
{
	return (flags & VM_STACK) == VM_STACK;
}

static inline bool is_data_mapping(vm_flags_t flags)
{
	return (flags & (VM_WRITE | VM_SHARED | VM_STACK)) == VM_WRITE;
}

struct vm_area_struct *copy_vma(struct vm_area_struct **vmap,
				unsigned long addr, unsigned long len,
				pgoff_t pgoff, bool *need_rmap_locks,
				bool keep_source);
int mm_take_all_locks(struct mm_struct *mm);
void mm_drop_all_locks(struct mm_struct *mm);
#endif

/* include/linux/mm.h's, from mm/mmap.c: the fault path's stack growth. */
int expand_downwards(struct vm_area_struct *vma, unsigned long address);
#ifdef HAVE_MMAP_EXPAND_STACK
struct vm_area_struct *expand_stack(struct mm_struct *mm, unsigned long addr);
struct vm_area_struct *find_extend_vma_locked(struct mm_struct *mm,
					      unsigned long addr);
#endif
/* Lookups; special mappings' and exec's link; binfmt's brk. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm,
					     unsigned long start_addr,
					     unsigned long end_addr);
int insert_vm_struct(struct mm_struct *mm, struct vm_area_struct *vma);
/* A VMA's protection from its flags, as mprotect and clear_refs set it. */
void vma_set_page_prot(struct vm_area_struct *vma);
int vm_brk_flags(unsigned long addr, unsigned long request,
		 unsigned long flags);
#ifdef HAVE_MMAP_RELOCATE_VMA_DOWN
/* exec's move of the stack VMA down (setup_arg_pages()). */
int relocate_vma_down(struct vm_area_struct *vma, unsigned long shift);
#endif

unsigned long vm_unmapped_area(struct vm_unmapped_area_info *info);

/*
 * The mm's mmap layout, as arch_pick_mmap_layout() sets it on an arch
 * without its own: top-down (6.12 MMF_TOPDOWN, 6.1 the get_unmapped_area
 * hook) or bottom-up, from base.
 */
void vapi_pick_mmap_layout(struct mm_struct *mm, bool topdown,
			   unsigned long base);

/*
 * mmap()'s choice of address for an anonymous private mapping: 6.12
 * __get_unmapped_area() (with no VMA flags), 6.1 get_unmapped_area(), down
 * to generic_get_unmapped_area() or its _topdown() twin by the layout.
 */
unsigned long vapi_get_unmapped_area(struct mm_struct *mm, unsigned long addr,
				     unsigned long len, unsigned long flags);

/*
 * munmap(): 6.12 do_vmi_munmap(), 6.1 do_mas_munmap() and what its caller
 * __vm_munmap() does with the lock.  With unlock, the mmap_lock is
 * dropped when it returns 0, and still held for writing on an error.
 */
int vapi_munmap(struct mm_struct *mm, unsigned long start, unsigned long len,
		bool unlock);

/*
 * mremap()'s move_vma() unmapping the source [start, start + len) of vma
 * after copy_vma(): the charge moves with the pages, so vma's VM_ACCOUNT
 * is hidden from the munmap and then given back to what is left of vma on
 * either side (6.1 finds the pieces by vma itself, which its munmap keeps
 * below the hole, and find_vma(); 6.12 by the munmap's iterator).  On
 * failure vma keeps no VM_ACCOUNT and the pages are charged again.
 */
int vapi_move_unmap(struct mm_struct *mm, struct vm_area_struct *vma,
		    unsigned long start, unsigned long len);

/*
 * mmap_region() on free pages: merge with a neighbour, else link a new VMA
 * with file and ops; *created says which.  ERR_PTR(-ENOMEM) on failure.
 */
struct vm_area_struct *vapi_map(struct mm_struct *mm, unsigned long start,
				unsigned long end, unsigned long flags,
				struct file *file,
				const struct vm_operations_struct *ops,
				pgoff_t pgoff, bool *created);

/*
 * The kernel's mmap_region() over [start, end) whatever is mapped there
 * (MAP_FIXED), the file's driver giving the VMA ops and then running hook
 * (may be NULL): 6.12 gathers the
 * old VMAs, clears their page tables, then merges or links the new VMA
 * and only then frees the old ones; 6.1 unmaps them first.  On failure
 * *gone says whether the old mappings are gone anyway (6.12 cannot put
 * back VMAs whose page tables it cleared, and leaves a hole as 6.1 does);
 * on success *created says whether the VMA at start is a new one.
 */
struct vapi_do_mmap;
struct vm_area_struct *vapi_mmap_region(struct mm_struct *mm,
					unsigned long start, unsigned long end,
					unsigned long flags, struct file *file,
					const struct vm_operations_struct *ops,
					pgoff_t pgoff,
					int (*hook)(struct vm_area_struct *vma),
					struct vapi_do_mmap *dm,
					bool *created, bool *gone);

/*
 * With dm, vapi_mmap_region() enters by do_mmap() instead, of the file or
 * anonymous, with this length (not end - start), PROT_ and MAP_ flags and
 * offset, and the address start (or without MAP_FIXED and
 * MAP_FIXED_NOREPLACE, the hint, but start is where it must map), as
 * mmap() does (vm_mmap_pgoff()): do_mmap() must work out the
 * VMA's flags and offset that mmap_region() is given (flags and pgoff are
 * not passed), and its checks come first.  populate gets what it tells
 * its caller to fault in.
 */
struct vapi_do_mmap {
	unsigned long hint;	/* the address, without MAP_FIXED(_NOREPLACE) */
	unsigned long len;
	unsigned long prot;
	unsigned long flags;
	unsigned long pgoff;
	unsigned long populate;
	/*
	 * A file's driver: with ->mmap only (VAPI_FOP_MMAP), with its own
	 * ->get_unmapped_area too, which asks the mm's layout as drivers
	 * do (VAPI_FOP_AREA), or without ->mmap (VAPI_FOP_NO_MMAP).  The
	 * ->get_unmapped_area counts its calls and keeps the last pgoff.
	 */
	int fop;
	unsigned long area_calls, area_pgoff;
	/*
	 * The file for this call only: as it is (VAPI_FILE_AS_IS), opened
	 * without FMODE_READ (VAPI_FILE_WRITE_ONLY), append-only
	 * (VAPI_FILE_APPEND), an active swapfile (VAPI_FILE_SWAP), or of a
	 * driver whose offsets are unsigned (VAPI_FILE_UNSIGNED_OFFSET).
	 */
	int file_as;
};

enum { VAPI_FOP_MMAP, VAPI_FOP_AREA, VAPI_FOP_NO_MMAP };
enum { VAPI_FILE_AS_IS, VAPI_FILE_WRITE_ONLY, VAPI_FILE_APPEND,
       VAPI_FILE_SWAP, VAPI_FILE_UNSIGNED_OFFSET };

/* The address do_mmap() is given: start, or without MAP_FIXED the hint. */
static inline unsigned long vapi_do_mmap_addr(const struct vapi_do_mmap *dm,
					      unsigned long start)
{
	return dm->flags & (MAP_FIXED | MAP_FIXED_NOREPLACE) ? start : dm->hint;
}

/*
 * What a modify call changes: vm_flags (mprotect, mlock), the anon_vma name
 * with the flags (madvise), the memory policy (mbind), or the userfaultfd
 * context with the flags (userfaultfd register and unregister).
 */
enum vapi_change {
	VAPI_FLAGS,
	VAPI_NAME,
	VAPI_POLICY,
	VAPI_UFFD,
};

/* The VMA's attributes after the change; the rest stays the VMA's own. */
struct vapi_attrs {
	unsigned long flags;
	struct anon_vma_name *name;
	struct mempolicy *policy;
	struct vm_userfaultfd_ctx uffd;
	bool give_up_on_oom;	/* userfaultfd_clear_vma() of a whole VMA */
};

/*
 * The callers' merge or split of [start, end) of vma (6.12: the
 * vma_modify_*() of the change, 6.1: vma_merge() and split_vma()): the
 * VMA that holds the range now, with vmi on it, or an ERR_PTR.  The
 * caller then sets the attributes, as mprotect_fixup(), madvise,
 * mbind_range() and userfaultfd do.
 */
struct vm_area_struct *vapi_modify(struct vma_iterator *vmi,
				   struct vm_area_struct *prev,
				   struct vm_area_struct *vma,
				   unsigned long start, unsigned long end,
				   enum vapi_change change,
				   const struct vapi_attrs *attrs);

/* vma_expand(): grow vma to [start, end), absorbing next if it ends there. */
int vapi_expand(struct mm_struct *mm, struct vm_area_struct *vma,
		unsigned long start, unsigned long end, pgoff_t pgoff,
		struct vm_area_struct *next);

/*
 * Shrink vma to [start, end) (6.12 vma_shrink(), 6.1 vma_adjust() as
 * shift_arg_pages() uses it): no VMA may lie above when the end moves.
 */
int vapi_shrink(struct mm_struct *mm, struct vm_area_struct *vma,
		unsigned long start, unsigned long end, pgoff_t pgoff);

/* mremap() growing in place by delta bytes; NULL on failure. */
struct vm_area_struct *vapi_extend(struct mm_struct *mm,
				   struct vm_area_struct *vma,
				   unsigned long delta);

/* brk() growing: do_brk_flags() on [addr, addr + len), free pages. */
int vapi_brk(struct mm_struct *mm, unsigned long addr, unsigned long len);

/*
 * vma_wants_writenotify(vma, prot) and vma_needs_dirty_tracking(vma) into
 * *wants and *dirty (-1 if the tree has no vma_needs_dirty_tracking(), as
 * 6.1, whose vma_wants_writenotify() is mm/mmap.c's); false if the tree
 * has neither.
 */
bool vapi_writenotify(struct vm_area_struct *vma, pgprot_t prot, bool *wants,
		      int *dirty);

/* The kernel's own validate_mm() (static in 6.1's mm/mmap.c). */
/*
 * exit_mmap(): zap every VMA's pages and free the page tables, then close
 * and free each VMA (remove_vma(); 6.12 frees it as unreachable) and
 * destroy mm_mt.  Returns the VMAs it removed (exit_mmap() BUGs unless
 * that is map_count).
 */
int vapi_exit_mmap(struct mm_struct *mm);

/*
 * The brk syscall (the kernel's own, from mm/mmap.c), entered as a system
 * call is, with no mmap_lock held: what it returns, the new break or, when
 * it refused, the old one.
 */
unsigned long vapi_sys_brk(struct mm_struct *mm, unsigned long brk);

void vapi_validate_mm(struct mm_struct *mm);

#endif
