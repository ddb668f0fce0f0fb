// SPDX-License-Identifier: GPL-2.0
/*
 * The adapters behind vma_api.h: one per generation of the kernel's VMA
 * API, each built on the functions scripts/extract-vma cut out of the
 * tree's mm/mmap.c (generated/mmap_vma.c: static helpers and all, so they
 * are compiled here, in this file) and, on 6.12, on mm/vma.c.
 *
 * Each adapter calls the kernel the way that tree's own caller does
 * (mmap_region(), mprotect_fixup(), mremap(), brk()); where a tree has no
 * way to do an op, the op is shaped so that both can (vapi_shrink()).
 */
#include <generated/features.h>
#ifdef HAVE_VMA_SUITE
#include "vma_api.h"
#include "vma_stubs.h"
#include "slab_test.h"
#include "test.h"

/* What mm/mmap.c's extracted functions use that the harness has none of. */
unsigned long mmap_min_addr;
unsigned long vma_mmap_end = TASK_SIZE;
int sysctl_overcommit_memory;	/* OVERCOMMIT_GUESS */
unsigned long stack_guard_gap = 256UL << PAGE_SHIFT;

/* mm/mmap.c's own, which may_expand_vm() reads. */
static bool ignore_rlimit_data;

#ifndef HAVE_MM_VMA_C
int __vma_adjust(struct vm_area_struct *vma, unsigned long start,
		 unsigned long end, pgoff_t pgoff, struct vm_area_struct *insert,
		 struct vm_area_struct *expand);

/* mm/mmap.c's own, which the extracted mm_take_all_locks() takes. */
static DEFINE_MUTEX(mm_all_locks_mutex);

/* include/linux/mm.h's in 6.1: __vma_adjust() expanding vma itself. */
static inline int vma_adjust(struct vm_area_struct *vma, unsigned long start,
			     unsigned long end, pgoff_t pgoff,
			     struct vm_area_struct *insert)
{
	return __vma_adjust(vma, start, end, pgoff, insert, NULL);
}
#endif

/*
 * mm/mmap.c's own, for expand_stack(), which the extract leaves out with
 * the other preprocessor lines: no CONFIG_STACK_GROWSUP here, as on x86.
 */
#define vma_expand_up(vma, addr)	(-EFAULT)
#define vma_expand_down(vma, addr)	expand_downwards(vma, addr)

#include <generated/mmap_vma.c>

#ifdef HAVE_MM_VMA_C

/*
 * As __vm_munmap() does: userfaultfd's unmap events go out after the
 * munmap, failed or not.
 */
int vapi_munmap(struct mm_struct *mm, unsigned long start, unsigned long len,
		bool unlock)
{
	VMA_ITERATOR(vmi, mm, start);
	LIST_HEAD(uf);
	int ret = do_vmi_munmap(&vmi, mm, start, len, &uf, unlock);

	userfaultfd_unmap_complete(mm, &uf);
	return ret;
}

int vapi_move_unmap(struct mm_struct *mm, struct vm_area_struct *vma,
		    unsigned long start, unsigned long len)
{
	bool acct = vma->vm_flags & VM_ACCOUNT;
	bool below = acct && vma->vm_start < start;
	bool above = acct && vma->vm_end > start + len;
	VMA_ITERATOR(vmi, mm, start);
	LIST_HEAD(uf);
	int err;

	if (acct)
		vm_flags_clear(vma, VM_ACCOUNT);
	err = do_vmi_munmap(&vmi, mm, start, len, &uf, false);
	/* mremap() delivers the move's unmap events once it is done. */
	userfaultfd_unmap_complete(mm, &uf);
	if (err) {
		if (acct)
			vm_acct_memory(len >> PAGE_SHIFT);
		return err;
	}
	/* The iterator stands in the hole, between the pieces. */
	if (below)
		vm_flags_set(vma_prev(&vmi), VM_ACCOUNT);
	if (above)
		vm_flags_set(vma_next(&vmi), VM_ACCOUNT);
	return 0;
}

