// SPDX-License-Identifier: GPL-2.0
/*
 * The RCU suite: one writer (the sequence's own thread) applies random ops
 * to an MT_FLAGS_USE_RCU maple tree while --readers threads read it without
 * the lock, as the kernel's lockless readers (the page fault path, /proc)
 * do.  Every answer a reader gets must be one the tree gave at some moment
 * during that read; a reader that follows a node freed before its grace
 * period ended reads slab poison, or crashes.
 *
 * Time is an epoch counter the writer moves twice per op: to 2j - 1 before
 * op j touches the tree, to 2j once op j is done and in the model.  A read
 * that starts at epoch s and ends at epoch e may return the value its index
 * held after op s / 2 (the last op done when it started), or any value an
 * op in (s / 2, (e + 1) / 2] stored there.  Entries are xa_mk_value(op), so
 * the value names the op that stored it.
 *
 * The writer keeps, for its last HIST ops, what each wrote and an undo list
 * (the model's ranges under the write, before it).  The value an index held
 * after op lo is the undo of the first later op that wrote it, or else the
 * model's: a check costs O(log n) per op of the read's window (a few ops,
 * as reads are short), and the history is at most HIST ops.  A read older
 * than that is not judged, and counted as such.
 *
 * The writer's ops are logged and replay exactly, with their own checks;
 * the readers' interleavings with them do not.  So the writer also reads
 * "stale": an op that walks to an index under rcu_read_lock(), writes to
 * the tree, and then goes on with mas_find() from the nodes it held, as a
 * reader preempted in the middle of a walk would.  That is replayable, and
 * catches a node freed too early every time.
 */
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
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

/* The writer's ops, in replay files by their names. */
enum rop_type {
	ROP_STORE,	/* mtree_store_range(a, b) */
	ROP_SPAN,	/* the same over many ranges: spanning store */
	ROP_STORE_NULL,	/* mtree_store_range(a, b, NULL) */
	ROP_INSERT,	/* mtree_insert_range(a, b) */
	ROP_ERASE,	/* mtree_erase(a) */
	ROP_MAS_STORE,	/* mas_store_gfp(a, b) under the lock */
	ROP_STALE,	/* walk to a, store [b, c], mas_find from the old nodes */
	ROP_INTERLEAVE,	/* a read at a, with a store of [b, c] inside it */
	ROP_CHECK,	/* the whole tree against the model */
	NR_ROPS
};

static const char *const rop_names[NR_ROPS] = {
	[ROP_STORE]	 = "rcu_store",
	[ROP_SPAN]	 = "rcu_span_store",
	[ROP_STORE_NULL] = "rcu_store_null",
	[ROP_INSERT]	 = "rcu_insert",
	[ROP_ERASE]	 = "rcu_erase",
	[ROP_MAS_STORE]	 = "rcu_mas_store",
	[ROP_STALE]	 = "rcu_stale_find",
	[ROP_INTERLEAVE] = "rcu_interleaved_read",
	[ROP_CHECK]	 = "rcu_check",
};

/* Weights of the generated ops; spanning stores are what free many nodes. */
static const unsigned int rop_weight[NR_ROPS] = {
	[ROP_STORE] = 35, [ROP_SPAN] = 2, [ROP_STORE_NULL] = 4,
	[ROP_INSERT] = 25, [ROP_ERASE] = 10, [ROP_MAS_STORE] = 15,
	[ROP_STALE] = 10, [ROP_INTERLEAVE] = 8,
};

/* Indices live in [0, SPACE), and a few at the top of the index space. */
#define SPACE		(1UL << 20)
#define TOP_SPACE	(1UL << 12)
/* Ops of history kept for the readers' checks. */
#define HIST		4096
/* Slab poison of a freed object (slab.c): what a stale reader sees. */
#define POISON_WORD	0x6b6b6b6b6b6b6b6bUL
#define CHECK_EVERY	1000
/* ctx->config: the tree flags, and the number of readers << 16. */
#define CONFIG_READERS_SHIFT	16

/* What op j wrote, and what the model held under it before. */
struct rec {
	unsigned long op;		/* j; 0: empty slot */
	unsigned long first, last;	/* written range; first > last: none */
	void *entry;			/* the value written there */
	unsigned long pos;		/* where in the model it was: a hint */
	struct model_range *undo;	/* the model's ranges in it, before */
	unsigned long nundo;
	unsigned long room;		/* of undo, kept for the slot's next op */
	bool inner;			/* it published an inner node */
};

struct reader {
	pthread_t thread;
	unsigned int id;
	struct rng rng;
	unsigned long checks;		/* reads judged */
	unsigned long unjudged;		/* reads older than the history */
	unsigned long raced;		/* reads that saw a write of their window */
	unsigned long reads;		/* calls into the tree */
	unsigned long hint;		/* its own, for model_lookup_at() */
	bool stopped;			/* it reads no more */
};

struct rcu_run {
	struct maple_tree tree;
	struct model model;
	struct rng rng;
	unsigned int flags;
	unsigned int nr_readers;
	unsigned long op_nr, nops;
	struct test_op op;
	unsigned long injected;		/* allocation failures before this op */
	unsigned long injected_blocking;	/* of them, may-block ones */

	/* Shared with the readers. */
	unsigned long epoch;		/* atomic: 2j - 1 during op j, 2j after */
	bool stop;			/* atomic: readers return */
	bool bare;			/* --bench: kernel calls alone, no checks */
	unsigned int started;		/* atomic: readers running */
	unsigned long hist_seq;		/* odd while the writer changes them: */
	unsigned long model_version;	/* the last op the model has */
	struct rec hist[HIST];
	void **retired;			/* undo buffers outgrown, kept for readers */
	unsigned long nr_retired;
	struct reader *readers;
	unsigned long writer_checks;
	unsigned long reader_checks;	/* all readers', once they stopped */
	unsigned long reads;		/* all readers', once they stopped */
};

static struct rcu_run run;
/* --bench's second pass: start() makes a run with bare readers. */
static bool bare_run;

static void *mk_entry(unsigned long op_nr)
{
	return xa_mk_value(op_nr);
}

static unsigned long epoch_read(struct rcu_run *r)
{
	return __atomic_load_n(&r->epoch, __ATOMIC_SEQ_CST);
}

static void epoch_set(struct rcu_run *r, unsigned long e)
{
	__atomic_store_n(&r->epoch, e, __ATOMIC_SEQ_CST);
}

static bool failed(void)
{
	return __atomic_load_n(&ctx->failed, __ATOMIC_RELAXED);
}

/* ---- History: what the writer did, for the readers' checks ---- */

/*
 * A bigger undo buffer for h.  A reader may be reading the old one: it is
 * freed only when the sequence ends, and the new one is published before
 * nundo can exceed the old one's room (undo_value() reads nundo first).
 */
static void grow_undo(struct rcu_run *r, struct rec *h)
{
	unsigned long room = h->room ? 2 * h->room : 4;
	struct model_range *undo = malloc(room * sizeof(*undo));

	if (!undo)
		abort();
	if (h->room) {
		memcpy(undo, h->undo, h->room * sizeof(*undo));
		if (r->nr_retired % 64 == 0) {
			r->retired = realloc(r->retired, (r->nr_retired + 64) *
					     sizeof(*r->retired));
			if (!r->retired)
				abort();
		}
		r->retired[r->nr_retired++] = h->undo;
	}
	__atomic_store_n(&h->undo, undo, __ATOMIC_RELEASE);
	h->room = room;
}

/* The model's ranges within [first, last], clipped to it, into h->undo. */
static void collect(struct rcu_run *r, struct rec *h, unsigned long first,
		    unsigned long last)
{
	struct model *m = &r->model;
	unsigned long nr = 0, index = first;
	struct model_range cur;

	while (first <= last && model_find(m, index, &cur) &&
	       cur.first <= last) {
		if (nr == h->room)
			grow_undo(r, h);
		h->undo[nr].first = max(cur.first, first);
		h->undo[nr].last = min(cur.last, last);
		h->undo[nr].entry = cur.entry;
		nr++;
		if (cur.last >= last)
			break;
		index = cur.last + 1;
	}
	__atomic_store_n(&h->nundo, nr, __ATOMIC_RELEASE);
}

/*
 * The writer never waits for readers: it makes hist_seq odd while it
 * changes the model, model_version or hist[], and readers judge again if
 * it changed during their read section, as with the kernel's seqcount_t.
 * What they read in the middle of a change may be garbage, but never
 * memory that was freed (undo buffers and model arrays outgrown are kept
 * until the sequence ends).
 */
