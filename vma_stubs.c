// SPDX-License-Identifier: GPL-2.0
/*
 * The parts of the mm that mm/vma.c calls out of line, written for the VMA
 * suite: VMA allocation, anon_vma chains with real counts, the i_mmap and
 * anon_vma interval trees as counters, and page tables and TLB flushes as
 * recorders.  Each keeps what the suite checks after every op: a VMA freed
 * twice or while still linked somewhere, an anon_vma freed while in use, a
 * lock left held.
 */
#include <generated/features.h>
#ifdef HAVE_VMA_SUITE
#include <stdio.h>
#include "vma_internal.h"
#include "vma_stubs.h"
#include "slab_test.h"
#ifdef HAVE_UNLINK_FILE_BATCH
#include "vma_api.h"	/* mm/vma.h: struct unlink_vma_file_batch */
#endif

long vma_locks_held;
long vma_lock_clock;
long vma_signal_countdown;
bool vma_fatal_signal;
int vma_mmap_lock = MMAP_WRITE_LOCKED;
unsigned long vma_downgrades;
struct task_struct vma_current = { .comm = "maple" };
/* No file of the suite's has it (is_file_hugepages()). */
const struct file_operations hugetlbfs_file_operations;
int sysctl_max_map_count = DEFAULT_MAX_MAP_COUNT;
const struct vm_operations_struct vma_dummy_vm_ops;
struct vma_record vma_record;
bool vma_commit_refuse;
bool vma_mm_exiting;
unsigned long vma_rlimit_as = ~0UL;
unsigned long vma_rlimit_memlock = ~0UL;
unsigned long vma_rlimit_data = ~0UL;
unsigned long vma_rlimit_data_max = ~0UL;	/* its hard limit */
unsigned long vma_rlimit_stack = ~0UL;

static struct kmem_cache *vma_cache, *anon_vma_cache, *avc_cache;

/* Caches are made in the child that runs a sequence: each starts from none. */
static void vma_caches_init(void)
{
	if (vma_cache)
		return;
	vma_cache = kmem_cache_create("vm_area_struct",
				      sizeof(struct vm_area_struct), 0, 0, NULL);
	anon_vma_cache = kmem_cache_create("anon_vma", sizeof(struct anon_vma),
					   0, 0, NULL);
	avc_cache = kmem_cache_create("anon_vma_chain",
				      sizeof(struct anon_vma_chain), 0, 0, NULL);
}

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	vma_caches_init();
	vma = kmem_cache_alloc(vma_cache, GFP_KERNEL);
	if (!vma)
		return NULL;
	memset(vma, 0, sizeof(*vma));
	vma->vm_mm = mm;
	INIT_LIST_HEAD(&vma->anon_vma_chain);
	vma->vm_lock_seq = -1;
	vma->magic = VMA_MAGIC_LIVE;
	return vma;
}

struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig)
{
	struct vm_area_struct *new;

	vma_caches_init();
	new = kmem_cache_alloc(vma_cache, GFP_KERNEL);
	if (!new)
		return NULL;
	*new = *orig;
	/* The copy shares nothing the original is linked into. */
	INIT_LIST_HEAD(&new->anon_vma_chain);
	new->in_i_mmap = 0;
	new->detached = false;
	/* Its own lock, not taken; and not in the tree when the op began. */
	new->vm_lock_seq = -1;
	new->was_end = 0;
	/* No uprobe_mmap() of its own yet (check_uprobe_mmap()). */
	new->uprobe_start = new->uprobe_end = 0;
	new->unprobe_start = new->unprobe_end = 0;
	new->thp_entered = new->perf_mmapped = new->ksm_added = false;
	/* Nor a past for check_vma_pages(): a copy may lie elsewhere. */
	memset(&new->seen, 0, sizeof(new->seen));
	new->magic = VMA_MAGIC_LIVE;
	return new;
}

