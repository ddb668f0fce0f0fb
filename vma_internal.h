/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Our replacement for the kernel's mm/vma_internal.h: the types and helpers
 * that mm/vma.c and mm/vma.h need, written for this project.  The kernel's
 * header would pull in most of include/linux; vma_kernel.c includes this one
 * first, and generated/vma_guard.h (scripts/probe) defines the kernel
 * header's include guard so that its own #include "vma_internal.h" is empty.
 *
 * The structs hold what vma.c touches plus what the suite checks: the
 * anon_vma counts its chains and active VMAs, files count references,
 * mappings count the VMAs in their i_mmap tree, and every VMA knows whether
 * it is linked there and whether it was freed.  Page tables and TLBs are
 * recorders (vma_stubs.c).
 */
#ifndef _STUB_VMA_INTERNAL_H
#define _STUB_VMA_INTERNAL_H

#include <generated/vma_guard.h>
#include <generated/features.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/rcupdate.h>
#include <linux/maple_tree.h>
#include <linux/xarray.h>
#include "vma_model.h"

/*
 * What check_vma_pages() (vma.c) last found a VMA to be, and when: the
 * check_mm() that was running then, or the last one begun.  Kept in the
 * VMA, whose lines the check has just read; vm_area_dup() copies it, and
 * the copy's range tells it apart.
 */
struct vma_seen {
	unsigned long gen;
	unsigned long start, end;
	unsigned long flags;
	unsigned long pgoff;
	unsigned long anon;
	unsigned int file;
	struct vma_attrs attrs;
};

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(a)		ALIGN((a), PAGE_SIZE)
#define offset_in_page(a)	((unsigned long)(a) & (PAGE_SIZE - 1))
#define PHYS_PFN(a)		((unsigned long)((a) >> PAGE_SHIFT))
#define TASK_SIZE		(1UL << 47)
/* Where the suite's space starts, and the legacy bottom-up layout's base. */
#define TASK_UNMAPPED_BASE	0x10000000UL
#define FIRST_USER_ADDRESS	0UL
#define USER_PGTABLES_CEILING	0UL

typedef unsigned long vm_flags_t;

#define VM_NONE		0x00000000UL
#define VM_READ		0x00000001UL
#define VM_WRITE	0x00000002UL
#define VM_EXEC		0x00000004UL
#define VM_SHARED	0x00000008UL
#define VM_MAYREAD	0x00000010UL
#define VM_MAYWRITE	0x00000020UL
#define VM_MAYEXEC	0x00000040UL
#define VM_MAYSHARE	0x00000080UL
#define VM_GROWSDOWN	0x00000100UL
#define VM_UFFD_MISSING	0x00000200UL
#define VM_PFNMAP	0x00000400UL
#define VM_UFFD_WP	0x00001000UL
#define VM_LOCKED	0x00002000UL
#define VM_IO		0x00004000UL
#define VM_DONTEXPAND	0x00040000UL
#define VM_ACCOUNT	0x00100000UL
#define VM_HUGETLB	0x00400000UL
#define VM_MIXEDMAP	0x10000000UL
#define VM_SOFTDIRTY	0x08000000UL
#define VM_DONTDUMP	0x04000000UL
#define VM_SEALED	(1UL << 63)
#define VM_SHADOW_STACK	VM_NONE
#define VM_STACK	VM_GROWSDOWN
#define VM_ACCESS_FLAGS	(VM_EXEC | VM_WRITE | VM_READ)
#define VM_SPECIAL	(VM_PFNMAP | VM_MIXEDMAP | VM_IO | VM_DONTEXPAND)

typedef struct {
	unsigned long pgprot;
} pgprot_t;
#define pgprot_val(x)	((x).pgprot)
#define __pgprot(x)	((pgprot_t) { (x) })

static inline pgprot_t vm_get_page_prot(unsigned long flags)
{
	return __pgprot(flags & (VM_ACCESS_FLAGS | VM_SHARED));
}

static inline pgprot_t pgprot_modify(pgprot_t old, pgprot_t new)
{
	return new;
}

/*
 * Locks: the suite is single-threaded, but every lock must be released.
 * taken is vma_lock_clock's count when a write lock was last taken, so
 * that a check can tell the order in which locks were taken.
 */
struct rw_semaphore {
	int held;
	long taken;
};

struct mutex {
	int held;
};
#define DEFINE_MUTEX(name)	struct mutex name = { 0 }

extern long vma_locks_held;
extern long vma_lock_clock;

static inline void mutex_lock(struct mutex *m)
{
	m->held++;
	vma_locks_held++;
}

static inline void mutex_unlock(struct mutex *m)
{
	m->held--;
	vma_locks_held--;
}

static inline bool mutex_is_locked(struct mutex *m)
{
	return m->held;
}

/*
 * slab.c: rw_semaphores held for writing, all of them rmap locks here
 * (i_mmap_rwsem, an anon_vma's): no maple node may be allocated under one.
 */
extern __thread unsigned int slab_rmap_held;

static inline void down_write(struct rw_semaphore *sem)
{
	sem->held++;
	sem->taken = ++vma_lock_clock;
	vma_locks_held++;
	slab_rmap_held++;
}

static inline void up_write(struct rw_semaphore *sem)
{
	WARN_ON(sem->held <= 0);
	sem->held--;
	vma_locks_held--;
	slab_rmap_held--;
}
#define down_write_nest_lock(sem, nest)	down_write(sem)

static inline bool test_bit(long nr, const volatile unsigned long *addr)
{
	return (*addr >> nr) & 1;
}

static inline bool __test_and_set_bit(long nr, volatile unsigned long *addr)
{
	bool old = test_bit(nr, addr);

	*addr |= 1UL << nr;
	return old;
}