/* The new VMA of mmap_region() where vma_merge_new_range() found none. */
static struct vm_area_struct *link_new_vma(struct mm_struct *mm,
					   struct vma_iterator *vmi,
					   unsigned long start, unsigned long end,
					   unsigned long flags, struct file *file,
					   const struct vm_operations_struct *ops,
					   pgoff_t pgoff)
{
	struct vm_area_struct *vma = vm_area_alloc(mm);

	if (!vma)
		return ERR_PTR(-ENOMEM);
	vma_iter_config(vmi, start, end);
	vma_set_range(vma, start, end, pgoff);
	vma->vm_flags = flags;
	vma->vm_page_prot = vm_get_page_prot(flags);
	if (vma_iter_prealloc(vmi, vma)) {
		vm_area_free(vma);
		return ERR_PTR(-ENOMEM);
	}
	if (file) {
		vma->vm_file = get_file(file);
		vma->vm_ops = ops;
	}
	vma_start_write(vma);
	vma_iter_store(vmi, vma);
	mm->map_count++;
	vma_link_file(vma);
	return vma;
}

struct vm_area_struct *vapi_map(struct mm_struct *mm, unsigned long start,
				unsigned long end, unsigned long flags,
				struct file *file,
				const struct vm_operations_struct *ops,
				pgoff_t pgoff, bool *created)
{
	VMA_ITERATOR(vmi, mm, start);
	VMG_STATE(vmg, mm, &vmi, start, end, flags, pgoff);
	struct vm_area_struct *vma;

	vmg.file = file;
	vmg.next = vma_iter_next_rewind(&vmi, &vmg.prev);
	vma = vma_merge_new_range(&vmg);
	*created = !vma;
	if (vma)
		return vma;
#ifdef HAVE_BUG_MERGE_NEW_RESET
	/*
	 * A known kernel bug (scripts/probe): a merge whose expansion of prev
	 * failed leaves the iterator on prev.  Put it where the kernel meant
	 * to (harmless where it was not moved), unless --known-bugs.
	 */
	if (!opts.known_bugs)
		vma_iter_set(&vmi, start);
#endif
	return link_new_vma(mm, &vmi, start, end, flags, file, ops, pgoff);
}


struct vm_area_struct *vapi_modify(struct vma_iterator *vmi,
				   struct vm_area_struct *prev,
				   struct vm_area_struct *vma,
				   unsigned long start, unsigned long end,
				   enum vapi_change change,
				   const struct vapi_attrs *a)
{
	switch (change) {
#ifdef HAVE_VMA_MODIFY_ATTRS
	case VAPI_NAME:
		return vma_modify_flags_name(vmi, prev, vma, start, end,
					     a->flags, a->name);
	case VAPI_POLICY:
		return vma_modify_policy(vmi, prev, vma, start, end, a->policy);
	case VAPI_UFFD:
#ifdef HAVE_UFFD_GIVE_UP_ON_OOM
		return vma_modify_flags_uffd(vmi, prev, vma, start, end,
					     a->flags, a->uffd,
					     a->give_up_on_oom);
#else
		return vma_modify_flags_uffd(vmi, prev, vma, start, end,
					     a->flags, a->uffd);
#endif
#endif
	default:
		return vma_modify_flags(vmi, prev, vma, start, end, a->flags);
	}
}

int vapi_expand(struct mm_struct *mm, struct vm_area_struct *vma,
		unsigned long start, unsigned long end, pgoff_t pgoff,
		struct vm_area_struct *next)
{
	VMA_ITERATOR(vmi, mm, vma->vm_start);
	VMG_VMA_STATE(vmg, &vmi, NULL, vma, start, end);

	vmg.pgoff = pgoff;
	vmg.next = next;
	return vma_expand(&vmg);
}

int vapi_shrink(struct mm_struct *mm, struct vm_area_struct *vma,
		unsigned long start, unsigned long end, pgoff_t pgoff)
{
	VMA_ITERATOR(vmi, mm, vma->vm_start);

	return vma_shrink(&vmi, vma, start, end, pgoff);
}

struct vm_area_struct *vapi_extend(struct mm_struct *mm,
				   struct vm_area_struct *vma,
				   unsigned long delta)
{
	VMA_ITERATOR(vmi, mm, vma->vm_end);

	return vma_merge_extend(&vmi, vma, delta);
}