/* A VMA may be freed once, and only once nothing links to it any more. */
void vm_area_free(struct vm_area_struct *vma)
{
	if (WARN_ON(vma->magic != VMA_MAGIC_LIVE)) {
		printk("vm_area_free(%p): freed twice or never allocated\n", vma);
		return;
	}
	WARN_ON(vma->in_i_mmap);
	WARN_ON(!list_empty(&vma->anon_vma_chain));
	vma->magic = 0;
	vma_record.vmas_freed++;
	kmem_cache_free(vma_cache, vma);
}

/*
 * At once, without the grace period vm_area_free() waits for where VMAs
 * are RCU-freed (per-VMA locks: lock_vma_under_rcu() may be reading one
 * it found in mm_mt): only for a VMA no reader can reach, which is one
 * of exit_mmap()'s (remove_vma()'s unreachable).
 */
void __vm_area_free(struct vm_area_struct *vma)
{
	if (WARN_ON(!vma_mm_exiting))
		printk("__vm_area_free(%p) [%#lx, %#lx) outside exit_mmap(): lockless readers may still hold it\n",
		       vma, vma->vm_start, vma->vm_end);
	vm_area_free(vma);
}

void dump_vma(const struct vm_area_struct *vma)
{
	printk("vma %p [%#lx, %#lx) pgoff %#lx flags %#lx file %p anon_vma %p\n",
	       vma, vma->vm_start, vma->vm_end, vma->vm_pgoff, vma->vm_flags,
	       vma->vm_file, vma->anon_vma);
}

/*
 * The mapping of an i_mmap tree, which changes only under its i_mmap_rwsem
 * (rmap walks take it to read) and flush_dcache_mmap_lock().
 */
static struct address_space *i_mmap_mapping(struct rb_root_cached *root)
{
	struct address_space *mapping;

	mapping = container_of(root, struct address_space, i_mmap);
	WARN_ON(mapping->i_mmap_rwsem.held <= 0);
	WARN_ON(mapping->dcache_locked != 1);
	return mapping;
}

void vma_interval_tree_insert(struct vm_area_struct *vma,
			      struct rb_root_cached *root)
{
	struct address_space *mapping = i_mmap_mapping(root);

	WARN_ON(vma->in_i_mmap);
	vma->in_i_mmap++;
	vma->i_mmap_first = vma->vm_pgoff;
	vma->i_mmap_last = vma_tree_last(vma);
	mapping->nr_vmas++;
}

void vma_interval_tree_remove(struct vm_area_struct *vma,
			      struct rb_root_cached *root)
{
	WARN_ON(!vma->in_i_mmap);
	vma->in_i_mmap--;
	i_mmap_mapping(root)->nr_vmas--;
}

void anon_vma_interval_tree_insert(struct anon_vma_chain *avc,
				   struct rb_root_cached *root)
{
	WARN_ON(avc->in_tree);
	avc->in_tree = true;
	avc->tree_first = avc->vma->vm_pgoff;
	avc->tree_last = vma_tree_last(avc->vma);
	avc->anon_vma->in_tree++;
}

void anon_vma_interval_tree_remove(struct anon_vma_chain *avc,
				   struct rb_root_cached *root)
{
	WARN_ON(!avc->in_tree);
	avc->in_tree = false;
	avc->anon_vma->in_tree--;
}

struct anon_vma *vma_anon_vma_alloc(void)
{
	struct anon_vma *av;

	vma_caches_init();
	av = kmem_cache_alloc(anon_vma_cache, GFP_KERNEL);
	if (!av)
		return NULL;
	memset(av, 0, sizeof(*av));
	av->root = av;
	av->id = ++vma_record.anon_vma_ids;
	return av;
}

/* An anon_vma that was never linked: the caller's allocation failed later. */
void vma_anon_vma_free(struct anon_vma *av)
{
	kmem_cache_free(anon_vma_cache, av);
}

