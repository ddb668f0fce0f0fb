// SPDX-License-Identifier: GPL-2.0
/*
 * kmem_cache and kmalloc over malloc.  Each cache counts its live objects so
 * that a suite can check that nothing leaked.  New objects without
 * __GFP_ZERO or a constructor are poisoned, as SLUB debugging does, so that
 * kernel code that trusts fresh memory to be zero is caught.
 *
 * Freed objects are poisoned too and wait in a FIFO quarantine before they
 * are reused; reuse checks the poison, so a write after free is reported.
 * A red zone after each object is checked when it is freed, so a write past
 * its end is reported too.  Under ASAN and Valgrind (SLAB_REAL_FREE) objects
 * are really freed at once and have no red zone, so that the tool sees every
 * use after free and every access past the end.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "slab_test.h"

#define POISON_ALLOC	0x5a
#define POISON_FREE	0x6b
#define POISON_RED	0xbb

#if defined(__SANITIZE_ADDRESS__) && !defined(SLAB_REAL_FREE)
#define SLAB_REAL_FREE
#endif

/*
 * Live objects of one cache that only a runaway allocation reaches: a
 * default run peaks below 16384 maple nodes.  The run stops at once with
 * a report, long before the machine runs out of memory or a hang's
 * timeout, each trial of whose shrink would take that long again.
 */
#define SLAB_LIVE_MAX	(1L << 21)

/* Objects freed and not reused yet: a ring of up to QUARANTINE_MAX. */
#define QUARANTINE_MIN	256	/* reuse only once this many wait */
#define QUARANTINE_MAX	1024

struct kmem_cache {
	const char *name;
	unsigned int size;
	unsigned int align;
	void (*ctor)(void *);
	long live;		/* objects allocated and not yet freed */
	unsigned long total;	/* objects ever allocated */
	struct kmem_cache *next;
	pthread_mutex_t lock;	/* RCU callbacks free from their own thread */
	void *quarantine[QUARANTINE_MAX];
	unsigned int q_head, q_count;
};

__thread long slab_thread_live;

/*
 * Held rmap write locks (i_mmap_rwsem, an anon_vma's rwsem) of the VMA
 * suite's thread: the VMA code preallocates the maple nodes of the tree
 * writes it makes under them, and must not allocate one there (the
 * allocation would fail, or reclaim, with the locks held).
 */
__thread unsigned int slab_rmap_held;

static struct kmem_cache kmalloc_cache = { .name = "kmalloc", .align = 16 };
static struct kmem_cache *caches = &kmalloc_cache;

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, slab_flags_t flags,
				     void (*ctor)(void *))
{
	struct kmem_cache *c = calloc(1, sizeof(*c));

	(void)flags;
	if (!c)
		abort();
	c->name = name;
	c->size = size;
	c->align = align < sizeof(void *) ? sizeof(void *) : align;
	c->ctor = ctor;
	pthread_mutex_init(&c->lock, NULL);
	c->next = caches;
	caches = c;
	return c;
}

void kmem_cache_destroy(struct kmem_cache *c)
{
	struct kmem_cache **p;

	if (!c)
		return;
	for (p = &caches; *p; p = &(*p)->next) {
		if (*p == c) {
			*p = c->next;
			break;
		}
	}
	free(c);
}

#ifndef SLAB_REAL_FREE
/* A freed object must still hold the poison it was freed with. */
static void check_poison(struct kmem_cache *c, const unsigned char *p)
{
	static unsigned char poison[4096];
	unsigned int i;

	/* memcmp() against a block of poison is fast; find the byte after. */
	if (!poison[0])
		memset(poison, POISON_FREE, sizeof(poison));
	if (c->size <= sizeof(poison) && !memcmp(p, poison, c->size))
		return;
	for (i = 0; i < c->size; i++) {
		if (p[i] != POISON_FREE) {
			fprintf(stderr, "slab: %s object %p written after free at offset %u (%#x)\n",
				c->name, (void *)p, i, p[i]);
			kernel_warn("slab.c", __LINE__, "write after free");
			return;
		}
	}
}
#endif

