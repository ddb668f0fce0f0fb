/* SPDX-License-Identifier: GPL-2.0 */
/* x86-64 and arm64 userspace: C11 fences give what the kernel's barriers give. */
#ifndef _STUB_ASM_BARRIER_H
#define _STUB_ASM_BARRIER_H
#define smp_mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
/*
 * smp_wmb_hook, when a thread sets it, runs after each of that thread's
 * smp_wmb(): in the maple tree, where a writer has just marked a node dead
 * (the rcu suite's reads inside a store).
 */
extern __thread void (*smp_wmb_hook)(void);
#define smp_wmb()							\
do {									\
	__atomic_thread_fence(__ATOMIC_RELEASE);			\
	if (__builtin_expect(smp_wmb_hook != NULL, 0))			\
		smp_wmb_hook();						\
} while (0)
#define mb()		smp_mb()
#define rmb()		smp_rmb()
#define wmb()		smp_wmb()
#endif
