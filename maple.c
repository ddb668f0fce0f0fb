// SPDX-License-Identifier: GPL-2.0
/*
 * The maple tree suite: long random sequences of maple tree operations, each
 * applied to the kernel's lib/maple_tree.c and to the reference model
 * (model.c), with every answer compared.
 *
 * An op is plain data (struct mop): its type and arguments, and a seed for
 * the choices it makes while it runs (when to pause an iteration, what to
 * change meanwhile).  Generating an op and applying it are separate, so that
 * the same engine can later be fed from a replay file or a fuzzer.
 *
 * Entries are xa_mk_value(op number), or for every eighth op one that looks
 * internal (mk_entry()): an entry in a wrong place names the op
 * that stored it.
 */
#include <stdlib.h>
#include <time.h>
#include <linux/kernel.h>
#include <linux/maple_tree.h>
#include <linux/xarray.h>
#include <linux/gfp.h>
#include <generated/features.h>
#include "maple_check.h"
#include "model.h"
#include "slab_test.h"
#include "runner.h"
#include "test.h"

/* Where the generators draw indices from; one per sequence. */
enum profile {
	P_DENSE,	/* a few thousand indices from 0: many levels, many splits */
	P_MMAP,		/* page-aligned ranges in a 47-bit space, as the mm uses */
	P_SPARSE,	/* anywhere in 64 bits, ranges of every magnitude */
	P_EDGES,	/* both ends of the index space: 0 and ULONG_MAX */
	P_MIXED,	/* each op picks one of the above */
	P_TINY,		/* 0..15: a root entry, one leaf, every edge at once */
	NR_PROFILES
};

static const char *const profile_names[] = {
	"dense", "mmap", "sparse", "edges", "mixed", "tiny",
};

/* Sequences move between phases so that trees grow tall and shrink again. */
enum phase { PH_GROW, PH_SHRINK, PH_MIXED, NR_PHASES };

enum mop_type {
	MOP_STORE,
	MOP_STORE_NULL,
	MOP_INSERT,
	MOP_ERASE,
	MOP_LOAD,
	MOP_MAS_STORE,
	MOP_MAS_PREALLOC,
	MOP_MAS_PREALLOC_DESTROY,
	MOP_MAS_ERASE,
	MOP_MAS_WALK,
	MOP_FIND,
	MOP_FIND_REV,
	MOP_MT_FIND,
	MOP_STEP,
	MOP_FIND_RANGE,
	MOP_MT_STEP,
	MOP_BULK,
	MOP_EMPTY_AREA,
	MOP_EMPTY_AREA_REV,
	MOP_ALLOC_RANGE,
	MOP_ALLOC_RRANGE,
	MOP_ALLOC_CYCLIC,
	MOP_DUP,
	MOP_DESTROY,
	MOP_CHECK,
	MOP_BULK_TRIM,
	MOP_DUMP,
	MOP_FIND_STORE,
	MOP_RCU_TOGGLE,
	MOP_EMPTY_AREA_AGAIN,
	NR_MOPS
};

struct maple_run {
	struct maple_tree trees[2];	/* mtree_dup() needs a second one */
	struct maple_tree *mt;
	struct model model;
	struct rng rng;			/* generates the ops */
	struct rng check_rng;		/* picks what the checks look at */
	unsigned int flags;
	enum profile profile;
	enum phase phase;
	unsigned long phase_end;
	unsigned long op_nr;
	struct test_op op;
	bool check;			/* false: kernel ops alone (--bench) */
	unsigned long injected_blocking;	/* may-block failures before this op */
	unsigned long cyclic_next;	/* mtree_alloc_cyclic()'s *next */
	bool cyclic_wrapped;		/* and the tree's ALLOC_WRAPPED flag */
	bool ever_rcu;			/* RCU mode turned on mid-sequence */
};

static struct maple_run run;

/* What an op does, its weight in each phase, and whether it needs an alloc tree. */
struct mop_info {
	const char *name;
	bool (*apply)(struct maple_run *r, const struct test_op *op);
	unsigned int weight[NR_PHASES];
	bool alloc_only;
};

/*
 * Every eighth op stores an entry that looks internal (test.h): the root
 * cannot hold one, since it would pass for a node (mas_store_root()).
 */
static void *mk_entry(unsigned long op_nr)
{
	if (op_nr % 8 == 3)
		return xa_mk_internal(ENTRY_INTERNAL_BASE + op_nr);
	return xa_mk_value(op_nr);
}

/*
 * What an advanced-API store writes: c 0 NULL, 2 XA_ZERO_ENTRY (as
 * dup_mmap() stores over what it could not copy: mtree_load() and
 * mt_find() take it for NULL, the rest return it), else mk_entry().
 */
static void *store_entry(struct maple_run *r, const struct test_op *op)
{
	if (op->c == 2)
		return XA_ZERO_ENTRY;
	return op->c ? mk_entry(r->op_nr) : NULL;
}

/* A bulk op's ranges: mostly up to BULK_SMALL, now and then BULK_MAX. */
#define BULK_SMALL	600
#define BULK_MAX	(BULK_SMALL * 16)

/* Entry i of a bulk op: still names the op, in its high bits. */
static void *bulk_entry(struct maple_run *r, unsigned long i)
{
	return xa_mk_value(r->op_nr << 16 | i);
}

#ifdef HAVE_MAS_NEXT_RANGE
#define HAS_RANGE_STEPS	true
#else
#define HAS_RANGE_STEPS	false
#endif

static bool root_only(struct maple_run *r);
static bool op_destroy(struct maple_run *r, const struct test_op *op);

/* ---- Checks ---- */

/* One index: mtree_load() against the model. */
static bool check_index(struct maple_run *r, unsigned long index)
{
	return check_load(r->mt, &r->model, index);
}

/* After a write to [first, last]: its edges, and one index inside. */
static bool check_around(struct maple_run *r, unsigned long first,
			 unsigned long last)
{
	return check_edges(r->mt, &r->model, first, last) &&
	       check_index(r, first + rng_below(&r->check_rng, last - first + 1));
}

static bool check_tree(struct maple_run *r)
{
	return check_whole(r->mt, &r->model);
}

/* ---- Ops: each applies one struct test_op and checks what it can ---- */

/*
 * Whether the op failed for want of memory that the fault injection took
 * away: then it must have changed nothing, which the caller checks.  Every
 * op here passes GFP_KERNEL (but store_nowait()'s, which checks its own),
 * so a failed GFP_NOWAIT attempt must be retried with it (mas_nomem()):
 * only a failed allocation that may block excuses -ENOMEM.
 */
static bool nomem(struct maple_run *r, int ret)
{
	return ret == -ENOMEM &&
	       slab_faults.injected_blocking != r->injected_blocking;
}

/*
 * NULL stored over [0, ULONG_MAX] replaces the root: the tree must be
 * empty after it, unless the store fit one slot exactly (a tree of one
 * range [0, ULONG_MAX], or of none, which may be one NULL slot), which
 * 6.12 writes in place.
 */
static bool new_root(struct maple_run *r)
{
	struct model_range n;

	return r->model.count && !(r->model.count == 1 &&
				   model_find(&r->model, 0, &n) &&
				   !n.first && n.last == ULONG_MAX);
}

/*
 * A store of entry over [first, last] came back with ret: it happened,
 * unless the fault injection took its memory and it changed nothing.
 * Either way the edges must agree with the model.
 */
static bool expect_store(struct maple_run *r, int ret, unsigned long first,
			 unsigned long last, void *entry)
{
	bool empties = !entry && !first && last == ULONG_MAX && new_root(r);

	if (!nomem(r, ret)) {
		ASSERT_EQ(ret, 0);
		model_store(&r->model, first, last, entry);
		if (empties)
			ASSERT_TRUE(mtree_empty(r->mt));
	}
	return check_around(r, first, last);
}

/*
 * One store or insert in 32 (r bits 1-5 clear; the op reads bit 0 alone)
 * first tries an advanced entry, one of the internal entries up to
 * XA_RETRY_ENTRY that the tree's walks would take for a marker: the normal
 * API must WARN and return -EINVAL before it locks or allocates, so the
 * tree, and the op's own call that follows, are as they would have been.
 */
static bool refuses_advanced(struct maple_run *r, const struct test_op *op,
			     bool insert)
{
	void *entry = xa_mk_internal((op->r >> 6) % 257);
	int ret;

	if (!r->check || (op->r & 0x3e))
		return true;
	warn_expected = "xa_is_advanced(entry)";
	warn_expected_seen = 0;
	if (insert)
		ret = mtree_insert_range(r->mt, op->a, op->b, entry, GFP_KERNEL);
	else
		ret = mtree_store_range(r->mt, op->a, op->b, entry, GFP_KERNEL);
	warn_expected = NULL;
	ASSERT_EQ(warn_expected_seen, 1);
	ASSERT_EQ(ret, -EINVAL);
	return op->a > op->b || check_edges(r->mt, &r->model, op->a, op->b);
}

static bool op_store(struct maple_run *r, const struct test_op *op)
{
	void *entry = mk_entry(r->op_nr);
	int ret;

	if (!refuses_advanced(r, op, false))
		return false;

	/* One index, with odd r: the single-index form. */
	if (op->a == op->b && (op->r & 1))
		ret = mtree_store(r->mt, op->a, entry, GFP_KERNEL);
	else
		ret = mtree_store_range(r->mt, op->a, op->b, entry, GFP_KERNEL);
	if (!r->check)
		return true;
	if (op->a > op->b) {
		ASSERT_EQ(ret, -EINVAL);
		return true;
	}
	return expect_store(r, ret, op->a, op->b, entry);
}

static bool op_store_null(struct maple_run *r, const struct test_op *op)
{
	int ret = mtree_store_range(r->mt, op->a, op->b, NULL, GFP_KERNEL);

	if (!r->check)
		return true;
	if (op->a > op->b) {
		ASSERT_EQ(ret, -EINVAL);
		return true;
	}
	return expect_store(r, ret, op->a, op->b, NULL);
}

static bool op_insert(struct maple_run *r, const struct test_op *op)
{
	void *entry = mk_entry(r->op_nr);
	int ret;

	if (!refuses_advanced(r, op, true))
		return false;

	if (op->a == op->b && (op->r & 1))
		ret = mtree_insert(r->mt, op->a, entry, GFP_KERNEL);
	else
		ret = mtree_insert_range(r->mt, op->a, op->b, entry, GFP_KERNEL);

	if (!r->check)
		return true;
	if (op->a > op->b) {
		ASSERT_EQ(ret, -EINVAL);
		return true;
	}
	if (nomem(r, ret))
		return check_around(r, op->a, op->b);
	if (model_any(&r->model, op->a, op->b)) {
		ASSERT_EQ(ret, -EEXIST);
		return check_around(r, op->a, op->b);
	}
	return expect_store(r, ret, op->a, op->b, entry);
}

/* The entry at index as stored: mtree_load() takes XA_ZERO_ENTRY for NULL. */
static void *load_raw(struct maple_tree *mt, unsigned long index)
{
	MA_STATE(mas, mt, index, index);
	void *entry;

	rcu_read_lock();
	entry = mas_walk(&mas);
	rcu_read_unlock();
	return entry;
}

/*
 * Erasing an index erases the whole range that holds it.  An erase cannot
 * report -ENOMEM: when the fault injection took its memory it may have
 * done nothing, and said nothing.
 */
static bool check_erase(struct maple_run *r, unsigned long index, void *entry)
{
	struct model_range want = { .entry = NULL };

	if (model_lookup(&r->model, index, &want) &&
	    !(nomem(r, -ENOMEM) && load_raw(r->mt, index) == want.entry))
		model_store(&r->model, want.first, want.last, NULL);
	ASSERT_ENTRY(entry, want.entry);
	if (want.entry)
		return check_around(r, want.first, want.last);
	return check_index(r, index);
}

static bool op_erase(struct maple_run *r, const struct test_op *op)
{
	void *entry = mtree_erase(r->mt, op->a);

	if (!r->check)
		return true;
	return check_erase(r, op->a, entry);
}

static bool op_load(struct maple_run *r, const struct test_op *op)
{
	if (!r->check) {
		mtree_load(r->mt, op->a);
		return true;
	}
	return check_index(r, op->a);
}

/*
 * mas_store_gfp() with GFP_NOWAIT, under the tree's lock, as a caller that
 * may not sleep passes it: mas_nomem() retries with it, and may drop the
 * lock to allocate only for a gfp that may block.  Any failed allocation
 * may then end in -ENOMEM.
 */
static bool store_nowait(struct maple_run *r, struct ma_state *mas,
			 void *entry, int *ret)
{
	unsigned long released = spin_releases;

	*ret = mas_store_gfp(mas, entry, GFP_NOWAIT);
	if (!r->check || spin_releases == released)
		return true;
	test_fail(__FILE__, __LINE__,
		  "mas_store_gfp(GFP_NOWAIT) [%#lx, %#lx] released the tree's lock %lu times",
		  mas->index, mas->last, spin_releases - released);
	return false;
}

/* Whether this tree has the known bug HAVE_BUG_LIMIT_BEFORE_STATE. */
static bool limit_before_state(void)
{
#ifdef HAVE_BUG_LIMIT_BEFORE_STATE
	return true;
#else
	return false;
#endif
}

static void *step(struct ma_state *mas, bool fwd, bool ranges,
		  unsigned long limit)
{
#ifdef HAVE_MAS_NEXT_RANGE
	if (ranges)
		return fwd ? mas_next_range(mas, limit) : mas_prev_range(mas, limit);
#endif
	return fwd ? mas_next(mas, limit) : mas_prev(mas, limit);
}

#ifdef HAVE_MAS_STATUS
/* mas_find(), mas_find_rev(), or their _range forms, to limit. */
static void *find_call(struct ma_state *mas, bool fwd, bool ranges,
		       unsigned long limit)
{
#ifdef HAVE_MAS_FIND_RANGE
	if (ranges)
		return fwd ? mas_find_range(mas, limit) :
			     mas_find_range_rev(mas, limit);
#endif
	return fwd ? mas_find(mas, limit) : mas_find_rev(mas, limit);
}

/* The name of step() (find false) or find_call() (find true), for reports. */
static const char *call_name(bool find, bool ranges, bool fwd)
{
	static const char *const names[2][2][2] = {
		{ { "mas_prev", "mas_next" },
		  { "mas_prev_range", "mas_next_range" } },
		{ { "mas_find_rev", "mas_find" },
		  { "mas_find_range_rev", "mas_find_range" } },
	};

	return names[find][ranges][fwd];
}
#endif

/*
 * A store that ran out of memory leaves its state in error (6.12's
 * ma_error).  An iteration from there (r bits 20-21: mas_find(),
 * mas_find_rev(), mas_next() or mas_prev()) must find nothing and leave
 * the error as it is: no walk from a node that is an error code.
 */
static bool read_after_error(struct ma_state *mas, uint64_t r)
{
#ifdef HAVE_MAS_STATUS
	static const char *const names[] = {
		"mas_find", "mas_find_rev", "mas_next", "mas_prev",
	};
	unsigned int how = (r >> 20) & 3;
	bool fwd = !(how & 1);
	void *entry;
	char g[32];

	/*
	 * HAVE_BUG_LIMIT_BEFORE_STATE: a state at the limit of mas_next()
	 * or mas_prev() turns over- or underflowed, error or not, and keeps
	 * the error code as its node (README).
	 */
	if (limit_before_state() && !opts.known_bugs &&
	    ((how == 2 && mas->last == ULONG_MAX) || (how == 3 && !mas->index)))
		return true;
	rcu_read_lock();
	if (how & 2)
		entry = step(mas, fwd, false, fwd ? ULONG_MAX : 0);
	else
		entry = find_call(mas, fwd, false, fwd ? ULONG_MAX : 0);
	rcu_read_unlock();
	if (!entry && mas->status == ma_error && xa_err(mas->node) == -ENOMEM)
		return true;
	test_fail(__FILE__, __LINE__,
		  "%s from the error state of a store that failed with -ENOMEM returned %s, status %s, node %p: expected NULL, and the error kept",
		  names[how], fmt_entry(g, sizeof(g), entry),
		  mas_status_name(mas->status), mas->node);
	return false;
#else
	return true;
#endif
}

/*
 * Another writer that takes the tree's lock while a NULL mas_store_gfp()
 * has dropped it in mas_nomem() to allocate: it stores at the index just
 * after the op's range, or just before it, where nothing is.  A NULL store
 * widens its range over the NULL slots beside it before it allocates; the
 * retry must write [a, b] again, not that range, or it erases the other
 * writer's entry.
 */
struct interloper {
	struct maple_run *r;
	unsigned long index;
};

static __thread struct interloper *interloper;

static void interloper_store(spinlock_t *lock)
{
	struct maple_run *r = interloper->r;
	unsigned long index = interloper->index;
	void *entry = mk_entry(r->op_nr);

	if (lock != &r->mt->ma_lock)
		return;
	spin_acquire_hook = NULL;
	if (!mtree_store_range(r->mt, index, index, entry, GFP_KERNEL))
		model_store(&r->model, index, index, entry);
}

/* Where the other writer stores: beside [a, b], where nothing is. */
static bool interloper_index(struct maple_run *r, const struct test_op *op,
			     unsigned long *index)
{
	struct model_range slot;

	if (op->b != ULONG_MAX) {
		model_slot(&r->model, op->b + 1, &slot);
		if (!slot.entry) {
			*index = op->b + 1;
			return true;
		}
	}
	if (op->a) {
		model_slot(&r->model, op->a - 1, &slot);
		if (!slot.entry) {
			*index = op->a - 1;
			return true;
		}
	}
	return false;
}

/*
 * Whether a NULL mas_store_gfp() (r bit 22) meets the other writer
 * (interloper_store()): 6.1 retries with the widened range, a known bug
 * (HAVE_BUG_STORE_GFP_RETRY_WIDE), unless --known-bugs.
 */
static bool meets_interloper(struct maple_run *r, const struct test_op *op,
			     const void *entry, struct interloper *il)
{
#ifdef HAVE_BUG_STORE_GFP_RETRY_WIDE
	if (!opts.known_bugs)
		return false;
#endif
	il->r = r;
	return r->check && !entry && (op->r & (1 << 22)) &&
	       interloper_index(r, op, &il->index);
}

#ifdef HAVE_MAS_INIT
/* mas_init() makes the state that MA_STATE(addr, addr) does, field by field. */
static bool check_mas_init(const struct ma_state *mas, struct maple_tree *mt,
			   unsigned long addr)
{
	MA_STATE(want, mt, addr, addr);

	ASSERT_TRUE(mas->tree == want.tree);
	ASSERT_EQ(mas->index, want.index);
	ASSERT_EQ(mas->last, want.last);
	ASSERT_EQ(mas->min, want.min);
	ASSERT_EQ(mas->max, want.max);
	ASSERT_EQ(mas->status, want.status);
	ASSERT_TRUE(mas->node == want.node);
	ASSERT_TRUE(mas->alloc == want.alloc);
	ASSERT_EQ(mas->offset, want.offset);
	ASSERT_EQ(mas->mas_flags, want.mas_flags);
	return true;
}
#endif