static inline bool __test_and_clear_bit(long nr, volatile unsigned long *addr)
{
	bool old = test_bit(nr, addr);

	*addr &= ~(1UL << nr);
	return old;
}
#define test_and_set_bit	__test_and_set_bit
#define set_bit(nr, addr)	((void)__test_and_set_bit(nr, addr))
#define test_and_clear_bit	__test_and_clear_bit
#define clear_bit(nr, addr)	((void)__test_and_clear_bit(nr, addr))
#define AS_MM_ALL_LOCKS		2

#define MAX_ERRNO	4095
#define IS_ERR_VALUE(x)	((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)

static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static inline bool IS_ERR(const void *ptr)
{
	return IS_ERR_VALUE(ptr);
}

struct rb_node {
	unsigned long __rb_parent_color;
	struct rb_node *rb_right, *rb_left;
};

struct rb_root {
	struct rb_node *rb_node;
};

struct rb_root_cached {
	struct rb_root rb_root;
	struct rb_node *rb_leftmost;
};

/*
 * An anon_vma.  nr_chains counts the anon_vma_chains that point here (one
 * per VMA in a single mm), num_active_vmas the VMAs whose ->anon_vma it is;
 * it is freed when its last chain goes, as put_anon_vma() would.
 */
struct anon_vma {
	struct anon_vma *root;
	struct rw_semaphore rwsem;
	struct rb_root_cached rb_root;
	long nr_chains;
	long num_active_vmas;
	long in_tree;		/* chains in the interval tree (rb_root) */
	unsigned long id;	/* never 0: the model's name for it */
	long users;		/* the suite's scratch: VMAs seen using it */
};

struct anon_vma_chain {
	struct vm_area_struct *vma;
	struct anon_vma *anon_vma;
	struct list_head same_vma;
	bool in_tree;
	/* The pages its VMA was filed under in the interval tree: [pgoff, last] */
	unsigned long tree_first, tree_last;
};

struct anon_vma_name {
	int dummy;
};

/*
 * One reference per VMA that points at it, as the kernel's mpol_dup()
 * copies give each VMA its own: vma.c checks the count against the VMAs,
 * so a merge or unmap that forgets mpol_put() leaks.
 */
struct mempolicy {
	atomic_t refcnt;
};

struct vm_userfaultfd_ctx {
	void *ctx;
};

/*
 * i_mmap is a count here: nr_vmas VMAs are in the (absent) interval tree.
 * can_writeback says whether the filesystem tracks dirty pages.
 */
struct inode {
	unsigned int i_mode;
	unsigned int i_flags;		/* S_APPEND, S_SWAPFILE */
};

struct address_space {
	struct inode *host;		/* do_mmap()'s swapfile check */
	struct rb_root_cached i_mmap;
	struct rw_semaphore i_mmap_rwsem;
	unsigned long flags;
	atomic_t i_mmap_writable;
	long nr_vmas;
	bool can_writeback;
	int dcache_locked;	/* flush_dcache_mmap_lock() taken, not released */
};

struct file;
struct vm_area_struct;

struct file_operations {
	unsigned int fop_flags;			/* 6.12 */
	unsigned long mmap_supported_flags;	/* 6.1 */
	int (*mmap)(struct file *file, struct vm_area_struct *vma);
	unsigned long (*get_unmapped_area)(struct file *, unsigned long,
					   unsigned long, unsigned long,
					   unsigned long);
};

struct path {
	void *dentry;
};

struct file {
	atomic_long_t f_count;
	unsigned int f_mode;
	struct path f_path;
	struct inode *f_inode;
	struct address_space *f_mapping;
	struct address_space mapping;
	struct inode inode;		/* what f_inode points to */
	const struct file_operations *f_op;
	unsigned long id;
};

struct mm_struct {
	struct maple_tree mm_mt;
	struct rw_semaphore mmap_lock;
	int map_count;
	unsigned long total_vm, locked_vm, data_vm, exec_vm, stack_vm;
	unsigned long hiwater_vm;	/* update_hiwater_vm()'s */
	unsigned long def_flags;
	unsigned long mmap_base;	/* generic_get_unmapped_area()'s */
	/* 6.1: arch_get_unmapped_area() or its _topdown() twin */
	unsigned long (*get_unmapped_area)(struct file *filp,
					   unsigned long addr,
					   unsigned long len,
					   unsigned long pgoff,
					   unsigned long flags);
	unsigned long start_brk, brk;	/* the heap: the sys_brk op's */
	unsigned long start_data, end_data;
	unsigned long flags;		/* MMF_*: exit_mmap() sets one */
	spinlock_t page_table_lock;	/* expand_downwards() takes it */
	/* Per-VMA locks: a VMA is write-locked while its vm_lock_seq equals it. */
	int mm_lock_seq;
};

struct vm_area_struct;
struct vm_fault;

struct vm_operations_struct {
	void (*open)(struct vm_area_struct *vma);
	void (*close)(struct vm_area_struct *vma);
	int (*may_split)(struct vm_area_struct *vma, unsigned long addr);
	int (*page_mkwrite)(struct vm_fault *vmf);
	int (*pfn_mkwrite)(struct vm_fault *vmf);
};

/* What the suite checks of a VMA's life: set by the stubs, not by vma.c. */
#define VMA_MAGIC_LIVE	0x766d61UL

