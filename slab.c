// SPDX-License-Identifier: GPL-2.0
/*
 * kmem_cache and kmalloc over malloc.  Each cache counts its live objects so
 * that a suite can check that nothing leaked.  Objects are really freed, so
 * Valgrind and ASAN see use after free; new objects without __GFP_ZERO or a
 * constructor are poisoned, as SLUB debugging does, so that kernel code that
 * trusts fresh memory to be zero is caught.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include "slab_test.h"

#define POISON_ALLOC	0x5a
#define POISON_FREE	0x6b

struct kmem_cache {
	const char *name;
	unsigned int size;
	unsigned int align;
	void (*ctor)(void *);
	long live;		/* objects allocated and not yet freed */
	unsigned long total;	/* objects ever allocated */
	struct kmem_cache *next;
};

__thread long slab_thread_live;

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

static void *obj_alloc(struct kmem_cache *c, size_t size, gfp_t gfp)
{
	void *p;

	if (slab_should_fail(gfp))
		return NULL;
	if (posix_memalign(&p, c->align, size))
		return NULL;
	if (gfp & __GFP_ZERO)
		memset(p, 0, size);
	else if (c->ctor)
		c->ctor(p);
	else
		memset(p, POISON_ALLOC, size);
	__atomic_add_fetch(&c->live, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&c->total, 1, __ATOMIC_RELAXED);
	slab_thread_live++;
	return p;
}

static void obj_free(struct kmem_cache *c, void *p, size_t size)
{
	if (!p)
		return;
	if (size)
		memset(p, POISON_FREE, size);
	__atomic_sub_fetch(&c->live, 1, __ATOMIC_RELAXED);
	slab_thread_live--;
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

bool slab_should_fail(gfp_t gfp)
{
	struct slab_faults *f = &slab_faults;

	unsigned int pct = gfpflags_allow_blocking(gfp) ? f->kernel_pct :
			   f->nowait_pct;

	if ((f->nth && ++f->count == f->nth) ||
	    (pct && rng_percent(&f->rng, pct))) {
		f->injected++;
		return true;
	}
	return false;
}