/*
 * mas_store_gfp(), or for odd r the open-coded form: mas_store() and
 * mas_nomem() until it stops asking for memory; with bits 12-14 of r
 * clear too, GFP_NOWAIT (store_nowait()): one op in sixteen, as r is a
 * full random draw here (counted: 124 of 2000 ops from seed 1).
 *
 * With bit 23 of r, a store of one index ([a, a]) builds its state with
 * mas_init(), as the kernel's vma_iter_init() does (brk looks its VMAs
 * up from one): the state must hold [a, a], as MA_STATE() makes it, and
 * the write must cover just that index.
 */
static bool op_mas_store(struct maple_run *r, const struct test_op *op)
{
	void *entry = store_entry(r, op);
	MA_STATE(mas, r->mt, op->a, op->b);
	bool nowait = !(op->r & 1) && !((op->r >> 12) & 7), ok = true;
	unsigned long injected = slab_faults.injected;
	struct interloper il;
	int ret;

#ifdef HAVE_MAS_INIT
	if (op->a == op->b && (op->r & (1UL << 23))) {
		mas_init(&mas, r->mt, op->a);
		if (!check_mas_init(&mas, r->mt, op->a))
			return false;
	}
#endif
	mtree_lock(r->mt);
	if (op->r & 1) {
		do {
			mas_store(&mas, entry);
		} while (mas_nomem(&mas, GFP_KERNEL));
		ret = xa_err(mas.node);
		mas_destroy(&mas);
	} else if (nowait) {
		ok = store_nowait(r, &mas, entry, &ret);
	} else {
		if (meets_interloper(r, op, entry, &il)) {
			interloper = &il;
			spin_acquire_hook = interloper_store;
		}
		ret = mas_store_gfp(&mas, entry, GFP_KERNEL);
		spin_acquire_hook = NULL;
	}
	mtree_unlock(r->mt);
	if (!ok || !r->check)
		return ok;
	if (ret == -ENOMEM && !read_after_error(&mas, op->r))
		return false;
	/* No memory, as GFP_NOWAIT allows: the tree must be as it was. */
	if (nowait && ret == -ENOMEM && slab_faults.injected != injected)
		return check_around(r, op->a, op->b);
	return expect_store(r, ret, op->a, op->b, entry);
}

/*
 * mas_preallocate() then mas_store_prealloc(), as the VMA code writes.  Its
 * GFP_KERNEL allocation may sleep: the VMA code holds mmap_lock, a sleeping
 * lock; here the tree's spinlock is taken for the store only.
 *
 * One in eight (bits 16-18 of r clear) first preallocates for another
 * write on the same state, [a, a] or [a, ULONG_MAX] by bit 19, as
 * mmap_region() did before a merge changed its mind: the second
 * mas_preallocate() must top the state up to what [a, b] needs (a state
 * that keeps its nodes and its "preallocated" flag must not refuse to
 * allocate more), and the store must give back what it did not use.
 */
static bool op_mas_prealloc(struct maple_run *r, const struct test_op *op)
{
	void *entry = store_entry(r, op);
	MA_STATE(mas, r->mt, op->a, op->b);
	int ret;

	if (!((op->r >> 16) & 7)) {
		mas_set_range(&mas, op->a, op->r & (1 << 19) ? ULONG_MAX : op->a);
		/* A failure leaves the state as new: go on either way. */
		mas_preallocate(&mas, entry, GFP_KERNEL);
		mas_set_range(&mas, op->a, op->b);
	}
	ret = mas_preallocate(&mas, entry, GFP_KERNEL);
	if (!ret) {
		mtree_lock(r->mt);
		mas_store_prealloc(&mas, entry);
		mtree_unlock(r->mt);
	}
	if (!r->check)
		return true;
	return expect_store(r, ret, op->a, op->b, entry);
}

/*
 * mas_preallocate(), then a change of mind: mas_destroy() must give back
 * every node, and the tree must not change.
 */
static bool op_mas_prealloc_destroy(struct maple_run *r, const struct test_op *op)
{
	void *entry = op->c ? mk_entry(r->op_nr) : NULL;
	MA_STATE(mas, r->mt, op->a, op->b);
	long before = slab_thread_live;
	int ret;

	ret = mas_preallocate(&mas, entry, GFP_KERNEL);
	mas_destroy(&mas);
	if (!r->check)
		return true;
	if (!nomem(r, ret))
		ASSERT_EQ(ret, 0);
	/* Counted in this thread: RCU callbacks free in their own. */
	ASSERT_EQ(slab_thread_live, before);
	return check_around(r, op->a, op->b);
}

static bool op_mas_erase(struct maple_run *r, const struct test_op *op)
{
	MA_STATE(mas, r->mt, op->a, op->a);
	void *entry;

	mtree_lock(r->mt);
	entry = mas_erase(&mas);
	mtree_unlock(r->mt);
	if (!r->check)
		return true;
	return check_erase(r, op->a, entry);
}

/* mas_walk() gives the range holding the index, or the gap around it. */
static bool op_mas_walk(struct maple_run *r, const struct test_op *op)
{
	MA_STATE(mas, r->mt, op->a, op->a);
	struct model_range want;
	void *entry;

	rcu_read_lock();
#ifdef HAVE_MAS_WALK_RESET
	/*
	 * With c, from the state a walk to b left active, its index set
	 * directly, as lib/test_maple_tree.c's "mas_walk active -> active"
	 * does: mas_walk() must not search only the node it stands on.  (6.1
	 * walks on from that node: its callers reset the state first.)
	 */
	if (op->c) {
		mas_set(&mas, op->b);
		mas_walk(&mas);
		mas.index = mas.last = op->a;
	}
#endif
	/*
	 * With bit 1 of r, a state whose last is not its index, as a range
	 * op or mas_set_range() leaves it: mas_walk() searches for the index
	 * alone and must set last itself, for an entry in the root too.
	 */
	if (op->r & 2)
		mas.last = ULONG_MAX;
	entry = mas_walk(&mas);
	rcu_read_unlock();
	if (!r->check)
		return true;
	model_slot(&r->model, op->a, &want);
	ASSERT_ENTRY(entry, want.entry);
	ASSERT_EQ(mas.index, want.first);
	ASSERT_EQ(mas.last, want.last);
	return true;
}

/*
 * While an iteration is paused (the lock is held), change the tree near the
 * iterator: ahead of it, over the range it just returned, or behind it.
 */
static bool change_while_paused(struct maple_run *r, struct rng *sub,
				unsigned long pos)
{
	unsigned long first, last;
	void *entry = rng_percent(sub, 30) ? NULL : mk_entry(r->op_nr);
	MA_STATE(mas, r->mt, 0, 0);
	int ret;

	first = pos + rng_below(sub, 64) - 32;
	if (first > pos && pos < 32)
		first = 0;
	last = first + rng_below(sub, 64);
	if (last < first)
		last = ULONG_MAX;
	mas_set_range(&mas, first, last);
	ret = mas_store_gfp(&mas, entry, GFP_KERNEL);
	if (!r->check || nomem(r, ret))
		return true;
	ASSERT_EQ(ret, 0);
	model_store(&r->model, first, last, entry);
	return true;
}

/* A step found entry at the state's range: the model's first from next. */
static bool check_step(struct maple_run *r, const struct ma_state *mas,
		       void *entry, unsigned long next, unsigned long max)
{
	struct model_range want = { .entry = NULL };

	if (!model_find(&r->model, next, &want) || want.first > max)
		want.entry = NULL;
	ASSERT_ENTRY(entry, want.entry);
	if (entry) {
		ASSERT_EQ(mas->index, want.first);
		ASSERT_EQ(mas->last, want.last);
	}
	return true;
}

/*
 * Since 6.12 a search that came up empty may go on with a larger max: the
 * next call finds what lies after the last range seen.
 */
static bool find_more(struct maple_run *r, struct ma_state *mas,
		      unsigned long next, unsigned long seen)
{
#ifdef HAVE_MAS_STATUS
	void *entry;

	if (!seen || rng_percent(&r->check_rng, 50))
		return true;
	rcu_read_lock();
	entry = mas_find(mas, ULONG_MAX);
	rcu_read_unlock();
	return check_step(r, mas, entry, next, ULONG_MAX);
#else
	return true;
#endif
}

/*
 * The last index of the state op_find() starts from: by r bits 40-41 (the
 * op reads r only as its sub-generator's seed) at 1, ULONG_MAX; at 2, one
 * past the search's max (unless that is ULONG_MAX), as mas_set_range() or
 * a range a walk or store left that mas_reset() kept makes a state.  The
 * first mas_find() must look from the index alone and return the first
 * entry in [index, max], whatever last says.
 */
static unsigned long find_start_last(const struct test_op *op)
{
	unsigned long last = op->a;

	switch ((op->r >> 40) & 3) {
	case 1:
		last = ULONG_MAX;
		break;
	case 2:
		if (op->b < ULONG_MAX && op->b + 1 > op->a)
			last = op->b + 1;
		break;
	}
	return last;
}

/*
 * mas_for_each() from a to b; every answer must be the model's next range
 * after the last one seen.  The iteration pauses now and then, and the tree
 * may change while it is paused: it must resume after the last range seen.
 */
static bool op_find(struct maple_run *r, const struct test_op *op)
{
	MA_STATE(mas, r->mt, op->a, op->a);
	unsigned long next = op->a, seen = 0;
	struct model_range want;
	struct rng sub;
	bool more = true, ok = true;
	void *entry;

	rng_seed(&sub, op->r);
	mas.last = find_start_last(op);
	mtree_lock(r->mt);
	mas_for_each(&mas, entry, op->b) {
		if (!r->check)
			goto step;
		more = next <= op->b && model_find(&r->model, next, &want) &&
		       want.first <= op->b;
		if (!more) {
			test_fail(__FILE__, __LINE__,
				  "mas_find() after %#lx returned [%#lx, %#lx], the model has nothing up to %#lx",
				  next, mas.index, mas.last, op->b);
			ok = false;
			break;
		}
		if (entry != want.entry || mas.index != want.first ||
		    mas.last != want.last) {
			char e[32], s[32];

			test_fail(__FILE__, __LINE__,
				  "mas_find() after %#lx: expected [%#lx, %#lx] %s, got [%#lx, %#lx] %s",
				  next, want.first, want.last,
				  fmt_entry(e, sizeof(e), want.entry),
				  mas.index, mas.last,
				  fmt_entry(s, sizeof(s), entry));
			ok = false;
			break;
		}
step:
		if (mas.last == ULONG_MAX || ++seen >= op->c)
			break;
		next = mas.last + 1;
		if (rng_percent(&sub, 20)) {
			mas_pause(&mas);
			if (rng_percent(&sub, 50) &&
			    !(ok = change_while_paused(r, &sub, next)))
				break;
		}
	}
	mtree_unlock(r->mt);
	if (!ok || !r->check)
		return ok;
	/* The loop ended by itself: the model must have nothing more. */
	if (!entry && seen < op->c) {
		more = next <= op->b && model_find(&r->model, next, &want) &&
		       want.first <= op->b;
		if (more) {
			test_fail(__FILE__, __LINE__,
				  "mas_find() after %#lx returned NULL, expected [%#lx, %#lx] (max %#lx, first call from a state [%#lx, %#lx])",
				  next, want.first, want.last, op->b, op->a,
				  find_start_last(op));
			return false;
		}
		return find_more(r, &mas, next, seen);
	}
	return true;
}

/*
 * What op_find_store() does to a range [i, l] the iteration found, through
 * the iterating state itself, the way mprotect() changes VMAs through its
 * loop's iterator (vma_iter_config(), then a store) and goes on with
 * vma_find(): store over it again, store NULL, mas_erase() it, store over
 * its tail, its head, or it and the indices after it (a quarter of those
 * from inside it, up to the end of the slot after it: the slot store that
 * writes into the next slot and must move the state's offset there, or
 * the next step finds what it wrote again), or preallocate and
 * mas_store_prealloc() over it.
 */
enum find_store { FS_OVERWRITE, FS_NULL, FS_ERASE, FS_TAIL, FS_HEAD, FS_GROW,
		  FS_PREALLOC, NR_FIND_STORES };

/* The last index of the slot (a range or a gap) that holds index. */
static unsigned long slot_end(struct maple_tree *mt, unsigned long index)
{
	MA_STATE(mas, mt, index, index);

	mas_walk(&mas);
	return mas.last;
}

/*
 * The range a find_store kind writes over [i, l] in mt (locked); false if
 * it cannot.
 */
static bool find_store_range(enum find_store kind, struct rng *sub,
			     struct maple_tree *mt, unsigned long i,
			     unsigned long l, unsigned long *first,
			     unsigned long *last)
{
	unsigned long len = l - i, v;

	*first = i;
	*last = l;
	switch (kind) {
	case FS_TAIL:
		if (!len)
			return false;
		*first = i + 1 + rng_below(sub, len);
		break;
	case FS_HEAD:
		if (!len)
			return false;
		*last = l - 1 - rng_below(sub, len);
		break;
	case FS_GROW:
		/* v >> 2 is the draw of 64 that it was; v & 3 is new. */
		v = rng_below(sub, 256);
		*last = l + 1 + (v >> 2);
		if (*last <= l) {
			*last = ULONG_MAX;
		} else if (!(v & 3) && len) {
			*first = l - (v >> 2) % len;
			*last = slot_end(mt, l + 1);
		}
		break;
	default:
		break;
	}
	return true;
}

/*
 * A store may leave the state to start again (6.12: a store into the root
 * pointer, a new root): the next mas_find() is then a first call, which
 * finds from mas->index, the range just written included.
 */
static bool state_is_start(const struct ma_state *mas)
{
#ifdef HAVE_MAS_STATUS
	return mas->status == ma_start;
#else
	return mas->node == MAS_START;
#endif
}

/*
 * Store entry through mas, with the tree's lock held: mas_store_gfp(),
 * or as mmap_region() does, mas_preallocate() and mas_store_prealloc().
 */
static int store_locked(struct maple_run *r, struct ma_state *mas,
			void *entry, bool prealloc)
{
	int ret;

	if (!prealloc)
		return mas_store_gfp(mas, entry, GFP_KERNEL);
	/* It may sleep: off the spinlock, as mas_nomem() does. */
	mtree_unlock(r->mt);
	ret = mas_preallocate(mas, entry, GFP_KERNEL);
	mtree_lock(r->mt);
	if (!ret)
		mas_store_prealloc(mas, entry);
	return ret;
}

/*
 * One change at the range the state found; *next is where the iteration
 * goes on (0 after a change up to ULONG_MAX).  Returns 0; -ENOMEM when the
 * fault injection took the memory (the tree must then be as it was, and
 * the iteration stops); -EINVAL when a check failed.
 */
static int find_store_one(struct maple_run *r, struct ma_state *mas,
			  struct rng *sub, unsigned long *next)
{
	enum find_store kind = rng_below(sub, NR_FIND_STORES);
	unsigned long first, last;
	void *entry;
	int ret = 0;

#ifdef HAVE_BUG_ERASE_ROOT_STATE
	/* A known kernel bug (scripts/probe) at a root entry [0, 0]. */
	if (kind == FS_ERASE && !opts.known_bugs && !mas->index &&
	    r->model.count == 1)
		kind = FS_NULL;
#endif
	entry = kind == FS_NULL ? NULL : mk_entry(r->op_nr);

	if (!find_store_range(kind, sub, r->mt, mas->index, mas->last, &first,
			      &last))
		return 0;
	if (kind == FS_ERASE) {
		void *old = mas_erase(mas);

		*next = state_is_start(mas) ? mas->index : last + 1;
		if (!r->check)
			return 0;
		if (nomem(r, -ENOMEM) && load_raw(r->mt, first) == old)
			return -ENOMEM;		/* the erase had no memory */
		return check_erase(r, first, old) ? 0 : -EINVAL;
	}
	/* vma_iter_config(): a new range for the state, which stays active. */
	mas->index = first;
	mas->last = last;
	ret = store_locked(r, mas, entry, kind == FS_PREALLOC);
	*next = state_is_start(mas) ? mas->index : last + 1;
	if (!r->check)
		return ret;
	if (!expect_store(r, ret, first, last, entry))
		return -EINVAL;
	return ret;
}

/*
 * Whether a store at first may go through the state as it is, without a
 * reset.  Since 6.8 (HAVE_MAS_STATUS) the rule of vma_iter_store(): a
 * state that is not active is reset by the store itself, and an active
 * one must hold first in its range (__mas_set_range() warns otherwise).
 * 6.1's mm code resets the state before every store (mas_set_range()),
 * and the active state its mas_find() leaves when it runs out loses a
 * store made through it at its own index: there, only MAS_NONE and
 * MAS_PAUSE, which mas_wr_store_setup() resets, are stored through.
 */
static bool may_store_through(const struct ma_state *mas, unsigned long first)
{
#ifdef HAVE_MAS_STATUS
	return mas->status != ma_active ||
	       (mas->index <= first && first <= mas->last);
#else
	return mas->node == MAS_START || mas->node == MAS_NONE ||
	       mas->node == MAS_PAUSE;
#endif
}

static bool state_none(const struct ma_state *mas)
{
#ifdef HAVE_MAS_STATUS
	return mas->status == ma_none;
#else
	return mas->node == MAS_NONE;
#endif
}

/* The last index of a range of up to 16 from first. */
static unsigned long range_end(struct rng *sub, unsigned long first)
{
	unsigned long last = first + rng_below(sub, 16);

	return last < first ? ULONG_MAX : last;
}

/* A range of up to 16 indices from within 256 of x. */
static void pick_range(struct rng *sub, unsigned long x,
		       unsigned long *first, unsigned long *last)
{
	unsigned long lo = x >= 256 ? x - 256 : 0;
	unsigned long hi = x <= ULONG_MAX - 256 ? x + 256 : ULONG_MAX;

	*first = lo + rng_below(sub, hi - lo + 1);
	*last = range_end(sub, *first);
}

/*
 * Store [first, last] through mas (mtree_store_range() if NULL), checked,
 * half the time preallocated (store_locked()): both must take the state
 * as it is.
 */
static bool store_checked(struct maple_run *r, struct ma_state *mas,
			  struct rng *sub, unsigned long first,
			  unsigned long last)
{
	void *entry = mk_entry(r->op_nr);
	int ret;

	r->injected_blocking = slab_faults.injected_blocking;
	if (mas) {
		mas->index = first;
		mas->last = last;
		mtree_lock(r->mt);
		ret = store_locked(r, mas, entry, !rng_percent(sub, 50));
		mtree_unlock(r->mt);
	} else {
		ret = mtree_store_range(r->mt, first, last, entry, GFP_KERNEL);
	}
	return !r->check || expect_store(r, ret, first, last, entry);
}

/* mas_erase() at index through mas, checked. */
static bool erase_checked(struct maple_run *r, struct ma_state *mas,
			  unsigned long index)
{
	void *old;

	r->injected_blocking = slab_faults.injected_blocking;
	mas->index = index;
	mas->last = index;
	mtree_lock(r->mt);
	old = mas_erase(mas);
	mtree_unlock(r->mt);
	return !r->check || check_erase(r, index, old);
}

/*
 * How often (%) an op stores through the state it ended with: seldom in
 * an empty tree, whose iterations all run out at once, so that it stays
 * empty for the bulk ops that only an empty tree takes.  The tree's own
 * emptiness: --bench's kernel-alone pass has no model.
 */
static unsigned int after_end_pct(struct maple_run *r)
{
	return mtree_empty(r->mt) ? 5 : 10;
}