struct vm_area_struct {
	unsigned long vm_start;
	unsigned long vm_end;
	struct mm_struct *vm_mm;
	pgprot_t vm_page_prot;
	vm_flags_t vm_flags;
	unsigned long vm_pgoff;
	struct file *vm_file;
	void *vm_private_data;
	const struct vm_operations_struct *vm_ops;
	struct anon_vma *anon_vma;
	struct list_head anon_vma_chain;
	struct mempolicy *vm_policy;
	struct vm_userfaultfd_ctx vm_userfaultfd_ctx;
	struct anon_vma_name *anon_name;
	bool detached;
	int vm_lock_seq;	/* vma_start_write(): the mm's mm_lock_seq */
	int in_i_mmap;		/* times in its mapping's i_mmap: 0 or 1 */
	unsigned long i_mmap_first, i_mmap_last;	/* its key there */
	unsigned long magic;	/* VMA_MAGIC_LIVE until freed */
	/* The suite's: what the VMA was before the op (note_joined()). */
	unsigned long was_start, was_end, was_pgoff;
	struct anon_vma *was_anon_vma;
	/* The suite's: its range at its last uprobe_mmap() of the op. */
	unsigned long uprobe_start, uprobe_end;
	/* The suite's: the range its uprobe_munmap() calls of the op spanned. */
	unsigned long unprobe_start, unprobe_end;
	/*
	 * The suite's: khugepaged_enter_vma(), perf_event_mmap(),
	 * ksm_add_vma() called on it in the op.
	 */
	bool thp_entered, perf_mmapped, ksm_added;
	struct vma_seen seen;	/* the suite's: check_vma_pages() */
};

struct vma_iterator {
	struct ma_state mas;
};

#ifdef HAVE_MAS_STATUS
#define VMA_ITER_START	.node = NULL, .status = ma_start
#else
#define VMA_ITER_START	.node = MAS_START
#endif

#define VMA_ITERATOR(it, m, addr)					\
	struct vma_iterator it = {					\
		.mas = { .tree = &(m)->mm_mt, .index = (addr), VMA_ITER_START }, \
	}

struct mmu_gather {
	struct mm_struct *mm;
};

struct task_struct {
	char comm[16];
	int pid;
	unsigned int personality;
	struct mm_struct *mm;
};
extern struct task_struct vma_current;
#define current		(&vma_current)
/*
 * A signal arrives at the countdown's last step (0: none comes): the
 * only caller, mm_take_all_locks(), asks once per VMA it visits.
 */
extern long vma_signal_countdown;
#define signal_pending(task)	\
	(vma_signal_countdown > 0 && --vma_signal_countdown == 0)

/* include/linux/mm.h's default; the vma suite lowers it in some sequences. */
#define DEFAULT_MAX_MAP_COUNT	65530
extern int sysctl_max_map_count;

#define VM_WARN_ON_ONCE_MM(cond, mm)	WARN_ON(cond)
#define VM_BUG_ON_MM(cond, mm)		BUG_ON(cond)
#define VM_BUG_ON_VMA(cond, vma)	BUG_ON(cond)

/* ---- The VMA iterator, as include/linux/mm.h and mm/internal.h give it ---- */

static inline void vma_iter_init(struct vma_iterator *it,
				 struct mm_struct *m, unsigned long addr)
{
#ifdef HAVE_MAS_INIT
	mas_init(&it->mas, &m->mm_mt, addr);
#else
	MA_STATE(mas, &m->mm_mt, addr, addr);

	it->mas = mas;
#endif
}

static inline struct vm_area_struct *vma_next(struct vma_iterator *it)
{
	/* mas_find(), not mas_next(): a fresh iterator must see its first VMA. */
	return mas_find(&it->mas, ULONG_MAX);
}

static inline struct vm_area_struct *vma_prev(struct vma_iterator *it)
{
	return mas_prev(&it->mas, 0);
}

/* The first VMA at or after the iterator that starts below max. */
static inline struct vm_area_struct *vma_find(struct vma_iterator *it,
					      unsigned long max)
{
	return mas_find(&it->mas, max - 1);
}

#ifdef HAVE_MAS_NEXT_RANGE
static inline struct vm_area_struct *vma_iter_next_range(struct vma_iterator *it)
{
	return mas_next_range(&it->mas, ULONG_MAX);
}
#endif

static inline void vma_iter_set(struct vma_iterator *it, unsigned long addr)
{
	mas_set(&it->mas, addr);
}

static inline void vma_iter_invalidate(struct vma_iterator *it)
{
	mas_pause(&it->mas);
}

#if defined(HAVE_MM_VMA_C) && !defined(VMA_DEFINES_vma_iter_clear_gfp)
static inline int vma_iter_clear_gfp(struct vma_iterator *it,
				     unsigned long start, unsigned long end,
				     gfp_t gfp)
{
	__mas_set_range(&it->mas, start, end - 1);
	mas_store_gfp(&it->mas, NULL, gfp);
	return mas_is_err(&it->mas) ? -ENOMEM : 0;
}
#endif

#ifndef VMA_DEFINES_vma_iter_free
static inline void vma_iter_free(struct vma_iterator *it)
{
	mas_destroy(&it->mas);
}
#endif

#define for_each_vma(it, v)	while (((v) = vma_next(&(it))))
#define for_each_vma_range(it, v, end)	while (((v) = vma_find(&(it), (end))))

static inline void vma_iter_dump_tree(struct vma_iterator *it)
{
#ifdef HAVE_MT_DUMP_FORMAT
	mt_dump(it->mas.tree, mt_dump_hex);
#else
	mt_dump(it->mas.tree);
#endif
}

struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
				     struct vm_area_struct **pprev);
void dump_vma(const struct vm_area_struct *vma);

/* ---- VMAs ---- */

static inline unsigned long vma_pages(const struct vm_area_struct *v)
{
	return (v->vm_end - v->vm_start) >> PAGE_SHIFT;
}

/*
 * The interval trees (a mapping's i_mmap, an anon_vma's rb_root) file a
 * VMA under the file pages it maps, [vm_pgoff, vm_pgoff + pages - 1]
 * (mm/interval_tree.c), so its range or pgoff may change only while it is
 * out of them: vma_prepare() and vma_complete() take it out and put it back.
 */
static inline unsigned long vma_tree_last(const struct vm_area_struct *v)
{
	return v->vm_pgoff + vma_pages(v) - 1;
}

static inline void vma_set_range(struct vm_area_struct *v,
				 unsigned long start, unsigned long end,
				 pgoff_t pgoff)
{
	v->vm_start = start;
	v->vm_end = end;
	v->vm_pgoff = pgoff;
}