static void hist_write_begin(struct rcu_run *r)
{
	__atomic_store_n(&r->hist_seq, r->hist_seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static void hist_write_end(struct rcu_run *r)
{
	__atomic_store_n(&r->hist_seq, r->hist_seq + 1, __ATOMIC_RELEASE);
}

static unsigned long hist_read_begin(struct rcu_run *r)
{
	unsigned long seq;
	unsigned int spins = 0;

	/* The writer may be preempted in the middle of a change. */
	while ((seq = __atomic_load_n(&r->hist_seq, __ATOMIC_ACQUIRE)) & 1)
		if (++spins % 64 == 0)
			sched_yield();
	return seq;
}

static bool hist_read_retry(struct rcu_run *r, unsigned long seq)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(&r->hist_seq, __ATOMIC_RELAXED) != seq;
}

/* Op j's slot, or NULL if the history no longer (or not yet) holds it. */
static struct rec *hist_rec(struct rcu_run *r, unsigned long j)
{
	struct rec *h = &r->hist[j % HIST];

	return __atomic_load_n(&h->op, __ATOMIC_RELAXED) == j ? h : NULL;
}

/*
 * Before op j touches the tree: what it will write and what lies there
 * now.  Recorded before the epoch says op j started, so a reader that sees
 * j's epoch finds it.
 */
static void hist_record(struct rcu_run *r, unsigned long first,
			unsigned long last, void *entry)
{
	struct rec *h = &r->hist[r->op_nr % HIST];

	hist_write_begin(r);
	__atomic_store_n(&h->op, r->op_nr, __ATOMIC_RELAXED);
	/* reader_index() also peeks at them, outside any read section. */
	__atomic_store_n(&h->first, first, __ATOMIC_RELAXED);
	__atomic_store_n(&h->last, last, __ATOMIC_RELAXED);
	__atomic_store_n(&h->entry, entry, __ATOMIC_RELAXED);
	__atomic_store_n(&h->inner, false, __ATOMIC_RELAXED);
	collect(r, h, first, last);
	__atomic_store_n(&h->pos, r->model.hint, __ATOMIC_RELAXED);
	hist_write_end(r);
}

static void hist_free(struct rcu_run *r)
{
	unsigned int i;

	for (i = 0; i < HIST; i++) {
		free(r->hist[i].undo);
		r->hist[i].undo = NULL;
		r->hist[i].room = 0;
		r->hist[i].op = 0;
	}
	while (r->nr_retired)
		free(r->retired[--r->nr_retired]);
	free(r->retired);
	r->retired = NULL;
}

/* What the model held at index before op h: a binary search of its undo. */
static void *undo_value(struct rec *h, unsigned long index)
{
	unsigned long n = __atomic_load_n(&h->nundo, __ATOMIC_ACQUIRE);
	struct model_range *undo = __atomic_load_n(&h->undo, __ATOMIC_ACQUIRE);
	unsigned long lo = 0, hi = n;

	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;

		if (undo[mid].last < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && undo[lo].first <= index)
		return undo[lo].entry;
	return NULL;
}

static bool covers(struct rec *h, unsigned long index)
{
	return __atomic_load_n(&h->first, __ATOMIC_RELAXED) <= index &&
	       index <= __atomic_load_n(&h->last, __ATOMIC_RELAXED);
}

static void *rec_entry(struct rec *h)
{
	return __atomic_load_n(&h->entry, __ATOMIC_RELAXED);
}

/* V_NEW: fine, and a value an op of the read's window stored: a race seen. */
enum verdict { V_OK, V_NEW, V_BAD, V_UNJUDGED };

/*
 * Whether index may read as entry during ops (lo, hi]: the value it held
 * after op lo, or one that an op of the window stored there.  *then gets
 * the value after op lo, for the report.  Called in a read section
 * (hist_read_begin()): what it returns counts only if no write overlapped.
 */
static enum verdict judge(struct rcu_run *r, unsigned long *hint,
			  unsigned long index, void *entry, unsigned long lo,
			  unsigned long hi, void **then)
{
	unsigned long j, version = __atomic_load_n(&r->model_version,
						   __ATOMIC_RELAXED);
	struct model_range cur;
	bool found = false;
	struct rec *h;

	*then = NULL;
	/* The value after op lo: the undo of the first later write there. */
	for (j = lo + 1; j <= version; j++) {
		h = hist_rec(r, j);
		if (!h)
			return V_UNJUDGED;
		if (covers(h, index)) {
			*then = undo_value(h, index);
			found = true;
			break;
		}
	}
	if (!found && model_lookup_at(&r->model, hint, index, &cur))
		*then = cur.entry;
	if (entry == *then)
		return V_OK;
	for (j = lo + 1; j <= hi; j++) {
		h = hist_rec(r, j);
		if (!h)
			return V_UNJUDGED;
		if (covers(h, index) && rec_entry(h) == entry)
			return V_NEW;
	}
	return V_BAD;
}

/* ---- Readers ---- */

static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * An entry no op stored: a node's slot read after the node was freed and
 * poisoned, or an internal entry leaking out of the tree.
 */
static const char *bad_entry(const void *entry, unsigned long hi)
{
	if (!entry)
		return NULL;
	if ((unsigned long)entry == POISON_WORD)
		return "slab poison 0x6b...: a node freed before the grace period ended";
	if (!xa_is_value(entry))
		return "not a value entry: no op stores one";
	if (!xa_to_value(entry) || xa_to_value(entry) > hi)
		return "a value no op of the window had stored yet";
	return NULL;
}

/*
 * A failed read: the first failure is the one that counts, and threads
 * report one at a time.  rd is a reader, the writer's interleaved read
 * (id 0), or NULL for the writer's own stale read.
 */
static __thread bool quiet_fail;	/* span_slot_window()'s steps: no report */

static void __attribute__((format(printf, 3, 4)))
read_fail(int line, const struct reader *rd, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	/* A trial that judges the writer alone: the reader just stops. */
	if ((rd && rd->id && opts.no_races) || quiet_fail)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&report_lock);
	if (!failed()) {
		if (rd && !rd->id)
			test_fail(__FILE__, line, "the writer's read with its store inside: %s",
				  msg);
		else if (rd) {
			/*
			 * A place of its own: a shrink trial in which a
			 * reader's race fails is not the writer's failure
			 * that replays.
			 */
			ctx->racy = true;
			test_fail(__FILE__ " (a reader)", line,
				  "reader %u: %s (seed %llu)", rd->id, msg,
				  (unsigned long long)ctx->seed);
		} else {
			test_fail(__FILE__, line, "stale read by the writer: %s",
				  msg);
		}
	}
	pthread_mutex_unlock(&report_lock);
}

/*
 * Judge a read of index that returned entry between epochs s and e;
 * what says which read it was, for the report.
 */
static bool check_read(struct rcu_run *r, struct reader *rd, const char *what,
		       unsigned long index, void *entry, unsigned long s,
		       unsigned long e)
{
	unsigned long lo = s / 2, hi = (e + 1) / 2;
	const char *bad = bad_entry(entry, hi);
	enum verdict v = V_BAD;
	char got[32], then[32];
	void *was = NULL;

	if (!bad) {
		unsigned long seq;

		do {
			seq = hist_read_begin(r);
			v = judge(r, rd ? &rd->hint : &r->model.hint, index,
				  entry, lo, hi, &was);
		} while (hist_read_retry(r, seq));
	}
	if (v == V_UNJUDGED) {
		if (rd)
			rd->unjudged++;
		return true;
	}
	if (rd) {
		rd->checks++;
		rd->raced += v == V_NEW;
	} else {
		r->writer_checks++;
	}
	if (v == V_OK || v == V_NEW)
		return true;
	read_fail(__LINE__, rd,
		  "%s(%#lx) returned %s while writer ops %lu..%lu ran: %s (after op %lu it held %s)",
		  what, index, fmt_entry(got, sizeof(got), entry), lo + 1, hi,
		  bad ? bad : "the index held no such value then",
		  lo, fmt_entry(then, sizeof(then), was));
	return false;
}

/*
 * The step before in an iteration, forwards (mas_find()) or backwards
 * (rev: mas_find_rev()): the edge its range left off at (its last, or
 * backwards its first), and the op its read began after.
 */
struct prev_step {
	bool rev;
	bool prev_steps;	/* backwards with mas_prev(), not mas_find_rev() */
	bool valid;
	bool active;	/* the state goes on from its node, not paused */
	unsigned long edge;
	unsigned long lo;
};

static void step_done(struct prev_step *prev, unsigned long first,
		      unsigned long last, unsigned long s)
{
	prev->valid = true;
	prev->edge = prev->rev ? first : last;
	prev->lo = s / 2;
}

/* Whether the iteration has run out of indices to go on to. */
static bool step_at_end(const struct prev_step *prev)
{
	return prev->valid && prev->edge == (prev->rev ? 0 : ULONG_MAX);
}

/*
 * The range an entry was returned with must lie in what its op wrote, and
 * an iteration must move on: each range ends after the one before it
 * (backwards: starts before it).  It may reach into the one before only
 * if the tree changed there since: an entry already stored when the
 * previous step began would have been in that step's way, so its op must
 * have run after op prev->lo.
 */
