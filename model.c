// SPDX-License-Identifier: GPL-2.0
/* The reference model: a sorted array of disjoint ranges (see model.h). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"

void model_init(struct model *m)
{
	m->v = NULL;
	m->count = 0;
	m->room = 0;
	m->hint = 0;
	m->old = NULL;
	m->nr_old = 0;
}

void model_destroy(struct model *m)
{
	while (m->nr_old)
		free(m->old[--m->nr_old]);
	free(m->old);
	free(m->v);
	model_init(m);
}

/*
 * An array outgrown is kept until model_destroy(): a reader in another
 * thread (model_lookup()) may still be searching it.  The new one is
 * published before count can exceed the old one's room, and readers read
 * count first.
 */
void model_reserve(struct model *m, unsigned long n)
{
	struct model_range *v;

	if (n <= m->room)
		return;
	v = malloc(n * sizeof(*v));
	m->old = realloc(m->old, (m->nr_old + 1) * sizeof(*m->old));
	if (!v || !m->old)
		abort();
	if (m->count)
		memcpy(v, m->v, m->count * sizeof(*v));
	m->old[m->nr_old++] = m->v;
	__atomic_store_n(&m->v, v, __ATOMIC_RELEASE);
	m->room = n;
}

/*
 * The first of the count ranges of v that ends at or after index, or
 * count if none does: ranges are disjoint and sorted, so their lasts
 * increase too.  Branch free: the answer is in [base, base + n] at every
 * step.
 */
static unsigned long search(const struct model_range *v, unsigned long count,
			    unsigned long index)
{
	unsigned long base = 0, n = count, half;

	while (n > 1) {
		half = n / 2;
		/* Both places the next step may look: misses overlap. */
		__builtin_prefetch(&v[base + half / 2]);
		__builtin_prefetch(&v[base + half + half / 2]);
		if (v[base + half - 1].last < index)
			base += half;
		n -= half;
	}
	if (n && v[base].last < index)
		base++;
	return base;
}

/*
 * search(), but from the last answer or store first: the checks after a
 * store read around its edges, iterations go range by range, and the rcu
 * readers start from where a recent store was.  A gallop away from the
 * hint brackets the answer within a few steps when the hint is near; after
 * four it gives up on the hint and searches the rest.  The hint is only a
 * guess, and each step keeps the answer within [lo, hi].
 */
static unsigned long upper_in(unsigned long *hint, const struct model_range *v,
			      unsigned long count, unsigned long index)
{
	unsigned long h = *hint < count ? *hint : count, lo = 0, hi = count, d;

	if (h < count && v[h].last < index) {
		/* The answer lies past h: every range before lo ends before index. */
		for (lo = h + 1, d = 1; d <= 8 && lo + d <= count; lo += d, d *= 2)
			if (v[lo + d - 1].last >= index) {
				hi = lo + d - 1;
				break;
			}
	} else {
		/* At or before h: range hi ends at or after index (or hi is count). */
		for (hi = h, d = 1; d <= 8 && hi >= d; hi -= d, d *= 2)
			if (v[hi - d].last < index) {
				lo = hi - d + 1;
				break;
			}
	}
	lo += search(v + lo, hi - lo, index);
	*hint = lo;
	return lo;
}

/* For the thread that stores: the model does not change under it. */
static unsigned long upper(struct model *m, unsigned long index)
{
	return upper_in(&m->hint, m->v, m->count, index);
}

static bool holds(struct model *m, unsigned long i, unsigned long index)
{
	return i < m->count && m->v[i].first <= index;
}

static void set_range(struct model_range *r, unsigned long first,
		      unsigned long last, void *entry)
{
	r->first = first;
	r->last = last;
	r->entry = entry;
}

/*
 * The ranges [lo, end) overlap [first, last].  They give way to at most
 * three: the head of the first that lies before first, the new range, and
 * the tail of the last that lies past last.
 */
void model_store(struct model *m, unsigned long first, unsigned long last,
		 void *entry)
{
	unsigned long lo = upper(m, first), end = lo, k = 0;
	struct model_range piece[3];

	/* Most stores overlap a few ranges: a scan beats a second search. */
	while (end < m->count && m->v[end].first <= last)
		end++;
	if (lo < end && m->v[lo].first < first)
		set_range(&piece[k++], m->v[lo].first, first - 1,
			  m->v[lo].entry);
	if (entry)
		set_range(&piece[k++], first, last, entry);
	if (lo < end && m->v[end - 1].last > last)
		set_range(&piece[k++], last + 1, m->v[end - 1].last,
			  m->v[end - 1].entry);
	if (!m->room || m->count + k > m->room)
		model_reserve(m, m->room ? 2 * m->room : 64);
	memmove(&m->v[lo + k], &m->v[end], (m->count - end) * sizeof(*m->v));
	memcpy(&m->v[lo], piece, k * sizeof(*piece));
	__atomic_store_n(&m->count, m->count - (end - lo) + k, __ATOMIC_RELEASE);
	m->hint = lo;
}