#ifndef SLAB_REAL_FREE
#define REDZONE		16

static void set_redzone(void *p, size_t size)
{
	memset((char *)p + size, POISON_RED, REDZONE);
}

/* The red zone after an object of size bytes must be as it was made. */
static void check_redzone(struct kmem_cache *c, const unsigned char *p,
			  size_t size)
{
	unsigned int i;

	for (i = 0; i < REDZONE; i++) {
		if (p[size + i] != POISON_RED) {
			fprintf(stderr, "slab: %s object %p of %zu bytes written past its end at offset %zu (%#x)\n",
				c->name, (void *)p, size, size + i, p[size + i]);
			kernel_warn("slab.c", __LINE__, "write past the end of an object");
			return;
		}
	}
}
#else
/* The tools see the end of each object: no red zone. */
#define REDZONE		0

static void set_redzone(void *p, size_t size)
{
}

static void check_redzone(struct kmem_cache *c, const unsigned char *p,
			  size_t size)
{
}
#endif

/* An object from the quarantine, or NULL; kmalloc's cache has none. */
static void *reuse(struct kmem_cache *c)
{
	void *p = NULL;

#ifndef SLAB_REAL_FREE
	pthread_mutex_lock(&c->lock);
	if (c->q_count > QUARANTINE_MIN) {
		p = c->quarantine[c->q_head];
		c->q_head = (c->q_head + 1) % QUARANTINE_MAX;
		c->q_count--;
	}
	pthread_mutex_unlock(&c->lock);
	if (p)
		check_poison(c, p);
#endif
	return p;
}

/* Keep a freed object in quarantine; returns false to free it now. */
static bool quarantine(struct kmem_cache *c, void *p)
{
#ifndef SLAB_REAL_FREE
	void *oldest = NULL;

	if (!c->size)
		return false;
	pthread_mutex_lock(&c->lock);
	if (c->q_count == QUARANTINE_MAX) {
		oldest = c->quarantine[c->q_head];
		c->q_head = (c->q_head + 1) % QUARANTINE_MAX;
		c->q_count--;
	}
	c->quarantine[(c->q_head + c->q_count++) % QUARANTINE_MAX] = p;
	pthread_mutex_unlock(&c->lock);
	if (oldest) {
		check_poison(c, oldest);
		free(oldest);
	}
	return true;
#else
	return false;
#endif
}

void slab_flush_quarantine(void)
{
#ifndef SLAB_REAL_FREE
	struct kmem_cache *c;
	void *p;

	for (c = caches; c; c = c->next) {
		for (;;) {
			pthread_mutex_lock(&c->lock);
			p = c->q_count ? c->quarantine[c->q_head] : NULL;
			if (p) {
				c->q_head = (c->q_head + 1) % QUARANTINE_MAX;
				c->q_count--;
			}
			pthread_mutex_unlock(&c->lock);
			if (!p)
				break;
			check_poison(c, p);
			free(p);
		}
	}
#endif
}

/*
 * --leaks: the op that allocated each live object, in an open-addressing
 * table keyed by address (deletion shifts entries back, so no tombstones).
 */
struct owner {
	const void *p;
	struct kmem_cache *cache;
	unsigned long op;
};
static struct owner *owners;
static size_t owners_cap, owners_n;
static pthread_mutex_t owners_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t owner_slot(const void *p)
{
	return ((uintptr_t)p >> 4) * 0x9e3779b97f4a7c15ULL % owners_cap;
}

static void owners_grow(void)
{
	struct owner *old = owners;
	size_t i, cap = owners_cap;

	owners_cap = cap ? cap * 2 : 1024;
	owners = calloc(owners_cap, sizeof(*owners));
	if (!owners)
		abort();
	for (i = 0; i < cap; i++) {
		size_t j = old[i].p ? owner_slot(old[i].p) : 0;

		if (!old[i].p)
			continue;
		while (owners[j].p)
			j = (j + 1) % owners_cap;
		owners[j] = old[i];
	}
	free(old);
}

