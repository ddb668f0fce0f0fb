// SPDX-License-Identifier: GPL-2.0
/*
 * The VMA suite: the tree's own mm/vma.c (vma_kernel.c), driven through the
 * entry points 6.12 uses, with random op sequences checked against a page
 * model (vma_model.c) after every op.
 *
 * Each op is one function named for what it does, shaped like its caller in
 * the kernel: op_map() like mmap_region(), op_mprotect() like mprotect()'s
 * loop over mprotect_fixup(), op_unmap() like munmap(), op_extend() like
 * mremap() growing in place, op_copy() like move_vma().  An op that fails
 * with -ENOMEM must have had an allocation failure injected, and must leave
 * the pages as they were; -EINVAL only comes from a may_split hook.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <generated/features.h>
#include "test.h"

#ifdef HAVE_VMA_SUITE
#include "vma_internal.h"
#include "vma_api.h"
#include "vma_model.h"
#include "vma_stubs.h"
#include "slab_test.h"
#include "runner.h"
#include "maple_check.h"

#define VMA_BASE	0x10000000UL
#define NR_FILES	4	/* 1, 2: plain; 3, 4: vm_ops with open/close/may_split */
/* What do_mmap() sees of three of them (mmap_region() reads none of it). */
#define FILE_READ_ONLY	2	/* open without FMODE_WRITE */
#define FILE_NOEXEC	3	/* on a noexec mount */
#define FILE_DEVICE	4	/* no regular file: offsets up to ULONG_MAX bytes */
#define MAX_MERGE_PTS	64

enum vop_type {
	VOP_MAP,
	VOP_UNMAP,
	VOP_MPROTECT,
	VOP_FAULT,
	VOP_EXPAND,
	VOP_SHRINK,
	VOP_EXTEND,
	VOP_COPY,
	VOP_ITER,
	VOP_BRK,
	VOP_UNMAPPED_AREA,
	VOP_NAME,
	VOP_MBIND,
	VOP_UFFD,
	VOP_ALL_LOCKS,
	VOP_MMAP_REGION,
	VOP_MSEAL,
	VOP_GROW,
	VOP_SYS_BRK,
	NR_VOPS
};

struct vma_run {
	struct mm_struct mm;
	struct vma_model model;
	struct rng rng;
	struct file files[NR_FILES + 1];
	unsigned long nr_pages;
	unsigned long op_nr;
	struct test_op op;
	unsigned long injected;		/* allocation failures before this op */
	long result;			/* what the op returned, for --layout */
	long close_vmas;		/* VMAs with close_ops: made + opened - closed */
	char call[256];			/* the op's call, if a failure must say it */
	bool sealed;			/* the range unmapped holds a sealed page */
	bool refused;			/* the map_count limit refused a split */
	bool limit_as;			/* RLIMIT_AS is what is mapped (CONFIG_REFUSE) */
	bool limit_memlock;		/* RLIMIT_MEMLOCK is what is locked (same) */
	bool limit_data;		/* RLIMIT_DATA is the data mapped (same) */
	bool limit_data_hard;		/* and its hard limit too */
	bool limit_stack;		/* RLIMIT_STACK is near a stack's size */
	bool deny_write;		/* the op's file denies writable mappings */
	unsigned long brk_want;		/* sys_brk's shrink: the break asked for */
	struct vm_area_struct *move_src; /* a move's source VMA (UNMAP_MOVE) */
	bool gave_up;			/* a change that may give up a merge on -ENOMEM */
	unsigned long checks;		/* check_mm() calls begun */
	unsigned long (*former)[2];	/* the VMAs before the op, in pages */
	/* The VMAs check_mm() walked, in order: the later checks' list. */
	struct vm_area_struct **vmas;
	unsigned long nr_vmas;
	bool vmas_fresh;		/* no op since check_mm() passed */
	unsigned long nr_former;
	/* vma_adjust_trans_huge() would split huge pages at page p. */
	bool *thp_split;
	/* hugetlb_split() unshared the PMD tables across page p. */
	bool *hugetlb_split;
	/* Page boundaries where this op obliges the kernel to merge. */
	unsigned long merge_pts[MAX_MERGE_PTS];
	unsigned int nr_merge_pts;
};

static struct vma_run run;

/*
 * --bench's kernel figure: the clock around each kernel call an op makes,
 * apart from the model and the checks around it.  The ops need the model
 * to run at all (it picks their VMAs and says what they must return), so
 * they cannot be replayed without it as the maple suite's are.
 */
static bool timing;
static uint64_t kernel_ns, kernel_calls;

static uint64_t clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

#define KERNEL(call) ({						\
	uint64_t __t = timing ? clock_ns() : 0;			\
	__auto_type __v = (call);				\
								\
	if (timing) {						\
		kernel_ns += clock_ns() - __t;			\
		kernel_calls++;					\
	}							\
	__v;							\
})

/*
 * What one clock read costs (about 60 ns on a VM): a timed call holds
 * about one, and adds two to the run.
 */
static double clock_cost(void)
{
	uint64_t t = clock_ns();
	int i;

	for (i = 0; i < 100000; i++)
		clock_ns();
	return (clock_ns() - t) / 1e5 / 1e9;
}

/* ---- Files and their vm_ops ---- */

static void close_open(struct vm_area_struct *vma)
{
	run.close_vmas++;
}

/*
 * A driver's close hook gives back what the VMA's range held (as hugetlb
 * gives back the reservations of its range): the range must be the
 * VMA's own, mapped by no other VMA in mm_mt.  6.1's __split_vma() empties
 * a new VMA that it could not insert before closing it ("Avoid vm
 * accounting in close() operation"): the VMA it was split from still
 * maps those pages.  The VMAs met are only compared (exit_mmap() closes
 * each while the ones it freed are still in the tree).
 */
static void close_close(struct vm_area_struct *vma)
{
	MA_STATE(mas, &vma->vm_mm->mm_mt, vma->vm_start, vma->vm_start);
	struct vm_area_struct *other;

	run.close_vmas--;
	if (vma->vm_start >= vma->vm_end)
		return;
	mas_for_each(&mas, other, vma->vm_end - 1) {
		if (other == vma)
			continue;
		test_fail(__FILE__, __LINE__, "close hook of [%#lx, %#lx) ran while the VMA [%#lx, %#lx) maps its pages",
			  vma->vm_start, vma->vm_end, other->vm_start,
			  other->vm_end);
		break;
	}
}

/* A driver that refuses some splits, as special mappings do. */
static int close_may_split(struct vm_area_struct *vma, unsigned long addr)
{
	return ((addr - VMA_BASE) >> PAGE_SHIFT) % 7 == 3 ? -EINVAL : 0;
}

/* A driver that wants to hear of first writes to its shared pages. */
static int close_page_mkwrite(struct vm_fault *vmf)
{
	return 0;
}

static const struct vm_operations_struct file_ops;
static const struct vm_operations_struct close_ops = {
	.open = close_open,
	.close = close_close,
	.may_split = close_may_split,
	.page_mkwrite = close_page_mkwrite,
};

static const struct vm_operations_struct *file_vm_ops(unsigned int file)
{
	return file > 2 ? &close_ops : &file_ops;
}

static struct file *file_of(struct vma_run *r, unsigned int nr)
{
	return nr ? &r->files[nr] : NULL;
}

static unsigned int file_nr(const struct vm_area_struct *vma)
{
	return vma->vm_file ? vma->vm_file->id : 0;
}

static void file_init(struct file *f, unsigned int nr)
{
	atomic_long_set(&f->f_count, 1);
	f->f_mapping = &f->mapping;
	f->f_inode = &f->inode;
	f->mapping.host = &f->inode;
	f->id = nr;
	/* Files 2 and 4 are on a filesystem that writes back. */
	f->mapping.can_writeback = !(nr & 1);
	f->f_mode = FMODE_READ | (nr == FILE_READ_ONLY ? 0 : FMODE_WRITE);
	f->f_path.dentry = nr == FILE_NOEXEC ? (void *)1 : NULL;
	/* A character device: neither S_ISREG() nor S_ISBLK() nor S_ISSOCK(). */
	f->inode.i_mode = nr == FILE_DEVICE ? 0 : S_IFREG;
}

/*
 * ---- Attributes: anon_vma names, policies, uffd contexts ----
 *
 * Two distinct objects of each, numbered 1 and 2 in the model (0: none).
 * Merges compare them by address, so VMAs that differ in one never merge.
 */
#define NR_ATTRS	3

static struct anon_vma_name attr_names[NR_ATTRS];
static struct mempolicy attr_pols[NR_ATTRS];
/* Their features: context 1 asks for remap events, 2 does not. */
static int attr_uffd_ctxs[NR_ATTRS] = { 0, UFFD_FEATURE_EVENT_REMAP, 0 };

static struct anon_vma_name *name_of(unsigned int nr)
{
	return nr ? &attr_names[nr] : NULL;
}

static struct mempolicy *pol_of(unsigned int nr)
{
	return nr ? &attr_pols[nr] : NULL;
}

static void *uffd_of(unsigned int nr)
{
	return nr ? &attr_uffd_ctxs[nr] : NULL;
}

/* A pointer that is none of ours comes out as NR_ATTRS or more: a mismatch. */
static void attrs_of(const struct vm_area_struct *vma, struct vma_attrs *a)
{
	int *uffd = vma->vm_userfaultfd_ctx.ctx;

	a->name = vma->anon_name ? vma->anon_name - attr_names : 0;
	a->pol = vma->vm_policy ? vma->vm_policy - attr_pols : 0;
	a->uffd = uffd ? uffd - attr_uffd_ctxs : 0;
}

/* ---- Addresses, flags and the model ---- */

static unsigned long addr_of(unsigned long page)
{
	return VMA_BASE + (page << PAGE_SHIFT);
}

static unsigned long page_of(unsigned long addr)
{
	return (addr - VMA_BASE) >> PAGE_SHIFT;
}

/*
 * Op flag bits: R, W, X, shared (files), locked, special, and hugetlb
 * (files) or a stack (anonymous: VM_GROWSDOWN, with a guard gap below).
 */
#define FB_SHARED	0x08
#define FB_LOCKED	0x10
#define FB_SPECIAL	0x20
#define FB_HUGETLB	0x40
#define FB_GROWSDOWN	FB_HUGETLB

/* mlock() cannot lock special or hugetlb pages (vma_supports_mlock()). */
static unsigned long no_lock(unsigned long flags)
{
	if (flags & (VM_SPECIAL | VM_HUGETLB))
		flags &= ~VM_LOCKED;
	return flags;
}

static unsigned long flags_of(unsigned long bits, unsigned int file)
{
	unsigned long flags = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;

	flags |= bits & VM_ACCESS_FLAGS;
	if (bits & FB_LOCKED)
		flags |= VM_LOCKED;
	if (file && (bits & FB_SHARED))
		flags |= VM_SHARED | VM_MAYSHARE;
	if (file && (bits & FB_SPECIAL))
		flags |= VM_PFNMAP | VM_IO;
	/* Pages as big as small ones: only the paths that test it differ. */
	if (file && (bits & FB_HUGETLB))
		flags |= VM_HUGETLB;
	if (!file && (bits & FB_GROWSDOWN))
		flags |= VM_GROWSDOWN;
	return no_lock(flags);
}

/*
 * map and mmap_region: c holds the flag bits, the file number << 8, and
 * above it what the driver's mmap hook does (mmap_region only) and
 * whether the file offset is one page off the contiguous one.
 */
#define MAP_FILE(c)	((((c) >> 8) & 0xff) % (NR_FILES + 1))
#define MAP_HOOK_FAIL	0x10000	/* the hook fails */
#define MAP_HOOK_FLAGS	0x20000	/* the hook sets VM_DONTDUMP */
#define MAP_NEAR_PGOFF	0x40000	/* r bit 1: a page after, else before */
#define MAP_HOOK_CLEAR	0x80000	/* the hook clears VM_MAYEXEC */
#define MAP_HOOKS	(MAP_HOOK_FAIL | MAP_HOOK_FLAGS | MAP_HOOK_CLEAR)
#define MAP_INSERT	0x100000 /* map: insert_vm_struct() (map_insert()) */

/*
 * mmap_region with no file, c's shared bit and (a ^ b ^ r) % 8 at 7 (one
 * in eight; CONFIG_REFUSE's cases stop at 6): shared anonymous memory,
 * whose shmem file shmem_zero_setup() fails to make, so that it must fail
 * (-ENOMEM) after gathering and clearing what it maps over, its new VMA
 * allocated (a leak, or a VMA linked anyway, shows).  Bits already drawn,
 * so no new draw.  (r alone is 0 or 2 in most ops.)
 */
static bool map_shm(const struct test_op *op)
{
	return !MAP_FILE(op->c) && (op->c & FB_SHARED) &&
	       (op->a ^ op->b ^ op->r) % 8 == 7;
}

/* mprotect: c's flag bits to every VMA as mlockall() does (modify_all()) */
#define MPROTECT_ALL	0x100
/* With it, r bit 1: MCL_FUTURE too, if c locks (mm->def_flags VM_LOCKED) */
#define MPROTECT_FUTURE	0x2

/*
 * A mapping's offset: anonymous memory's is its address; a file's is
 * contiguous with neighbours mapped the same way, or one page off it
 * (where merge checks are off by one), or unrelated (r bit 0).
 */
static pgoff_t map_pgoff(const struct test_op *op, unsigned long first,
			 unsigned int fnr)
{
	if (!fnr)
		return addr_of(first) >> PAGE_SHIFT;
	if (op->c & MAP_NEAR_PGOFF)
		return op->r & 2 ? first + 1 : first - !!first;
	if (op->r & 1)
		return (op->r >> 1) % 1024;
	return first;
}

/* Clamp an op's page range to the address space: shrinking makes any args. */
static void op_range(struct vma_run *r, const struct test_op *op,
		     unsigned long *first, unsigned long *n)
{
	*first = op->a % r->nr_pages;
	*n = clamp(op->b, 1UL, r->nr_pages - *first);
}

/*
 * A boundary the op must merge at; the op's own range is right or left of
 * it.  Whether the two sides could merge is noted now, when the kernel
 * looks at the boundary: a later step of the op may give one side an
 * anon_vma (a merge spreads it), after which nothing looks again.
 */
static void add_merge_pt(struct vma_run *r, unsigned long page,
			 bool incoming_right)
{
	bool then = vma_model_mergeable(&r->model, page, incoming_right);
	unsigned long pt = page << 2 | then << 1 | incoming_right;
	unsigned int i;

	/* A later step of the op decides for a boundary it shares. */
	for (i = 0; i < r->nr_merge_pts; i++) {
		if (r->merge_pts[i] >> 2 == page) {
			r->merge_pts[i] = pt;
			return;
		}
	}
	if (r->nr_merge_pts < MAX_MERGE_PTS)
		r->merge_pts[r->nr_merge_pts++] = pt;
}

/*
 * What vm_stat_account() keeps for n pages with these flags.  The kinds
 * are the model's own, not mm/vma.h's is_*_mapping(), which the kernel's
 * count uses: code, executable and not writable; stack, growing down;
 * data, private and writable.  Each is checked before the next.
 */
static void add_stats(struct mm_struct *out, unsigned long flags,
		      unsigned long n)
{
	out->total_vm += n;
	if (flags & VM_LOCKED)
		out->locked_vm += n;
	if ((flags & VM_EXEC) && !(flags & (VM_WRITE | VM_GROWSDOWN)))
		out->exec_vm += n;
	else if (flags & VM_GROWSDOWN)
		out->stack_vm += n;
	else if ((flags & VM_WRITE) && !(flags & VM_SHARED))
		out->data_vm += n;
}

/* What vm_stat_account() would have kept for the model's pages. */
static void model_stats(struct vma_run *r, struct mm_struct *out)
{
	unsigned int i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < r->model.nr_by_flags; i++)
		add_stats(out, r->model.by_flags[i].flags,
			  r->model.by_flags[i].pages);
}

/*
 * The model's counts per flags against a pass over its pages: they are
 * kept op by op, and the stats checks of every op rest on them.
 */
static bool check_model_counts(struct vma_run *r)
{
	struct mm_struct want, got;
	unsigned long i;

	memset(&want, 0, sizeof(want));
	for (i = 0; i < r->nr_pages; i++)
		if (r->model.pages[i].mapped)
			add_stats(&want, r->model.pages[i].flags, 1);
	model_stats(r, &got);
	ASSERT_EQ(got.total_vm, want.total_vm);
	ASSERT_EQ(r->model.mapped, want.total_vm);
	ASSERT_EQ(got.locked_vm, want.locked_vm);
	ASSERT_EQ(got.exec_vm, want.exec_vm);
	ASSERT_EQ(got.stack_vm, want.stack_vm);
	ASSERT_EQ(got.data_vm, want.data_vm);
	return true;
}

static void set_mm_stats(struct vma_run *r)
{
	struct mm_struct s;

	model_stats(r, &s);
	r->mm.total_vm = s.total_vm;
	r->mm.locked_vm = s.locked_vm;
	r->mm.exec_vm = s.exec_vm;
	r->mm.stack_vm = s.stack_vm;
	r->mm.data_vm = s.data_vm;
}

/*
 * RLIMIT_DATA at the data pages mapped now (CONFIG_REFUSE's case 5), set
 * for this op from the model's stats, which the kernel's are made.  Then
 * may_expand_vm() refuses any growth of a data mapping (private,
 * writable, not a stack), except while nothing is data: a limit of 0
 * under an unlimited hard limit lets it through (its "workaround for
 * Valgrind"), but not where the hard limit is the limit too
 * (r->limit_data_hard), as `ulimit -d` sets both.  And the brk syscall
 * refuses a break whose heap and data segment together pass the limit
 * (check_data_rlimit()).
 */
static bool data_limit(struct vma_run *r)
{
	if (!r->limit_data)
		return false;
	set_mm_stats(r);
	vma_rlimit_data = r->mm.data_vm << PAGE_SHIFT;
	if (r->limit_data_hard)
		vma_rlimit_data_max = vma_rlimit_data;
	return true;
}

/*
 * may_expand_vm()'s warning of each refusal at RLIMIT_DATA (once a boot in
 * the kernel, once a call here), which a data-limited op may print: kept
 * off stderr.  Any other kernel output goes there as it would.
 */
static void data_warning(const char *line, void *arg)
{
	if (!strstr(line, "exceed data ulimit"))
		fprintf(stderr, "%s\n", line);
}

/* may_expand_vm() under data_limit(): no more pages with these flags. */
static bool data_growth_refused(struct vma_run *r, unsigned long flags)
{
	return data_limit(r) && is_data_mapping(flags) &&
	       (r->mm.data_vm || r->limit_data_hard);
}

/*
 * Whether may_expand_vm() must refuse n pages with flags where freed
 * pages (freed_data of them, as the caller counts them, data) are given
 * back: RLIMIT_AS at what is mapped, or RLIMIT_DATA at the data
 * (CONFIG_REFUSE's cases, never both), each then lets through only what
 * fits in what is given back.  Sets the limits for this op.
 */
static bool expand_refused(struct vma_run *r, unsigned long flags,
			   unsigned long n, unsigned long freed,
			   unsigned long freed_data)
{
	bool refused = false;

	if (r->limit_as) {
		vma_rlimit_as = r->mm.total_vm << PAGE_SHIFT;
		refused = n > freed;
	}
	return refused || (data_growth_refused(r, flags) && n > freed_data);
}

/*
 * ---- The map_count limit ----
 *
 * Some sequences run with a low sysctl_max_map_count (config bits 32-39),
 * so that the kernel's refusals are reached: split_vma() refuses when
 * map_count >= the limit, and munmap (vms_gather_munmap_vmas(), 6.1's
 * do_mas_align_munmap()) when the range lies strictly inside one VMA, whose
 * split would leave one more; do_brk_flags() when map_count > the limit.
 * The VMAs are counted in mm_mt, not read from map_count, which check_mm()
 * holds to the same number after each op.
 */
#define CONFIG_MAP_LIMIT_SHIFT	32

static int map_limit(void)
{
	return (ctx->config >> CONFIG_MAP_LIMIT_SHIFT) & 0xff;
}

static long count_vmas(struct vma_run *r)
{
	MA_STATE(mas, &r->mm.mm_mt, 0, 0);
	struct vm_area_struct *vma;
	long n = 0;

	mas_for_each(&mas, vma, ULONG_MAX)
		n++;
	return n;
}

/*
 * Whether munmap of [first, first + n) must fail with -ENOMEM: one VMA
 * holds the range with pages on both sides, and the mm is at its limit.
 */
static bool unmap_refused(struct vma_run *r, unsigned long first,
			  unsigned long n)
{
	struct vm_area_struct *vma;

	if (!map_limit())
		return false;
	vma = mtree_load(&r->mm.mm_mt, addr_of(first));
	return vma && vma->vm_start < addr_of(first) &&
	       vma->vm_end > addr_of(first + n) &&
	       count_vmas(r) >= sysctl_max_map_count;
}

/*
 * After a refusal, the VMAs expected (want: the same, or one more where
 * the first of two splits was made); check_mm() then finds the pages as
 * they were.
 */
static bool check_refused(struct vma_run *r, const char *what, long before,
			  long want, long err)
{
	long after = count_vmas(r);

	if (err != -ENOMEM || after != want)
		test_fail(__FILE__, __LINE__, "%s at %ld VMAs, max_map_count %d: returned %ld with %ld VMAs after, expected -ENOMEM with %ld",
			  what, before, sysctl_max_map_count, err, after, want);
	r->refused = true;
	return !ctx->failed;
}

/* An error from the kernel: -ENOMEM only with an injected failure. */
static bool expected_error(struct vma_run *r, int err, bool may_split)
{
	r->result = err;
	if (err == -ENOMEM) {
		/* The model said the limit would refuse (checked there). */
		if (r->refused || slab_faults.injected > r->injected ||
		    vma_record.commit_refused)
			return true;
		test_fail(__FILE__, __LINE__, "%s-ENOMEM with no allocation failure injected, %ld VMAs, max_map_count %d: expected success",
			  r->call, count_vmas(r), sysctl_max_map_count);
		return false;
	}
	if (err == -EINVAL && may_split)
		return true;
	/* Sealed VMAs may not be unmapped (vms_gather_munmap_vmas()). */
	if (err == -EPERM && r->sealed)
		return true;
	test_fail(__FILE__, __LINE__, "%sunexpected error %d", r->call, err);
	return false;
}

/* ---- Checks ---- */

/*
 * Compare one VMA with the model's pages.  A page the model has without an
 * anon_vma may have gained the anon_vma its VMA carries by merging with
 * pages that had it (dup_anon_vma()): the model adopts it then.
 */
/* A page that disagrees with its VMA: which field, with both values. */
static bool check_vma_page(struct vm_area_struct *vma, const struct vma_page *p,
			   unsigned long i, unsigned long pgoff,
			   const struct vma_attrs *a)
{
	if (!p->mapped)
		test_fail(__FILE__, __LINE__, "page %#lx is in VMA [%#lx, %#lx) but not mapped",
			  addr_of(i), vma->vm_start, vma->vm_end);
	ASSERT_TRUE(p->mapped);
	ASSERT_EQ(vma->vm_flags & ~VM_SOFTDIRTY, p->flags);
	ASSERT_EQ(file_nr(vma), p->file);
	ASSERT_EQ(pgoff, p->pgoff);
	ASSERT_EQ(a->name, p->attrs.name);
	ASSERT_EQ(a->pol, p->attrs.pol);
	ASSERT_EQ(a->uffd, p->attrs.uffd);
	return true;
}

static bool seen_equal(const struct vma_seen *a, const struct vma_seen *b)
{
	return a->start == b->start && a->end == b->end && a->flags == b->flags &&
	       a->pgoff == b->pgoff && a->anon == b->anon &&
	       a->file == b->file && a->attrs.name == b->attrs.name &&
	       a->attrs.pol == b->attrs.pol && a->attrs.uffd == b->attrs.uffd;
}

/*
 * Pages [from, to) of the VMA whose first page is first, as now says it is:
 * each mapped with its attributes, and with one anon_vma (*anon, 0 until a
 * page has one) among those that have one.
 */
static bool check_pages(struct vma_run *r, struct vm_area_struct *vma,
			const struct vma_seen *now, unsigned long first,
			unsigned long from, unsigned long to,
			unsigned long *anon)
{
	unsigned long i;

	for (i = from; i < to; i++) {
		struct vma_page *p = &r->model.pages[i];
		unsigned long pgoff = now->pgoff + (i - first);

		if ((!p->mapped || p->flags != now->flags ||
		     p->file != now->file || p->pgoff != pgoff ||
		     p->attrs.name != now->attrs.name ||
		     p->attrs.pol != now->attrs.pol ||
		     p->attrs.uffd != now->attrs.uffd) &&
		    !check_vma_page(vma, p, i, pgoff, &now->attrs))
			return false;
		if (p->anon) {
			if (*anon && *anon != p->anon)
				test_fail(__FILE__, __LINE__, "VMA [%#lx, %#lx) spans anon_vmas %lu and %lu",
					  vma->vm_start, vma->vm_end, *anon, p->anon);
			ASSERT_TRUE(!*anon || *anon == p->anon);
			*anon = p->anon;
		}
		/* From now on the pages have the VMA's (checked below). */
		p->anon = now->anon;
	}
	return true;
}

/*
 * Every page of the VMA must be mapped in the model with the VMA's
 * attributes.  The loop compares with values taken from the VMA once (it
 * runs over every page after every op); a page that differs gets the
 * field-by-field report.
 *
 * A VMA found as it was at the last check_mm() (or after that began) had
 * all its pages right then, and they took its anon_vma: of its pages,
 * only those an op wrote since that check settled the model need a look,
 * and the anon_vma they must agree with is the VMA's.  An older memo
 * proves nothing: the pages may have changed since, and a VMA come back
 * to what it once was without an op that wrote them.
 */
static bool check_vma_pages(struct vma_run *r, struct vm_area_struct *vma)
{
	unsigned long first = page_of(vma->vm_start), n = vma_pages(vma);
	const struct vma_model *m = &r->model;
	unsigned long anon = 0;
	unsigned int i;
	struct vma_seen now = {
		.gen = r->checks,
		.start = vma->vm_start,
		.end = vma->vm_end,
		.flags = vma->vm_flags & ~VM_SOFTDIRTY,
		.pgoff = vma->vm_pgoff,
		.anon = vma->anon_vma ? vma->anon_vma->id : 0,
		.file = file_nr(vma),
	};

	attrs_of(vma, &now.attrs);
	ASSERT_TRUE(vma->vm_start >= VMA_BASE);
	ASSERT_TRUE(first + n <= r->nr_pages);
	/*
	 * A VM_SPECIAL VMA never merges or expands, so one a check saw may
	 * only have shrunk since.  Its pages cannot tell: a special mapping
	 * merged into a like neighbour leaves them all alike.
	 */
	if ((vma->seen.flags & VM_SPECIAL) &&
	    (now.start < vma->seen.start || now.end > vma->seen.end)) {
		test_fail(__FILE__, __LINE__, "VM_SPECIAL VMA [%#lx, %#lx) was [%#lx, %#lx): special VMAs never merge or expand",
			  now.start, now.end, vma->seen.start, vma->seen.end);
		return false;
	}
	if (vma->seen.gen + 1 >= r->checks && !m->all_changed &&
	    seen_equal(&vma->seen, &now)) {
		anon = now.anon;
		for (i = 0; i < m->nr_changed; i++)
			if (!check_pages(r, vma, &now, first,
					 max(first, m->changed[i][0]),
					 min(first + n, m->changed[i][1]), &anon))
				return false;
	} else if (!check_pages(r, vma, &now, first, first, first + n, &anon)) {
		return false;
	}
	/* The VMA's anon_vma is the one its pages had, or none had one. */
	ASSERT_EQ(now.anon, anon);
	vma->seen = now;
	return true;
}

/*
 * vma_expand() and relocate_vma_down() grow any VMA they are given, a
 * special one too (their callers check): what check_vma_pages() saw of it
 * bounds it no more.
 */
static void may_grow(struct vm_area_struct *vma)
{
	memset(&vma->seen, 0, sizeof(vma->seen));
}

/* The VMA's own links: anon_vma chain, i_mmap, vm_ops. */
static bool check_vma_links(struct vma_run *r, struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc;

	ASSERT_EQ(vma->magic, VMA_MAGIC_LIVE);
	ASSERT_FALSE(vma->detached);
	ASSERT_TRUE(vma->vm_mm == &r->mm);
	if (vma->anon_vma) {
		ASSERT_TRUE(list_is_singular(&vma->anon_vma_chain));
		avc = list_first_entry(&vma->anon_vma_chain,
				       struct anon_vma_chain, same_vma);
		ASSERT_TRUE(avc->anon_vma == vma->anon_vma);
		ASSERT_TRUE(avc->vma == vma);
		ASSERT_TRUE(avc->in_tree);
		/* Filed under the pages it maps now: rmap finds them. */
		ASSERT_EQ(avc->tree_first, vma->vm_pgoff);
		ASSERT_EQ(avc->tree_last, vma_tree_last(vma));
	} else {
		ASSERT_TRUE(list_empty(&vma->anon_vma_chain));
	}
	ASSERT_EQ(vma->in_i_mmap, vma->vm_file ? 1 : 0);
	if (vma->vm_file) {
		ASSERT_TRUE(vma->vm_ops == file_vm_ops(file_nr(vma)));
		ASSERT_EQ(vma->i_mmap_first, vma->vm_pgoff);
		ASSERT_EQ(vma->i_mmap_last, vma_tree_last(vma));
	} else {
		ASSERT_TRUE(vma->vm_ops == NULL);
	}
	return true;
}

/*
 * Every anon_vma's counts equal the VMAs that use it; none leaked.  The
 * users are counted in each anon_vma's scratch field first: one pass each,
 * not one per pair of VMAs, on the spaces of a thousand VMAs.
 */
static bool check_anon_vmas(struct vma_run *r)
{
	long anon_vmas = 0, chains = 0;
	unsigned long i;

	for (i = 0; i < r->nr_vmas; i++)
		if (r->vmas[i]->anon_vma)
			r->vmas[i]->anon_vma->users = 0;
	for (i = 0; i < r->nr_vmas; i++) {
		if (!r->vmas[i]->anon_vma)
			continue;
		chains++;
		anon_vmas += r->vmas[i]->anon_vma->users++ == 0;
	}
	for (i = 0; i < r->nr_vmas; i++) {
		struct anon_vma *av = r->vmas[i]->anon_vma;

		if (!av)
			continue;
		ASSERT_EQ(av->nr_chains, av->users);
		ASSERT_EQ(av->num_active_vmas, av->users);
		ASSERT_EQ(av->in_tree, av->users);
	}
	ASSERT_EQ(slab_live("anon_vma"), anon_vmas);
	ASSERT_EQ(slab_live("anon_vma_chain"), chains);
	return true;
}

/*
 * Files: one reference and one i_mmap entry per VMA, plus the suite's own;
 * no flush_dcache_mmap_lock() left taken.
 */
static bool check_files(struct vma_run *r)
{
	long users[NR_FILES + 1] = { 0 }, writable[NR_FILES + 1] = { 0 };
	unsigned long i;
	unsigned int f;

	for (i = 0; i < r->nr_vmas; i++) {
		f = file_nr(r->vmas[i]);
		ASSERT_TRUE(f <= NR_FILES);
		users[f]++;
		writable[f] += vma_is_shared_maywrite(r->vmas[i]);
	}
	for (f = 1; f <= NR_FILES; f++) {
		ASSERT_EQ(atomic_long_read(&r->files[f].f_count), users[f] + 1);
		ASSERT_EQ(r->files[f].mapping.nr_vmas, users[f]);
		ASSERT_EQ(r->files[f].mapping.dcache_locked, 0);
		ASSERT_EQ(atomic_read(&r->files[f].mapping.i_mmap_writable),
			  writable[f]);
	}
	return true;
}

/*
 * Policies: one reference per VMA that holds one (vma_dup_policy() for a
 * split or a copy, mpol_put() for each VMA a merge or unmap removes).
 */
static bool check_policies(struct vma_run *r)
{
	long users[NR_ATTRS] = { 0 };
	struct vma_attrs a;
	unsigned long i;

	for (i = 0; i < r->nr_vmas; i++) {
		attrs_of(r->vmas[i], &a);
		ASSERT_TRUE(a.pol < NR_ATTRS);
		users[a.pol]++;
	}
	for (i = 1; i < NR_ATTRS; i++)
		ASSERT_EQ(atomic_read(&attr_pols[i].refcnt), users[i]);
	return true;
}

/* Where the op obliged the kernel to merge, the pages share one VMA. */
static bool check_merged(struct vma_run *r)
{
	unsigned int i;

	for (i = 0; i < r->nr_merge_pts; i++) {
		unsigned long p = r->merge_pts[i] >> 2;
		struct vm_area_struct *l, *rt;

		if (!(r->merge_pts[i] & 2) ||
		    !vma_model_mergeable(&r->model, p, r->merge_pts[i] & 1))
			continue;
		l = mtree_load(&r->mm.mm_mt, addr_of(p - 1));
		rt = mtree_load(&r->mm.mm_mt, addr_of(p));
		if (l == rt)
			continue;
		/* Merging would remove a VMA with a close hook: allowed not to. */
		if (l->vm_ops == &close_ops || rt->vm_ops == &close_ops)
			continue;
		test_fail(__FILE__, __LINE__,
			  "VMAs [%#lx, %#lx) and [%#lx, %#lx) must have merged at %#lx",
			  l->vm_start, l->vm_end, rt->vm_start, rt->vm_end, addr_of(p));
		return false;
	}
	return true;
}

/* The whole mm against the model, and the kernel's own validate_mm(). */
static bool check_mm(struct vma_run *r)
{
	MA_STATE(mas, &r->mm.mm_mt, 0, 0);
	struct vm_area_struct *vma;
	unsigned long pages = 0, last_end = 0;
	long vmas = 0, close_vmas = 0;

	r->checks++;
	ASSERT_EQ(vma_locks_held, 0);
	ASSERT_EQ(vma_record.tlb_active, 0);
	/* Only munmap(unlock) may drop it, and the suite takes it again. */
	ASSERT_EQ(vma_mmap_lock, MMAP_WRITE_LOCKED);
	r->nr_vmas = 0;
	r->vmas_fresh = false;
	mas_for_each(&mas, vma, ULONG_MAX) {
		/* Each VMA sits at exactly its own range in mm_mt, in order. */
		ASSERT_EQ(mas.index, vma->vm_start);
		ASSERT_EQ(mas.last, vma->vm_end - 1);
		ASSERT_TRUE(vma->vm_start < vma->vm_end);
		ASSERT_TRUE(vma->vm_start >= last_end);
		last_end = vma->vm_end;
		if (!check_vma_links(r, vma) || !check_vma_pages(r, vma))
			return false;
		/* check_vma_pages() kept it inside the pages: there is room. */
		r->vmas[vmas] = vma;
		pages += vma_pages(vma);
		vmas++;
		close_vmas += vma->vm_ops == &close_ops;
	}
	/* The VMAs cover every mapped page (and, above, only mapped ones). */
	ASSERT_EQ(pages, vma_model_mapped(&r->model, 0, r->nr_pages));
	ASSERT_EQ(r->mm.map_count, vmas);
	ASSERT_EQ(slab_live("vm_area_struct"), vmas);
	ASSERT_EQ(r->close_vmas, close_vmas);
	r->nr_vmas = vmas;
	if (!check_anon_vmas(r) || !check_files(r) || !check_policies(r) ||
	    !check_merged(r))
		return false;
	vapi_validate_mm(&r->mm);
	/* Every VMA matched its pages: they are the base of the next check. */
	if (!ctx->failed) {
		vma_model_settled(&r->model);
		r->vmas_fresh = true;
	}
	return !ctx->failed;
}