/* Link vma to anon_vma with a new chain; -ENOMEM as the kernel may fail. */
int vma_anon_vma_link(struct vm_area_struct *vma, struct anon_vma *av)
{
	struct anon_vma_chain *avc;

	vma_caches_init();
	avc = kmem_cache_alloc(avc_cache, GFP_NOWAIT | __GFP_NOWARN);
	if (!avc)
		avc = kmem_cache_alloc(avc_cache, GFP_KERNEL);
	if (!avc)
		return -ENOMEM;
	avc->vma = vma;
	avc->anon_vma = av;
	avc->in_tree = false;
	list_add(&avc->same_vma, &vma->anon_vma_chain);
	av->nr_chains++;
	anon_vma_interval_tree_insert(avc, &av->rb_root);
	return 0;
}

/*
 * Give vma the anon_vma av (NULL: a new one), chained, as a first write
 * fault does; -ENOMEM leaves nothing behind.
 */
int vma_anon_vma_attach(struct vm_area_struct *vma, struct anon_vma *av)
{
	bool fresh = false;

	if (!av) {
		av = vma_anon_vma_alloc();
		if (!av)
			return -ENOMEM;
		fresh = true;
	}
	if (vma_anon_vma_link(vma, av)) {
		if (fresh)
			vma_anon_vma_free(av);
		return -ENOMEM;
	}
	vma->anon_vma = av;
	av->num_active_vmas++;
	return 0;
}

int anon_vma_prepare(struct vm_area_struct *vma)
{
	if (vma->anon_vma)
		return 0;
	return vma_anon_vma_attach(vma, find_mergeable_anon_vma(vma));
}

/* Undo the newest vma_anon_vma_link() of vma (a forked child's extra chain). */
void vma_anon_vma_unlink_newest(struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc = list_first_entry(&vma->anon_vma_chain,
					struct anon_vma_chain, same_vma);

	if (avc->in_tree)
		anon_vma_interval_tree_remove(avc, &avc->anon_vma->rb_root);
	list_del(&avc->same_vma);
	avc->anon_vma->nr_chains--;
	kmem_cache_free(avc_cache, avc);
}

int anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	struct anon_vma_chain *pavc;

	list_for_each_entry(pavc, &src->anon_vma_chain, same_vma) {
		if (vma_anon_vma_link(dst, pavc->anon_vma)) {
			/* Nothing was made active yet: undo the chains only. */
			dst->anon_vma = NULL;
			unlink_anon_vmas(dst);
			return -ENOMEM;
		}
	}
	if (dst->anon_vma)
		dst->anon_vma->num_active_vmas++;
	return 0;
}

static void put_anon_vma(struct anon_vma *av)
{
	WARN_ON(av->num_active_vmas);
	WARN_ON(av->in_tree);
	vma_record.anon_vmas_freed++;
	kmem_cache_free(anon_vma_cache, av);
}

void unlink_anon_vmas(struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc, *next;

	if (vma->anon_vma) {
		vma->anon_vma->num_active_vmas--;
		vma->anon_vma = NULL;
	}
	list_for_each_entry_safe(avc, next, &vma->anon_vma_chain, same_vma) {
		struct anon_vma *av = avc->anon_vma;

		if (avc->in_tree)
			anon_vma_interval_tree_remove(avc, &av->rb_root);
		list_del(&avc->same_vma);
		kmem_cache_free(avc_cache, avc);
		if (!--av->nr_chains)
			put_anon_vma(av);
	}
}

/* vma absorbed next: they must have had the same anon_vma (mm/rmap.c). */
void anon_vma_merge(struct vm_area_struct *vma, struct vm_area_struct *next)
{
	if (WARN_ON(vma->anon_vma != next->anon_vma))
		printk("anon_vma_merge: vma %p has anon_vma %p, next %p has %p\n",
		       vma, vma->anon_vma, next, next->anon_vma);
	unlink_anon_vmas(next);
}

/*
 * uprobe_munmap() would take the uprobes' breakpoints out of the VMA's
 * range before the range changes (vma_prepare(), 6.1's __vma_adjust()):
 * the span of its calls is kept for check_uprobe_munmap().
 */
void uprobe_munmap(struct vm_area_struct *vma, unsigned long start,
		   unsigned long end)
{
	if (!vma->unprobe_end || start < vma->unprobe_start)
		vma->unprobe_start = start;
	if (end > vma->unprobe_end)
		vma->unprobe_end = end;
}

