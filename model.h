/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reference model of a maple tree: disjoint ranges [first, last] -> entry
 * in one sorted array.  It shares nothing with the maple tree; every query
 * is a binary search and every store replaces the ranges it overlaps with at
 * most three, so that it is obviously right.  Queries change only the
 * hint, a guess where the next one will look.  The trees a sequence grows
 * hold tens to a few thousand ranges, where moving the array's tail costs
 * less than the pointer chasing of a balanced tree.  NULL is "no entry":
 * gaps are never stored.
 */
#ifndef _MODEL_H
#define _MODEL_H

#include <stdbool.h>

struct model_range {
	unsigned long first;
	unsigned long last;
	void *entry;
};

struct model {
	struct model_range *v;	/* the ranges, by first */
	unsigned long count;	/* ranges stored */
	unsigned long room;	/* slots of v */
	unsigned long hint;	/* where the storing thread last looked */
	struct model_range **old;	/* arrays outgrown (model_reserve()) */
	unsigned long nr_old;
};

void model_init(struct model *m);
void model_destroy(struct model *m);

/* Room for n ranges, in a new array if the model's is smaller. */
void model_reserve(struct model *m, unsigned long n);

/* Store entry over [first, last]; NULL erases.  Parts of ranges outside
 * [first, last] stay, with their entries. */
void model_store(struct model *m, unsigned long first, unsigned long last,
		 void *entry);

/* The range holding index, or false if index is in a gap. */
bool model_lookup(struct model *m, unsigned long index,
		  struct model_range *r);

/*
 * model_lookup() with the caller's own hint (0 at first): the one query
 * another thread may make while a store runs (the rcu suite's readers,
 * which judge again if a store overlapped).  It reads only memory the
 * model owns and writes only *hint, so that readers neither bounce the
 * model's cache line nor spoil the storing thread's hint.  The other
 * queries are for the thread that stores.
 */
bool model_lookup_at(struct model *m, unsigned long *hint,
		     unsigned long index, struct model_range *r);

/* The first range that ends at or after index (holding it, or after it). */
bool model_find(struct model *m, unsigned long index,
		struct model_range *r);

/* The last range that starts at or before index (holding it, or before it). */
bool model_find_rev(struct model *m, unsigned long index,
		    struct model_range *r);

/* The slot at index: the range holding it, or the gap around it (NULL). */
void model_slot(struct model *m, unsigned long index,
		struct model_range *slot);

/* The gap (maximal run of indices with no entry) holding index, if any. */
bool model_gap(struct model *m, unsigned long index,
	       unsigned long *first, unsigned long *last);

/* The lowest / highest start of size free indices within [min, max]. */
bool model_empty_area(struct model *m, unsigned long min,
		      unsigned long max, unsigned long size,
		      unsigned long *start);
bool model_empty_area_rev(struct model *m, unsigned long min,
			  unsigned long max, unsigned long size,
			  unsigned long *start);

/* Whether any index in [first, last] holds an entry. */
bool model_any(struct model *m, unsigned long first, unsigned long last);

/* The ranges in order: *n is the number of them; free() the array. */
struct model_range *model_ranges(struct model *m, unsigned long *n);

#endif
