/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BUG and WARN.  A WARN in kernel code is a test failure: it is recorded with
 * the kernel's file, line and condition, and the running check reports it
 * after the op.  A BUG stops the run the way it stops the kernel, through
 * abort(), which the harness turns into a report with the reproducer.
 */
#ifndef _STUB_LINUX_BUG_H
#define _STUB_LINUX_BUG_H

#include <linux/compiler.h>

void kernel_warn(const char *file, int line, const char *cond);
void __attribute__((__noreturn__)) kernel_bug(const char *file, int line,
					      const char *cond);
void dump_stack(void);

#define BUG()		kernel_bug(__FILE__, __LINE__, "BUG()")
#define BUG_ON(cond)	do {						\
		if (unlikely(cond))					\
			kernel_bug(__FILE__, __LINE__, #cond);		\
	} while (0)

#define WARN_ON(cond) ({						\
		int __ret_warn_on = !!(cond);				\
		if (unlikely(__ret_warn_on))				\
			kernel_warn(__FILE__, __LINE__, #cond);		\
		unlikely(__ret_warn_on);				\
	})
#define WARN_ON_ONCE(cond)	WARN_ON(cond)
#define WARN(cond, fmt...)	WARN_ON(cond)
#define WARN_ONCE(cond, fmt...)	WARN_ON(cond)
#define VM_BUG_ON(cond)		BUG_ON(cond)
#define VM_WARN_ON(cond)	((void)WARN_ON(cond))
#define VM_WARN_ON_ONCE(cond)	WARN_ON(cond)

#endif