static inline bool vma_is_anonymous(struct vm_area_struct *v)
{
	return !v->vm_ops;
}

static inline bool is_shared_maywrite(vm_flags_t flags)
{
	return (flags & (VM_SHARED | VM_MAYWRITE)) == (VM_SHARED | VM_MAYWRITE);
}

static inline bool vma_is_shared_maywrite(struct vm_area_struct *v)
{
	return is_shared_maywrite(v->vm_flags);
}

static inline bool is_vm_hugetlb_page(struct vm_area_struct *v)
{
	return v->vm_flags & VM_HUGETLB;
}

/*
 * Per-VMA locks as 6.4 and later have them, less the lock itself: a VMA is
 * write-locked until the mm's mmap_lock is next released, which the suite
 * does between ops (mm_lock_seq moves on).  Page faults under the VMA's
 * read lock must never see a VMA change that was not write-locked first.
 */
static inline void vma_start_write(struct vm_area_struct *vma)
{
	vma->vm_lock_seq = vma->vm_mm->mm_lock_seq;
}

static inline bool vma_write_locked(const struct vm_area_struct *vma)
{
	return vma->vm_lock_seq == vma->vm_mm->mm_lock_seq;
}

static inline void vma_assert_write_locked(struct vm_area_struct *vma)
{
	WARN_ON(!vma_write_locked(vma));
}

/* A VMA leaves the tree write-locked, as the kernel asserts. */
static inline void vma_mark_detached(struct vm_area_struct *v, bool detached)
{
	if (detached)
		vma_assert_write_locked(v);
	v->detached = detached;
}

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm);
struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig);
void vm_area_free(struct vm_area_struct *vma);
void __vm_area_free(struct vm_area_struct *vma);

extern const struct vm_operations_struct vma_dummy_vm_ops;

#ifndef VMA_DEFINES_vma_close
/* Close once, then no hook may run on the half-torn-down VMA again. */
static inline void vma_close(struct vm_area_struct *v)
{
	if (v->vm_ops && v->vm_ops->close) {
		v->vm_ops->close(v);
		v->vm_ops = &vma_dummy_vm_ops;
	}
}
#endif

/*
 * The mmap_lock's state: the suite holds it for writing, but munmap may
 * be asked to downgrade and drop it (do_vmi_munmap()'s unlock); whoever
 * asserts it must find it held as they need it.
 */
enum { MMAP_UNLOCKED, MMAP_READ_LOCKED, MMAP_WRITE_LOCKED };
extern int vma_mmap_lock;

static inline void mmap_assert_write_locked(struct mm_struct *mm)
{
	WARN_ON(vma_mmap_lock != MMAP_WRITE_LOCKED);
}

static inline void mmap_assert_locked(struct mm_struct *mm)
{
	WARN_ON(vma_mmap_lock == MMAP_UNLOCKED);
}

extern unsigned long vma_downgrades;	/* mmap_write_downgrade() calls */

static inline void mmap_write_downgrade(struct mm_struct *mm)
{
	WARN_ON(vma_mmap_lock != MMAP_WRITE_LOCKED);
	vma_mmap_lock = MMAP_READ_LOCKED;
	vma_downgrades++;
}

/* Only exit_mmap() takes it, from a process with no lock left. */
static inline void mmap_read_lock(struct mm_struct *mm)
{
	WARN_ON(vma_mmap_lock != MMAP_UNLOCKED);
	vma_mmap_lock = MMAP_READ_LOCKED;
}

static inline void mmap_write_lock(struct mm_struct *mm)
{
	WARN_ON(vma_mmap_lock != MMAP_UNLOCKED);
	vma_mmap_lock = MMAP_WRITE_LOCKED;
}

static inline void mmap_read_unlock(struct mm_struct *mm)
{
	WARN_ON(vma_mmap_lock != MMAP_READ_LOCKED);
	vma_mmap_lock = MMAP_UNLOCKED;
}

static inline void mmap_write_unlock(struct mm_struct *mm)
{
	WARN_ON(vma_mmap_lock != MMAP_WRITE_LOCKED);
	vma_mmap_lock = MMAP_UNLOCKED;
}

/* A system call, as the suite calls it: sys_brk(). */
#define SYSCALL_DEFINE1(name, t1, a1)	long sys_##name(t1 a1)

/*
 * The brk syscall's, vm_brk_flags()' and expand_stack()'s: a fatal signal
 * pending (the suite sets it for some ops) fails it without the lock.
 */
extern bool vma_fatal_signal;
static inline int mmap_write_lock_killable(struct mm_struct *mm)
{
	if (vma_fatal_signal)
		return -EINTR;
	mmap_write_lock(mm);
	return 0;
}

/*
 * Things this harness has none of: THP, hugetlb, uprobes, uffd write
 * protection.  Policies, uffd contexts and anon_vma names are the suite's
 * static objects, compared by address as merges compare them.
 */
/* Where huge pages would be split: recorded (vma_stubs.c). */
void vma_adjust_trans_huge(struct vm_area_struct *vma, unsigned long start,
			   unsigned long end, long adjust_next);
/* Where hugetlb's shared PMD tables would be unshared: recorded (vma_stubs.c). */
void hugetlb_split(struct vm_area_struct *vma, unsigned long addr);
/* Which VMAs would be offered to khugepaged: recorded (vma_stubs.c). */
void khugepaged_enter_vma(struct vm_area_struct *vma, unsigned long flags);
/* No uprobes, but their installs are counted (vma_stubs.c). */
void uprobe_mmap(struct vm_area_struct *v);
/* And their removals, as the range each VMA lost them over (vma_stubs.c). */
void uprobe_munmap(struct vm_area_struct *vma, unsigned long start,
		   unsigned long end);
/*
 * userfaultfd's unmap events, queued on the munmap's list and delivered
 * after the lock is dropped (vma_stubs.c records them).  6.12 passes the
 * VMA to userfaultfd_unmap_prep(), 6.1 the mm: a macro takes either.
 */
