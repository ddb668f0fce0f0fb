// SPDX-License-Identifier: GPL-2.0
/* Checks of a maple tree against the reference model (maple_check.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <generated/features.h>
#include <linux/kernel.h>
#include <linux/maple_tree.h>
#include <linux/xarray.h>
#include "maple_check.h"
#include "test.h"

bool check_load(struct maple_tree *mt, struct model *m,
		unsigned long index)
{
	struct model_range want;
	void *expect = NULL, *seen;
	char e[32], g[32];

	/* mtree_load() takes XA_ZERO_ENTRY for NULL. */
	if (model_lookup(m, index, &want) && !xa_is_zero(want.entry))
		expect = want.entry;
	seen = mtree_load(mt, index);
	if (seen != expect) {
		test_fail(__FILE__, __LINE__, "mtree_load(%#lx): expected %s, got %s",
			  index, fmt_entry(e, sizeof(e), expect),
			  fmt_entry(g, sizeof(g), seen));
		return false;
	}
	return true;
}

/* The edges of a write and of its neighbours are where a wrong pivot shows. */
bool check_edges(struct maple_tree *mt, struct model *m,
		 unsigned long first, unsigned long last)
{
	if (first && !check_load(mt, m, first - 1))
		return false;
	if (!check_load(mt, m, first) || !check_load(mt, m, last))
		return false;
	return last == ULONG_MAX || check_load(mt, m, last + 1);
}

/*
 * mt_height(), the height the tree's flags record, must count its levels:
 * the write paths size their node allocations by it (mas_prealloc_calc(),
 * mas_rebalance()) and mt_dump() prints it, but mt_validate() never looks.
 * The levels are counted up from the leaf a walk to 0 ends in, through
 * parent pointers, to the root, whose parent is the tree's address with
 * bit 0 set (maple_tree.c's MA_ROOT_PARENT); a root that is no node is
 * no level.
 */
static bool check_height(struct maple_tree *mt)
{
	MA_STATE(mas, mt, 0, 0);
	const struct maple_node *node;
	unsigned int levels = 0;

	if (xa_is_node(rcu_dereference(mt->ma_root))) {
		mas_walk(&mas);
		node = (void *)((unsigned long)mas.node & ~MAPLE_NODE_MASK);
		levels = 1;
		while (!((unsigned long)node->parent & 1)) {
			node = (void *)((unsigned long)node->parent & ~MAPLE_NODE_MASK);
			levels++;
		}
	}
	if (mt_height(mt) != levels) {
		test_fail(__FILE__, __LINE__,
			  "mt_height() is %u, the tree counts %u levels (leaf at 0: [%#lx, %#lx])",
			  mt_height(mt), levels, mas.min, mas.max);
		return false;
	}
	return true;
}

bool check_whole(struct maple_tree *mt, struct model *m)
{
	unsigned long n, i = 0;
	struct model_range *want = model_ranges(m, &n);
	MA_STATE(mas, mt, 0, 0);
	bool ok = false;
	char e[32], s[32];
	void *entry;

	rcu_read_lock();
	mas_for_each(&mas, entry, ULONG_MAX) {
		if (i >= n) {
			test_fail(__FILE__, __LINE__,
				  "tree has an entry the model has not: [%#lx, %#lx] %s",
				  mas.index, mas.last, fmt_entry(s, sizeof(s), entry));
			goto out;
		}
		if (mas.index != want[i].first || mas.last != want[i].last ||
		    entry != want[i].entry) {
			test_fail(__FILE__, __LINE__,
				  "range %lu: expected [%#lx, %#lx] %s, got [%#lx, %#lx] %s",
				  i, want[i].first, want[i].last,
				  fmt_entry(e, sizeof(e), want[i].entry),
				  mas.index, mas.last, fmt_entry(s, sizeof(s), entry));
			goto out;
		}
		i++;
	}
	if (i != n) {
		test_fail(__FILE__, __LINE__,
			  "tree ends after %lu ranges, model has %lu; next expected [%#lx, %#lx]",
			  i, n, want[i].first, want[i].last);
		goto out;
	}
	/*
	 * A tree with entries is never empty, a root entry that is no node
	 * included.  The converse does not hold: NULL stores may leave a
	 * root node with no entries (expect_store() checks when they must
	 * not).
	 */
	if (n && mtree_empty(mt)) {
		test_fail(__FILE__, __LINE__,
			  "mtree_empty() is true of a tree of %lu ranges, the first [%#lx, %#lx] %s",
			  n, want[0].first, want[0].last,
			  fmt_entry(e, sizeof(e), want[0].entry));
		goto out;
	}
	ok = check_height(mt);
out:
	rcu_read_unlock();
	free(want);
	if (!ok)
		return false;
	mt_validate(mt);
	return !__atomic_load_n(&ctx->failed, __ATOMIC_RELAXED);
}

