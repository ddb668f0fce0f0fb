/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kmem_cache and kmalloc over malloc, with live-object accounting per cache
 * and fault injection (slab.c).  Freed objects are really freed, so that
 * Valgrind and ASAN see a use after free.
 */
#ifndef _STUB_LINUX_SLAB_H
#define _STUB_LINUX_SLAB_H

#include <linux/types.h>
#include <linux/gfp.h>

typedef unsigned int slab_flags_t;
#define SLAB_PANIC		0x1u
#define SLAB_HWCACHE_ALIGN	0x2u
#define SLAB_ACCOUNT		0x4u
#define SLAB_TYPESAFE_BY_RCU	0x8u

struct kmem_cache;

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, slab_flags_t flags,
				     void (*ctor)(void *));
void kmem_cache_destroy(struct kmem_cache *cachep);
void *kmem_cache_alloc(struct kmem_cache *cachep, gfp_t gfp);
void kmem_cache_free(struct kmem_cache *cachep, void *objp);
int kmem_cache_alloc_bulk(struct kmem_cache *cachep, gfp_t gfp, size_t size,
			  void **list);
void kmem_cache_free_bulk(struct kmem_cache *cachep, size_t size, void **list);
int kmem_cache_shrink(struct kmem_cache *cachep);

void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
void kfree(const void *objp);

#define KMEM_CACHE(s, f) \
	kmem_cache_create(#s, sizeof(struct s), __alignof__(struct s), (f), NULL)

#endif