/* brk(): the VMA below the break, with the iterator on it, as 6.12 does. */
int vapi_brk(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
	VMA_ITERATOR(vmi, mm, addr);
	struct vm_area_struct *brkvma;

	if (vma_find(&vmi, addr + len))
		return -EINVAL;
	brkvma = mas_prev(&vmi.mas, 0);
	return do_brk_flags(&vmi, brkvma, addr, len, 0);
}

bool vapi_writenotify(struct vm_area_struct *vma, pgprot_t prot, bool *wants,
		      int *dirty)
{
#ifdef HAVE_VMA_WANTS_WRITENOTIFY
	*wants = vma_wants_writenotify(vma, prot);
	*dirty = vma_needs_dirty_tracking(vma);
	return true;
#else
	return false;
#endif
}

void vapi_validate_mm(struct mm_struct *mm)
{
	validate_mm(mm);
}

#else /* 6.1: the VMA code of mm/mmap.c */

int vapi_munmap(struct mm_struct *mm, unsigned long start, unsigned long len,
		bool unlock)
{
	MA_STATE(mas, &mm->mm_mt, start, start);
	LIST_HEAD(uf);
	int ret = do_mas_munmap(&mas, mm, start, len, &uf, unlock);

	userfaultfd_unmap_complete(mm, &uf);
	/* __vm_munmap(): 1 is success with the lock downgraded. */
	if (ret == 1) {
		mmap_read_unlock(mm);
		return 0;
	}
	if (!ret && unlock)
		mmap_write_unlock(mm);
	return ret;
}

int vapi_move_unmap(struct mm_struct *mm, struct vm_area_struct *vma,
		    unsigned long start, unsigned long len)
{
	bool acct = vma->vm_flags & VM_ACCOUNT;
	bool left = acct && vma->vm_end - vma->vm_start > len;
	bool split = acct && vma->vm_start < start &&
		     vma->vm_end > start + len;
	int err;

	vma->vm_flags &= ~VM_ACCOUNT;
	err = vapi_munmap(mm, start, len, false);
	if (err) {
		if (acct)
			vm_acct_memory(len >> PAGE_SHIFT);
		return err;
	}
	/* vma is what is left below the hole, or above it if none is. */
	if (left) {
		vma->vm_flags |= VM_ACCOUNT;
		if (split)
			find_vma(mm, vma->vm_end)->vm_flags |= VM_ACCOUNT;
	}
	return 0;
}

/* mmap_region(): vma_merge() with the VMA before start, else vma_link(). */
struct vm_area_struct *vapi_map(struct mm_struct *mm, unsigned long start,
				unsigned long end, unsigned long flags,
				struct file *file,
				const struct vm_operations_struct *ops,
				pgoff_t pgoff, bool *created)
{
	struct vm_area_struct *prev, *vma;

	find_vma_prev(mm, start, &prev);
	vma = vma_merge(mm, prev, start, end, flags, NULL, file, pgoff, NULL,
			NULL_VM_UFFD_CTX, NULL);
	*created = !vma;
	if (vma)
		return vma;
	vma = vm_area_alloc(mm);
	if (!vma)
		return ERR_PTR(-ENOMEM);
	vma_set_range(vma, start, end, pgoff);
	vma->vm_flags = flags;
	vma->vm_page_prot = vm_get_page_prot(flags);
	if (file) {
		vma->vm_file = get_file(file);
		vma->vm_ops = ops;
	}
	if (vma_link(mm, vma)) {
		if (file)
			fput(file);
		vm_area_free(vma);
		return ERR_PTR(-ENOMEM);
	}
	return vma;
}

/*
 * 6.1's mprotect_fixup(), madvise_update_vma(), mbind_range() and
 * userfaultfd: vma_merge() of the range with prev and next under the new
 * attributes, else split it off.  6.1's loops then find the next VMA
 * afresh; the iterator is left on the VMA that holds the range, where
 * 6.12 leaves it.
 */