/* ---- Ops ---- */

/* What the op (munmap, mmap_region) must leave in the stats: the model's. */
static bool check_stats(struct vma_run *r, const char *what)
{
	struct mm_struct want;

	model_stats(r, &want);
	if (r->mm.total_vm != want.total_vm || r->mm.exec_vm != want.exec_vm ||
	    r->mm.data_vm != want.data_vm || r->mm.stack_vm != want.stack_vm ||
	    r->mm.locked_vm != want.locked_vm)
		test_fail(__FILE__, __LINE__, "%s accounting: total %lu exec %lu data %lu stack %lu locked %lu, expected %lu %lu %lu %lu %lu",
			  what, r->mm.total_vm, r->mm.exec_vm, r->mm.data_vm,
			  r->mm.stack_vm, r->mm.locked_vm, want.total_vm,
			  want.exec_vm, want.data_vm, want.stack_vm,
			  want.locked_vm);
	return !ctx->failed;
}

/* The mapped pages of [first, first + n) whose flags the test counts. */
static unsigned long model_count(struct vma_run *r, unsigned long first,
				 unsigned long n, bool (*counts)(vm_flags_t))
{
	unsigned long i, count = 0;

	for (i = first; i < first + n; i++)
		count += r->model.pages[i].mapped &&
			 counts(r->model.pages[i].flags);
	return count;
}

static bool is_accounted(vm_flags_t flags)
{
	return flags & VM_ACCOUNT;
}

/* VM_ACCOUNT pages of [first, first + n): what unmapping them unaccounts. */
static unsigned long model_accounted(struct vma_run *r, unsigned long first,
				     unsigned long n)
{
	return model_count(r, first, n, is_accounted);
}

/* The memory a munmap gave back: the VM_ACCOUNT pages it removed. */
static bool check_unaccounted(struct vma_run *r, const char *what,
			      unsigned long want)
{
	if (vma_record.unacct_pages != want)
		test_fail(__FILE__, __LINE__, "%s unaccounted %lu pages, expected %lu",
			  what, vma_record.unacct_pages, want);
	return !ctx->failed;
}

/* Whether [first, first + n) holds a sealed page, which munmap refuses. */
static bool model_sealed(struct vma_run *r, unsigned long first,
			 unsigned long n)
{
	unsigned long i;

	for (i = first; i < first + n; i++)
		if (r->model.pages[i].flags & VM_SEALED)
			return true;
	return false;
}

/* brk op bits in c */
#define BRK_VM_BRK	0x100	/* through vm_brk_flags(), as binfmt_elf maps bss */
#define BRK_EXEC	0x200	/* with it, VM_EXEC: the one flag it takes */
#define BRK_BAD_FLAG	0x400	/* with it, VM_WRITE too: refused */

/* unmap op bits in c (0x1f: unused flag bits, as other ops draw them). */
#define UNMAP_UNLOCK	0x100	/* munmap() drops mmap_lock when done */
#define UNMAP_RAGGED	0x200	/* a length a byte short of whole pages */
#define UNMAP_BAD_START	0x400	/* a start inside a page: refused */
#define UNMAP_NO_LEN	0x800	/* a zero length: refused */
#define UNMAP_TASK_SIZE	0x1000	/* a range at TASK_SIZE's edge (r % 7 says which) */
#define UNMAP_TO_TOP	0x2000	/* (internal) the length runs up to TASK_SIZE */
#define UNMAP_SYS_BRK	0x4000	/* (internal) the brk syscall, to r->brk_want */
#define UNMAP_MOVE	0x8000	/* (internal) mremap's, of r->move_src */

/* Whether a split at page p would be refused by its VMA's driver. */
static bool split_refused(struct vma_run *r, unsigned long p)
{
	struct vm_area_struct *vma = mtree_load(&r->mm.mm_mt, addr_of(p));

	return vma && vma->vm_start < addr_of(p) && vma->vm_ops &&
	       vma->vm_ops->may_split &&
	       vma->vm_ops->may_split(vma, addr_of(p));
}

/* Whether unmapping [first, first + n) splits a VMA the driver won't. */
static bool split_may_refuse(struct vma_run *r, unsigned long first,
			     unsigned long n)
{
	return split_refused(r, first) || split_refused(r, first + n);
}

/*
 * The error a brk that failed to shrink the heap stands for: brk answers
 * only the old break, and the model knows what may refuse its munmap of
 * [first, first + n) (expected_error() then says whether it could).
 */
static int brk_munmap_error(struct vma_run *r, unsigned long first,
			    unsigned long n)
{
	if (unmap_refused(r, first, n))
		return -ENOMEM;
	if (r->sealed)
		return -EPERM;
	if (split_may_refuse(r, first, n))
		return -EINVAL;
	return -ENOMEM;
}

/*
 * The brk syscall asked for break want, which it may refuse: whether it
 * made it.  It must answer want or, refused, the old break, and leave
 * mm->brk at what it answers.
 */
static bool sys_brk_made(struct vma_run *r, unsigned long want)
{
	unsigned long orig = r->mm.brk;
	unsigned long ret = KERNEL(vapi_sys_brk(&r->mm, want));

	if ((ret != want && ret != orig) || r->mm.brk != ret)
		test_fail(__FILE__, __LINE__, "brk(%#lx) from %#lx returned %#lx, mm->brk %#lx: expected %#lx, or %#lx refused",
			  want, orig, ret, r->mm.brk, want, orig);
	return ret == want;
}

/* The brk syscall shrinking the heap to r->brk_want: as munmap answers. */
static int unmap_sys_brk(struct vma_run *r, unsigned long first,
			 unsigned long n)
{
	return sys_brk_made(r, r->brk_want) ? 0 :
	       brk_munmap_error(r, first, n);
}

static struct vm_area_struct *stack_above(struct vma_run *r, long p);

/*
 * Whether munmap(unlock) of pages [first, first + n) (to the top with
 * to_top) must downgrade mmap_lock to read before it drops it: when it
 * unmaps anything, but, on 6.1, not next to a stack above (the first VMA
 * past the range, asked before the munmap), which may grow under the
 * read lock.
 */
static bool munmap_downgrades(struct vma_run *r, unsigned long first,
			      unsigned long n, bool to_top)
{
	unsigned long end = to_top ? r->nr_pages : first + n;

	if (!vma_model_mapped(&r->model, first, end - first))
		return false;
#ifdef HAVE_MUNMAP_STACK_KEEPS_WRITE
	return !stack_above(r, end);
#else
	return true;
#endif
}

/*
 * munmap(): do_vmi_munmap(); the stats and zapped pages must add up, and
 * with UNMAP_UNLOCK the lock must be dropped on success, downgraded to
 * read first where munmap_downgrades() says, and held on failure (the
 * suite takes it again).
 */
static int unmap_how(struct vma_run *r, unsigned long first, unsigned long n,
		     unsigned long how)
{
	unsigned long len = (n << PAGE_SHIFT) - (how & UNMAP_RAGGED ? 1 : 0);
	bool unlock = how & UNMAP_UNLOCK, down;
	int err;

	if (how & UNMAP_SYS_BRK)
		return unmap_sys_brk(r, first, n);
	if (how & UNMAP_MOVE)
		return KERNEL(vapi_move_unmap(&r->mm, r->move_src, addr_of(first),
					      len));
	/* The longest length do_vmi_munmap() takes: all of it above start. */
	if (how & UNMAP_TO_TOP)
		len = TASK_SIZE - addr_of(first);

	down = unlock && munmap_downgrades(r, first, n, how & UNMAP_TO_TOP);
	vma_downgrades = 0;
	err = KERNEL(vapi_munmap(&r->mm, addr_of(first), len, unlock));
	if (unlock && vma_mmap_lock != (err ? MMAP_WRITE_LOCKED : MMAP_UNLOCKED))
		test_fail(__FILE__, __LINE__, "munmap(unlock) returned %d with mmap_lock %s",
			  err, vma_mmap_lock == MMAP_WRITE_LOCKED ? "held" :
			  vma_mmap_lock == MMAP_READ_LOCKED ? "read-held" :
			  "dropped");
	else if (unlock && !err && vma_downgrades != down)
		test_fail(__FILE__, __LINE__, "munmap(unlock) of [%#lx, %#lx) downgraded mmap_lock %lu times before it dropped it: expected %d",
			  addr_of(first), addr_of(first) + len,
			  vma_downgrades, down);
	vma_mmap_lock = MMAP_WRITE_LOCKED;
	return err;
}

/* The userfaultfd contexts of pages [first, first + n), a bit per number. */
static unsigned int model_uffds(struct vma_run *r, unsigned long first,
				unsigned long n)
{
	unsigned int set = 0;
	unsigned long i;

	for (i = first; i < first + n; i++)
		if (r->model.pages[i].mapped)
			set |= 1U << r->model.pages[i].attrs.uffd;
	return set & ~1U;
}

/*
 * The unmap events that a munmap of [start, end) (or mmap_region's over
 * it) delivered: one for each userfaultfd context (want, by number) of the
 * VMAs it unmapped, over the whole range, if it succeeded (done); if it
 * failed, those queued before the failure, which go out all the same.
 */
static bool check_uffd_events(struct vma_run *r, unsigned long start,
			      unsigned long end, unsigned int want, bool done)
{
	unsigned long i, n = min(vma_record.nr_uffd_events,
				 (unsigned long)VMA_UFFD_EVENTS);
	unsigned int got = 0;

	for (i = 0; i < n; i++) {
		long nr = (int *)vma_record.uffd_events[i].ctx - attr_uffd_ctxs;
		bool ok = nr > 0 && nr < NR_ATTRS && (want & ~got & 1U << nr);

		if (!ok || vma_record.uffd_events[i].start != start ||
		    vma_record.uffd_events[i].end != end) {
			test_fail(__FILE__, __LINE__, "unmap of [%#lx, %#lx): userfaultfd unmap event %lu for context %ld on [%#lx, %#lx), expected one for each of the contexts %#x, once, on the range",
				  start, end, i, nr,
				  vma_record.uffd_events[i].start,
				  vma_record.uffd_events[i].end, want);
			return false;
		}
		got |= 1U << nr;
	}
	if (done && (got != want || vma_record.nr_uffd_events > n))
		test_fail(__FILE__, __LINE__, "unmap of [%#lx, %#lx) delivered userfaultfd unmap events to the contexts %#x (%lu events), expected %#x",
			  start, end, got, vma_record.nr_uffd_events, want);
	return !ctx->failed;
}

/*
 * The known bugs' leak: a brk syscall that failed its shrink's munmap, or
 * a vm_brk_flags() that failed (the munmap of a range that was mapped).
 */
static bool brk_uffd_leak_bug(struct vma_run *r)
{
	if (opts.known_bugs || !r->result)
		return false;
#ifdef HAVE_BUG_BRK_UFFD_LEAK
	if (r->op.type == VOP_SYS_BRK)
		return true;
#endif
#ifdef HAVE_BUG_VM_BRK_UFFD_LEAK
	if (r->op.type == VOP_BRK && (r->op.c & BRK_VM_BRK))
		return true;
#endif
	return false;
}

/*
 * Every userfaultfd unmap event an op queued must have gone out, and its
 * memory with it: the brk syscall delivers its own.  A failed brk shrink
 * leaves them queued in 6.1 and 6.12 (HAVE_BUG_BRK_UFFD_LEAK), and so does
 * vm_brk_flags() when its munmap fails (HAVE_BUG_VM_BRK_UFFD_LEAK).
 */
static bool check_uffd_delivered(struct vma_run *r)
{
	unsigned long queued = vma_record.uffd_queued;
	unsigned long left = vma_uffd_reclaim();

	if (left && !brk_uffd_leak_bug(r))
		test_fail(__FILE__, __LINE__, "%lu userfaultfd unmap events queued, %lu of them never delivered (leaked)",
			  queued, left);
	return !ctx->failed;
}

/*
 * 6.1's munmap() and brk() tell the arch of the range before they unmap it
 * (arch_unmap(): powerpc forgets its vdso there when it goes): once, with
 * the whole range.
 */
static bool check_arch_unmap(unsigned long start, unsigned long end)
{
#ifdef HAVE_ARCH_UNMAP
	ASSERT_EQ(vma_record.arch_unmaps, 1);
	ASSERT_EQ(vma_record.arch_unmap_start, start);
	ASSERT_EQ(vma_record.arch_unmap_end, end);
#endif
	return true;
}

/*
 * A move's munmap hides the source VMA's VM_ACCOUNT (the charge moves
 * with the pages) and gives it back to what is left of it; if the munmap
 * fails, the source keeps none and its pages are charged again (the
 * pages [vma_first, vma_last) the source VMA held).  Whether the charges
 * are what move_vma() makes: none, or the pages again.
 */
static bool move_unmap_acct(struct vma_run *r, unsigned long n, int err,
			    bool acct, unsigned long vma_first,
			    unsigned long vma_last)
{
	unsigned long want = err && acct ? n : 0;

	/* Through the model, which keeps counts per flags and notes changes. */
	if (err && acct)
		vma_model_set_flags(&r->model, vma_first, vma_last - vma_first,
				    r->model.pages[vma_first].flags &
				    ~VM_ACCOUNT);
	if (vma_record.acct_pages != want)
		test_fail(__FILE__, __LINE__, "mremap's munmap (%d) charged %lu pages, expected %lu",
			  err, vma_record.acct_pages, want);
	return !ctx->failed;
}

static int unmap_range_how(struct vma_run *r, unsigned long first,
			   unsigned long n, unsigned long how)
{
	unsigned long mapped = vma_model_mapped(&r->model, first, n);
	unsigned long accounted = model_accounted(r, first, n);
	unsigned long end = how & UNMAP_TO_TOP ? TASK_SIZE : addr_of(first + n);
	unsigned int uffds = model_uffds(r, first, n);
	bool refuse = unmap_refused(r, first, n);
	long vmas = refuse ? count_vmas(r) : 0;
	bool move = how & UNMAP_MOVE;
	bool acct = move && (r->move_src->vm_flags & VM_ACCOUNT);
	unsigned long vma_first = move ? page_of(r->move_src->vm_start) : 0;
	unsigned long vma_last = move ? page_of(r->move_src->vm_end) : 0;
	int err;

	set_mm_stats(r);
	vma_record.pages_zapped = 0;
	vma_record.unacct_pages = 0;
	vma_record.nr_uffd_events = 0;
	if (move)
		vma_record.acct_pages = 0;
	vma_record.arch_unmaps = 0;
	r->sealed = model_sealed(r, first, n);
	err = unmap_how(r, first, n, how);
	if (!err && !check_arch_unmap(addr_of(first), end))
		return err;
	if (!check_uffd_events(r, addr_of(first), end, uffds, !err))
		return err;
	if (move && !move_unmap_acct(r, n, err, acct, vma_first, vma_last))
		return err;
	/* The move's charge stays with the pages it moved. */
	if (move)
		accounted = 0;
	if (refuse && !check_refused(r, "munmap inside one VMA", vmas, vmas, err))
		return err;
	if (err) {
		/* A failed munmap accounts for nothing and zaps nothing. */
		check_stats(r, "munmap");
		check_unaccounted(r, "munmap", 0);
		if (vma_record.pages_zapped)
			test_fail(__FILE__, __LINE__, "failed munmap zapped %lu pages",
				  vma_record.pages_zapped);
		return err;
	}
	if (r->sealed)
		test_fail(__FILE__, __LINE__, "munmap of [%#lx, %#lx) succeeded over sealed pages",
			  addr_of(first), addr_of(first + n));
	vma_model_unmap(&r->model, first, n);
	check_stats(r, "munmap");
	check_unaccounted(r, "munmap", accounted);
	if (vma_record.pages_zapped != mapped)
		test_fail(__FILE__, __LINE__, "munmap zapped %lu pages, expected %lu",
			  vma_record.pages_zapped, mapped);
	return 0;
}

static int unmap_range(struct vma_run *r, unsigned long first, unsigned long n)
{
	return unmap_range_how(r, first, n, 0);
}

/*
 * do_vmi_munmap()'s range checks at TASK_SIZE: a start above it, or a
 * length that reaches past it (by a byte, by a page, or wrapping round),
 * is refused with -EINVAL; a range that ends exactly at TASK_SIZE is not
 * (nothing is mapped up there: 0).  Sets the range, returns the answer.
 */
static int task_size_range(const struct test_op *op, unsigned long first,
			   unsigned long n, unsigned long *start,
			   unsigned long *len)
{
	unsigned long size = n << PAGE_SHIFT;

	*start = addr_of(first);
	*len = size;
	switch (op->r % 7) {
	case 0:		/* a byte past TASK_SIZE */
		*len = TASK_SIZE - *start + 1;
		return -EINVAL;
	case 1:		/* so long that start + len wraps */
		*len = -size;
		return -EINVAL;
	case 2:		/* the last pages below TASK_SIZE */
		*start = TASK_SIZE - size;
		return 0;
	case 3:		/* a page past TASK_SIZE */
		*start = TASK_SIZE - size;
		*len = size + PAGE_SIZE;
		return -EINVAL;
	case 4:		/* at TASK_SIZE */
		*start = TASK_SIZE;
		return -EINVAL;
	default:	/* above TASK_SIZE */
		*start = TASK_SIZE + size;
		return -EINVAL;
	}
}

/*
 * munmap() with a range the checks must refuse (or, at TASK_SIZE's edge,
 * let through to nothing): the answer, and nothing changed or zapped.
 */
static bool unmap_bad_range(struct vma_run *r, const struct test_op *op,
			    unsigned long first, unsigned long n)
{
	unsigned long start = addr_of(first), len = n << PAGE_SHIFT;
	int err, want = -EINVAL;

	if (op->c & UNMAP_BAD_START)
		start += 1 + op->r % (PAGE_SIZE - 1);
	else if (op->c & UNMAP_NO_LEN)
		len = 0;
	else
		want = task_size_range(op, first, n, &start, &len);
	set_mm_stats(r);
	vma_record.pages_zapped = 0;
	err = KERNEL(vapi_munmap(&r->mm, start, len, false));
	r->result = err;
	if (err != want)
		test_fail(__FILE__, __LINE__, "munmap(%#lx, %#lx) returned %d, expected %d",
			  start, len, err, want);
	if (vma_record.pages_zapped)
		test_fail(__FILE__, __LINE__, "munmap(%#lx, %#lx) zapped %lu pages, expected none",
			  start, len, vma_record.pages_zapped);
	return check_stats(r, "munmap");
}

/*
 * munmap() as the syscall gives it: c's UNMAP_* bits say how; a bad start
 * or length must be refused with -EINVAL, changing nothing.  Under
 * UNMAP_TASK_SIZE one range in seven runs from the op's start up to
 * TASK_SIZE exactly, which must unmap all above it.
 */
static bool op_unmap(struct vma_run *r, const struct test_op *op)
{
	unsigned long first, n, how = op->c & (UNMAP_UNLOCK | UNMAP_RAGGED);
	int err;

	op_range(r, op, &first, &n);
	if ((op->c & UNMAP_TASK_SIZE) && op->r % 7 == 6) {
		n = r->nr_pages - first;
		how = (how & UNMAP_UNLOCK) | UNMAP_TO_TOP;
	} else if (op->c & (UNMAP_BAD_START | UNMAP_NO_LEN | UNMAP_TASK_SIZE)) {
		return unmap_bad_range(r, op, first, n);
	}
	err = unmap_range_how(r, first, n, how);
	/* Splitting a close-hook VMA may be refused. */
	return !err || expected_error(r, err, true);
}

/*
 * The flags mmap_region() gives a new mapping: VM_ACCOUNT when private
 * and writable (accountable_mapping()), and no VM_LOCKED where mlock
 * cannot lock (vma_supports_mlock(): special or hugetlb pages).
 */
static unsigned long mapped_flags(unsigned long flags)
{
	if ((flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) == VM_WRITE)
		flags |= VM_ACCOUNT;
	return no_lock(flags);
}

/*
 * 6.1's insert_vm_struct() gives back the pages of a VMA that vma_link()
 * could not link whether it had charged them or not (VM_ACCOUNT): a known
 * bug (scripts/probe), let through unless --known-bugs.
 */
static bool insert_unacct_bug(struct vm_area_struct *vma, int err)
{
#ifdef HAVE_BUG_INSERT_UNACCT
	return !opts.known_bugs && err == -ENOMEM &&
	       !(vma->vm_flags & VM_ACCOUNT) &&
	       vma_record.unacct_pages == vma_pages(vma) &&
	       !vma_record.acct_pages;
#else
	return false;
#endif
}

/*
 * insert_vm_struct(), as install_special_mapping() and exec's first stack
 * link a VMA they made: no merge, and a range that a VMA intersects is
 * refused with -ENOMEM.  An anonymous VMA's pgoff becomes its start's
 * page.  A private writable one is VM_ACCOUNT here, charged, and refused
 * when overcommit says no (CONFIG_REFUSE).  Half of them (r bit 1) unmap
 * the range first.  The caller frees the VMA it could not insert.
 */
static bool map_insert(struct vma_run *r, const struct test_op *op,
		       unsigned long first, unsigned long n,
		       unsigned int fnr, pgoff_t pgoff)
{
	unsigned long flags = mapped_flags(flags_of(op->c, fnr));
	bool paused = slab_faults.paused, over;
	struct vm_area_struct *vma;
	long net;
	int err;

	if (op->r & 2) {
		err = unmap_range(r, first, n);
		if (err)
			return expected_error(r, err, true);
	}
	over = vma_model_mapped(&r->model, first, n);
	/* The caller's allocation: not one whose failure the op answers. */
	slab_faults.paused = true;
	vma = vm_area_alloc(&r->mm);
	slab_faults.paused = paused;
	vma->vm_start = addr_of(first);
	vma->vm_end = addr_of(first + n);
	vma->vm_pgoff = fnr ? pgoff : 0;
	vma->vm_flags = flags;
	vma->vm_page_prot = vm_get_page_prot(flags);
	if (fnr) {
		vma->vm_file = get_file(file_of(r, fnr));
		vma->vm_ops = file_vm_ops(fnr);
	}
	vma_record.acct_pages = 0;
	vma_record.unacct_pages = 0;
	err = KERNEL(insert_vm_struct(&r->mm, vma));
	r->result = err;
	net = vma_record.acct_pages - vma_record.unacct_pages;
	if (err) {
		if (net && !insert_unacct_bug(vma, err))
			test_fail(__FILE__, __LINE__, "insert_vm_struct() of [%#lx, %#lx) returned %d: charged %lu pages, gave back %lu",
				  vma->vm_start, vma->vm_end, err,
				  vma_record.acct_pages, vma_record.unacct_pages);
		if (fnr)
			fput(vma->vm_file);
		vm_area_free(vma);
		if (over && err == -ENOMEM)
			return !ctx->failed;
		return !ctx->failed && expected_error(r, err, false);
	}
	if (over)
		test_fail(__FILE__, __LINE__, "insert_vm_struct() of [%#lx, %#lx) over a mapped page returned 0: expected -ENOMEM",
			  vma->vm_start, vma->vm_end);
	ASSERT_EQ(vma->vm_pgoff, fnr ? pgoff : addr_of(first) >> PAGE_SHIFT);
	ASSERT_EQ(net, flags & VM_ACCOUNT ? (long)n : 0L);
	if (vma->vm_ops == &close_ops)
		r->close_vmas++;
	vma_model_map(&r->model, first, n, flags, fnr, vma->vm_pgoff, 0);
	return !ctx->failed;
}

/*
 * mmap(MAP_FIXED): unmap what is there, then merge with a neighbour or link
 * a new VMA, as mmap_region() does (vapi_map()); or (MAP_INSERT)
 * insert_vm_struct() (map_insert()).
 */
static bool op_map(struct vma_run *r, const struct test_op *op)
{
	unsigned long first, n, start, end, flags;
	unsigned int fnr = MAP_FILE(op->c);
	struct vm_area_struct *vma;
	bool created;
	pgoff_t pgoff;
	int err;

	op_range(r, op, &first, &n);
	start = addr_of(first);
	end = addr_of(first + n);
	flags = flags_of(op->c, fnr);
	pgoff = map_pgoff(op, first, fnr);
	if (op->c & MAP_INSERT)
		return map_insert(r, op, first, n, fnr, pgoff);

	err = unmap_range(r, first, n);
	if (err)
		return expected_error(r, err, true);
	vma = KERNEL(vapi_map(&r->mm, start, end, flags, file_of(r, fnr),
			     file_vm_ops(fnr), pgoff, &created));
	if (IS_ERR(vma))
		return expected_error(r, PTR_ERR(vma), false);
	if (created && vma->vm_ops == &close_ops)
		r->close_vmas++;
	vma_model_map(&r->model, first, n, flags, fnr, pgoff, 0);
	add_merge_pt(r, first, true);
	add_merge_pt(r, first + n, false);
	return true;
}

/*
 * Whether the VMA needs write faults, by its flags, driver and file: for
 * its driver, or, unless a vm_page_prot the flags would not give turns
 * them off (!prot_kept), for its filesystem's writeback or (tracking) for
 * soft-dirty tracking, on where VM_SOFTDIRTY is off (not for hugetlb), or
 * for userfaultfd's write-protect mode (VM_UFFD_WP).
 */
static bool model_writenotify(struct vma_run *r, struct vm_area_struct *vma,
			      bool prot_kept, bool tracking)
{
	unsigned long flags = vma->vm_flags;
	unsigned int fnr = file_nr(vma);
	bool shared_writable = (flags & (VM_WRITE | VM_SHARED)) ==
			       (VM_WRITE | VM_SHARED);
	bool mkwrite = vma->vm_ops == &close_ops;
	bool wb = fnr && !(flags & VM_PFNMAP) &&
		  r->files[fnr].mapping.can_writeback;
	bool track = tracking && (!(flags & (VM_SOFTDIRTY | VM_HUGETLB)) ||
				  (flags & VM_UFFD_WP));

	return shared_writable && (mkwrite || (prot_kept && (wb || track)));
}

/*
 * vma_wants_writenotify() and vma_needs_dirty_tracking(), as
 * vma_set_page_prot() and mprotect() ask them after a change, against
 * what the VMA's flags, driver and file say: only a shared writable VMA
 * needs write faults, for a driver with page_mkwrite (files 3, 4) or a
 * filesystem that writes back (files 2, 4; not under VM_PFNMAP), or, for
 * vma_wants_writenotify() alone, for soft-dirty or uffd-wp tracking.  A
 * vm_page_prot that the flags would not give (a driver changed it) turns
 * all but the driver's reason off.  Half the VMAs are asked with such a
 * one.
 */
static bool check_writenotify(struct vma_run *r, struct vm_area_struct *vma)
{
	bool odd = page_of(vma->vm_start) & 1;
	pgprot_t prot = vm_get_page_prot(vma->vm_flags);
	bool wants;
	int dirty;

	if (odd)
		prot = __pgprot(pgprot_val(prot) | VM_MAYREAD);
	if (!vapi_writenotify(vma, prot, &wants, &dirty))
		return true;
	ASSERT_EQ(wants, model_writenotify(r, vma, !odd, true));
	if (dirty >= 0)
		ASSERT_EQ(dirty, model_writenotify(r, vma, true, false));
	return true;
}

/*
 * A VMA that mmap_region() or brk made or grew has VM_SOFTDIRTY, even one
 * that clear_refs had cleared before a merge into it: else the soft-dirty
 * tracker could not tell pages mapped anew from the old ones (mmap_region()).
 */
static bool check_soft_dirty_set(struct vma_run *r, unsigned long first,
				 const char *what)
{
	struct vm_area_struct *vma = mtree_load(&r->mm.mm_mt, addr_of(first));

	if (!vma) {
		test_fail(__FILE__, __LINE__, "%s succeeded and left %#lx unmapped",
			  what, addr_of(first));
		return false;
	}
	if (!(vma->vm_flags & VM_SOFTDIRTY)) {
		test_fail(__FILE__, __LINE__, "%s left VMA [%#lx, %#lx) without VM_SOFTDIRTY (flags %#lx)",
			  what, vma->vm_start, vma->vm_end, vma->vm_flags);
		return false;
	}
	return true;
}

/*
 * mmap_region() ends with vma_set_page_prot(): a VMA that wants write
 * notification gets the protection of a private mapping (no VM_SHARED),
 * so that its pages are mapped read-only and the first write faults,
 * else the filesystem or the driver never hears of it.
 */
static bool check_page_prot(struct vma_run *r, struct vm_area_struct *vma)
{
	unsigned long flags = vma->vm_flags;

	if (model_writenotify(r, vma, true, true))
		flags &= ~VM_SHARED;
	ASSERT_EQ(pgprot_val(vma->vm_page_prot),
		  pgprot_val(vm_get_page_prot(flags)));
	return true;
}

/*
 * The known bug HAVE_BUG_MERGE_NEW_RESET (README): a merge with prev whose
 * vma_expand() fails for memory leaves the iterator on prev, and
 * mmap_region() then WARNs, or stores the new VMA from there.  Unless
 * --known-bugs, no allocation of the op fails where its first merge may
 * take in prev: the page below is mapped, of the same file, with the
 * same access bits, VM_SHARED and VM_DONTDUMP (mmap_region() changes none
 * of them before it merges; the rest of the test is left to the kernel).
 * Nor does one after a driver's hook changed the flags (hook_pause()),
 * where it tries again.  A merge with next alone may fail: its state
 * must be reset for that second try.
 */
#define MERGE_LEFT_BITS	(VM_READ | VM_WRITE | VM_EXEC | VM_SHARED | VM_DONTDUMP)

static bool merge_reset_bug(struct vma_run *r, unsigned long first,
			    unsigned long flags, unsigned int fnr)
{
#ifdef HAVE_BUG_MERGE_NEW_RESET
	const struct vma_page *prev = first ? &r->model.pages[first - 1] : NULL;

	return !opts.known_bugs && prev && prev->mapped && prev->file == fnr &&
	       !((prev->flags ^ flags) & MERGE_LEFT_BITS);
#else
	return false;
#endif
}

static void hook_pause(void)
{
#ifdef HAVE_BUG_MERGE_NEW_RESET
	if (!opts.known_bugs)
		slab_faults.paused = true;
#endif
}

/*
 * A driver's mmap hook runs after the VMAs it replaces were closed
 * (6.12's vms_clean_up_area(): "needed for mmap_file(), which is why
 * vm_ops close function is called"); they are still in mm_mt, and none
 * may have its close hook left (vma_close() swaps in dummy vm_ops).
 * 6.1 has unmapped them by then.
 */
static void hook_check_closed(struct vm_area_struct *vma)
{
	MA_STATE(mas, &vma->vm_mm->mm_mt, vma->vm_start, vma->vm_start);
	struct vm_area_struct *old;

	mas_for_each(&mas, old, vma->vm_end - 1)
		if (old != vma && old->vm_ops == &close_ops)
			test_fail(__FILE__, __LINE__, "mmap hook of [%#lx, %#lx) ran before the VMA [%#lx, %#lx) it replaces was closed",
				  vma->vm_start, vma->vm_end, old->vm_start,
				  old->vm_end);
}

static int mmap_hook_fail(struct vm_area_struct *vma)
{
	hook_check_closed(vma);
	return -ENODEV;
}

static int mmap_hook_flags(struct vm_area_struct *vma)
{
	hook_check_closed(vma);
	hook_pause();
	vma->vm_flags |= VM_DONTDUMP;
	return 0;
}

/*
 * A driver that takes a flag away (as drivers clear VM_MAYWRITE): the
 * flags then compare below the asked ones, and mmap_region() must still
 * try the merge again.
 */
static int mmap_hook_clear(struct vm_area_struct *vma)
{
	hook_check_closed(vma);
	hook_pause();
	vma->vm_flags &= ~VM_MAYEXEC;
	return 0;
}

/*
 * A hook that changes the flags makes mmap_region() merge again, with the
 * vma_merge_struct its first try left, which must have reset it if that
 * try failed.  Random failures seldom meet that try, so such an op with r
 * bits 36-37 set (one in four of those whose r is drawn whole, and half of
 * gen_fit()'s) fails its first allocation, the first merge's where
 * nothing is mapped in the range, when nothing else says which one
 * fails (CONFIG_OP_NTH, --fail-nth) and nothing holds failures off.
 */
#define HOOK_FAIL_FIRST	(3UL << 36)

static bool hook_fail_first(const struct test_op *op,
			    int (*hook)(struct vm_area_struct *vma))
{
	if (!hook || hook == mmap_hook_fail || (op->r & HOOK_FAIL_FIRST) !=
	    HOOK_FAIL_FIRST || slab_faults.nth || slab_faults.paused ||
	    opts.layout)
		return false;
	slab_faults.count = 0;
	slab_faults.nth = 1;
	return true;
}

/*
 * Whether mmap_region() must have merged a range whose flags the hook
 * changed: it tries again only if there is a VMA below.
 */
static bool hook_merges(struct vma_run *r, unsigned long first)
{
	return vma_model_mapped(&r->model, 0, first) != 0;
}

/*
 * What an op charged (security_vm_enough_memory_mm()) less what it gave
 * back (vm_unacct_memory()).  For mmap_region: the new pages if they are
 * accounted, less the accounted pages it unmapped (gone); a tree may
 * charge the difference (6.12) or all and unaccount the old (6.1), and
 * the net is what both must come to.
 */
static bool check_charged(struct vma_run *r, const char *what, long want)
{
	long net = vma_record.acct_pages - vma_record.unacct_pages;

	if (net != want)
		test_fail(__FILE__, __LINE__, "%s charged %lu pages and unaccounted %lu: %ld net, expected %ld",
			  what, vma_record.acct_pages, vma_record.unacct_pages,
			  net, want);
	return !ctx->failed;
}

/*
 * The known bug (scripts/probe, README): a failure after the old VMAs'
 * page tables were cleared keeps their charge when the new mapping would
 * have taken it over.  Let through unless --known-bugs.
 */
static bool abort_unacct_bug(unsigned long flags)
{
#ifdef HAVE_BUG_MMAP_ABORT_UNACCT
	return !opts.known_bugs && (mapped_flags(flags) & VM_ACCOUNT);
#else
	return false;
#endif
}

/*
 * r->deny_write: the op's file denies writable mappings, as a memfd
 * sealed against writes does (mapping_deny_writable()), if no VMA maps
 * it shared-writable now; for this op only.  True if it does.
 */
static bool deny_writes(struct vma_run *r, unsigned int fnr)
{
	atomic_t *w = &r->files[fnr].mapping.i_mmap_writable;

	if (!r->deny_write || !fnr || atomic_read(w))
		return false;
	atomic_set(w, -1);
	return true;
}

/*
 * mmap_region() must refuse a shared-writable mapping of a file that
 * denies them (mapping_map_writable()) before it changes anything:
 * check_mm() then finds the pages as they were.
 */
