/* SPDX-License-Identifier: GPL-2.0 */
/* Compiler attributes and access macros as the kernel spells them. */
#ifndef _STUB_LINUX_COMPILER_H
#define _STUB_LINUX_COMPILER_H

#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif

#undef __always_inline
#define __always_inline		inline __attribute__((__always_inline__))
#define noinline		__attribute__((__noinline__))
#define noinline_for_stack	noinline
#define __maybe_unused		__attribute__((__unused__))
#define __always_unused		__attribute__((__unused__))
#define __must_check		__attribute__((__warn_unused_result__))
#define __packed		__attribute__((__packed__))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define __printf(a, b)		__attribute__((__format__(printf, a, b)))
#define __cold			__attribute__((__cold__))
#define __init
#define __exit
#define __rcu
#define __user
#define __iomem
#define __force
#define __bitwise
#define __read_mostly
#define __ro_after_init
#define __counted_by(m)
#define __randomize_layout
#define notrace
/* sparse's lock annotations */
#define __must_hold(x)
#define __acquires(x)
#define __releases(x)
#define __always_unused		__attribute__((__unused__))

#if __has_attribute(__fallthrough__)
#define fallthrough		__attribute__((__fallthrough__))
#else
#define fallthrough		do {} while (0)
#endif

#define barrier()		__asm__ __volatile__("" : : : "memory")
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val)	do { *(volatile __typeof__(x) *)&(x) = (val); } while (0)

#define __same_type(a, b)	__builtin_types_compatible_p(__typeof__(a), __typeof__(b))
#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), "BUILD_BUG_ON(" #cond ")")
#define BUILD_BUG_ON_ZERO(e)	((int)(sizeof(struct { int:(-!!(e)); })))

#endif