struct vm_area_struct *vapi_modify(struct vma_iterator *vmi,
				   struct vm_area_struct *prev,
				   struct vm_area_struct *vma,
				   unsigned long start, unsigned long end,
				   enum vapi_change change,
				   const struct vapi_attrs *a)
{
	struct mm_struct *mm = vma->vm_mm;
	pgoff_t pgoff = vma->vm_pgoff + ((start - vma->vm_start) >> PAGE_SHIFT);
	struct vm_area_struct *merged;
	int err;

	merged = vma_merge(mm, prev, start, end, a->flags, vma->anon_vma,
			   vma->vm_file, pgoff, a->policy, a->uffd, a->name);
	if (merged) {
		vma = merged;
	} else {
		if (start != vma->vm_start) {
			err = split_vma(mm, vma, start, 1);
			if (err)
				return ERR_PTR(err);
		}
		if (end != vma->vm_end) {
			err = split_vma(mm, vma, end, 0);
			if (err)
				return ERR_PTR(err);
		}
	}
	vma_iter_set(vmi, start);
	mas_walk(&vmi->mas);
	return vma;
}

int vapi_expand(struct mm_struct *mm, struct vm_area_struct *vma,
		unsigned long start, unsigned long end, pgoff_t pgoff,
		struct vm_area_struct *next)
{
	MA_STATE(mas, &mm->mm_mt, vma->vm_start, vma->vm_start);

	return vma_expand(&mas, vma, start, end, pgoff, next);
}

/*
 * vma_adjust() with no insert, as 6.1's shift_arg_pages() shrinks the
 * stack.  It takes the first VMA above as the one to adjust when the end
 * moves, so the end moves only when there is none (the caller checks).
 */
int vapi_shrink(struct mm_struct *mm, struct vm_area_struct *vma,
		unsigned long start, unsigned long end, pgoff_t pgoff)
{
	if (WARN_ON(end != vma->vm_end && find_vma(mm, vma->vm_end)))
		return -EINVAL;
	return __vma_adjust(vma, start, end, pgoff, NULL, NULL);
}

/*
 * 6.1's mremap() in place: vma_merge() of the extension with vma (and the
 * next VMA, when it meets it), or vma_adjust() for a VMA with a close hook,
 * which 6.1's vma_merge() refuses outright.
 */
struct vm_area_struct *vapi_extend(struct mm_struct *mm,
				   struct vm_area_struct *vma,
				   unsigned long delta)
{
	unsigned long start = vma->vm_end, end = vma->vm_end + delta;
	pgoff_t pgoff = vma->vm_pgoff + vma_pages(vma);

	/* vma_to_resize() refuses these before mremap() gets here. */
	if (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP))
		return NULL;
	if (!vma->vm_ops || !vma->vm_ops->close)
		return vma_merge(mm, vma, start, end, vma->vm_flags,
				 vma->anon_vma, vma->vm_file, pgoff,
				 vma_policy(vma), vma->vm_userfaultfd_ctx,
				 anon_vma_name(vma));
	if (__vma_adjust(vma, vma->vm_start, end, vma->vm_pgoff, NULL, NULL))
		return NULL;
	return vma;
}

/*
 * 6.1's vma_wants_writenotify() is extracted (vma_set_page_prot() calls
 * it) and returns int; 6.1 has no vma_needs_dirty_tracking().
 */
bool vapi_writenotify(struct vm_area_struct *vma, pgprot_t prot, bool *wants,
		      int *dirty)
{
#ifdef HAVE_MMAP_WANTS_WRITENOTIFY
	*wants = vma_wants_writenotify(vma, prot);
	*dirty = -1;
	return true;
#else
	return false;
#endif
}

/* 6.1's brk(): the VMA below the break by mas_prev(), as it finds it. */
int vapi_brk(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
	MA_STATE(mas, &mm->mm_mt, addr, addr);
	struct vm_area_struct *brkvma;

	if (mas_find(&mas, addr + len - 1))
		return -EINVAL;
	brkvma = mas_prev(&mas, 0);
	return do_brk_flags(&mas, brkvma, addr, len, 0);
}

void vapi_validate_mm(struct mm_struct *mm)
{
	validate_mm(mm);
}

#endif /* HAVE_MM_VMA_C */

/*
 * The driver under the suite's files: its mmap hook gives the VMA the
 * file's vm_ops, then does what the op asked (fail, or change the flags).
 */
static const struct vm_operations_struct *driver_ops;
static int (*driver_hook)(struct vm_area_struct *vma);