static bool check_range(struct rcu_run *r, struct reader *rd, const char *what,
			unsigned long first, unsigned long last, void *entry,
			const struct prev_step *prev, unsigned long e)
{
	unsigned long k = xa_to_value(entry), hi = (e + 1) / 2;
	bool rev = prev->rev, has_prev = prev->valid;
	const char *why = NULL;
	char got[32], before[64] = "";
	struct rec *h;

	if (first > last)
		why = "the range ends before it starts";
	else if (has_prev && (rev ? first >= prev->edge : last <= prev->edge))
		why = rev ? "the range does not start before the one before it" :
			    "the range does not end after the one before it";
	else if (has_prev && (rev ? last >= prev->edge : first <= prev->edge) &&
		 k <= prev->lo)
		why = "the range overlaps the one before it, yet its op ran before the previous step began";
	if (!why && entry && !bad_entry(entry, hi)) {
		unsigned long seq;
		bool inside;

		do {
			seq = hist_read_begin(r);
			h = hist_rec(r, k);
			inside = !h || (covers(h, first) && covers(h, last));
		} while (hist_read_retry(r, seq));
		if (!inside)
			why = "the range is not inside the one its op stored";
	}
	if (!why)
		return true;
	/* A walk, or an iteration's first step, has no range before it. */
	if (has_prev)
		snprintf(before, sizeof(before), " (the previous range %s at %#lx)",
			 rev ? "started" : "ended", prev->edge);
	read_fail(__LINE__, rd,
		  "%s returned %s over [%#lx, %#lx]%s while writer ops up to %lu ran: %s",
		  what, fmt_entry(got, sizeof(got), entry), first, last,
		  before, hi, why);
	return false;
}

/*
 * The next of the choices packed in one draw: a read is a few hundred
 * instructions, and a draw per choice was a fifth of a reader's time.
 */
static unsigned int take(uint64_t *x, unsigned int n)
{
	unsigned int v = (*x & 0xffff) * n >> 16;

	*x >>= 16;
	return v;
}

/* An index near something the writer stored recently, or anywhere. */
static unsigned long reader_index(struct rcu_run *r, struct reader *rd,
				  uint64_t *x)
{
	/* The newest op: the one running (recorded before it started), if any. */
	unsigned long j = (epoch_read(r) + 1) / 2;
	unsigned int pct = take(x, 100), back = take(x, 64), edge = take(x, 4);
	unsigned long first, last, count, index;
	struct rec *h;

	if (j > 1 && pct < 70) {
		/*
		 * A recent write's range, read without the lock: a record
		 * being rewritten gives a mixed range, which is as good a
		 * place to read as any.  A quarter go to the newest, where a
		 * read races with the write.
		 */
		if (back < 16)
			back = 0;
		h = &r->hist[(j - back % min(j, 64UL)) % HIST];
		first = __atomic_load_n(&h->first, __ATOMIC_RELAXED);
		last = __atomic_load_n(&h->last, __ATOMIC_RELAXED);
		/* The model's ranges there have moved by a few since, if at all. */
		rd->hint = __atomic_load_n(&h->pos, __ATOMIC_RELAXED);
		if (first > last) {
			first = 0;
			last = SPACE - 1;
		}
		switch (edge) {
		case 0:
			return first;
		case 1:
			return last;
		case 2:
			return first ? first - 1 : 0;
		}
		return first + rng_below(&rd->rng, last - first + 1);
	}
	/* Stores spread ranges over the space: its share of it is a hint. */
	count = __atomic_load_n(&r->model.count, __ATOMIC_RELAXED);
	if (pct >= 95) {
		rd->hint = count;
		return ULONG_MAX - rng_below(&rd->rng, TOP_SPACE);
	}
	index = rng_below(&rd->rng, SPACE);
	rd->hint = count * index / SPACE;
	return index;
}

/* What this reader is reading, for a WARN in kernel code (warn_thread). */
static __thread struct {
	const struct reader *rd;
	const char *what;		/* NULL: between reads */
	unsigned long index;
	unsigned int step, steps;
	const struct ma_state *mas;	/* the iteration's state, if any */
} cur_read;

static bool reader_warn(const char *cond, char *buf, size_t len)
{
	const struct ma_state *mas = cur_read.mas;
	int n;

#ifdef HAVE_BUG_SPAN_PARENT_SLOT
	/*
	 * A known race (scripts/probe): a spanning rebalance publishes its
	 * new top node before its children's parent slots are right, and a
	 * mas_prev() or mas_find_rev() that climbs through one of them to the
	 * root finds nothing before a range that does not start at 0:
	 * mas_prev_slot() WARNs and the step returns NULL.  Let by unless
	 * --known-bugs; the iteration stops there.
	 */
	if (!opts.known_bugs && cond && mas &&
	    !strcmp(cond, "mas_is_underflow(mas)"))
		return true;
#endif

	if (!cur_read.what) {
		snprintf(buf, len, " in reader %u, between reads",
			 cur_read.rd->id);
		return false;
	}
	n = snprintf(buf, len, " in reader %u's %s from %#lx", cur_read.rd->id,
		     cur_read.what, cur_read.index);
	if (mas && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - n, ", step %u of %u (state: index %#lx last %#lx min %#lx max %#lx offset %u)",
			 cur_read.step + 1, cur_read.steps, mas->index,
			 mas->last, mas->min, mas->max, mas->offset);
	return false;
}

static bool read_load(struct rcu_run *r, struct reader *rd, unsigned long index)
{
	unsigned long s, e;
	void *entry;

	cur_read.what = "mtree_load";
	cur_read.index = index;
	cur_read.mas = NULL;
	s = epoch_read(r);
	entry = mtree_load(&r->tree, index);
	e = epoch_read(r);
	cur_read.what = NULL;
	rd->reads++;
	return check_read(r, rd, "mtree_load", index, entry, s, e);
}

/*
 * Whether an op of the read's window wrote index: then a walk may return
 * a range that starts past it, or ends before it (README, the rcu suite:
 * an RCU-mode slot store moves a pivot that mtree_range_walk() reads
 * twice), let through unless --known-bugs.
 */
static bool start_moved(struct rcu_run *r, unsigned long index,
			unsigned long s, unsigned long e)
{
	unsigned long j, seq;
	struct rec *h;
	bool moved;

	do {
		seq = hist_read_begin(r);
		moved = false;
		for (j = s / 2 + 1; j <= (e + 1) / 2 && !moved; j++) {
			h = hist_rec(r, j);
			moved = h && covers(h, index);
		}
	} while (hist_read_retry(r, seq));
	return moved;
}

static bool read_walk(struct rcu_run *r, struct reader *rd, unsigned long index)
{
	MA_STATE(mas, &r->tree, index, index);
	unsigned long s, e;
	void *entry;

	cur_read.what = "mas_walk";
	cur_read.index = index;
	cur_read.mas = NULL;
	rcu_read_lock();
	s = epoch_read(r);
	entry = mas_walk(&mas);
	e = epoch_read(r);
	rcu_read_unlock();
	cur_read.what = NULL;
	rd->reads++;
	if (!check_read(r, rd, "mas_walk", index, entry, s, e))
		return false;
	/* A NULL walk's range is the gap the walk saw, in no op's range. */
	if (!entry)
		return true;
	if ((index < mas.index || index > mas.last) &&
	    (opts.known_bugs || !start_moved(r, index, s, e))) {
		read_fail(__LINE__, rd, "mas_walk(%#lx) returned the range [%#lx, %#lx]",
			  index, mas.index, mas.last);
		return false;
	}
	return check_range(r, rd, "mas_walk", mas.index, mas.last, entry,
			   &(struct prev_step){ .valid = false }, e);
}

/*
 * A paused iteration waits for the writer to finish an op after epoch e
 * before its next step, reading elsewhere meanwhile (a yield here cost
 * more than the reads): at most 64 loads, then it goes on anyway.
 */
static bool wait_for_writer(struct rcu_run *r, struct reader *rd,
			    unsigned long e)
{
	unsigned int i;

	for (i = 0; i < 64 && epoch_read(r) < e + 2; i++) {
		uint64_t x = rng_next(&rd->rng);

		if (!read_load(r, rd, reader_index(r, rd, &x)))
			return false;
	}
	return true;
}

/*
 * A known 6.12 race (scripts/probe): mas_find_rev() whose walk found an
 * empty or single-entry tree reads the root again for the entry at 0
 * (mas_find_rev_setup()), which a store may have made a node meanwhile:
 * it returns that node, as an entry over [0, 0].  mas_prev_setup() has
 * the same code, which it runs after each pause (prev_steps: a reader's
 * mas_prev() iteration).  Let by unless --known-bugs; the iteration stops
 * there.
 */
static bool find_rev_root_race(const struct prev_step *prev,
			       const struct ma_state *mas, void *entry)
{
#ifdef HAVE_BUG_FIND_REV_ROOT_RACE
	return !opts.known_bugs && prev->rev &&
	       (!prev->valid || prev->prev_steps) && xa_is_node(entry) &&
	       !mas->index && !mas->last;
#else
	return false;
#endif
}

/*
 * Whether some index of [lo, hi] held an entry both before the current
 * op's store and after it (outside what it wrote, the model's; inside,
 * the model's now and the undo list's before).  A step of the writer's
 * own iteration may not pass over such an index: whichever of the two
 * trees it read, the entry was there.
 */
