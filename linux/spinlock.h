/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Spinlocks are pthread mutexes: the RCU suite runs real threads.  In the
 * kernel a spinlock holder cannot be preempted, and that holds off RCU grace
 * periods: kernel code freeing nodes with call_rcu() under the lock relies on
 * it, reading them until it unlocks.  So holding one is also an RCU read-side
 * critical section here.
 */
#ifndef _STUB_LINUX_SPINLOCK_H
#define _STUB_LINUX_SPINLOCK_H

#include <pthread.h>
#include <linux/types.h>
#include <linux/rcupdate.h>

/*
 * As CONFIG_DEBUG_SPINLOCK's: a lock that was never initialised (zeroed
 * memory works here only by luck of pthreads) is a kernel WARNING.
 */
#define SPINLOCK_MAGIC		0xdead4eadU

typedef struct {
	pthread_mutex_t mutex;
	unsigned int magic;
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(name)	{ PTHREAD_MUTEX_INITIALIZER, SPINLOCK_MAGIC }
#define DEFINE_SPINLOCK(name)		spinlock_t name = __SPIN_LOCK_UNLOCKED(name)

/*
 * Spinlocks this thread holds: an allocation that may sleep must hold none,
 * and an unlock must have a lock to release.
 */
extern __thread unsigned int spin_held;
/* Spinlocks this thread has released: a caller may count its op's. */
extern __thread unsigned long spin_releases;
/* Out of line, so that its check is no branch of the kernel's code. */
void spin_release(void);
/* Out of line too: a lock must have been initialised. */
void spin_acquire(spinlock_t *lock);
/*
 * Run by spin_acquire() while a thread sets it, before it takes the lock:
 * another thread that gets the lock first (the maple suite's writer that
 * stores while mas_nomem() has dropped the tree's lock).
 */
extern __thread void (*spin_acquire_hook)(spinlock_t *lock);

#define spin_lock_init(l)	do {					\
		pthread_mutex_init(&(l)->mutex, NULL);				\
		(l)->magic = SPINLOCK_MAGIC;					\
	} while (0)
#define spin_lock(l)		do {					\
		spin_acquire(l);						\
		pthread_mutex_lock(&(l)->mutex);				\
		rcu_read_lock();						\
		spin_held++;							\
	} while (0)
#define spin_unlock(l)		do {					\
		spin_release();							\
		rcu_read_unlock();						\
		pthread_mutex_unlock(&(l)->mutex);				\
	} while (0)
#define spin_lock_nested(l, subclass)	spin_lock(l)
#define spin_lock_irqsave(l, flags)	do { (flags) = 0; spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, flags) do { (void)(flags); spin_unlock(l); } while (0)
#define spin_lock_irq(l)	spin_lock(l)
#define spin_unlock_irq(l)	spin_unlock(l)
#define spin_lock_bh(l)		spin_lock(l)
#define spin_unlock_bh(l)	spin_unlock(l)

/* No lockdep: lock assertions hold trivially, as in a !CONFIG_LOCKDEP build. */
#define lockdep_is_held(l)	1
#define lockdep_assert_held(l)	do { } while (0)

#endif