static int driver_mmap(struct file *file, struct vm_area_struct *vma)
{
	vma->vm_ops = driver_ops;
	return driver_hook ? driver_hook(vma) : 0;
}

static const struct file_operations driver_fops = { .mmap = driver_mmap };

/* The mm's layout, as mm/shmem.c and drivers ask it for an address. */
static unsigned long layout_area(struct file *file, unsigned long addr,
				 unsigned long len, unsigned long pgoff,
				 unsigned long flags)
{
#ifdef HAVE___GET_UNMAPPED_AREA
	return mm_get_unmapped_area(current->mm, file, addr, len, pgoff, flags);
#else
	return current->mm->get_unmapped_area(file, addr, len, pgoff, flags);
#endif
}

static struct vapi_do_mmap *driver_dm;

static unsigned long driver_get_area(struct file *file, unsigned long addr,
				     unsigned long len, unsigned long pgoff,
				     unsigned long flags)
{
	driver_dm->area_calls++;
	driver_dm->area_pgoff = pgoff;
	return layout_area(file, addr, len, pgoff, flags);
}

static const struct file_operations driver_area_fops = {
	.mmap = driver_mmap,
	.get_unmapped_area = driver_get_area,
};

static const struct file_operations driver_no_mmap_fops;

/*
 * The call's driver, as one whose offsets are unsigned (/dev/mem): 6.12
 * reads FOP_UNSIGNED_OFFSET from its file_operations, 6.1 the file's
 * FMODE_UNSIGNED_OFFSET, so the file gets both.
 */
static struct file_operations unsigned_fops;

static void set_unsigned_offset(struct file *file)
{
	unsigned_fops = *file->f_op;
	unsigned_fops.fop_flags |= FOP_UNSIGNED_OFFSET;
	file->f_op = &unsigned_fops;
	file->f_mode |= FMODE_UNSIGNED_OFFSET;
}

/*
 * The kernel's mmap_region(), MAP_FIXED over whatever is mapped.  What it
 * did is read from what it left: a VMA of exactly the range is a new one
 * (a merge reaches past it); the old VMAs are gone once it succeeded, or
 * once it zapped their pages (a failure after vms_clean_up_area()).
 */
static unsigned long call_do_mmap(struct mm_struct *mm, struct file *file,
				  unsigned long addr, struct vapi_do_mmap *dm,
				  struct list_head *uf)
{
	current->mm = mm;
	addr = vapi_do_mmap_addr(dm, addr);
#ifdef HAVE_DO_MMAP_VM_FLAGS
	return do_mmap(file, addr, dm->len, dm->prot, dm->flags, 0, dm->pgoff,
		       &dm->populate, uf);
#else
	return do_mmap(file, addr, dm->len, dm->prot, dm->flags, dm->pgoff,
		       &dm->populate, uf);
#endif
}