/*
 * After an iteration ran out (or op_step()'s steps ended, overflowed or
 * not), one store through the spent state, as mmap_region() stores a VMA
 * through the iterator whose vma_find() found nothing (one in four is a
 * mas_erase() instead): mostly in the state's own range, else near it,
 * with a reset first where may_store_through() says so.  Where the state
 * as it is may not be stored through at its own index (6.1's spent
 * active state, which stands at the limit), the store goes near from
 * instead, where the op began, so that the ops do not pile entries up at
 * their limits.  Half the time the state is first held across a store
 * made near it by other means, as an iterator is while other code changes
 * the tree: paused, as mas_pause() is for, or none (6.1 MAS_NONE), which
 * the store must not take for a node.
 */
static bool store_after_end(struct maple_run *r, struct ma_state *mas,
			    struct rng *sub, unsigned long from)
{
	bool own = mas->index <= mas->last && may_store_through(mas, mas->index);
	unsigned long first, last, x = own ? mas->index : from;

	if (rng_percent(sub, 50)) {
		if (!state_none(mas))
			mas_pause(mas);
		pick_range(sub, x, &first, &last);
		if (!store_checked(r, NULL, sub, first, last))
			return false;
	}
	pick_range(sub, x, &first, &last);
	if (own && rng_percent(sub, 75)) {
		first = mas->index + rng_below(sub, mas->last - mas->index + 1);
		last = range_end(sub, first);
	}
	if (!may_store_through(mas, first))
		mas_reset(mas);
	if (rng_percent(sub, 25))
		return erase_checked(r, mas, first);
	return store_checked(r, mas, sub, first, last);
}

/*
 * mas_for_each() from a to b (at most c ranges) that changes some of the
 * ranges it finds through the same state (find_store_one()), each step
 * checked against the model: the next range must be the first after what
 * the last change wrote.  Some that came to the end by itself then store
 * through the spent state (store_after_end()).
 */
static bool op_find_store(struct maple_run *r, const struct test_op *op)
{
	MA_STATE(mas, r->mt, op->a, op->a);
	unsigned long next = op->a, seen = 0;
	struct rng sub;
	bool ok = true;
	void *entry;
	int ret;

	rng_seed(&sub, op->r);
	mtree_lock(r->mt);
	mas_for_each(&mas, entry, op->b) {
		if (r->check && !(ok = check_step(r, &mas, entry, next, op->b)))
			break;
		if (++seen >= op->c)
			break;
		next = mas.last + 1;
		if (rng_percent(&sub, 50)) {
			r->injected_blocking = slab_faults.injected_blocking;
			ret = find_store_one(r, &mas, &sub, &next);
			if (ret) {
				ok = ret == -ENOMEM;
				break;
			}
		}
		/* 0: the last range seen or written ended at ULONG_MAX. */
		if (!next || next > op->b)
			break;
	}
	mtree_unlock(r->mt);
	/* Came to the end by itself: nothing more up to b. */
	if (ok && r->check && !entry && next <= op->b)
		ok = check_step(r, &mas, NULL, next, op->b);
	if (ok && !entry && rng_percent(&sub, after_end_pct(r)))
		ok = store_after_end(r, &mas, &sub, op->a);
	return ok;
}

/* A known kernel bug (scripts/probe): --known-bugs shows it. */
static bool find_rev_pause_bug(const struct ma_state *mas)
{
#ifdef HAVE_BUG_FIND_REV_PAUSE
	return !opts.known_bugs && (mas->last == ULONG_MAX || !mas->index);
#else
	return false;
#endif
}

/*
 * After an entry that starts at 0 there is nothing below: the next step
 * must say so (a root entry's state changes to ma_root here on 6.12).
 * Called under rcu_read_lock(), which it drops.
 */
static bool find_rev_below_zero(struct maple_run *r, struct ma_state *mas,
				unsigned long min)
{
	unsigned long first = mas->index, last = mas->last;
	void *entry = mas_find_rev(mas, min);
	char s[32];

	rcu_read_unlock();
	if (!r->check || !entry)
		return true;
	test_fail(__FILE__, __LINE__,
		  "mas_find_rev() after [%#lx, %#lx] returned [%#lx, %#lx] %s, expected nothing",
		  first, last, mas->index, mas->last, fmt_entry(s, sizeof(s), entry));
	return false;
}

/*
 * Since 6.12 a mas_find_rev() that ran out at its min leaves the state
 * underflowed, without a node if it started paused; another call with
 * that min must find nothing again, and walk no node to say so.  Called
 * under rcu_read_lock().
 */
static bool find_rev_spent(struct maple_run *r, struct ma_state *mas,
			   unsigned long min)
{
#ifdef HAVE_MAS_STATUS
	unsigned long first = mas->index, last = mas->last;
	void *entry;
	char s[32];

	if (mas->status != ma_underflow)
		return true;
	entry = mas_find_rev(mas, min);
	if (!r->check || (!entry && mas->status == ma_underflow))
		return true;
	test_fail(__FILE__, __LINE__,
		  "mas_find_rev() again after an underflow at [%#lx, %#lx] (min %#lx) returned [%#lx, %#lx] %s, status %s",
		  first, last, min, mas->index, mas->last,
		  fmt_entry(s, sizeof(s), entry), mas_status_name(mas->status));
	return false;
#else
	return true;
#endif
}

/* mas_find_rev() from b down to a. */
static bool op_find_rev(struct maple_run *r, const struct test_op *op)
{
	MA_STATE(mas, r->mt, op->b, op->b);
	unsigned long prev = op->b, seen = 0;
	struct model_range want;
	struct rng sub;
	bool more;
	void *entry;

	rng_seed(&sub, op->r);
	rcu_read_lock();
	while ((entry = mas_find_rev(&mas, op->a)) != NULL) {
		if (!r->check)
			goto step;
		more = prev >= op->a && model_find_rev(&r->model, prev, &want) &&
		       want.last >= op->a;
		if (!more || entry != want.entry || mas.index != want.first ||
		    mas.last != want.last) {
			char e[32], s[32];

			rcu_read_unlock();
			test_fail(__FILE__, __LINE__,
				  "mas_find_rev() before %#lx (min %#lx): expected %s [%#lx, %#lx], got [%#lx, %#lx] %s",
				  prev, op->a, more ? fmt_entry(e, sizeof(e), want.entry) : "nothing",
				  more ? want.first : 0, more ? want.last : 0,
				  mas.index, mas.last, fmt_entry(s, sizeof(s), entry));
			return false;
		}
step:
		if (mas.index == 0)
			return find_rev_below_zero(r, &mas, op->a);
		if (++seen >= op->c)
			break;
		prev = mas.index - 1;
		if (rng_percent(&sub, 10) && !find_rev_pause_bug(&mas))
			mas_pause(&mas);
	}
	if (!entry && !find_rev_spent(r, &mas, op->a)) {
		rcu_read_unlock();
		return false;
	}
	rcu_read_unlock();
	if (!r->check || entry)
		return true;
	more = prev >= op->a && model_find_rev(&r->model, prev, &want) &&
		       want.last >= op->a;
	if (more) {
		test_fail(__FILE__, __LINE__,
			  "mas_find_rev() before %#lx returned NULL, expected [%#lx, %#lx] (min %#lx)",
			  prev, want.first, want.last, op->a);
		return false;
	}
	return true;
}

/*
 * The range mt_find() must find from index up to max: the first that
 * starts at or before max and holds an entry other than XA_ZERO_ENTRY,
 * which it takes for NULL.
 */
static bool find_want(struct model *m, unsigned long index,
		      unsigned long max, struct model_range *want)
{
	while (index <= max && model_find(m, index, want) && want->first <= max) {
		if (!xa_is_zero(want->entry))
			return true;
		if (want->last >= max)
			break;
		index = want->last + 1;
	}
	return false;
}

/* mt_for_each(): mt_find() and mt_find_after() from a to b. */
static bool op_mt_find(struct maple_run *r, const struct test_op *op)
{
	unsigned long index = op->a, from = op->a, seen = 0;
	struct model_range want;
	void *entry;

	mt_for_each(r->mt, entry, index, op->b) {
		if (!r->check)
			goto step;
		ASSERT_TRUE(find_want(&r->model, from, op->b, &want));
		ASSERT_ENTRY(entry, want.entry);
		/* The index moves past the range found. */
		ASSERT_EQ(index, want.last + 1);
step:
		if (++seen >= op->c)
			return true;
		from = index;
	}
	if (!r->check)
		return true;
	/* mt_find_after() stops when the index wrapped past ULONG_MAX. */
	if (seen && !from)
		return true;
	if (find_want(&r->model, from, op->b, &want)) {
		test_fail(__FILE__, __LINE__,
			  "mt_for_each from %#lx ended, expected [%#lx, %#lx] (max %#lx)",
			  from, want.first, want.last, op->b);
		return false;
	}
	return true;
}

/*
 * What a step from the slot cur should find: the next or previous range
 * (or, with ranges, slot: gaps count too) that starts at or before max /
 * ends at or after min.  False if there is none.
 */
static bool step_want(struct model *m, const struct model_range *cur,
		      bool fwd, bool ranges, unsigned long limit,
		      struct model_range *want)
{
	if (fwd) {
		if (cur->last == ULONG_MAX)
			return false;
		if (ranges)
			model_slot(m, cur->last + 1, want);
		else if (!model_find(m, cur->last + 1, want))
			return false;
		return want->first <= limit;
	}
	if (cur->first == 0)
		return false;
	if (ranges)
		model_slot(m, cur->first - 1, want);
	else if (!model_find_rev(m, cur->first - 1, want))
		return false;
	return want->last >= limit;
}

/* Whether the last step stopped at its limit (6.12's states say so). */
static bool limit_hit(const struct ma_state *mas)
{
#ifdef HAVE_MAS_STATUS
	return mas->status == ma_overflow || mas->status == ma_underflow;
#else
	return false;
#endif
}

/*
 * A known kernel bug (scripts/probe), which --known-bugs shows: a step
 * that hits its limit from a state with no node (paused, or at the root
 * entry of a tree that is one entry [0, 0]) leaves an overflow or
 * underflow that later steps take for an active state.
 */
static bool paused_limit_bug(struct maple_run *r, bool paused)
{
	bool no_node = paused || !xa_is_node(rcu_access_pointer(r->mt->ma_root));

	return no_node && limit_before_state() && !opts.known_bugs;
}

#ifdef HAVE_MAS_FIND_RANGE
#define HAS_FIND_RANGE	true
#else
#define HAS_FIND_RANGE	false
#endif

/*
 * A lookup that answered entry over the state's range must have found
 * want, the model's (its entry NULL for nothing); what names the lookup.
 */
static bool __maybe_unused found_as_model(int line, const char *what,
					  const struct ma_state *mas,
					  void *entry,
					  const struct model_range *want)
{
	char e[32], g[32];

	if (entry == want->entry && (!entry || (mas->index == want->first &&
						mas->last == want->last)))
		return true;
	test_fail(__FILE__, line, "%s: expected [%#lx, %#lx] %s, got [%#lx, %#lx] %s",
		  what, want->first, want->last,
		  fmt_entry(e, sizeof(e), want->entry), mas->index, mas->last,
		  fmt_entry(g, sizeof(g), entry));
	return false;
}

#ifdef HAVE_MAS_STATUS
/* A step after an overflow or underflow at [from_first, from_last] erred. */
static bool after_limit_fail(const char *call, bool over,
			     unsigned long from_first, unsigned long from_last,
			     const struct model_range *want,
			     const struct ma_state *mas, void *entry)
{
	char e[32], g[32];

	test_fail(__FILE__, __LINE__,
		  "%s after %s (state [%#lx, %#lx]): expected [%#lx, %#lx] %s, got [%#lx, %#lx] %s",
		  call, over ? "an overflow" : "an underflow", from_first,
		  from_last, want->first, want->last,
		  fmt_entry(e, sizeof(e), want->entry), mas->index, mas->last,
		  fmt_entry(g, sizeof(g), entry));
	return false;
}

/*
 * mas_find() or mas_find_rev() (or their _range forms) with no limit from
 * an overflowed or underflowed state at slot [i, l]: mas_find() walks to
 * i again and returns what is there, else the first entry after the slot
 * (nothing after an overflow at l = ULONG_MAX or an underflow at
 * i = ULONG_MAX), and so does mas_find_range(); mas_find_rev() returns
 * the last entry before the slot (nothing if it starts at 0),
 * mas_find_range_rev() the slot before it, gap or entry.
 */
static bool find_on(struct maple_run *r, struct ma_state *mas, struct rng *sub)
{
	bool fwd = rng_percent(sub, 50), over = mas->status == ma_overflow;
	bool ranges = HAS_FIND_RANGE && rng_percent(sub, 50);
	struct model_range want = { .entry = NULL }, slot;
	unsigned long from_first = mas->index, from_last = mas->last;
	bool gap = false;
	void *entry;

	/* At the end already: an overflow's last, an underflow's index. */
	bool end = (over ? from_last : from_first) == ULONG_MAX;

	entry = find_call(mas, fwd, ranges, fwd ? ULONG_MAX : 0);
	model_slot(&r->model, from_first, &slot);
	if (fwd && slot.entry && !end) {
		want = slot;
	} else if (fwd && slot.last != ULONG_MAX && !end) {
		model_find(&r->model, slot.last + 1, &want);
	} else if (!fwd && from_first && ranges) {
		/* mas_find_range_rev(): the slot before, a gap included. */
		model_slot(&r->model, from_first - 1, &want);
		gap = !want.entry;
	} else if (!fwd && from_first) {
		model_find_rev(&r->model, from_first - 1, &want);
	}
	if (entry != want.entry || ((entry || gap) && (mas->index != want.first ||
						       mas->last != want.last)))
		return after_limit_fail(call_name(true, ranges, fwd), over,
					from_first, from_last, &want, mas,
					entry);
	return true;
}

/*
 * A step or find the same way to the same limit, or to the state's own end
 * (an overflow's last, an underflow's index), finds nothing again and must
 * leave the state as it was, over- or underflowed: what follows goes on as
 * from the first.
 */
static bool repeat_at_limit(struct ma_state *mas, struct rng *sub,
			    unsigned long limit)
{
	bool over = mas->status == ma_overflow, find = rng_percent(sub, 50);
	bool ranges = rng_percent(sub, 50) &&
		      (find ? HAS_FIND_RANGE : HAS_RANGE_STEPS);
	unsigned long first = mas->index, last = mas->last;
	enum maple_status status = mas->status;
	void *entry;
	char g[32];

	if (rng_percent(sub, 50))
		limit = over ? last : first;
	entry = find ? find_call(mas, over, ranges, limit) :
		       step(mas, over, ranges, limit);
	if (!entry && mas->status == status && mas->index == first &&
	    mas->last == last)
		return true;
	test_fail(__FILE__, __LINE__,
		  "%s to %#lx again after %s at [%#lx, %#lx]: expected NULL and the state kept, got [%#lx, %#lx] %s, %s",
		  call_name(find, ranges, over), limit,
		  over ? "an overflow" : "an underflow", first, last,
		  mas->index, mas->last, fmt_entry(g, sizeof(g), entry),
		  mas_status_name(mas->status));
	return false;
}
#endif

/*
 * Since 6.12 a step that found nothing leaves the state overflowed or
 * underflowed at the last slot it looked at ([index, last]).  A step the
 * same way with no limit goes on from there; a step back walks to index
 * again and returns what is there, if anything, else steps on from it.
 */
static bool step_on(struct maple_run *r, struct ma_state *mas, struct rng *sub,
		    const struct test_op *op)
{
#ifdef HAVE_MAS_STATUS
	bool over = mas->status == ma_overflow, back = rng_percent(sub, 50);
	bool fwd = over != back;
	struct model_range want = { .entry = NULL }, slot;
	unsigned long from_first, from_last;
	struct rng again;
	void *entry;

	if (rng_percent(sub, 50))
		return true;
	/*
	 * The repeat draws from a stream of its own, so that the steps and
	 * stores after it, and the trees of the sequence, are those of a
	 * run without it.
	 */
	rng_seed(&again, ~op->r);
	if (rng_percent(&again, 50) &&
	    !repeat_at_limit(mas, &again, over ? op->b : op->c))
		return false;
	from_first = mas->index;
	from_last = mas->last;
	/*
	 * The same known bug (scripts/probe): the limit is tested before the
	 * state, so a step back from a slot at the end of the index space
	 * finds nothing where the state says "one past" it.
	 */
	if (back && !opts.known_bugs && limit_before_state() &&
	    (over ? !from_first : from_last == ULONG_MAX))
		return true;
	if (rng_percent(sub, 50))
		return find_on(r, mas, sub);
	entry = fwd ? mas_next(mas, ULONG_MAX) : mas_prev(mas, 0);
	if (back)
		model_slot(&r->model, from_first, &slot);
	else
		slot = (struct model_range){ from_first, from_last, NULL };
	if (back && slot.entry)
		want = slot;
	else if (fwd && slot.last != ULONG_MAX)
		model_find(&r->model, slot.last + 1, &want);
	else if (!fwd && slot.first)
		model_find_rev(&r->model, slot.first - 1, &want);
	if (entry != want.entry || (entry && (mas->index != want.first ||
					      mas->last != want.last)))
		return after_limit_fail(fwd ? "mas_next" : "mas_prev", over,
					from_first, from_last, &want, mas, entry);
#endif
	return true;
}

/*
 * A walk that met no node (an empty tree, or an index past a root entry)
 * leaves the state none.  mas_find_rev() from there walks again at the
 * state's index: the last entry at or below it, and nothing from 0.
 */
#ifdef HAVE_MAS_STATUS
static bool find_rev_from_none(struct maple_run *r, struct ma_state *mas)
{
	struct model_range want = { .entry = NULL };
	unsigned long from = mas->index;
	char what[64];
	void *entry;

	entry = mas_find_rev(mas, 0);
	if (from)
		model_find_rev(&r->model, from, &want);
	snprintf(what, sizeof(what), "mas_find_rev from a none state at %#lx",
		 from);
	return found_as_model(__LINE__, what, mas, entry, &want);
}
#endif

/*
 * 6.1's root entry is not searchable backwards: mas_prev(), like
 * mas_find_rev() (HAVE_BUG_FIND_REV_ROOT_NULL), finds nothing below a
 * state above it.  Step forwards only there, unless --known-bugs.
 */
static bool prev_root_bug(struct maple_run *r)
{
#ifdef HAVE_BUG_FIND_REV_ROOT_NULL
	return root_only(r);
#else
	return false;
#endif
}

/*
 * What a step (step()) from the slot cur gave against the model's want
 * (NULL: nothing).
 */
static bool check_stepped(const struct ma_state *mas, void *entry, bool fwd,
			  bool ranges, unsigned long limit,
			  const struct model_range *cur,
			  const struct model_range *want)
{
	char e[32], g[32];

	if (!want && entry) {
		test_fail(__FILE__, __LINE__,
			  "%s%s from [%#lx, %#lx] (limit %#lx): expected nothing, got [%#lx, %#lx]",
			  fwd ? "mas_next" : "mas_prev", ranges ? "_range" : "",
			  cur->first, cur->last, limit, mas->index, mas->last);
		return false;
	}
	if (want && (entry != want->entry || mas->index != want->first ||
		     mas->last != want->last)) {
		test_fail(__FILE__, __LINE__,
			  "%s%s from [%#lx, %#lx] (limit %#lx): expected [%#lx, %#lx] %s, got [%#lx, %#lx] %s",
			  fwd ? "mas_next" : "mas_prev", ranges ? "_range" : "",
			  cur->first, cur->last, limit, want->first, want->last,
			  fmt_entry(e, sizeof(e), want->entry), mas->index,
			  mas->last, fmt_entry(g, sizeof(g), entry));
		return false;
	}
	return true;
}