static bool held_throughout(struct rcu_run *r, unsigned long lo,
			    unsigned long hi)
{
	struct rec *h = hist_rec(r, r->op_nr);
	unsigned long b, c, i;

	if (lo > hi)
		return false;
	if (!h || h->first > h->last || hi < h->first || lo > h->last)
		return model_any(&r->model, lo, hi);
	b = max(lo, h->first);
	c = min(hi, h->last);
	if ((lo < b && model_any(&r->model, lo, b - 1)) ||
	    (hi > c && model_any(&r->model, c + 1, hi)))
		return true;
	if (!model_any(&r->model, b, c))
		return false;
	for (i = 0; i < h->nundo; i++)
		if (h->undo[i].last >= b && h->undo[i].first <= c)
			return true;
	return false;
}

/*
 * Where a step resumes after the step before: past its edge, or, for a
 * state that goes on from its node, past the range that holds the edge
 * now.  Such a state whose node died rewalks to the edge (mas_next_slot()
 * and mas_prev_slot() keep it as save_point) and moves on from the range
 * there: a store that made that range longer has its new part passed over
 * by design, not by mistake.
 */
static unsigned long resume_edge(struct rcu_run *r,
				 const struct prev_step *prev)
{
	struct model_range now;

	if (!prev->active || !model_lookup(&r->model, prev->edge, &now))
		return prev->edge;
	return prev->rev ? now.first : now.last;
}

/*
 * The writer's iteration (its stale and interleaved reads: the only ones
 * with two trees to compare with) from start, a step that returned entry
 * over [first, last], or nothing: the indices it passed over since the
 * step before held no entry throughout the op.  6.1's mas_find_rev() after
 * a pause, or on a root entry, stops early (known bugs): not judged there.
 */
static bool check_no_skip(struct rcu_run *r, struct reader *rd,
			  const char *what, const struct prev_step *prev,
			  unsigned long start, void *entry, unsigned long first,
			  unsigned long last)
{
	unsigned long lo, hi, edge = prev->valid ? resume_edge(r, prev) : 0;

#if defined(HAVE_BUG_FIND_REV_PAUSE) || defined(HAVE_BUG_FIND_REV_ROOT_NULL)
	if (prev->rev && !opts.known_bugs)
		return true;
#endif
	if (prev->rev) {
		if ((entry && last == ULONG_MAX) || (prev->valid && !edge))
			return true;
		lo = entry ? last + 1 : 0;
		hi = prev->valid ? edge - 1 : start;
	} else {
		if ((entry && !first) || (prev->valid && edge == ULONG_MAX))
			return true;
		lo = prev->valid ? edge + 1 : start;
		hi = entry ? first - 1 : ULONG_MAX;
	}
	if (!held_throughout(r, lo, hi))
		return true;
	read_fail(__LINE__, rd, "%s from %#lx passed over [%#lx, %#lx] to %s %#lx, but the tree held an entry there both before and after op %lu",
		  what, start, lo, hi, entry ? "an entry at" : "nothing, after",
		  entry ? (prev->rev ? last : first) : (prev->valid ? edge : start),
		  r->op_nr);
	return false;
}

/* A step's entry over epochs s..e: at both ends of its range, and the range. */
static bool check_step_entry(struct rcu_run *r, struct reader *rd,
			     const char *what, const struct prev_step *prev,
			     void *entry, unsigned long first,
			     unsigned long last, unsigned long s,
			     unsigned long e)
{
	return !entry ||
	       (check_read(r, rd, what, first, entry, s, e) &&
		check_read(r, rd, what, last, entry, s, e) &&
		check_range(r, rd, what, first, last, entry, prev, e));
}

/* Whether the step, over epochs s..e, holds: see read_iterate(). */
static bool step_judged(struct rcu_run *r, struct reader *rd,
			const char *what, const struct prev_step *prev,
			unsigned long start, const struct ma_state *mas,
			void *entry, unsigned long s, unsigned long e)
{
	/*
	 * The writer's own read, in a step that no store overtook (a walk
	 * inside the step may be rewalked past): nothing it passed over was
	 * there.
	 */
	if (!rd->id && s == e &&
	    !check_no_skip(r, rd, what, prev, start, entry, mas->index,
			   mas->last))
		return false;
	return check_step_entry(r, rd, what, prev, entry, mas->index,
				mas->last, s, e);
}

/*
 * A known race (HAVE_BUG_SPAN_PARENT_SLOT, scripts/probe): a spanning
 * rebalance puts its new top node in the tree before its children's
 * parent slots are right, and a step that climbs from one of them
 * meanwhile goes on in a wrong sibling.  Whether a writer op put an inner
 * node in the tree during the step (only those can give it): then a step
 * that fails is let by unless --known-bugs, and the iteration stops.
 */
static bool span_slot_window(struct rcu_run *r, unsigned long s,
			     unsigned long e)
{
#ifdef HAVE_BUG_SPAN_PARENT_SLOT
	unsigned long j;

	if (opts.known_bugs)
		return false;
	/* The ops that ran during the step: s / 2 + 1 to (e + 1) / 2. */
	for (j = s / 2 + 1; j <= (e + 1) / 2; j++) {
		struct rec *h = hist_rec(r, j);

		if (h && __atomic_load_n(&h->inner, __ATOMIC_RELAXED))
			return true;
	}
#endif
	return false;
}

/*
 * One step of an iteration: mas_find(), or backwards mas_find_rev(), or
 * (prev_steps) mas_prev(), which from a walk or a pause moves to the
 * entry before the range the state is at.
 */
static void *find_step(struct ma_state *mas, bool rev, bool prev_steps)
{
	if (prev_steps)
		return mas_prev(mas, 0);
	return rev ? mas_find_rev(mas, 0) : mas_find(mas, ULONG_MAX);
}

/*
 * mas_find() from index, a few steps, pausing and leaving the read-side
 * section between steps so that the writer can replace the nodes; or (rev)
 * mas_find_rev() down from it, whose walk back up the tree has dead-node
 * checks of its own.  Each step is a read of its own: its range and entry
 * are judged against the ops that ran during it, and ranges must move on.
 */
static bool read_iterate(struct rcu_run *r, struct reader *rd,
			 unsigned long index, bool rev)
{
	unsigned int steps = rng_range(&rd->rng, 1, 64), i;
	/* Half a reader's reverse iterations (not the writer's) mas_prev(). */
	struct prev_step prev = {
		.rev = rev,
		.prev_steps = rev && rd->id && rng_percent(&rd->rng, 50),
	};
	const char *what = prev.prev_steps ? "mas_prev" :
			   rev ? "mas_find_rev" : "mas_find";
	MA_STATE(mas, &r->tree, index, index);
	unsigned long s, e;
	void *entry;
	bool ok;

	rcu_read_lock();
	for (i = 0; i < steps; i++) {
		/* Again after each pause: wait_for_writer() reads meanwhile. */
		cur_read.what = what;
		cur_read.index = index;
		cur_read.step = i;
		cur_read.steps = steps;
		cur_read.mas = &mas;
		s = epoch_read(r);
		entry = find_step(&mas, rev, prev.prev_steps);
		e = epoch_read(r);
		rd->reads++;
		if (find_rev_root_race(&prev, &mas, entry))
			break;
		/* The writer's own read (id 0) replays: judged as always. */
		if (rd->id && span_slot_window(r, s, e)) {
			quiet_fail = true;
			ok = step_judged(r, rd, what, &prev, index, &mas, entry,
					 s, e);
			quiet_fail = false;
			if (!ok)
				break;
		} else if (!step_judged(r, rd, what, &prev, index, &mas, entry,
					s, e)) {
			goto fail;
		}
		if (!entry)
			break;
		step_done(&prev, mas.index, mas.last, s);
		if (step_at_end(&prev))
			break;
		mas_pause(&mas);
		rcu_read_unlock();
		if (rd->id && rng_percent(&rd->rng, 10) &&
		    !wait_for_writer(r, rd, e))
			return false;
		rcu_read_lock();
	}
	rcu_read_unlock();
	cur_read.what = NULL;
	return true;
fail:
	rcu_read_unlock();
	cur_read.what = NULL;
	return false;
}

static void bare_read(struct rcu_run *r, struct reader *rd);

static void *reader_main(void *arg)
{
	struct reader *rd = arg;
	struct rcu_run *r = &run;

	rcu_register_thread();
	cur_read.rd = rd;
	warn_thread = reader_warn;
	__atomic_add_fetch(&r->started, 1, __ATOMIC_RELEASE);
	while (r->bare && !__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE))
		bare_read(r, rd);
	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE) && !failed()) {
		uint64_t x = rng_next(&rd->rng);
		unsigned int what = take(&x, 10);
		unsigned long index = reader_index(r, rd, &x);
		bool ok;

		if (what < 4)
			ok = read_load(r, rd, index);
		else if (what < 7)
			ok = read_walk(r, rd, index);
		else
			ok = read_iterate(r, rd, index, what == 9);
		if (!ok)
			break;
	}
	__atomic_store_n(&rd->stopped, true, __ATOMIC_RELEASE);
	rcu_unregister_thread();
	return NULL;
}

