/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RCU over liburcu's memb flavour: its read-side sections and grace
 * periods.  Every thread that reads must be registered
 * (rcu_register_thread()); the harness registers its threads.
 */
#ifndef _STUB_LINUX_RCUPDATE_H
#define _STUB_LINUX_RCUPDATE_H

#define _LGPL_SOURCE
#include <urcu/urcu-memb.h>
#include <linux/compiler.h>

#define rcu_read_lock()		urcu_memb_read_lock()
#define rcu_read_unlock()	urcu_memb_read_unlock()
#define synchronize_rcu()	urcu_memb_synchronize_rcu()
/* Our own callback thread (call_rcu.c), without liburcu's 10 ms naps. */
void harness_call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *));
void harness_rcu_barrier(void);
unsigned long harness_rcu_queued(void);
#define call_rcu(head, func)	harness_call_rcu(head, func)
#define rcu_barrier()		harness_rcu_barrier()
#define rcu_register_thread()	urcu_memb_register_thread()
#define rcu_unregister_thread()	urcu_memb_unregister_thread()

/*
 * The lockdep condition is not evaluated: there is no lockdep here.  A
 * lockless reader's loads of the root and of slots are where a writer may
 * overtake it: rcu_deref_hook, when a thread sets it, runs at each of that
 * thread's (the rcu suite's interleaved reads).
 */
extern __thread void (*rcu_deref_hook)(void);
#define rcu_dereference_check(p, c)					\
({									\
	if (unlikely(rcu_deref_hook))					\
		rcu_deref_hook();					\
	rcu_dereference(p);						\
})
/*
 * A writer's rcu_assign_pointer() is where what it wrote becomes visible:
 * rcu_assign_hook, when a thread sets it, runs right after each of that
 * thread's, with the address written (the rcu suite's reads of a root the
 * moment it is published).
 */
extern __thread void (*rcu_assign_hook)(void *p);
#undef rcu_assign_pointer
#define rcu_assign_pointer(p, v)					\
do {									\
	rcu_set_pointer(&(p), (v));					\
	if (unlikely(rcu_assign_hook))					\
		rcu_assign_hook(&(p));					\
} while (0)
#define rcu_dereference_protected(p, c)	(p)
#define rcu_dereference_raw(p)		rcu_dereference(p)
#define rcu_access_pointer(p)		READ_ONCE(p)
#define RCU_INIT_POINTER(p, v)		WRITE_ONCE(p, v)

#endif