#ifndef HAVE_MAS_STATUS
/*
 * 6.1: mas_prev() from a slot that starts at 0 finds nothing and leaves
 * the state none, which mas_find() takes for a first call: it walks to 0
 * again and returns the entry there, else the first one after it, as
 * 6.12's mas_find() does after an underflow.  On a copy of the state, so
 * that a store through the spent state (store_after_end()) meets it as
 * the step left it.
 */
static bool find_after_prev_at_0(struct maple_run *r,
				 const struct ma_state *mas)
{
	struct ma_state copy = *mas;
	struct model_range want = { .entry = NULL };
	void *entry;

	entry = mas_find(&copy, ULONG_MAX);
	model_find(&r->model, 0, &want);
	return found_as_model(__LINE__,
			      "mas_find after mas_prev from 0 found nothing",
			      &copy, entry, &want);
}
#endif

#ifndef HAVE_MAS_STATUS
/*
 * 6.1: mas_next() from a state that stands past its limit finds nothing
 * and leaves the state paused at the limit ("maple_tree: reduce user
 * error potential"), so that a mas_next() with a wider limit walks again
 * from there: it finds the first entry after the slot that holds the
 * limit, not the first after where the state stood.  On a copy of the
 * state, so that a store through the spent state meets it as the step
 * left it.
 */
static bool next_from_beyond_limit(struct maple_run *r,
				   const struct ma_state *mas,
				   unsigned long limit)
{
	struct ma_state copy = *mas;
	struct model_range slot, want = { .entry = NULL };
	char what[80];
	void *entry;

	if (mas->index != limit || mas->last != limit) {
		test_fail(__FILE__, __LINE__,
			  "mas_next from beyond its limit %#lx left the state at [%#lx, %#lx], not at the limit",
			  limit, mas->index, mas->last);
		return false;
	}
	entry = mas_next(&copy, ULONG_MAX);
	model_slot(&r->model, limit, &slot);
	if (slot.last != ULONG_MAX)
		model_find(&r->model, slot.last + 1, &want);
	snprintf(what, sizeof(what),
		 "mas_next after mas_next from beyond its limit %#lx", limit);
	return found_as_model(__LINE__, what, &copy, entry, &want);
}
#endif

#ifndef HAVE_MAS_STATUS
/*
 * 6.1: a mas_next() below its limit that found nothing leaves the state
 * on the last slot it looked at, with that node's limits, as 6.1's
 * mmap_region() relies on when it calls mas_prev() after mas_next() found
 * no next VMA: mas_prev() must return the last entry at or below the
 * limit, with its range (the node's min, for one in its node's slot 0).
 * On a copy of the state, as above.
 */
static bool prev_after_run_out(struct maple_run *r,
			       const struct ma_state *mas,
			       unsigned long limit)
{
	struct ma_state copy = *mas;
	struct model_range want = { .entry = NULL };
	char what[80];
	void *entry;

	entry = mas_prev(&copy, 0);
	model_find_rev(&r->model, limit, &want);
	snprintf(what, sizeof(what),
		 "mas_prev after mas_next to %#lx found nothing", limit);
	return found_as_model(__LINE__, what, &copy, entry, &want);
}
#endif

/*
 * mas_walk() to a, then up to 64 steps of mas_next() / mas_prev() (and
 * mas_next_range() / mas_prev_range() where the tree has them, which stop
 * at gaps too) up to max b and down to min c, each compared with the
 * model.  The walk ends where nothing is left: the state after that
 * differs between versions.
 */
static bool op_step(struct maple_run *r, const struct test_op *op)
{
	MA_STATE(mas, r->mt, op->a, op->a);
	struct model_range cur, want;
	bool ok = true, paused = false, back_at_0 = false;
	struct rng sub;
	int i, steps;

	rng_seed(&sub, op->r);
	steps = rng_range(&sub, 1, 64);
	rcu_read_lock();
	mas_walk(&mas);
#ifdef HAVE_MAS_STATUS
	if (mas.status == ma_none && r->check && rng_percent(&sub, 50)) {
		ok = find_rev_from_none(r, &mas);
		rcu_read_unlock();
		return ok;
	}
#endif
	model_slot(&r->model, op->a, &cur);
	for (i = 0; i < steps; i++) {
		unsigned int how = rng_below(&sub, 4);
		bool fwd = !(how & 1) || prev_root_bug(r), more;
		bool ranges = how >= 2 && HAS_RANGE_STEPS;
		unsigned long limit = fwd ? op->b : op->c;
		void *entry;
#ifndef HAVE_MAS_STATUS
		bool beyond;
#endif

		/* A paused state must step as if it had not paused. */
		paused = rng_percent(&sub, 20);
		if (paused)
			mas_pause(&mas);
		back_at_0 = !fwd && !mas.index;
#ifndef HAVE_MAS_STATUS
		beyond = fwd && !ranges && mas.index > limit &&
			 mas.last != ULONG_MAX &&
			 xa_is_node(rcu_access_pointer(r->mt->ma_root));
#endif
		entry = step(&mas, fwd, ranges, limit);
		back_at_0 = back_at_0 && !entry;

		if (!r->check) {
			if (!entry && !ranges)
				break;
			continue;
		}
		more = step_want(&r->model, &cur, fwd, ranges, limit, &want);
		ok = check_stepped(&mas, entry, fwd, ranges, limit, &cur,
				   more ? &want : NULL);
#ifndef HAVE_MAS_STATUS
		if (ok && beyond)
			ok = next_from_beyond_limit(r, &mas, limit);
		else if (ok && fwd && !entry && cur.last < limit &&
			 xa_is_node(rcu_access_pointer(r->mt->ma_root)))
			ok = prev_after_run_out(r, &mas, limit);
#endif
		if (!ok || !more)
			break;
		cur = want;
	}
	if (ok && r->check && limit_hit(&mas) && !paused_limit_bug(r, paused))
		ok = step_on(r, &mas, &sub, op);
#ifndef HAVE_MAS_STATUS
	if (ok && r->check && back_at_0)
		ok = find_after_prev_at_0(r, &mas);
#endif
	rcu_read_unlock();
	/* Then a store through where the steps left it, overflowed or not. */
	if (ok && rng_percent(&sub, after_end_pct(r)))
		ok = store_after_end(r, &mas, &sub, op->a);
	return ok;
}

#ifdef HAVE_MAS_FIND_RANGE
/*
 * mas_find_range() from a to max b, or for odd c mas_find_range_rev() from
 * a down to min b: every slot in turn, gaps included.  The op starts on a
 * range (the generator picks a range's first or last index), where the
 * first call returns that range; from a gap it would return the slot after.
 */
static bool op_find_range(struct maple_run *r, const struct test_op *op)
{
	bool fwd = !(op->c & 1);
	MA_STATE(mas, r->mt, op->a, op->a);
	struct model_range cur, want;
	bool ok = true, paused;
	struct rng sub;
	void *entry;
	int i;

	rng_seed(&sub, op->r);
	rcu_read_lock();
	for (i = 0; i < 64; i++) {
		/*
		 * After mas_pause() the call is a first one again: it walks
		 * to the next index and returns the entry there or beyond,
		 * passing over a gap.
		 */
		paused = i && rng_percent(&sub, 20);
		if (paused)
			mas_pause(&mas);
		entry = fwd ? mas_find_range(&mas, op->b) :
			      mas_find_range_rev(&mas, op->b);
		if (!r->check)
			continue;
		if (!i) {
			model_slot(&r->model, op->a, &want);
			/* Started in a gap (a shrunk replay may): nothing to say. */
			if (!want.entry)
				break;
			/* Started beyond the limit: nothing to find. */
			if (fwd ? op->a > op->b : op->a < op->b) {
				if (entry) {
					test_fail(__FILE__, __LINE__,
						  "%s from %#lx beyond %#lx returned [%#lx, %#lx]",
						  fwd ? "mas_find_range" : "mas_find_range_rev",
						  op->a, op->b, mas.index, mas.last);
					ok = false;
				}
				break;
			}
		} else if (!step_want(&r->model, &cur, fwd, !paused, op->b, &want)) {
			if (paused && entry) {
				test_fail(__FILE__, __LINE__,
					  "%s after mas_pause() from [%#lx, %#lx] (limit %#lx): expected nothing, got [%#lx, %#lx]",
					  fwd ? "mas_find_range" : "mas_find_range_rev",
					  cur.first, cur.last, op->b, mas.index, mas.last);
				ok = false;
			}
			break;
		}
		if (entry != want.entry || mas.index != want.first ||
		    mas.last != want.last) {
			char e[32], g[32];

			test_fail(__FILE__, __LINE__,
				  "%s call %d: expected [%#lx, %#lx] %s, got [%#lx, %#lx] %s",
				  fwd ? "mas_find_range" : "mas_find_range_rev", i + 1,
				  want.first, want.last, fmt_entry(e, sizeof(e), want.entry),
				  mas.index, mas.last, fmt_entry(g, sizeof(g), entry));
			ok = false;
			break;
		}
		cur = want;
	}
	rcu_read_unlock();
	return ok;
}
#define OP_FIND_RANGE	op_find_range
#else
#define OP_FIND_RANGE	NULL
#endif

/*
 * mt_next(a, max b) or, for c == 1, mt_prev(a, min b): the neighbour of
 * a's slot.  A root entry [0, 0] (root_only()) is found backwards from
 * mt_prev()'s fresh state, but with min 0 only: above 0 both trees return
 * it whatever min says, as mas_find_rev() does.
 */
static bool op_mt_step(struct maple_run *r, const struct test_op *op)
{
	bool fwd = op->c != 1 || (root_only(r) && op->b);
	struct model_range cur, want;
	void *entry;

	entry = fwd ? mt_next(r->mt, op->a, op->b) : mt_prev(r->mt, op->a, op->b);
	if (!r->check)
		return true;
	model_slot(&r->model, op->a, &cur);
	if (!step_want(&r->model, &cur, fwd, false, op->b, &want))
		want.entry = NULL;
	ASSERT_ENTRY(entry, want.entry);
	return true;
}

/*
 * Falling gaps, in a trim that stores an entry (op_bulk_trim(), bit 3 of
 * r): range k (from one index after a) follows the one before it directly
 * if k is odd, else after a gap of c - k indices.  The gaps shrink as the
 * ranges go up, so a leaf holds smaller gaps than its left sibling, and
 * when mas_destroy() moves the slots past the middle of that sibling into
 * it, the gap its parent records must grow.  In the other layouts tried (a
 * gap before every range, before every odd one, none below the first)
 * those moved slots hold a gap in few trees or none.
 */
static bool bulk_falling(const struct test_op *op)
{
	return op->type == MOP_BULK_TRIM && op->r & 8;
}

/* The i-th range a bulk op stores: every b indices if r & 1, else 2b. */
static unsigned long bulk_first(const struct test_op *op, unsigned long i)
{
	unsigned long gaps = i / 2;

	/* Falling: 1 + the sum of c - 2j over j = 1 .. i / 2. */
	if (bulk_falling(op))
		return op->a + 1 + i * op->b + gaps * op->c -
		       gaps * (gaps + 1);
	return op->a + (2 - (op->r & 1)) * i * op->b;
}

/* How many indices a bulk op's c ranges (and gaps) take from a. */
static unsigned long bulk_span(const struct test_op *op)
{
	if (bulk_falling(op))
		return op->b * op->c + op->c * op->c;
	return 2 * op->b * op->c;
}

/*
 * Announce c entries with mas_expected_entries(), then mas_store() the
 * first n bulk ranges in ascending order: 0, or the error.  The first may
 * sleep (dup_mmap() held mmap_lock, a sleeping lock), so it runs before
 * the tree's spinlock is taken for the stores; the caller calls
 * mas_destroy() and unlocks.
 */
static int bulk_fill(struct maple_run *r, struct ma_state *mas,
		     const struct test_op *op, unsigned long n, bool fork_walk)
{
	bool paused = slab_faults.paused;
	unsigned long i, first;
	int ret;

	/*
	 * Our kmem_cache_alloc_bulk() fails each object alone (failslab
	 * fails the call): the thousand nodes of a big op would hardly ever
	 * all come, and its tall tree never be built.  The small ops fail.
	 */
	if (op->c > BULK_SMALL)
		slab_faults.paused = true;
	ret = mas_expected_entries(mas, op->c);
	slab_faults.paused = paused;
	mtree_lock(r->mt);
	for (i = 0; !ret && i < n; i++) {
		first = bulk_first(op, i);
		if (fork_walk) {
			/* As dup_mmap() did: the state goes on from where it is. */
			mas->index = first;
			mas->last = first + op->b - 1;
		} else {
			mas_set_range(mas, first, first + op->b - 1);
		}
		mas_store(mas, bulk_entry(r, i));
		if (mas_is_err(mas))
			ret = xa_err(mas->node);
	}
	return ret;
}

static void model_bulk(struct maple_run *r, const struct test_op *op,
		       unsigned long n)
{
	unsigned long i, first;

	for (i = 0; i < n; i++) {
		first = bulk_first(op, i);
		model_store(&r->model, first, first + op->b - 1, bulk_entry(r, i));
	}
}

/*
 * The 3-way split.  A spanning store over the boundary of two full leaves,
 * cutting short the last range of one and the first of the other, leaves
 * more than two leaves can hold: mas_spanning_rebalance() makes three.
 * If the two have different parents, both full, the three leaves and what
 * the parents keep are more than two nodes can hold too, and the level
 * above gets three new nodes: mas_topiary_replace() must adopt the old
 * children of each of them.  Random stores leave nodes with room; bulk
 * mode's trees have leaves full or one short, under parents one short of
 * full, which a few stores of one index make full (bulk_three_way()).
 */
struct leaf {
	unsigned long min, max;
	const void *parent;
	unsigned int slots;	/* leaf_scan(): its ranges, gaps included */
	unsigned long split;	/* an index whose store alone adds 2 slots */
	unsigned long wide;	/* one whose store adds 1, or ULONG_MAX */
};

/*
 * The leaf that holds index, and its parent: what the maple_node behind
 * the walk's state points to, its low bits (the slot and type) cleared.
 * Under the tree's lock, as is leaf_scan().
 */
static void leaf_at(struct maple_tree *mt, unsigned long index, struct leaf *l)
{
	MA_STATE(mas, mt, index, index);
	const struct maple_node *node;

	mas_walk(&mas);
	l->min = mas.min;
	l->max = mas.max;
	l->parent = NULL;
	if (!mt_height(mt))
		return;		/* no node: the tree is empty or one entry */
	node = (void *)((unsigned long)mas.node & ~MAPLE_NODE_MASK);
	l->parent = (void *)((unsigned long)node->parent & ~MAPLE_NODE_MASK);
}

/*
 * Its slots (each range a walk finds in it is one, gaps included) up to
 * the one that holds upto; and where a store of one index adds two slots
 * (inside a range of three indices or more) or one (at the start of a
 * range of two or more, not the first: a right boundary leaf keeps its
 * first range wide).  A leaf of more slots than a leaf holds stops the
 * count one past.
 */
static void leaf_scan(struct maple_tree *mt, unsigned long upto,
		      struct leaf *l)
{
	MA_STATE(mas, mt, 0, 0);
	unsigned long i = l->min;

	upto = min(upto, l->max);
	l->slots = 0;
	l->split = l->wide = ULONG_MAX;
	do {
		mas_set(&mas, i);
		mas_walk(&mas);
		if (mas.last - mas.index >= 2 && l->split == ULONG_MAX)
			l->split = mas.index + 1;
		if (mas.last > mas.index && l->wide == ULONG_MAX &&
		    l->slots)
			l->wide = mas.index;
		i = mas.last + 1;
	} while (++l->slots <= MAPLE_RANGE64_SLOTS && mas.last < upto);
}

/* The leaf that holds index, scanned whole; under the tree's lock. */
static unsigned int leaf_slots(struct maple_tree *mt, unsigned long index,
			       struct leaf *l)
{
	leaf_at(mt, index, l);
	leaf_scan(mt, ULONG_MAX, l);
	return l->slots;
}

/* How many children an internal node of this tree holds at most. */
static unsigned int node_slots(struct maple_run *r)
{
	return r->flags & MT_FLAGS_ALLOC_RANGE ? MAPLE_ARANGE64_SLOTS :
						 MAPLE_RANGE64_SLOTS;
}

/*
 * The siblings of leaf from on one side, counted; and in *split an index
 * whose store alone splits one of them (ULONG_MAX if none).  Under the
 * tree's lock, as are the functions down to parent_boundary().
 */
static unsigned int count_side(struct maple_run *r, const struct leaf *from,
			       bool up, unsigned long *split)
{
	struct leaf l = *from;
	unsigned int n = 0;

	while (up ? l.max != ULONG_MAX : l.min != 0) {
		leaf_at(r->mt, up ? l.max + 1 : l.min - 1, &l);
		if (l.parent != from->parent)
			break;
		n++;
		if (*split != ULONG_MAX)
			continue;
		leaf_scan(r->mt, ULONG_MAX, &l);
		if (l.slots == MAPLE_RANGE64_SLOTS && l.wide != ULONG_MAX)
			*split = l.wide;
		else if (l.slots == MAPLE_RANGE64_SLOTS - 1)
			*split = l.split;
	}
	return n;
}

/*
 * The children of the parent of leaf l; and in *split an index whose store
 * alone splits one of the others (ULONG_MAX if none).
 */
static unsigned int children(struct maple_run *r, const struct leaf *l,
			     unsigned long *split)
{
	*split = ULONG_MAX;
	return 1 + count_side(r, l, false, split) +
	       count_side(r, l, true, split);
}

/*
 * Split leaves under the parent of the leaf at index, other than that
 * leaf, until the parent is full; false if a store failed a check.
 */
static bool fill_parent(struct maple_run *r, unsigned long index)
{
	unsigned int tries;
	unsigned long split;
	struct leaf l;
	bool full;

	for (tries = 0; tries < node_slots(r); tries++) {
		mtree_lock(r->mt);
		leaf_at(r->mt, index, &l);
		full = children(r, &l, &split) >= node_slots(r);
		mtree_unlock(r->mt);
		if (full || split == ULONG_MAX)
			return true;
		if (!store_checked(r, NULL, NULL, split, split))
			return false;
	}
	return true;
}

/* The leaf at index made full by stores of one index; false as above. */
static bool fill_leaf(struct maple_run *r, unsigned long index)
{
	unsigned int tries;
	struct leaf l;

	for (tries = 0; tries < MAPLE_RANGE64_SLOTS; tries++) {
		mtree_lock(r->mt);
		leaf_slots(r->mt, index, &l);
		mtree_unlock(r->mt);
		if (l.slots >= MAPLE_RANGE64_SLOTS || l.wide == ULONG_MAX)
			return true;
		if (!store_checked(r, NULL, NULL, l.wide, l.wide))
			return false;
	}
	return true;
}

/*
 * Whether a store of [left->max, right->min] cuts both ranges short: the
 * last range of the left leaf and the first of the right one hold two
 * indices or more.
 */
static bool edges_wide(struct maple_run *r, const struct leaf *left,
		       const struct leaf *right)
{
	MA_STATE(mas, r->mt, left->max, left->max);
	bool wide;

	mas_walk(&mas);
	wide = mas.index < left->max;
	mas_set(&mas, right->min);
	mas_walk(&mas);
	return wide && mas.last > right->min;
}