static void start_readers(struct rcu_run *r)
{
	unsigned int i;

	r->readers = calloc(r->nr_readers, sizeof(*r->readers));
	if (!r->readers)
		abort();
	for (i = 0; i < r->nr_readers; i++) {
		struct reader *rd = &r->readers[i];

		rd->id = i + 1;
		/* Seeded, but thread timing makes a reader's reads unrepeatable. */
		rng_seed(&rd->rng, ctx->seed * 31 + i + 1);
		if (pthread_create(&rd->thread, NULL, reader_main, rd)) {
			perror("pthread_create");
			abort();
		}
	}
	/* A writer that ran ahead of its readers would test nothing. */
	while (__atomic_load_n(&r->started, __ATOMIC_ACQUIRE) < r->nr_readers)
		sched_yield();
}

static unsigned long stop_readers(struct rcu_run *r)
{
	unsigned long checks = 0;
	unsigned int i;

	__atomic_store_n(&r->stop, true, __ATOMIC_RELEASE);
	for (i = 0; i < r->nr_readers; i++) {
		pthread_join(r->readers[i].thread, NULL);
		checks += r->readers[i].checks;
		r->reads += r->readers[i].reads;
	}
	return checks;
}

/* ---- The writer's ops ---- */

/*
 * -ENOMEM from an op given GFP_KERNEL: an allocation that may block must
 * have failed (a failed GFP_NOWAIT attempt is retried).  The stale-find
 * op stores with GFP_NOWAIT, where any failure may end in -ENOMEM.
 */
static bool nomem(struct rcu_run *r, int ret)
{
	return ret == -ENOMEM &&
	       slab_faults.injected_blocking != r->injected_blocking;
}

static bool nomem_nowait(struct rcu_run *r, int ret)
{
	return ret == -ENOMEM && slab_faults.injected != r->injected;
}

/* The writer reads too: it holds the lock-free view a reader would. */
static bool check_around(struct rcu_run *r, unsigned long first,
			 unsigned long last)
{
	return check_edges(&r->tree, &r->model, first, last);
}

/* The model follows op j's write; then op j is over for the readers. */
static void model_write(struct rcu_run *r, unsigned long first,
			unsigned long last, void *entry)
{
	hist_write_begin(r);
	if (first <= last)
		model_store(&r->model, first, last, entry);
	__atomic_store_n(&r->model_version, r->op_nr, __ATOMIC_RELAXED);
	hist_write_end(r);
}

static void op_done(struct rcu_run *r)
{
	if (r->model_version != r->op_nr)
		model_write(r, 1, 0, NULL);
	epoch_set(r, 2 * r->op_nr);
}

/*
 * A reader that starts its walk the moment the writer publishes a new root
 * (rcu_assign_pointer() of ma_root: a root entry expanded into a leaf, a
 * root split, shrunk or replaced) must find a whole node there: its slots,
 * pivots and metadata were written before it became visible.  op_store()
 * walks to its own first index at each such moment, as a reader would,
 * and judges what it found once the store is in the model: what the index
 * held before the store or after it, over a range holding the index and
 * inside the one its op stored.
 */
#define PUBLISH_READS	4

struct publish_read {
	struct maple_tree *tree;
	unsigned long index;
	unsigned int n;
	struct {
		void *entry;
		unsigned long first, last;
	} step[PUBLISH_READS];
};

__thread void (*rcu_assign_hook)(void *p);
static __thread struct publish_read *publishing;

static void publish_point(struct publish_read *pr, void *p)
{
	MA_STATE(mas, pr->tree, pr->index, pr->index);

	if (p != &pr->tree->ma_root || pr->n == PUBLISH_READS)
		return;
	rcu_read_lock();
	pr->step[pr->n].entry = mas_walk(&mas);
	rcu_read_unlock();
	pr->step[pr->n].first = mas.index;
	pr->step[pr->n++].last = mas.last;
}

/*
 * Each of the writer's rcu_assign_pointer()s: an inner node put in the
 * tree is recorded in the op's history (span_slot_window()), and op_store()
 * reads the root it publishes.
 */
static void writer_assign(void *p)
{
	unsigned long v = (unsigned long)*(void **)p;
	struct rec *h;

	if (xa_is_node((void *)v) &&
	    ((v >> MAPLE_NODE_TYPE_SHIFT) & MAPLE_NODE_TYPE_MASK) >= maple_range_64 &&
	    (h = hist_rec(&run, run.op_nr)))
		__atomic_store_n(&h->inner, true, __ATOMIC_RELAXED);
	if (publishing)
		publish_point(publishing, p);
}

static bool check_published(struct rcu_run *r, const struct publish_read *pr)
{
	static const char what[] = "mas_walk from a root just published";
	unsigned long s = 2 * r->op_nr - 1, e = 2 * r->op_nr;
	/* Each step walks to the index afresh: none is judged by the one before. */
	struct prev_step prev = { .valid = false };
	unsigned int i;

	for (i = 0; i < pr->n; i++) {
		void *seen = pr->step[i].entry;
		unsigned long first = pr->step[i].first;
		unsigned long last = pr->step[i].last;

		if (first > pr->index || last < pr->index) {
			read_fail(__LINE__, NULL,
				  "%s(%#lx) returned the range [%#lx, %#lx] while writer op %lu ran: the range does not hold the index",
				  what, pr->index, first, last, r->op_nr);
			return false;
		}
		if (!check_read(r, NULL, what, pr->index, seen, s, e) ||
		    !check_range(r, NULL, what, first, last, seen, &prev, e))
			return false;
	}
	return true;
}

/* mtree_store_range(), _insert_range() or mas_store_gfp() of [a, b]. */
static bool op_store(struct rcu_run *r, const struct test_op *op)
{
	void *entry = op->type == ROP_STORE_NULL ? NULL : mk_entry(r->op_nr);
	bool bad = op->a > op->b;	/* a shrunk replay may have these */
	bool exists = !bad && op->type == ROP_INSERT &&
		      model_any(&r->model, op->a, op->b);
	struct publish_read pr = { .tree = &r->tree, .index = op->a };
	int ret;

	if (bad || exists)
		hist_record(r, 1, 0, entry);
	else
		hist_record(r, op->a, op->b, entry);
	epoch_set(r, 2 * r->op_nr - 1);
	publishing = &pr;
	if (op->type == ROP_INSERT) {
		ret = mtree_insert_range(&r->tree, op->a, op->b, entry, GFP_KERNEL);
	} else if (op->type == ROP_MAS_STORE && bad) {
		/* An ma_state from b up to a is the caller's bug, not the tree's. */
		ret = -EINVAL;
	} else if (op->type == ROP_MAS_STORE) {
		MA_STATE(mas, &r->tree, op->a, op->b);

		mtree_lock(&r->tree);
		ret = mas_store_gfp(&mas, entry, GFP_KERNEL);
		mtree_unlock(&r->tree);
	} else {
		ret = mtree_store_range(&r->tree, op->a, op->b, entry, GFP_KERNEL);
	}
	publishing = NULL;
	if (!ret && !bad && !exists)
		model_write(r, op->a, op->b, entry);
	op_done(r);
	if (!check_published(r, &pr))
		return false;
	if (bad) {
		ASSERT_EQ(ret, -EINVAL);
		return true;
	}
	if (!nomem(r, ret))
		ASSERT_EQ(ret, exists ? -EEXIST : 0);
	return check_around(r, op->a, op->b);
}

/* mtree_erase(a) erases the whole range holding a. */
static bool op_erase(struct rcu_run *r, const struct test_op *op)
{
	struct model_range want = { .first = 1, .last = 0, .entry = NULL };
	void *entry;

	model_lookup(&r->model, op->a, &want);
	hist_record(r, want.first, want.last, NULL);
	epoch_set(r, 2 * r->op_nr - 1);
	entry = mtree_erase(&r->tree, op->a);
	/* An erase that lost its memory to fault injection may do nothing. */
	if (want.entry && !(nomem(r, -ENOMEM) &&
			    mtree_load(&r->tree, op->a) == want.entry))
		model_write(r, want.first, want.last, NULL);
	op_done(r);
	ASSERT_ENTRY(entry, want.entry);
	if (want.entry)
		return check_around(r, want.first, want.last);
	return check_load(&r->tree, &r->model, op->a);
}

#define STALE_NULL	32	/* rcu_stale_find's r bit: store NULL */
#define STALE_REV	(3UL << 6) /* both set: go on with mas_find_rev() */
#define STALE_INSIDE	(3UL << 8) /* both set: a second read inside the store */
#define STALE_STEPS	32

__thread void (*smp_wmb_hook)(void);

/*
 * The stale read's twin, from a copy of the walk's state, run inside the
 * store at its at-th smp_wmb(): where the writer has just marked a node
 * dead, and the nodes above or beside it are not dead yet.  A reader
 * there must see each dead node as dead, wherever it meets one.  Only from
 * the second smp_wmb() on (HAVE_TOPIARY_REPLACE): the first comes before
 * the kept children are adopted, and a reader stopped there would rewalk
 * until the writer went on, which here it cannot.
 */