/*
 * mt_dump() read back: every leaf line "[indent]first[-last]: entry" must
 * follow the one before it, so that the lines tile [0, ULONG_MAX], and say
 * what the model holds there.  A root that is not a node is one line, for
 * index 0.  The dump is the developer's view of a failure: a dump that
 * lies sends them the wrong way.
 */
struct dump_read {
	struct model *m;
	int base;		/* 16 or 10: how mt_dump() prints indices */
	unsigned long next;	/* the first index no leaf line has covered */
	unsigned long lines;	/* leaf lines */
	bool nodes;		/* a node line was seen: the root is a node */
	bool done;		/* a leaf line ended at ULONG_MAX */
	char err[200];
};

static bool dump_range(struct dump_read *d, const char *p, const char **rest,
		       unsigned long *first, unsigned long *last)
{
	char *end;

	while (*p == ' ')
		p++;
	*first = *last = strtoul(p, &end, d->base);
	if (end == p)
		return false;
	if (*end == '-') {
		p = end + 1;
		*last = strtoul(p, &end, d->base);
		if (end == p)
			return false;
	}
	if (end[0] != ':' || end[1] != ' ')
		return false;
	*rest = end + 2;
	return true;
}

/* A leaf line's entry against the model's [first, last]. */
static void dump_leaf(struct dump_read *d, unsigned long first,
		      unsigned long last, const char *what, const char *line)
{
	struct model_range want;
	void *entry = NULL;
	char e[32];
	long v;

	if (sscanf(what, "value %ld ", &v) == 1)
		entry = xa_mk_value(v);
	else if (sscanf(what, "zero (%ld)", &v) == 1)
		entry = xa_mk_internal(v);	/* XA_ZERO_ENTRY, as it prints it */
	else if (!strncmp(what, "0x", 2))
		entry = (void *)strtoul(what, NULL, 16);	/* mk_entry()'s others */
	else if (strncmp(what, "(nil)", 5)) {
		snprintf(d->err, sizeof(d->err), "not an entry we stored: %.120s", line);
		return;
	}
	if (d->done || first != d->next || last < first) {
		snprintf(d->err, sizeof(d->err),
			 "leaf line for [%#lx, %#lx] where %#lx comes next: %.80s",
			 first, last, d->next, line);
		return;
	}
	d->next = last + 1;
	d->done = last == ULONG_MAX;
	d->lines++;
	if (!entry) {
		if (model_any(d->m, first, last))
			snprintf(d->err, sizeof(d->err),
				 "dump shows [%#lx, %#lx] empty, the model has an entry there",
				 first, last);
		return;
	}
	if (!model_lookup(d->m, first, &want) || want.first != first ||
	    want.last != last || want.entry != entry)
		snprintf(d->err, sizeof(d->err),
			 "dump shows [%#lx, %#lx] %s, the model has not: %.60s",
			 first, last, fmt_entry(e, sizeof(e), entry), line);
}

static void dump_line(const char *line, void *arg)
{
	struct dump_read *d = arg;
	unsigned long first, last;
	const char *rest;

	if (d->err[0] || !strncmp(line, "maple_tree(", 11))
		return;
	if (!dump_range(d, line, &rest, &first, &last)) {
		snprintf(d->err, sizeof(d->err), "unexpected line: %.120s", line);
		return;
	}
	if (!strncmp(rest, "node ", 5)) {
		d->nodes = true;
		return;
	}
	dump_leaf(d, first, last, rest, line);
}

bool check_dump(struct maple_tree *mt, struct model *m, bool dec)
{
	struct dump_read d = { .m = m, .base = dec ? 10 : 16 };
	struct model_range r0;

	printk_capture(dump_line, &d);
#ifdef HAVE_MT_DUMP_FORMAT
	mt_dump(mt, dec ? mt_dump_dec : mt_dump_hex);
#else
	d.base = 10;
	mt_dump(mt);
#endif
	printk_capture(NULL, NULL);
	if (!d.err[0] && !d.nodes && (d.lines != 1 || d.next != 1 ||
	    m->count > 1 || (m->count && (!model_find(m, 0, &r0) || r0.last))))
		snprintf(d.err, sizeof(d.err),
			 "a root that is not a node: %lu lines up to %#lx, the model has %lu ranges",
			 d.lines, d.next - 1, m->count);
	else if (!d.err[0] && d.nodes && !d.done)
		snprintf(d.err, sizeof(d.err), "leaf lines end before ULONG_MAX, at %#lx",
			 d.next - 1);
	if (d.err[0]) {
		test_fail(__FILE__, __LINE__, "mt_dump(%s): %s", dec ? "dec" : "hex", d.err);
		return false;
	}
	return true;
}