/*
 * Safe while another thread stores: what a store in the middle gives may
 * be garbage, but it is read from an array the model still owns, within
 * the count published with it.  The hint is the caller's.
 */
bool model_lookup_at(struct model *m, unsigned long *hint,
		     unsigned long index, struct model_range *r)
{
	unsigned long count = __atomic_load_n(&m->count, __ATOMIC_ACQUIRE);
	const struct model_range *v = __atomic_load_n(&m->v, __ATOMIC_ACQUIRE);
	unsigned long i = upper_in(hint, v, count, index);

	if (i >= count || v[i].first > index)
		return false;
	*r = v[i];
	return true;
}

bool model_lookup(struct model *m, unsigned long index,
		  struct model_range *r)
{
	return model_lookup_at(m, &m->hint, index, r);
}

bool model_find(struct model *m, unsigned long index,
		struct model_range *r)
{
	unsigned long i = upper(m, index);

	if (i == m->count)
		return false;
	*r = m->v[i];
	return true;
}

bool model_find_rev(struct model *m, unsigned long index,
		    struct model_range *r)
{
	unsigned long i = upper(m, index);

	/* The one before ends below index. */
	if (!holds(m, i, index)) {
		if (!i)
			return false;
		i--;
	}
	*r = m->v[i];
	return true;
}

/* The gap before range i (i may be count: the gap at the top). */
static void gap_before(struct model *m, unsigned long i,
		       unsigned long *first, unsigned long *last)
{
	*first = i ? m->v[i - 1].last + 1 : 0;
	*last = i < m->count ? m->v[i].first - 1 : ULONG_MAX;
}

bool model_gap(struct model *m, unsigned long index,
	       unsigned long *first, unsigned long *last)
{
	unsigned long i = upper(m, index);

	if (holds(m, i, index))
		return false;
	gap_before(m, i, first, last);
	return true;
}

void model_slot(struct model *m, unsigned long index,
		struct model_range *slot)
{
	if (!model_lookup(m, index, slot)) {
		model_gap(m, index, &slot->first, &slot->last);
		slot->entry = NULL;
	}
}

bool model_any(struct model *m, unsigned long first, unsigned long last)
{
	return holds(m, upper(m, first), last);
}

/* Whether size indices from start fit within max (size >= 1). */
static bool fits(unsigned long start, unsigned long size, unsigned long max)
{
	return start <= max && size - 1 <= max - start;
}

/* Up from min; i is always upper(pos): pos is in range i or below it. */
bool model_empty_area(struct model *m, unsigned long min,
		      unsigned long max, unsigned long size,
		      unsigned long *start)
{
	unsigned long i, pos = min, gfirst, glast;

	if (!size || min > max)
		return false;
	for (i = upper(m, min); ; i++) {
		if (!holds(m, i, pos)) {
			gap_before(m, i, &gfirst, &glast);
			if (!fits(pos, size, max))
				return false;
			if (size - 1 <= glast - pos) {
				*start = pos;
				return true;
			}
		}
		/* The gap was too small, so range i is there. */
		if (m->v[i].last >= max)
			return false;
		pos = m->v[i].last + 1;
	}
}

/* Down from max; i is always upper(pos): pos is in range i or below it. */
bool model_empty_area_rev(struct model *m, unsigned long min,
			  unsigned long max, unsigned long size,
			  unsigned long *start)
{
	unsigned long i, pos = max, gfirst, glast, lo;

	if (!size || min > max)
		return false;
	i = upper(m, max);
	for (;;) {
		if (holds(m, i, pos)) {
			if (m->v[i].first <= min)
				return false;
			pos = m->v[i].first - 1;
			if (i && m->v[i - 1].last == pos)
				i--;
			continue;
		}
		gap_before(m, i, &gfirst, &glast);
		lo = gfirst > min ? gfirst : min;
		/* the highest start in [lo, pos] that fits */
		if (pos - lo >= size - 1) {
			*start = pos - (size - 1);
			return true;
		}
		if (lo == min)
			return false;
		/* Range i - 1 ends at gfirst - 1. */
		pos = gfirst - 1;
		i--;
	}
}

struct model_range *model_ranges(struct model *m, unsigned long *n)
{
	struct model_range *out = malloc((m->count + 1) * sizeof(*out));

	if (!out)
		abort();
	if (m->count)
		memcpy(out, m->v, m->count * sizeof(*out));
	*n = m->count;
	return out;
}