int uffd_unmap_prep_vma(struct vm_area_struct *vma, unsigned long start,
			unsigned long end, struct list_head *uf);
int uffd_unmap_prep_mm(struct mm_struct *mm, unsigned long start,
		       unsigned long end, struct list_head *uf);
#define userfaultfd_unmap_prep(vma_or_mm, start, end, uf)		\
	_Generic((vma_or_mm),						\
		 struct mm_struct *: uffd_unmap_prep_mm,		\
		 struct vm_area_struct *: uffd_unmap_prep_vma)		\
		((vma_or_mm), (start), (end), (uf))
void userfaultfd_unmap_complete(struct mm_struct *mm, struct list_head *uf);
/* brk's populate of a VM_LOCKED heap: recorded (vma_stubs.c). */
int mm_populate(unsigned long addr, unsigned long len);
static inline bool userfaultfd_wp(struct vm_area_struct *v)
{
	return v->vm_flags & VM_UFFD_WP;
}
static inline bool is_mergeable_vm_userfaultfd_ctx(struct vm_area_struct *v,
						   struct vm_userfaultfd_ctx ctx)
{
	return v->vm_userfaultfd_ctx.ctx == ctx.ctx;
}
/*
 * A uffd context here is an int of its UFFD_FEATURE_ bits.  mremap()
 * takes one without remap events off the VMA it moves, so 6.12.118's
 * copy_vma() merges the copy with nothing.
 */
#define UFFD_FEATURE_EVENT_REMAP	(1 << 2)
static inline bool vma_has_uffd_without_event_remap(struct vm_area_struct *vma)
{
	const int *ctx = vma->vm_userfaultfd_ctx.ctx;

	return ctx && !(*ctx & UFFD_FEATURE_EVENT_REMAP);
}
/* Names are the suite's own static objects: no reference counts. */
static inline struct anon_vma_name *anon_vma_name(struct vm_area_struct *v)
{
	return v->anon_name;
}
static inline bool anon_vma_name_eq(struct anon_vma_name *a,
				    struct anon_vma_name *b)
{
	return a == b;
}
#define vma_policy(vma)	((vma)->vm_policy)
static inline bool mpol_equal(struct mempolicy *a, struct mempolicy *b)
{
	return a == b;
}
static inline void mpol_get(struct mempolicy *pol)
{
	if (pol)
		atomic_inc(&pol->refcnt);
}
static inline void mpol_put(struct mempolicy *pol)
{
	if (pol && !WARN_ON(atomic_read(&pol->refcnt) <= 0))
		atomic_dec(&pol->refcnt);
}
/* A policy's copy for a new VMA: may fail (vma_stubs.c). */
int vma_dup_policy(struct vm_area_struct *src, struct vm_area_struct *dst);
/*
 * CONFIG_MEM_SOFT_DIRTY, as x86-64 has it: tracking is on where the flag
 * is off (clear_refs cleared it, and no mapping or brk set it since).
 */
static inline bool vma_soft_dirty_enabled(struct vm_area_struct *vma)
{
	return !(vma->vm_flags & VM_SOFTDIRTY);
}
static inline bool mapping_can_writeback(struct address_space *mapping)
{
	return mapping->can_writeback;
}
/*
 * On caches that alias, a spinlock (the mapping's i_pages lock) that keeps
 * flush_dcache_page() off i_mmap while it changes: never taken twice.
 */
static inline void flush_dcache_mmap_lock(struct address_space *mapping)
{
	WARN_ON(mapping->dcache_locked);
	mapping->dcache_locked++;
}
static inline void flush_dcache_mmap_unlock(struct address_space *mapping)
{
	WARN_ON(mapping->dcache_locked != 1);
	mapping->dcache_locked--;
}
void vm_unacct_memory(long pages);	/* recorded (vma_stubs.c) */
void vm_acct_memory(long pages);		/* recorded (vma_stubs.c) */
static inline void update_hiwater_rss(struct mm_struct *mm) { }
/* The peak of total_vm, recorded before an unmap takes pages away. */
static inline void update_hiwater_vm(struct mm_struct *mm)
{
	if (mm->hiwater_vm < mm->total_vm)
		mm->hiwater_vm = mm->total_vm;
}
static inline void lru_add_drain(void) { }
/* exit_mmap()'s steps outside the VMAs. */
#define MMF_OOM_SKIP	21
#define MMF_TOPDOWN	31	/* 6.12: mmap() searches top-down */
/* exit_mmap()'s calls to secondary MMUs and the arch: counted (vma_stubs.c). */
void mmu_notifier_release(struct mm_struct *mm);
void arch_exit_mmap(struct mm_struct *mm);
static inline void flush_cache_mm(struct mm_struct *mm) { }
static inline void trace_exit_mmap(struct mm_struct *mm) { }

/* ---- Files ---- */

static inline struct file *get_file(struct file *f)
{
	atomic_long_inc(&f->f_count);
	return f;
}

/* The suite owns its files: a put that drops the last reference is a bug. */
static inline void fput(struct file *f)
{
	WARN_ON(atomic_long_read(&f->f_count) <= 1);
	atomic_long_dec(&f->f_count);
}

static inline void mapping_allow_writable(struct address_space *as)
{
	atomic_inc(&as->i_mmap_writable);
}

/* A memfd sealed against writes would hold it negative: none is. */
static inline int mapping_map_writable(struct address_space *mapping)
{
	if (atomic_read(&mapping->i_mmap_writable) < 0)
		return -EPERM;
	atomic_inc(&mapping->i_mmap_writable);
	return 0;
}

static inline void mapping_unmap_writable(struct address_space *mapping)
{
	atomic_dec(&mapping->i_mmap_writable);
}

static inline void i_mmap_lock_write(struct address_space *mapping)
{
	down_write(&mapping->i_mmap_rwsem);
}

