/* SPDX-License-Identifier: GPL-2.0 */
/* What the suites ask of the slab stubs: live counts and fault injection. */
#ifndef _SLAB_TEST_H
#define _SLAB_TEST_H

#include <stdbool.h>
#include "test.h"

long slab_live(const char *cache);
/* Objects allocated minus objects freed by this thread, all caches. */
extern __thread long slab_thread_live;
unsigned long slab_total(const char *cache);
/* With --leaks, print up to max live objects of cache and their ops. */
void slab_print_leaks(const char *cache, unsigned int max);
/*
 * At the end of a sequence: check every freed object still waiting for
 * reuse and let it go, so that a write after free is found in the sequence
 * that freed the object, and the next sequence starts as a fresh child.
 */
void slab_flush_quarantine(void);

/*
 * Allocation failures.  nth: fail the nth allocation (counting from 1) from
 * the start of the sequence.  nowait_pct: fail this share of allocations
 * that may not block (GFP_NOWAIT, GFP_ATOMIC), as the kernel may.
 * kernel_pct: fail this share of all others too, which the kernel allows
 * but rarely does.  rng makes the choices replayable.  paused: none fail
 * (a suite steering clear of a known kernel bug).
 */
struct slab_faults {
	unsigned long nth;
	unsigned long count;
	unsigned int nowait_pct;
	unsigned int kernel_pct;
	struct rng rng;
	uint64_t seed;		/* the sequence's, for slab_faults_op() */
	unsigned long injected;
	unsigned long injected_blocking;	/* of the above, may-block ones */
	bool paused;
	/*
	 * The nth failure, of an allocation that may not block, fails the
	 * next allocation too if that one may block: the kernel's retry
	 * with GFP_KERNEL (anon_vma_clone(), mas_nomem()) fails as well, as
	 * in a real shortage, and the op takes its -ENOMEM path.
	 */
	bool nth_retry;
	bool fail_retry;			/* the next one, if it may block */
};
extern struct slab_faults slab_faults;

bool slab_should_fail(unsigned int gfp);

#endif