/*
 * A leaf boundary between two parents that are full or one short, whose
 * edge ranges are wide: the (k + 1)-th from index a, or the last one
 * there is.  False if none.
 */
static bool parent_boundary(struct maple_run *r, unsigned long a,
			    unsigned int k, struct leaf *left,
			    struct leaf *right)
{
	unsigned long split;
	struct leaf l, n;
	bool found = false;

	leaf_at(r->mt, a, &l);
	while (l.max != ULONG_MAX) {
		leaf_at(r->mt, l.max + 1, &n);
		if (n.parent != l.parent && edges_wide(r, &l, &n) &&
		    children(r, &l, &split) + 1 >= node_slots(r) &&
		    children(r, &n, &split) + 1 >= node_slots(r)) {
			*left = l;
			*right = n;
			found = true;
			if (!k--)
				break;
		}
		l = n;
	}
	return found;
}

/*
 * After a bulk build (bit 2 of r): the 3-way split above, at the
 * ((r >> 3) % 8 + 1)-th parent boundary from a (or the last one), then
 * the whole tree checked: mt_validate() finds a child whose parent
 * pointer still names the node it was moved out of.
 */
static bool bulk_three_way(struct maple_run *r, const struct test_op *op)
{
	struct leaf left, right;
	bool found;

	mtree_lock(r->mt);
	found = mt_height(r->mt) >= 3 &&
		parent_boundary(r, op->a, (op->r >> 3) % 8, &left, &right);
	mtree_unlock(r->mt);
	if (!found)
		return true;
	if (!fill_parent(r, left.max) || !fill_parent(r, right.min) ||
	    !fill_leaf(r, left.max) || !fill_leaf(r, right.min))
		return false;
	/* The boundary's leaves as they are now. */
	mtree_lock(r->mt);
	leaf_at(r->mt, left.max, &left);
	leaf_at(r->mt, right.min, &right);
	found = left.parent != right.parent && edges_wide(r, &left, &right);
	mtree_unlock(r->mt);
	if (!found)
		return true;
	if (!store_checked(r, NULL, NULL, left.max, right.min))
		return false;
	return !r->check || check_tree(r);
}

/*
 * A leaf below mt_min_slots[maple_leaf_64] slots is short; a bulk split
 * leaves its right node that many or one more.  mas_destroy() rebalances
 * a last leaf of fewer than LEAF_MIN - 1 slots, moving into it what its
 * left sibling holds past slot LEAF_MOVE_FROM (or the one after, if that
 * holds NULL).
 */
#define LEAF_MIN	(MAPLE_RANGE64_SLOTS / 2 - 2)
#define LEAF_MOVE_FROM	(MAPLE_RANGE64_SLOTS / 2)

/*
 * Bulk mode splits a leaf in favour of the left (mab_calc_split()): of the
 * 17 slots or more that overflow it, the left keeps all but LEAF_MIN, one
 * fewer rather than end on NULL, where a normal split keeps half.  The
 * ascending stores after it go on to the right, and a push to the left
 * sibling only fills that one.  So after a fill every leaf but the last
 * holds at least this many slots.
 */
#define LEAF_BULK_MIN	(MAPLE_RANGE64_SLOTS - LEAF_MIN)

/*
 * Whether the fill split as bulk mode does: a leaf other than the last
 * below LEAF_BULK_MIN means it split as if mas_expected_entries() had not
 * set MA_STATE_BULK, which the results alone cannot tell.  One mas_find()
 * pass, not a walk per range: the state's min and max are its leaf's, and
 * a leaf's slots are its entries and the gaps before, between and after
 * them.  A leaf is judged when the next one starts, so never the last.
 * Under the tree's lock.
 */
static bool bulk_packed(struct maple_run *r, const struct test_op *op)
{
	MA_STATE(mas, r->mt, 0, 0);
	unsigned long min = 0, max = 0, prev = 0;
	unsigned int slots = 0;
	void *entry;

	mas_for_each(&mas, entry, ULONG_MAX) {
		if (slots && mas.min != min) {
			slots += prev < max;	/* the gap at its end */
			if (slots < LEAF_BULK_MIN)
				goto short_leaf;
			slots = 0;
		}
		if (!slots) {
			min = mas.min;
			max = mas.max;
		}
		/* The gap before it, if any. */
		slots += mas.index > (slots ? prev + 1 : min);
		slots++;
		prev = mas.last;
	}
	return true;

short_leaf:
	test_fail(__FILE__, __LINE__,
		  "bulk fill of %lu ranges of %#lx from %#lx: leaf [%#lx, %#lx], not the last, holds %u slots; expected at least %u (bulk mode splits in favour of the left)",
		  op->c, op->b, op->a, min, max, slots, LEAF_BULK_MIN);
	return false;
}

/*
 * Bulk mode, as fork's tree copy once used it: mas_expected_entries(c) on
 * an empty tree, ascending mas_store()s of c ranges of b indices from a,
 * then mas_destroy(), which rebalances the last node.  With bit 1 of r,
 * fewer stores than announced: the case that rebalance is for; with bit 2,
 * a 3-way split after (bulk_three_way()).  A tree of more than BULK_SMALL
 * ranges is checked and destroyed at once.
 */
static bool op_bulk(struct maple_run *r, const struct test_op *op)
{
	MA_STATE(mas, r->mt, 0, 0);
	unsigned long n = op->r & 2 ? op->c - op->c / 3 : op->c;
	bool packed;
	int ret;

	if (!mtree_empty(r->mt) || mt_in_rcu(r->mt))
		return true;	/* a replay shrunk into a state bulk mode refuses */
	ret = bulk_fill(r, &mas, op, n, false);
	mas_destroy(&mas);
	packed = ret || !r->check || bulk_packed(r, op);
	mtree_unlock(r->mt);
	if (!packed)
		return false;
	if (r->check && !nomem(r, ret)) {
		ASSERT_EQ(ret, 0);
		model_bulk(r, op, n);
	}
	if (r->check && !check_tree(r))
		return false;
	if ((op->r & 4) && !bulk_three_way(r, op))
		return false;
	/* A big tree is there for its destroy walk: more ops cost too much. */
	return op->c <= BULK_SMALL || op_destroy(r, op);
}

/*
 * Where op_bulk_trim()'s NULL store starts: the last (r >> 8) % 16 + 1
 * bulk ranges, but inside the last leaf (bulk mode has only the nodes
 * mas_expected_entries() allocated, not enough for a spanning store), and
 * after the leaf's first entry: a leaf left all NULL makes
 * mas_destroy_rebalance() loop forever when its left sibling holds just
 * enough to keep (a kernel bug, README), unless --known-bugs.
 */
static unsigned long trim_start(struct ma_state *mas, const struct test_op *op)
{
	unsigned long drop = (op->r >> 8) % 16 + 1;
	unsigned long i = op->c - 1, first;

	first = drop < op->c ? bulk_first(op, op->c - drop) : op->a;
	mas_set(mas, bulk_first(op, op->c - 1));
	mas_walk(mas);
	first = max(first, mas->min);
	if (opts.known_bugs)
		return first;
	while (i && bulk_first(op, i - 1) + op->b - 1 >= mas->min)
		i--;
	return max(first, bulk_first(op, i) + op->b);
}

/* What op_bulk_trim() saw of the last leaf. */
struct trim_leaf {
	unsigned long min;	/* its first index after the fill */
	unsigned int last;	/* its slots before the fill's last store */
	unsigned int trim;	/* its slots after the trim */
	unsigned int left;	/* its left sibling's slots */
};

/*
 * The last leaf l's slots before the fill's last store: those up to the
 * range stored before, and the NULL above them; 0 if that range is not in
 * the leaf (the last store split it off); UINT_MAX where the fill did not
 * store in ascending order (it wrapped past ULONG_MAX) or stored one range.
 */
static unsigned int trim_last_slots(struct maple_tree *mt,
				    const struct test_op *op, struct leaf *l)
{
	unsigned long prev;

	if (op->c < 2 || op->a + bulk_span(op) < op->a)
		return UINT_MAX;
	prev = bulk_first(op, op->c - 2) + op->b - 1;
	if (prev < l->min)
		return 0;
	leaf_scan(mt, prev, l);
	return l->slots + 1;
}

/*
 * Whether mas_destroy() must move slots into the last leaf.  A bulk split
 * flags a rebalance for mas_destroy(); only a store into a leaf of more
 * than LEAF_MIN + 1 slots (before the store) may clear the flag.  The
 * fill's stores after the split go into the last leaf, which only grows:
 * if it held at most LEAF_MIN + 1 before the last of them, the flag
 * stands, on every tree (the trim's store, to ULONG_MAX, never clears it).
 * Its left sibling then holds more than LEAF_MOVE_FROM + 2 slots only if
 * some of them must move.  (Where the fill's stores cleared the flag, the
 * leaf may stay short: a kernel bug, README.)
 */
static bool trim_must_merge(const struct trim_leaf *t)
{
	return t->min && t->last <= LEAF_MIN + 1 && t->trim < LEAF_MIN - 1 &&
	       t->left > LEAF_MOVE_FROM + 2;
}

/*
 * The nodes a write state holds (the kernel's mas_allocated(), which is
 * static): bulk mode's stores take theirs from these alone.
 */
static unsigned long state_nodes(const struct ma_state *mas)
{
	if (!mas->alloc || ((unsigned long)mas->alloc & 1))
		return 0;
	return mas->alloc->total;
}

/* The trim's store in RCU mode, and mas_destroy_rebalance()'s three. */
#define TRIM_RCU_NODES	4

/*
 * With --known-bugs and r bits 6-7 at 3 (one trim in four), the trim's
 * store and mas_destroy() run in RCU mode: mas_destroy_rebalance() must
 * then build a new leaf, left sibling and parent and put them in, not
 * change the old ones under readers.  No caller gets there (6.1's
 * dup_mmap() left RCU mode for its fill and its mas_destroy(); 6.12 has
 * no bulk user), and the code is broken (6.1 and 6.12): it climbs with
 * mas_ascend() from the new leaf, whose parent pointer is still the old
 * parent's, so mas_replace_node() (6.1: mas_replace()) puts the old
 * parent in its own place and frees it.  The tree keeps the freed node
 * and none of the new ones: the next walk loops on a dead node (a hang).
 * Replay (plain tree, --known-bugs): mas_expected_entries+trim 0 0 0x9e
 * 0xe62c62dafeff2ce8.  So, where scripts/probe finds that code
 * (HAVE_BUG_DESTROY_REBALANCE_RCU), only with --known-bugs.
 *
 * The fill stays out of RCU mode: there each store would take a node
 * mas_expected_entries() did not count, so only a state that still holds
 * enough nodes goes in.  Under the tree's lock, which mt_set_in_rcu()
 * takes.
 */
static bool trim_rcu_on(struct maple_run *r, struct ma_state *mas,
			const struct test_op *op)
{
#ifdef HAVE_BUG_DESTROY_REBALANCE_RCU
	if (!opts.known_bugs)
		return false;
#endif
	if ((op->r >> 6) % 4 != 3 || state_nodes(mas) < TRIM_RCU_NODES)
		return false;
	mtree_unlock(r->mt);
	mt_set_in_rcu(r->mt);
	mtree_lock(r->mt);
	r->ever_rcu = true;
	return true;
}

/*
 * Bulk mode that ends short: all c bulk ranges (with bit 2 of r, stored
 * as dup_mmap() did, without resetting the state), then, still in bulk
 * mode, a mas_store() of NULL from trim_start() to ULONG_MAX.  A leaf
 * split in bulk mode leaves the right node just sufficient and flags a
 * rebalance; the trim can leave it short, so mas_destroy() must merge it
 * with its left sibling (mas_destroy_rebalance()).  With bit 3 of r the
 * trim stores an entry instead: the leaf then has no gap at its end, and
 * the gap its parent records after the merge must come from what it
 * holds, the entries moved in included.  With --known-bugs and bits 6-7
 * of r at 3, the trim and mas_destroy() run in RCU mode (trim_rcu_on()).
 *
 * The tree is checked, then destroyed (unless --known-bugs): a trim of a
 * last leaf that had more than its minimum clears the rebalance flag and
 * leaves the leaf short, which mt_validate() allows at ULONG_MAX but a
 * later split of its neighbour does not (a kernel bug, README).
 */
static bool op_bulk_trim(struct maple_run *r, const struct test_op *op)
{
	MA_STATE(mas, r->mt, 0, 0);
	void *tail = op->r & 8 ? bulk_entry(r, op->c) : NULL;
	struct trim_leaf t = { 0 };
	unsigned long first = 0;
	bool merge = false;
	struct leaf l = { 0 };
	bool rcu = false;
	int ret;

	if (!mtree_empty(r->mt) || mt_in_rcu(r->mt))
		return true;	/* a replay shrunk into a state bulk mode refuses */
	ret = bulk_fill(r, &mas, op, op->c, op->r & 4);
	if (!ret) {
		first = trim_start(&mas, op);
		leaf_at(r->mt, ULONG_MAX, &l);
		t.min = l.min;
		if (t.min)
			t.last = trim_last_slots(r->mt, op, &l);
		rcu = trim_rcu_on(r, &mas, op);
		mas_set_range(&mas, first, ULONG_MAX);
		mas_store(&mas, tail);
		if (mas_is_err(&mas))
			ret = xa_err(mas.node);
	}
	if (!ret && t.min) {
		t.trim = leaf_slots(r->mt, ULONG_MAX, &l);
		t.left = leaf_slots(r->mt, t.min - 1, &l);
		merge = trim_must_merge(&t);
	}
	mas_destroy(&mas);
	if (merge)
		leaf_slots(r->mt, ULONG_MAX, &l);
	mtree_unlock(r->mt);
	if (rcu)
		mt_clear_in_rcu(r->mt);
	if (r->check && !nomem(r, ret)) {
		ASSERT_EQ(ret, 0);
		model_bulk(r, op, op->c);
		model_store(&r->model, first, ULONG_MAX, tail);
	}
	/* mas_destroy() must have moved slots in: the leaf starts lower. */
	if (r->check && merge && l.min >= t.min) {
		test_fail(__FILE__, __LINE__,
			  "mas_destroy() left the last leaf short: [%#lx, ULONG_MAX] holds %u slots (%u before the fill's last store, %u after the trim); expected slots moved in from its left sibling (%u slots), a first index below %#lx",
			  l.min, l.slots, t.last, t.trim, t.left, t.min);
		return false;
	}
	if (r->check && !check_tree(r))
		return false;
	return opts.known_bugs || op_destroy(r, op);
}

/* A window [a, b] that can hold c indices; anything else is -EINVAL. */
static bool empty_area_args_ok(const struct test_op *op)
{
	return op->a <= op->b && op->c && op->b - op->a >= op->c - 1;
}

/* A window both trees' argument checks accept (see fix_window()). */
static bool window_ok(unsigned long min, unsigned long max, unsigned long size)
{
	return min < max && size && max - min >= size - 1;
}

/* A gap search from the start: exactly the model's area, or -EBUSY. */
static bool check_first(struct maple_run *r, const struct test_op *op,
			bool rev, int ret, unsigned long index,
			unsigned long last)
{
	unsigned long want;
	bool found;

#ifdef HAVE_EMPTY_AREA_ARG_CHECK
	if (!empty_area_args_ok(op)) {
		ASSERT_EQ(ret, -EINVAL);
		return true;
	}
#else
	if (!window_ok(op->a, op->b, op->c))
		return true;	/* fix_window() makes none of these */
#endif
	if (rev)
		found = model_empty_area_rev(&r->model, op->a, op->b, op->c, &want);
	else
		found = model_empty_area(&r->model, op->a, op->b, op->c, &want);
	if (!found) {
		ASSERT_EQ(ret, -EBUSY);
		return true;
	}
	ASSERT_EQ(ret, 0);
	ASSERT_EQ(index, want);
	ASSERT_EQ(last, want + op->c - 1);
	return true;
}

/* r bits 8-9 of an empty-area op: a step from the state its search left. */
#define AREA_STEP_PREV	1
#define AREA_STEP_NEXT	2

/*
 * mas_prev() or mas_next() from the state a gap search left, as
 * unmapped_area_topdown() does: the state is reusable, at the gap that
 * holds the area (from index), so the step gives the entry before or after
 * that gap, as from any state there.
 */
static bool check_step_from_area(struct maple_run *r, struct ma_state *mas,
				 bool fwd, unsigned long index, void *entry)
{
	unsigned long limit = fwd ? ULONG_MAX : 0;
	struct model_range cur, want;
	bool more;

	model_slot(&r->model, index, &cur);
	more = step_want(&r->model, &cur, fwd, false, limit, &want);
	/*
	 * mas_prev() takes the range before as ending below mas->index,
	 * which a search set to the area, not to the gap's start: the
	 * kernel reports that end (README, known kernel bugs), let through
	 * unless --known-bugs.
	 */
	if (more && !fwd && !opts.known_bugs && mas->last == index - 1)
		want.last = index - 1;
	return check_stepped(mas, entry, fwd, false, limit, &cur,
			     more ? &want : NULL);
}

/*
 * mas_empty_area() and mas_empty_area_rev(): a gap of c indices in [a, b].
 * With bit 0 of r, the area found is then filled through the state the
 * search left, as 6.12's mtree_alloc_range() does (6.1's has a path of its
 * own): the search must leave the state fit for a write.  Without it, bits
 * 8-9 of r at 1 or 2 step once back or on from that state
 * (check_step_from_area()).
 */
static bool op_empty_area(struct maple_run *r, const struct test_op *op)
{
	bool rev = op->type == MOP_EMPTY_AREA_REV;
	unsigned int then = (op->r >> 8) & 3;	/* 0, 3: no step */
	void *entry = mk_entry(r->op_nr), *seen = NULL;
	MA_STATE(mas, r->mt, 0, 0);
	unsigned long index, last;
	int ret, sret = 0;

	/* 6.1 finds nothing backwards from above a root entry (known). */
	if (then == AREA_STEP_PREV && prev_root_bug(r))
		then = 0;
	mtree_lock(r->mt);
	if (rev)
		ret = mas_empty_area_rev(&mas, op->a, op->b, op->c);
	else
		ret = mas_empty_area(&mas, op->a, op->b, op->c);
	index = mas.index;
	last = mas.last;
	if (!ret && (op->r & 1)) {
		do {
			mas_store(&mas, entry);
		} while (mas_nomem(&mas, GFP_KERNEL));
		sret = xa_err(mas.node);
		mas_destroy(&mas);
	} else if (!ret && (then == AREA_STEP_PREV || then == AREA_STEP_NEXT)) {
		seen = step(&mas, then == AREA_STEP_NEXT, false,
			    then == AREA_STEP_NEXT ? ULONG_MAX : 0);
	}
	mtree_unlock(r->mt);
	if (!r->check)
		return true;
	if (!empty_area_args_ok(op) || !(r->flags & MT_FLAGS_ALLOC_RANGE)) {
		ASSERT_EQ(ret, -EINVAL);
		return check_index(r, op->a);
	}
	if (!check_first(r, op, rev, ret, index, last))
		return false;
	if (ret)
		return true;
	if (op->r & 1)
		return expect_store(r, sret, index, last, entry);
	if (then != AREA_STEP_PREV && then != AREA_STEP_NEXT)
		return true;
	return check_step_from_area(r, &mas, then == AREA_STEP_NEXT, index,
				    seen);
}