static bool check_denied(struct vma_run *r, struct vm_area_struct *vma)
{
	r->result = IS_ERR(vma) ? PTR_ERR(vma) : 0;
	if (r->result != -EPERM || vma_record.pages_zapped)
		test_fail(__FILE__, __LINE__, "mmap_region shared-writable of a file that denies writes returned %ld, %lu pages zapped: expected -EPERM with nothing changed",
			  r->result, vma_record.pages_zapped);
	return !ctx->failed && check_stats(r, "mmap_region") &&
	       check_charged(r, "mmap_region", 0);
}

/*
 * Bit 3 of the op's limit choice (CONFIG_REFUSE): a limit that the op
 * must reach exactly is put a page below that instead, and refuses it.
 */
static bool limit_under(const struct vma_run *r)
{
	return (r->op.a ^ r->op.b ^ r->op.r) >> 3 & 1;
}

/*
 * RLIMIT_MEMLOCK for an op that locks n more pages: what is locked plus
 * those, which mlock_future_ok() allows, or (limit_under()) a page less.
 */
static unsigned long memlock_limit(const struct vma_run *r, unsigned long n)
{
	return (r->mm.locked_vm + n - limit_under(r)) << PAGE_SHIFT;
}

/*
 * The last offset at which do_mmap() maps n pages of the file
 * (file_mmap_ok()): MAX_LFS_FILESIZE bytes, a device's ULONG_MAX, less n.
 * A device whose offsets are unsigned has no limit (0): 0 less n pages
 * wraps to a last offset one page above a device's.  A regular file's
 * limit comes first (file_mmap_size_max()).
 */
static pgoff_t file_pgoff_max(unsigned int fnr, unsigned long n, int file_as)
{
	unsigned long max = fnr == FILE_DEVICE ? ULONG_MAX : LLONG_MAX;

	if (fnr == FILE_DEVICE && file_as == VAPI_FILE_UNSIGNED_OFFSET)
		max = 0;
	return (max - (n << PAGE_SHIFT)) >> PAGE_SHIFT;
}

/*
 * What do_mmap() takes from a mapping of the file: from a shared one of a
 * file open read-only, VM_SHARED and VM_MAYWRITE (it shares nothing then);
 * on a noexec mount, VM_MAYEXEC.
 */
static unsigned long file_takes(unsigned int fnr, unsigned long flags)
{
	if (fnr == FILE_READ_ONLY && (flags & VM_MAYSHARE))
		return VM_SHARED | VM_MAYWRITE;
	return fnr == FILE_NOEXEC ? VM_MAYEXEC : 0;
}

/*
 * What do_mmap() refuses of a file once it would map anything, in its
 * order: an offset past the file's (-EOVERFLOW); a type it has not
 * (-EINVAL); for a shared type, MAP_SHARED_VALIDATE with a flag the file
 * has not (-EOPNOTSUPP) and PROT_WRITE of a file open read-only
 * (-EACCES), of an active swapfile (-ETXTBSY), and any mapping of an
 * append-only file open for writing (-EACCES); then for either, a file
 * not open for reading (-EACCES), PROT_EXEC on a noexec mount (-EPERM), a
 * driver without ->mmap (-ENODEV) and MAP_GROWSDOWN (-EINVAL).  0 if
 * none.
 */
static int dm_file_refused(unsigned int fnr, unsigned long n,
			   const struct vapi_do_mmap *dm)
{
	unsigned long type = dm->flags & MAP_TYPE;
	bool shared = type == MAP_SHARED || type == MAP_SHARED_VALIDATE;

	if (dm->pgoff > file_pgoff_max(fnr, n, dm->file_as))
		return -EOVERFLOW;
	if (!shared && type != MAP_PRIVATE)
		return -EINVAL;
	if (type == MAP_SHARED_VALIDATE && (dm->flags & ~LEGACY_MAP_MASK))
		return -EOPNOTSUPP;
	if (shared && (dm->prot & PROT_WRITE) && fnr == FILE_READ_ONLY)
		return -EACCES;
	if (shared && (dm->prot & PROT_WRITE) && dm->file_as == VAPI_FILE_SWAP)
		return -ETXTBSY;
	if (shared && dm->file_as == VAPI_FILE_APPEND && fnr != FILE_READ_ONLY)
		return -EACCES;
	if (dm->file_as == VAPI_FILE_WRITE_ONLY)
		return -EACCES;
	if ((dm->prot & PROT_EXEC) && fnr == FILE_NOEXEC)
		return -EPERM;
	if (dm->fop == VAPI_FOP_NO_MMAP)
		return -ENODEV;
	return dm->flags & MAP_GROWSDOWN ? -EINVAL : 0;
}

/* How the file was for the call (vapi_do_mmap.file_as), in a report. */
static const char *const file_as_names[] = {
	[VAPI_FILE_AS_IS] = "",
	[VAPI_FILE_WRITE_ONLY] = ", a file open write-only",
	[VAPI_FILE_APPEND] = ", an append-only file",
	[VAPI_FILE_SWAP] = ", a swapfile",
	[VAPI_FILE_UNSIGNED_OFFSET] = ", a driver's file of unsigned offsets",
};

/*
 * A driver's own ->get_unmapped_area (VAPI_FOP_AREA) is asked once by a
 * do_mmap() that maps, and always with the file offset mmap() was given.
 */
static bool check_area_hook(const struct vapi_do_mmap *dm, bool mapped)
{
	if (!dm || dm->fop != VAPI_FOP_AREA)
		return true;
	if (mapped && dm->area_calls != 1)
		test_fail(__FILE__, __LINE__, "do_mmap(len %#lx, flags %#lx, pgoff %#lx) mapped, but asked the driver's get_unmapped_area %lu times, expected once",
			  dm->len, dm->flags, dm->pgoff, dm->area_calls);
	else if (dm->area_calls && dm->area_pgoff != dm->pgoff)
		test_fail(__FILE__, __LINE__, "do_mmap(len %#lx, flags %#lx, pgoff %#lx) asked the driver's get_unmapped_area with pgoff %#lx",
			  dm->len, dm->flags, dm->pgoff, dm->area_pgoff);
	return !ctx->failed;
}

/*
 * r bits of an mmap_region op (of a file too, its hook then run by
 * do_mmap()'s mmap_region()) that say it
 * goes in through do_mmap(), as mmap() does (three in four of those whose
 * r was drawn whole; else r is 0 or 2), and how: MAP_FIXED_NOREPLACE for
 * MAP_FIXED; MAP_POPULATE, MAP_NONBLOCK, MAP_NORESERVE; a task whose
 * personality has READ_IMPLIES_EXEC; vm.overcommit_memory 2 (never),
 * which MAP_NORESERVE must not get round: each one in four.  Bits 22-25
 * (DM_ARGS) pick the length and type: mostly as the op says, or one of
 * the cases dm_args() lists.
 */
#define DM_ROUTE	(3UL << 8)
#define DM_NOREPLACE	(3UL << 10)
#define DM_POPULATE	(3UL << 12)
#define DM_NORESERVE	(3UL << 14)
#define DM_NONBLOCK	(3UL << 16)
#define DM_READ_EXEC	(3UL << 18)
#define DM_NO_OVERCOMMIT (3UL << 20)
#define DM_ARGS_SHIFT	22
#define DM_MEMLOCK_ZERO	(3UL << 26)	/* CONFIG_REFUSE's memlock case */
#define DM_HINT		(3UL << 32)	/* the op's own: no MAP_FIXED, dm_hint() */

enum dm_args {
	DM_AS_OP = 8,		/* 0-8: the op's length, as its pages */
	DM_RAGGED,		/* a length a few bytes short of them */
	DM_LEN_ZERO,		/* -EINVAL */
	DM_LEN_WRAPS,		/* PAGE_ALIGN() wraps it to 0: -ENOMEM */
	DM_PGOFF_WRAPS,		/* the offset plus the pages wraps, or is past
				   a file's (file_mmap_ok()): -EOVERFLOW */
	DM_DROPPABLE,		/* no VM_DROPPABLE (6.12), or no such type (6.1
				   or a file) */
	DM_BAD_TYPE,		/* MAP_SHARED_VALIDATE: none for anonymous
				   memory; with MAP_SYNC for a file */
	DM_SHARED_STACK,	/* MAP_SHARED | MAP_GROWSDOWN: -EINVAL */
};

static bool dm_has(uint64_t r, unsigned long bits)
{
	return (r & bits) == bits;
}

static unsigned int dm_args(const struct test_op *op)
{
	return (op->r >> DM_ARGS_SHIFT) & 15;
}

/* Bytes (1 to a page less one) the cases of dm_args() take off or add. */
static unsigned long dm_off(const struct test_op *op)
{
	return 1 + (op->r >> 28) % (PAGE_SIZE - 1);
}

/*
 * Whether the op goes in through do_mmap(); if so dm gets its length,
 * PROT_ and MAP_ flags and offset: from the op's flags (flags_of()),
 * access bits, VM_LOCKED (MAP_LOCKED), VM_GROWSDOWN (MAP_GROWSDOWN) and
 * VM_SHARED (MAP_SHARED: map_shm()), and r's choices above.
 */
static bool dm_route(const struct test_op *op, unsigned int fnr,
		     unsigned long n, unsigned long flags, pgoff_t pgoff,
		     struct vapi_do_mmap *dm)
{
	unsigned long r = op->r, off = dm_off(op), h;

	/* Flags only a driver gives (flags_of()) stay mmap_region()'s. */
	if (!(r & DM_ROUTE) || (flags & (VM_PFNMAP | VM_IO | VM_HUGETLB)))
		return false;
	dm->hint = 0;
	dm->len = n << PAGE_SHIFT;
	dm->pgoff = fnr ? pgoff : 0;
	dm->prot = (flags & VM_READ ? PROT_READ : 0) |
		   (flags & VM_WRITE ? PROT_WRITE : 0) |
		   (flags & VM_EXEC ? PROT_EXEC : 0);
	dm->flags = flags & VM_SHARED ? MAP_SHARED : MAP_PRIVATE;
	dm->flags |= dm_has(r, DM_NOREPLACE) ? MAP_FIXED_NOREPLACE : MAP_FIXED;
	if (flags & VM_LOCKED)
		dm->flags |= MAP_LOCKED;
	if (flags & VM_GROWSDOWN)
		dm->flags |= MAP_GROWSDOWN;
	if (dm_has(r, DM_POPULATE))
		dm->flags |= MAP_POPULATE;
	if (dm_has(r, DM_NONBLOCK))
		dm->flags |= MAP_NONBLOCK;
	if (dm_has(r, DM_NORESERVE))
		dm->flags |= MAP_NORESERVE;
	/*
	 * A file's driver: one in sixteen has no ->mmap, half the rest a
	 * ->get_unmapped_area of their own (a hash of r: its bits are the
	 * other choices').  And the file, from another hash: one in sixteen
	 * each opened write-only, append-only, a swapfile, or a driver's of
	 * unsigned offsets (which changes only a device's offset limit).
	 */
	h = (r * 0xc2b2ae3d27d4eb4fULL) >> 60;
	dm->fop = !fnr ? VAPI_FOP_MMAP : !h ? VAPI_FOP_NO_MMAP :
		  h & 1 ? VAPI_FOP_AREA : VAPI_FOP_MMAP;
	h = (r * 0x165667b19e3779f9ULL) >> 60;
	dm->file_as = !fnr || h > VAPI_FILE_UNSIGNED_OFFSET ? VAPI_FILE_AS_IS :
		      h;
	switch (dm_args(op)) {
	case DM_RAGGED:
		dm->len -= off;
		break;
	case DM_LEN_ZERO:
		dm->len = 0;
		break;
	case DM_LEN_WRAPS:
		dm->len = -off;
		break;
	case DM_PGOFF_WRAPS:
		/* Of a file, every other one past the offsets it may map. */
		if (fnr && (off & 1))
			dm->pgoff = file_pgoff_max(fnr, n, dm->file_as) + 1 +
				    off % n;
		else
			dm->pgoff = ULONG_MAX - off % n;
		break;
	case DM_DROPPABLE:
		dm->flags = (dm->flags & ~MAP_TYPE) | MAP_DROPPABLE;
		break;
	case DM_BAD_TYPE:
		/* A file has it: then a flag it does not (no FOP_MMAP_SYNC). */
		dm->flags = (dm->flags & ~MAP_TYPE) | MAP_SHARED_VALIDATE |
			    (fnr ? MAP_SYNC : 0);
		break;
	case DM_SHARED_STACK:
		dm->flags = (dm->flags & ~MAP_TYPE) | MAP_SHARED |
			    MAP_GROWSDOWN;
		break;
	}
	dm->populate = ~0UL;
	return true;
}

/*
 * The flags do_mmap() must give mmap_region() for the op's flags, with
 * dm's MAP_ flags, the task's personality and vm.overcommit_memory.
 */
static unsigned long dm_flags(struct vma_run *r, unsigned int fnr,
			      unsigned long flags,
			      const struct vapi_do_mmap *dm)
{
	flags |= r->mm.def_flags;
	if ((dm->prot & PROT_READ) &&
	    (current->personality & READ_IMPLIES_EXEC) && fnr != FILE_NOEXEC)
		flags |= VM_EXEC;
	if ((dm->flags & MAP_NORESERVE) &&
	    sysctl_overcommit_memory != OVERCOMMIT_NEVER)
		flags |= VM_NORESERVE;
	return flags & ~file_takes(fnr, flags);
}

/*
 * What do_mmap() must refuse before it maps [first, first + n), in its
 * order: a length of 0 (-EINVAL), or one that wraps when page-aligned
 * (-ENOMEM); an offset that wraps (-EOVERFLOW); a map_count already over
 * the limit (-ENOMEM); from __get_unmapped_area(), a length over the room
 * between mmap_min_addr and the mmap end (-ENOMEM) and an address below
 * mmap_min_addr (-EPERM); for MAP_FIXED_NOREPLACE, any page mapped there
 * (-EEXIST); MAP_LOCKED with RLIMIT_MEMLOCK 0 (-EPERM, can_do_mlock());
 * VM_LOCKED pages (MAP_LOCKED, or mlockall()'s def_flags) past
 * RLIMIT_MEMLOCK, counting all n pages, mapped or not, as
 * mlock_future_ok() does (-EAGAIN); a shared stack (-EINVAL);
 * MAP_DROPPABLE without VM_DROPPABLE (-EOPNOTSUPP; 6.1 knows no such type)
 * and a type anonymous memory has not (-EINVAL); of a file, what
 * dm_file_refused() says instead of those three.  0 if none.
 */
static int dm_refused(struct vma_run *r, unsigned int args, unsigned int fnr,
		      unsigned long first, unsigned long n, unsigned long flags,
		      const struct vapi_do_mmap *dm)
{
	unsigned long type;

	if (args == DM_LEN_ZERO)
		return -EINVAL;
	if (args == DM_LEN_WRAPS)
		return -ENOMEM;
	if (dm->pgoff + n < dm->pgoff)
		return -EOVERFLOW;
	if (r->mm.map_count > sysctl_max_map_count)
		return -ENOMEM;
	if ((n << PAGE_SHIFT) > vma_mmap_end - mmap_min_addr)
		return -ENOMEM;
	if (addr_of(first) < mmap_min_addr)
		return -EPERM;
	if ((dm->flags & MAP_FIXED_NOREPLACE) &&
	    vma_model_mapped(&r->model, first, n))
		return -EEXIST;
	if ((dm->flags & MAP_LOCKED) && !vma_rlimit_memlock)
		return -EPERM;
	if ((flags & VM_LOCKED) &&
	    (r->mm.locked_vm + n) << PAGE_SHIFT > vma_rlimit_memlock)
		return -EAGAIN;
	if (fnr)
		return dm_file_refused(fnr, n, dm);
	type = dm->flags & MAP_TYPE;
	if (type == MAP_SHARED && (dm->flags & MAP_GROWSDOWN))
		return -EINVAL;
#ifdef HAVE_MAP_DROPPABLE
	if (type == MAP_DROPPABLE)
		return -EOPNOTSUPP;
#endif
	return type == MAP_SHARED || type == MAP_PRIVATE ? 0 : -EINVAL;
}

/*
 * do_mmap() refused: with want, having changed and charged nothing (the
 * op goes on after it, dm_enter()).
 */
static bool check_dm_refused(struct vma_run *r, unsigned int fnr,
			     unsigned long first, unsigned long n,
			     struct vapi_do_mmap *dm, int want)
{
	struct vm_area_struct *vma;
	bool created, gone;

	set_mm_stats(r);
	vma_record.pages_zapped = 0;
	vma_record.acct_pages = 0;
	vma_record.unacct_pages = 0;
	vma = KERNEL(vapi_mmap_region(&r->mm, addr_of(first),
				      addr_of(first + n), 0, file_of(r, fnr),
				      file_vm_ops(fnr), 0, NULL, dm, &created,
				      &gone));
	r->result = IS_ERR(vma) ? PTR_ERR(vma) : 0;
	if (!check_area_hook(dm, !IS_ERR(vma)))
		return false;
	if (r->result != want || vma_record.pages_zapped || dm->populate)
		test_fail(__FILE__, __LINE__, "do_mmap(%#lx, %#lx, prot %#lx, flags %#lx, pgoff %#lx%s) returned %ld, zapped %lu pages, populate %#lx: expected %d with nothing changed",
			  vapi_do_mmap_addr(dm, addr_of(first)), dm->len,
			  dm->prot, dm->flags, dm->pgoff,
			  file_as_names[dm->file_as], r->result,
			  vma_record.pages_zapped, dm->populate, want);
	return !ctx->failed && check_stats(r, "do_mmap") &&
	       check_charged(r, "do_mmap", 0);
}

/*
 * What a mapping the op made or grew must have been offered to: khugepaged
 * (thp: mmap_region's VMA, merged or new; not brk's new one), perf, and
 * KSM (a new VMA only: one merged into kept its flags), or its huge pages
 * are never collapsed, a profile cannot name its code, and
 * prctl(PR_SET_MEMORY_MERGE) misses it.  Where the tree has the call.
 */
static bool check_new_vma_calls(struct vm_area_struct *vma, const char *what,
				bool created, bool thp)
{
	const char *missing = NULL;

	if (thp && !vma->thp_entered)
		missing = "khugepaged_enter_vma()";
	else if (!vma->perf_mmapped)
		missing = "perf_event_mmap()";
#ifdef HAVE_KSM_ADD_VMA
	else if (created && !vma->ksm_added)
		missing = "ksm_add_vma()";
#endif
	if (!missing)
		return true;
	test_fail(__FILE__, __LINE__, "%s left VMA [%#lx, %#lx), %s, without %s on it",
		  what, vma->vm_start, vma->vm_end, created ? "new" : "merged",
		  missing);
	return false;
}

/*
 * The op's own mapping through do_mmap(), with none of r's choices that
 * must be refused: MAP_FIXED (MAP_FIXED_NOREPLACE if r asked for it and
 * nothing is mapped there), the op's length (or the ragged one), its
 * offset (a file's; else 0); MAP_NORESERVE as r says (where overcommit is
 * not never, the op maps with VM_NORESERVE: dm_enter()); a readable
 * executable mapping asked for without PROT_EXEC where r gave the task
 * READ_IMPLIES_EXEC (which a noexec mount ignores); MAP_LOCKED
 * left out where mlockall()'s def_flags lock it anyway (r bit 30).
 */
static void dm_clean(struct vma_run *r, const struct test_op *op,
		     unsigned int fnr, unsigned long first, unsigned long n,
		     unsigned long flags, pgoff_t *pgoff,
		     struct vapi_do_mmap *dm)
{
	if (dm_args(op) != DM_RAGGED)
		dm->len = n << PAGE_SHIFT;
	dm->flags = (dm->flags & (MAP_POPULATE | MAP_NONBLOCK)) | MAP_FIXED |
		    (flags & VM_SHARED ? MAP_SHARED : MAP_PRIVATE);
	/* A private mapping of an append-only file or a swapfile is fine. */
	if (dm->file_as == VAPI_FILE_WRITE_ONLY || (flags & VM_SHARED))
		dm->file_as = VAPI_FILE_AS_IS;
	/*
	 * After the refusal of an offset past the file's, every other one
	 * maps at the last offset it may (file_pgoff_max()).
	 */
	if (fnr && dm_args(op) == DM_PGOFF_WRAPS && (dm_off(op) & 2))
		*pgoff = file_pgoff_max(fnr, n, dm->file_as);
	dm->pgoff = fnr ? *pgoff : 0;
	if (flags & VM_LOCKED)
		dm->flags |= MAP_LOCKED;
	if (flags & VM_GROWSDOWN)
		dm->flags |= MAP_GROWSDOWN;
	if (dm_has(op->r, DM_NOREPLACE) &&
	    !vma_model_mapped(&r->model, first, n))
		dm->flags ^= MAP_FIXED | MAP_FIXED_NOREPLACE;
	if (dm_has(op->r, DM_NORESERVE))
		dm->flags |= MAP_NORESERVE;
	if ((r->mm.def_flags & VM_LOCKED) && (op->r & (1UL << 30)))
		dm->flags &= ~MAP_LOCKED;
	current->personality = 0;
	if (dm_has(op->r, DM_READ_EXEC) && (flags & VM_READ) &&
	    (flags & VM_EXEC) && fnr != FILE_NOEXEC) {
		current->personality = READ_IMPLIES_EXEC;
		dm->prot &= ~PROT_EXEC;
	}
	dm->populate = ~0UL;
}

/*
 * An op that r sends through do_mmap(): first, if r asks for anything
 * do_mmap() must refuse (dm_refused(); with CONFIG_REFUSE's memlock case
 * RLIMIT_MEMLOCK is what is locked with all n pages, or a page less,
 * limit_under(), or, by r bits 26-27, 0), that call and its check; then
 * the op's own mapping, through do_mmap() (dm_clean()) where it would
 * map what mmap_region() maps for the op, unrefused, but for what
 * MAP_NORESERVE adds (VM_NORESERVE, where overcommit is allowed) and what
 * the file takes away (file_takes()): *flagsp gets the flags it maps
 * with, and, if r left MAP_FIXED out (dm_hint()), *firstp where it maps.
 * Else (*dmp NULL) it goes through mmap_region() as other ops do.
 */
static bool dm_hint(struct vma_run *r, const struct test_op *op,
		    unsigned int fnr, unsigned long *first, unsigned long n,
		    struct vapi_do_mmap *dm);

static bool dm_enter(struct vma_run *r, const struct test_op *op,
		     unsigned int fnr, unsigned long *firstp, unsigned long n,
		     unsigned long *flagsp, pgoff_t *pgoff,
		     struct vapi_do_mmap **dmp)
{
	struct vapi_do_mmap *dm = *dmp;
	unsigned long flags = *flagsp, first = *firstp, want;
	int err;

	if (dm_has(op->r, DM_READ_EXEC))
		current->personality = READ_IMPLIES_EXEC;
	if (dm_has(op->r, DM_NO_OVERCOMMIT))
		sysctl_overcommit_memory = OVERCOMMIT_NEVER;
	/* The kernel's stats, which the limits are set from. */
	set_mm_stats(r);
	if (r->limit_memlock)
		vma_rlimit_memlock = dm_has(op->r, DM_MEMLOCK_ZERO) ? 0 :
				     memlock_limit(r, n);
	err = dm_refused(r, dm_args(op), fnr, first, n,
			 dm_flags(r, fnr, flags, dm), dm);
	if (err && !check_dm_refused(r, fnr, first, n, dm, err))
		return false;
	vma_rlimit_memlock = ~0UL;
	dm_clean(r, op, fnr, first, n, flags, pgoff, dm);
	/*
	 * What MAP_NORESERVE adds the op maps with, and what the file takes
	 * away (file_takes()) without.
	 */
	want = dm_flags(r, fnr, flags, dm);
	if (want != ((flags | (want & VM_NORESERVE)) &
		     ~file_takes(fnr, flags)) ||
	    dm_refused(r, DM_AS_OP, fnr, first, n, flags, dm)) {
		*dmp = NULL;
		return true;
	}
	*flagsp = want;
	/* What a failure names (dm_hint() says more of a hint's call). */
	snprintf(r->call, sizeof(r->call), "do_mmap(%#lx, %#lx, prot %#lx, flags %#lx, pgoff %#lx%s): ",
		 addr_of(first), dm->len, dm->prot, dm->flags, dm->pgoff,
		 file_as_names[dm->file_as]);
	return dm_hint(r, op, fnr, firstp, n, dm);
}

/*
 * What do_mmap() tells its caller to fault in: all of a mapping it made
 * with VM_LOCKED, or with MAP_POPULATE but not MAP_NONBLOCK; nothing if it
 * failed.
 */
static bool check_dm_populate(const struct vapi_do_mmap *dm, unsigned long n,
			      unsigned long flags, bool failed)
{
	bool populate = (dm->flags & (MAP_POPULATE | MAP_NONBLOCK)) ==
			MAP_POPULATE;
	unsigned long want = 0;

	if (!failed && ((flags & VM_LOCKED) || populate))
		want = n << PAGE_SHIFT;
	if (dm->populate != want)
		test_fail(__FILE__, __LINE__, "do_mmap(prot %#lx, flags %#lx) %s, populate %#lx: expected %#lx",
			  dm->prot, dm->flags, failed ? "failed" : "mapped",
			  dm->populate, want);
	return dm->populate == want;
}

/*
 * mmap(MAP_FIXED) over whatever is mapped: the kernel's own mmap_region()
 * (vapi_mmap_region()).  On 6.12 the old VMAs go only once the new one is
 * in; a failure after their page tables were cleared leaves a hole.  c as
 * for map, plus what the driver's mmap hook of a new file VMA does
 * (MAP_HOOK_*): a hook that fails must fail the op with its error (unless
 * a merge made a new VMA unnecessary) and undo its pages.  VM_LOCKED may
 * be asked of any mapping here; mmap_region() drops it where mlock cannot.
 */
static bool op_mmap_region(struct vma_run *r, const struct test_op *op)
{
	struct vapi_do_mmap dmv, *dm;
	unsigned int fnr = MAP_FILE(op->c), uffds;
	int (*hook)(struct vm_area_struct *vma) = NULL;
	unsigned long first, n, flags, mapped, accounted;
	struct vm_area_struct *vma;
	bool created, gone, refuse, as_refuse, denied, fail_first;
	bool split_refusal __maybe_unused;
	pgoff_t pgoff;
	long vmas;

	op_range(r, op, &first, &n);
	flags = flags_of(op->c, fnr);
	if (op->c & FB_LOCKED)
		flags |= VM_LOCKED;
	if (map_shm(op))
		flags |= VM_SHARED | VM_MAYSHARE;
	pgoff = map_pgoff(op, first, fnr);
	dm = dm_route(op, fnr, n, flags, pgoff, &dmv) ? &dmv : NULL;
	/* (The personality and overcommit it sets, apply_op() puts back.) */
	if (dm && !dm_enter(r, op, fnr, &first, n, &flags, &pgoff, &dm))
		return false;
	/* Moved by a hint: anonymous memory's offset is its address. */
	if (!fnr)
		pgoff = map_pgoff(op, first, fnr);
	if (fnr && (op->c & MAP_HOOK_FAIL))
		hook = mmap_hook_fail;
	else if (fnr && (op->c & MAP_HOOK_FLAGS))
		hook = mmap_hook_flags;
	else if (fnr && (op->c & MAP_HOOK_CLEAR))
		hook = mmap_hook_clear;
	mapped = vma_model_mapped(&r->model, first, n);
	accounted = model_accounted(r, first, n);
	set_mm_stats(r);
	vma_record.pages_zapped = 0;
	vma_record.acct_pages = 0;
	vma_record.unacct_pages = 0;
	r->sealed = model_sealed(r, first, n);
	refuse = unmap_refused(r, first, n);
	/*
	 * RLIMIT_AS at what is mapped: a mapping that would map more must
	 * be refused (after the seal check, 6.12; before or after the
	 * map_count one, both -ENOMEM with nothing changed).  The pages it
	 * maps over count as given back, data or not (count_vma_pages_range()).
	 */
	as_refuse = expand_refused(r, flags, n, mapped, mapped) &&
		    !r->sealed && !refuse;
	vmas = refuse ? count_vmas(r) : 0;
	split_refusal = split_may_refuse(r, first, n);
	denied = deny_writes(r, fnr);
	slab_faults.paused = merge_reset_bug(r, first, flags, fnr);
	fail_first = hook_fail_first(op, hook);
	uffds = model_uffds(r, first, n);
	vma_record.nr_uffd_events = 0;
	vma = KERNEL(vapi_mmap_region(&r->mm, addr_of(first),
				      addr_of(first + n), flags,
				      file_of(r, fnr), file_vm_ops(fnr),
				      pgoff, hook, dm, &created, &gone));
	slab_faults.paused = false;
	if (fail_first)
		slab_faults.nth = 0;
	if (!check_area_hook(dm, !IS_ERR(vma)))
		return false;
	if (dm && !check_dm_populate(dm, n, flags, IS_ERR(vma)))
		return false;
	if (ctx->failed ||
	    !check_uffd_events(r, addr_of(first), addr_of(first + n), uffds,
			       !IS_ERR(vma)))
		return false;
	if (denied) {
		/* What mmap_region() took it gave back: lift the denial. */
		ASSERT_EQ(atomic_read(&r->files[fnr].mapping.i_mmap_writable), -1);
		atomic_set(&r->files[fnr].mapping.i_mmap_writable, 0);
		if (is_shared_maywrite(flags))
			return check_denied(r, vma);
	}
	if (refuse && !check_refused(r, "MAP_FIXED inside one VMA", vmas, vmas,
				     IS_ERR(vma) ? PTR_ERR(vma) : 0))
		return false;
	/*
	 * 6.12 refuses after gathering: its splits may stay, and a driver
	 * may have refused one first (-EINVAL).
	 */
	if (as_refuse) {
		if (!IS_ERR(vma) || (PTR_ERR(vma) != -ENOMEM &&
				     PTR_ERR(vma) != -EINVAL))
			test_fail(__FILE__, __LINE__, "mmap_region of %lu pages over %lu mapped at %s returned %ld, expected -ENOMEM",
				  n, mapped,
				  r->limit_as ? "RLIMIT_AS" : "RLIMIT_DATA",
				  IS_ERR(vma) ? PTR_ERR(vma) : 0L);
		r->refused = true;
	}
	if (gone)
		vma_model_unmap(&r->model, first, n);
	/* The old pages, and the new VMA's if its driver failed. */
	if (IS_ERR(vma) && PTR_ERR(vma) == -ENODEV && hook == mmap_hook_fail)
		mapped += n;
	if (vma_record.pages_zapped != (gone ? mapped : 0))
		test_fail(__FILE__, __LINE__, "mmap_region zapped %lu pages, expected %lu",
			  vma_record.pages_zapped, gone ? mapped : 0);
	if (IS_ERR(vma)) {
		r->result = PTR_ERR(vma);
		long net = gone && !abort_unacct_bug(flags) ?
			   -(long)accounted : 0;

		if (!check_stats(r, "mmap_region") ||
		    !check_charged(r, "mmap_region", net))
			return false;
		if (r->result == -ENODEV && hook == mmap_hook_fail)
			return !ctx->failed;
		if (r->result == -ENOMEM && map_shm(op))
			return !ctx->failed;
#ifdef HAVE_MMAP_MUNMAP_ENOMEM
		/*
		 * 6.1 says -ENOMEM whatever failed its munmap, a split a
		 * driver refused too: no more can be told from it.  Other
		 * -ENOMEMs must have a reason (expected_error()).
		 */
		if (r->result == -ENOMEM && !gone && split_refusal)
			return true;
#endif
		/* Only the gathering splits, which a driver may refuse. */
		return expected_error(r, PTR_ERR(vma), !gone);
	}
	if (r->sealed)
		test_fail(__FILE__, __LINE__, "MAP_FIXED over sealed pages of [%#lx, %#lx) succeeded",
			  addr_of(first), addr_of(first + n));
	if (map_shm(op)) {
		test_fail(__FILE__, __LINE__, "mmap_region of shared anonymous [%#lx, %#lx) succeeded without its shmem file",
			  addr_of(first), addr_of(first + n));
		return false;
	}
	if (created && vma->vm_ops == &close_ops)
		r->close_vmas++;
	if (!check_new_vma_calls(vma, "mmap_region", created, true))
		return false;
	if (!check_soft_dirty_set(r, first, "mmap_region") ||
	    !check_writenotify(r, vma) || !check_page_prot(r, vma))
		return false;
	/* The hook ran only if no merge came first. */
	if (hook == mmap_hook_flags)
		flags |= vma->vm_flags & VM_DONTDUMP;
	if (hook == mmap_hook_clear)
		flags &= ~VM_MAYEXEC | vma->vm_flags;
	vma_model_map(&r->model, first, n, mapped_flags(flags), fnr, pgoff, 0);
	/*
	 * A lock dropped: the kernel merged, if at all, under VM_LOCKED.  A
	 * hook that changed the flags merges again only with a VMA below.
	 */
	if ((flags & VM_LOCKED) && !(mapped_flags(flags) & VM_LOCKED))
		r->nr_merge_pts = 0;
	else if (!((flags & VM_DONTDUMP) || !(flags & VM_MAYEXEC)) ||
		 hook_merges(r, first)) {
		add_merge_pt(r, first, true);
		add_merge_pt(r, first + n, false);
	}
	flags = mapped_flags(flags);
	if (!check_stats(r, "mmap_region") ||
	    !check_charged(r, "mmap_region",
			   (long)(flags & VM_ACCOUNT ? n : 0) - (long)accounted))
		return false;
	return !ctx->failed;
}

/* What an mprotect-like loop changes: flags from op bits, or one attribute. */
struct vma_change {
	enum vapi_change what;
	unsigned long bits;	/* VAPI_FLAGS: the op's flag bits */
	unsigned int nr;	/* the others: the attribute's number */
	bool wp;		/* VAPI_UFFD: write-protect mode too */
	bool seal;		/* VAPI_FLAGS: mseal()'s VM_SEALED, not bits */
	bool all;		/* mlockall()'s loop: see modify_all() */
};

/*
 * The VMA's attributes after the change, as mprotect(), madvise(),
 * mbind() and userfaultfd compute them: the flags mprotect keeps, uffd's
 * VM_UFFD_MISSING (and VM_UFFD_WP) with its context.  False if nothing
 * changes.
 */
static bool change_attrs(const struct vma_change *ch,
			 struct vm_area_struct *vma, unsigned long start,
			 unsigned long end, struct vapi_attrs *a)
{
	unsigned long keep = VM_SHARED | VM_MAYSHARE | VM_SPECIAL |
			     VM_UFFD_MISSING | VM_UFFD_WP | VM_HUGETLB |
			     VM_GROWSDOWN | VM_ACCOUNT | VM_SOFTDIRTY;

	a->flags = vma->vm_flags;
	a->name = vma->anon_name;
	a->policy = vma->vm_policy;
	a->uffd = vma->vm_userfaultfd_ctx;
	a->give_up_on_oom = false;
	switch (ch->what) {
	case VAPI_FLAGS:
		if (ch->seal)
			a->flags = vma->vm_flags | VM_SEALED;
		else
			a->flags = no_lock((vma->vm_flags & (keep | VM_SEALED)) |
				flags_of(ch->bits & ~(FB_SHARED | FB_SPECIAL |
						      FB_GROWSDOWN), 0));
		break;
	case VAPI_NAME:
		/* prctl(PR_SET_VMA_ANON_NAME) names anonymous memory only. */
		if (vma->vm_file)
			return false;
		a->name = name_of(ch->nr);
		break;
	case VAPI_POLICY:
		a->policy = pol_of(ch->nr);
		break;
	case VAPI_UFFD:
		a->uffd.ctx = uffd_of(ch->nr);
		a->flags = vma->vm_flags & ~(VM_UFFD_MISSING | VM_UFFD_WP);
		if (ch->nr)
			a->flags |= VM_UFFD_MISSING | (ch->wp ? VM_UFFD_WP : 0);
		/* userfaultfd_clear_vma() gives up a merge of a whole VMA. */
		a->give_up_on_oom = !ch->nr && start == vma->vm_start &&
				    end == vma->vm_end;
		break;
	}
	return a->flags != vma->vm_flags || a->name != vma->anon_name ||
	       a->policy != vma->vm_policy ||
	       a->uffd.ctx != vma->vm_userfaultfd_ctx.ctx;
}