/*
 * khugepaged_enter_vma() would register the mm with khugepaged, so that
 * it collapses the VMA's pages into huge pages, where the VMA allows them.
 * Only the call is kept, for check_khugepaged().
 */
void khugepaged_enter_vma(struct vm_area_struct *vma, unsigned long flags)
{
	vma->thp_entered = true;
}

/*
 * perf_event_mmap() would tell perf of the mapping (a PERF_RECORD_MMAP), so
 * that a profile can name the code in it.  Only the call is kept, for
 * check_perf_mmap().
 */
void perf_event_mmap(struct vm_area_struct *vma)
{
	vma->perf_mmapped = true;
}

/*
 * ksm_add_vma() would mark the VMA VM_MERGEABLE if the process asked KSM
 * to merge all its pages (prctl(PR_SET_MEMORY_MERGE)).  Only the call is
 * kept, for the checks of mmap_region and brk.
 */
void ksm_add_vma(struct vm_area_struct *vma)
{
	vma->ksm_added = true;
}

/*
 * mmu_notifier_release() tells secondary MMUs (KVM, IOMMUs, HMM) that the
 * mm is going away, so that they drop what they map of it before
 * exit_mmap() frees its pages.
 */
void mmu_notifier_release(struct mm_struct *mm)
{
	if (!vma_record.mmu_releases++)
		vma_record.zapped_before_release = vma_record.pages_zapped;
}

void arch_exit_mmap(struct mm_struct *mm)
{
	vma_record.arch_exits++;
}

void arch_unmap(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	vma_record.arch_unmaps++;
	vma_record.arch_unmap_start = start;
	vma_record.arch_unmap_end = end;
}

/*
 * uprobe_mmap() would install the breakpoint PTEs of the uprobes in the
 * VMA's file; there are none here, but the calls are counted, and the
 * range each VMA had at its last call is kept for check_uprobe_mmap().
 */
void uprobe_mmap(struct vm_area_struct *vma)
{
	vma_record.uprobe_mmaps++;
	vma->uprobe_start = vma->vm_start;
	vma->uprobe_end = vma->vm_end;
}

/*
 * mm/huge_memory.c's: split the huge PMDs that straddle start and end in
 * vma and, if the next VMA's start moves up by adjust_next, the new start.
 * Here there are no huge pages: the addresses go to the suite, which
 * checks that every boundary an op makes inside a VMA was among them.
 */
void vma_adjust_trans_huge(struct vm_area_struct *vma, unsigned long start,
			   unsigned long end, long adjust_next)
{
	vma_thp_split(start);
	vma_thp_split(end);
	if (adjust_next > 0) {
		MA_STATE(mas, &vma->vm_mm->mm_mt, vma->vm_end, vma->vm_end);
		struct vm_area_struct *next = mas_find(&mas, ULONG_MAX);

		if (!WARN_ON(!next))
			vma_thp_split(next->vm_start + adjust_next);
	}
}

/*
 * mm/hugetlb.c's: unshare the PMD tables that processes mapping the file
 * share across addr, which a split there would leave shared by both
 * halves.  No page tables here: the suite checks the locks the kernel
 * asserts and that every split of a hugetlb VMA came here.
 */
void hugetlb_split(struct vm_area_struct *vma, unsigned long addr)
{
	vma_hugetlb_split(vma, addr);
}

void vm_unacct_memory(long pages)
{
	vma_record.unacct_pages += pages;
}

/* A charge no limit refuses (mremap's after a failed munmap). */
void vm_acct_memory(long pages)
{
	vma_record.acct_pages += pages;
}

int security_vm_enough_memory_mm(struct mm_struct *mm, long pages)
{
	/* __vm_enough_memory() gives back what it charged when it refuses. */
	if (vma_commit_refuse) {
		vma_record.commit_refused++;
		return -ENOMEM;
	}
	vma_record.acct_pages += pages;
	return 0;
}

void tlb_gather_mmu(struct mmu_gather *tlb, struct mm_struct *mm)
{
	tlb->mm = mm;
	vma_record.tlb_active++;
}