/* The known bug of a search again from offset 0 or 1 (scripts/probe). */
static bool again_skip_bug(void)
{
#ifdef HAVE_BUG_EMPTY_AREA_SKIP_WINDOW
	return !opts.known_bugs;
#else
	return false;
#endif
}

/*
 * An area [index, last] a gap search found: inside its window, size
 * indices, all free.  Sound whatever the search started from.
 */
static bool check_area(struct maple_run *r, unsigned long index,
		       unsigned long last, unsigned long min,
		       unsigned long max, unsigned long size)
{
	unsigned long gfirst = 0, glast = 0;

	if (index < min || last > max || last - index != size - 1) {
		test_fail(__FILE__, __LINE__,
			  "area: expected %#lx indices in [%#lx, %#lx], got [%#lx, %#lx]",
			  size, min, max, index, last);
		return false;
	}
	if (!model_gap(&r->model, index, &gfirst, &glast) || glast < last) {
		test_fail(__FILE__, __LINE__,
			  "area [%#lx, %#lx]: expected free, the model's gap there is %s[%#lx, %#lx]",
			  index, last, gfirst || glast ? "" : "none ",
			  gfirst, glast);
		return false;
	}
	return true;
}

/*
 * A reverse search again from a reverse answer at leaf offset k >= 2 goes
 * on from slot k - 2: below the gap that held the answer, as slot k - 1
 * holds an entry (a tree keeps no two NULL slots in a row).  So it must
 * find the model's highest area in its window below that gap's start.
 */
static bool check_rev_again(struct maple_run *r, unsigned long index1,
			    unsigned long a2, unsigned long b2,
			    unsigned long c2, int ret2, unsigned long index2)
{
	unsigned long gfirst = 0, glast = 0, top, want;

	model_gap(&r->model, index1, &gfirst, &glast);
	top = min(b2, gfirst - 1);
	if (!gfirst || top < a2 || top - a2 < c2 - 1 ||
	    !model_empty_area_rev(&r->model, a2, top, c2, &want)) {
		ASSERT_EQ(ret2, -EBUSY);
		return true;
	}
	ASSERT_EQ(ret2, 0);
	ASSERT_EQ(index2, want);
	return true;
}

/* The range below the entry below the gap that holds index, if any. */
static bool two_below(struct maple_run *r, unsigned long index,
		      struct model_range *slot)
{
	unsigned long gfirst = 0, glast = 0;

	if (!model_gap(&r->model, index, &gfirst, &glast) || !gfirst)
		return false;
	model_slot(&r->model, gfirst - 1, slot);
	if (!slot->first)
		return false;
	model_slot(&r->model, slot->first - 1, slot);
	return true;
}

/*
 * Where a forward search again from a forward answer at leaf offset k >= 2
 * starts: slot k - 2.  Slot k - 1 holds the entry below the answer's gap
 * (a tree keeps no two NULL slots in a row), so slot k - 2 is the range
 * below that entry, cut at the leaf's start leaf_min: a gap that a
 * smaller size may fit, or an entry.
 */
static unsigned long fwd_again_start(struct maple_run *r, unsigned long index1,
				     unsigned long leaf_min)
{
	struct model_range slot;

	if (!two_below(r, index1, &slot))
		return leaf_min;
	return max(slot.first, leaf_min);
}

/*
 * A window for a search again: just the gap below the entry below the
 * first answer, where that search starts, and size to fill it (the first
 * search passed over it, too small or out of its window).  Kept as it is
 * if there is no such gap.
 */
static void gap_below(struct maple_run *r, unsigned long index1,
		      unsigned long *a2, unsigned long *c2)
{
	struct model_range slot;

	if (!two_below(r, index1, &slot) || slot.entry)
		return;
	*a2 = slot.first;
	*c2 = slot.last - slot.first + 1;
}

/*
 * A forward search again that goes on from index from (none: there is no
 * node after the last) must answer the model's lowest fitting area of
 * [max(a, from), b], or -EBUSY if there is none.
 */
static bool check_fwd_again(struct maple_run *r, bool none,
			    unsigned long from, unsigned long a,
			    unsigned long b, unsigned long c, int ret,
			    unsigned long index)
{
	unsigned long want;
	bool found = !none &&
		     model_empty_area(&r->model, max(a, from), b, c, &want);

	if (found ? !ret && index == want : ret == -EBUSY)
		return true;
	if (found)
		test_fail(__FILE__, __LINE__, "mas_empty_area(%#lx, %#lx, %#lx) again, going on from %#lx: returned %d at %#lx, expected 0 at %#lx",
			  a, b, c, from, ret, index, want);
	else if (none)
		test_fail(__FILE__, __LINE__, "mas_empty_area(%#lx, %#lx, %#lx) again, from the last leaf, which ends at ULONG_MAX: returned %d at %#lx, expected -EBUSY",
			  a, b, c, ret, index);
	else
		test_fail(__FILE__, __LINE__, "mas_empty_area(%#lx, %#lx, %#lx) again, going on from %#lx: returned %d at %#lx, expected -EBUSY",
			  a, b, c, from, ret, index);
	return false;
}

/*
 * mas_empty_area(_rev) again on a state a first search (r bit 0: reverse)
 * or mas_walk() (bit 3) left in the tree: the search goes on from that
 * node, two slots back, never behind it (lib/maple_tree.c makes no other
 * promise).  The second search (bit 1: reverse) asks for [a, b] and c
 * shifted down by bits 4-5 (at 3 after a forward answer, bit 7 clear:
 * from and the size of the gap below the entry below it, gap_below()), or
 * (bit 2) [its first answer, b] and c.
 * Whatever it answers must be free and in its window.  After a forward
 * first answer at leaf offset 2 or more, a forward second search starts
 * in the same leaf two slots before it, so it must find the model's
 * lowest fitting area from there (fwd_again_start()): the answer itself,
 * or with a smaller size a gap below it.  From offset 0 or 1 of a leaf
 * below the root, mas_skip_node() goes on from the next leaf, at the
 * leaf's max + 1: a window that reaches there must get the model's
 * lowest area from there.  Reverse after reverse, see check_rev_again().
 */
static bool op_empty_area_again(struct maple_run *r, const struct test_op *op)
{
	bool rev1 = op->r & 1, rev2 = op->r & 2, walk = op->r & 8;
	bool from_answer = op->r & 4, second = false, exact, exact_rev;
	bool skip_bug, skip_exact;
	unsigned long a2 = op->a, b2 = op->b, c2;
	unsigned long index1 = 0, last1 = 0, leaf_min, leaf_max;
	MA_STATE(mas, r->mt, op->a, op->a);
	unsigned char offset;
	int ret1 = -EBUSY, ret2 = 0;

	c2 = max(op->c >> ((op->r >> 4) & 3), 1UL);
	mtree_lock(r->mt);
	if (walk)
		mas_walk(&mas);
	else if (rev1)
		ret1 = mas_empty_area_rev(&mas, op->a, op->b, op->c);
	else
		ret1 = mas_empty_area(&mas, op->a, op->b, op->c);
	offset = mas.offset;
	leaf_min = mas.min;
	leaf_max = mas.max;
	index1 = mas.index;
	last1 = mas.last;
	if (!ret1 && from_answer) {
		a2 = index1;
		c2 = op->c;
	} else if (r->check && !ret1 && !rev1 && ((op->r >> 4) & 3) == 3 &&
		   !(op->r & (1 << 7))) {
		gap_below(r, index1, &a2, &c2);
	}
	/*
	 * Only from a state a search answered or a walk left (an -EBUSY
	 * leaves an error state), with a node (mas_walk() of a root entry
	 * leaves none).  From offset 0 or 1, a forward search goes on with
	 * mas_skip_node() from the next node whatever the window: the known
	 * bug (scripts/probe), whose one wrong answer is let through below.
	 */
	skip_bug = again_skip_bug() && offset < 2 && !rev2;
	if (window_ok(a2, b2, c2) && (walk || !ret1) &&
	    (!walk || xa_is_node(rcu_access_pointer(r->mt->ma_root)))) {
		second = true;
		if (rev2)
			ret2 = mas_empty_area_rev(&mas, a2, b2, c2);
		else
			ret2 = mas_empty_area(&mas, a2, b2, c2);
	}
	exact = !walk && !rev1 && !ret1 && !rev2 && offset >= 2 &&
		xa_is_node(rcu_access_pointer(r->mt->ma_root));
	exact_rev = !walk && rev1 && !ret1 && rev2 && offset >= 2 &&
		    xa_is_node(rcu_access_pointer(r->mt->ma_root));
	skip_exact = second && !rev2 && offset < 2 && mt_height(r->mt) > 1 &&
		     (leaf_max == ULONG_MAX || b2 > leaf_max);
	mtree_unlock(r->mt);
	if (!r->check)
		return true;
	/* The first search started at the start: the model's answer. */
	if (!walk && !check_first(r, op, rev1, ret1, index1, last1))
		return false;
	if (!second)
		return true;
	if (exact_rev &&
	    !check_rev_again(r, index1, a2, b2, c2, ret2, mas.index))
		return false;
	if (exact &&
	    !check_fwd_again(r, false, fwd_again_start(r, index1, leaf_min),
			     a2, b2, c2, ret2, mas.index))
		return false;
	if (skip_exact &&
	    !check_fwd_again(r, leaf_max == ULONG_MAX, leaf_max + 1, a2, b2,
			     c2, ret2, mas.index))
		return false;
	if (ret2) {
		ASSERT_EQ(ret2, -EBUSY);
		return true;
	}
	/*
	 * From offset 0 or 1 the known bug answers with an area above the
	 * window, and only that: whatever else mas_skip_node() leads to is
	 * checked as any answer is.
	 */
	if (skip_bug && mas.index > b2)
		return true;
	return check_area(r, mas.index, mas.last, a2, b2, c2);
}

#if defined(HAVE_ALLOC_RANGE_EMPTY_AREA)
/*
 * What mtree_alloc_range() or mtree_alloc_rrange() must return for the
 * window [a, b] and size c, and where the area starts: built on
 * mas_empty_area(_rev), they take the window as those do.
 */
static int alloc_expect(struct maple_run *r, const struct test_op *op,
			unsigned long *want)
{
	if (!empty_area_args_ok(op) || !(r->flags & MT_FLAGS_ALLOC_RANGE))
		return -EINVAL;
	if (op->type == MOP_ALLOC_RRANGE)
		return model_empty_area_rev(&r->model, op->a, op->b, op->c,
					    want) ? 0 : -EBUSY;
	return model_empty_area(&r->model, op->a, op->b, op->c, want) ?
	       0 : -EBUSY;
}
#elif defined(HAVE_ALLOC_RANGE_MAS_ALLOC)
/*
 * 6.1's own path.  mtree_alloc_range() refuses min > max and max < size,
 * then mas_alloc() walks with mas.last = max - size, which the walk takes
 * as the last index the area may cover: the lowest area in
 * [min, max - size].  mtree_alloc_rrange() refuses min >= max and
 * max < size - 1, and fills the area mas_empty_area_rev() finds in
 * [min, max].
 */
static bool alloc_args_refused_61(const struct test_op *op)
{
	unsigned long min = op->a, max = op->b, size = op->c;

	if (op->type == MOP_ALLOC_RRANGE)
		return min >= max || max < size - 1 || !size;
	return min > max || max < size || !size;
}

static int alloc_expect(struct maple_run *r, const struct test_op *op,
			unsigned long *want)
{
	unsigned long min = op->a, max = op->b, size = op->c;

	if (!(r->flags & MT_FLAGS_ALLOC_RANGE) || alloc_args_refused_61(op))
		return -EINVAL;
	if (op->type == MOP_ALLOC_RRANGE)
		return model_empty_area_rev(&r->model, min, max, size, want) ?
		       0 : -EBUSY;
	return model_empty_area(&r->model, min, max - size, size, want) ?
	       0 : -EBUSY;
}
#endif

#if defined(HAVE_ALLOC_RANGE_EMPTY_AREA) || defined(HAVE_ALLOC_RANGE_MAS_ALLOC)
/* mtree_alloc_range() and mtree_alloc_rrange(): find a gap and fill it. */
static bool op_alloc_range(struct maple_run *r, const struct test_op *op)
{
	bool rev = op->type == MOP_ALLOC_RRANGE;
	void *entry = mk_entry(r->op_nr);
	unsigned long start = 0, want = 0;
	struct slab_faults saved = slab_faults;
	int ret, expect;

#ifdef HAVE_BUG_ALLOC_NOMEM_RET
	/*
	 * The known bug (scripts/probe): a store that failed for want of
	 * memory returns 0.  Fail no allocation that may block here.
	 */
	if (!opts.known_bugs)
		slab_faults.kernel_pct = slab_faults.nth = 0;
#endif
	if (rev)
		ret = mtree_alloc_rrange(r->mt, &start, entry, op->c, op->a,
					 op->b, GFP_KERNEL);
	else
		ret = mtree_alloc_range(r->mt, &start, entry, op->c, op->a,
					op->b, GFP_KERNEL);
	slab_faults.kernel_pct = saved.kernel_pct;
	slab_faults.nth = saved.nth;
	if (!r->check)
		return true;
	expect = alloc_expect(r, op, &want);
	if (expect == -EINVAL) {
		ASSERT_EQ(ret, -EINVAL);
		return check_index(r, op->a);
	}
	if (expect == -EBUSY) {
		ASSERT_EQ(ret, -EBUSY);
		return true;
	}
	if (nomem(r, ret))
		return check_around(r, want, want + op->c - 1);
	ASSERT_EQ(ret, 0);
	ASSERT_EQ(start, want);
	model_store(&r->model, want, want + op->c - 1, entry);
	return check_around(r, want, want + op->c - 1);
}
#endif

/*
 * Destroy the tree.  With the known kernel bug in the RCU destroy walk
 * (scripts/probe), leave RCU mode first, as exit_mmap() does.
 */
static void destroy_tree(struct maple_run *r)
{
#ifdef HAVE_BUG_DESTROY_CLEAR_META
	if (!opts.known_bugs)
		mt_clear_in_rcu(r->mt);
#endif
	mtree_destroy(r->mt);
	/* 6.1 forgets the flags: start again as the sequence began. */
	mt_init_flags(r->mt, r->flags);
}

/* mtree_dup() into the other tree, which then replaces this one. */
#ifdef HAVE_MTREE_DUP
/*
 * A copy into a tree whose attributes differ (here MT_FLAGS_ALLOC_RANGE,
 * either way round) must be refused with -EINVAL before anything is
 * copied: the copy's nodes would be of the wrong type.  Either order of
 * the flags must be refused, not just one.
 */
static bool dup_other_attrs(struct maple_run *r, struct maple_tree *new,
			    bool locked)
{
	unsigned int flags = r->mt->ma_flags & ~MT_FLAGS_HEIGHT_MASK;
	int ret;

	mt_init_flags(new, flags ^ MT_FLAGS_ALLOC_RANGE);
	if (locked)
		ret = mtree_dup(r->mt, new, GFP_NOWAIT);
	else
		ret = __mt_dup(r->mt, new, GFP_KERNEL);
	if (!r->check)
		return true;
	ASSERT_EQ(ret, -EINVAL);
	ASSERT_TRUE(mtree_empty(new));
	return true;
}

/*
 * mtree_dup(), or __mt_dup() for odd r (the caller's locking: there is no
 * one else here), into the other tree, which then replaces this one.  The
 * copy must have the same attributes, an alloc_cyclic() wrap included.
 * One in eight (r bits 8-10 clear) first tries a copy the kernel must
 * refuse (dup_other_attrs()).
 */
static bool op_dup(struct maple_run *r, const struct test_op *op)
{
	struct maple_tree *new = r->mt == &r->trees[0] ? &r->trees[1] : &r->trees[0];
	unsigned long injected = slab_faults.injected;
	bool locked = !(op->r & 1);
	int ret;

	if (!((op->r >> 8) & 7) && !dup_other_attrs(r, new, locked))
		return false;
	mt_init_flags(new, r->mt->ma_flags & ~MT_FLAGS_HEIGHT_MASK);
	/*
	 * __mt_dup() leaves the locking to its caller, as dup_mmap() under
	 * mmap_lock; mtree_dup() allocates under the trees' spinlocks, so
	 * its caller must not let it sleep, and any failure is an -ENOMEM.
	 */
	if (locked)
		ret = mtree_dup(r->mt, new, GFP_NOWAIT);
	else
		ret = __mt_dup(r->mt, new, GFP_KERNEL);
	if (nomem(r, ret) ||
	    (locked && ret == -ENOMEM && slab_faults.injected != injected)) {
		/* Nothing of the failed copy may stay. */
		ASSERT_TRUE(mtree_empty(new));
		return !r->check || check_tree(r);
	}
	if (r->check)
		ASSERT_EQ(ret, 0);
	if (ret)
		return true;
	destroy_tree(r);
	r->mt = new;
	return !r->check || check_tree(r);
}
#endif

#ifdef HAVE_MTREE_ALLOC_CYCLIC
/* The lowest free index in [lo, hi], or the error mas_empty_area() gives. */
static int cyclic_search(struct maple_run *r, unsigned long lo,
			 unsigned long hi, unsigned long *start)
{
	if (lo > hi)
		return -EINVAL;
	return model_empty_area(&r->model, lo, hi, 1, start) ? 0 : -EBUSY;
}

/*
 * mtree_alloc_cyclic() in [a, b]: the first free index from the last one
 * handed out, wrapping to a once; 1 says it wrapped.
 */
static bool op_alloc_cyclic(struct maple_run *r, const struct test_op *op)
{
	unsigned long start = 0, next = r->cyclic_next, want = 0;
	unsigned long lo = max(op->a, r->cyclic_next);
	void *entry = mk_entry(r->op_nr);
	int ret, expect;

	ret = mtree_alloc_cyclic(r->mt, &start, entry, op->a, op->b,
				 &r->cyclic_next, GFP_KERNEL);
	if (!r->check)
		return true;
	if (!(r->flags & MT_FLAGS_ALLOC_RANGE)) {
		/* Only alloc trees track gaps. */
		ASSERT_EQ(ret, -EINVAL);
		ASSERT_EQ(r->cyclic_next, next);
		return check_index(r, lo);
	}
	expect = cyclic_search(r, lo, op->b, &want);
	if (expect < 0 && lo > op->a) {
		expect = cyclic_search(r, op->a, op->b, &want);
		if (!expect)
			expect = 1;
	}
	if (expect < 0 || nomem(r, ret)) {
		if (!nomem(r, ret))
			ASSERT_EQ(ret, expect);
		ASSERT_EQ(r->cyclic_next, next);
		return check_index(r, lo);
	}
	if (r->cyclic_wrapped && !expect)
		expect = 1;
	ASSERT_EQ(ret, expect);
	ASSERT_EQ(start, want);
	ASSERT_EQ(r->cyclic_next, want + 1);
	r->cyclic_wrapped = want == ULONG_MAX;
	model_store(&r->model, want, want, entry);
	return check_around(r, want, want);
}
#define OP_ALLOC_CYCLIC	op_alloc_cyclic
#else
#define OP_ALLOC_CYCLIC	NULL
#endif

/*
 * Nothing may be left of a destroyed tree once RCU has freed its nodes.
 * Only RCU trees free through call_rcu(): the others need no barrier.
 */