/* The model's numbers of the attributes a change sets. */
static void vapi_attrs_nr(const struct vapi_attrs *a, struct vma_attrs *m)
{
	int *uffd = a->uffd.ctx;

	m->name = a->name ? a->name - attr_names : 0;
	m->pol = a->policy ? a->policy - attr_pols : 0;
	m->uffd = uffd ? uffd - attr_uffd_ctxs : 0;
}

/*
 * Whether changing [start, end), a part of vma at one of its ends, merges
 * it with the neighbour there (head: the part ends at vma's end, and the
 * neighbour is next): the model's rule at that boundary with the changed
 * page.  6.1's is_mergeable_vma() refuses a VMA with a close hook (a
 * mergeable neighbour maps the same file, so has one too); 6.12 refuses
 * only to remove one, and a part's merge removes nothing.
 */
static bool modify_merges(struct vma_run *r, struct vm_area_struct *vma,
			  unsigned long start, unsigned long end, bool head,
			  const struct vapi_attrs *a)
{
	unsigned long p = head ? page_of(end) : page_of(start);
	struct vma_page pages[2];
	struct vma_page *in = &pages[head ? 0 : 1];

#ifndef HAVE_MM_VMA_C
	if (vma->vm_ops == &close_ops)
		return false;
#endif
	if (p == 0 || p >= r->nr_pages)
		return false;
	pages[0] = r->model.pages[p - 1];
	pages[1] = r->model.pages[p];
	in->flags = a->flags & ~VM_SOFTDIRTY;
	vapi_attrs_nr(a, &in->attrs);
	return vma_pages_mergeable(&pages[0], &pages[1], !head);
}

/*
 * Whether the map_count limit refuses changing [start, end) of vma:
 * vma_modify() (6.1: our adapter) splits off a head, then a tail, each
 * through split_vma(), which refuses at the limit before it asks the
 * driver; a part at one end needs no split if it merges.  With both to
 * split one below the limit, the first split is made (unless the driver
 * refuses it: -EINVAL) and the second refused.
 */
static bool modify_refused(struct vma_run *r, struct vm_area_struct *vma,
			   unsigned long start, unsigned long end,
			   const struct vapi_attrs *a, long *vmas, long *after)
{
	bool head = start > vma->vm_start, tail = end < vma->vm_end;

	if (!map_limit() || (!head && !tail))
		return false;
	*vmas = *after = count_vmas(r);
	if (*vmas >= sysctl_max_map_count)
		return (head && tail) || !modify_merges(r, vma, start, end, head, a);
	if (!head || !tail || *vmas < sysctl_max_map_count - 1 ||
	    (vma->vm_ops && vma->vm_ops->may_split &&
	     vma->vm_ops->may_split(vma, start)))
		return false;
	(*after)++;
	return true;
}

/* mbind_range()'s vma_replace_policy(): the VMA's reference moves. */
static void replace_policy(struct vm_area_struct *vma, struct mempolicy *pol)
{
	if (vma->vm_policy == pol)
		return;
	mpol_get(pol);
	mpol_put(vma->vm_policy);
	vma->vm_policy = pol;
}

/*
 * mprotect_fixup() and its madvise, mbind and userfaultfd siblings:
 * nothing to do for equal attributes, else modify (merge or split) and
 * set them on the VMA that holds the range.
 */
static int modify_fixup(struct vma_run *r, struct vma_iterator *vmi,
			struct vm_area_struct *vma,
			struct vm_area_struct **pprev, unsigned long start,
			unsigned long end, const struct vma_change *ch,
			bool *changed)
{
	unsigned long first = page_of(start), n = page_of(end) - first;
	struct vapi_attrs a;
	struct vma_attrs ma;
	unsigned long injected;
	long vmas, after;
	bool refuse;

	/*
	 * mprotect_fixup() refuses a sealed VMA, changed or not;
	 * mlock_fixup() does not.
	 */
	*changed = false;
	if (ch->what == VAPI_FLAGS && !ch->seal && !ch->all &&
	    (vma->vm_flags & VM_SEALED))
		return -EPERM;
	*changed = change_attrs(ch, vma, start, end, &a);
	if (!*changed) {
		*pprev = vma;
		return 0;
	}
	refuse = modify_refused(r, vma, start, end, &a, &vmas, &after);
	injected = slab_faults.injected;
	r->gave_up |= a.give_up_on_oom;
	vma = KERNEL(vapi_modify(vmi, *pprev, vma, start, end, ch->what, &a));
	/*
	 * Unregistering uffd from a whole VMA gives up the merge if memory
	 * fails (a 6.12.y fix; 6.1 has no merge to fail), and needs no
	 * split: it cannot fail for memory.
	 */
#if !defined(HAVE_MM_VMA_C) || defined(HAVE_UFFD_GIVE_UP_ON_OOM)
	if (a.give_up_on_oom && IS_ERR(vma) && PTR_ERR(vma) == -ENOMEM)
		test_fail(__FILE__, __LINE__, "uffd unregister of the whole VMA [%#lx, %#lx) returned -ENOMEM: the merge must be given up",
			  start, end);
#endif
	/* An allocation failure may have stopped the first split instead. */
	if (refuse && slab_faults.injected != injected &&
	    count_vmas(r) == vmas)
		after = vmas;
	if (refuse && !check_refused(r, "a change that splits", vmas, after,
				     IS_ERR(vma) ? PTR_ERR(vma) : 0))
		return 0;
	if (IS_ERR(vma))
		return PTR_ERR(vma);
	*pprev = vma;
	vma->vm_flags = a.flags;
	vma->anon_name = a.name;
	replace_policy(vma, a.policy);
	vma->vm_userfaultfd_ctx = a.uffd;
	/* As mprotect_fixup() and userfaultfd_set_vm_flags() do. */
	vma_set_page_prot(vma);
	if (!check_writenotify(r, vma) || !check_page_prot(r, vma))
		return 0;
	attrs_of(vma, &ma);
	vma_model_set_flags(&r->model, first, n, a.flags);
	vma_model_set_attrs(&r->model, first, n, &ma);
	/*
	 * A merge may have given the VMA's pages a neighbour's anon_vma: the
	 * model adopts it now, for the next step's merge (modify_merges()).
	 */
	check_vma_pages(r, vma);
	add_merge_pt(r, first, true);
	add_merge_pt(r, first + n, false);
	return 0;
}

/*
 * After a change of [start, end): the iterator is on the VMA that holds
 * the changed piece now, and the loop goes on from its end.  Ahead of it,
 * VMAs would be skipped.  6.12 may leave it on the VMA before, when a
 * merge with prev is refused for a close hook after vma_prev(): the loop
 * then meets the piece again with its flags already set, which is
 * harmless, so that is allowed.
 */
static bool iter_after_change(struct vma_iterator *vmi, unsigned long start,
			      unsigned long end)
{
	if (vma_iter_addr(vmi) <= end - 1 &&
	    (vma_iter_end(vmi) > end - 1 || vma_iter_end(vmi) <= start))
		return true;
	test_fail(__FILE__, __LINE__, "iterator at [%#lx, %#lx) after changing [%#lx, %#lx)",
		  vma_iter_addr(vmi), vma_iter_end(vmi), start, end);
	return false;
}

/*
 * mprotect()/mlock() and the like: walk the VMAs of the range with one
 * iterator, as the kernel's loops do, so that an iterator left in the
 * wrong place by a merge or split shows as a VMA skipped or visited twice.
 * Holes are skipped rather than refused.
 */
static int modify_range(struct vma_run *r, unsigned long first,
			unsigned long n, const struct vma_change *ch)
{
	unsigned long start = addr_of(first), end = addr_of(first + n);
	unsigned long nstart = start, tmp;
	struct vm_area_struct *vma, *prev;
	VMA_ITERATOR(vmi, &r->mm, start);
	int err = 0;

	vma = KERNEL(vma_find(&vmi, end));
	if (!vma)
		return 0;
	prev = KERNEL(vma_prev(&vmi));
	if (start > vma->vm_start)
		prev = vma;
	for_each_vma_range(vmi, vma, end) {
		bool changed;

		if (nstart < vma->vm_start)
			nstart = vma->vm_start;
		tmp = min(vma->vm_end, end);
		err = modify_fixup(r, &vmi, vma, &prev, nstart, tmp, ch,
				   &changed);
		if (err)
			break;
		if (changed && !iter_after_change(&vmi, nstart, tmp))
			return 0;
		nstart = vma_iter_end(&vmi);
	}
	return err;
}

/* Where the first VMA at or after addr starts, by the model; 0: none. */
static unsigned long model_next_vma(struct vma_run *r, unsigned long addr)
{
	unsigned long p;

	for (p = page_of(addr); p < r->nr_pages; p++)
		if (r->model.pages[p].mapped)
			return addr_of(p);
	return 0;
}

/*
 * mlockall()'s loop (apply_mlockall_flags()): every VMA, whole, through
 * one iterator.  It ignores errors and takes the VMA that failed as prev,
 * so the iterator a failed change leaves must go on to the next VMA: the
 * failed merge changed nothing (vma_merge_existing_range()'s abort puts
 * the iterator back on its range).  mlockall() returns 0.
 */
static bool modify_all(struct vma_run *r, const struct vma_change *ch)
{
	struct vm_area_struct *vma, *prev = NULL;
	unsigned long want = 0, failed = 0;
	VMA_ITERATOR(vmi, &r->mm, 0);

	for_each_vma(vmi, vma) {
		unsigned long start = vma->vm_start, end = vma->vm_end;
		bool changed;
		int err;

		if (failed && start != want) {
			test_fail(__FILE__, __LINE__, "mlockall's loop went on at [%#lx, %#lx) after a failed change of the VMA that ended at %#lx: the next VMA starts at %#lx (0: none)",
				  start, end, failed, want);
			return false;
		}
		err = modify_fixup(r, &vmi, vma, &prev, start, end, ch,
				   &changed);
		failed = 0;
		if (!err) {
			if (changed && !iter_after_change(&vmi, start, end))
				return false;
			continue;
		}
		if (!expected_error(r, err, false))
			return false;
		prev = vma;
		failed = end;
		want = model_next_vma(r, end);
	}
	if (failed && want) {
		test_fail(__FILE__, __LINE__, "mlockall's loop ended after a failed change of the VMA that ended at %#lx: the next VMA starts at %#lx",
			  failed, want);
		return false;
	}
	r->result = 0;
	return true;
}

static bool op_mprotect(struct vma_run *r, const struct test_op *op)
{
	struct vma_change ch = { .what = VAPI_FLAGS, .bits = op->c };
	unsigned long first, n;
	int err;

	if (op->c & MPROTECT_ALL) {
		/*
		 * apply_mlockall_flags() sets mm->def_flags first: only
		 * MCL_FUTURE leaves VM_LOCKED in it, for the brks to come.
		 */
		r->mm.def_flags = (op->c & FB_LOCKED) &&
				  (op->r & MPROTECT_FUTURE) ? VM_LOCKED : 0;
		ch.all = true;
		return modify_all(r, &ch);
	}
	op_range(r, op, &first, &n);
	err = modify_range(r, first, n, &ch);
	if (err == -EPERM) {
		/* Our own refusal (mprotect_fixup()'s), where it met a seal. */
		r->result = err;
		return true;
	}
	return !err || expected_error(r, err, true);
}

/*
 * mseal(): seal every VMA of a range that has no hole (else -ENOMEM and
 * nothing changes), through vma_modify_flags() as mseal_fixup() does.
 * Sealed VMAs refuse munmap, MAP_FIXED, mprotect and mremap from then on.
 */
static bool op_mseal(struct vma_run *r, const struct test_op *op)
{
	struct vma_change ch = { .what = VAPI_FLAGS, .seal = true };
	unsigned long first, n;
	int err;

	op_range(r, op, &first, &n);
	if (vma_model_mapped(&r->model, first, n) != n) {
		r->result = -ENOMEM;
		return true;
	}
	err = modify_range(r, first, n, &ch);
	/* A driver may refuse the split, as for mprotect. */
	return !err || expected_error(r, err, true);
}

/* attribute op bits in r (the ops use no other) */
#define ATTR_UFFD_WP	0x2	/* uffd_register: UFFDIO_REGISTER_MODE_WP too */

/*
 * madvise(MADV_NAME)-like anon_vma naming (file VMAs are left alone),
 * mbind() and userfaultfd register/unregister over [a, a + b): c is the
 * name, policy or uffd context (0: none, which unregisters), registered
 * for write-protect faults too if r has ATTR_UFFD_WP.
 */
static bool op_attr(struct vma_run *r, const struct test_op *op)
{
	static const enum vapi_change what[] = {
		[VOP_NAME] = VAPI_NAME,
		[VOP_MBIND] = VAPI_POLICY,
		[VOP_UFFD] = VAPI_UFFD,
	};
	struct vma_change ch = {
		.what = what[op->type],
		.nr = op->c % NR_ATTRS,
		.wp = op->r & ATTR_UFFD_WP,
	};
	unsigned long first, n;
	int err;

	op_range(r, op, &first, &n);
	err = modify_range(r, first, n, &ch);
	return !err || expected_error(r, err, true);
}

/*
 * Whether the VMAs holding pages a and b = a + 1 may share an anon_vma
 * (anon_vma_compatible()): adjacent, same file and policy, offsets that
 * run on, flags that differ in access bits only.
 */
static bool model_anon_compatible(struct vma_run *r, unsigned long a)
{
	const struct vma_page *pa = &r->model.pages[a], *pb = pa + 1;

	return pa->mapped && pb->mapped && pa->file == pb->file &&
	       pa->attrs.pol == pb->attrs.pol && pb->pgoff == pa->pgoff + 1 &&
	       !((pa->flags ^ pb->flags) & ~VM_ACCESS_FLAGS);
}

/*
 * What find_mergeable_anon_vma() must find for the VMA of pages
 * [first, end): the next VMA's anon_vma if that one is compatible, else
 * the previous one's, else none.  Their chains are singular, but for the
 * one fork_neighbour() named (side), whose anon_vma is not reusable.
 */
#define FAULT_FORK_NEXT	0x100
#define FAULT_FORK_PREV	0x200

static unsigned long model_mergeable_anon(struct vma_run *r,
					  unsigned long first, unsigned long end,
					  int side)
{
	if (side != FAULT_FORK_NEXT && end < r->nr_pages &&
	    r->model.pages[end].anon && model_anon_compatible(r, end - 1))
		return r->model.pages[end].anon;
	if (side != FAULT_FORK_PREV && first && r->model.pages[first - 1].anon &&
	    model_anon_compatible(r, first - 1))
		return r->model.pages[first - 1].anon;
	return 0;
}

/*
 * A first write fault: anon_vma_prepare() reuses a neighbour's anon_vma
 * when find_mergeable_anon_vma() finds one, else allocates one.
 */
/*
 * c (FAULT_FORK_*) asks that the next or the previous VMA be, for the
 * fault's lookup, as a forked child's VMA is: with a second anon_vma_chain
 * link, so that its anon_vma is not reusable (reusable_anon_vma() wants a
 * singular chain).  Returns that neighbour, linked (the caller unlinks
 * it), or NULL and *side 0.
 */
static struct vm_area_struct *fork_neighbour(struct vma_run *r,
					     struct vm_area_struct *vma,
					     int *side)
{
	struct vm_area_struct *nb = NULL;

	if (*side == FAULT_FORK_NEXT && page_of(vma->vm_end) < r->nr_pages)
		nb = mtree_load(&r->mm.mm_mt, vma->vm_end);
	else if (*side == FAULT_FORK_PREV && page_of(vma->vm_start))
		nb = mtree_load(&r->mm.mm_mt, vma->vm_start - 1);
	/* Not where a failed link would count as the op's -ENOMEM. */
	slab_faults.paused = true;
	if (!nb || !nb->anon_vma || vma_anon_vma_link(nb, nb->anon_vma))
		nb = NULL;
	slab_faults.paused = false;
	if (!nb)
		*side = 0;
	return nb;
}

static bool op_fault(struct vma_run *r, const struct test_op *op)
{
	unsigned long page = op->a % r->nr_pages;
	struct vm_area_struct *vma = KERNEL(mtree_load(&r->mm.mm_mt,
							addr_of(page)));
	struct anon_vma *av;

	if (!vma || vma->anon_vma || (vma->vm_flags & VM_SPECIAL))
		return true;
	/*
	 * Half the time, a fresh one, as when the neighbour's anon_vma is
	 * shared with a child: VMAs with different anon_vmas then meet.
	 */
	if (!(op->b & 1)) {
		int side = op->c & (FAULT_FORK_NEXT | FAULT_FORK_PREV);
		struct vm_area_struct *nb = fork_neighbour(r, vma, &side);
		unsigned long want = model_mergeable_anon(r,
				page_of(vma->vm_start), page_of(vma->vm_end),
				side);

		av = KERNEL(find_mergeable_anon_vma(vma));
		if (nb)
			vma_anon_vma_unlink_newest(nb);
		if ((av ? av->id : 0) != want)
			test_fail(__FILE__, __LINE__, "find_mergeable_anon_vma() of [%#lx, %#lx) found anon_vma %lu, expected %lu",
				  vma->vm_start, vma->vm_end, av ? av->id : 0, want);
		if (ctx->failed)
			return false;
	} else {
		av = NULL;
	}
	if (vma_anon_vma_attach(vma, av))
		return expected_error(r, -ENOMEM, false);
	av = vma->anon_vma;
	/* A fault sets it under the page table lock, not the VMA's. */
	vma->was_anon_vma = av;
	vma_model_set_anon(&r->model, page_of(vma->vm_start), vma_pages(vma),
			   av->id);
	return true;
}

/* Free pages above (up) or below (down) a VMA, up to the next VMA. */
static unsigned long gap_pages(struct vma_run *r, unsigned long page, bool up)
{
	unsigned long n = 0;

	if (up) {
		while (page + n < r->nr_pages && !r->model.pages[page + n].mapped)
			n++;
	} else {
		while (page >= n + 1 && !r->model.pages[page - n - 1].mapped)
			n++;
	}
	return n;
}

/*
 * vma_expand(): grow a VMA into the free pages around it; when it then
 * reaches the next VMA and may absorb it (the model says mergeable, no
 * close hook), take it whole, as the caller must check.
 */
static bool op_expand(struct vma_run *r, const struct test_op *op)
{
	struct vm_area_struct *vma = mtree_load(&r->mm.mm_mt, addr_of(op->a % r->nr_pages));
	unsigned long first, last, up, down, gap;
	struct vm_area_struct *next = NULL;
	struct anon_vma *av;
	struct vma_attrs a;
	int err;

	/* Sealed VMAs neither grow nor shrink (nor move, below). */
	if (!vma || (vma->vm_flags & VM_SEALED))
		return true;
	attrs_of(vma, &a);
	first = page_of(vma->vm_start);
	last = page_of(vma->vm_end);
	gap = gap_pages(r, last, true);
	up = min(op->b % 8, gap);
	down = min(min(op->c % 8, gap_pages(r, first, false)), vma->vm_pgoff);
	if (up == gap && last + gap < r->nr_pages) {
		/* The grown VMA's last page: its own if it grows by none. */
		struct vma_page end = r->model.pages[last + gap - 1];

		next = mtree_load(&r->mm.mm_mt, addr_of(last + gap));
		if (up) {
			vma_page_map(&end, vma->vm_flags, file_nr(vma),
				     vma->vm_pgoff + (last + up - 1 - first),
				     vma->anon_vma ? vma->anon_vma->id : 0);
			end.attrs = a;
		}
		/* Would it and next's first page merge? */
		if (!vma_pages_mergeable(&end, &r->model.pages[last + gap], false) ||
		    next->vm_ops == &close_ops || next->vm_pgoff !=
		    vma->vm_pgoff + (last + gap - first))
			next = NULL;
	}
	if (!up && !down && !next)
		return true;
	av = vma->anon_vma;
	may_grow(vma);
	err = KERNEL(vapi_expand(&r->mm, vma, addr_of(first - down),
				 next ? next->vm_end : addr_of(last + up),
				 vma->vm_pgoff - down, next));
	/*
	 * A failed expansion changes nothing: an anon_vma that
	 * dup_anon_vma() gave vma from next before the commit failed must be
	 * unlinked again, or vma keeps next's anon_vma for pages it never
	 * got.  No page can tell: the model lets pages with no anon_vma
	 * adopt their VMA's.
	 */
	if (err && vma->anon_vma != av)
		test_fail(__FILE__, __LINE__, "vma_expand() of [%#lx, %#lx) failed (%d) but left it anon_vma %lu, not %lu",
			  vma->vm_start, vma->vm_end, err,
			  vma->anon_vma ? vma->anon_vma->id : 0,
			  av ? av->id : 0);
	if (ctx->failed)
		return false;
	if (err)
		return expected_error(r, err, false);
	vma_model_map(&r->model, first - down, down, vma->vm_flags, file_nr(vma),
		      vma->vm_pgoff, 0);
	vma_model_map(&r->model, last, up, vma->vm_flags, file_nr(vma),
		      vma->vm_pgoff + (last - first + down), 0);
	vma_model_set_attrs(&r->model, first - down, down, &a);
	vma_model_set_attrs(&r->model, last, up, &a);
	return true;
}

/*
 * acct_stack_growth()'s limits, which come after anon_vma_prepare():
 * RLIMIT_AS at what is mapped refuses any growth; RLIMIT_MEMLOCK
 * (memlock_limit()) that of a VM_LOCKED stack if under; RLIMIT_STACK a
 * stack that would be bigger: the limit is the size it grows to down to
 * page a, or (under) a page less.  Set for this op; -ENOMEM if refused.
 */
static int grow_refused(struct vma_run *r, struct vm_area_struct *vma,
			unsigned long a)
{
	bool under = limit_under(r);

	if (r->limit_as) {
		vma_rlimit_as = r->mm.total_vm << PAGE_SHIFT;
		return -ENOMEM;
	}
	if (r->limit_memlock) {
		vma_rlimit_memlock = memlock_limit(r,
						   page_of(vma->vm_start) - a);
		return vma->vm_flags & VM_LOCKED && under ? -ENOMEM : 0;
	}
	if (r->limit_stack) {
		vma_rlimit_stack = vma->vm_end - addr_of(a) -
				   (under ? PAGE_SIZE : 0);
		return under ? -ENOMEM : 0;
	}
	return 0;
}

/* grow op bits in c */
#define GROW_STACK	0x100	/* through expand_stack(), from fault_addr() */
#define GROW_EXTEND	0x200	/* with it: find_extend_vma_locked() instead */

static bool grow_by_expand_stack(const struct test_op *op)
{
#ifdef HAVE_MMAP_EXPAND_STACK
	return op->c & GROW_STACK;
#else
	return false;
#endif
}

/*
 * The address a fault on page a hands expand_downwards(): any byte of the
 * page (r's low bits: 0 or 2 mostly), which it must round down itself.
 */
static unsigned long fault_addr(const struct test_op *op, unsigned long a)
{
	return addr_of(a) + (op->r & ~PAGE_MASK);
}

static const char *lock_state(int held)
{
	return held == MMAP_UNLOCKED ? "dropped" :
	       held == MMAP_READ_LOCKED ? "held for reading" :
	       "held for writing";
}

/*
 * The fault path's expand_stack(mm, addr) at a byte of page a:
 * entered with mmap_lock held for reading, it takes it for writing to
 * grow the stack, and returns the VMA that holds addr now with the lock
 * downgraded, or NULL with the lock dropped.  The suite holds it for
 * writing again after.  Or (GROW_EXTEND) get_user_pages()'s
 * find_extend_vma_locked(), under the write lock, which it keeps, and
 * which faults in the new pages of a VM_LOCKED stack.
 */
static struct vm_area_struct *call_expand_stack(struct vma_run *r,
						const struct test_op *op,
						unsigned long a)
{
	struct vm_area_struct *got = NULL;

#ifdef HAVE_MMAP_EXPAND_STACK
	unsigned long addr = fault_addr(op, a);
	int held, want;

	vma_record.populated = 0;
	if (op->c & GROW_EXTEND) {
		got = KERNEL(find_extend_vma_locked(&r->mm, addr));
		want = MMAP_WRITE_LOCKED;
	} else {
		vma_mmap_lock = MMAP_READ_LOCKED;
		got = KERNEL(expand_stack(&r->mm, addr));
		want = got ? MMAP_READ_LOCKED : MMAP_UNLOCKED;
	}
	held = vma_mmap_lock;
	vma_mmap_lock = MMAP_WRITE_LOCKED;
	if (held != want)
		test_fail(__FILE__, __LINE__, "%s() returned %s with mmap_lock %s: expected it %s",
			  op->c & GROW_EXTEND ? "find_extend_vma_locked" :
			  "expand_stack", got ? "a VMA" : "NULL",
			  lock_state(held), lock_state(want));
#endif
	return got;
}

/* expand_stack() where page a is mapped already, or has no VMA above. */
static bool check_expand_stack(struct vma_run *r, const struct test_op *op,
			       struct vm_area_struct *vma, unsigned long a)
{
	ASSERT_ENTRY(call_expand_stack(r, op, a), vma);
	return !ctx->failed;
}

/*
 * expand_stack() growing vma down to page a: 0 if it returned vma, else
 * -ENOMEM (NULL says no more).  The caller takes NULL for the model's
 * refusal where it expects one; else only an allocation failure may
 * explain it.
 */
static int expand_stack_err(struct vma_run *r, const struct test_op *op,
			    struct vm_area_struct *vma, unsigned long a)
{
	struct vm_area_struct *got = call_expand_stack(r, op, a);

	if (got && got != vma)
		test_fail(__FILE__, __LINE__, "expand_stack() below [%#lx, %#lx) returned [%#lx, %#lx)",
			  vma->vm_start, vma->vm_end, got->vm_start,
			  got->vm_end);
	return got ? 0 : -ENOMEM;
}

/*
 * anon_vma_prepare() comes before the growth, and stays whatever comes
 * after: a stack [start, end) that had no anon_vma (anon 0) must now
 * have the one find_mergeable_anon_vma() finds (want_anon), else a new
 * one, if any; the model adopts it.
 */
static bool check_grow_anon(struct vma_run *r, struct vm_area_struct *vma,
			    unsigned long start, unsigned long end,
			    unsigned long anon, unsigned long want_anon)
{
	if (anon || !vma->anon_vma)
		return true;
	if (want_anon)
		ASSERT_EQ(vma->anon_vma->id, want_anon);
	else
		ASSERT_EQ(vma->anon_vma->id, vma_record.anon_vma_ids);
	vma_model_set_anon(&r->model, start, end - start, vma->anon_vma->id);
	return true;
}

/*
 * exec's setup_arg_pages() with an RLIMIT_STACK below the argument pages
 * it copied (bprm_stack_limits() allows ARG_MAX of them whatever the
 * limit): it asks expand_downwards() for the stack's end less the limit,
 * an address the stack already holds, in an mm with no VMA below it yet.
 * That must answer 0 and change nothing but for the anon_vma it prepared,
 * or exec fails with -EFAULT; below mmap_min_addr, -EPERM.
 */
static bool op_grow_within(struct vma_run *r, struct vm_area_struct *vma,
			   const struct test_op *op, unsigned long a)
{
	unsigned long start = page_of(vma->vm_start), end = page_of(vma->vm_end);
	unsigned long want_anon = 0, anon;
	int want = 0, err;

	if (addr_of(a) < mmap_min_addr)
		want = -EPERM;
	anon = vma->anon_vma ? vma->anon_vma->id : 0;
	if (!want && !anon)
		want_anon = model_mergeable_anon(r, start, end, 0);
	set_mm_stats(r);
	vma_record.acct_pages = 0;
	vma_record.unacct_pages = 0;
	err = KERNEL(expand_downwards(vma, fault_addr(op, a)));
	r->result = err;
	if (!check_grow_anon(r, vma, start, end, anon, want_anon))
		return false;
	/* Memory for its maple nodes or its anon_vma may fail. */
	if (err == -ENOMEM && !want) {
		if (!expected_error(r, err, false))
			return false;
	} else if (err != want) {
		test_fail(__FILE__, __LINE__, "expand_downwards(%#lx) of [%#lx, %#lx), inside it, returned %d, expected %d",
			  fault_addr(op, a), addr_of(start), addr_of(end),
			  err, want);
		return false;
	}
	return check_stats(r, "expand_downwards") &&
	       check_charged(r, "expand_downwards", 0);
}

/*
 * A fault on free page a below a stack: expand_downwards() grows the VMA
 * above it (find_vma()'s) down to a, as the fault path's expand_stack()
 * does, from the byte that faulted (fault_addr()).  A VMA that is no
 * stack (VM_GROWSDOWN) is refused with -EFAULT, a page below
 * mmap_min_addr with -EPERM; one that would come nearer
 * than stack_guard_gap to an accessible VMA below that is not a stack
 * itself, with -ENOMEM, and so is a growth past pgoff 0 (out of reach:
 * anonymous offsets start at VMA_BASE's) or past a limit (grow_refused()).
 * Before it grows, it gets an anon_vma (anon_vma_prepare()):
 * a neighbour's that find_mergeable_anon_vma() finds, else a new one.
 * Grown, it is charged the new pages and counted in the stats.  A page
 * that the lowest stack holds already is exec's (op_grow_within()).
 */
static bool op_grow(struct vma_run *r, const struct test_op *op)
{
	unsigned long a = op->a % r->nr_pages, start, end, grow, n, anon;
	unsigned long want_anon = 0;
	VMA_ITERATOR(vmi, &r->mm, addr_of(a));
	struct vm_area_struct *vma = KERNEL(vma_find(&vmi, ULONG_MAX));
	bool stack = grow_by_expand_stack(op);
	const struct vma_page *p;
	int want = 0, err;

	/* expand_stack() first takes mmap_lock for writing, killably. */
	if (stack && !(op->c & GROW_EXTEND) && vma_fatal_signal)
		return check_expand_stack(r, op, NULL, a);

	if (!vma || (stack && vma->vm_start <= addr_of(a)))
		return !stack || check_expand_stack(r, op, vma, a);
	if (vma->vm_start <= addr_of(a)) {
		/*
		 * Only exec's stack, with nothing below: 6.12's
		 * expand_downwards() sets its iterator to the address
		 * after stepping to the VMA below, which is right only
		 * for an address below the stack.
		 */
		start = page_of(vma->vm_start);
		if (!(vma->vm_flags & VM_GROWSDOWN) ||
		    gap_pages(r, start, false) < start)
			return true;
		return op_grow_within(r, vma, op, a);
	}
	start = page_of(vma->vm_start);
	end = page_of(vma->vm_end);
	grow = start - a;
	p = &r->model.pages[start];
	/* The free pages below a, and then the VMA below, if any. */
	n = gap_pages(r, a, false);
	if (!(vma->vm_flags & VM_GROWSDOWN))
		want = -EFAULT;
	else if (addr_of(a) < mmap_min_addr)
		want = -EPERM;
	else if (a > n && !(r->model.pages[a - n - 1].flags & VM_GROWSDOWN) &&
		 (r->model.pages[a - n - 1].flags & VM_ACCESS_FLAGS) &&
		 (n << PAGE_SHIFT) < stack_guard_gap)
		want = -ENOMEM;
	anon = vma->anon_vma ? vma->anon_vma->id : 0;
	if (!want && !anon)
		want_anon = model_mergeable_anon(r, start, end, 0);
	if (!want && grow > p->pgoff)
		want = -ENOMEM;
	set_mm_stats(r);
	if (!want)
		want = grow_refused(r, vma, a);
	vma_record.acct_pages = 0;
	vma_record.unacct_pages = 0;
	if (stack)
		err = expand_stack_err(r, op, vma, a);
	else
		err = KERNEL(expand_downwards(vma, fault_addr(op, a)));
	if (stack && err && want)
		err = want;
	r->result = err;
	if (!check_grow_anon(r, vma, start, end, anon, want_anon))
		return false;
	anon = vma->anon_vma ? vma->anon_vma->id : 0;
	if (err && err == want)
		return check_charged(r, "expand_downwards", 0);
	if (err != want) {
		/* Memory for its maple nodes or its anon_vma may fail. */
		if (err == -ENOMEM && !want)
			return expected_error(r, err, false) &&
			       check_charged(r, "expand_downwards", 0);
		test_fail(__FILE__, __LINE__, "expand_downwards(%#lx) of [%#lx, %#lx) returned %d, expected %d",
			  addr_of(a), addr_of(start), addr_of(end), err, want);
		return false;
	}
	/* find_extend_vma_locked() faults in a locked stack's new pages. */
	if (stack && (op->c & GROW_EXTEND))
		ASSERT_EQ(vma_record.populated,
			  p->flags & VM_LOCKED ? grow : 0UL);
	vma_model_map(&r->model, a, grow, p->flags, 0, p->pgoff - grow, anon);
	vma_model_set_attrs(&r->model, a, grow, &p->attrs);
	return check_stats(r, "expand_downwards") &&
	       check_charged(r, "expand_downwards", grow);
}

/*
 * vma_shrink(): cut pages off one end of a VMA, as shift_arg_pages() does:
 * the end only of a VMA with none above it, as there (6.1's vma_adjust()
 * would move the next VMA's start instead).
 */
/* shrink op bits in c */
#define SHRINK_RELOCATE	0x100	/* exec's relocate_vma_down() (6.12) */
/* r bits 40-41 at 3: its move of the page tables fails (relocate()) */
#define RELOCATE_FAIL_SHIFT	40

#ifdef HAVE_MMAP_RELOCATE_VMA_DOWN
/* The VMA's pages, as the model had them, now at [first, first + n). */
static void model_move(struct vma_run *r, const struct vma_page *p,
		       unsigned long first, unsigned long n, pgoff_t pgoff)
{
	vma_model_map(&r->model, first, n, p->flags, p->file, pgoff, p->anon);
	vma_model_set_attrs(&r->model, first, n, &p->attrs);
}

/*
 * Where relocate_vma_down() moved page tables, and which it freed: the
 * old range's that the new one does not cover (from the new end if the
 * two overlap, else from the old start), from the new end as floor up to
 * the next VMA's start as ceiling (0: none).
 */