static void owner_add(struct kmem_cache *c, const void *p)
{
	size_t j;

	pthread_mutex_lock(&owners_lock);
	if (2 * (owners_n + 1) > owners_cap)
		owners_grow();
	for (j = owner_slot(p); owners[j].p; j = (j + 1) % owners_cap)
		;
	owners[j] = (struct owner){ p, c, ctx ? ctx->op_nr : 0 };
	owners_n++;
	pthread_mutex_unlock(&owners_lock);
}

static void owner_del(const void *p)
{
	size_t i, j, k;

	pthread_mutex_lock(&owners_lock);
	for (i = owners_cap ? owner_slot(p) : 0; owners_cap && owners[i].p;
	     i = (i + 1) % owners_cap) {
		if (owners[i].p != p)
			continue;
		/* Shift back the entries that probed past this slot. */
		for (j = (i + 1) % owners_cap; owners[j].p; j = (j + 1) % owners_cap) {
			k = owner_slot(owners[j].p);
			if ((j > i && (k <= i || k > j)) || (j < i && k <= i && k > j)) {
				owners[i] = owners[j];
				i = j;
			}
		}
		owners[i].p = NULL;
		owners_n--;
		break;
	}
	pthread_mutex_unlock(&owners_lock);
}

void slab_print_leaks(const char *cache, unsigned int max)
{
	size_t i;

	if (!opts.leaks) {
		fprintf(stderr, "  (--leaks names the op that allocated each)\n");
		return;
	}
	pthread_mutex_lock(&owners_lock);
	for (i = 0; i < owners_cap && max; i++) {
		if (!owners[i].p || strcmp(owners[i].cache->name, cache))
			continue;
		fprintf(stderr, "  leaked %s %p, allocated by op %lu\n", cache,
			owners[i].p, owners[i].op);
		max--;
	}
	pthread_mutex_unlock(&owners_lock);
}

static void *obj_alloc(struct kmem_cache *c, size_t size, gfp_t gfp)
{
	void *p;

	/* might_sleep(): the kernel would schedule with the lock held. */
	if (gfpflags_allow_blocking(gfp) && spin_held)
		kernel_warn("slab.c", __LINE__, "an allocation that may sleep under a spinlock");
	if (slab_rmap_held && !strcmp(c->name, "maple_node"))
		kernel_warn("slab.c", __LINE__, "a maple node allocated under an rmap lock: a tree write that was not preallocated");
	if (slab_should_fail(gfp))
		return NULL;
	p = c->size ? reuse(c) : NULL;
	if (!p && posix_memalign(&p, c->align, size + REDZONE))
		return NULL;
	if (gfp & __GFP_ZERO)
		memset(p, 0, size);
	else if (c->ctor)
		c->ctor(p);
	else
		memset(p, POISON_ALLOC, size);
	set_redzone(p, size);
	if (__atomic_add_fetch(&c->live, 1, __ATOMIC_RELAXED) > SLAB_LIVE_MAX) {
		test_fail("slab.c", __LINE__, "more than %ld %s objects live: a runaway allocation",
			  SLAB_LIVE_MAX, c->name);
		abort();
	}
	__atomic_add_fetch(&c->total, 1, __ATOMIC_RELAXED);
	slab_thread_live++;
	if (opts.leaks)
		owner_add(c, p);
	return p;
}

static void obj_free(struct kmem_cache *c, void *p, size_t size)
{
	if (!p)
		return;
	check_redzone(c, p, size);
	if (size)
		memset(p, POISON_FREE, size);
	__atomic_sub_fetch(&c->live, 1, __ATOMIC_RELAXED);
	slab_thread_live--;
	if (opts.leaks)
		owner_del(p);
	if (!quarantine(c, p))
		free(p);
}

void *kmem_cache_alloc(struct kmem_cache *c, gfp_t gfp)
{
	return obj_alloc(c, c->size, gfp);
}