void tlb_finish_mmu(struct mmu_gather *tlb)
{
	WARN_ON(vma_record.tlb_active <= 0);
	vma_record.tlb_active--;
	vma_record.tlb_flushes++;
}

/*
 * mpol_dup(): a VMA with a policy gets a copy of its own, an allocation
 * that may fail (-ENOMEM, dst left as the caller made it).  Here a
 * reference stands for the copy.
 */
int vma_dup_policy(struct vm_area_struct *src, struct vm_area_struct *dst)
{
	if (src->vm_policy && slab_should_fail(GFP_KERNEL))
		return -ENOMEM;
	dst->vm_policy = src->vm_policy;
	mpol_get(dst->vm_policy);
	return 0;
}

/*
 * An unmap event queued for a userfaultfd context (fs/userfaultfd.c's),
 * on the munmap's list, and on ours until it is delivered: one that a
 * caller leaves queued is reclaimed, not lost.
 */
struct uffd_unmap {
	struct list_head list;
	struct list_head queued;
	void *ctx;
	unsigned long start, end;
};

static LIST_HEAD(uffd_queued);

/*
 * Queue an event for ctx over [start, end) unless one is queued already;
 * the allocation may fail.  Every context here asks for unmap events.
 */
static int uffd_unmap_queue(void *ctx, unsigned long start, unsigned long end,
			    struct list_head *uf)
{
	struct uffd_unmap *u;

	if (!ctx)
		return 0;
	list_for_each_entry(u, uf, list)
		if (u->ctx == ctx && u->start == start && u->end == end)
			return 0;
	if (slab_should_fail(GFP_KERNEL))
		return -ENOMEM;
	u = malloc(sizeof(*u));
	if (!u)
		abort();
	u->ctx = ctx;
	u->start = start;
	u->end = end;
	list_add_tail(&u->list, uf);
	list_add_tail(&u->queued, &uffd_queued);
	vma_record.uffd_queued++;
	return 0;
}

/* 6.12: for each VMA the munmap gathers. */
int uffd_unmap_prep_vma(struct vm_area_struct *vma, unsigned long start,
			unsigned long end, struct list_head *uf)
{
	return uffd_unmap_queue(vma->vm_userfaultfd_ctx.ctx, start, end, uf);
}

/* 6.1: once, for every VMA of the range. */
int uffd_unmap_prep_mm(struct mm_struct *mm, unsigned long start,
		       unsigned long end, struct list_head *uf)
{
	MA_STATE(mas, &mm->mm_mt, start, start);
	struct vm_area_struct *vma;
	int err;

	mas_for_each(&mas, vma, end - 1) {
		err = uffd_unmap_queue(vma->vm_userfaultfd_ctx.ctx, start, end,
				       uf);
		if (err)
			return err;
	}
	return 0;
}

void userfaultfd_unmap_complete(struct mm_struct *mm, struct list_head *uf)
{
	struct uffd_unmap *u, *n;
	unsigned long i;

	list_for_each_entry_safe(u, n, uf, list) {
		i = vma_record.nr_uffd_events++;
		if (i < VMA_UFFD_EVENTS) {
			vma_record.uffd_events[i].ctx = u->ctx;
			vma_record.uffd_events[i].start = u->start;
			vma_record.uffd_events[i].end = u->end;
		}
		list_del(&u->list);
		list_del(&u->queued);
		free(u);
		vma_record.uffd_delivered++;
	}
}

unsigned long vma_uffd_reclaim(void)
{
	struct uffd_unmap *u, *n;
	unsigned long left = 0;

	list_for_each_entry_safe(u, n, &uffd_queued, queued) {
		list_del(&u->queued);
		free(u);
		left++;
	}
	return left;
}

/* No pages to fault in: recorded, for the suite to check. */
int mm_populate(unsigned long addr, unsigned long len)
{
	vma_record.mm_populates++;
	vma_record.mm_populate_addr = addr;
	vma_record.mm_populate_len = len;
	return 0;
}