struct inside_read {
	struct ma_state mas;
	unsigned long first, last;	/* the walk's range, or gap */
	bool rev;
	unsigned int steps, at, wmbs, n;
	struct {
		void *entry;
		unsigned long first, last;
	} step[STALE_STEPS];
};

#ifdef HAVE_TOPIARY_REPLACE
static __thread struct inside_read *inside;

static void inside_point(void)
{
	struct inside_read *in = inside;
	struct prev_step prev = { .rev = in->rev, .active = true };
	void *seen;

	if (++in->wmbs < in->at)
		return;
	smp_wmb_hook = NULL;
	step_done(&prev, in->mas.index, in->mas.last, 0);
	while (in->n < in->steps && !step_at_end(&prev)) {
		seen = find_step(&in->mas, in->rev, false);
		in->step[in->n].entry = seen;
		in->step[in->n].first = in->mas.index;
		in->step[in->n++].last = in->mas.last;
		if (!seen)
			break;
		step_done(&prev, in->mas.index, in->mas.last, 0);
	}
}
#endif

/* One step of a stale read, from start: what a step of the tree may give. */
static bool check_stale_step(struct rcu_run *r, const char *what,
			     unsigned long start, const struct prev_step *prev,
			     void *seen, unsigned long first,
			     unsigned long last)
{
	unsigned long s = 2 * r->op_nr - 1, e = 2 * r->op_nr;

	return check_no_skip(r, NULL, what, prev, start, seen, first, last) &&
	       check_step_entry(r, NULL, what, prev, seen, first, last, s, e);
}

/* The inside read's steps, judged once the store is in the model. */
static bool check_inside(struct rcu_run *r, const struct inside_read *in,
			 unsigned long start)
{
	const char *what = in->rev ? "mas_find_rev inside the store" :
				     "mas_find inside the store";
	struct prev_step prev = { .rev = in->rev, .active = true };
	unsigned int i;

	step_done(&prev, in->first, in->last, 2 * r->op_nr - 2);
	for (i = 0; i < in->n; i++) {
		if (!check_stale_step(r, what, start, &prev, in->step[i].entry,
				      in->step[i].first, in->step[i].last))
			return false;
		if (!in->step[i].entry)
			break;
		step_done(&prev, in->step[i].first, in->step[i].last,
			  2 * r->op_nr - 2);
	}
	return true;
}

/*
 * A reader that stopped in the middle: mas_walk() to a under
 * rcu_read_lock(), then (still in the read-side section) store [b, c],
 * then mas_find() on from the nodes the walk left in the ma_state.  Those
 * may have been replaced, and must still be readable: RCU frees them only
 * after this section ends.  What it reads must be the tree before or after
 * the store.  r picks the number of steps, and with STALE_NULL the store
 * is of NULL: an erase that may empty the tree under the reader.  One in
 * four (STALE_REV) goes on backwards, with mas_find_rev().  One in four
 * (STALE_INSIDE) also reads inside the store, at its smp_wmb() 2 + r
 * bits 10-11 (struct inside_read).
 */
static bool op_stale(struct rcu_run *r, const struct test_op *op)
{
	unsigned int steps = op->r % STALE_STEPS + 1, i;
	void *entry = op->r & STALE_NULL ? NULL : mk_entry(r->op_nr), *seen;
	unsigned long s = 2 * r->op_nr - 1;
	bool rev = (op->r & STALE_REV) == STALE_REV, ok = true;
	const char *what = rev ? "mas_find_rev after the store" :
				 "mas_find after the store";
	struct prev_step prev = { .rev = rev, .active = true };
	struct inside_read in = {
		.rev = rev, .steps = steps, .at = 2 + ((op->r >> 10) & 3),
	};
	MA_STATE(mas, &r->tree, op->a, op->a);
	int ret;

	if (op->b > op->c) {
		/* A shrunk replay's leftover: an op that writes nothing. */
		hist_record(r, 1, 0, NULL);
		epoch_set(r, s);
		op_done(r);
		return true;
	}
	hist_record(r, op->b, op->c, entry);
	epoch_set(r, s);
	rcu_read_lock();
	seen = mas_walk(&mas);
	ok = check_read(r, NULL, "mas_walk before the store", op->a, seen,
			s - 1, s - 1);
#ifdef HAVE_TOPIARY_REPLACE
	if ((op->r & STALE_INSIDE) == STALE_INSIDE) {
		in.mas = mas;
		in.first = mas.index;
		in.last = mas.last;
		inside = &in;
		smp_wmb_hook = inside_point;
	}
#endif
	/* GFP_NOWAIT: no sleeping allocation inside a read-side section. */
	ret = mtree_store_range(&r->tree, op->b, op->c, entry,
				GFP_NOWAIT | __GFP_NOWARN);
	smp_wmb_hook = NULL;
	if (!ret)
		model_write(r, op->b, op->c, entry);
	op_done(r);
	/* The walk's range, or gap, is the step before the first. */
	step_done(&prev, mas.index, mas.last, s - 1);
	for (i = 0; ok && i < steps && !step_at_end(&prev); i++) {
		seen = find_step(&mas, rev, false);
		ok = check_stale_step(r, what, op->a, &prev, seen, mas.index,
				      mas.last);
		if (!seen)
			break;
		step_done(&prev, mas.index, mas.last, s - 1);
	}
	rcu_read_unlock();
	if (!ok || !check_inside(r, &in, op->a))
		return false;
	if (!nomem_nowait(r, ret))
		ASSERT_EQ(ret, 0);
	return check_around(r, op->b, op->c);
}

/*
 * ---- Interleaved reads ----
 *
 * The writer reads as a reader does (read_load(), read_walk(),
 * read_iterate()), with rcu_deref_hook set so that the op's store of
 * [b, c] runs inside the read, at its at-th load of the root or a slot:
 * the race of a reader overtaken there, made to replay.  The read may
 * return what the tree held before the store or after it.
 */
struct interleave {
	struct rcu_run *r;
	const struct test_op *op;
	void *entry;
	unsigned int count;	/* loads passed */
	unsigned int at;	/* the load the store runs at */
	bool stored;
	int ret;
};

__thread void (*rcu_deref_hook)(void);
static __thread struct interleave *interleaving;

static void interleave_store(struct interleave *il)
{
	struct rcu_run *r = il->r;

	rcu_deref_hook = NULL;
	il->stored = true;
	/* GFP_NOWAIT: inside the read's read-side section. */
	il->ret = mtree_store_range(&r->tree, il->op->b, il->op->c, il->entry,
				    GFP_NOWAIT | __GFP_NOWARN);
	if (!il->ret)
		model_write(r, il->op->b, il->op->c, il->entry);
	op_done(r);
}

static void interleave_point(void)
{
	struct interleave *il = interleaving;

	if (++il->count >= il->at)
		interleave_store(il);
}

/*
 * r says: the load the store runs at (bits 0-3, 1 to 16), a NULL store
 * (STALE_NULL), and the read (bits 8-9): mtree_load(), mas_walk(), or an
 * iteration of mas_find() or mas_find_rev(); the reader's own choices
 * (steps) come from r too.  A read with fewer loads stores after it.
 */
static bool op_interleave(struct rcu_run *r, const struct test_op *op)
{
	struct interleave il = {
		.r = r, .op = op, .at = op->r % 16 + 1,
		.entry = op->r & STALE_NULL ? NULL : mk_entry(r->op_nr),
	};
	struct reader wr = { .id = 0 };
	unsigned int kind = (op->r >> 8) & 3;
	bool ok;

	if (op->b > op->c) {
		/* A shrunk replay's leftover: an op that writes nothing. */
		hist_record(r, 1, 0, NULL);
		epoch_set(r, 2 * r->op_nr - 1);
		op_done(r);
		return true;
	}
	rng_seed(&wr.rng, op->r);
	hist_record(r, op->b, op->c, il.entry);
	epoch_set(r, 2 * r->op_nr - 1);
	interleaving = &il;
	rcu_deref_hook = interleave_point;
	if (kind == 0)
		ok = read_load(r, &wr, op->a);
	else if (kind == 1)
		ok = read_walk(r, &wr, op->a);
	else
		ok = read_iterate(r, &wr, op->a, kind == 3);
	rcu_deref_hook = NULL;
	if (!il.stored)
		interleave_store(&il);
	if (!ok)
		return false;
	if (!nomem_nowait(r, il.ret))
		ASSERT_EQ(il.ret, 0);
	return check_around(r, op->b, op->c);
}

static bool check_tree(struct rcu_run *r)
{
	return check_whole(&r->tree, &r->model);
}

static bool op_check(struct rcu_run *r, const struct test_op *op)
{
	hist_record(r, 1, 0, NULL);
	epoch_set(r, 2 * r->op_nr - 1);
	op_done(r);
	return check_tree(r);
}