static inline void i_mmap_unlock_write(struct address_space *mapping)
{
	up_write(&mapping->i_mmap_rwsem);
}

void vma_interval_tree_insert(struct vm_area_struct *vma,
			      struct rb_root_cached *root);
void vma_interval_tree_remove(struct vm_area_struct *vma,
			      struct rb_root_cached *root);

/* ---- anon_vmas (vma_stubs.c: mm/rmap.c's part, written for the suite) ---- */

/* The first write fault's: reuse a neighbour's anon_vma, or a new one. */
int anon_vma_prepare(struct vm_area_struct *vma);
struct anon_vma *find_mergeable_anon_vma(struct vm_area_struct *vma);

static inline void anon_vma_lock_write(struct anon_vma *anon_vma)
{
	down_write(&anon_vma->root->rwsem);
}

static inline void anon_vma_unlock_write(struct anon_vma *anon_vma)
{
	up_write(&anon_vma->root->rwsem);
}

void anon_vma_interval_tree_insert(struct anon_vma_chain *avc,
				   struct rb_root_cached *root);
void anon_vma_interval_tree_remove(struct anon_vma_chain *avc,
				   struct rb_root_cached *root);
int anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src);
void unlink_anon_vmas(struct vm_area_struct *vma);
void anon_vma_merge(struct vm_area_struct *vma, struct vm_area_struct *next);

/* ---- Page tables and TLB: recorders (vma_stubs.c) ---- */

void tlb_gather_mmu(struct mmu_gather *tlb, struct mm_struct *mm);
/* find_extend_vma_locked() faulting in a locked stack's new pages. */
long populate_vma_page_range(struct vm_area_struct *vma, unsigned long start,
			     unsigned long end, int *locked);
/* exec's relocate_vma_down() (6.12): recorded in vma_record. */
unsigned long move_page_tables(struct vm_area_struct *vma,
			       unsigned long old_addr,
			       struct vm_area_struct *new_vma,
			       unsigned long new_addr, unsigned long len,
			       bool need_rmap_locks, bool for_stack);
void free_pgd_range(struct mmu_gather *tlb, unsigned long addr,
		    unsigned long end, unsigned long floor,
		    unsigned long ceiling);
void tlb_finish_mmu(struct mmu_gather *tlb);
#define tlb_gather_mmu_fullmm	tlb_gather_mmu
#ifdef HAVE_MM_VMA_C
void unmap_vmas(struct mmu_gather *tlb, struct ma_state *mas,
		struct vm_area_struct *vma, unsigned long start_addr,
		unsigned long end_addr, unsigned long tree_end,
		bool mm_wr_locked);
void free_pgtables(struct mmu_gather *tlb, struct ma_state *mas,
		   struct vm_area_struct *vma, unsigned long floor,
		   unsigned long ceiling, bool mm_wr_locked);
#else
/* 6.1 walks the tree of detached VMAs itself. */
void unmap_vmas(struct mmu_gather *tlb, struct maple_tree *mt,
		struct vm_area_struct *vma, unsigned long start_addr,
		unsigned long end_addr);
void free_pgtables(struct mmu_gather *tlb, struct maple_tree *mt,
		   struct vm_area_struct *vma, unsigned long floor,
		   unsigned long ceiling);
#endif

/*
 * ---- What the VMA functions of mm/mmap.c use (vma_api.c compiles them,
 * cut out by scripts/extract-vma): brk, vm_unmapped_area(), and on 6.1
 * the whole VMA API ----
 */
#define VM_GROWSUP		VM_NONE
#define VM_NORESERVE		0x00200000UL
#define VM_STARTGAP_FLAGS	(VM_GROWSDOWN | VM_SHADOW_STACK)
#define VM_DATA_DEFAULT_FLAGS	(VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | \
				 VM_MAYEXEC)

#define VM_UNMAPPED_AREA_TOPDOWN 1

struct vm_unmapped_area_info {
	unsigned long flags;
	unsigned long length;
	unsigned long low_limit;
	unsigned long high_limit;
	unsigned long align_mask;
	unsigned long align_offset;
	unsigned long start_gap;	/* 6.12; 6.1 has none and ignores it */
};

extern unsigned long stack_guard_gap;
extern unsigned long mmap_min_addr;

/*
 * include/linux/sched/mm.h's arch hooks, as an arch with a smaller
 * address space for mmap than TASK_SIZE has them (x86's DEFAULT_MAP_WINDOW
 * without a hint above it): the top of the suite's space.
 */
extern unsigned long vma_mmap_end;
#define arch_get_mmap_end(addr, len, flags)	(vma_mmap_end)
#define arch_get_mmap_base(addr, base)		(base)

static inline unsigned long vm_start_gap(struct vm_area_struct *vma)
{
	unsigned long start = vma->vm_start;

	if (vma->vm_flags & VM_STARTGAP_FLAGS) {
		start -= stack_guard_gap;
		if (start > vma->vm_start)
			start = 0;
	}
	return start;
}

static inline unsigned long vm_end_gap(struct vm_area_struct *vma)
{
	return vma->vm_end;	/* no VM_GROWSUP on this architecture */
}

#define NULL_VM_UFFD_CTX	((struct vm_userfaultfd_ctx) { NULL })

/*
 * Limits: RLIMIT_AS, RLIMIT_MEMLOCK, RLIMIT_DATA and RLIMIT_STACK bite
 * only where the suite sets vma_rlimit_as, _memlock, _data or _stack (some
 * ops of CONFIG_REFUSE sequences, vma.c), the others never.
 */
#define RLIM_INFINITY		(~0UL)
#define RLIMIT_AS		9
#define RLIMIT_DATA		2
#define RLIMIT_STACK		3
#define RLIMIT_MEMLOCK		8
#define CAP_IPC_LOCK		14
static inline bool capable(int cap)
{
	return false;
}

