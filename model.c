// SPDX-License-Identifier: GPL-2.0
/* The reference model: a treap of disjoint ranges (see model.h). */
#include <limits.h>
#include <stdlib.h>
#include "model.h"

struct model_node {
	unsigned long first;
	unsigned long last;
	void *entry;
	unsigned long prio;
	struct model_node *left;
	struct model_node *right;
};

void model_init(struct model *m)
{
	m->root = NULL;
	m->spare = NULL;
	m->count = 0;
	m->prio = 0x9e3779b97f4a7c15UL;
}

static void free_subtree(struct model *m, struct model_node *n)
{
	while (n) {
		struct model_node *right = n->right;

		free_subtree(m, n->left);
		n->right = m->spare;
		m->spare = n;
		m->count--;
		n = right;
	}
}

void model_destroy(struct model *m)
{
	struct model_node *n;

	free_subtree(m, m->root);
	m->root = NULL;
	while ((n = m->spare)) {
		m->spare = n->right;
		free(n);
	}
}

/* Left gets the nodes with first < key, right the others. */
static void split(struct model_node *t, unsigned long key,
		  struct model_node **left, struct model_node **right)
{
	if (!t) {
		*left = *right = NULL;
	} else if (t->first < key) {
		split(t->right, key, &t->right, right);
		*left = t;
	} else {
		split(t->left, key, left, &t->left);
		*right = t;
	}
}

/* Every node of a is before every node of b. */
static struct model_node *merge(struct model_node *a, struct model_node *b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	if (a->prio > b->prio) {
		a->right = merge(a->right, b);
		return a;
	}
	b->left = merge(a, b->left);
	return b;
}

static struct model_node *new_node(struct model *m, unsigned long first,
				   unsigned long last, void *entry)
{
	struct model_node *n = m->spare;

	if (n)
		m->spare = n->right;
	else if (!(n = malloc(sizeof(*n))))
		abort();
	/* xorshift64: priorities need only be well spread. */
	m->prio ^= m->prio << 13;
	m->prio ^= m->prio >> 7;
	m->prio ^= m->prio << 17;
	n->first = first;
	n->last = last;
	n->entry = entry;
	n->prio = m->prio;
	n->left = n->right = NULL;
	m->count++;
	return n;
}

/* The node whose range holds index, or NULL. */
static struct model_node *lookup(const struct model *m, unsigned long index)
{
	struct model_node *t = m->root;

	while (t) {
		if (index < t->first)
			t = t->left;
		else if (index > t->last)
			t = t->right;
		else
			return t;
	}
	return NULL;
}

/* The node with the highest first in t, or NULL if t is empty. */
static struct model_node *rightmost(struct model_node *t)
{
	while (t && t->right)
		t = t->right;
	return t;
}

/*
 * Two splits cut out the nodes that start inside [first, last]; only the
 * node before them (the last of a) and the last of them can reach past
 * first or past last, and they are trimmed, their tail past last kept as a
 * node of its own in front of c.
 */
void model_store(struct model *m, unsigned long first, unsigned long last,
		 void *entry)
{
	struct model_node *a, *b, *mid, *c = NULL, *n, *tail = NULL;

	split(m->root, first, &a, &b);
	n = rightmost(a);
	if (n && n->last >= first) {
		if (n->last > last)
			tail = new_node(m, last + 1, n->last, n->entry);
		n->last = first - 1;
	}
	if (last != ULONG_MAX)
		split(b, last + 1, &mid, &c);
	else
		mid = b;
	n = rightmost(mid);
	if (n && n->last > last)
		tail = new_node(m, last + 1, n->last, n->entry);
	free_subtree(m, mid);
	if (tail)
		c = merge(tail, c);
	if (entry)
		c = merge(new_node(m, first, last, entry), c);
	m->root = merge(a, c);
}

static void set_range(struct model_range *r, const struct model_node *n)
{
	r->first = n->first;
	r->last = n->last;
	r->entry = n->entry;
}

bool model_lookup(const struct model *m, unsigned long index,
		  struct model_range *r)
{
	struct model_node *n = lookup(m, index);

	if (n)
		set_range(r, n);
	return n;
}

bool model_find(const struct model *m, unsigned long index,
		struct model_range *r)
{
	struct model_node *t = m->root, *best = NULL;

	while (t) {
		if (t->last >= index) {
			best = t;
			t = t->left;
		} else {
			t = t->right;
		}
	}
	if (best)
		set_range(r, best);
	return best;
}

bool model_find_rev(const struct model *m, unsigned long index,
		    struct model_range *r)
{
	struct model_node *t = m->root, *best = NULL;

	while (t) {
		if (t->first <= index) {
			best = t;
			t = t->right;
		} else {
			t = t->left;
		}
	}
	if (best)
		set_range(r, best);
	return best;
}

bool model_gap(const struct model *m, unsigned long index,
	       unsigned long *first, unsigned long *last)
{
	struct model_range r;

	if (lookup(m, index))
		return false;
	*first = 0;
	*last = ULONG_MAX;
	if (index && model_find_rev(m, index - 1, &r))
		*first = r.last + 1;
	if (model_find(m, index, &r))
		*last = r.first - 1;
	return true;
}

bool model_any(const struct model *m, unsigned long first, unsigned long last)
{
	struct model_range r;

	return model_find(m, first, &r) && r.first <= last;
}

/* Whether size indices from start fit within max (size >= 1). */
static bool fits(unsigned long start, unsigned long size, unsigned long max)
{
	return start <= max && size - 1 <= max - start;
}

bool model_empty_area(const struct model *m, unsigned long min,
		      unsigned long max, unsigned long size,
		      unsigned long *start)
{
	unsigned long index = min, gfirst, glast;
	struct model_range r;

	if (!size || min > max)
		return false;
	for (;;) {
		if (model_gap(m, index, &gfirst, &glast)) {
			if (!fits(index, size, max))
				return false;
			if (size - 1 <= glast - index) {
				*start = index;
				return true;
			}
			index = glast + 1;	/* a range starts here */
		}
		if (!model_find(m, index, &r) || r.last >= max)
			return false;
		index = r.last + 1;
	}
}

bool model_empty_area_rev(const struct model *m, unsigned long min,
			  unsigned long max, unsigned long size,
			  unsigned long *start)
{
	unsigned long index = max, gfirst, glast, lo;
	struct model_range r;

	if (!size || min > max)
		return false;
	for (;;) {
		if (model_gap(m, index, &gfirst, &glast)) {
			lo = gfirst > min ? gfirst : min;
			/* the highest start in [lo, index] that fits */
			if (index - lo >= size - 1) {
				*start = index - (size - 1);
				return true;
			}
			if (lo == min)
				return false;
			index = gfirst - 1;	/* a range ends here */
		}
		if (!model_find_rev(m, index, &r) || r.first <= min)
			return false;
		index = r.first - 1;
	}
}

/* In order: recursion down the left, a loop down the right. */
static unsigned long walk(const struct model_node *t, struct model_range *out,
			  unsigned long i)
{
	while (t) {
		i = walk(t->left, out, i);
		set_range(&out[i++], t);
		t = t->right;
	}
	return i;
}

struct model_range *model_ranges(const struct model *m, unsigned long *n)
{
	struct model_range *out = malloc((m->count + 1) * sizeof(*out));

	if (!out)
		abort();
	*n = walk(m->root, out, 0);
	return out;
}