void kmem_cache_free(struct kmem_cache *c, void *p)
{
	obj_free(c, p, c->size);
}

/* All or nothing, as the kernel's bulk allocator: returns size or 0. */
int kmem_cache_alloc_bulk(struct kmem_cache *c, gfp_t gfp, size_t size,
			  void **list)
{
	size_t i;

	for (i = 0; i < size; i++) {
		list[i] = kmem_cache_alloc(c, gfp);
		if (!list[i]) {
			kmem_cache_free_bulk(c, i, list);
			return 0;
		}
	}
	return size;
}

void kmem_cache_free_bulk(struct kmem_cache *c, size_t size, void **list)
{
	size_t i;

	for (i = 0; i < size; i++)
		kmem_cache_free(c, list[i]);
}

int kmem_cache_shrink(struct kmem_cache *c)
{
	(void)c;
	return 0;
}

/*
 * kmalloc objects keep their size in a header, so that kfree can poison
 * them; the header keeps the object 16-byte aligned.
 */
#define KMALLOC_HDR	16

void *kmalloc(size_t size, gfp_t gfp)
{
	char *p = obj_alloc(&kmalloc_cache, size + KMALLOC_HDR, gfp);

	if (!p)
		return NULL;
	*(size_t *)p = size;
	return p + KMALLOC_HDR;
}

void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

void kfree(const void *objp)
{
	char *p = (char *)objp - KMALLOC_HDR;

	if (!objp)
		return;
	obj_free(&kmalloc_cache, p, *(size_t *)p + KMALLOC_HDR);
}

long slab_live(const char *name)
{
	struct kmem_cache *c;

	for (c = caches; c; c = c->next)
		if (!strcmp(c->name, name))
			return __atomic_load_n(&c->live, __ATOMIC_RELAXED);
	return 0;
}

unsigned long slab_total(const char *name)
{
	struct kmem_cache *c;

	for (c = caches; c; c = c->next)
		if (!strcmp(c->name, name))
			return __atomic_load_n(&c->total, __ATOMIC_RELAXED);
	return 0;
}

/* Fault injection: off unless a suite or an option turns it on. */
struct slab_faults slab_faults;

/*
 * Each op draws its allocation failures from a stream of its own, seeded
 * by the sequence's seed and the whole op: a shrink that drops ops leaves
 * the failures of the ops it keeps as they were.  With one stream for the
 * whole sequence, dropping any op moved every later failure, so a failure
 * that needed one rarely shrank (planted maple/find-error-restarts: 2212
 * ops to 583 in 20 s; now 1504 to 1 in 0.1 s).  Not r alone: a third of
 * the vma suite's ops have r 0, and would all fail the same allocations.
 * Version 1 replays were recorded with the one stream, and run with it.
 */
void slab_faults_op(const struct test_op *op)
{
	uint64_t h = slab_faults.seed;
	const uint64_t fields[] = { op->type, op->a, op->b, op->c, op->r };
	size_t i;

	if (opts.one_fault_stream)
		return;
	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		h = (h ^ fields[i]) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	rng_seed(&slab_faults.rng, h);
}

bool slab_should_fail(gfp_t gfp)
{
	struct slab_faults *f = &slab_faults;
	unsigned int pct = gfpflags_allow_blocking(gfp) ? f->kernel_pct :
			   f->nowait_pct;
	/* The blocking retry of an n-th failure (nth_retry) fails too. */
	bool retry = f->fail_retry && gfpflags_allow_blocking(gfp);

	/* The kernel promises __GFP_NOFAIL callers memory: never fail them. */
	if ((gfp & __GFP_NOFAIL) || f->paused)
		return false;
	f->fail_retry = false;
	if (retry || (f->nth && ++f->count == f->nth) ||
	    (pct && rng_percent(&f->rng, pct))) {
		f->injected++;
		if (gfpflags_allow_blocking(gfp))
			f->injected_blocking++;
		else if (f->nth_retry && f->count == f->nth && !retry)
			f->fail_retry = true;
		return true;
	}
	return false;
}