/*
 * Stack growth's: no hugetlb-only ranges here; a VMA below a stack that
 * is not accessible (PROT_NONE) asks no guard gap of it.
 */
static inline int is_hugepage_only_range(struct mm_struct *mm,
					 unsigned long addr, unsigned long len)
{
	return 0;
}

static inline bool vma_is_accessible(struct vm_area_struct *vma)
{
	return vma->vm_flags & VM_ACCESS_FLAGS;
}
/* include/linux/mm.h's test of a data segment against RLIMIT_DATA. */
static inline int check_data_rlimit(unsigned long rlim, unsigned long new,
				    unsigned long start, unsigned long end_data,
				    unsigned long start_data)
{
	if (rlim < RLIM_INFINITY &&
	    (new - start) + (end_data - start_data) > rlim)
		return -ENOSPC;
	return 0;
}

/*
 * mmap()'s choice of address (mm/mmap.c, extracted): what it needs of the
 * rest of the kernel.  No arch check; the capabilities' rule for a task
 * without CAP_SYS_RAWIO (cap_mmap_addr()): nothing below mmap_min_addr.
 * Shared anonymous memory's choice is shmem's, which without THP is the
 * mm's layout's; the suite has no THP, whose choice must not be asked for.
 */
#define MAP_SHARED	0x01
#define MAP_FIXED	0x10
#define PMD_SIZE	(1UL << 21)
#define arch_mmap_check(addr, len, flags)	(0)

static inline int security_mmap_addr(unsigned long addr)
{
	return addr < mmap_min_addr ? -EPERM : 0;
}

unsigned long shmem_get_unmapped_area(struct file *file, unsigned long addr,
				      unsigned long len, unsigned long pgoff,
				      unsigned long flags);

#ifdef HAVE___GET_UNMAPPED_AREA
static inline unsigned long thp_get_unmapped_area_vmflags(struct file *file,
		unsigned long addr, unsigned long len, unsigned long pgoff,
		unsigned long flags, vm_flags_t vm_flags)
{
	WARN_ON(1);
	return -ENOMEM;
}

unsigned long __get_unmapped_area(struct file *file, unsigned long addr,
				  unsigned long len, unsigned long pgoff,
				  unsigned long flags, vm_flags_t vm_flags);

/* include/linux/mm.h's: the brk syscall's check of its MAP_FIXED range. */
static inline unsigned long get_unmapped_area(struct file *file,
					      unsigned long addr,
					      unsigned long len,
					      unsigned long pgoff,
					      unsigned long flags)
{
	return __get_unmapped_area(file, addr, len, pgoff, flags, 0);
}
#else
unsigned long get_unmapped_area(struct file *file, unsigned long addr,
				unsigned long len, unsigned long pgoff,
				unsigned long flags);
#endif

extern unsigned long vma_rlimit_as, vma_rlimit_memlock, vma_rlimit_data;
extern unsigned long vma_rlimit_stack, vma_rlimit_data_max;
#define rlimit(r)		((r) == RLIMIT_AS ? vma_rlimit_as :	\
				 (r) == RLIMIT_MEMLOCK ? vma_rlimit_memlock : \
				 (r) == RLIMIT_DATA ? vma_rlimit_data :	\
				 (r) == RLIMIT_STACK ? vma_rlimit_stack : ~0UL)
#define rlimit_max(r)		((r) == RLIMIT_DATA ? vma_rlimit_data_max : ~0UL)

/*
 * Enough unless vma_commit_refuse; the stub records what was charged
 * (vma_stubs.c).
 */
int security_vm_enough_memory_mm(struct mm_struct *mm, long pages);

/* 6.12's flag setters; 6.1 writes vm_flags directly. */
static inline void vm_flags_init(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags = flags;
}

static inline void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma->vm_flags |= flags;
}

static inline void vma_set_anonymous(struct vm_area_struct *vma)
{
	vma->vm_ops = NULL;
}

static inline void vm_flags_clear(struct vm_area_struct *vma,
				  vm_flags_t flags)
{
	vma->vm_flags &= ~flags;
}

/* ---- mmap_region()'s world ---- */

#define VM_LOCKONFAULT		0x00080000UL
#define VM_LOCKED_MASK		(VM_LOCKED | VM_LOCKONFAULT)
#define VM_LOCKED_CLEAR_MASK	(~VM_LOCKED_MASK)	/* 6.1's */
#define VM_DROPPABLE		VM_NONE

/* The driver's mmap hook: the file's own (the suite sets it per op). */
static inline int call_mmap(struct file *file, struct vm_area_struct *vma)
{
	return file->f_op->mmap(file, vma);
}

/* mm/internal.h's: a hook that failed leaves no vm_ops to call. */
static inline int mmap_file(struct file *file, struct vm_area_struct *vma)
{
	int err = call_mmap(file, vma);

	if (err)
		vma->vm_ops = &vma_dummy_vm_ops;
	return err;
}

static inline bool vma_is_dax(const struct vm_area_struct *vma)
{
	return false;
}

static inline struct vm_area_struct *get_gate_vma(struct mm_struct *mm)
{
	return NULL;
}

/* mlock() cannot lock special or hugetlb pages; there is no gate VMA. */
static inline bool vma_supports_mlock(const struct vm_area_struct *vma)
{
	return !(vma->vm_flags & (VM_SPECIAL | VM_DROPPABLE | VM_HUGETLB));
}

/*
 * The suite's files are not hugetlbfs: VM_HUGETLB is a mapping's flag.
 * It reads the file, as the kernel's does: a caller must not ask of none.
 */
extern const struct file_operations hugetlbfs_file_operations;
static inline bool is_file_hugepages(struct file *file)
{
	return file->f_op == &hugetlbfs_file_operations;
}

/*
 * ---- do_mmap()'s world ----
 * The mmap() ABI's flags (include/uapi/asm-generic/mman*.h), and what
 * do_mmap() asks of the rest of the kernel: of a file, its open mode, its
 * inode's type (the offsets it may map) and whether its mount is noexec.
 */