static bool check_no_nodes(struct maple_run *r)
{
	/* A grace period costs a membarrier(): wait only for what is left. */
	if (slab_live("maple_node") && ((r->flags & MT_FLAGS_USE_RCU) || r->ever_rcu))
		rcu_barrier();
	if (slab_live("maple_node")) {
		test_fail(__FILE__, __LINE__, "%ld maple nodes leaked",
			  slab_live("maple_node"));
		slab_print_leaks("maple_node", 20);
		return false;
	}
	return true;
}

static bool op_destroy(struct maple_run *r, const struct test_op *op)
{
	destroy_tree(r);
	r->cyclic_wrapped = false;
	model_destroy(&r->model);
	model_init(&r->model);
	if (!r->check)
		return true;
	ASSERT_TRUE(mtree_empty(r->mt));
	return check_no_nodes(r);
}

#ifdef HAVE_MAS_DUMP
/*
 * A maple state at a, left by r % 8 in one of the states mas_dump() names:
 * new, walked, walked and paused, after a mas_find(), overflowed and
 * underflowed (a step whose limit is where it stands), or after storing
 * again what the walk found (which changes nothing, but sets a store
 * type); a write state around it with fields from the op.
 */
static bool mas_dump_at(struct maple_run *r, const struct test_op *op)
{
	MA_STATE(mas, r->mt, op->a, op->a);
	MA_WR_STATE(wr, &mas, NULL);
	unsigned int how = op->r % 8;
	unsigned long first, last;
	void *entry = NULL;
	int ret;

	if (how)
		entry = mas_walk(&mas);
	first = mas.index;
	last = mas.last;
	if (how == 2)
		mas_pause(&mas);
	if (how == 3)
		mas_find(&mas, ULONG_MAX);
	if (how == 4)
		mas_next(&mas, mas.last);
	if (how == 5)
		mas_prev(&mas, mas.index);
	if (how == 6) {
		/* Failed for want of memory: an error state to dump. */
		ret = mas_store_gfp(&mas, entry, GFP_KERNEL);
		if (!nomem(r, ret))
			ASSERT_EQ(ret, 0);
	}
	wr.r_min = mas.index;
	wr.r_max = mas.last;
	wr.end_piv = op->b;
	wr.type = (op->r >> 8) % 4;
	wr.offset_end = (op->r >> 16) % 16;
	return check_mas_dump(&wr) && (how != 6 || check_around(r, first, last));
}
#else
static bool mas_dump_at(struct maple_run *r, const struct test_op *op)
{
	return true;
}
#endif

/*
 * The debug dumps: mt_dump() (c: 1 decimal, 0 hex) read back against the
 * model, and mas_dump()/mas_wr_dump() of a state at a (mas_dump_at()).
 */
static bool op_dump(struct maple_run *r, const struct test_op *op)
{
	bool ok;

	if (!r->check)
		return true;
	mtree_lock(r->mt);
	ok = check_dump(r->mt, &r->model, op->c & 1) && mas_dump_at(r, op);
	mtree_unlock(r->mt);
	return ok;
}

/*
 * RCU mode on or off mid-sequence, as the mm turns it on for a new mm's
 * tree after fork and off before exit_mmap(): the stores that follow take
 * the other paths (appends and slot stores in place only outside RCU
 * mode, nodes freed through call_rcu() only inside it).
 */
static bool op_rcu_toggle(struct maple_run *r, const struct test_op *op)
{
	unsigned int flags = r->mt->ma_flags;
	unsigned long released = spin_releases;

	if (mt_in_rcu(r->mt)) {
		mt_clear_in_rcu(r->mt);
	} else {
#ifdef HAVE_BUG_DESTROY_CLEAR_META
		/* The known bug of RCU trees without ALLOC_RANGE (README). */
		if (!(r->mt->ma_flags & MT_FLAGS_ALLOC_RANGE) && !opts.known_bugs)
			return true;
#endif
		mt_set_in_rcu(r->mt);
		r->ever_rcu = true;
	}
	if (r->check && !check_rcu_toggle(r->mt, flags, released))
		return false;
	return !r->check || check_tree(r);
}

static bool op_check(struct maple_run *r, const struct test_op *op)
{
	return !r->check || check_tree(r);
}

/* Ops this tree cannot run have no apply(): --list says so, replays refuse them. */
#if defined(HAVE_ALLOC_RANGE_EMPTY_AREA) || defined(HAVE_ALLOC_RANGE_MAS_ALLOC)
#define OP_ALLOC_RANGE	op_alloc_range
#else
#define OP_ALLOC_RANGE	NULL
#endif
#ifdef HAVE_MTREE_DUP
#define OP_DUP		op_dup
#else
#define OP_DUP		NULL
#endif

static const struct mop_info mop_info[NR_MOPS] = {
	[MOP_STORE]		= { .name = "mtree_store_range", .apply = op_store, .weight = { 30, 5, 15 } },
	[MOP_STORE_NULL]	= { .name = "mtree_store_range_null", .apply = op_store_null, .weight = { 2, 15, 5 } },
	[MOP_INSERT]		= { .name = "mtree_insert_range", .apply = op_insert, .weight = { 10, 2, 5 } },
	[MOP_ERASE]		= { .name = "mtree_erase", .apply = op_erase, .weight = { 3, 25, 8 } },
	[MOP_LOAD]		= { .name = "mtree_load", .apply = op_load, .weight = { 4, 4, 6 } },
	[MOP_MAS_STORE]		= { .name = "mas_store_gfp", .apply = op_mas_store, .weight = { 15, 6, 8 } },
	[MOP_MAS_PREALLOC]	= { .name = "mas_store_prealloc", .apply = op_mas_prealloc, .weight = { 10, 6, 6 } },
	[MOP_MAS_PREALLOC_DESTROY] = { .name = "mas_preallocate+mas_destroy", .apply = op_mas_prealloc_destroy, .weight = { 1, 1, 1 } },
	[MOP_MAS_ERASE]		= { .name = "mas_erase", .apply = op_mas_erase, .weight = { 2, 15, 5 } },
	[MOP_MAS_WALK]		= { .name = "mas_walk", .apply = op_mas_walk, .weight = { 3, 3, 5 } },
	[MOP_FIND]		= { .name = "mas_find", .apply = op_find, .weight = { 2, 2, 5 } },
	[MOP_FIND_REV]		= { .name = "mas_find_rev", .apply = op_find_rev, .weight = { 1, 1, 3 } },
	[MOP_MT_FIND]		= { .name = "mt_for_each", .apply = op_mt_find, .weight = { 1, 1, 3 } },
	[MOP_STEP]		= { .name = "mas_next+mas_prev", .apply = op_step, .weight = { 1, 1, 4 } },
	[MOP_FIND_RANGE]	= { .name = "mas_find_range", .apply = OP_FIND_RANGE, .weight = { 1, 1, 3 } },
	[MOP_MT_STEP]		= { .name = "mt_next+mt_prev", .apply = op_mt_step, .weight = { 1, 1, 2 } },
	[MOP_BULK]		= { .name = "mas_expected_entries", .apply = op_bulk },
	[MOP_EMPTY_AREA]	= { .name = "mas_empty_area", .apply = op_empty_area, .weight = { 2, 2, 3 }, .alloc_only = true },
	[MOP_EMPTY_AREA_REV]	= { .name = "mas_empty_area_rev", .apply = op_empty_area, .weight = { 2, 2, 3 }, .alloc_only = true },
	[MOP_ALLOC_RANGE]	= { .name = "mtree_alloc_range", .apply = OP_ALLOC_RANGE, .weight = { 6, 1, 3 }, .alloc_only = true },
	[MOP_ALLOC_RRANGE]	= { .name = "mtree_alloc_rrange", .apply = OP_ALLOC_RANGE, .weight = { 6, 1, 3 }, .alloc_only = true },
	[MOP_ALLOC_CYCLIC]	= { .name = "mtree_alloc_cyclic", .apply = OP_ALLOC_CYCLIC, .weight = { 3, 1, 2 }, .alloc_only = true },
	[MOP_DUP]		= { .name = "mtree_dup", .apply = OP_DUP },
	[MOP_DESTROY]		= { .name = "mtree_destroy", .apply = op_destroy },
	[MOP_CHECK]		= { .name = "check", .apply = op_check },
	[MOP_BULK_TRIM]		= { .name = "mas_expected_entries+trim", .apply = op_bulk_trim },
	[MOP_DUMP]		= { .name = "mt_dump", .apply = op_dump },
	[MOP_FIND_STORE]	= { .name = "mas_for_each+store", .apply = op_find_store, .weight = { 3, 3, 5 } },
	[MOP_RCU_TOGGLE]	= { .name = "mt_set_in_rcu/mt_clear_in_rcu", .apply = op_rcu_toggle },
	[MOP_EMPTY_AREA_AGAIN]	= { .name = "mas_empty_area+again", .apply = op_empty_area_again, .weight = { 1, 1, 2 }, .alloc_only = true },
};

/* ---- Generators ---- */

static unsigned long profile_index(struct maple_run *r, enum profile p)
{
	struct rng *g = &r->rng;

	switch (p) {
	case P_DENSE:
		return rng_below(g, 4096);
	case P_TINY:
		return rng_below(g, 16);
	case P_MMAP:
		return rng_range(g, 1, 1UL << 35) << 12;
	case P_EDGES:
		if (rng_percent(g, 50))
			return rng_below(g, 2048);
		return ULONG_MAX - rng_below(g, 2048);
	default:
		return rng_next(g);
	}
}

/* A length - 1: mostly small, sometimes spanning many nodes. */
static unsigned long profile_span(struct maple_run *r, enum profile p)
{
	struct rng *g = &r->rng;
	unsigned long span;
	unsigned int pct = rng_below(g, 100);

	switch (p) {
	case P_TINY:
		return pct < 60 ? 0 : rng_below(g, 4);
	case P_DENSE:
	case P_EDGES:
		if (pct < 45)
			return 0;
		if (pct < 85)
			return rng_below(g, 8);
		if (pct < 98)
			return rng_below(g, 256);
		return rng_below(g, 4096);
	case P_MMAP:
		if (pct < 80)
			return (rng_range(g, 1, 16) << 12) - 1;
		if (pct < 98)
			return (rng_range(g, 1, 4096) << 12) - 1;
		return (rng_range(g, 1, 1UL << 24) << 12) - 1;
	default:
		if (pct < 40)
			return 0;
		if (pct < 70)
			return rng_below(g, 16);
		if (pct < 90)
			return rng_below(g, 1UL << 20);
		/* Two draws: in order, so that every build makes the same ops. */
		span = rng_next(g);
		return span >> rng_below(g, 64);
	}
}

static enum profile op_profile(struct maple_run *r)
{
	if (r->profile == P_MIXED)
		return rng_below(&r->rng, P_MIXED);
	return r->profile;
}

/*
 * An index where bugs live: the edges of existing ranges (both sides),
 * the ends of the index space, or anywhere in the profile's space.
 */
static unsigned long gen_index(struct maple_run *r, enum profile p)
{
	static const unsigned long edges[] = {
		0, 1, 2, 15, 16, 4095, 4096, ULONG_MAX, ULONG_MAX - 1,
		ULONG_MAX - 15, ULONG_MAX - 4096, LONG_MAX, (unsigned long)LONG_MAX + 1,
	};
	unsigned int near = r->phase == PH_SHRINK ? 80 : 35;
	unsigned int pct = rng_below(&r->rng, 100);
	struct model_range n;

	if (pct < near && r->model.count &&
	    model_find(&r->model, profile_index(r, p), &n)) {
		switch (rng_below(&r->rng, 5)) {
		case 0:
			return n.first;
		case 1:
			return n.last;
		case 2:
			return n.first - 1;
		case 3:
			return n.last + 1;
		default:
			return n.first + rng_below(&r->rng, n.last - n.first + 1);
		}
	}
	if (pct < near + 4)
		return edges[rng_below(&r->rng, ARRAY_SIZE(edges))];
	return profile_index(r, p);
}

static void gen_range(struct maple_run *r, enum profile p, unsigned long *first,
		      unsigned long *last)
{
	unsigned long span = profile_span(r, p);

	/* An empty tiny tree: a store at 0 alone makes it a root entry. */
	if (p == P_TINY && !r->model.count && rng_percent(&r->rng, 25)) {
		*first = *last = 0;
		return;
	}
	*first = gen_index(r, p);
	*last = *first + span;
	if (*last < *first || rng_percent(&r->rng, 1))
		*last = ULONG_MAX;
}

/*
 * Running sums of the op weights, for plain and alloc trees in each phase:
 * picking an op is then one draw and a scan of one array.  Ops the tree
 * lacks (no apply) weigh nothing.
 */
static unsigned int mop_cum[2][NR_PHASES][NR_MOPS];

static void init_mop_cum(void)
{
	unsigned int sum;
	int alloc, ph, t;

	for (alloc = 0; alloc < 2; alloc++) {
		for (ph = 0; ph < NR_PHASES; ph++) {
			sum = 0;
			for (t = 0; t < NR_MOPS; t++) {
				if (mop_info[t].apply &&
				    (alloc || !mop_info[t].alloc_only))
					sum += mop_info[t].weight[ph];
				mop_cum[alloc][ph][t] = sum;
			}
		}
	}
}

static enum mop_type pick_type(struct maple_run *r)
{
	const unsigned int *cum;
	unsigned int w;
	int t;

	/* Rare ops first: they rebuild the tree or cost a full walk. */
	if (rng_below(&r->rng, 3000) == 0)
		return MOP_DESTROY;
	if (rng_below(&r->rng, 2000) == 0)
		return MOP_RCU_TOGGLE;
	/* A dump prints every slot: about one per sequence. */
	if (rng_below(&r->rng, 10000) == 0)
		return MOP_DUMP;
	if (!r->model.count && !(r->flags & MT_FLAGS_USE_RCU) &&
	    rng_percent(&r->rng, 30))
		return rng_percent(&r->rng, 50) ? MOP_BULK : MOP_BULK_TRIM;
#ifdef HAVE_MTREE_DUP
	/*
	 * A dup also destroys the old tree: the destroy walk sees the tree's
	 * shape of the moment (a full node of nodes, say), which the
	 * destroys at the end of a sequence or after MOP_DESTROY seldom do.
	 */
	if (rng_below(&r->rng, 300) == 0)
		return MOP_DUP;
#endif
	/*
	 * A tiny tree of one entry or none may live in the root pointer,
	 * whose states (ma_root, ma_none) other trees never reach: walk it.
	 */
	if (r->profile == P_TINY && r->model.count <= 1 &&
	    rng_percent(&r->rng, 30)) {
		static const enum mop_type walks[] = {
			MOP_STEP, MOP_FIND, MOP_FIND_REV, MOP_MAS_WALK,
		};

		return walks[rng_below(&r->rng, ARRAY_SIZE(walks))];
	}
	/* Now and then an alloc op on a plain tree, which must refuse it. */
	if (!(r->flags & MT_FLAGS_ALLOC_RANGE) && rng_below(&r->rng, 4000) == 0) {
		t = rng_percent(&r->rng, 50) ? MOP_ALLOC_RANGE : MOP_ALLOC_CYCLIC;
		if (mop_info[t].apply)
			return t;
	}
	cum = mop_cum[!!(r->flags & MT_FLAGS_ALLOC_RANGE)][r->phase];
	w = rng_below(&r->rng, cum[NR_MOPS - 1]);
	for (t = 0; w >= cum[t]; t++)
		;
	return t;
}

/*
 * A window for a gap search.  Trees before the argument checks get valid
 * windows only (min < max, 1 <= size <= max - min + 1).  A search up to
 * ULONG_MAX backwards is a known kernel bug (scripts/probe).
 */
static void fix_window(struct test_op *op)
{
#ifdef HAVE_BUG_REV_AWALK_OVERFLOW
	if ((op->type == MOP_EMPTY_AREA_REV || op->type == MOP_ALLOC_RRANGE) &&
	    op->b == ULONG_MAX && !opts.known_bugs)
		op->b--;
#endif
#ifndef HAVE_EMPTY_AREA_ARG_CHECK
	if (!op->c)
		op->c = 1;
	if (op->a >= op->b)
		op->a = op->b - 1;
	if (op->b - op->a < op->c - 1)
		op->c = op->b - op->a + 1;
#endif
}

/*
 * 6.1's mtree_alloc_range() and mtree_alloc_rrange() check their own
 * arguments (alloc_expect()): one in four (r bits 0-1 clear) of the
 * windows they refuse is left as generated, so that the refusal is
 * seen: fix_window() would turn every window into one they accept.
 */
static bool keep_refused_61(const struct test_op *op)
{
#ifdef HAVE_ALLOC_RANGE_MAS_ALLOC
	return !(op->r & 3) && (op->type == MOP_ALLOC_RRANGE ||
				op->type == MOP_ALLOC_RANGE) &&
	       alloc_args_refused_61(op);
#else
	return false;
#endif
}

/*
 * 6.1's own mtree_alloc_range() and mtree_alloc_rrange() have known bugs
 * (scripts/probe) on trees of height 0 or 1: search such trees with the
 * matching mas_empty_area(_rev) instead.
 */
static void fix_alloc_61(struct maple_run *r, struct test_op *op)
{
	bool rev = op->type == MOP_ALLOC_RRANGE;
	unsigned int low = 0;

#ifdef HAVE_BUG_RALLOC_SPARSE
	if (rev)
		low = 1;
#endif
#ifdef HAVE_BUG_ALLOC_ROOT_EXPAND
	if (!rev)
		low = 1;
#endif
#ifdef HAVE_BUG_FILL_GAP_ROOT
	low = 2;
#endif
	if (mt_height(r->mt) < low)
		op->type = rev ? MOP_EMPTY_AREA_REV : MOP_EMPTY_AREA;
}

/*
 * A tree holding only [0, 0] may keep it in the root, where mas_find_rev()
 * has known bugs (scripts/probe): search from 0 only.
 */
static bool root_only(struct maple_run *r)
{
#if defined(HAVE_BUG_FIND_REV_ROOT_MIN) || defined(HAVE_BUG_FIND_REV_ROOT_NULL)
	struct model_range n;

	return !opts.known_bugs && r->model.count == 1 &&
	       model_find(&r->model, 0, &n) && n.last == 0;
#else
	return false;
#endif
}

/*
 * Make an op one this tree may be given: bounded work, valid arguments
 * where the tree has no checks of its own, and none of the triggers of the
 * known kernel bugs (scripts/probe) unless --known-bugs.  Generated and
 * fuzzed ops both pass through here.
 */