/* No pages to fault in: counted, for the suite to check. */
long populate_vma_page_range(struct vm_area_struct *vma, unsigned long start,
			     unsigned long end, int *locked)
{
	WARN_ON(start < vma->vm_start || end > vma->vm_end || start > end);
	vma_record.populated += (end - start) >> PAGE_SHIFT;
	return 0;
}

/*
 * No page tables here: a move moves all it is asked to, from and to
 * ranges its VMAs must hold, unless the suite makes the page table it
 * must allocate at the new address (alloc_new_pmd(), an allocation that
 * may fail) fail: then it moves nothing, as the kernel's stops at the
 * first extent it cannot move, and says so.  The suite checks where
 * (op_shrink()).
 */
unsigned long move_page_tables(struct vm_area_struct *vma,
			       unsigned long old_addr,
			       struct vm_area_struct *new_vma,
			       unsigned long new_addr, unsigned long len,
			       bool need_rmap_locks, bool for_stack)
{
	WARN_ON(old_addr < vma->vm_start || old_addr + len > vma->vm_end);
	WARN_ON(new_addr < new_vma->vm_start ||
		new_addr + len > new_vma->vm_end);
	vma_record.reloc.moved_from = old_addr;
	vma_record.reloc.moved_to = new_addr;
	if (vma_record.reloc.fail_move && !slab_faults.paused) {
		slab_faults.injected++;
		slab_faults.injected_blocking++;
		len = 0;
	}
	vma_record.reloc.moved_len = len;
	return len;
}

void free_pgd_range(struct mmu_gather *tlb, unsigned long addr,
		    unsigned long end, unsigned long floor,
		    unsigned long ceiling)
{
	WARN_ON(vma_record.tlb_active <= 0);
	vma_record.reloc.pgd_addr = addr;
	vma_record.reloc.pgd_end = end;
	vma_record.reloc.pgd_floor = floor;
	vma_record.reloc.pgd_ceiling = ceiling;
}

/* Record the pages whose PTEs would be zapped: [start, end) of each VMA. */
static void zap_walk(struct ma_state *mas, struct vm_area_struct *vma,
		     unsigned long start_addr, unsigned long end_addr,
		     unsigned long tree_end)
{
	WARN_ON(vma_record.tlb_active <= 0);
	do {
		unsigned long s = max(start_addr, vma->vm_start);
		unsigned long e = min(end_addr, vma->vm_end);

		if (s < e)
			vma_record.pages_zapped += (e - s) >> PAGE_SHIFT;
	} while ((vma = mas_find(mas, tree_end - 1)) != NULL);
}

void unlink_file_vma(struct vm_area_struct *vma);

/* The next VMA free_pgtables() visits, below ceiling. */
static struct vm_area_struct *free_next(struct ma_state *mas,
					unsigned long ceiling)
{
	struct vm_area_struct *next = mas_find(mas, ceiling - 1);

	return xa_is_zero(next) ? NULL : next;
}

/*
 * free_pgtables() frees the page tables between floor and ceiling: that
 * must be the whole gap the VMAs it frees leave, from the end of the
 * nearest VMA that stays below them to the start of the nearest one above
 * (0 where there is none, as the kernel passes it).  Wider, it would free
 * tables that a neighbour still uses; narrower, it would leak some.  VMAs
 * that a MAP_FIXED gathered are still in the tree, marked detached.
 */
static void check_pgtable_bounds(struct mm_struct *mm, unsigned long lo,
				 unsigned long hi, unsigned long floor,
				 unsigned long ceiling)
{
	MA_STATE(below, &mm->mm_mt, lo - 1, lo - 1);
	MA_STATE(above, &mm->mm_mt, hi, hi);
	unsigned long want_floor = FIRST_USER_ADDRESS;
	unsigned long want_ceiling = USER_PGTABLES_CEILING;
	struct vm_area_struct *v;

	while ((v = mas_find_rev(&below, 0)) && v->detached)
		;
	if (v)
		want_floor = v->vm_end;
	while ((v = mas_find(&above, ULONG_MAX)) && v->detached)
		;
	if (v)
		want_ceiling = v->vm_start;
	if (floor != want_floor || ceiling != want_ceiling)
		printk("free_pgtables(floor %#lx, ceiling %#lx) of VMAs in [%#lx, %#lx): the gap around them is [%#lx, %#lx)\n",
		       floor, ceiling, lo, hi, want_floor, want_ceiling);
	WARN_ON(floor != want_floor || ceiling != want_ceiling);
}