struct vm_area_struct *vapi_mmap_region(struct mm_struct *mm,
					unsigned long start, unsigned long end,
					unsigned long flags, struct file *file,
					const struct vm_operations_struct *ops,
					pgoff_t pgoff,
					int (*hook)(struct vm_area_struct *vma),
					struct vapi_do_mmap *dm,
					bool *created, bool *gone)
{
	unsigned long zapped = vma_record.pages_zapped, ret;
	unsigned int f_mode = file ? file->f_mode : 0;
	VMA_ITERATOR(vmi, mm, start);
	bool had = vma_find(&vmi, end);
	LIST_HEAD(uf);
	struct vm_area_struct *vma;

	if (file) {
		file->f_op = &driver_fops;
		driver_ops = ops;
		driver_hook = hook;
	}
	if (file && dm) {
		dm->area_calls = 0;
		driver_dm = dm;
		if (dm->fop == VAPI_FOP_AREA)
			file->f_op = &driver_area_fops;
		else if (dm->fop == VAPI_FOP_NO_MMAP)
			file->f_op = &driver_no_mmap_fops;
		if (dm->file_as == VAPI_FILE_WRITE_ONLY)
			file->f_mode &= ~FMODE_READ;
		else if (dm->file_as == VAPI_FILE_APPEND)
			file->inode.i_flags = S_APPEND;
		else if (dm->file_as == VAPI_FILE_SWAP)
			file->inode.i_flags = S_SWAPFILE;
		else if (dm->file_as == VAPI_FILE_UNSIGNED_OFFSET)
			set_unsigned_offset(file);
	}
	/* do_mmap()'s caller delivers the unmap events, failed or not. */
	if (dm)
		ret = call_do_mmap(mm, file, start, dm, &uf);
	else
		ret = mmap_region(file, start, end - start, flags, pgoff, &uf);
	if (file) {
		file->f_op = &driver_fops;
		file->f_mode = f_mode;
		file->inode.i_flags = 0;
	}
	userfaultfd_unmap_complete(mm, &uf);
	*created = false;
	*gone = !had || vma_record.pages_zapped != zapped;
	if (IS_ERR_VALUE(ret))
		return ERR_PTR(ret);
	*gone = true;
	vma = mtree_load(&mm->mm_mt, start);
	if (ret != start || !vma) {
		if (dm)
			test_fail(__FILE__, __LINE__, "do_mmap(%#lx, %#lx, prot %#lx, flags %#lx, pgoff %#lx) returned %#lx, VMA %s: expected %#lx",
				  vapi_do_mmap_addr(dm, start), dm->len,
				  dm->prot, dm->flags, dm->pgoff, ret,
				  vma ? "there" : "missing", start);
		else
			test_fail(__FILE__, __LINE__, "mmap_region(%#lx, %#lx) returned %#lx, VMA %s",
				  start, end - start, ret,
				  vma ? "there" : "missing");
		return ERR_PTR(-EFAULT);
	}
	*created = vma->vm_start == start && vma->vm_end == end;
	return vma;
}

/*
 * The kernel's exit_mmap(), entered as a process's end does: with no
 * mmap_lock held (it takes the read lock, then the write lock).  Returns
 * how many VMAs it freed.
 */
int vapi_exit_mmap(struct mm_struct *mm)
{
	long vmas = slab_live("vm_area_struct");

	WARN_ON(vma_mmap_lock != MMAP_WRITE_LOCKED);
	vma_mmap_lock = MMAP_UNLOCKED;
	vma_mm_exiting = true;
	exit_mmap(mm);
	vma_mm_exiting = false;
	WARN_ON(vma_mmap_lock != MMAP_UNLOCKED);
	vma_mmap_lock = MMAP_WRITE_LOCKED;
	return vmas - slab_live("vm_area_struct");
}

void vapi_pick_mmap_layout(struct mm_struct *mm, bool topdown,
			   unsigned long base)
{
	mm->mmap_base = base;
#ifdef HAVE___GET_UNMAPPED_AREA
	if (topdown)
		set_bit(MMF_TOPDOWN, &mm->flags);
	else
		clear_bit(MMF_TOPDOWN, &mm->flags);
#else
	mm->get_unmapped_area = topdown ? arch_get_unmapped_area_topdown :
					  arch_get_unmapped_area;
#endif
}

/* mm/shmem.c's, without THP: the length's check, then the mm's layout. */
unsigned long shmem_get_unmapped_area(struct file *file, unsigned long addr,
				      unsigned long len, unsigned long pgoff,
				      unsigned long flags)
{
	if (len > TASK_SIZE)
		return -ENOMEM;
	return layout_area(file, addr, len, pgoff, flags);
}

unsigned long vapi_get_unmapped_area(struct mm_struct *mm, unsigned long addr,
				     unsigned long len, unsigned long flags)
{
	current->mm = mm;
#ifdef HAVE___GET_UNMAPPED_AREA
	return __get_unmapped_area(NULL, addr, len, 0, flags, 0);
#else
	return get_unmapped_area(NULL, addr, len, 0, flags);
#endif
}

/* Whatever it answers, it must have dropped the mmap_lock it took. */
unsigned long vapi_sys_brk(struct mm_struct *mm, unsigned long brk)
{
	unsigned long ret;

	WARN_ON(vma_mmap_lock != MMAP_WRITE_LOCKED);
	vma_mmap_lock = MMAP_UNLOCKED;
	current->mm = mm;
	ret = sys_brk(brk);
	WARN_ON(vma_mmap_lock != MMAP_UNLOCKED);
	vma_mmap_lock = MMAP_WRITE_LOCKED;
	return ret;
}
#endif /* HAVE_VMA_SUITE */