static bool check_relocated(struct vma_run *r, unsigned long start,
			    unsigned long end, unsigned long ns)
{
	unsigned long ne = ns + end - start;

	ASSERT_EQ(vma_record.reloc.moved_from, addr_of(start));
	ASSERT_EQ(vma_record.reloc.moved_to, addr_of(ns));
	ASSERT_EQ(vma_record.reloc.moved_len, addr_of(end) - addr_of(start));
	ASSERT_EQ(vma_record.reloc.pgd_addr, addr_of(max(ne, start)));
	ASSERT_EQ(vma_record.reloc.pgd_end, addr_of(end));
	ASSERT_EQ(vma_record.reloc.pgd_floor, addr_of(ne));
	ASSERT_EQ(vma_record.reloc.pgd_ceiling, model_next_vma(r, addr_of(end)));
	return true;
}

/*
 * exec's relocate_vma_down() (setup_arg_pages()) moving vma down by
 * 1 + b % (its start page) pages: refused with -EFAULT, nothing changed,
 * if a VMA maps a page of the way down.  Else vma_expand() over [new
 * start, old end), the page tables moved, the ones left behind freed,
 * and vma_shrink() to the new range, with its pgoff kept.  A failed
 * vma_expand() changes nothing; a failed move of the page tables (an
 * allocation) or vma_shrink() leaves the VMA expanded, -ENOMEM.
 */
static bool relocate(struct vma_run *r, const struct test_op *op,
		     struct vm_area_struct *vma)
{
	unsigned long start = page_of(vma->vm_start), end = page_of(vma->vm_end);
	struct vma_page p = r->model.pages[start];
	unsigned long ns;
	int err;

	if (!start)
		return true;
	ns = start - 1 - op->b % start;
	memset(&vma_record.reloc, 0, sizeof(vma_record.reloc));
	/*
	 * Where allocations may fail, r bits 40-41 at 3 (7.5% of these
	 * ops: a function of the op line, no draw) fail the page table
	 * that the move allocates, which random failures never reach.
	 */
	vma_record.reloc.fail_move = slab_faults.kernel_pct &&
				     ((op->r >> RELOCATE_FAIL_SHIFT) & 3) == 3;
	may_grow(vma);
	err = KERNEL(relocate_vma_down(vma, addr_of(start) - addr_of(ns)));
	r->result = err;
	if (vma_model_mapped(&r->model, ns, start - ns)) {
		if (err != -EFAULT)
			test_fail(__FILE__, __LINE__, "relocate_vma_down() of [%#lx, %#lx) to %#lx over a mapped page returned %d: expected -EFAULT",
				  addr_of(start), addr_of(end), addr_of(ns), err);
		return !ctx->failed;
	}
	if (err && !expected_error(r, err, false))
		return false;
	if (err && vma->vm_start == addr_of(start))
		return true;
	vma_model_unmap(&r->model, start, end - start);
	if (err) {
		/*
		 * The page tables did not all move (nothing freed then), or
		 * vma_shrink() failed: the VMA spans both ranges.
		 */
		if (vma_record.reloc.moved_len != addr_of(end) - addr_of(start))
			ASSERT_EQ(vma_record.reloc.pgd_end, 0);
		model_move(r, &p, ns, end - ns, p.pgoff);
		return true;
	}
	model_move(r, &p, ns, end - start, p.pgoff);
	return check_relocated(r, start, end, ns);
}
#endif

static bool op_shrink(struct vma_run *r, const struct test_op *op)
{
	struct vm_area_struct *vma = mtree_load(&r->mm.mm_mt, addr_of(op->a % r->nr_pages));
	unsigned long start, end, cut;
	pgoff_t pgoff;
	int err;

#ifdef HAVE_MMAP_RELOCATE_VMA_DOWN
	if (vma && (op->c & SHRINK_RELOCATE))
		return relocate(r, op, vma);
#endif
	if (!vma || vma_pages(vma) < 2 || (vma->vm_flags & VM_SEALED))
		return true;
	if (!(op->c & 1) && vma_model_mapped(&r->model, page_of(vma->vm_end),
					     r->nr_pages - page_of(vma->vm_end)))
		return true;
	cut = 1 + op->b % (vma_pages(vma) - 1);
	start = vma->vm_start;
	end = vma->vm_end;
	pgoff = vma->vm_pgoff;
	if (op->c & 1) {
		start += cut << PAGE_SHIFT;
		pgoff += cut;
	} else {
		end -= cut << PAGE_SHIFT;
	}
	err = KERNEL(vapi_shrink(&r->mm, vma, start, end, pgoff));
	if (err)
		return expected_error(r, err, false);
	if (op->c & 1)
		vma_model_unmap(&r->model, page_of(vma->vm_start) - cut, cut);
	else
		vma_model_unmap(&r->model, page_of(end), cut);
	return true;
}

/* mremap() growing in place: vma_merge_extend() into the free pages above. */
static bool op_extend(struct vma_run *r, const struct test_op *op)
{
	struct vm_area_struct *vma = mtree_load(&r->mm.mm_mt, addr_of(op->a % r->nr_pages));
	unsigned long first, last, delta;
	unsigned long flags, anon;
	struct vma_attrs a;
	unsigned int fnr;
	pgoff_t pgoff;

	if (!vma || (vma->vm_flags & VM_SEALED))
		return true;
	attrs_of(vma, &a);
	first = page_of(vma->vm_start);
	last = page_of(vma->vm_end);
	delta = min(1 + op->b % 8, gap_pages(r, last, true));
	if (!delta)
		return true;
	flags = vma->vm_flags;
	fnr = file_nr(vma);
	pgoff = vma->vm_pgoff + (last - first);
	anon = vma->anon_vma ? vma->anon_vma->id : 0;
	if (!KERNEL(vapi_extend(&r->mm, vma, delta << PAGE_SHIFT))) {
		/* Special VMAs never merge; else only memory fails. */
		if (flags & VM_SPECIAL)
			return true;
		return expected_error(r, -ENOMEM, false);
	}
	vma_model_map(&r->model, last, delta, flags, fnr, pgoff, anon);
	vma_model_set_attrs(&r->model, last, delta, &a);
	add_merge_pt(r, last, true);
	add_merge_pt(r, last + delta, false);
	return true;
}

/*
 * copy_vma() keeping its source (MREMAP_DONTUNMAP) must treat the source
 * and the copy as distinct VMAs: the copy may not merge into the source
 * (move_vma() goes on to change the source as the old VMA).  Only an
 * unfaulted anonymous source could (its pgoff follows the copy); 6.12
 * leaves that source out of the merge (vmg.prev or vmg.next), 6.1 merges
 * nothing when the copy touches it.  Any other neighbour that fits must
 * merge, as for a move.  [src_first, src_last) are the source VMA's pages.
 */
static bool copy_keep_merges(struct vma_run *r, struct vm_area_struct *vma,
			     struct vm_area_struct *new, unsigned long src,
			     unsigned long dst, unsigned long n,
			     unsigned long src_first, unsigned long src_last,
			     bool unfaulted)
{
	bool below = unfaulted && dst == src_last;
	bool above = unfaulted && dst + n == src_first;

	if (mtree_load(&r->mm.mm_mt, addr_of(src)) == new || vma == new) {
		test_fail(__FILE__, __LINE__, "copy_vma() keeping its source [%#lx, %#lx) merged the copy [%#lx, %#lx) into it: [%#lx, %#lx)",
			  addr_of(src_first), addr_of(src_last), addr_of(dst),
			  addr_of(dst + n), new->vm_start, new->vm_end);
		return false;
	}
#ifndef HAVE_MM_VMA_C
	if (below || above)
		return true;
#endif
	if (!below)
		add_merge_pt(r, dst, true);
	if (!above)
		add_merge_pt(r, dst + n, false);
	return true;
}

/*
 * mremap() unmaps its destination before copy_vma(), which refuses one
 * that a VMA maps all the same (find_vma_prev(): any VMA in the range):
 * NULL, nothing changed, rather than a copy linked over that VMA in
 * mm_mt.  The ops whose first page is mapped ask it, changing nothing;
 * those that would run into a VMA above ask it first over all their
 * pages, and then copy as many as are free.
 */
static bool copy_refused(struct vm_area_struct *vma, unsigned long dst,
			 unsigned long n, pgoff_t pgoff, bool keep)
{
	struct vm_area_struct *new;
	bool need_rmap_locks;

	new = KERNEL(copy_vma(&vma, addr_of(dst), n << PAGE_SHIFT, pgoff,
			      &need_rmap_locks, keep));
	if (!new)
		return true;
	test_fail(__FILE__, __LINE__, "copy_vma() to [%#lx, %#lx), where a VMA maps pages, gave [%#lx, %#lx), not NULL",
		  addr_of(dst), addr_of(dst + n), new->vm_start, new->vm_end);
	return false;
}

/*
 * copy_vma() hands back through vmap the VMA that maps the source pages
 * now: the copy, if the source merged into it, else the source itself.
 * move_vma() goes on through it (moves the page tables, unmaps the old
 * range, gives VM_ACCOUNT back): a copy that merged with the VMA right
 * below the source, which ends where the source starts, is not it.
 */
static bool check_copy_vmap(struct vma_run *r, struct vm_area_struct *vma,
			    struct vm_area_struct *new, unsigned long src)
{
	struct vm_area_struct *now = mtree_load(&r->mm.mm_mt, addr_of(src));

	if (vma == now)
		return true;
	/* Not vma's range: a VMA that a merge removed is freed. */
	test_fail(__FILE__, __LINE__, "copy_vma() to [%#lx, %#lx) handed back %s as its source, expected the VMA at %#lx, [%#lx, %#lx)",
		  new->vm_start, new->vm_end,
		  vma == new ? "the copy" : "a VMA not at the source",
		  addr_of(src), now ? now->vm_start : 0,
		  now ? now->vm_end : 0);
	return false;
}

/*
 * copy_vma() must not install uprobes on the VMA it merges the copy into
 * (vmg.skip_vma_uprobe): uprobe_mmap() would map breakpoints over the new
 * range, whose page tables mremap's move_page_tables() then brings in,
 * orphaning them.  A VMA of its own is linked without uprobe_mmap() too.
 */
static bool check_copy_uprobes(struct vm_area_struct *new, unsigned long dst,
			       unsigned long n)
{
#ifdef HAVE_VMA_SKIP_UPROBE
	if (vma_record.uprobe_mmaps) {
		test_fail(__FILE__, __LINE__, "copy_vma() to [%#lx, %#lx) called uprobe_mmap(): expected 0 calls, got %lu (gave [%#lx, %#lx))",
			  addr_of(dst), addr_of(dst + n), vma_record.uprobe_mmaps,
			  new ? new->vm_start : 0, new ? new->vm_end : 0);
		return false;
	}
#endif
	return true;
}

/*
 * Whether copy_vma() must merge the copy with nothing: where its source's
 * uffd context (number uffd, 0 for none) asked for no remap events, on a
 * tree that knows (6.12.118): mremap() clears that context of the copy
 * alone, which a merged VMA would lose on pages that are not the copy's.
 */
static bool copy_alone(unsigned int uffd)
{
#ifdef HAVE_COPY_VMA_UFFD_REMAP
	return uffd && !(attr_uffd_ctxs[uffd] & UFFD_FEATURE_EVENT_REMAP);
#else
	return false;
#endif
}

static bool check_copy_alone(struct vm_area_struct *new, unsigned long dst,
			     unsigned long n)
{
	if (new->vm_start == addr_of(dst) && new->vm_end == addr_of(dst + n))
		return true;
	test_fail(__FILE__, __LINE__, "copy_vma() of a VMA whose uffd context asked for no remap events to [%#lx, %#lx) merged it: [%#lx, %#lx), expected a VMA of its own",
		  addr_of(dst), addr_of(dst + n), new->vm_start, new->vm_end);
	return false;
}

/*
 * mremap() moving: copy_vma() of part of a VMA to free pages, then (unless
 * MREMAP_DONTUNMAP-like keep) unmap the source as move_vma() does.
 */
static bool op_copy(struct vma_run *r, const struct test_op *op)
{
	unsigned long src = op->a % r->nr_pages, dst = op->c % r->nr_pages;
	struct vm_area_struct *vma = mtree_load(&r->mm.mm_mt, addr_of(src));
	struct vm_area_struct *new;
	unsigned long n, gap, flags, anon, src_first, src_last;
	bool keep = op->r & 1, need_rmap_locks;
	struct vma_attrs a;
	unsigned int fnr;
	pgoff_t pgoff, src_pgoff;

	if (!vma || (vma->vm_flags & (VM_SPECIAL | VM_SEALED)))
		return true;
	n = min(1 + op->b % 8, page_of(vma->vm_end) - src);
	src_pgoff = vma->vm_pgoff + (src - page_of(vma->vm_start));
	/* A mapped page stops the gap, or else the end of the model's pages. */
	gap = gap_pages(r, dst, true);
	if (gap < n && dst + gap < r->nr_pages &&
	    !copy_refused(vma, dst, n, src_pgoff, keep))
		return false;
	n = min(n, gap);
	if (!n)
		return true;
	flags = vma->vm_flags;
	fnr = file_nr(vma);
	anon = vma->anon_vma ? vma->anon_vma->id : 0;
	attrs_of(vma, &a);
	src_first = page_of(vma->vm_start);
	src_last = page_of(vma->vm_end);
	/* copy_vma() moves an unfaulted anonymous VMA's pgoff with it. */
	pgoff = !fnr && !anon ? addr_of(dst) >> PAGE_SHIFT : src_pgoff;
	vma_record.uprobe_mmaps = 0;
	new = KERNEL(copy_vma(&vma, addr_of(dst), n << PAGE_SHIFT, src_pgoff,
			      &need_rmap_locks, keep));
	if (!check_copy_uprobes(new, dst, n))
		return false;
	if (!new)
		return expected_error(r, -ENOMEM, false);
	if (!check_copy_vmap(r, vma, new, src))
		return false;
	/*
	 * A copy merged into a VMA that starts at or below the source in
	 * the file may be met first by an rmap walk: move_ptes() must then
	 * take the rmap locks.  A VMA of its own is linked after the moves.
	 */
	if (need_rmap_locks != ((new->vm_start != addr_of(dst) ||
				 new->vm_end != addr_of(dst + n)) &&
				new->vm_pgoff <= vma->vm_pgoff))
		test_fail(__FILE__, __LINE__, "copy_vma() to [%#lx, %#lx) said need_rmap_locks %d",
			  new->vm_start, new->vm_end, need_rmap_locks);
	vma_model_map(&r->model, dst, n, flags, fnr, pgoff, anon);
	vma_model_set_attrs(&r->model, dst, n, &a);
	/*
	 * The copy may have merged with its source and a neighbour that has
	 * an anon_vma: the source's pages have it now, before the unmap
	 * below splits them off.
	 */
	if (!check_vma_pages(r, new))
		return false;
	if (copy_alone(a.uffd)) {
		if (!check_copy_alone(new, dst, n))
			return false;
	} else if (!keep) {
		add_merge_pt(r, dst, true);
		add_merge_pt(r, dst + n, false);
	} else if (!copy_keep_merges(r, vma, new, src, dst, n, src_first,
				     src_last, !fnr && !anon)) {
		return false;
	}
	if (!keep) {
		int err;

		r->move_src = vma;
		err = unmap_range_how(r, src, n, UNMAP_MOVE);

		if (err)
			return expected_error(r, err, true);
	}
	return true;
}

/*
 * A known 6.1 bug (scripts/probe): do_brk_flags() extending the VMA below
 * returns -ENOMEM when mas_preallocate() fails without giving back the
 * memory it charged: it gives back only its caller's munmap's
 * (unaccounted).  Not held against it unless --known-bugs.
 */
static bool brk_unacct_bug(struct vma_run *r, unsigned long first,
			   unsigned long flags, unsigned long unaccounted,
			   int err)
{
#ifdef HAVE_BUG_BRK_PREALLOC_UNACCT
	struct vm_area_struct *below;

	if (opts.known_bugs || err != -ENOMEM || !first ||
	    vma_record.unacct_pages != unaccounted)
		return false;
	below = mtree_load(&r->mm.mm_mt, addr_of(first - 1));
	return below && (below->vm_flags & ~VM_SOFTDIRTY) == flags;
#else
	return false;
#endif
}

/*
 * The brk syscall asked to grow the heap to want: 0 when it did, -ENOMEM
 * (all that do_brk_flags() answers) when it kept the old break.
 */
static int sys_brk_grow(struct vma_run *r, unsigned long want)
{
	return sys_brk_made(r, want) ? 0 : -ENOMEM;
}

/* do_brk_flags() refuses only above the map_count limit, not at it. */
static bool brk_count_refused(struct vma_run *r)
{
	return map_limit() && count_vmas(r) > sysctl_max_map_count;
}

/*
 * vm_brk_flags()' request for n pages: one that ends r % PAGE_SIZE bytes
 * short of them; or, as r's bits 12-15 say (1 and 2 of 16), none, or one
 * so big that rounding it up to pages wraps.
 */
static unsigned long vm_brk_request(const struct test_op *op, unsigned long n)
{
	switch ((op->r >> 12) % 16) {
	case 1:
		return 0;
	case 2:
		/* Within a page less one of the top: PAGE_ALIGN() wraps. */
		return ULONG_MAX - op->r % (PAGE_SIZE - 1);
	}
	return (n << PAGE_SHIFT) - op->r % PAGE_SIZE;
}

/* A request of no pages, or of more than the address space holds. */
static bool vm_brk_maps_nothing(const struct test_op *op, unsigned long n)
{
	unsigned long req = vm_brk_request(op, n);

	return !req || PAGE_ALIGN(req) < req;
}

/*
 * vm_brk_flags(), which takes mmap_lock itself and drops it again: the
 * request may end inside its last page (vm_brk_request()).
 */
static int call_vm_brk(struct vma_run *r, const struct test_op *op,
		       unsigned long first, unsigned long n,
		       unsigned long flags)
{
	unsigned long req = vm_brk_request(op, n);
	int err, held;

	vma_mmap_lock = MMAP_UNLOCKED;
	err = KERNEL(vm_brk_flags(addr_of(first), req, flags));
	held = vma_mmap_lock;
	vma_mmap_lock = MMAP_WRITE_LOCKED;
	if (held != MMAP_UNLOCKED)
		test_fail(__FILE__, __LINE__, "vm_brk_flags(%#lx, %#lx, %#lx) returned %d with mmap_lock still held",
			  addr_of(first), req, flags, err);
	return err;
}

/*
 * vm_brk_flags() refusing before it changes anything: a flag it does not
 * take (-EINVAL), or an address below mmap_min_addr (check_brk_limits():
 * -EPERM).
 */
static bool vm_brk_refused(struct vma_run *r, const struct test_op *op,
			   unsigned long first, unsigned long n)
{
	bool bad = op->c & BRK_BAD_FLAG;
	unsigned long flags = (op->c & BRK_EXEC ? VM_EXEC : 0) |
			      (bad ? VM_WRITE : 0);
	unsigned long req = vm_brk_request(op, n);
	/*
	 * In vm_brk_flags()' order: a length that wraps, or none, before the
	 * flags; those before mmap_lock; mmap_min_addr after it.
	 */
	long want = PAGE_ALIGN(req) < req ? -ENOMEM : !req ? 0 :
		    bad ? -EINVAL : vma_fatal_signal ? -EINTR : -EPERM;

	vma_record.acct_pages = 0;
	r->result = call_vm_brk(r, op, first, n, flags);
	if (r->result != want || vma_record.acct_pages)
		test_fail(__FILE__, __LINE__, "vm_brk_flags(%#lx, %#lx, flags %#lx) returned %ld, charged %lu pages: expected %ld",
			  addr_of(first), req, flags, r->result,
			  vma_record.acct_pages, want);
	return !ctx->failed;
}

/*
 * check_brk_limits(), for the brk syscall and vm_brk_flags() (checked):
 * under mlockall(MCL_FUTURE) the n pages of new heap would be locked
 * (mm->def_flags VM_LOCKED), so RLIMIT_MEMLOCK a page under what is
 * locked with them (memlock_limit()) refuses it, and at it lets it
 * through.  brk()'s own do_brk_flags() call is not checked.  Sets the
 * limit for this op.
 */
static bool brk_memlock_refused(struct vma_run *r, bool checked,
				unsigned long n)
{
	if (!r->limit_memlock)
		return false;
	vma_rlimit_memlock = memlock_limit(r, n);
	return checked && (r->mm.def_flags & VM_LOCKED) && limit_under(r);
}

/* A brk refused by RLIMIT_MEMLOCK: errno want, nothing charged or mapped. */
static bool check_memlock_refused(struct vma_run *r, unsigned long first,
				  unsigned long n, int want, int err)
{
	if (err != want || vma_record.acct_pages || vma_record.mm_populates)
		test_fail(__FILE__, __LINE__, "brk of [%#lx, %#lx) with a locked heap past RLIMIT_MEMLOCK returned %d, charged %lu pages, populated %lu times: expected %d, and neither",
			  addr_of(first), addr_of(first + n), err,
			  vma_record.acct_pages, vma_record.mm_populates, want);
	r->refused = true;
	return !ctx->failed;
}

/*
 * A locked heap's new pages [first, first + n) (n 0: the brk failed) are
 * faulted in, mm_populate() once after the lock is dropped, by the brk
 * syscall and vm_brk_flags() (syscall); by nothing else.
 */
static bool check_brk_populate(struct vma_run *r, unsigned long first,
			       unsigned long n, bool syscall)
{
	bool want = n && syscall && (r->mm.def_flags & VM_LOCKED);

	if (vma_record.mm_populates != want ||
	    (want && (vma_record.mm_populate_addr != addr_of(first) ||
		      vma_record.mm_populate_len != n << PAGE_SHIFT)))
		test_fail(__FILE__, __LINE__, "brk of %lu pages at %#lx, mm->def_flags %#lx: mm_populate() called %lu times, the last on [%#lx, +%#lx): expected %s",
			  n, addr_of(first), r->mm.def_flags,
			  vma_record.mm_populates, vma_record.mm_populate_addr,
			  vma_record.mm_populate_len,
			  want ? "once, on the new pages" : "no call");
	return !ctx->failed;
}

/* Nothing recorded yet of what a brk charges, gives back, faults in. */
static void brk_record_reset(void)
{
	vma_record.acct_pages = 0;
	vma_record.unacct_pages = 0;
	vma_record.mm_populates = 0;
}

/*
 * A VMA of brk's own (one that starts where the heap grew from: brk never
 * merges with the VMA above) has the page protection its flags give, and
 * was offered to perf, and to KSM where the tree does; one it extended is
 * check_perf_mmap()'s.  Neither tree offers it to khugepaged.
 */
static bool check_brk_vma(struct vma_run *r, unsigned long first)
{
	struct vm_area_struct *vma = mtree_load(&r->mm.mm_mt, addr_of(first));

	if (!vma || vma->vm_start != addr_of(first))
		return true;
	return check_page_prot(r, vma) &&
	       check_new_vma_calls(vma, "brk", true, false);
}

/*
 * After do_brk_flags() answered err for [first, first + n): what it
 * charged stays charged only if it mapped the pages (unaccounted: what
 * its caller's munmap gave back besides), a locked heap is faulted in
 * (syscall: by the brk syscall or vm_brk_flags()), and the model takes
 * the new pages, with a merge allowed into the VMA below (merge).
 */
static bool brk_done(struct vma_run *r, unsigned long first, unsigned long n,
		     unsigned long flags, unsigned long unaccounted, bool syscall,
		     bool merge, int err)
{
	struct mm_struct stats;

	if (vma_record.unacct_pages !=
	    unaccounted + (err ? vma_record.acct_pages : 0) &&
	    !brk_unacct_bug(r, first, flags, unaccounted, err))
		test_fail(__FILE__, __LINE__, "brk of %lu pages returned %d: charged %lu pages, gave back %lu, expected %lu given back%s",
			  n, err, vma_record.acct_pages, vma_record.unacct_pages,
			  unaccounted + (err ? vma_record.acct_pages : 0),
			  unaccounted ? " (with its munmap's)" : "");
	if (!check_brk_populate(r, first, err ? 0 : n, syscall))
		return false;
	if (err)
		return expected_error(r, err, false);
	if (!check_soft_dirty_set(r, first, "brk") || !check_brk_vma(r, first))
		return false;
	vma_model_map(&r->model, first, n, flags, 0, addr_of(first) >> PAGE_SHIFT, 0);
	if (merge)
		add_merge_pt(r, first, true);
	model_stats(r, &stats);
	ASSERT_EQ(r->mm.total_vm, stats.total_vm);
	ASSERT_EQ(r->mm.data_vm, stats.data_vm);
	ASSERT_EQ(r->mm.locked_vm, stats.locked_vm);
	return true;
}

/*
 * do_brk_flags() growing the heap by free pages [first, first + n): as
 * brk() calls it, or (want) through the brk syscall asked for break want,
 * or (op, BRK_VM_BRK) through vm_brk_flags(), with VM_EXEC if BRK_EXEC.
 * It extends the VMA just below when it may (the op's only merge: brk
 * never merges with the VMA above; the syscall looks for one no lower
 * than start_brk, so not from an empty heap), else links a new anonymous
 * VMA.
 */
static bool brk_grow(struct vma_run *r, unsigned long first, unsigned long n,
		     unsigned long want, const struct test_op *op)
{
	bool vm_brk = op && (op->c & BRK_VM_BRK), locked;
	unsigned long exec = vm_brk && (op->c & BRK_EXEC) ? VM_EXEC : 0;
	unsigned long flags = VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT | exec |
			      r->mm.def_flags;
	bool refuse;
	long vmas;
	int err;

	set_mm_stats(r);
	refuse = brk_count_refused(r);
	vmas = refuse ? count_vmas(r) : 0;
	brk_record_reset();
	/* The syscall's at RLIMIT_DATA, if data_vm is 0, is refused before. */
	if (expand_refused(r, flags, n, 0, 0)) {
		refuse = true;
		vmas = count_vmas(r);
	}
	locked = brk_memlock_refused(r, want || vm_brk, n);
	if (want)
		err = sys_brk_grow(r, want);
	else if (vm_brk)
		err = call_vm_brk(r, op, first, n, exec);
	else
		err = KERNEL(vapi_brk(&r->mm, addr_of(first), n << PAGE_SHIFT));
	if (locked)
		return check_memlock_refused(r, first, n, want ? -ENOMEM : -EAGAIN,
					     err);
	if (refuse && !check_refused(r, "brk above the limit", vmas, vmas, err))
		return false;
	return brk_done(r, first, n, flags, 0, want || vm_brk,
			!want || addr_of(first) > r->mm.start_brk, err);
}

/*
 * The VMAs a munmap of [first, first + n) leaves: those inside it go, one
 * it cuts on both sides becomes two.
 */
static long vmas_after_unmap(struct vma_run *r, unsigned long first,
			     unsigned long n)
{
	unsigned long start = addr_of(first), end = addr_of(first + n);
	MA_STATE(mas, &r->mm.mm_mt, start, start);
	struct vm_area_struct *vma;
	long count = count_vmas(r);

	mas_for_each(&mas, vma, end - 1) {
		if (vma->vm_start < start && vma->vm_end > end)
			count++;
		else if (vma->vm_start >= start && vma->vm_end <= end)
			count--;
	}
	return count;
}

/* Whether any VMA is left in [first, first + n). */
static bool vmas_in(struct vma_run *r, unsigned long first, unsigned long n)
{
	MA_STATE(mas, &r->mm.mm_mt, addr_of(first), addr_of(first));

	return mas_find(&mas, addr_of(first + n) - 1) != NULL;
}

/*
 * vm_brk_flags() whose munmap failed (err): nothing unmapped, zapped,
 * charged or given back.  Its userfaultfd events may have been queued,
 * and are left so (HAVE_BUG_VM_BRK_UFFD_LEAK).  At the map_count limit a
 * range inside one VMA must be refused (refused).
 */
static bool vm_brk_unmap_failed(struct vma_run *r, unsigned long first,
				unsigned long n, bool refused, bool may_split,
				int err)
{
	if (vma_record.pages_zapped || vma_record.acct_pages ||
	    vma_record.unacct_pages || vma_record.mm_populates)
		test_fail(__FILE__, __LINE__, "vm_brk_flags(%#lx, %lu pages) left the range mapped and returned %d, but zapped %lu pages, charged %lu, gave back %lu, populated %lu times: expected none of it",
			  addr_of(first), n, err, vma_record.pages_zapped,
			  vma_record.acct_pages, vma_record.unacct_pages,
			  vma_record.mm_populates);
	if (refused && err != -ENOMEM)
		test_fail(__FILE__, __LINE__, "vm_brk_flags(%#lx, %lu pages) inside one VMA at max_map_count %d returned %d: expected %d",
			  addr_of(first), n, sysctl_max_map_count, err, -ENOMEM);
	if (ctx->failed || !check_stats(r, "vm_brk_flags"))
		return false;
	r->refused = refused;
	return expected_error(r, err, may_split);
}

/*
 * vm_brk_flags() over [first, first + n), some of it mapped: it unmaps
 * the range first (do_vmi_munmap(), with userfaultfd's unmap events), then
 * maps the heap there as on free pages, extending the VMA below when it
 * may.  Either step may fail: a failed munmap leaves everything as it was,
 * a failed do_brk_flags() after it leaves the range unmapped.  Which one
 * failed shows in the tree: whether the old VMAs are still there.
 */
static bool vm_brk_over(struct vma_run *r, const struct test_op *op,
			unsigned long first, unsigned long n)
{
	unsigned long exec = op->c & BRK_EXEC ? VM_EXEC : 0;
	unsigned long flags = VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT | exec |
			      r->mm.def_flags;
	unsigned long mapped = vma_model_mapped(&r->model, first, n);
	unsigned long accounted = model_accounted(r, first, n);
	unsigned int uffds = model_uffds(r, first, n);
	bool may_split = split_may_refuse(r, first, n);
	bool unmap_refuse = unmap_refused(r, first, n), refuse, locked;
	int err;

	set_mm_stats(r);
	refuse = (map_limit() &&
		  vmas_after_unmap(r, first, n) > sysctl_max_map_count) ||
		 expand_refused(r, flags, n, mapped,
				model_count(r, first, n, is_data_mapping));
	brk_record_reset();
	vma_record.pages_zapped = 0;
	vma_record.nr_uffd_events = 0;
	r->sealed = model_sealed(r, first, n);
	locked = brk_memlock_refused(r, true, n);
	err = call_vm_brk(r, op, first, n, exec);
	r->result = err;
	if (locked)
		return check_memlock_refused(r, first, n, -EAGAIN, err);
	if (err && vmas_in(r, first, n)) {
		check_uffd_events(r, addr_of(first), addr_of(first + n), uffds,
				  false);
		return !ctx->failed &&
		       vm_brk_unmap_failed(r, first, n, unmap_refuse, may_split,
					   err);
	}
	if (!check_uffd_events(r, addr_of(first), addr_of(first + n), uffds,
			       true))
		return false;
	if (r->sealed || unmap_refuse || vma_record.pages_zapped != mapped)
		test_fail(__FILE__, __LINE__, "vm_brk_flags(%#lx, %lu pages) unmapped the range (returned %d) and zapped %lu pages: expected %lu zapped%s",
			  addr_of(first), n, err, vma_record.pages_zapped, mapped,
			  r->sealed ? ", or -EPERM for its sealed pages" :
			  unmap_refuse ? ", or -ENOMEM at max_map_count" : "");
	if (refuse && err != -ENOMEM)
		test_fail(__FILE__, __LINE__, "vm_brk_flags(%#lx, %lu pages) over %lu mapped pages returned %d: expected %d from do_brk_flags(), at the map_count limit or an rlimit",
			  addr_of(first), n, mapped, err, -ENOMEM);
	if (ctx->failed)
		return false;
	r->refused = refuse;
	vma_model_unmap(&r->model, first, n);
	return brk_done(r, first, n, flags, accounted, true, true, err);
}

/*
 * do_brk_flags() on free pages [a, a + b), as brk() calls it, or one in
 * four through vm_brk_flags() (c's BRK_* bits), which also takes a range
 * that is mapped (brk() itself is called only on free pages).
 */
static bool op_brk(struct vma_run *r, const struct test_op *op)
{
	bool vm_brk = op->c & BRK_VM_BRK, mapped;
	unsigned long first, n;

	op_range(r, op, &first, &n);
	n = min(n, 8UL);
	mapped = vma_model_mapped(&r->model, first, n);
	if (mapped && !vm_brk)
		return true;
	if (vm_brk && ((op->c & BRK_BAD_FLAG) || vma_fatal_signal ||
		       addr_of(first) < mmap_min_addr ||
		       vm_brk_maps_nothing(op, n)))
		return vm_brk_refused(r, op, first, n);
	if (mapped)
		return vm_brk_over(r, op, first, n);
	return brk_grow(r, first, n, 0, op);
}

/* sys_brk op bits in c */
#define SBRK_TOP	0x1000	/* a heap just below TASK_SIZE (r: where to) */

/* A brk that must change nothing: it answers want, and mm->brk is that. */
static bool sys_brk_same(struct vma_run *r, unsigned long brk,
			 unsigned long want)
{
	unsigned long orig = r->mm.brk;
	unsigned long ret = KERNEL(vapi_sys_brk(&r->mm, brk));

	if (ret != want || r->mm.brk != want)
		test_fail(__FILE__, __LINE__, "brk(%#lx) from %#lx returned %#lx, mm->brk %#lx: expected %#lx",
			  brk, orig, ret, r->mm.brk, want);
	return !ctx->failed;
}

/* A fatal signal pending: the syscall gets no mmap_lock, changes nothing. */
static bool sys_brk_interrupted(struct vma_run *r, unsigned long brk)
{
	unsigned long orig = r->mm.brk;
	long ret = KERNEL(vapi_sys_brk(&r->mm, brk));

	if (ret != -EINTR || r->mm.brk != orig)
		test_fail(__FILE__, __LINE__, "brk(%#lx) from %#lx with a fatal signal pending returned %ld, mm->brk %#lx: expected %d, and mm->brk kept",
			  brk, orig, ret, r->mm.brk, -EINTR);
	return !ctx->failed;
}

/*
 * brk to TASK_SIZE from a heap at base, two pages below it: it maps them
 * unless refused; a brk back to base (with no failure injected) must
 * unmap them again.
 */
static bool sys_brk_to_top(struct vma_run *r, unsigned long base)
{
	long vmas = count_vmas(r);
	bool refuse = brk_count_refused(r) ||
		      brk_memlock_refused(r, true,
					  (TASK_SIZE - base) >> PAGE_SHIFT) ||
		      data_limit(r);
	bool paused = slab_faults.paused, mapped;
	unsigned long ret;
	int err = sys_brk_grow(r, TASK_SIZE);

	if (refuse)
		return check_refused(r, "brk above the limit", vmas, vmas, err);
	if (err)
		return expected_error(r, err, false);
	mapped = mtree_load(&r->mm.mm_mt, base) != NULL;
	slab_faults.paused = true;
	ret = KERNEL(vapi_sys_brk(&r->mm, base));
	slab_faults.paused = paused;
	if (!mapped || ret != base)
		test_fail(__FILE__, __LINE__, "brk(%#lx) to TASK_SIZE mapped %s, and brk back to %#lx returned %#lx",
			  TASK_SIZE, mapped ? "its pages" : "nothing", base,
			  ret);
	return !ctx->failed;
}

/*
 * A heap just below TASK_SIZE, out of the model's space, for this op: a
 * break past TASK_SIZE must be refused (check_brk_limits()), one at it
 * is not.
 */