static void fix_op(struct maple_run *r, struct test_op *op)
{
	bool avoid = !opts.known_bugs;

	switch (op->type) {
	case MOP_MAS_STORE:
	case MOP_MAS_PREALLOC:
	case MOP_MAS_PREALLOC_DESTROY:
		/* The advanced API trusts its caller with index <= last. */
		if (op->a > op->b)
			swap(op->a, op->b);
		break;
	case MOP_INSERT:
#ifdef HAVE_BUG_INSERT_NEW_ROOT
		if (avoid && !op->a && op->b == ULONG_MAX)
			op->b--;
#endif
		break;
	case MOP_FIND:
	case MOP_MT_FIND:
	case MOP_FIND_REV:
	case MOP_FIND_STORE:
		if (!op->c || op->c > 64)
			op->c = op->c % 64 + 1;
		/*
		 * A tree of [0, 0] alone in the root: a min above 0 still
		 * finds it (HAVE_BUG_FIND_REV_ROOT_MIN), and 6.1 finds
		 * nothing from above 0 (HAVE_BUG_FIND_REV_ROOT_NULL).
		 */
		if (op->type == MOP_FIND_REV && root_only(r)) {
			op->a = 0;
#ifdef HAVE_BUG_FIND_REV_ROOT_NULL
			op->b = 0;
#endif
		}
		break;
	case MOP_FIND_RANGE:
		op->c &= 1;
		if (root_only(r))
			op->c = 0;
		break;
	case MOP_MT_STEP:
		op->c &= 1;
		break;
	case MOP_BULK:
	case MOP_BULK_TRIM:
		if (!op->b || op->b > 4096)
			op->b = op->b % 4096 + 1;
		if (!op->c || op->c > BULK_MAX)
			op->c = op->c % BULK_MAX + 1;
		/* All c ranges must fit below ULONG_MAX. */
		if (op->a > ULONG_MAX - bulk_span(op))
			op->a = 0;
		break;
	case MOP_EMPTY_AREA_REV:
	case MOP_ALLOC_RRANGE:
#ifdef HAVE_BUG_REV_AWALK_FULL_GAP
		/* A tree emptied to one NULL slot; one with no root is fine. */
		if (avoid && !r->model.count && !mtree_empty(r->mt))
			op->type = op->type == MOP_EMPTY_AREA_REV ?
				   MOP_EMPTY_AREA : MOP_ALLOC_RANGE;
#endif
		fallthrough;
	case MOP_EMPTY_AREA_AGAIN:
#ifdef HAVE_BUG_REV_AWALK_OVERFLOW
		if (avoid && (op->r & 3) && op->b == ULONG_MAX)
			op->b--;
#endif
#ifdef HAVE_BUG_REV_AWALK_FULL_GAP
		/* The first search is checked: forwards on one NULL slot. */
		if (avoid && !r->model.count && !mtree_empty(r->mt))
			op->r &= ~1ULL;
#endif
		fallthrough;
	case MOP_EMPTY_AREA:
	case MOP_ALLOC_RANGE:
	case MOP_ALLOC_CYCLIC:
#ifdef HAVE_BUG_AWALK_FULL_GAP
		if (avoid && !r->model.count && !mtree_empty(r->mt) &&
		    !op->a && op->b == ULONG_MAX)
			op->b--;
#endif
		if (keep_refused_61(op))
			break;
		if (op->type != MOP_ALLOC_CYCLIC)
			fix_window(op);
		if (avoid && (r->flags & MT_FLAGS_ALLOC_RANGE) &&
		    (op->type == MOP_ALLOC_RANGE || op->type == MOP_ALLOC_RRANGE))
			fix_alloc_61(r, op);
		break;
	default:
		break;
	}
}

static void gen_op(struct maple_run *r, struct test_op *op)
{
	enum profile p = op_profile(r);
	unsigned long first, last;
	struct model_range n;

	memset(op, 0, sizeof(*op));
	op->type = pick_type(r);
	op->r = rng_next(&r->rng);
	switch (op->type) {
	case MOP_STORE:
	case MOP_INSERT:
		gen_range(r, p, &op->a, &op->b);
		/* Now and then a backwards range, which must be refused. */
		if (rng_below(&r->rng, 200) == 0 && op->a != op->b)
			swap(op->a, op->b);
		break;
	case MOP_STORE_NULL:
	case MOP_MAS_STORE:
	case MOP_MAS_PREALLOC:
	case MOP_MAS_PREALLOC_DESTROY:
		gen_range(r, p, &op->a, &op->b);
		op->c = op->type == MOP_STORE_NULL || rng_percent(&r->rng, 85);
		/* A tiny tree emptied, to start again from a root entry. */
		if (p == P_TINY && op->type == MOP_STORE_NULL &&
		    rng_percent(&r->rng, 10)) {
			op->a = 0;
			op->b = ULONG_MAX;
		}
		/* One store in sixteen of these two writes XA_ZERO_ENTRY. */
		if (op->c && ((op->r >> 8) & 15) == 0 &&
		    (op->type == MOP_MAS_STORE || op->type == MOP_MAS_PREALLOC))
			op->c = 2;
		break;
	case MOP_ERASE:
	case MOP_LOAD:
	case MOP_MAS_ERASE:
		op->a = gen_index(r, p);
		break;
	case MOP_MAS_WALK:
		op->a = gen_index(r, p);
		/*
		 * [0, 0] alone is kept in the root, whose walk sets the range
		 * itself: there, one walk in four is of 0 from a state whose
		 * last is not its index (op_mas_walk()).
		 */
		if ((op->r & 6) == 6 && r->model.count == 1 &&
		    model_find(&r->model, 0, &n) && !n.last)
			op->a = 0;
#ifdef HAVE_MAS_WALK_RESET
		op->c = op->r & 1;
		if (op->c)
			op->b = gen_index(r, p);
#endif
		break;
	case MOP_FIND:
	case MOP_MT_FIND:
	case MOP_FIND_STORE:
		gen_range(r, p, &op->a, &op->b);
		if (rng_percent(&r->rng, 50))
			op->b = ULONG_MAX;
		op->c = rng_range(&r->rng, 1, 64);
		break;
	case MOP_STEP:
		op->a = gen_index(r, p);
		op->b = rng_percent(&r->rng, 50) ? ULONG_MAX : gen_index(r, p);
		op->c = rng_percent(&r->rng, 50) ? 0 : gen_index(r, p);
		break;
	case MOP_FIND_RANGE: {
		struct model_range n;

		op->c = rng_below(&r->rng, 2);
		op->a = gen_index(r, p);
		if (model_find(&r->model, op->a, &n))
			op->a = op->c ? n.last : n.first;
		op->b = rng_percent(&r->rng, 50) ? (op->c ? 0 : ULONG_MAX) :
			gen_index(r, p);
		break;
	}
	case MOP_ALLOC_CYCLIC:
		gen_range(r, p, &op->a, &op->b);
		if (rng_percent(&r->rng, 20))
			op->b = ULONG_MAX;
		break;
	case MOP_MT_STEP:
		op->a = gen_index(r, p);
		op->c = rng_below(&r->rng, 2);
		op->b = rng_percent(&r->rng, 50) ? (op->c ? 0 : ULONG_MAX) :
			gen_index(r, p);
		break;
	case MOP_DUMP:
		op->a = gen_index(r, p);
		op->b = rng_next(&r->rng);
		op->c = rng_below(&r->rng, 2);
		break;
	case MOP_BULK:
	case MOP_BULK_TRIM:
		op->a = gen_index(r, p);
		op->b = profile_span(r, p) % 4096 + 1;
		op->c = rng_range(&r->rng, 1, BULK_SMALL);
		/*
		 * A sequence's first op, if bulk, is sixteen times as big
		 * one time in two (r bits 16-23, which the op leaves alone;
		 * no draw, so other ops keep theirs): up to three levels of
		 * nodes above the leaves, whose destroy walk climbs through
		 * nodes of nodes, and one of 15 children keeps its metadata
		 * in its last slot.  Bulk ops come whenever the tree is
		 * empty, dozens in some sequences: a big one costs as much
		 * as the sequence's other ops together.
		 */
		if (r->op_nr == 1 && !((op->r >> 16) % 2))
			op->c = op->c * 16 - (op->r >> 20) % 16;
		break;
	case MOP_FIND_REV:
		gen_range(r, p, &op->a, &op->b);
		if (rng_percent(&r->rng, 30))
			op->a = 0;
		op->c = rng_range(&r->rng, 1, 64);
		break;
	case MOP_EMPTY_AREA:
	case MOP_EMPTY_AREA_REV:
	case MOP_EMPTY_AREA_AGAIN:
	case MOP_ALLOC_RANGE:
	case MOP_ALLOC_RRANGE:
		gen_range(r, p, &first, &last);
		op->a = first;
		op->b = rng_percent(&r->rng, 30) ? ULONG_MAX : last;
		op->c = profile_span(r, p) + 1;
		/*
		 * A tree of [0, 0] alone keeps it in the root, where
		 * mas_sparse_area() moves a window from 0 up one index.
		 */
		if (r->model.count == 1 && model_find(&r->model, 0, &n) &&
		    !n.last && rng_percent(&r->rng, 50))
			op->a = 0;
		/*
		 * A window just the size asked for, or one index short; often
		 * on a tree of one entry or none (mas_sparse_area()).
		 */
		if (rng_percent(&r->rng, r->model.count <= 1 ? 50 : 10))
			op->c = op->b - op->a + 1 + rng_below(&r->rng, 2);
		/*
		 * pick_type() gives a plain tree only mtree_alloc_range():
		 * by r bit 2, which alloc ops leave unused, make it the
		 * reverse one, whose own refusal must be seen too.
		 */
		if (op->type == MOP_ALLOC_RANGE && (op->r & 4) &&
		    !(r->flags & MT_FLAGS_ALLOC_RANGE))
			op->type = MOP_ALLOC_RRANGE;
		break;
	default:
		break;
	}
	fix_op(r, op);
}

/* ---- The sequence ---- */

/* ctx->config: the tree's flags, and the profile above them. */
#define CONFIG_PROFILE_SHIFT	16

static void maple_describe(const struct test_op *op, char *buf, size_t len)
{
	unsigned long flags = ctx->config & ((1UL << CONFIG_PROFILE_SHIFT) - 1);
	unsigned long profile = ctx->config >> CONFIG_PROFILE_SHIFT;

	snprintf(buf, len, "%s a=%#lx b=%#lx c=%#lx r=%#llx [%s%s tree, %s]",
		 op->type < NR_MOPS ? mop_info[op->type].name : "?",
		 op->a, op->b, op->c, (unsigned long long)op->r,
		 flags & MT_FLAGS_ALLOC_RANGE ? "alloc" : "plain",
		 flags & MT_FLAGS_USE_RCU ? "+rcu" : "",
		 profile < NR_PROFILES ? profile_names[profile] : "?");
}

static void init_run(struct maple_run *r, uint64_t seed, bool check)
{
	memset(r, 0, sizeof(*r));
	rng_seed(&r->rng, seed);
	rng_seed(&r->check_rng, ~seed);
	r->check = check;
	r->phase = PH_GROW;
	r->mt = &r->trees[0];
	model_init(&r->model);
	if (!mop_cum[1][PH_GROW][NR_MOPS - 1])
		init_mop_cum();
}

/* A new sequence: the seed chooses the tree and the index profile. */
static void start_sequence(struct maple_run *r, uint64_t seed, bool check)
{
	init_run(r, seed, check);
	if (rng_percent(&r->rng, 50))
		r->flags |= MT_FLAGS_ALLOC_RANGE;
	if (rng_percent(&r->rng, 25))
		r->flags |= MT_FLAGS_USE_RCU;
#ifdef HAVE_BUG_DESTROY_CLEAR_META
	/*
	 * Spanning stores and whole-range stores also run the buggy RCU
	 * destroy walk, and no sequence avoids them: keep RCU trees to
	 * ALLOC_RANGE ones, whose metadata is not in the slots (the kernel's
	 * own RCU trees, the VMA trees, are such).
	 */
	if ((r->flags & MT_FLAGS_USE_RCU) && !opts.known_bugs)
		r->flags |= MT_FLAGS_ALLOC_RANGE;
#endif
	r->profile = rng_below(&r->rng, NR_PROFILES);
	mt_init_flags(r->mt, r->flags);
	ctx->config = r->flags | (unsigned long)r->profile << CONFIG_PROFILE_SHIFT;
}

/* A replayed sequence: the tree and profile come from ctx->config. */
static void start_replay(struct maple_run *r)
{
	init_run(r, ctx->seed, true);
	r->flags = ctx->config & (MT_FLAGS_ALLOC_RANGE | MT_FLAGS_USE_RCU);
	r->profile = (ctx->config >> CONFIG_PROFILE_SHIFT) % NR_PROFILES;
	mt_init_flags(r->mt, r->flags);
}

static void next_phase(struct maple_run *r, unsigned long ops)
{
	if (r->op_nr < r->phase_end)
		return;
	r->phase = rng_below(&r->rng, NR_PHASES);
	r->phase_end = r->op_nr + rng_range(&r->rng, ops / 16 + 1, ops / 4 + 1);
}

static void dump_tree(struct maple_run *r)
{
#ifdef HAVE_MT_DUMP_FORMAT
	mt_dump(r->mt, mt_dump_hex);
#else
	mt_dump(r->mt);
#endif
}

static bool end_sequence(struct maple_run *r, bool ok)
{
	if (ok && r->check)
		ok = check_tree(r);
	else if (!ok) {
		printk("tree after the failing op:\n");
		dump_tree(r);
	}
	destroy_tree(r);
	model_destroy(&r->model);
	if (ok && r->check)
		ok = check_no_nodes(r);
	return ok;
}

/*
 * Full walks and mt_validate() cost O(n): every 250 ops costs about 5% more
 * instructions than every 1000, and catches a node left short by a missed
 * rebalance before later ops repair it (measured on planted bugs).
 */
#ifndef CHECK_EVERY
#define CHECK_EVERY	250
#endif

static void next_op(struct maple_run *r, unsigned long ops)
{
	next_phase(r, ops);
	if (r->op_nr % CHECK_EVERY == 0) {
		memset(&r->op, 0, sizeof(r->op));
		r->op.type = MOP_CHECK;
	} else {
		gen_op(r, &r->op);
	}
}

static bool apply_op(struct maple_run *r)
{
	test_log_op(&r->op);
	r->injected_blocking = slab_faults.injected_blocking;
	if (opts.trace) {
		char buf[256];

		maple_describe(&r->op, buf, sizeof(buf));
		printf("op %lu: %s (%lu ranges)\n", r->op_nr, buf, r->model.count);
	}
	if (opts.dump_before == r->op_nr) {
		printk("tree before op %lu:\n", r->op_nr);
		dump_tree(r);
	}
	return mop_info[r->op.type].apply(r, &r->op) && !ctx->failed;
}

static bool maple_run(unsigned long ops)
{
	struct maple_run *r = &run;
	bool ok = true;

	start_sequence(r, ctx->seed, true);
	for (r->op_nr = 1; r->op_nr <= ops && ok; r->op_nr++) {
		next_op(r, ops);
		ok = apply_op(r);
	}
	return end_sequence(r, ok);
}

static bool maple_replay(const struct test_op *ops, unsigned long n)
{
	struct maple_run *r = &run;
	bool ok = true;

	start_replay(r);
	for (r->op_nr = 1; r->op_nr <= n && ok; r->op_nr++) {
		r->op = ops[r->op_nr - 1];
		/*
		 * Generated ops are fixed already (fix_op() changes nothing
		 * twice); ops the shrinker made smaller or a person wrote
		 * may not be.
		 */
		if (r->op.type < NR_MOPS)
			fix_op(r, &r->op);
		ok = apply_op(r);
	}
	return end_sequence(r, ok);
}

/*
 * A fuzzer's bytes: the tree's setup, then ops (a type byte and four
 * numbers), each made valid by fix_op() as generated ones are.
 */
static bool maple_fuzz(struct fuzz_input *in)
{
	struct maple_run *r = &run;
	bool ok = true;

	ctx->config = (fuzz_byte(in) & (MT_FLAGS_ALLOC_RANGE | MT_FLAGS_USE_RCU)) |
		      (unsigned long)(fuzz_byte(in) % NR_PROFILES) << CONFIG_PROFILE_SHIFT;
#ifdef HAVE_BUG_DESTROY_CLEAR_META
	if ((ctx->config & MT_FLAGS_USE_RCU) && !opts.known_bugs)
		ctx->config |= MT_FLAGS_ALLOC_RANGE;
#endif
	start_replay(r);
	for (r->op_nr = 1; in->size && r->op_nr <= 100000 && ok; r->op_nr++) {
		struct test_op *op = &r->op;

		op->type = fuzz_byte(in) % NR_MOPS;
		op->a = fuzz_number(in);
		op->b = fuzz_number(in);
		op->c = fuzz_number(in);
		op->r = fuzz_number(in);
		if (!mop_info[op->type].apply || (mop_info[op->type].alloc_only &&
						  !(r->flags & MT_FLAGS_ALLOC_RANGE))) {
			r->op_nr--;
			continue;
		}
		fix_op(r, op);
		ok = apply_op(r);
	}
	return end_sequence(r, ok);
}

static bool maple_has_op(unsigned int type)
{
	return type < NR_MOPS && mop_info[type].apply;
}

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Apply recorded ops; returns the seconds the ops took. */
static double bench_replay(uint64_t seed, const struct test_op *ops,
			   unsigned long n, bool check)
{
	struct maple_run *r = &run;
	double start;

	start_sequence(r, seed, check);
	ctx_reset("maple", seed);
	start = seconds();
	for (r->op_nr = 1; r->op_nr <= n; r->op_nr++) {
		r->op = ops[r->op_nr - 1];
		apply_op(r);
	}
	start = seconds() - start;
	end_sequence(r, true);
	/* Nodes freed through call_rcu() must not count in the next run. */
	rcu_barrier();
	return start;
}

/*
 * The same recorded ops twice: once with the model and every check, once
 * on the kernel alone.  The difference is what the model costs.
 */
static void maple_bench(unsigned long nops)
{
	double with = 0, alone = 0;
	unsigned long nodes = slab_total("maple_node"), total = 0;
	struct test_op *ops = calloc(nops, sizeof(*ops));
	uint64_t seed;

	if (!ops)
		abort();
	for (seed = 1; seed <= 8; seed++) {
		struct maple_run *r = &run;

		start_sequence(r, seed, true);
		ctx_reset("maple", seed);
		for (r->op_nr = 1; r->op_nr <= nops; r->op_nr++) {
			next_op(r, nops);
			ops[r->op_nr - 1] = r->op;
			apply_op(r);
		}
		end_sequence(r, true);
		with += bench_replay(seed, ops, nops, true);
		alone += bench_replay(seed, ops, nops, false);
		total += nops;
	}
	free(ops);
	nodes = slab_total("maple_node") - nodes;
	printf("bench maple: %lu ops (8 seeds x %lu)\n", total, nops);
	printf("  with model:   %10.0f ops/s\n", total / with);
	printf("  kernel alone: %10.0f ops/s\n", total / alone);
	printf("  model share:  %9.1f%% of the time (kernel %.1f%%)\n",
	       100 * (with - alone) / with, 100 * alone / with);
	printf("  nodes allocated per op: %.2f\n", nodes / (3.0 * total));
	printf("  peak RSS: %ld KiB\n", peak_rss_kib());
}

static void maple_list_ops(FILE *f)
{
	int t;

	for (t = 0; t < NR_MOPS; t++)
		fprintf(f, "  %-36s %s\n", mop_info[t].name,
			mop_info[t].apply ? (mop_info[t].alloc_only ?
					     "alloc trees" : "yes") :
			"not in this tree");
}

static const char *maple_op_name(unsigned int type)
{
	return type < NR_MOPS ? mop_info[type].name : NULL;
}

const struct suite maple_suite = {
	.name = "maple",
	.desc = "lib/maple_tree.c: random op sequences against a range model",
	.default_ops = 5000,
	.long_ops = 20000,
	.default_time = 35,
	.op_name = maple_op_name,
	.nr_op_types = NR_MOPS,
	.run = maple_run,
	.replay = maple_replay,
	.fuzz = maple_fuzz,
	.has_op = maple_has_op,
	.describe = maple_describe,
	.bench = maple_bench,
	.list_ops = maple_list_ops,
};