#ifdef HAVE_MAS_STATUS
const char *mas_status_name(enum maple_status st)
{
	static const char *const names[] = {
		[ma_active] = "ma_active", [ma_start] = "ma_start",
		[ma_root] = "ma_root", [ma_none] = "ma_none",
		[ma_pause] = "ma_pause", [ma_overflow] = "ma_overflow",
		[ma_underflow] = "ma_underflow", [ma_error] = "ma_error",
	};

	return st < ARRAY_SIZE(names) && names[st] ? names[st] : "?";
}
#endif

#ifdef HAVE_MAS_DUMP
/* What mas_dump() and mas_wr_dump() print, read back field by field. */
struct state_read {
	unsigned long v[8];	/* index last min max r_min r_max end_piv; offset/end */
	unsigned int offset, end, depth, flags;
	unsigned int wr_type, wr_off_end, wr_end;
	char status[24];
	unsigned int found;	/* a bit per line read */
};

static void state_line(const char *line, void *arg)
{
	struct state_read *s = arg;
	const char *p;

	if ((p = strstr(line, "(ma_")) &&
	    sscanf(p, "(%23[a-z_])", s->status) == 1)
		s->found |= 1;
	if ((p = strchr(line, '[')) && sscanf(p, "[%u/%u] index=%lx last=%lx",
			&s->offset, &s->end, &s->v[0], &s->v[1]) == 4)
		s->found |= 2;
	if ((p = strstr(line, "min=")) &&
	    sscanf(p, "min=%lx max=%lx alloc=%*p, depth=%u, flags=%x",
		   &s->v[2], &s->v[3], &s->depth, &s->flags) == 4)
		s->found |= 4;
	if ((p = strstr(line, "r_min=")) &&
	    sscanf(p, "r_min=%lx r_max=%lx", &s->v[4], &s->v[5]) == 2)
		s->found |= 8;
	if ((p = strstr(line, "type=")) &&
	    sscanf(p, "type=%u off_end=%u, node_end=%u, end_piv=%lx",
		   &s->wr_type, &s->wr_off_end, &s->wr_end, &s->v[6]) == 4)
		s->found |= 16;
}

bool check_mas_dump(const struct ma_wr_state *wr)
{
	const struct ma_state *mas = wr->mas;
	struct state_read s = { 0 };

	printk_capture(state_line, &s);
	mas_wr_dump(wr);
	mas_dump(mas);
	printk_capture(NULL, NULL);
	ASSERT_EQ(s.found, 31);
	ASSERT_TRUE(!strcmp(s.status, mas_status_name(mas->status)));
	ASSERT_EQ(s.v[0], mas->index);
	ASSERT_EQ(s.v[1], mas->last);
	ASSERT_EQ(s.v[2], mas->min);
	ASSERT_EQ(s.v[3], mas->max);
	ASSERT_EQ(s.offset, mas->offset);
	ASSERT_EQ(s.end, mas->end);
	ASSERT_EQ(s.depth, mas->depth);
	ASSERT_EQ(s.flags, mas->mas_flags);
	ASSERT_EQ(s.v[4], wr->r_min);
	ASSERT_EQ(s.v[5], wr->r_max);
	ASSERT_EQ(s.v[6], wr->end_piv);
	ASSERT_EQ(s.wr_type, wr->type);
	ASSERT_EQ(s.wr_off_end, wr->offset_end);
	ASSERT_EQ(s.wr_end, mas->end);
	return true;
}
#endif

/* After mt_set_in_rcu() or mt_clear_in_rcu() (maple_check.h). */
bool check_rcu_toggle(struct maple_tree *mt, unsigned int flags,
		      unsigned long released)
{
	unsigned int want = flags ^ MT_FLAGS_USE_RCU;
	bool own_lock = (flags & MT_FLAGS_LOCK_MASK) != MT_FLAGS_LOCK_EXTERN;

	if (mt->ma_flags != want) {
		test_fail(__FILE__, __LINE__,
			  "mt_%s_in_rcu() left the flags %#x, expected %#x",
			  flags & MT_FLAGS_USE_RCU ? "clear" : "set",
			  mt->ma_flags, want);
		return false;
	}
	if (spin_releases - released == (own_lock ? 1 : 0))
		return true;
	test_fail(__FILE__, __LINE__,
		  "mt_%s_in_rcu() released the tree's lock %lu times, expected %d",
		  flags & MT_FLAGS_USE_RCU ? "clear" : "set",
		  spin_releases - released, own_lock ? 1 : 0);
	return false;
}