static bool sys_brk_top(struct vma_run *r, const struct test_op *op)
{
	unsigned long start = r->mm.start_brk, brk = r->mm.brk;
	unsigned long base = TASK_SIZE - 2 * PAGE_SIZE;
	bool ok;

	r->mm.start_brk = r->mm.brk = base;
	if (op->r & 1)
		ok = sys_brk_same(r, TASK_SIZE + 1 + op->r % PAGE_SIZE, base);
	else
		ok = sys_brk_to_top(r, base);
	r->mm.start_brk = start;
	r->mm.brk = brk;
	return ok;
}

/*
 * The first mapped page at or above p, if it asks a guard gap that the
 * page above a new break must keep clear of: brk() leaves a page and a
 * stack's guard gap free below the next VMA.
 */
static bool sys_brk_blocked(struct vma_run *r, unsigned long p,
			    unsigned long newbrk)
{
	unsigned long gap_start;

	while (p < r->nr_pages && !r->model.pages[p].mapped)
		p++;
	if (p == r->nr_pages)
		return false;
	gap_start = addr_of(p);
	if (r->model.pages[p].flags & VM_GROWSDOWN)
		gap_start -= stack_guard_gap;
	return newbrk + PAGE_SIZE > gap_start;
}

/* check_data_rlimit(): the heap to brk and the data segment past RLIMIT_DATA. */
static bool sys_brk_data_refused(struct vma_run *r, unsigned long brk)
{
	return data_limit(r) &&
	       brk - r->mm.start_brk + r->mm.end_data - r->mm.start_data >
	       vma_rlimit_data;
}

/*
 * The brk syscall, to page a and b bytes into it: below start_brk, or on
 * the page the break is on, it changes nothing but mm->brk; lower, it
 * unmaps what lies between the two breaks (refused if nothing does);
 * higher, it grows the heap with do_brk_flags() unless the old break is
 * below mmap_min_addr, or a VMA, or a stack's guard gap, lies within a
 * page of the new break.
 */
static bool op_sys_brk(struct vma_run *r, const struct test_op *op)
{
	unsigned long brk = addr_of(op->a % r->nr_pages) + op->b % PAGE_SIZE;
	unsigned long orig = r->mm.brk, newbrk = PAGE_ALIGN(brk);
	unsigned long oldbrk = PAGE_ALIGN(orig);
	unsigned long first, n;
	int err;

	if (vma_fatal_signal)
		return sys_brk_interrupted(r, brk);
	if (op->c & SBRK_TOP)
		return sys_brk_top(r, op);
	if (brk < r->mm.start_brk || sys_brk_data_refused(r, brk))
		return sys_brk_same(r, brk, orig);
	if (newbrk == oldbrk)
		return sys_brk_same(r, brk, brk);
	if (brk > orig) {
		first = page_of(oldbrk);
		if (oldbrk < mmap_min_addr || sys_brk_blocked(r, first, newbrk))
			return sys_brk_same(r, brk, orig);
		return brk_grow(r, first, page_of(newbrk) - first, brk, NULL);
	}
	first = page_of(newbrk);
	n = page_of(oldbrk) - first;
	if (!vma_model_mapped(&r->model, first, n))
		return sys_brk_same(r, brk, orig);
	r->brk_want = brk;
	err = unmap_range_how(r, first, n, UNMAP_SYS_BRK);
	return !err || expected_error(r, err, true);
}

/*
 * A page of the whole address space, counted from the suite's space
 * (negative below it), rounded down: windows and hints may lie outside
 * the space, where the suite maps nothing.
 */
static long spage_of(unsigned long addr)
{
	return (long)(addr - VMA_BASE) >> PAGE_SHIFT;
}

static bool spage_mapped(struct vma_run *r, long p)
{
	return p >= 0 && p < (long)r->nr_pages && r->model.pages[p].mapped;
}

/*
 * The first VMA at or above page p, if it is a stack (VM_GROWSDOWN): the
 * VMA just above a free run, whose guard gap the run must keep clear of.
 */
static struct vm_area_struct *stack_above(struct vma_run *r, long p)
{
	MA_STATE(mas, &r->mm.mm_mt, addr_of(p), addr_of(p));
	struct vm_area_struct *vma = mas_find(&mas, ULONG_MAX);

	return vma && (vma->vm_flags & VM_GROWSDOWN) ? vma : NULL;
}

/*
 * What vm_unmapped_area() must answer, from the model: the lowest (or
 * highest) run of free pages in [low, high) that holds start_gap, length
 * and the worst-case alignment, the area aligned inside it as the kernel
 * aligns, with start_gap free below it: bottom-up the area starts
 * start_gap above the run's start, then aligns up; top-down it ends at
 * the run's end, then aligns down, which the worst case leaves at least
 * start_gap above the run's start; -ENOMEM if none.  A stack
 * (VM_GROWSDOWN) keeps stack_guard_gap below it free: top-down, a run
 * that reaches into the guard is searched again below the guard;
 * bottom-up, an area that would end in the guard (judged, as the kernel
 * judges it, by the whole worst-case length, start_gap too, from the
 * aligned start) sends the search on above the stack.  *narrowed says
 * whether such a search again had a window too small for the worst-case
 * length.  The window may start below the space (never above its top):
 * all free there.
 */
static unsigned long model_unmapped_area(struct vma_run *r,
					 const struct vm_unmapped_area_info *info,
					 bool *narrowed)
{
	unsigned long need = info->length + info->align_mask + info->start_gap;
	long lo = spage_of(info->low_limit), hi = spage_of(info->high_limit);
	unsigned long low = info->low_limit, gap;
	bool down = info->flags & VM_UNMAPPED_AREA_TOPDOWN;
	struct vm_area_struct *stack;
	long p, q;

	/* The worst-case length wraps: no area, whatever is free. */
	if (need < info->length)
		return -ENOMEM;
#ifdef HAVE_UNMAPPED_AREA_MIN_ADDR
	/*
	 * 6.12 raises the low limit (6.1 leaves it to the arch's caller), to
	 * the byte: an area starts no lower, and a run that holds it ends
	 * need bytes above it (the sysctl need not be page-aligned).
	 */
	if (info->low_limit < mmap_min_addr) {
		low = mmap_min_addr;
		lo = spage_of(low);
	}
#endif

	for (p = down ? hi : lo; down ? p > lo : p < hi; ) {
		/* The free run that ends at (down) or starts at (up) p. */
		q = p;
		if (down) {
			while (q > lo && !spage_mapped(r, q - 1))
				q = q > 0 ? q - 1 : lo;
			if (addr_of(p) - max(addr_of(q), low) >= need) {
				stack = stack_above(r, p);
				if (stack && spage_of(vm_start_gap(stack)) < p) {
					hi = max(spage_of(vm_start_gap(stack)), lo);
					*narrowed |= (unsigned long)(hi - lo) << PAGE_SHIFT < need;
					p = hi;
					continue;
				}
				gap = addr_of(p) - info->length;
				return gap - ((gap - info->align_offset) & info->align_mask);
			}
			while (q > lo && spage_mapped(r, q - 1))
				q--;
		} else {
			while (q < hi && !spage_mapped(r, q))
				q = q < 0 ? min(0L, hi) : q + 1;
			if (q > p && addr_of(q) - max(addr_of(p), low) >= need) {
				gap = max(addr_of(p), low) + info->start_gap;
				gap += (info->align_offset - gap) & info->align_mask;
				stack = stack_above(r, q);
				if (!stack || vm_start_gap(stack) >= gap + need - 1)
					return gap;
				q = page_of(stack->vm_end);
				*narrowed |= q + (long)(need >> PAGE_SHIFT) > hi;
			}
			while (q < hi && spage_mapped(r, q))
				q++;
		}
		p = q;
	}
	return -ENOMEM;
}

/*
 * vm_unmapped_area() bottom-up or top-down over a window [a, a + b):
 * c bit 0 top-down, bits 1-2 the alignment order (pages), bits 3-5 the
 * alignment offset (pages), bits 6-7 the start_gap (pages, 0-3: a shadow
 * stack's is one, stack_guard_placement(); on trees that have it), bits
 * 8-10 the length - 1 (pages); bit 11 (UA_HUGE) takes that many pages off
 * 0 instead, a length no window holds, which the alignment may wrap round
 * to a small worst case: the kernel must see the wrap and answer -ENOMEM.
 * It changes nothing; its answer must be the model's.
 */
#define UA_START_GAP_SHIFT	6
#define UA_HUGE		0x800

/*
 * The start_gap of op_unmapped_area(): from bits that the generator has
 * always drawn and the op left unused, so that a seed makes the ops it
 * made.  Not under --layout: 6.1 has no start_gap, and scripts/compare-trees
 * needs both trees to answer alike.
 */
static unsigned long ua_start_gap(const struct test_op *op)
{
#ifdef HAVE_UNMAPPED_AREA_START_GAP
	if (!opts.layout)
		return ((op->c >> UA_START_GAP_SHIFT) & 3) << PAGE_SHIFT;
#endif
	return 0;
}

/* The request that op_unmapped_area() makes of vm_unmapped_area(). */
static void ua_info(struct vma_run *r, const struct test_op *op,
		    struct vm_unmapped_area_info *info)
{
	unsigned long first, n;

	op_range(r, op, &first, &n);
	info->flags = op->c & 1 ? VM_UNMAPPED_AREA_TOPDOWN : 0;
	info->length = (1 + ((op->c >> 8) & 7)) << PAGE_SHIFT;
	if (op->c & UA_HUGE)
		info->length = -info->length;
	info->low_limit = addr_of(first);
	info->high_limit = addr_of(first + n);
	info->align_mask = ((1UL << ((op->c >> 1) & 3)) - 1) << PAGE_SHIFT;
	info->align_offset = ((op->c >> 3) & 7) << PAGE_SHIFT;
	info->start_gap = ua_start_gap(op);
}

static bool check_unmapped_area(struct vma_run *r, const struct test_op *op,
				struct vm_unmapped_area_info *info)
{
	unsigned long got, want;
	bool narrowed = false;

	want = model_unmapped_area(r, info, &narrowed);
#ifndef HAVE_EMPTY_AREA_ARG_CHECK
	/*
	 * A known 6.1 bug (see the maple suite): mas_empty_area(_rev) does not
	 * check that the window holds the size, and answers with an area
	 * outside it.  Not run unless --known-bugs; nor where a stack's guard
	 * gap makes the kernel search again in a window too small.
	 */
	if (!opts.known_bugs && (narrowed || info->high_limit - info->low_limit <
				 info->length + info->align_mask)) {
		r->result = -ENOMEM;
		return true;
	}
#endif
	got = KERNEL(vm_unmapped_area(info));
	r->result = got;
	if (got != want)
		test_fail(__FILE__, __LINE__, "vm_unmapped_area(%s, length %#lx, [%#lx, %#lx), align %#lx + %#lx, start_gap %#lx) = %#lx, expected %#lx",
			  op->c & 1 ? "top-down" : "bottom-up", info->length,
			  info->low_limit, info->high_limit, info->align_mask,
			  info->align_offset, info->start_gap, got, want);
	return got == want;
}

/*
 * Whether mmap()'s hint [addr, addr + len) is free and clear of the guard
 * gap of a stack above it, as generic_get_unmapped_area() asks of
 * find_vma_prev()'s VMAs (vm_start_gap(), and vm_end_gap(), which is the
 * end on this arch): from the model's pages, free outside the space.
 */
static bool model_hint_fits(struct vma_run *r, unsigned long addr,
			    unsigned long len)
{
	long p = max(spage_of(addr), 0L);
	unsigned long start;

	while (p < (long)r->nr_pages && !r->model.pages[p].mapped)
		p++;
	if (p >= (long)r->nr_pages)
		return true;
	start = addr_of(p);
	if (r->model.pages[p].flags & VM_GROWSDOWN)
		start = start >= stack_guard_gap ? start - stack_guard_gap : 0;
	return addr + len <= start;
}

/*
 * A get_unmapped_area call's r bits (op_unmapped_area()): top-down,
 * MAP_FIXED (one in eight) and a PMD's length (one in eight); ga_hint()
 * and ga_mmap_base() read others.
 */
#define GA_TOPDOWN	(1UL << 9)
#define GA_FIXED	(7UL << 13)
#define GA_PMD		(7UL << 35)

/*
 * What generic_get_unmapped_area(_topdown)() must answer for an anonymous
 * mmap() of len bytes at the hint addr: -ENOMEM for a length over what
 * lies between mmap_min_addr and the mmap end; a MAP_FIXED address as it
 * is; the hint, page-aligned up, if it is in bounds and fits
 * (model_hint_fits()); else the search vm_unmapped_area() makes of the
 * window from mm->mmap_base up to the end, or top-down from mmap_base down
 * to a page above 0 (6.12 leaves mmap_min_addr to vm_unmapped_area(), 6.1
 * raises the low limit to it: either way, no lower), which on failure
 * falls back to a bottom-up search from TASK_UNMAPPED_BASE.  *small says
 * whether a search had a window too small for the length (6.1's known
 * bug, check_unmapped_area()).
 */
static unsigned long model_generic_area(struct vma_run *r, unsigned long addr,
					unsigned long len, uint64_t bits,
					bool *small)
{
	struct vm_unmapped_area_info info = { .length = len };
	unsigned long ret, end = vma_mmap_end;

	if (len > end - mmap_min_addr)
		return -ENOMEM;
	if ((bits & GA_FIXED) == GA_FIXED)
		return addr;
	if (addr) {
		addr = PAGE_ALIGN(addr);
		if (end - len >= addr && addr >= mmap_min_addr &&
		    model_hint_fits(r, addr, len))
			return addr;
	}
	if (bits & GA_TOPDOWN) {
		info.flags = VM_UNMAPPED_AREA_TOPDOWN;
		info.low_limit = max(PAGE_SIZE, mmap_min_addr);
		info.high_limit = r->mm.mmap_base;
		*small |= info.high_limit < info.low_limit + len;
		ret = model_unmapped_area(r, &info, small);
		if (!offset_in_page(ret))
			return ret;
		info.flags = 0;
		info.low_limit = TASK_UNMAPPED_BASE;
	} else {
		info.low_limit = r->mm.mmap_base;
	}
	info.high_limit = end;
	*small |= info.high_limit < info.low_limit + len;
	return model_unmapped_area(r, &info, small);
}

/*
 * What 6.12's __get_unmapped_area() (6.1's get_unmapped_area()) must
 * answer: -ENOMEM for a length over TASK_SIZE; the layout's choice
 * (model_generic_area()), or its error; then -ENOMEM for an area that
 * ends past TASK_SIZE, -EINVAL for one not on a page (a MAP_FIXED
 * address), and -EPERM for one below mmap_min_addr (security_mmap_addr()).
 */
static unsigned long model_get_area(struct vma_run *r, unsigned long addr,
				    unsigned long len, uint64_t bits,
				    bool *small)
{
	if (len > TASK_SIZE)
		return -ENOMEM;
	addr = model_generic_area(r, addr, len, bits, small);
	if (IS_ERR_VALUE(addr))
		return addr;
	if (addr > TASK_SIZE - len)
		return -ENOMEM;
	if (offset_in_page(addr))
		return -EINVAL;
	return addr < mmap_min_addr ? (unsigned long)-EPERM : addr;
}

/*
 * The k-th VMA of the mm with all of flags (k taken modulo their number),
 * or NULL if none has.
 */
static struct vm_area_struct *nth_vma(struct vma_run *r, unsigned long k,
				      unsigned long flags)
{
	VMA_ITERATOR(vmi, &r->mm, 0);
	struct vm_area_struct *vma;
	unsigned long n = 0;

	for_each_vma(vmi, vma)
		n += (vma->vm_flags & flags) == flags;
	if (!n)
		return NULL;
	k %= n;
	vma_iter_init(&vmi, &r->mm, 0);
	for_each_vma(vmi, vma)
		if ((vma->vm_flags & flags) == flags && !k--)
			break;
	return vma;
}

/*
 * The hint of a get_unmapped_area call, from r bits 10-12: none (0); a
 * page of the space or up to 8 pages around it (bits 16-31), with a byte
 * offset into it (bits 32-43) for 2; at an edge of a VMA (3-5; the
 * bits-16-31-th, a stack if any for its guard gap), from a page below to
 * two above where a mapping of len ends at its guard gap's start, or
 * starts at its end (bit 34); a few pages above 0 (6); from a page below
 * to two above where it ends at TASK_SIZE, or, if bit 12 says so, within
 * a page of the top of the address space, where PAGE_ALIGN() wraps to 0
 * (7).
 */
static unsigned long ga_hint(struct vma_run *r, uint64_t bits,
			     unsigned long len)
{
	long page = (long)((bits >> 16) & 0xffff) % ((long)r->nr_pages + 16) - 8;
	unsigned long off = (bits >> 32) & 0xfff, delta;
	unsigned int kind = (bits >> 10) & 7;
	struct vm_area_struct *vma;

	if (!kind)
		return 0;
	if (kind < 3)
		return addr_of(page) + (kind == 2 ? off : 0);
	if (kind == 6)
		return (off % 16) << PAGE_SHIFT;
	delta = (((bits >> 32) & 3) - 1) << PAGE_SHIFT;
	if (kind == 7)
		return bits & (1UL << 12) ? ULONG_MAX - off :
					     TASK_SIZE - len + delta;
	if (bits & (1UL << 34)) {
		vma = nth_vma(r, (bits >> 16) & 0xffff, 0);
		return vma ? vma->vm_end + delta : addr_of(page);
	}
	/* Below a VMA: a stack's if there is one, for its guard. */
	vma = nth_vma(r, (bits >> 16) & 0xffff, VM_GROWSDOWN);
	if (!vma)
		vma = nth_vma(r, (bits >> 16) & 0xffff, 0);
	return vma ? vm_start_gap(vma) - len + delta : addr_of(page);
}

/*
 * mmap_base (bits 44-47): a page of the space (bits 48-63) mostly, or a
 * few pages above 0 (where a top-down search finds no room and falls
 * back), the space's bottom or its top.
 */
static unsigned long ga_mmap_base(struct vma_run *r, uint64_t bits)
{
	unsigned int kind = (bits >> 44) & 15;

	if (kind < 12)
		return addr_of((bits >> 48) % (r->nr_pages + 1));
	if (kind < 14)
		return (1 + (bits >> 48) % 8) << PAGE_SHIFT;
	return kind == 14 ? addr_of(0) : vma_mmap_end;
}

/*
 * mmap()'s address for an anonymous mapping, private or shared, of the
 * op's length (c), as __get_unmapped_area() (6.1: get_unmapped_area())
 * chooses it through the layout's generic_get_unmapped_area() or its
 * top-down twin: the hint or a search.  It changes nothing; its answer
 * must be the model's.
 */
static bool check_get_area(struct vma_run *r, const struct test_op *op,
			   unsigned long len)
{
	unsigned long addr, got, want, flags = MAP_PRIVATE;
	bool down = op->r & GA_TOPDOWN, small = false;

	/* One in eight: a PMD's length, which THP would align (no THP here). */
	if ((op->r & GA_PMD) == GA_PMD)
		len = PMD_SIZE;
	addr = ga_hint(r, op->r, len);
	if ((op->r & GA_FIXED) == GA_FIXED)
		flags |= MAP_FIXED;
	/*
	 * One in four shared (a hash of r: its bits are the other choices'),
	 * so through shmem_get_unmapped_area() and the layout's choice that
	 * 6.12's mm_get_unmapped_area() makes: the same answer.
	 */
	if ((op->r * 0x9e3779b97f4a7c15ULL) >> 62 == 0)
		flags ^= MAP_PRIVATE | MAP_SHARED;

	vapi_pick_mmap_layout(&r->mm, down, ga_mmap_base(r, op->r));
	want = model_get_area(r, addr, len, op->r, &small);
#ifndef HAVE_EMPTY_AREA_ARG_CHECK
	if (small && !opts.known_bugs)
		return true;
#endif
	got = KERNEL(vapi_get_unmapped_area(&r->mm, addr, len, flags));
	if (got == want)
		return true;
	test_fail(__FILE__, __LINE__, "get_unmapped_area(addr %#lx, len %#lx, %s%s), %s from mmap_base %#lx, mmap end %#lx, mmap_min_addr %#lx = %#lx, expected %#lx",
		  addr, len, flags & MAP_SHARED ? "MAP_SHARED" : "MAP_PRIVATE",
		  flags & MAP_FIXED ? " | MAP_FIXED" : "",
		  down ? "top-down" : "bottom-up", r->mm.mmap_base,
		  vma_mmap_end, mmap_min_addr, got, want);
	return false;
}

/* do_mmap()'s round_hint_to_min(): down to its page, or up to mmap_min_addr. */
static unsigned long model_round_hint(unsigned long hint)
{
	hint &= PAGE_MASK;
	return hint && hint < mmap_min_addr ? PAGE_ALIGN(mmap_min_addr) : hint;
}

/*
 * mmap() without MAP_FIXED, as most programs map: for one in four of the
 * op's own mappings through do_mmap() (DM_HINT), the address is a hint
 * only.  From a hash of r (its bits are the other choices'): the op's
 * first page, with a byte offset into it (bit 0), or (bit 8) one of
 * ga_hint()'s, at a VMA's edge, none, below mmap_min_addr or at the top;
 * the layout bottom-up or (GA_TOPDOWN) top-down from ga_mmap_base().
 * do_mmap() rounds the hint (model_round_hint()), and its
 * __get_unmapped_area() must choose what the model does: the hint where
 * it is free, else a search (model_get_area()).  The op then maps there,
 * over nothing, if that lies in the space (*first moves).  If there is no
 * room, do_mmap() must fail with nothing changed; then, as where the
 * choice lies outside the space, the op maps with MAP_FIXED after all.
 */
static bool dm_hint(struct vma_run *r, const struct test_op *op,
		    unsigned int fnr, unsigned long *first, unsigned long n,
		    struct vapi_do_mmap *dm)
{
	uint64_t bits = op->r * 0x9e3779b97f4a7c15ULL;
	unsigned long len = n << PAGE_SHIFT, fixed, want;
	bool small = false;

	if (!dm_has(op->r, DM_HINT))
		return true;
	if (bits & (1UL << 8))
		dm->hint = ga_hint(r, bits, len);
	else
		dm->hint = addr_of(*first) +
			   (bits & 1 ? (bits >> 1) & ~PAGE_MASK : 0);
	vapi_pick_mmap_layout(&r->mm, bits & GA_TOPDOWN, ga_mmap_base(r, bits));
	want = model_get_area(r, model_round_hint(dm->hint), len,
			      bits & GA_TOPDOWN, &small);
#ifndef HAVE_EMPTY_AREA_ARG_CHECK
	/* 6.1's known bug (check_unmapped_area()). */
	if (small && !opts.known_bugs)
		return true;
#endif
	fixed = dm->flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
	dm->flags &= ~fixed;
	if (!IS_ERR_VALUE(want) && want >= addr_of(0) &&
	    page_of(want) + n <= r->nr_pages) {
		*first = page_of(want);
		snprintf(r->call, sizeof(r->call), "do_mmap(%#lx, %#lx, flags %#lx%s) without MAP_FIXED, %s from mmap_base %#lx, expected to map at %#lx: ",
			 dm->hint, dm->len, dm->flags,
			 file_as_names[dm->file_as],
			 bits & GA_TOPDOWN ? "top-down" : "bottom-up",
			 r->mm.mmap_base, want);
		return true;
	}
	if (IS_ERR_VALUE(want) &&
	    !check_dm_refused(r, fnr, *first, n, dm, (int)want))
		return false;
	dm->flags |= fixed;
	dm->populate = ~0UL;
	return true;
}

/*
 * One call of vm_unmapped_area(), and where r was drawn whole (three ops
 * in ten; else it is 0 or 2), one of generic_get_unmapped_area(_topdown)()
 * for the same length.
 */
static bool op_unmapped_area(struct vma_run *r, const struct test_op *op)
{
	struct vm_unmapped_area_info info = { 0 };

	ua_info(r, op, &info);
	if (!check_unmapped_area(r, op, &info))
		return false;
	return !(op->r & ~2UL) || check_get_area(r, op, info.length);
}

/* ---- mm_take_all_locks() ---- */

/* The anon_vma's mark that it is locked: bit 0 of its interval tree root. */
static bool anon_vma_marked(const struct anon_vma *av)
{
	return (unsigned long)av->root->rb_root.rb_root.rb_node & 1;
}

/*
 * The order mm_take_all_locks() must take its locks in (mm/rmap.c's, as
 * its comment says): the i_mmap_rwsem of every hugetlb mapping (one that
 * a VM_HUGETLB VMA maps; hugetlbfs_i_mmap_rwsem_key, which
 * huge_pmd_share() takes), then every other mapping's, then every
 * anon_vma's.  Any other order inverts a nesting that rmap makes: an
 * ABBA deadlock with it, which lockdep would report.
 */
static bool check_lock_order(struct vma_run *r)
{
	MA_STATE(mas, &r->mm.mm_mt, 0, 0);
	bool huge[NR_FILES + 1] = { false };
	long huge_last = 0, plain_first = LONG_MAX, file_last = 0;
	long anon_first = LONG_MAX;
	unsigned int f, huge_f = 0, plain_f = 0;
	struct vm_area_struct *vma;

	mas_for_each(&mas, vma, ULONG_MAX) {
		if (vma->anon_vma)
			anon_first = min(anon_first,
					 vma->anon_vma->root->rwsem.taken);
		if (vma->vm_file && is_vm_hugetlb_page(vma))
			huge[vma->vm_file->id] = true;
	}
	for (f = 1; f <= NR_FILES; f++) {
		long taken = r->files[f].mapping.i_mmap_rwsem.taken;

		if (!r->files[f].mapping.nr_vmas)
			continue;
		file_last = max(file_last, taken);
		if (huge[f] && taken > huge_last) {
			huge_last = taken;
			huge_f = f;
		} else if (!huge[f] && taken < plain_first) {
			plain_first = taken;
			plain_f = f;
		}
	}
	if (huge_last > plain_first)
		test_fail(__FILE__, __LINE__, "mm_take_all_locks() locked file %u's mapping (hugetlb) as lock %ld, after file %u's (not hugetlb) as lock %ld: expected every hugetlb mapping's lock first",
			  huge_f, huge_last, plain_f, plain_first);
	else if (file_last > anon_first)
		test_fail(__FILE__, __LINE__, "mm_take_all_locks() locked an anon_vma as lock %ld, before a mapping as lock %ld: expected every mapping's lock first",
			  anon_first, file_last);
	else
		return true;
	return false;
}

/*
 * With all locks taken (held), every anon_vma and every mapping of the
 * mm's VMAs is locked and marked exactly once, and nothing else is held
 * but mm_all_locks_mutex; without (after the drop, or a take that a
 * signal interrupted), nothing is held or marked.
 */
static bool check_all_locks(struct vma_run *r, bool held)
{
	MA_STATE(mas, &r->mm.mm_mt, 0, 0);
	struct vm_area_struct *vma;
	long files = 0;
	unsigned int f;

	mas_for_each(&mas, vma, ULONG_MAX) {
		struct address_space *mapping;

#ifdef HAVE_MM_VMA_C
		/*
		 * A page fault under the per-VMA lock may fire MMU
		 * notifications: it must wait while a notifier registers.
		 */
		if (held && !vma_write_locked(vma)) {
			test_fail(__FILE__, __LINE__, "mm_take_all_locks() left VMA [%#lx, %#lx) not write-locked (vma_start_write())",
				  vma->vm_start, vma->vm_end);
			return false;
		}
#endif
		if (vma->anon_vma) {
			ASSERT_EQ(vma->anon_vma->root->rwsem.held, held);
			ASSERT_EQ(anon_vma_marked(vma->anon_vma), held);
		}
		if (!vma->vm_file)
			continue;
		mapping = vma->vm_file->f_mapping;
		ASSERT_EQ(mapping->i_mmap_rwsem.held, held);
		ASSERT_EQ(test_bit(AS_MM_ALL_LOCKS, &mapping->flags), held);
	}
	for (f = 1; f <= NR_FILES; f++) {
		files += r->files[f].mapping.nr_vmas > 0;
		if (!r->files[f].mapping.nr_vmas)
			ASSERT_EQ(r->files[f].mapping.i_mmap_rwsem.held, 0);
	}
	/* check_anon_vmas() vouched that every live anon_vma is in use. */
	if (held)
		ASSERT_EQ(vma_locks_held, 1 + slab_live("anon_vma") + files);
	else
		ASSERT_EQ(vma_locks_held, 0);
	return true;
}

/*
 * mm_take_all_locks() and mm_drop_all_locks(), as mmu notifier
 * registration brackets its work; c: a signal arrives at the c-th VMA the
 * take visits (0: none), and then it must have dropped what it took.
 * The mm does not change, whatever the outcome.
 */
static bool op_all_locks(struct vma_run *r, const struct test_op *op)
{
	int err;

	vma_signal_countdown = op->c;
	err = KERNEL(mm_take_all_locks(&r->mm));
	vma_signal_countdown = 0;
	if (err) {
		ASSERT_EQ(err, -EINTR);
		ASSERT_TRUE(op->c != 0);
		return check_all_locks(r, false);
	}
	if (!check_all_locks(r, true) || !check_lock_order(r))
		return false;
	KERNEL((mm_drop_all_locks(&r->mm), 0));
	return check_all_locks(r, false);
}

/* ---- Iteration ---- */

#define MAX_VMAS	512

/* The VMAs in order, from the maple tree itself (check_mm() vouched for it). */
static unsigned long collect_vmas(struct vma_run *r, struct vm_area_struct **list)
{
	MA_STATE(mas, &r->mm.mm_mt, 0, 0);
	struct vm_area_struct *vma;
	unsigned long n = 0;

	mas_for_each(&mas, vma, ULONG_MAX)
		if (n < MAX_VMAS)
			list[n++] = vma;
	return n;
}

static unsigned long first_ending_after(struct vm_area_struct **list,
					unsigned long n, unsigned long addr)
{
	unsigned long i = 0;

	while (i < n && list[i]->vm_end <= addr)
		i++;
	return i;
}

static bool op_mprotect_nested(struct vma_run *r, struct rng *sub);
static bool check_find_vma(struct vma_run *r, struct vm_area_struct **list,
			   unsigned long nr, unsigned long addr,
			   unsigned long end);

/*
 * /proc/PID/clear_refs' soft-dirty reset (fs/proc/task_mmu.c): each VMA
 * with VM_SOFTDIRTY loses it and gets its protection again from
 * vma_set_page_prot(), which must now give a shared writable one write
 * faults.  Merges ignore the flag (the model has none), so VMAs with it
 * and without must merge as before; mmap_region() and brk set it again.
 */
static bool clear_soft_dirty(struct vma_run *r)
{
	VMA_ITERATOR(vmi, &r->mm, 0);
	struct vm_area_struct *vma;

	for_each_vma(vmi, vma) {
		if (!(vma->vm_flags & VM_SOFTDIRTY))
			continue;
		vma->vm_flags &= ~VM_SOFTDIRTY;
		vma_set_page_prot(vma);
		if (!check_page_prot(r, vma))
			return false;
	}
	return true;
}

/* iterate op bits in c, above the pause's step (c % 8) */
#define ITER_CLEAR_REFS	0x10	/* clear_soft_dirty() first */

/*
 * for_each_vma_range() over a window, pausing once to change the mm (an
 * mprotect or munmap elsewhere) and resuming: it must go on from where it
 * paused in the changed mm.  Then vma_find() and vma_prev() from the start.
 * With ITER_CLEAR_REFS, clear_soft_dirty() first.
 */
static bool op_iter(struct vma_run *r, const struct test_op *op)
{
	static struct vm_area_struct *list[MAX_VMAS];
	unsigned long first, n, start, end, nr, i, steps = 0;
	struct vm_area_struct *vma;
	struct rng sub;

	if ((op->c & ITER_CLEAR_REFS) && !clear_soft_dirty(r))
		return false;
	op_range(r, op, &first, &n);
	start = addr_of(first);
	end = addr_of(first + n);
	rng_seed(&sub, op->r);
	nr = collect_vmas(r, list);
	i = first_ending_after(list, nr, start);
	{
		VMA_ITERATOR(vmi, &r->mm, start);

		for_each_vma_range(vmi, vma, end) {
			ASSERT_TRUE(i < nr);
			ASSERT_ENTRY(vma, list[i]);
			ASSERT_TRUE(vma->vm_start < end);
			if (++steps != op->c % 8) {
				i++;
				continue;
			}
			vma_iter_invalidate(&vmi);
			start = vma->vm_end;
			if (!op_mprotect_nested(r, &sub) || !check_mm(r))
				return false;
			r->nr_merge_pts = 0;
			nr = collect_vmas(r, list);
			/* Paused past the window: the walk is over. */
			i = start >= end ? nr : first_ending_after(list, nr, start);
		}
	}
	ASSERT_TRUE(i == nr || list[i]->vm_start >= end);
	{
		VMA_ITERATOR(vmi, &r->mm, addr_of(first));

		nr = collect_vmas(r, list);
		i = first_ending_after(list, nr, addr_of(first));
		vma = vma_find(&vmi, ULONG_MAX);
		ASSERT_ENTRY(vma, i < nr ? list[i] : NULL);
		if (vma)
			ASSERT_ENTRY(vma_prev(&vmi), i ? list[i - 1] : NULL);
	}
	return check_find_vma(r, list, nr, addr_of(first) + op->r % PAGE_SIZE,
			      addr_of(first + n));
}

/*
 * find_vma() at addr: the first VMA that ends above it; and
 * find_vma_intersection() of [addr, end): that one if it starts below
 * end.  Then of [addr, addr + 1), as many callers ask (vma_lookup() once
 * did): an end inside a page, so that a VMA starting at addr must be
 * found though the end is no VMA boundary.  list holds the nr VMAs in
 * order.
 */
static bool check_find_vma(struct vma_run *r, struct vm_area_struct **list,
			   unsigned long nr, unsigned long addr,
			   unsigned long end)
{
	unsigned long i = first_ending_after(list, nr, addr);
	struct vm_area_struct *want = i < nr ? list[i] : NULL;

	ASSERT_ENTRY(KERNEL(find_vma(&r->mm, addr)), want);
	if (want && want->vm_start >= end)
		want = NULL;
	ASSERT_ENTRY(KERNEL(find_vma_intersection(&r->mm, addr, end)), want);
	want = i < nr && list[i]->vm_start <= addr ? list[i] : NULL;
	ASSERT_ENTRY(KERNEL(find_vma_intersection(&r->mm, addr, addr + 1)),
		     want);
	return true;
}

/* The change made while an iterator is paused: mprotect or munmap. */
static bool op_mprotect_nested(struct vma_run *r, struct rng *sub)
{
	struct test_op op = {
		.a = rng_below(sub, r->nr_pages),
		.b = rng_range(sub, 1, 8),
		.c = rng_below(sub, 0x20),
	};
	unsigned long injected = slab_faults.injected;
	bool ok;

	if (rng_percent(sub, 50))
		ok = op_mprotect(r, &op);
	else
		ok = op_unmap(r, &op);
	if (slab_faults.injected != injected)
		r->nr_merge_pts = 0;
	return ok;
}

/* ---- Huge pages at new boundaries ---- */

void vma_thp_split(unsigned long addr)
{
	struct vma_run *r = &run;

	if (r->thp_split && addr >= addr_of(0) && addr <= addr_of(r->nr_pages))
		r->thp_split[page_of(addr)] = true;
}