static bool (*const rop_apply[NR_ROPS])(struct rcu_run *, const struct test_op *) = {
	[ROP_STORE] = op_store, [ROP_SPAN] = op_store,
	[ROP_STORE_NULL] = op_store, [ROP_INSERT] = op_store,
	[ROP_MAS_STORE] = op_store, [ROP_ERASE] = op_erase,
	[ROP_STALE] = op_stale, [ROP_INTERLEAVE] = op_interleave,
	[ROP_CHECK] = op_check,
};

/* ---- Generating ops ---- */

/* Mostly where ranges are, so that writes split and merge nodes. */
static unsigned long gen_index(struct rcu_run *r)
{
	struct model_range m;
	unsigned long x;

	if (rng_percent(&r->rng, 5))
		return ULONG_MAX - rng_below(&r->rng, TOP_SPACE);
	x = rng_below(&r->rng, SPACE);
	if (rng_percent(&r->rng, 50) && model_find(&r->model, x, &m))
		return rng_percent(&r->rng, 50) ? m.first : m.last;
	return x;
}

static void gen_range(struct rcu_run *r, unsigned long span, unsigned long *a,
		      unsigned long *b)
{
	*a = gen_index(r);
	*b = *a + rng_below(&r->rng, span);
	if (*b < *a)
		*b = ULONG_MAX;
}

static void gen_op(struct rcu_run *r, struct test_op *op)
{
	unsigned int total = 0, t, pick;
	struct model_range slot;

	memset(op, 0, sizeof(*op));
	if (r->op_nr % CHECK_EVERY == 0) {
		op->type = ROP_CHECK;
		return;
	}
	for (t = 0; t < NR_ROPS; t++)
		total += rop_weight[t];
	pick = rng_below(&r->rng, total);
	for (t = 0; pick >= rop_weight[t]; t++)
		pick -= rop_weight[t];
	op->type = t;
	op->r = rng_next(&r->rng);
	switch (t) {
	case ROP_SPAN:
		gen_range(r, SPACE / 64, &op->a, &op->b);
		break;
	case ROP_ERASE:
		op->a = gen_index(r);
		break;
	case ROP_STALE:
	case ROP_INTERLEAVE:
		op->a = gen_index(r);
		/* Usually near the walk, so that its nodes are the ones replaced. */
		op->b = rng_percent(&r->rng, 70) ?
			op->a + rng_below(&r->rng, 256) : gen_index(r);
		op->c = op->b + rng_below(&r->rng, rng_percent(&r->rng, 20) ?
					  SPACE / 64 : 16);
		if (op->b < op->a && op->a > ULONG_MAX - 256)
			op->b = op->a;
		if (op->c < op->b)
			op->c = ULONG_MAX;
		/*
		 * To the end of the range or gap holding b: a store that ends
		 * there fits the node's last slot exactly, or appends to it.
		 */
		if (rng_percent(&r->rng, 30)) {
			model_slot(&r->model, op->b, &slot);
			op->c = slot.last;
		}
		break;
	default:
		gen_range(r, rng_percent(&r->rng, 80) ? 16 : 1024, &op->a, &op->b);
	}
}

/* ---- The suite ---- */

static void rcu_describe(const struct test_op *op, char *buf, size_t len)
{
	unsigned long flags = ctx->config & ((1UL << CONFIG_READERS_SHIFT) - 1);

	snprintf(buf, len, "%s a=%#lx b=%#lx c=%#lx r=%#llx [%s+rcu tree, %lu readers]",
		 op->type < NR_ROPS ? rop_names[op->type] : "?",
		 op->a, op->b, op->c, (unsigned long long)op->r,
		 flags & MT_FLAGS_ALLOC_RANGE ? "alloc" : "plain",
		 ctx->config >> CONFIG_READERS_SHIFT);
}

static void start(struct rcu_run *r, bool replay)
{
	memset(r, 0, sizeof(*r));
	rng_seed(&r->rng, ctx->seed);
	model_init(&r->model);
	r->nr_readers = opts.readers;
	r->bare = bare_run;
	if (replay) {
		/* The suite is about RCU trees: a config without it gets it. */
		r->flags = (ctx->config & MT_FLAGS_ALLOC_RANGE) | MT_FLAGS_USE_RCU;
		/* As many readers as it ran with (none recorded: --readers). */
		if (ctx->config >> CONFIG_READERS_SHIFT)
			r->nr_readers = min(ctx->config >> CONFIG_READERS_SHIFT,
					    64UL);
	} else {
		r->flags = MT_FLAGS_USE_RCU;
		if (rng_percent(&r->rng, 50))
			r->flags |= MT_FLAGS_ALLOC_RANGE;
#ifdef HAVE_BUG_DESTROY_CLEAR_META
		/*
		 * The known bug in the RCU destroy walk (scripts/probe) frees
		 * a truncated address in RCU trees without ALLOC_RANGE, and
		 * spanning stores reach it: keep to ALLOC_RANGE trees, as the
		 * kernel's own RCU trees (the VMA trees) are.
		 */
		if (!opts.known_bugs)
			r->flags |= MT_FLAGS_ALLOC_RANGE;
#endif
		ctx->config = r->flags |
			(unsigned long)r->nr_readers << CONFIG_READERS_SHIFT;
	}
	mt_init_flags(&r->tree, r->flags);
	start_readers(r);
}

/*
 * Whether op leaves the tree empty: then every node a reader stands on
 * dies, and on the known bug a reader's mas_find() rewalks to no node and
 * dereferences NULL (HAVE_BUG_RCU_FIND_EMPTIED, README).
 */
static bool empties_tree(struct rcu_run *r, const struct test_op *op)
{
	struct model_range want;
	unsigned long first, last;

	switch (op->type) {
	case ROP_STORE_NULL:
		first = op->a;
		last = op->b;
		break;
	case ROP_ERASE:
		if (!model_lookup(&r->model, op->a, &want))
			return false;
		first = want.first;
		last = want.last;
		break;
	case ROP_STALE:
	case ROP_INTERLEAVE:
		if (!(op->r & STALE_NULL))
			return false;
		first = op->b;
		last = op->c;
		break;
	default:
		return false;
	}
	return first <= last && r->model.count &&
	       (!first || !model_any(&r->model, 0, first - 1)) &&
	       (last == ULONG_MAX || !model_any(&r->model, last + 1, ULONG_MAX));
}

static bool apply_op(struct rcu_run *r)
{
	bool ok;

#ifdef HAVE_BUG_RCU_FIND_EMPTIED
	/* Steer clear of the known bug: a check instead, as a replay shows. */
	if (!opts.known_bugs && empties_tree(r, &r->op))
		r->op = (struct test_op){ .type = ROP_CHECK };
#endif
	test_log_op(&r->op);
	r->injected = slab_faults.injected;
	r->injected_blocking = slab_faults.injected_blocking;
	if (opts.trace) {
		char buf[256];

		rcu_describe(&r->op, buf, sizeof(buf));
		printf("op %lu: %s (%lu ranges)\n", r->op_nr, buf, r->model.count);
	}
	rcu_assign_hook = writer_assign;
	ok = rop_apply[r->op.type](r, &r->op);
	rcu_assign_hook = NULL;
	return ok && !failed();
}

/*
 * Stop the readers, then the tree must equal the model, and once destroyed
 * and past an RCU barrier, hold no node.
 */
static bool finish(struct rcu_run *r, bool ok)
{
	unsigned long checks = stop_readers(r), unjudged = 0, raced = 0;
	unsigned int i;

	r->reader_checks = checks;
	for (i = 0; i < r->nr_readers; i++) {
		unjudged += r->readers[i].unjudged;
		raced += r->readers[i].raced;
	}
	if (opts.verbose)
		printf("rcu seed %llu: %lu reader checks (%lu saw a write of their window, %lu unjudged), %lu stale-read checks, %lu ranges at the end\n",
		       (unsigned long long)ctx->seed, checks, raced, unjudged,
		       r->writer_checks, r->model.count);
	ok = ok && !failed() && check_tree(r);
	mtree_destroy(&r->tree);
	rcu_barrier();
	if (ok && slab_live("maple_node")) {
		test_fail(__FILE__, __LINE__, "%ld maple nodes left after mtree_destroy() and rcu_barrier()",
			  slab_live("maple_node"));
		ok = false;
	}
	model_destroy(&r->model);
	hist_free(r);
	free(r->readers);
	return ok && !failed();
}

static bool rcu_run(unsigned long ops)
{
	struct rcu_run *r = &run;
	bool ok = true;

	start(r, false);
	r->nops = ops;
	for (r->op_nr = 1; r->op_nr <= ops && ok; r->op_nr++) {
		gen_op(r, &r->op);
		ok = apply_op(r);
	}
	return finish(r, ok);
}

/*
 * A replay's readers read on after its last op until each has read
 * REPLAY_READS times in all: a reader's failure that the tree as the ops
 * left it shows (a wrong answer, not a race) then comes back whatever the
 * threads' timing, even in a replay shrunk to an op or two.
 */
#define REPLAY_READS	20000

