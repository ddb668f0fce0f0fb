// SPDX-License-Identifier: GPL-2.0
/*
 * call_rcu() and rcu_barrier() for kernel code, over liburcu's grace
 * periods (linux/rcupdate.h).
 *
 * liburcu's own callback thread sleeps 10 ms after each wakeup, to let a
 * batch build, and rcu_barrier() waits through that sleep too.  Every
 * sequence ends with a barrier (the nodes an RCU tree freed must be back
 * before the leak check), so that sleep was a third of a short sequence's
 * time.  Here a batch builds the same way, for up to 10 ms, unless a
 * barrier waits: then the queue is taken at once.
 *
 * A forked child has none of its parent's threads: the first call_rcu() of
 * each process starts its own.  The thread is named rcu_callbacks: it runs
 * only what kernel code queued (scripts/kernel-time counts it so).
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include <linux/rcupdate.h>

#define BATCH_NS	10000000L	/* as liburcu */

static struct {
	bool running;			/* the thread runs in this process */
	pthread_mutex_t lock;
	pthread_cond_t more;		/* a callback, or a barrier, came */
	pthread_cond_t ran;		/* a batch of callbacks ran */
	struct cds_wfcq_node *head, **tail;
	unsigned long queued;		/* callbacks queued, ever */
	unsigned long done;		/* of them, run */
	unsigned long waiting;		/* barriers waiting */
	unsigned long target;		/* the callbacks the last of them waits for */
} q = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.more = PTHREAD_COND_INITIALIZER,
	.ran = PTHREAD_COND_INITIALIZER,
};

/* After a grace period, the batch's callbacks, in the order queued. */
static unsigned long run_batch(struct cds_wfcq_node *n)
{
	unsigned long nr = 0;

	synchronize_rcu();
	while (n) {
		struct rcu_head *head = caa_container_of(n, struct rcu_head, next);

		n = n->next;
		head->func(head);
		nr++;
	}
	return nr;
}

#ifdef CALLBACKS_AT_BARRIER
/*
 * make coverage's build with plain gcov counters: two threads that run the
 * same code at once lose increments, and gcov derives negative counts from
 * what is left.  Here callbacks run only while rcu_barrier() waits for
 * them, so the main thread is asleep whenever kernel code runs on this one.
 * (Its rcu suite's readers would race all the same: that suite runs on a
 * build with atomic counters.)
 */
static void let_batch_build(void)
{
	while (!q.waiting || (long)(q.done - q.target) >= 0)
		pthread_cond_wait(&q.more, &q.lock);
}
#else
/* Until the batch has waited BATCH_NS, or a barrier waits for it. */
static void let_batch_build(void)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += BATCH_NS;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	while (!q.waiting &&
	       pthread_cond_timedwait(&q.more, &q.lock, &until) == 0)
		;
}
#endif

static void *rcu_callback_thread(void *arg)
{
	struct cds_wfcq_node *batch;
	unsigned long nr;

	/*
	 * Named by the thread itself: naming it from outside writes
	 * /proc/self/task/TID/comm, and the dentries that leaves cost the
	 * parent 2 ms of d_walk() when it reaps the sequence.
	 */
	pthread_setname_np(pthread_self(), "rcu_callbacks");
	pthread_mutex_lock(&q.lock);
	for (;;) {
		while (!q.head)
			pthread_cond_wait(&q.more, &q.lock);
		let_batch_build();
		batch = q.head;
		q.head = NULL;
		q.tail = &q.head;
		pthread_mutex_unlock(&q.lock);
		nr = run_batch(batch);
		pthread_mutex_lock(&q.lock);
		q.done += nr;
		pthread_cond_broadcast(&q.ran);
	}
	return NULL;
}

/* A forked child starts afresh: its parent's thread is not in it. */
static void forget_parent(void)
{
	pthread_mutex_init(&q.lock, NULL);
	pthread_cond_init(&q.more, NULL);
	pthread_cond_init(&q.ran, NULL);
	q.running = false;
}

static void __attribute__((constructor)) init_call_rcu(void)
{
	pthread_atfork(NULL, NULL, forget_parent);
}

/* Called with q.lock held. */
static void start_callback_thread(void)
{
	pthread_t t;

	q.head = NULL;
	q.tail = &q.head;
	q.queued = q.done = q.waiting = q.target = 0;
	if (pthread_create(&t, NULL, rcu_callback_thread, NULL))
		abort();
	pthread_detach(t);
	q.running = true;
}

void harness_call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *))
{
	head->func = func;
	head->next.next = NULL;
	pthread_mutex_lock(&q.lock);
	if (!q.running)
		start_callback_thread();
	*q.tail = &head->next;
	q.tail = &head->next.next;
	q.queued++;
	/* The thread waits for more only when the queue was empty. */
	if (q.head == &head->next)
		pthread_cond_signal(&q.more);
	pthread_mutex_unlock(&q.lock);
}

/* How many callbacks this process has queued so far. */
unsigned long harness_rcu_queued(void)
{
	unsigned long n;

	pthread_mutex_lock(&q.lock);
	n = q.running ? q.queued : 0;
	pthread_mutex_unlock(&q.lock);
	return n;
}

/* Wait until every callback queued before the call has run. */
void harness_rcu_barrier(void)
{
	unsigned long target;

	pthread_mutex_lock(&q.lock);
	if (q.running) {
		target = q.queued;
		q.target = target;
		q.waiting++;
		pthread_cond_signal(&q.more);
		while ((long)(q.done - target) < 0)
			pthread_cond_wait(&q.ran, &q.lock);
		q.waiting--;
	}
	pthread_mutex_unlock(&q.lock);
}