/*
 * The known bug HAVE_BUG_HUGETLB_SPLIT_UNLOCKED (6.1, README): the split's
 * hugetlb_split() comes before __vma_adjust() takes the file's
 * i_mmap_rwsem.  Let by unless --known-bugs.
 */
static bool hugetlb_split_lock_bug(void)
{
#ifdef HAVE_BUG_HUGETLB_SPLIT_UNLOCKED
	return !opts.known_bugs;
#else
	return false;
#endif
}

/*
 * hugetlb_split() at addr, which must run with the VMA and its file's
 * i_mmap_rwsem write-locked, as mm/hugetlb.c asserts: unshared any
 * earlier, a fault could share the PMD tables again before the split
 * ("mm/hugetlb: unshare page tables during VMA split, not before").
 */
void vma_hugetlb_split(struct vm_area_struct *vma, unsigned long addr)
{
	struct vma_run *r = &run;

	if (!vma->vm_file->f_mapping->i_mmap_rwsem.held &&
	    !hugetlb_split_lock_bug())
		test_fail(__FILE__, __LINE__, "hugetlb_split(%#lx) of VMA [%#lx, %#lx) without its file's i_mmap_rwsem held for writing",
			  addr, vma->vm_start, vma->vm_end);
#ifdef HAVE_MM_VMA_C
	vma_assert_write_locked(vma);
#endif
	if (r->hugetlb_split && addr >= addr_of(0) &&
	    addr <= addr_of(r->nr_pages))
		r->hugetlb_split[page_of(addr)] = true;
}

static void note_vma(struct vma_run *r, struct vm_area_struct *vma)
{
	vma->was_start = vma->vm_start;
	vma->was_end = vma->vm_end;
	vma->was_pgoff = vma->vm_pgoff;
	vma->was_anon_vma = vma->anon_vma;
	vma->uprobe_start = vma->uprobe_end = 0;
	vma->unprobe_start = vma->unprobe_end = 0;
	vma->thp_entered = vma->perf_mmapped = vma->ksm_added = false;
	/* check_mm() fails a VMA outside the pages; keep in bounds. */
	if (r->nr_former == r->nr_pages)
		return;
	r->former[r->nr_former][0] = page_of(vma->vm_start);
	r->former[r->nr_former][1] = page_of(vma->vm_end);
	r->nr_former++;
}

/*
 * Before an op: where the VMAs are (as page ranges, in order), and what
 * each VMA is (for check_vma_lock()).  The op runs in a new mmap_lock
 * session: no VMA is write-locked when it starts.  The VMAs are the list
 * of the check_mm() that ended the last op, if it passed: nothing changes
 * the mm between ops.
 */
static void note_joined(struct vma_run *r)
{
	MA_STATE(mas, &r->mm.mm_mt, 0, 0);
	struct vm_area_struct *vma;
	unsigned long i;

	memset(r->thp_split, 0, r->nr_pages + 1);
	memset(r->hugetlb_split, 0, r->nr_pages + 1);
	r->mm.mm_lock_seq++;
	r->nr_former = 0;
	if (r->vmas_fresh) {
		for (i = 0; i < r->nr_vmas; i++)
			note_vma(r, r->vmas[i]);
	} else {
		mas_for_each(&mas, vma, ULONG_MAX)
			note_vma(r, vma);
	}
	r->vmas_fresh = false;
}