#ifdef HAVE_UNLINK_FILE_BATCH
/*
 * What 6.12's free_pgtables() does besides page tables: unlink anon_vmas
 * and files, a hugetlb VMA's file alone, the others' in one batch per
 * run of VMAs it frees together (one i_mmap lock per run of one file).
 */
static void free_walk(struct ma_state *mas, struct vm_area_struct *vma,
		      unsigned long floor, unsigned long ceiling)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long lo = vma->vm_start, hi = vma->vm_end;
	struct unlink_vma_file_batch vb;

	WARN_ON(vma_record.tlb_active <= 0);
	do {
		struct vm_area_struct *next = free_next(mas, ceiling);

		hi = vma->vm_end;
		unlink_anon_vmas(vma);
		vma_record.pgtables_freed++;
		if (is_vm_hugetlb_page(vma)) {
			unlink_file_vma(vma);
			vma = next;
			continue;
		}
		unlink_file_vma_batch_init(&vb);
		unlink_file_vma_batch_add(&vb, vma);
		while (next && !is_vm_hugetlb_page(next)) {
			vma = next;
			hi = vma->vm_end;
			next = free_next(mas, ceiling);
			unlink_anon_vmas(vma);
			unlink_file_vma_batch_add(&vb, vma);
			vma_record.pgtables_freed++;
		}
		unlink_file_vma_batch_final(&vb);
		vma = next;
	} while (vma);
	check_pgtable_bounds(mm, lo, hi, floor, ceiling);
}
#else
/* What free_pgtables() does besides page tables: unlink anon_vmas and files. */
static void free_walk(struct ma_state *mas, struct vm_area_struct *vma,
		      unsigned long floor, unsigned long ceiling)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long lo = vma->vm_start, hi = vma->vm_end;

	WARN_ON(vma_record.tlb_active <= 0);
	do {
		struct vm_area_struct *next = free_next(mas, ceiling);

		hi = vma->vm_end;
		unlink_anon_vmas(vma);
		unlink_file_vma(vma);
		vma_record.pgtables_freed++;
		vma = next;
	} while (vma);
	check_pgtable_bounds(mm, lo, hi, floor, ceiling);
}
#endif

#ifdef HAVE_MM_VMA_C
void unmap_vmas(struct mmu_gather *tlb, struct ma_state *mas,
		struct vm_area_struct *vma, unsigned long start_addr,
		unsigned long end_addr, unsigned long tree_end,
		bool mm_wr_locked)
{
	zap_walk(mas, vma, start_addr, end_addr, tree_end);
}

void free_pgtables(struct mmu_gather *tlb, struct ma_state *mas,
		   struct vm_area_struct *vma, unsigned long floor,
		   unsigned long ceiling, bool mm_wr_locked)
{
	free_walk(mas, vma, floor, ceiling);
}
#else
/* 6.1 hands over the tree of detached VMAs: walk it from vma on. */
void unmap_vmas(struct mmu_gather *tlb, struct maple_tree *mt,
		struct vm_area_struct *vma, unsigned long start_addr,
		unsigned long end_addr)
{
	MA_STATE(mas, mt, vma->vm_end, vma->vm_end);

	zap_walk(&mas, vma, start_addr, end_addr, end_addr);
}

void free_pgtables(struct mmu_gather *tlb, struct maple_tree *mt,
		   struct vm_area_struct *vma, unsigned long floor,
		   unsigned long ceiling)
{
	MA_STATE(mas, mt, vma->vm_end, vma->vm_end);

	free_walk(&mas, vma, floor, ceiling);
}
#endif

#endif /* HAVE_VMA_SUITE */