#define PROT_READ		0x1
#define PROT_WRITE		0x2
#define PROT_EXEC		0x4
#define MAP_PRIVATE		0x02
#define MAP_SHARED_VALIDATE	0x03
#define MAP_DROPPABLE		0x08
#define MAP_TYPE		0x0f
#define MAP_ANONYMOUS		0x20
#define MAP_GROWSDOWN		0x0100
#define MAP_DENYWRITE		0x0800
#define MAP_EXECUTABLE		0x1000
#define MAP_LOCKED		0x2000
#define MAP_NORESERVE		0x4000
#define MAP_POPULATE		0x8000
#define MAP_NONBLOCK		0x10000
#define MAP_STACK		0x20000
#define MAP_HUGETLB		0x40000
#define MAP_SYNC		0x80000
#define MAP_FIXED_NOREPLACE	0x100000
#define MAP_UNINITIALIZED	0x4000000
#define LEGACY_MAP_MASK	(MAP_SHARED | MAP_PRIVATE | MAP_FIXED |		\
			 MAP_ANONYMOUS | MAP_DENYWRITE | MAP_EXECUTABLE |	\
			 MAP_UNINITIALIZED | MAP_GROWSDOWN | MAP_LOCKED |	\
			 MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK |		\
			 MAP_STACK | MAP_HUGETLB)
#define VM_WIPEONFORK		0x02000000UL
#define VM_SYNC			0x00800000UL
#define VM_NOHUGEPAGE		0x40000000UL
#define READ_IMPLIES_EXEC	0x0400000
#define FMODE_READ		0x1
#define FMODE_WRITE		0x2
#define FOP_MMAP_SYNC		0x4
#define FOP_UNSIGNED_OFFSET	0x20
#define FMODE_UNSIGNED_OFFSET	0x2000
#define OVERCOMMIT_NEVER	2
#define MAX_LFS_FILESIZE	((loff_t)LLONG_MAX)
#define S_IFMT			00170000
#define S_IFSOCK		0140000
#define S_IFREG			0100000
#define S_IFBLK			0060000
#define S_ISREG(m)		(((m) & S_IFMT) == S_IFREG)
#define S_ISBLK(m)		(((m) & S_IFMT) == S_IFBLK)
#define S_ISSOCK(m)		(((m) & S_IFMT) == S_IFSOCK)
#define S_APPEND		(1 << 2)
#define S_SWAPFILE		(1 << 8)
#define IS_SWAPFILE(inode)	((inode)->i_flags & S_SWAPFILE)
#define IS_APPEND(inode)	((inode)->i_flags & S_APPEND)

extern int sysctl_overcommit_memory;

static inline struct inode *file_inode(const struct file *f)
{
	return f->f_inode;
}

/* No noexec mounts; it reads the path, as the kernel's does. */
static inline bool path_noexec(const struct path *path)
{
	return path->dentry == (void *)1;
}

/* No protection keys: an execute-only mapping gets none. */
static inline int execute_only_pkey(struct mm_struct *mm)
{
	return -1;
}

/* include/linux/mman.h's, with no arch bits: each flag for its flag. */
#define vm_trans(x, bit, vm_bit)	((x) & (bit) ? (vm_bit) : 0)

static inline unsigned long calc_vm_prot_bits(unsigned long prot, int pkey)
{
	return vm_trans(prot, PROT_READ, VM_READ) |
	       vm_trans(prot, PROT_WRITE, VM_WRITE) |
	       vm_trans(prot, PROT_EXEC, VM_EXEC);
}

/* No THP in the suite's config: MAP_STACK asks nothing of it. */
static inline unsigned long calc_vm_flag_bits(struct file *file,
					      unsigned long flags)
{
	return vm_trans(flags, MAP_GROWSDOWN, VM_GROWSDOWN) |
	       vm_trans(flags, MAP_LOCKED, VM_LOCKED) |
	       vm_trans(flags, MAP_SYNC, VM_SYNC);
}

/* mm/mlock.c's: a task without CAP_IPC_LOCK may lock if its rlimit is not 0. */
static inline bool can_do_mlock(void)
{
	return rlimit(RLIMIT_MEMLOCK) != 0 || capable(CAP_IPC_LOCK);
}

/* No memfd seals on the suite's files. */
static inline int memfd_check_seals_mmap(struct file *file,
					 unsigned long *vm_flags)
{
	return 0;
}

static inline unsigned int memfd_file_seals(struct file *file)
{
	return 0;
}

static inline bool is_readonly_sealed(unsigned int seals,
				      unsigned long vm_flags)
{
	return false;
}

/* No memory-deny-write-execute, no arch flags to refuse. */
static inline bool map_deny_write_exec(unsigned long new, unsigned long old)
{
	return false;
}

static inline bool arch_validate_flags(unsigned long flags)
{
	return true;
}

/*
 * Shared anonymous memory never gets its shmem file here, as if
 * shmem_kernel_file_setup() ran out of memory: mmap_region() must fail
 * such a mapping and undo what it did (the suite asks no other).
 */
static inline int shmem_zero_setup(struct vm_area_struct *vma)
{
	return -ENOMEM;
}

/* What perf would be told of a new mapping: recorded (vma_stubs.c). */
void perf_event_mmap(struct vm_area_struct *vma);
/* Which VMAs would be offered to KSM: recorded (vma_stubs.c). */
void ksm_add_vma(struct vm_area_struct *vma);
/* The arch's hook for an unmap (6.1; powerpc's vdso): recorded (vma_stubs.c). */
void arch_unmap(struct mm_struct *mm, unsigned long start, unsigned long end);
#define trace_vm_unmapped_area(addr, info)	do { } while (0)
#define trace_vma_store(mt, vma)		do { } while (0)
#define trace_vma_mas_szero(mt, start, end)	do { } while (0)

#endif