static void replay_reads(struct rcu_run *r)
{
	unsigned int i;

	/*
	 * A reader stops early without a failure when a shrink trial judges
	 * the writer alone and the reader lost a race (read_fail()).
	 */
	for (i = 0; i < r->nr_readers; i++)
		while (!failed() &&
		       !__atomic_load_n(&r->readers[i].stopped, __ATOMIC_ACQUIRE) &&
		       __atomic_load_n(&r->readers[i].reads, __ATOMIC_RELAXED) <
		       REPLAY_READS)
			sched_yield();
}

static bool rcu_replay(const struct test_op *ops, unsigned long n)
{
	struct rcu_run *r = &run;
	bool ok = true;

	start(r, true);
	for (r->op_nr = 1; r->op_nr <= n && ok; r->op_nr++) {
		r->op = ops[r->op_nr - 1];
		ok = apply_op(r);
	}
	if (ok)
		replay_reads(r);
	return finish(r, ok);
}

static bool rcu_has_op(unsigned int type)
{
	return type < NR_ROPS;
}

static const char *rcu_op_name(unsigned int type)
{
	return type < NR_ROPS ? rop_names[type] : NULL;
}

static void rcu_list_ops(FILE *f)
{
	unsigned int t;

	for (t = 0; t < NR_ROPS; t++)
		fprintf(f, "  %-36s yes\n", rop_names[t]);
}

/* ---- --bench ---- */

/* A few paused mas_find() or mas_find_rev() steps, nothing judged. */
static void bare_iterate(struct rcu_run *r, struct reader *rd,
			 unsigned long index, bool rev)
{
	unsigned int steps = rng_range(&rd->rng, 1, 64), i;
	bool prev_steps = rev && rd->id && rng_percent(&rd->rng, 50);
	MA_STATE(mas, &r->tree, index, index);

	rcu_read_lock();
	for (i = 0; i < steps; i++) {
		rd->reads++;
		if (!find_step(&mas, rev, prev_steps) ||
		    (rev ? !mas.index : mas.last == ULONG_MAX))
			break;
		mas_pause(&mas);
		rcu_read_unlock();
		rcu_read_lock();
	}
	rcu_read_unlock();
}

/* The same reads by kind: mtree_load, mas_walk, forwards or backwards. */
static void bare_read_kind(struct rcu_run *r, struct reader *rd,
			   unsigned long index, unsigned int kind)
{
	MA_STATE(mas, &r->tree, index, index);

	if (kind >= 2) {
		bare_iterate(r, rd, index, kind == 3);
		return;
	}
	rd->reads++;
	if (!kind) {
		mtree_load(&r->tree, index);
		return;
	}
	rcu_read_lock();
	mas_walk(&mas);
	rcu_read_unlock();
}

/*
 * A reader's reads, nothing judged: mtree_load(), mas_walk() or a few
 * paused mas_find() or mas_find_rev() steps, mixed and placed as the
 * checked readers do.
 */
static void bare_read(struct rcu_run *r, struct reader *rd)
{
	uint64_t x = rng_next(&rd->rng);
	unsigned int what = take(&x, 10);
	unsigned long index = reader_index(r, rd, &x);

	bare_read_kind(r, rd, index, what < 4 ? 0 : what < 7 ? 1 :
				     what < 9 ? 2 : 3);
}

/*
 * The writer's op on the tree alone: no model, undo or check.  Only the
 * range it writes goes in its history record, where reader_index() looks.
 */
static void bare_op(struct rcu_run *r, const struct test_op *op)
{
	void *entry = op->type == ROP_STORE_NULL ? NULL : mk_entry(r->op_nr);
	bool stale = op->type == ROP_STALE || op->type == ROP_INTERLEAVE;
	struct rec *h = &r->hist[r->op_nr % HIST];
	struct reader wr = { .id = 0 };
	MA_STATE(mas, &r->tree, op->a, op->a);
	unsigned int i;
	bool rev;

	/* An erase's range is the model's: here, its index alone. */
	__atomic_store_n(&h->first, stale ? op->b : op->a, __ATOMIC_RELAXED);
	__atomic_store_n(&h->last, stale ? op->c :
			 op->type == ROP_ERASE ? op->a : op->b,
			 __ATOMIC_RELAXED);
	epoch_set(r, 2 * r->op_nr);
	switch (op->type) {
	case ROP_STORE:
	case ROP_SPAN:
	case ROP_STORE_NULL:
		mtree_store_range(&r->tree, op->a, op->b, entry, GFP_KERNEL);
		break;
	case ROP_INSERT:
		mtree_insert_range(&r->tree, op->a, op->b, entry, GFP_KERNEL);
		break;
	case ROP_MAS_STORE:
		mas_set_range(&mas, op->a, op->b);
		mtree_lock(&r->tree);
		mas_store_gfp(&mas, entry, GFP_KERNEL);
		mtree_unlock(&r->tree);
		break;
	case ROP_ERASE:
		mtree_erase(&r->tree, op->a);
		break;
	case ROP_STALE:
		rev = (op->r & STALE_REV) == STALE_REV;
		if (op->r & STALE_NULL)
			entry = NULL;
		rcu_read_lock();
		mas_walk(&mas);
		mtree_store_range(&r->tree, op->b, op->c, entry,
				  GFP_NOWAIT | __GFP_NOWARN);
		for (i = 0; i <= op->r % 32; i++)
			if (!find_step(&mas, rev, false) ||
			    (rev ? !mas.index : mas.last == ULONG_MAX))
				break;
		rcu_read_unlock();
		break;
	case ROP_INTERLEAVE:
		/* The store, then the same read: no hook, no judging. */
		mtree_store_range(&r->tree, op->b, op->c,
				  op->r & STALE_NULL ? NULL : entry,
				  GFP_NOWAIT | __GFP_NOWARN);
		rng_seed(&wr.rng, op->r);
		bare_read_kind(r, &wr, op->a, (op->r >> 8) & 3);
		break;
	}
}

struct bench_pass {
	double secs;
	unsigned long reads;
};

/*
 * Each seed's ops twice: generated, with the model, the readers' checks
 * and every check; then replayed on the kernel alone (bare_op()), while
 * the readers read and judge nothing.  The writer's ops are the same both
 * times, so its times compare; the readers read as long as it runs, so
 * their reads per second compare.
 */
static void rcu_bench(unsigned long nops)
{
	unsigned long nodes = slab_total("maple_node"), ops = 0, n, seed, i;
	struct test_op *log = calloc(nops, sizeof(*log));
	struct bench_pass with = { 0 }, alone = { 0 };
	struct rcu_run *r = &run;
	double t;

	if (!log)
		abort();
	for (seed = 1; seed <= 4; seed++) {
		ctx_reset("rcu", seed);
		t = now();
		start(r, false);
		for (r->op_nr = 1; r->op_nr <= nops; r->op_nr++) {
			gen_op(r, &r->op);
			/* As applied: an op the known bug would meet is a check. */
			if (!apply_op(r))
				break;
			log[r->op_nr - 1] = r->op;
		}
		n = r->op_nr - 1;
		if (!finish(r, true))
			printf("bench rcu: seed %lu failed: %s\n", seed, ctx->msg);
		with.secs += now() - t;
		with.reads += r->reads;
		ops += n;

		ctx_reset("rcu", seed);
		ctx->config = r->flags;
		bare_run = true;
		t = now();
		start(r, true);
		for (i = 0; i < n; i++) {
			r->op_nr = i + 1;
			bare_op(r, &log[i]);
		}
		stop_readers(r);
		mtree_destroy(&r->tree);
		rcu_barrier();
		alone.secs += now() - t;
		alone.reads += r->reads;
		bare_run = false;
		free(r->readers);
	}
	free(log);
	printf("bench rcu: %lu writer ops (4 seeds x %lu), %u readers\n", ops,
	       nops, opts.readers);
	printf("  with model:   writer %10.0f ops/s, readers %10.0f reads/s\n",
	       ops / with.secs, with.reads / with.secs);
	printf("  kernel alone: writer %10.0f ops/s, readers %10.0f reads/s\n",
	       ops / alone.secs, alone.reads / alone.secs);
	printf("  model share:  %9.1f%% of the writer's time, %.1f%% of the readers'\n",
	       100 * (with.secs - alone.secs) / with.secs,
	       100 * (1 - with.reads / with.secs / (alone.reads / alone.secs)));
	printf("  nodes allocated per op: %.2f\n",
	       (slab_total("maple_node") - nodes) / (2.0 * ops));
	printf("  peak RSS: %ld KiB\n", peak_rss_kib());
}

const struct suite rcu_suite = {
	.name = "rcu",
	.desc = "lock-free readers of an RCU maple tree against one writer",
	.default_ops = 20000,
	.default_time = 10,
	.op_name = rcu_op_name,
	.nr_op_types = NR_ROPS,
	.run = rcu_run,
	.replay = rcu_replay,
	.has_op = rcu_has_op,
	.describe = rcu_describe,
	.bench = rcu_bench,
	.list_ops = rcu_list_ops,
};