/* Whether page boundary p lay strictly inside a VMA before the op. */
static bool was_joined(struct vma_run *r, unsigned long p)
{
	unsigned long lo = 0, hi = r->nr_former;

	/* The first VMA that ended after p. */
	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;

		if (r->former[mid][1] <= p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->nr_former && r->former[lo][0] < p;
}

/*
 * A VMA that the op made, or whose range, offset or anon_vma it changed,
 * must have been write-locked (vma_start_write()) first: a page fault
 * under the per-VMA read lock would otherwise see it change under it.
 * Trees without per-VMA locks (6.1) never take them.
 */
static bool check_vma_lock(struct vm_area_struct *vma)
{
#ifdef HAVE_MM_VMA_C
	bool made = !vma->was_end;

	if (vma_write_locked(vma) ||
	    (!made && vma->was_start == vma->vm_start &&
	     vma->was_end == vma->vm_end && vma->was_pgoff == vma->vm_pgoff &&
	     vma->was_anon_vma == vma->anon_vma))
		return true;
	if (made)
		test_fail(__FILE__, __LINE__, "VMA [%#lx, %#lx) was linked without vma_start_write()",
			  vma->vm_start, vma->vm_end);
	else
		test_fail(__FILE__, __LINE__, "VMA [%#lx, %#lx) pgoff %#lx anon_vma %lu was [%#lx, %#lx) pgoff %#lx anon_vma %lu: changed without vma_start_write()",
			  vma->vm_start, vma->vm_end, vma->vm_pgoff,
			  vma->anon_vma ? vma->anon_vma->id : 0,
			  vma->was_start, vma->was_end, vma->was_pgoff,
			  vma->was_anon_vma ? vma->was_anon_vma->id : 0);
	return false;
#else
	return true;
#endif
}

/*
 * Where the op split VM_HUGETLB VMA vma at b (the VMA on the other side,
 * other, one the op made), hugetlb_split() must have unshared the PMD
 * tables across b (vma_hugetlb_split()).  A boundary that a merge moved
 * is no split: the VMAs either side of it map the same file on.
 */
static bool check_hugetlb_split(struct vma_run *r, struct vm_area_struct *vma,
				struct vm_area_struct *other, unsigned long b)
{
	if (!(vma->vm_flags & VM_HUGETLB) || !vma->was_end || other->was_end ||
	    b <= vma->was_start || b >= vma->was_end ||
	    r->hugetlb_split[page_of(b)])
		return true;
	test_fail(__FILE__, __LINE__, "hugetlb VMA [%#lx, %#lx) was [%#lx, %#lx): split at %#lx from the new VMA [%#lx, %#lx), and hugetlb_split() was not called there",
		  vma->vm_start, vma->vm_end, vma->was_start, vma->was_end, b,
		  other->vm_start, other->vm_end);
	return false;
}

/*
 * A file VMA that the op grew over pages it did not map, or made, must
 * have had uprobe_mmap() called on it once its range was final
 * (vma_complete(), 6.1's __vma_adjust() and vma_expand(): the VMA, the
 * next one whose start a merge moved, a split's new VMA; mmap_region()'s
 * VMA), or the uprobes' breakpoints in those pages of the file would be
 * missing: pages that a writable VMA held, which no breakpoint goes in,
 * become the grown VMA's.  copy_vma() is mremap's, which brings the page
 * tables along: 6.12 must not call it there (check_copy_uprobes()), 6.1
 * calls it on a merge.  The map op links its new VMAs itself
 * (vapi_map()), or through insert_vm_struct(), whose callers map no
 * file that uprobes could be in.
 */
static bool check_uprobe_mmap(struct vma_run *r, struct vm_area_struct *vma)
{
	bool made = !vma->was_end;
	char was[64], got[64];

	if (!vma->vm_file || r->op.type == VOP_COPY ||
	    (made && r->op.type == VOP_MAP) ||
	    (!made && vma->vm_start >= vma->was_start &&
	     vma->vm_end <= vma->was_end) ||
	    (vma->uprobe_start <= vma->vm_start &&
	     vma->uprobe_end >= vma->vm_end))
		return true;
	if (made)
		snprintf(was, sizeof(was), "made by the op");
	else
		snprintf(was, sizeof(was), "was [%#lx, %#lx)", vma->was_start,
			 vma->was_end);
	if (vma->uprobe_end)
		snprintf(got, sizeof(got), "one of [%#lx, %#lx) last",
			 vma->uprobe_start, vma->uprobe_end);
	else
		snprintf(got, sizeof(got), "no call");
	test_fail(__FILE__, __LINE__, "file VMA [%#lx, %#lx) %s: expected uprobe_mmap() of its range, got %s",
		  vma->vm_start, vma->vm_end, was, got);
	return false;
}

/*
 * A file VMA whose range the op changed must first have had the uprobes'
 * breakpoints taken out of its old range (uprobe_munmap(): vma_prepare(),
 * 6.1's __vma_adjust() and vma_expand(), before they move a boundary), or
 * a breakpoint left in a page the VMA no longer maps stays counted in the
 * mm, and one in a page it still maps is installed twice when
 * uprobe_mmap() installs its new range.
 */
static bool check_uprobe_munmap(struct vm_area_struct *vma)
{
	if (!vma->vm_file || !vma->was_end ||
	    (vma->vm_start == vma->was_start && vma->vm_end == vma->was_end) ||
	    (vma->unprobe_end && vma->unprobe_start <= vma->was_start &&
	     vma->unprobe_end >= vma->was_end))
		return true;
	test_fail(__FILE__, __LINE__, "file VMA [%#lx, %#lx) was [%#lx, %#lx): the op changed its range without uprobe_munmap() of the old one first (got [%#lx, %#lx))",
		  vma->vm_start, vma->vm_end, vma->was_start, vma->was_end,
		  vma->unprobe_start, vma->unprobe_end);
	return false;
}

static const char *vma_op_name(unsigned int type);

/* Whether the op grew the VMA: it was there before, and is larger now. */
static bool grew(struct vm_area_struct *vma)
{
	return vma->was_end && (vma->vm_start < vma->was_start ||
				vma->vm_end > vma->was_end);
}

/*
 * A merge offers the VMA it grew to khugepaged (khugepaged_enter_vma()):
 * vma_merge_new_range() and vma_merge_existing_range() on 6.12,
 * vma_merge() on 6.1, and brk's expansion on both, or the huge pages the
 * VMA could now hold are never collapsed.  These ops grow VMAs only that
 * way (6.1's vapi_extend() adjusts a VMA with a close hook itself);
 * vma_expand() alone and stack growth need not offer on 6.12, and
 * mmap_region() must offer what it maps, merged or new (op_mmap_region()).
 */
static bool check_khugepaged(struct vma_run *r, struct vm_area_struct *vma)
{
	unsigned int t = r->op.type;
	bool merges = t == VOP_MPROTECT || t == VOP_NAME || t == VOP_MBIND ||
		      t == VOP_UFFD || t == VOP_COPY || t == VOP_EXTEND ||
		      t == VOP_BRK || t == VOP_SYS_BRK ||
		      (t == VOP_MAP && !(r->op.c & MAP_INSERT));

#ifndef HAVE_MM_VMA_C
	if (t == VOP_EXTEND && vma->vm_ops == &close_ops)
		merges = false;
#endif
	if (!merges || vma->thp_entered || !grew(vma))
		return true;
	test_fail(__FILE__, __LINE__, "VMA [%#lx, %#lx) was [%#lx, %#lx): the %s op grew it, but did not offer it to khugepaged_enter_vma()",
		  vma->vm_start, vma->vm_end, vma->was_start, vma->was_end,
		  vma_op_name(t));
	return false;
}

/*
 * perf is told of each mapping that grows the address space
 * (perf_event_mmap()), or a profile cannot name what runs in it: brk's,
 * a stack's growth (expand_downwards()), mmap_region()'s (checked in
 * op_mmap_region()).
 */
static bool check_perf_mmap(struct vma_run *r, struct vm_area_struct *vma)
{
	unsigned int t = r->op.type;

	if ((t != VOP_BRK && t != VOP_SYS_BRK && t != VOP_GROW) ||
	    vma->perf_mmapped || !grew(vma))
		return true;
	test_fail(__FILE__, __LINE__, "VMA [%#lx, %#lx) was [%#lx, %#lx): the %s op grew it, but did not call perf_event_mmap() on it",
		  vma->vm_start, vma->vm_end, vma->was_start, vma->was_end,
		  vma_op_name(t));
	return false;
}

/*
 * After an op, of each VMA: it was write-locked if the op made or changed
 * it (check_vma_lock()); and a boundary that the op made inside a VMA (a
 * split, a merge that moved a boundary, a shrink) may cut a transparent
 * huge page in two: the kernel must have called vma_adjust_trans_huge()
 * for that address first, or the huge PMD would map pages of two VMAs;
 * a split of a hugetlb VMA must have called hugetlb_split() there
 * (check_hugetlb_split()); a file VMA that grew or was made got
 * uprobe_mmap() (check_uprobe_mmap()), and one whose range changed got
 * uprobe_munmap() first (check_uprobe_munmap()); a VMA a merge grew was
 * offered to khugepaged (check_khugepaged()), and one brk or a stack grew
 * was told to perf (check_perf_mmap()).  The VMAs are the ones check_mm()
 * has just walked.
 */
static bool check_op_changes(struct vma_run *r)
{
	struct vm_area_struct *vma;
	unsigned long b[2], k;
	int i;

	for (k = 0; k < r->nr_vmas; k++) {
		vma = r->vmas[k];
		if (!check_vma_lock(vma) || !check_uprobe_mmap(r, vma) ||
		    !check_uprobe_munmap(vma) || !check_khugepaged(r, vma) ||
		    !check_perf_mmap(r, vma))
			return false;
		/* A VMA's own boundaries were never inside a VMA. */
		if (vma->was_start == vma->vm_start &&
		    vma->was_end == vma->vm_end)
			continue;
		if (k > 0 && r->vmas[k - 1]->vm_end == vma->vm_start &&
		    !check_hugetlb_split(r, vma, r->vmas[k - 1], vma->vm_start))
			return false;
		if (k + 1 < r->nr_vmas &&
		    r->vmas[k + 1]->vm_start == vma->vm_end &&
		    !check_hugetlb_split(r, vma, r->vmas[k + 1], vma->vm_end))
			return false;
		b[0] = page_of(vma->vm_start);
		b[1] = page_of(vma->vm_end);
		for (i = 0; i < 2; i++) {
			if (r->thp_split[b[i]] || !was_joined(r, b[i]))
				continue;
			test_fail(__FILE__, __LINE__, "VMA [%#lx, %#lx): its boundary %#lx was inside a VMA before the op, and vma_adjust_trans_huge() was not asked to split there",
				  vma->vm_start, vma->vm_end, addr_of(b[i]));
			return false;
		}
	}
	return true;
}

/* ---- The sequence ---- */

struct vop_info {
	const char *name;
	bool (*apply)(struct vma_run *r, const struct test_op *op);
	unsigned int weight;
};

static const struct vop_info vop_info[NR_VOPS] = {
	[VOP_MAP] = { "map", op_map, 15 },
	[VOP_UNMAP] = { "unmap", op_unmap, 12 },
	[VOP_MPROTECT] = { "mprotect", op_mprotect, 20 },
	[VOP_FAULT] = { "fault", op_fault, 10 },
	[VOP_EXPAND] = { "vma_expand", op_expand, 5 },
	[VOP_SHRINK] = { "vma_shrink", op_shrink, 4 },
	[VOP_EXTEND] = { "vma_merge_extend", op_extend, 5 },
	[VOP_COPY] = { "copy_vma", op_copy, 5 },
	[VOP_ITER] = { "iterate", op_iter, 4 },
	[VOP_BRK] = { "brk", op_brk, 4 },
	[VOP_UNMAPPED_AREA] = { "vm_unmapped_area", op_unmapped_area, 4 },
	[VOP_NAME] = { "madvise_name", op_attr, 5 },
	[VOP_MBIND] = { "mbind", op_attr, 5 },
	[VOP_UFFD] = { "uffd_register", op_attr, 5 },
	[VOP_ALL_LOCKS] = { "mm_take_all_locks", op_all_locks, 2 },
	[VOP_MMAP_REGION] = { "mmap_region", op_mmap_region, 15 },
	[VOP_MSEAL] = { "mseal", op_mseal, 2 },
	[VOP_GROW] = { "expand_downwards", op_grow, 4 },
	[VOP_SYS_BRK] = { "sys_brk", op_sys_brk, 4 },
};

static bool vma_has_op(unsigned int type);

/*
 * ctx->config: address space size in pages, the GFP_KERNEL fail rate,
 * whether the generator makes mseal ops, the map_count limit
 * (CONFIG_MAP_LIMIT_SHIFT, above), and the stacks' guard gap (1-4 pages,
 * as the stack_guard_gap= boot option would set it).
 */
#define CONFIG_FAIL_SHIFT	16
#define CONFIG_SEALS		(1UL << 24)
#define CONFIG_RATE		(1UL << 25)	/* the fail rate applies */
#define CONFIG_EXIT_MMAP	(1UL << 26)	/* the end: exit_mmap(), not munmap */
#define CONFIG_GUARD_SHIFT	40	/* 2 bits: stack_guard_gap - 1, pages */
#define CONFIG_OP_NTH		(1UL << 27)	/* each op fails one allocation */
/* With CONFIG_OP_NTH: a GFP_NOWAIT one fails its GFP_KERNEL retry too. */
#define CONFIG_NTH_RETRY	(1UL << 29)
/*
 * Some ops are refused memory otherwise: (a ^ b ^ r) % 8 == 0, the
 * overcommit check (security_vm_enough_memory_mm()) says no, which must
 * fail the op with -ENOMEM; == 1, RLIMIT_AS is the space mapped now
 * (r->limit_as), so that mmap_region(), brk() and a stack's growth must
 * refuse to grow it; == 2, RLIMIT_MEMLOCK is what is locked with the
 * op's new pages, or (bit 3) a page less, so that a VM_LOCKED stack may
 * grow only to the first (and any other may), as may a heap locked by
 * mlockall(MCL_FUTURE) (memlock_limit()); == 3, the op's file denies
 * writable mappings as a write-sealed memfd does, where none is mapped
 * shared-writable: mmap_region() must refuse a shared one (-EPERM); == 4,
 * a fatal signal is pending (vma_fatal_signal), so that the brk syscall,
 * vm_brk_flags() and expand_stack(), which take mmap_lock killably, must
 * give up unlocked (-EINTR, NULL) and change nothing; == 5, RLIMIT_DATA
 * is the data mapped now (r->limit_data, data_limit()), and (bit 3) so
 * is its hard limit (r->limit_data_hard); == 6,
 * RLIMIT_STACK is the size a stack would grow to, or a page less
 * (grow_refused()).
 */
#define CONFIG_REFUSE		(1UL << 28)
/*
 * 2 bits: mmap_min_addr, 0 (none) or 2, 4 or 8 pages into the space (as
 * the sysctl vm.mmap_min_addr raises it): a stack may not grow below it
 * (-EPERM), and 6.12's vm_unmapped_area() searches no lower.
 */
#define CONFIG_MIN_ADDR_SHIFT	42
/*
 * With it, mmap_min_addr is a byte past that page boundary: the sysctl
 * takes any value (round_hint_to_min() rounds it up for a hint), and
 * vm_unmapped_area() searches from that byte, so a window's top must
 * hold the whole length above it, not a page-rounded one.
 */
#define CONFIG_MIN_ADDR_BYTE	(1UL << 44)

static unsigned long min_addr_of(uint64_t config)
{
	unsigned long k = (config >> CONFIG_MIN_ADDR_SHIFT) & 3;

	if (!k)
		return 0;
	return addr_of(1UL << k) + !!(config & CONFIG_MIN_ADDR_BYTE);
}

static const char *vma_op_name(unsigned int type)
{
	return type < NR_VOPS ? vop_info[type].name : NULL;
}

static bool is_attr_op(unsigned int type)
{
	return type == VOP_NAME || type == VOP_MBIND || type == VOP_UFFD;
}

static void vma_describe(const struct test_op *op, char *buf, size_t len)
{
	snprintf(buf, len, "%s a=%#lx b=%#lx c=%#lx r=%#llx [%lu pages, %lu%% allocations fail, max_map_count %d, stack guard %lu pages]",
		 vma_op_name(op->type) ? vma_op_name(op->type) : "?",
		 op->a, op->b, op->c, (unsigned long long)op->r,
		 ctx->config & ((1UL << CONFIG_FAIL_SHIFT) - 1),
		 (ctx->config >> CONFIG_FAIL_SHIFT) & 0xff,
		 map_limit() ? map_limit() : DEFAULT_MAX_MAP_COUNT,
		 1 + ((ctx->config >> CONFIG_GUARD_SHIFT) & 3));
}

/* A page near the edge of a mapping half the time: where splits happen. */
static unsigned long gen_page(struct vma_run *r)
{
	unsigned long p = rng_below(&r->rng, r->nr_pages);
	struct vm_area_struct *vma = mtree_load(&r->mm.mm_mt, addr_of(p));

	if (!vma || rng_percent(&r->rng, 50))
		return p;
	return page_of(rng_percent(&r->rng, 50) ? vma->vm_start :
		       vma->vm_end) % r->nr_pages;
}

static unsigned long sealed_pages(struct vma_run *r)
{
	unsigned long i, n = 0;

	for (i = 0; i < r->nr_pages; i++)
		n += !!(r->model.pages[i].flags & VM_SEALED);
	return n;
}

/* The op bits that give a VMA's flags again (flags_of()). */
static unsigned long bits_of(const struct vm_area_struct *vma)
{
	unsigned long f = vma->vm_flags, bits = f & VM_ACCESS_FLAGS;

	if (f & VM_LOCKED)
		bits |= FB_LOCKED;
	if (f & VM_SHARED)
		bits |= FB_SHARED;
	if (f & (VM_HUGETLB | VM_GROWSDOWN))
		bits |= FB_HUGETLB;
	if (f & VM_PFNMAP)
		bits |= FB_SPECIAL;
	return bits | file_nr(vma) << 8;
}

/*
 * Whether vma, given prev's access flags and lock, could merge with prev:
 * they differ in those (else the mprotect changes nothing), and have the
 * same file at offsets that run on, the same other flags and
 * attributes, and anon_vmas that is_mergeable_anon_vma() lets merge (a
 * VMA with one never goes into a prev without: prev's chain is empty).
 * Adjacent VMAs unlike in those stay apart whatever an mprotect does.
 */
static bool fit_left(const struct vm_area_struct *prev,
		     const struct vm_area_struct *vma)
{
	struct vma_attrs a, b;
	unsigned long diff = vma->vm_flags ^ prev->vm_flags;

	attrs_of(prev, &a);
	attrs_of(vma, &b);
	return vma->vm_file == prev->vm_file &&
	       vma->vm_pgoff == prev->vm_pgoff + vma_pages(prev) &&
	       (diff & (VM_ACCESS_FLAGS | VM_LOCKED)) &&
	       !(diff & ~(VM_ACCESS_FLAGS | VM_LOCKED | VM_SOFTDIRTY |
			  VM_ACCOUNT)) &&
	       a.name == b.name && a.pol == b.pol && a.uffd == b.uffd &&
	       (vma->anon_vma ? vma->anon_vma == prev->anon_vma :
		!prev->anon_vma || list_is_singular(&prev->anon_vma_chain));
}

/*
 * A VMA from page p on (a few VMAs at most) with a neighbour right below
 * it; better, one that prev's flags would merge with it; better still,
 * with one right above too, mapped as the one below, so that making the
 * VMA like the one below merges all three; best, with the one below and
 * the VMA not faulted in and the one above faulted in (not forked), so
 * that the merge must carry next's anon_vma over to prev (dup_anon_vma()).
 * Most VMAs unlike prev in what an mprotect keeps merged with nothing:
 * the merges, their anon_vma clones and the error paths after those came
 * seldom.
 */
static struct vm_area_struct *fit_vma(struct vma_run *r, unsigned long p,
				      struct vm_area_struct **pprev)
{
	struct vm_area_struct *vma, *prev, *next, *found = NULL;
	int i, score, best = 0;
	bool left, both;

	for (i = 0; i < 16 && p < r->nr_pages && best < 4; i++) {
		vma = mtree_load(&r->mm.mm_mt, addr_of(p));
		if (!vma) {
			p++;
			continue;
		}
		p = page_of(vma->vm_end);
		prev = mtree_load(&r->mm.mm_mt, vma->vm_start - 1);
		if (!prev)
			continue;
		next = mtree_load(&r->mm.mm_mt, vma->vm_end);
		left = fit_left(prev, vma);
		both = next && next->vm_flags == prev->vm_flags &&
		       next->vm_file == prev->vm_file;
		score = 1 + left + both + (left && both && !prev->anon_vma &&
			next->anon_vma &&
			list_is_singular(&next->anon_vma_chain));
		if (score > best) {
			best = score;
			found = vma;
			*pprev = prev;
		}
	}
	return found;
}

/*
 * A hole for a map to fill, around page p or after it (a few tried):
 * best one whose neighbours are mapped alike with only the VMA after it
 * faulted in, so that vma_expand() of prev, as it removes next, must take
 * next's anon_vma (dup_anon_vma()).  Alike but for VM_DONTDUMP counts as
 * alike: a map whose hook sets it (gen_fit() gives it that hook beside
 * such a prev) tries next first, then prev after the hook.  Returns the
 * VMA before the hole, or NULL; *pnext gets the one after it (NULL at the
 * top).
 */
static struct vm_area_struct *fit_hole(struct vma_run *r, unsigned long p,
				       struct vm_area_struct **pnext)
{
	struct vm_area_struct *vma, *prev, *next, *found = NULL;
	int i, score, best = 0;

	for (i = 0; i < 8 && p < r->nr_pages && best < 3; i++) {
		MA_STATE(mas, &r->mm.mm_mt, addr_of(p), addr_of(p));

		vma = mas_walk(&mas);
		if (vma) {
			p = page_of(vma->vm_end);
			continue;
		}
		prev = mas_prev(&mas, 0);
		mas_set(&mas, addr_of(p));
		next = mas_find(&mas, ULONG_MAX);
		p = next ? page_of(next->vm_end) : r->nr_pages;
		if (!prev)
			continue;
		/*
		 * A special prev never merges; a like mapping beside it must
		 * stay apart (check_vma_pages()): the last choice.
		 */
		score = 1;
		if (prev->vm_flags & VM_SPECIAL)
			score = 0;
		else if (next && !((next->vm_flags ^ prev->vm_flags) &
				   ~VM_DONTDUMP) &&
			 next->vm_file == prev->vm_file)
			score = next->anon_vma && !prev->anon_vma ? 3 : 2;
		if (score > best || !found) {
			best = score;
			found = prev;
			*pnext = next;
		}
	}
	return found;
}

/*
 * Make an mprotect or a map fit its neighbours, where merges with both
 * happen (vma_merge_existing_range()'s merge_both, vma_merge_new_range()
 * filling a hole), with the anon_vma dup and the removal of next that go
 * with them: mprotect a whole VMA to the flags of the VMA before it, or
 * map a whole hole as the VMA before it is mapped (its file at offsets
 * that run on).  A random page says where to look.
 */
static void gen_fit(struct vma_run *r, struct test_op *op)
{
	unsigned long p = rng_below(&r->rng, r->nr_pages);
	struct vm_area_struct *vma, *prev = NULL, *next = NULL;
	unsigned long pgoff;

	if (op->type == VOP_MPROTECT) {
		vma = fit_vma(r, p, &prev);
		if (!vma)
			return;
		op->a = page_of(vma->vm_start);
		op->b = vma_pages(vma);
		op->c = bits_of(prev) & (VM_ACCESS_FLAGS | FB_LOCKED);
		/*
		 * Where each op fails its n-th allocation (CONFIG_OP_NTH),
		 * the merge's first or second, by r bit 1, as
		 * gen_expand_fit() does: dup_anon_vma()'s clone, or the
		 * commit's maple nodes after it, whose abort must unlink the
		 * clone.  (a ^ b ^ r) % 8 is then 6 or 7, which refuse
		 * nothing an mprotect asks (CONFIG_REFUSE).
		 */
		if (ctx->config & CONFIG_OP_NTH)
			op->r = op->a ^ op->b ^ (6 + (op->r >> 1 & 1));
		return;
	}
	/* The hole: from the VMA before it to the one after. */
	prev = fit_hole(r, p, &next);
	if (!prev)
		return;
	op->a = page_of(prev->vm_end);
	op->b = (next ? page_of(next->vm_start) : r->nr_pages) - op->a;
	op->c = bits_of(prev) | (op->c & MAP_HOOKS);
	/* Its hook gave prev VM_DONTDUMP: the same hook must merge again. */
	if (prev->vm_flags & VM_DONTDUMP)
		op->c = (op->c & ~MAP_HOOKS) | MAP_HOOK_FLAGS;
	/* Its hook took VM_MAYEXEC away: so must this one. */
	if (!(prev->vm_flags & VM_MAYEXEC))
		op->c = (op->c & ~MAP_HOOKS) | MAP_HOOK_CLEAR;
	/*
	 * Such a hook makes mmap_region() merge again, with prev now, from
	 * what its first try (with next) left: half of them fail that try's
	 * allocation, which must have reset it.
	 */
	if ((op->c & (MAP_HOOK_FLAGS | MAP_HOOK_CLEAR)) &&
	    rng_percent(&r->rng, 50))
		op->r |= HOOK_FAIL_FIRST;
	/* The offset that runs on from prev's, if map_pgoff() can give it. */
	op->r &= ~3ULL;
	pgoff = prev->vm_pgoff + vma_pages(prev);
	if (file_nr(prev) && pgoff == op->a + 1) {
		op->c |= MAP_NEAR_PGOFF;
		op->r |= 2;
	} else if (file_nr(prev) && pgoff + 1 == op->a) {
		op->c |= MAP_NEAR_PGOFF;
	}
}

/*
 * A copy to the hole after a VMA, from another VMA mapped as that one is
 * (from its page whose offset runs on from the first's, if it has one),
 * half of them keeping their source: the copy must merge with a neighbour
 * that is not its source (copy_keep_merges()).  The copy fills the hole
 * if it can.  Or from that VMA itself, keeping it.
 */
static void gen_copy_fit(struct vma_run *r, struct test_op *op)
{
	unsigned long p = rng_below(&r->rng, r->nr_pages);
	struct vm_area_struct *prev, *next = NULL, *vma;
	unsigned long want, i;
	MA_STATE(mas, &r->mm.mm_mt, 0, 0);

	prev = fit_hole(r, p, &next);
	if (!prev)
		return;
	/*
	 * A quarter copy a part of prev itself to the hole right above it:
	 * the copy touches its source.  Where that is an unfaulted anonymous
	 * VMA, a copy that keeps its source (mremap(MREMAP_DONTUNMAP): r
	 * bit 0, set here if bit 1 is, which op_copy() does not read) must
	 * not merge the two; a move must extend the source over the copy,
	 * the one self-merge that has the source below the copy.  A move
	 * leaves a page of the source (unless it starts at its last page),
	 * so that the merged VMA outlives the unmap of the moved part.
	 */
	if (rng_percent(&r->rng, 25)) {
		op->a = page_of(prev->vm_start);
		op->a += rng_below(&r->rng, vma_pages(prev));
		op->c = page_of(prev->vm_end);
		op->r |= op->r >> 1 & 1;
		if (!(op->r & 1) && op->c - op->a >= 2)
			op->b = min(op->b % 8, op->c - op->a - 2);
		return;
	}
	p = rng_below(&r->rng, r->nr_pages);
	mas_set(&mas, addr_of(p));
	want = prev->vm_pgoff + vma_pages(prev);
	for (i = 0; i < 16; i++) {
		vma = mas_find(&mas, ULONG_MAX);
		if (!vma) {
			mas_set(&mas, 0);
			continue;
		}
		if (vma == prev || vma->vm_flags != prev->vm_flags ||
		    vma->vm_file != prev->vm_file)
			continue;
		op->a = page_of(vma->vm_start);
		if (vma->vm_file && want >= vma->vm_pgoff &&
		    want < vma->vm_pgoff + vma_pages(vma))
			op->a += want - vma->vm_pgoff;
		op->c = page_of(prev->vm_end);
		if (next)
			op->b = page_of(next->vm_start) - op->c - 1;
		op->r = (op->r & ~1ULL) | rng_below(&r->rng, 2);
		return;
	}
}

/* The first page of a random stack VMA with free pages below; 0: none. */
static unsigned long random_stack(struct vma_run *r)
{
	VMA_ITERATOR(vmi, &r->mm, 0);
	struct vm_area_struct *vma;
	unsigned long start, seen = 0, pick = 0;

	for_each_vma(vmi, vma) {
		start = page_of(vma->vm_start);
		if ((vma->vm_flags & VM_GROWSDOWN) && gap_pages(r, start, false) &&
		    rng_below(&r->rng, ++seen) == 0)
			pick = start;
	}
	return pick;
}

/*
 * The pages of op_unmapped_area()'s worst-case length: the length, the
 * alignment and the start_gap.
 */
static unsigned long ua_need_pages(const struct test_op *op)
{
	return 1 + ((op->c >> 8) & 7) + (1UL << ((op->c >> 1) & 3)) - 1 +
	       (ua_start_gap(op) >> PAGE_SHIFT);
}

/*
 * A bottom-up vm_unmapped_area() over the whole space whose worst-case
 * length from mmap_min_addr, a byte past its page (CONFIG_MIN_ADDR_BYTE),
 * ends on the first byte of the guard gap of the first VMA above it, a
 * stack with free pages down to mmap_min_addr's page: the one fit that
 * unmapped_area()'s "vm_start_gap(tmp) < gap + length - 1" decides
 * alone, as an area from a page boundary ends a byte below one.  The
 * length (1-8 pages) makes the tie, with the first alignment and start_gap
 * (c bits 1-7, taken as a number) from c's own up that allows one.
 * false: none does, op unchanged.  6.12 only: 6.1's unmapped_area()
 * leaves mmap_min_addr to its callers, so its areas all start on a page.
 */
#ifdef HAVE_UNMAPPED_AREA_MIN_ADDR
static bool gen_ua_guard_edge(struct vma_run *r, struct test_op *op)
{
	struct vm_unmapped_area_info info = { 0 };
	unsigned long c = op->c, min = page_of(mmap_min_addr), gap, end, i;
	struct vm_area_struct *stack;

	if (!(mmap_min_addr & ~PAGE_MASK) || min >= r->nr_pages ||
	    r->model.pages[min].mapped)
		return false;
	stack = stack_above(r, min);
	if (!stack)
		return false;
	for (i = 0; i < 128; i++) {
		op->c = ((c >> 1) + i) % 128 << 1;
		ua_info(r, op, &info);
		gap = mmap_min_addr + info.start_gap;
		gap += (info.align_offset - gap) & info.align_mask;
		end = gap + info.length + info.align_mask + info.start_gap - 1;
		if (end <= vm_start_gap(stack) &&
		    vm_start_gap(stack) - end < 8 * PAGE_SIZE) {
			op->c |= (vm_start_gap(stack) - end) >> PAGE_SHIFT << 8;
			op->a = 0;
			op->b = r->nr_pages;
			return true;
		}
	}
	op->c = c;
	return false;
}
#endif

/*
 * A bottom-up vm_unmapped_area() of k pages over a window from k free
 * pages below a random stack (k up to 8) to the top: they fit only if
 * the stack's guard gap is forgotten, so the search must go on above
 * the stack.  With no such stack, the window starts at the bottom of the
 * space, where mmap_min_addr (6.12) must keep the search out; where r
 * bit 1 (which the op leaves unused) is set, the window ends just the
 * worst-case length above mmap_min_addr's page: the area from
 * mmap_min_addr fits if that is page-aligned, and misses the window's
 * top by a byte if it is a byte past (CONFIG_MIN_ADDR_BYTE).  Where
 * there is a stack, gen_ua_guard_edge()'s search comes first.
 */
static void gen_ua_stack(struct vma_run *r, struct test_op *op)
{
	unsigned long pick = random_stack(r), k;

	if (!pick) {
		op->a = 0;
		if (mmap_min_addr && (op->r & 2) && !(op->c & UA_HUGE))
			op->b = page_of(mmap_min_addr) + ua_need_pages(op);
		return;
	}
#ifdef HAVE_UNMAPPED_AREA_MIN_ADDR
	if (gen_ua_guard_edge(r, op))
		return;
#endif
	k = min(gap_pages(r, pick, false), 8UL);
	op->a = pick - k;
	op->b = r->nr_pages - op->a;
	op->c = (k - 1) << 8;
}

/*
 * A free page below a stack VMA, where a fault would grow it: right below
 * one of them (picked at random), or anywhere down to the VMA below (near
 * that one, the guard gap refuses).
 */
static void gen_grow(struct vma_run *r, struct test_op *op)
{
	unsigned long pick = random_stack(r), n;

	if (!pick)
		return;
	n = gap_pages(r, pick, false);
	op->a = pick - 1 - (rng_percent(&r->rng, 50) ? 0 :
			    rng_below(&r->rng, n));
}

/*
 * A vma_expand() that must take the next VMA whole and its anon_vma with
 * it (dup_anon_vma(), which may fail for memory): a random VMA with no
 * anon_vma of its own, up to 7 free pages below a next one that has one
 * and would merge (flags, file and offsets alike, no close hook).  b is
 * the gap, so that the op grows into next.
 */
static void gen_expand_fit(struct vma_run *r, struct test_op *op)
{
	VMA_ITERATOR(vmi, &r->mm, 0);
	struct vm_area_struct *vma, *prev = NULL;
	unsigned long seen = 0, gap;

	for_each_vma(vmi, vma) {
		struct vm_area_struct *p = prev;

		prev = vma;
		if (!p || p->anon_vma || !vma->anon_vma ||
		    ((p->vm_flags ^ vma->vm_flags) & ~VM_SOFTDIRTY) ||
		    p->vm_file != vma->vm_file ||
		    vma->vm_ops == &close_ops || (p->vm_flags & VM_SEALED))
			continue;
		gap = page_of(vma->vm_start) - page_of(p->vm_end);
		if (gap > 7 || vma->vm_pgoff != p->vm_pgoff +
		    page_of(vma->vm_start) - page_of(p->vm_start) ||
		    rng_below(&r->rng, ++seen))
			continue;
		op->a = page_of(p->vm_start);
		op->b = gap;
		op->c = 0;
	}
	/*
	 * In half, and in all where each op fails its n-th allocation
	 * (CONFIG_OP_NTH), the first fails: dup_anon_vma()'s clone of next's
	 * chain; or, by bit 1 of the r drawn for the op, the second: the
	 * commit's maple nodes, after the clone succeeded, which must then
	 * be unlinked.
	 */
	if (seen && (rng_percent(&r->rng, 50) ||
		     (ctx->config & CONFIG_OP_NTH)))
		op->r = op->a ^ op->b ^ (op->r >> 1 & 1);
}

/*
 * A brk right above a VMA that brk made (anonymous, brk's flags, with or
 * without VM_EXEC), where it must extend that VMA: a random one of them
 * that has a free page above.
 */
static void gen_brk_fit(struct vma_run *r, struct test_op *op)
{
	unsigned long brk = VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT, end;
	VMA_ITERATOR(vmi, &r->mm, 0);
	struct vm_area_struct *vma;
	unsigned long seen = 0;

	for_each_vma(vmi, vma) {
		end = page_of(vma->vm_end);
		if (vma->vm_file || end >= r->nr_pages ||
		    r->model.pages[end].mapped ||
		    ((vma->vm_flags & ~VM_SOFTDIRTY) | VM_EXEC) !=
		    (brk | VM_EXEC) || rng_below(&r->rng, ++seen))
			continue;
		op->a = end;
		op->c = (op->c & ~BRK_EXEC) |
			(vma->vm_flags & VM_EXEC ? BRK_EXEC : 0);
	}
}

/*
 * The brk syscall's break (op_sys_brk()): mostly a few pages either side
 * of the break, now and then on its page, below start_brk, or a heap at
 * TASK_SIZE; half of them some bytes into the page.
 */
static void gen_sys_brk(struct vma_run *r, struct test_op *op)
{
	unsigned long cur = page_of(PAGE_ALIGN(r->mm.brk));
	unsigned long start = page_of(r->mm.start_brk);
	unsigned long d = rng_range(&r->rng, 1, 6);
	unsigned int pct = rng_below(&r->rng, 100);

	op->b = rng_percent(&r->rng, 50) ? 0 : rng_below(&r->rng, PAGE_SIZE);
	op->c = 0;
	if (pct < 45)
		op->a = cur + d;
	else if (pct < 80)
		op->a = cur - min(d, cur - start);
	else if (pct < 90)
		op->a = page_of(r->mm.brk);
	else if (pct < 95)
		op->a = start - min(d, start);
	else
		op->c = SBRK_TOP;
	op->a = min(op->a, r->nr_pages - 1);
}

static void gen_op(struct vma_run *r, struct test_op *op)
{
	unsigned int total = 0, pick, t;

	for (t = 0; t < NR_VOPS; t++)
		total += vop_info[t].weight;
	pick = rng_below(&r->rng, total);
	for (t = 0; pick >= vop_info[t].weight; t++)
		pick -= vop_info[t].weight;
	/*
	 * An op this tree lacks is an mprotect, so that every tree makes the
	 * same ops from a seed (scripts/compare-trees).  Seals never come
	 * off, and a few make most unmaps and mprotects fail: only some
	 * sequences seal, and only a few pages.
	 */
	if (!vma_has_op(t) || (t == VOP_MSEAL &&
			       (!(ctx->config & CONFIG_SEALS) ||
				sealed_pages(r) > r->nr_pages / 16)))
		t = VOP_MPROTECT;
	memset(op, 0, sizeof(*op));
	op->type = t;
	op->a = gen_page(r);
	op->b = rng_percent(&r->rng, 70) ? rng_range(&r->rng, 1, 6) :
		rng_range(&r->rng, 1, r->nr_pages / 2);
	if (t == VOP_MPROTECT || t == VOP_UNMAP || t == VOP_MMAP_REGION ||
	    is_attr_op(t))
		op->b = (gen_page(r) - op->a) % r->nr_pages + 1;
	else if (t == VOP_MSEAL)
		op->b = rng_range(&r->rng, 1, 4);
	/*
	 * A big space is for many VMAs, and so an mm_mt several levels
	 * deep: mostly small ops there, so that the VMAs pile up.
	 */
	if (r->nr_pages >= 1024 && op->b > 16 && rng_percent(&r->rng, 90))
		op->b = op->b % 16 + 1;
	if (t == VOP_COPY)
		op->c = gen_page(r);
	else if (t == VOP_UNMAPPED_AREA)
		op->c = rng_below(&r->rng, 0x800) |
			(rng_percent(&r->rng, 5) ? UA_HUGE : 0);
	else if (is_attr_op(t))
		op->c = rng_below(&r->rng, NR_ATTRS);
	else if (t == VOP_ALL_LOCKS)
		op->c = rng_percent(&r->rng, 50) ? 0 :
			rng_below(&r->rng, 3 * r->mm.map_count + 2);
	else if (t == VOP_MAP || t == VOP_MMAP_REGION) {
		/*
		 * Few distinct flag sets and files, so that neighbours merge.
		 * One draw per statement: C leaves the order of draws within
		 * an expression open, and every build must make the same ops.
		 */
		op->c = rng_below(&r->rng, 4) == 0 ? rng_below(&r->rng, 0x40) :
			0x3 | (rng_percent(&r->rng, 20) ? FB_LOCKED : 0);
		op->c |= rng_below(&r->rng, NR_FILES + 1) << 8;
		/* Hugetlb files; stacks, a quarter of the anonymous maps. */
		if (rng_percent(&r->rng, MAP_FILE(op->c) ? 5 : 25))
			op->c |= FB_HUGETLB;
		if (rng_percent(&r->rng, 10))
			op->c |= MAP_NEAR_PGOFF;
		if (t == VOP_MMAP_REGION && rng_percent(&r->rng, 20))
			op->c |= rng_percent(&r->rng, 50) ? MAP_HOOK_FAIL :
				 MAP_HOOK_FLAGS;
		/* A third of the hooks that set a flag take one instead. */
		if ((op->c & MAP_HOOK_FLAGS) && rng_percent(&r->rng, 33))
			op->c ^= MAP_HOOK_FLAGS | MAP_HOOK_CLEAR;
	}
	else
		op->c = rng_percent(&r->rng, 50) ? 0x3 : rng_below(&r->rng, 0x20);
	if (t == VOP_FAULT && rng_percent(&r->rng, 25))
		op->c |= rng_percent(&r->rng, 50) ? FAULT_FORK_NEXT :
			 FAULT_FORK_PREV;
	if (t == VOP_UNMAP) {
		if (rng_percent(&r->rng, 20))
			op->c |= UNMAP_UNLOCK;
		if (rng_percent(&r->rng, 10))
			op->c |= UNMAP_RAGGED;
		if (rng_percent(&r->rng, 3))
			op->c |= (UNMAP_BAD_START << rng_below(&r->rng, 3));
	}
	op->r = rng_percent(&r->rng, 70) ? rng_below(&r->rng, 2) << 1 :
		rng_next(&r->rng);
	/* Which range at TASK_SIZE's edge, evenly (op_unmap()). */
	if (t == VOP_UNMAP && (op->c & UNMAP_TASK_SIZE))
		op->r = rng_below(&r->rng, 7);
	if ((t == VOP_MPROTECT || t == VOP_MAP || t == VOP_MMAP_REGION) &&
	    rng_percent(&r->rng, 15))
		gen_fit(r, op);
	if (t == VOP_MPROTECT && rng_percent(&r->rng, 5))
		op->c |= MPROTECT_ALL;
	if (t == VOP_MAP && rng_percent(&r->rng, 10))
		op->c |= MAP_INSERT;
	if (t == VOP_GROW && rng_percent(&r->rng, 50))
		op->c |= GROW_STACK;
	if (t == VOP_GROW && rng_percent(&r->rng, 30))
		op->c |= GROW_EXTEND;
	/* Not under --layout: 6.1 has no relocate_vma_down(). */
	if (t == VOP_SHRINK && rng_percent(&r->rng, 25) && !opts.layout)
		op->c |= SHRINK_RELOCATE;
	if (t == VOP_BRK && rng_percent(&r->rng, 25)) {
		op->c |= BRK_VM_BRK;
		if (rng_percent(&r->rng, 50))
			op->c |= BRK_EXEC;
		if (rng_percent(&r->rng, 10))
			op->c |= BRK_BAD_FLAG;
	}
	if (t == VOP_EXPAND && rng_percent(&r->rng, 20))
		gen_expand_fit(r, op);
	if (t == VOP_COPY && rng_percent(&r->rng, 15))
		gen_copy_fit(r, op);
	if (t == VOP_GROW && rng_percent(&r->rng, 70))
		gen_grow(r, op);
	if (t == VOP_UNMAPPED_AREA && rng_percent(&r->rng, 20))
		gen_ua_stack(r, op);
	if (t == VOP_BRK && rng_percent(&r->rng, 30))
		gen_brk_fit(r, op);
	if (t == VOP_SYS_BRK)
		gen_sys_brk(r, op);
}

static void init_run(struct vma_run *r, uint64_t seed)
{
	unsigned int f, cfg_pct;
	struct rng heap;

	memset(r, 0, sizeof(*r));
	rng_seed(&r->rng, seed);
	r->nr_pages = ctx->config & ((1UL << CONFIG_FAIL_SHIFT) - 1);
	if (!r->nr_pages || r->nr_pages > 4096)
		r->nr_pages = 64;
	/* The heap starts empty, anywhere: from the seed, not the op stream. */
	rng_seed(&heap, seed ^ 0x6272UL);
	r->mm.start_brk = addr_of(rng_below(&heap, r->nr_pages));
	r->mm.brk = r->mm.start_brk;
	/* A data segment of 0-3 pages and some bytes, for check_data_rlimit(). */
	r->mm.start_data = addr_of(0);
	r->mm.end_data = r->mm.start_data + rng_below(&heap, 4 * PAGE_SIZE);
	vma_model_init(&r->model, r->nr_pages);
	/* A VMA is a page at least: at most nr_pages of them. */
	r->former = calloc(r->nr_pages, sizeof(*r->former));
	r->vmas = calloc(r->nr_pages, sizeof(*r->vmas));
	r->thp_split = calloc(r->nr_pages + 1, sizeof(*r->thp_split));
	r->hugetlb_split = calloc(r->nr_pages + 1, sizeof(*r->hugetlb_split));
	if (!r->former || !r->vmas || !r->thp_split || !r->hugetlb_split)
		abort();
	mt_init_flags(&r->mm.mm_mt, MT_FLAGS_ALLOC_RANGE | MT_FLAGS_LOCK_EXTERN |
		      MT_FLAGS_USE_RCU);
	mt_set_external_lock(&r->mm.mm_mt, &r->mm.mmap_lock);
	spin_lock_init(&r->mm.page_table_lock);
	vma_current.mm = &r->mm;
	vma_mmap_lock = MMAP_WRITE_LOCKED;
	/* No VMA holds a policy yet (a replay may follow a failed run). */
	for (f = 1; f < NR_ATTRS; f++)
		atomic_set(&attr_pols[f].refcnt, 0);
	for (f = 1; f <= NR_FILES; f++)
		file_init(&r->files[f], f);
	/*
	 * Memory fails only where the config says (unless options said more).
	 * --layout with --fail-rate 0 fails none: two trees allocate
	 * differently, and compare-trees must see the same ops succeed.
	 * Configs with CONFIG_RATE fail at their rate where that is more than
	 * the options' (--fail-rate, 1 by default, which left the rates of
	 * older configs unused: their replays still run as recorded).
	 */
	sysctl_max_map_count = map_limit() ? map_limit() : DEFAULT_MAX_MAP_COUNT;
	stack_guard_gap = (1 + ((ctx->config >> CONFIG_GUARD_SHIFT) & 3)) <<
			  PAGE_SHIFT;
	mmap_min_addr = min_addr_of(ctx->config);
	vma_mmap_end = addr_of(r->nr_pages);
	vapi_pick_mmap_layout(&r->mm, false, addr_of(0));
	cfg_pct = (ctx->config >> CONFIG_FAIL_SHIFT) & 0xff;
	if (!opts.fail_rate && !opts.layout)
		slab_faults.kernel_pct = cfg_pct;
	else if ((ctx->config & CONFIG_RATE) && !opts.layout &&
		 cfg_pct > slab_faults.kernel_pct)
		slab_faults.kernel_pct = cfg_pct;
}

static void start_sequence(struct vma_run *r, uint64_t seed)
{
	/* Now and then a space big enough for a tree of several levels. */
	static const unsigned long sizes[] = { 32, 64, 128, 256, 1024 };
	struct rng pick;
	unsigned long fail;

	rng_seed(&pick, seed ^ 0x766d61);
	fail = rng_percent(&pick, 50) ? rng_range(&pick, 1, 5) : 0;
	ctx->config = sizes[rng_below(&pick, ARRAY_SIZE(sizes))] |
		      fail << CONFIG_FAIL_SHIFT | CONFIG_RATE;
	/* Not under --layout: 6.1 has no mseal to compare with. */
	if (rng_percent(&pick, 15) && !opts.layout)
		ctx->config |= CONFIG_SEALS;
	/*
	 * Now and then a space short of memory, where most changes fail: the
	 * failure paths after a first allocation succeeded (an anon_vma
	 * cloned for a merge, then no maple node) need two in a row.
	 */
	if (fail && rng_percent(&pick, 10)) {
		fail = rng_range(&pick, 10, 25);
		ctx->config = (ctx->config & ~(0xffUL << CONFIG_FAIL_SHIFT)) |
			      fail << CONFIG_FAIL_SHIFT;
	}
	/*
	 * One in five at a low map_count limit, where splits, munmap and brk
	 * are refused: the VMAs of these spaces run to a few dozen.  Not
	 * under --layout: 6.1 merges less, so the trees reach it apart.
	 */
	if (rng_percent(&pick, 20) && !opts.layout)
		ctx->config |= rng_range(&pick, 2, 32) << CONFIG_MAP_LIMIT_SHIFT;
	/*
	 * Half end as a process does, the others unmap all they mapped
	 * first (then exit with no VMA).
	 */
	if (rng_percent(&pick, 50))
		ctx->config |= CONFIG_EXIT_MMAP;
	ctx->config |= (unsigned long)rng_below(&pick, 4) << CONFIG_GUARD_SHIFT;
	/*
	 * Some fail one allocation of each op, the first to the sixth: the
	 * error paths after an op's first steps succeeded (an anon_vma
	 * cloned, a VMA split or gathered, then no maple node), which
	 * random failures reach only when two fall right.
	 */
	if (fail && rng_percent(&pick, 20))
		ctx->config |= CONFIG_OP_NTH;
	/* Last, so that the draws above keep their configs. */
	if (rng_percent(&pick, 15) && !opts.layout)
		ctx->config |= CONFIG_REFUSE;
	/*
	 * Half the sequences that fail an allocation of each op fail the
	 * kernel's GFP_KERNEL retry of a GFP_NOWAIT one with it: the paths
	 * that only two failures in a row reach (anon_vma_clone() in a
	 * merge's dup_anon_vma()).
	 */
	if ((ctx->config & CONFIG_OP_NTH) && rng_percent(&pick, 50))
		ctx->config |= CONFIG_NTH_RETRY;
	/* Not under --layout: 6.1's vm_unmapped_area() ignores it. */
	if (rng_percent(&pick, 20) && !opts.layout) {
		ctx->config |= (unsigned long)rng_range(&pick, 1, 3) <<
			       CONFIG_MIN_ADDR_SHIFT;
		/* A draw of its own, last, so that the others keep theirs. */
		if (rng_percent(&pick, 50))
			ctx->config |= CONFIG_MIN_ADDR_BYTE;
	}
	init_run(r, seed);
}

/*
 * --layout: one line per op with what it left, for scripts/compare-trees to
 * diff between trees: the op, its result (an address for vm_unmapped_area,
 * else 0 or an errno), and each VMA as first-last page, flags, file@pgoff
 * and anon_vma (a number in order of first appearance, so that trees that
 * allocate anon_vmas in another order still compare equal).
 */
static void print_layout(struct vma_run *r, bool ok)
{
	MA_STATE(mas, &r->mm.mm_mt, 0, 0);
	struct vm_area_struct *vma;
	unsigned long seen[MAX_MERGE_PTS] = { 0 }, nr_seen = 0, i;

	printf("L %lu %s %#lx %#lx %#lx %#llx = %#lx%s:", r->op_nr,
	       vma_op_name(r->op.type), r->op.a, r->op.b, r->op.c,
	       (unsigned long long)r->op.r, (unsigned long)r->result,
	       ok ? "" : " FAILED");
	mas_for_each(&mas, vma, ULONG_MAX) {
		unsigned long av = 0;
		struct vma_attrs a;

		if (vma->anon_vma) {
			for (i = 0; i < nr_seen && seen[i] != vma->anon_vma->id; i++)
				;
			if (i == nr_seen && nr_seen < MAX_MERGE_PTS)
				seen[nr_seen++] = vma->anon_vma->id;
			av = i + 1;
		}
		printf(" %lu-%lu:%lx:f%u@%lx:a%lu", page_of(vma->vm_start),
		       page_of(vma->vm_end) - 1, vma->vm_flags & ~VM_SOFTDIRTY,
		       file_nr(vma), vma->vm_pgoff, av);
		attrs_of(vma, &a);
		if (a.name || a.pol || a.uffd)
			printf(":n%u.p%u.u%u", a.name, a.pol, a.uffd);
	}
	printf("\n");
}

static bool modify_kept_merges(struct vma_run *r)
{
	unsigned int t = r->op.type;

	/*
	 * A brk that extends the VMA below either does or fails (6.12: on
	 * vmg_nomem(); 6.1: mas_preallocate()): it never falls back to a
	 * VMA of its own beside one it could have extended.
	 */
	if (t == VOP_BRK || t == VOP_SYS_BRK)
		return !r->result;
#ifdef HAVE_MM_VMA_C

	return !r->result && !r->gave_up &&
	       (t == VOP_MPROTECT || t == VOP_MSEAL || is_attr_op(t));
#else
	return false;
#endif
}

/*
 * A munmap records the peak of total_vm before it takes pages away
 * (update_hiwater_vm()), which VmPeak and taskstats report: an op that
 * unmapped pages through munmap's paths leaves hiwater_vm (0 when the op
 * began) above 0: the suite sets total_vm from the model before each
 * munmap, so it counted those pages then.  Not at least the total_vm the
 * op began with: an op before may have changed a VMA without accounting
 * (vma_shrink(), vma_expand()), which the model's total then corrects.
 * vma_shrink() (exec's stack move) is no munmap.
 */
static bool check_hiwater(struct vma_run *r)
{
	if (!r->model.unmapped || r->op.type == VOP_SHRINK ||
	    r->mm.hiwater_vm)
		return true;
	test_fail(__FILE__, __LINE__, "the op unmapped %lu pages, but left hiwater_vm at 0: update_hiwater_vm() was not called first",
		  r->model.unmapped);
	return false;
}

static bool apply_op(struct vma_run *r)
{
	bool ok;

	test_log_op(&r->op);
	r->injected = slab_faults.injected;
	r->nr_merge_pts = 0;
	if (opts.trace) {
		char buf[256];

		vma_describe(&r->op, buf, sizeof(buf));
		printf("op %lu: %s (%d VMAs)\n", r->op_nr, buf, r->mm.map_count);
	}
	r->result = 0;
	r->refused = false;
	r->gave_up = false;
	r->call[0] = '\0';
	/*
	 * Which allocation of the op fails: a function of the op alone.  Not
	 * under --layout, which compares trees that allocate differently.
	 */
	if ((ctx->config & CONFIG_OP_NTH) && !opts.fail_nth && !opts.layout) {
		slab_faults.count = 0;
		slab_faults.nth = 1 + (r->op.a ^ r->op.b ^ r->op.r) % 6;
		slab_faults.nth_retry = ctx->config & CONFIG_NTH_RETRY;
		slab_faults.fail_retry = false;
	}
	vma_record.commit_refused = 0;
	r->limit_as = false;
	r->limit_memlock = false;
	r->limit_data = false;
	r->limit_data_hard = false;
	r->limit_stack = false;
	r->deny_write = false;
	if ((ctx->config & CONFIG_REFUSE) && !opts.layout) {
		unsigned long k = (r->op.a ^ r->op.b ^ r->op.r) % 8;

		vma_commit_refuse = k == 0;
		r->limit_as = k == 1;
		r->limit_memlock = k == 2;
		r->deny_write = k == 3;
		vma_fatal_signal = k == 4;
		r->limit_data = k == 5;
		/*
		 * Bit 3, which case 5 left unused: the hard limit too.  Not
		 * for the brk syscall, whose own check_data_rlimit() refuses
		 * first: a limit of 0 that may_expand_vm() lets through is
		 * what tells whether it looked.
		 */
		r->limit_data_hard = k == 5 && r->op.type != VOP_SYS_BRK &&
				     ((r->op.a ^ r->op.b ^ r->op.r) & 8);
		r->limit_stack = k == 6;
	}
	note_joined(r);
	r->mm.hiwater_vm = 0;
	r->model.unmapped = 0;
	if (r->limit_data)
		printk_capture(data_warning, NULL);
	vma_record.uffd_queued = vma_record.uffd_delivered = 0;
	ok = vop_info[r->op.type].apply(r, &r->op) && !ctx->failed;
	printk_capture(NULL, NULL);
	ok = check_uffd_delivered(r) && ok;
	vma_commit_refuse = false;
	vma_fatal_signal = false;
	vma_rlimit_as = ~0UL;
	vma_rlimit_memlock = ~0UL;
	vma_rlimit_data = ~0UL;
	vma_rlimit_data_max = ~0UL;
	vma_rlimit_stack = ~0UL;
	current->personality = 0;
	sysctl_overcommit_memory = 0;
	/*
	 * A failed op obliged no merge: the model says what stayed.  On
	 * 6.12 a vma_modify*() whose merge fails for memory fails the op
	 * (vmg_nomem()) unless it may give up: a change that succeeded
	 * under injected failures must still have merged.  6.1's vma_merge()
	 * says NULL, and mprotect_fixup() splits instead.  A brk (both
	 * trees) extends the VMA below or fails.
	 */
	if (slab_faults.injected != r->injected && !modify_kept_merges(r))
		r->nr_merge_pts = 0;
	ok = ok && check_mm(r) && check_op_changes(r) && check_hiwater(r);
	if (opts.layout)
		print_layout(r, ok);
	return ok;
}

/* Unmap everything with no failures, then nothing may be left. */
/* exit_mmap() ignores seals: so does the final unmap. */
static void unseal_all(struct vma_run *r)
{
	MA_STATE(mas, &r->mm.mm_mt, 0, 0);
	struct vm_area_struct *vma;
	unsigned long i;

	mas_for_each(&mas, vma, ULONG_MAX)
		vma->vm_flags &= ~VM_SEALED;
	for (i = 0; i < r->nr_pages; i++)
		vma_model_set_flags(&r->model, i, 1,
				    r->model.pages[i].flags & ~VM_SEALED);
}

/*
 * The end of a process, as exit_mmap() tears its mm down: secondary MMUs
 * told first (mmu_notifier_release()), every mapped page zapped, every
 * VM_ACCOUNT page unaccounted, every VMA closed, put and freed (the leak
 * checks after it see those), files and their i_mmap back to the suite's
 * own reference.
 */
static bool exit_mm(struct vma_run *r)
{
	unsigned long mapped = vma_model_mapped(&r->model, 0, r->nr_pages);
	unsigned long accounted = model_accounted(r, 0, r->nr_pages);
	long vmas = count_vmas(r);
	unsigned long queued;
	unsigned int f;
	int count;

	vma_record.pages_zapped = 0;
	vma_record.unacct_pages = 0;
	vma_record.mmu_releases = vma_record.arch_exits = 0;
	queued = harness_rcu_queued();
	count = KERNEL(vapi_exit_mmap(&r->mm));
	ASSERT_EQ(count, vmas);
	/*
	 * Secondary MMUs are told first, before a page goes, and the arch's
	 * own state of the mm (x86: its LDT) is torn down once.
	 */
	ASSERT_EQ(vma_record.mmu_releases, 1);
	ASSERT_EQ(vma_record.zapped_before_release, 0);
	ASSERT_EQ(vma_record.arch_exits, 1);
	/*
	 * No reader can reach the mm: with VMAs to free, exit_mmap() takes
	 * the tree out of RCU mode first, so that its nodes are freed at
	 * once, not handed to call_rcu().  (Its way out for an mm with no
	 * VMA destroys the tree as it is.)
	 */
	queued = harness_rcu_queued() - queued;
	if (vmas && queued)
		test_fail(__FILE__, __LINE__, "exit_mmap of %ld VMAs queued %lu RCU callbacks, expected 0: the tree was torn down in RCU mode",
			  vmas, queued);
	/* Its pages are gone: the OOM reaper must pass this mm over. */
	if (vmas && !test_bit(MMF_OOM_SKIP, &r->mm.flags))
		test_fail(__FILE__, __LINE__, "exit_mmap removed %ld VMAs but left MMF_OOM_SKIP clear",
			  vmas);
	if (vma_record.pages_zapped != mapped)
		test_fail(__FILE__, __LINE__, "exit_mmap zapped %lu pages, expected %lu",
			  vma_record.pages_zapped, mapped);
	if (!check_unaccounted(r, "exit_mmap", accounted))
		return false;
	ASSERT_EQ(vma_record.tlb_active, 0);
	ASSERT_EQ(r->close_vmas, 0);
	for (f = 1; f <= NR_FILES; f++) {
		ASSERT_EQ(atomic_long_read(&r->files[f].f_count), 1);
		ASSERT_EQ(r->files[f].mapping.nr_vmas, 0);
		ASSERT_EQ(atomic_read(&r->files[f].mapping.i_mmap_writable), 0);
	}
	/* remove_vma() put every VMA's policy. */
	for (f = 1; f < NR_ATTRS; f++)
		ASSERT_EQ(atomic_read(&attr_pols[f].refcnt), 0);
	return !ctx->failed;
}

/*
 * dup_mmap() (kernel/fork.c, not built here) takes a new mm's tree out of
 * RCU mode while it links the copies and puts it back after, under the
 * mmap_lock: the kernel's one mt_set_in_rcu() on a tree with an external
 * lock.  Each call must flip MT_FLAGS_USE_RCU alone, and take no lock of
 * the tree's own: such a tree has none (its ma_lock is not initialised).
 */
static bool check_fork_rcu(struct vma_run *r)
{
	struct maple_tree *mt = &r->mm.mm_mt;
	unsigned int flags = mt->ma_flags;
	unsigned long released = spin_releases;

	mt_clear_in_rcu(mt);
	if (!check_rcu_toggle(mt, flags, released))
		return false;
	flags = mt->ma_flags;
	released = spin_releases;
	mt_set_in_rcu(mt);
	return check_rcu_toggle(mt, flags, released);
}

static bool end_sequence(struct vma_run *r, bool ok)
{
	slab_faults.kernel_pct = 0;
	slab_faults.nowait_pct = 0;
	slab_faults.nth = 0;
	slab_faults.nth_retry = false;
	slab_faults.fail_retry = false;
	ok = ok && check_model_counts(r) && check_fork_rcu(r);
	if (ok && (ctx->config & CONFIG_EXIT_MMAP)) {
		ok = exit_mm(r);
	} else if (ok) {
		unseal_all(r);
		ASSERT_EQ(unmap_range(r, 0, r->nr_pages), 0);
		r->nr_merge_pts = 0;
		ok = check_mm(r);
		ASSERT_EQ(r->mm.map_count, 0);
		/*
		 * The process then exits with no VMA left: exit_mmap() must
		 * find none and only destroy the tree (its way out for an mm
		 * that dup_mmap() could not fill, too).
		 */
		ok = ok && exit_mm(r);
	}
	__mt_destroy(&r->mm.mm_mt);
	rcu_barrier();
	if (ok) {
		ASSERT_EQ(slab_live("vm_area_struct"), 0);
		ASSERT_EQ(slab_live("anon_vma"), 0);
		ASSERT_EQ(slab_live("anon_vma_chain"), 0);
		ASSERT_EQ(slab_live("maple_node"), 0);
	}
	vma_model_destroy(&r->model);
	free(r->former);
	free(r->vmas);
	free(r->thp_split);
	free(r->hugetlb_split);
	r->former = NULL;
	r->vmas = NULL;
	r->thp_split = NULL;
	r->hugetlb_split = NULL;
	return ok;
}

static bool vma_run_ops(unsigned long ops)
{
	struct vma_run *r = &run;
	bool ok = true;

	start_sequence(r, ctx->seed);
	for (r->op_nr = 1; r->op_nr <= ops && ok; r->op_nr++) {
		gen_op(r, &r->op);
		ok = apply_op(r);
	}
	return end_sequence(r, ok);
}

static bool vma_replay(const struct test_op *ops, unsigned long n)
{
	struct vma_run *r = &run;
	bool ok = true;

	init_run(r, ctx->seed);
	for (r->op_nr = 1; r->op_nr <= n && ok; r->op_nr++) {
		r->op = ops[r->op_nr - 1];
		ok = apply_op(r);
	}
	return end_sequence(r, ok);
}

static bool vma_has_op(unsigned int type)
{
#if defined(HAVE_MM_VMA_C) && !defined(HAVE_VMA_MODIFY_ATTRS)
	/* vma_modify_flags() alone would merge what the attributes forbid. */
	if (is_attr_op(type))
		return false;
#endif
#ifndef HAVE_VMA_TAKE_ALL_LOCKS
	if (type == VOP_ALL_LOCKS)
		return false;
#endif
#if defined(HAVE_MM_VMA_C) && !defined(HAVE_VMS_GATHER)
	/* Before the gathering, a failure there went otherwise: unmodelled. */
	if (type == VOP_MMAP_REGION)
		return false;
#endif
#ifndef HAVE_VMA_SEAL
	if (type == VOP_MSEAL)
		return false;
#endif
	return type < NR_VOPS;
}

static void vma_list_ops(FILE *f)
{
	unsigned int t;

	for (t = 0; t < NR_VOPS; t++)
		fprintf(f, "  %-36s %s\n", vop_info[t].name,
			vma_has_op(t) ? "yes" : "no");
}

/*
 * Seeds 1..64 with every check, in this process.  A vma sequence is short:
 * one seed was a space of a few dozen pages, too little to time.
 */
static void vma_bench(unsigned long ops)
{
	unsigned long nodes = slab_total("maple_node");
	unsigned long vmas = slab_total("vm_area_struct");
	double cost = clock_cost(), start = now(), alone;
	unsigned long total = 64 * ops;
	uint64_t seed;
	bool ok = true;

	timing = true;
	kernel_ns = 0;
	kernel_calls = 0;
	for (seed = 1; seed <= 64; seed++) {
		ctx_reset("vma", seed);
		ok = vma_run_ops(ops) && ok;
	}
	timing = false;
	start = now() - start - 2 * cost * kernel_calls;
	alone = kernel_ns / 1e9 - cost * kernel_calls;
	printf("bench vma: %lu ops (64 seeds x %lu)%s\n", total, ops,
	       ok ? "" : " (a check failed: see --seed 1 --seqs 64)");
	printf("  with model:   %10.0f ops/s\n", total / start);
	printf("  kernel calls: %10.0f ops/s (the ops' own, %.2f calls per op, timed one by one)\n",
	       total / alone, kernel_calls / (double)total);
	printf("  model share:  %9.1f%% of the time (kernel %.1f%%)\n",
	       100 * (start - alone) / start, 100 * alone / start);
	printf("  allocated per op: %.2f maple nodes, %.2f VMAs\n",
	       (slab_total("maple_node") - nodes) / (double)total,
	       (slab_total("vm_area_struct") - vmas) / (double)total);
	printf("  peak RSS: %ld KiB\n", peak_rss_kib());
}

const struct suite vma_suite = {
	.name = "vma",
	.desc = "mm/vma.c: VMA ops against a page model",
	.default_ops = 500,
	.long_ops = 2000,
	.default_time = 15,
	.op_name = vma_op_name,
	.nr_op_types = NR_VOPS,
	.run = vma_run_ops,
	.replay = vma_replay,
	.has_op = vma_has_op,
	.describe = vma_describe,
	.bench = vma_bench,
	.list_ops = vma_list_ops,
};

#else /* !HAVE_VMA_SUITE */

static const char *vma_op_name(unsigned int type)
{
	return NULL;
}

static bool vma_has_op(unsigned int type)
{
	return false;
}

static void vma_list_ops(FILE *f)
{
	fprintf(f, "  (skipped: this tree has no mm/vma.c)\n");
}

const struct suite vma_suite = {
	.name = "vma",
	.desc = "mm/vma.c: VMA ops against a page model",
	.skip = "this tree has no mm/vma.c (6.1 keeps that code in mm/mmap.c)",
	.op_name = vma_op_name,
	.has_op = vma_has_op,
	.list_ops = vma_list_ops,
};

#endif /* HAVE_VMA_SUITE */
