/* SPDX-License-Identifier: GPL-2.0 */
/* x86-64 and arm64 userspace: C11 fences give what the kernel's barriers give. */
#ifndef _STUB_ASM_BARRIER_H
#define _STUB_ASM_BARRIER_H
#define smp_mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define mb()		smp_mb()
#define rmb()		smp_rmb()
#define wmb()		smp_wmb()
#endif
