// SPDX-License-Identifier: GPL-2.0
/*
 * Runs sequences in forked children, so that a crash, an abort or a hang in
 * kernel code is caught by the parent, which still has the child's op log
 * (it lives in shared memory) and shrinks it to a short replay.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "runner.h"
#include "slab_test.h"
#include "test.h"

struct test_ctx *ctx;

#ifdef COVERAGE
void __gcov_dump(void);
#endif

/*
 * Shrinking trials of a hang wait at most HANG_TRIAL_MS: the first trial
 * took the full timeout.  Once a trial has passed, one that runs four
 * times as long as the slowest that passed, and HANG_TRIAL_MIN_MS more,
 * counts as hung (each trial is a part of the ops that hung).  Ops kept
 * on such a shorter wait are run once more at the end with the full one;
 * if they do not hang in it, the shrink starts again from the ops that
 * hung, every trial waiting in full.
 */
#define HANG_TRIAL_MS		2000
#define HANG_TRIAL_MIN_MS	500
#define RACY_TRIALS		3
/*
 * An argument is tried at 0, then at 1/2, 3/4 and 7/8 of its value: past
 * that a value reads no better than the original, and a 64-bit one would
 * take some 60 trials more, each a run of all the ops (a shrink of 583
 * ops spent 13 s of its 20 there, and ran out of time).
 */
#define ARG_TRIALS		4

double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* For --bench: the most memory this process has held. */
long peak_rss_kib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* A context in memory shared with the children, with room for max_ops. */
struct test_ctx *ctx_new(unsigned long max_ops)
{
	size_t size = sizeof(*ctx) + max_ops * sizeof(struct test_op);
	struct test_ctx *c;

	c = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		 -1, 0);
	if (c == MAP_FAILED) {
		perror("mmap");
		exit(EXIT_USAGE);
	}
	c->max_ops = max_ops;
	return c;
}

void ctx_alloc(unsigned long max_ops)
{
	ctx = ctx_new(max_ops);
}

void ctx_reset(const char *suite, uint64_t seed)
{
	unsigned long max_ops = ctx->max_ops;

	/*
	 * All but started: a pool's parent reads it while a child moves on
	 * to the next sequence of its batch (ctx_next()), and a 0 there, until
	 * run_sequence() sets it, was a sequence that had run since 1970: a
	 * hang "before the first op" that no rerun showed.
	 */
	memset(ctx, 0, offsetof(struct test_ctx, started));
	memset(&ctx->passed, 0,
	       sizeof(*ctx) - offsetof(struct test_ctx, passed));
	ctx->suite = suite;
	ctx->seed = seed;
	ctx->max_ops = max_ops;
}

/* In the child: a signal is a failure of its own kind, recorded before dying. */
static void crash_handler(int sig)
{
	test_fail("signal", sig, "crashed: %s%s", strsignal(sig),
		  sig == SIGABRT ? " (a kernel BUG, or an ASAN/UBSAN report above)" :
		  sig == SIGILL ? " (a bounds check: an array indexed past its end, KCFLAGS)" : "");
	signal(sig, SIG_DFL);
	raise(sig);
}

static void catch_crashes(void)
{
	static char stack[1 << 16];
	stack_t ss = { .ss_sp = stack, .ss_size = sizeof(stack) };
	struct sigaction sa = { .sa_handler = crash_handler,
				.sa_flags = SA_ONSTACK | SA_RESETHAND };
	int sigs[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL };
	size_t i;

	sigaltstack(&ss, NULL);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

/*
 * A pidfd to poll for the child's end, or -1: then the parent waits
 * without a timeout.  Valgrind (3.19) knows no pidfd_open and warns at
 * every call: after the first ENOSYS it is not called again.
 */
static int pidfd_open(pid_t pid)
{
	static bool unsupported;
	int fd;

	if (unsupported)
		return -1;
	fd = syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0 && errno == ENOSYS)
		unsupported = true;
	return fd;
}

/* Bytes for the child to decode into ops (--from-fuzz), if any. */
static struct fuzz_input *fuzz_in;

/*
 * The seeds of the pool running now: its children take them one after
 * another from next, in memory shared with the parent.  A fork costs here
 * about as much as a sequence of a few hundred ops, so a child runs
 * sequences for up to BATCH_SECONDS, each from the start its seed gives
 * (ctx, the fault injection, the kernel's output state, an empty
 * quarantine): a sequence runs as it would in a child of its own, and
 * --seed reruns it alone.  Under Valgrind and ASAN (SLAB_REAL_FREE) a
 * child runs one: the tool reports its errors and leaks when the process
 * ends, and they must be the sequence's in ctx.
 */
#if defined(SLAB_REAL_FREE) || defined(__SANITIZE_ADDRESS__)
#define BATCH_SECONDS	0
#else
#define BATCH_SECONDS	0.5
#endif

struct seeds {
	unsigned long next;	/* sequences taken, from the pool's first */
	bool stop;		/* one failed: take no more */
};
static struct seeds *seeds;
static const struct pool *pool;	/* the one running, for its children too */
static unsigned long pool_nops;

/* The next seed of the pool, if another sequence may start. */
static bool take_seed(uint64_t *seed)
{
	unsigned long n;

	if (__atomic_load_n(&seeds->stop, __ATOMIC_RELAXED) ||
	    (pool->until && now() >= pool->until))
		return false;
	n = __atomic_fetch_add(&seeds->next, 1, __ATOMIC_RELAXED);
	if (n >= pool->count)
		return false;
	*seed = pool->first + n;
	return true;
}

/* Start ctx afresh for seed, keeping what the child's earlier sequences did. */
static void ctx_next(const struct suite *s, uint64_t seed)
{
	struct test_ctx keep = *ctx;

	ctx_reset(s->name, seed);
	ctx->passed = keep.passed + 1;
	ctx->passed_ops = keep.passed_ops + keep.nr_ops;
	ctx->passed_faults = keep.passed_faults + keep.faults;
	ctx->mid_line = keep.mid_line;
}

/* Run the sequence in ctx; true if every check passed. */
static bool run_sequence(const struct suite *s, unsigned long nops,
			 const struct test_op *ops, unsigned long n)
{
	bool ok;

	ctx->started = now();
	kernel_reset();
	slab_faults = (struct slab_faults){
		.nth = opts.fail_nth,
		.kernel_pct = opts.fail_rate,
		.nowait_pct = opts.nowait_fail,
	};
	slab_faults.seed = ctx->seed ^ 0xfa11fa11fa11fa11ULL;
	rng_seed(&slab_faults.rng, slab_faults.seed);
	if (fuzz_in)
		ok = s->fuzz(fuzz_in);
	else
		ok = ops ? s->replay(ops, n) : s->run(nops);
	ctx->faults = slab_faults.injected;
	slab_flush_quarantine();
	fflush(stdout);
	return ok && !ctx->failed;
}

/* A child's start: its own process group, for hung() to kill. */
static void child_start(struct test_ctx *c, bool quiet)
{
	ctx = c;
	setpgid(0, 0);
	if (quiet) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
	}
	catch_crashes();
}

static void __attribute__((noreturn)) child_exit(bool ok)
{
#ifdef COVERAGE
	/* _exit() skips the atexit handler that writes the .gcda files. */
	__gcov_dump();
#endif
	_exit(ok ? 0 : 1);
}

/*
 * The child: run the sequence in c, and then, in a pool, more while it
 * may; exit 0 only if every check of every one passed.
 */
static void child(const struct suite *s, struct test_ctx *c, unsigned long nops,
		  const struct test_op *ops, unsigned long n, bool quiet)
{
	double start = now();
	uint64_t seed;
	bool ok;

	child_start(c, quiet);
	for (;;) {
		ok = run_sequence(s, nops, ops, n);
		if (!ok || !pool || now() - start >= BATCH_SECONDS ||
		    !take_seed(&seed))
			break;
		ctx_next(s, seed);
		nops = suite_ops(s, seed, pool_nops);
	}
	child_exit(ok);
}

/* fork(), with nothing buffered twice; the child is a process group. */
static pid_t fork_child(void)
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(EXIT_USAGE);
	}
	if (pid)
		setpgid(pid, pid);
	return pid;
}

static pid_t start_child(const struct suite *s, struct test_ctx *c,
			 unsigned long nops, const struct test_op *ops,
			 unsigned long n, bool quiet)
{
	pid_t pid = fork_child();

	if (!pid)
		child(s, c, nops, ops, n, quiet);
	return pid;
}

/* A child past its time: kill it and everything it started. */
static enum fail_kind hung(struct test_ctx *c, pid_t pid, unsigned int timeout)
{
	int status;

	kill(-pid, SIGKILL);
	waitpid(pid, &status, 0);
	c->failed = true;
	snprintf(c->where, sizeof(c->where), "timeout");
	snprintf(c->msg, sizeof(c->msg),
		 "hang: still running after %us (--timeout)", timeout);
	return FAIL_HANG;
}

/*
 * A child that died (a crash, a hang) inside a line of kernel output, a
 * tree dump say, left the line open: end it, so that the report's FAIL
 * line, this child's or another's, starts a line of its own.
 */
static void end_line(struct test_ctx *c)
{
	if (c->mid_line)
		fputc('\n', stderr);
	c->mid_line = false;
}

/* How a child that exited with status ended. */
static enum fail_kind classify(struct test_ctx *c, int status)
{
	if (WIFSIGNALED(status)) {
		if (!c->failed) {
			c->failed = true;
			snprintf(c->msg, sizeof(c->msg), "crashed: %s",
				 strsignal(WTERMSIG(status)));
		}
		/* A crash is identified by its signal, not by what preceded it. */
		snprintf(c->where, sizeof(c->where), "signal %d",
			 WTERMSIG(status));
		return FAIL_CRASH;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return FAIL_NONE;
	if (!c->failed) {
		c->failed = true;
		/*
		 * Valgrind --error-exitcode=1 turns its errors into exit 1,
		 * and so does UBSAN with -fno-sanitize-recover unless
		 * UBSAN_OPTIONS asks for abort_on_error.
		 */
		snprintf(c->msg, sizeof(c->msg),
			 "the sequence exited with status %d%s",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1,
			 WIFEXITED(status) && WEXITSTATUS(status) == 1 ?
			 " with no failed check: a memory checker's error (Valgrind's or UBSAN's report above)" : "");
	}
	return FAIL_CHECK;
}

/* Fork, run, and wait at most timeout seconds. */
static enum fail_kind run_child(const struct suite *s, unsigned long nops,
				const struct test_op *ops, unsigned long n,
				unsigned int timeout, bool quiet)
{
	pid_t pid = start_child(s, ctx, nops, ops, n, quiet);
	struct pollfd pfd = { .fd = pidfd_open(pid), .events = POLLIN };
	enum fail_kind kind;
	int status;

	if (pfd.fd >= 0 && poll(&pfd, 1, timeout * 1000) == 0) {
		kind = hung(ctx, pid, timeout);
	} else {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		kind = classify(ctx, status);
	}
	if (pfd.fd >= 0)
		close(pfd.fd);
	/* A quiet child's output went to /dev/null. */
	if (!quiet)
		end_line(ctx);
	return kind;
}

/* The sequences running in parallel, one context each. */
struct worker {
	pid_t pid;
	struct pollfd *pfd;
	struct test_ctx *ctx;
};

static void progress(const struct suite *s, const struct pool *p, double start)
{
	double t = now() - start;

	if (!isatty(STDERR_FILENO))
		return;
	fprintf(stderr, "\r%s: %lu sequences, %.0f ops/s, %lu failed, %.0fs ",
		s->name, p->done, t > 0 ? p->ops / t : 0, p->failed, t);
}

/*
 * Run sequences from seed p->first on, jobs at a time, until p->count have
 * run or p->until has passed (0: no time limit), each of nops ops (0: of
 * the suite's length for its seed, suite_ops()).  Stops starting new ones
 * at the first failure; its context is left in ctx for the report.
 */
static void pool_start(struct pool *p, unsigned long nops)
{
	if (!seeds) {
		seeds = mmap(NULL, sizeof(*seeds), PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (seeds == MAP_FAILED) {
			perror("mmap");
			exit(EXIT_USAGE);
		}
	}
	*seeds = (struct seeds){ 0 };
	pool = p;
	pool_nops = nops;
}

/* Count what a child that ended ran: the sequences it passed, and ctx's. */
static void pool_count(struct pool *p, const struct test_ctx *c)
{
	p->done += c->passed + 1;
	p->ops += c->passed_ops + c->nr_ops;
	p->faults += c->passed_faults + c->faults;
}

enum fail_kind run_pool(const struct suite *s, unsigned long nops,
			unsigned int jobs, struct pool *p)
{
	struct worker *w = calloc(jobs, sizeof(*w));
	struct pollfd *pfds = calloc(jobs, sizeof(*pfds));
	unsigned long max_ops = ctx->max_ops;
	enum fail_kind result = FAIL_NONE;
	double start = now(), last = 0;
	unsigned int i, running = 0;
	uint64_t seed;

	if (!w || !pfds)
		abort();
	for (i = 0; i < jobs; i++) {
		w[i].ctx = i ? ctx_new(max_ops) : ctx;
		w[i].pfd = &pfds[i];
		pfds[i].fd = -1;
	}
	pool_start(p, nops);
	for (;;) {
		for (i = 0; i < jobs; i++) {
			if (w[i].pid || !take_seed(&seed))
				continue;
			ctx = w[i].ctx;
			ctx_reset(s->name, seed);
			ctx->started = now();
			w[i].pid = start_child(s, ctx, suite_ops(s, seed, nops),
					       NULL, 0, false);
			pfds[i] = (struct pollfd){ .fd = pidfd_open(w[i].pid),
						   .events = POLLIN };
			running++;
		}
		if (!running)
			break;
		poll(pfds, jobs, 100);
		for (i = 0; i < jobs; i++) {
			enum fail_kind kind;
			int status;

			if (!w[i].pid)
				continue;
			if (now() - w[i].ctx->started > opts.timeout) {
				kind = hung(w[i].ctx, w[i].pid, opts.timeout);
			} else {
				if (waitpid(w[i].pid, &status, WNOHANG) <= 0)
					continue;
				kind = classify(w[i].ctx, status);
			}
			end_line(w[i].ctx);
			close(pfds[i].fd);
			pfds[i].fd = -1;
			w[i].pid = 0;
			running--;
			pool_count(p, w[i].ctx);
			if (kind != FAIL_NONE) {
				__atomic_store_n(&seeds->stop, true, __ATOMIC_RELAXED);
				p->failed++;
				/* The first failure is the one reported. */
				if (result == FAIL_NONE) {
					result = kind;
					p->failing = w[i].ctx;
				}
			}
		}
		if (now() - last > 0.5) {
			progress(s, p, start);
			last = now();
		}
	}
	if (isatty(STDERR_FILENO))
		fputc('\n', stderr);
	ctx = result == FAIL_NONE ? w[0].ctx : p->failing;
	pool = NULL;
	free(pfds);
	free(w);
	return result;
}

enum fail_kind run_replay(const struct suite *s, uint64_t seed,
			  unsigned long config, const struct test_op *ops,
			  unsigned long n, unsigned int timeout, bool quiet)
{
	ctx_reset(s->name, seed);
	ctx->config = config;
	return run_child(s, 0, ops, n, timeout, quiet);
}

/* Decode a fuzzer's input into ops and run them, logged as any sequence. */
enum fail_kind run_fuzz(const struct suite *s, const uint8_t *data, size_t size)
{
	struct fuzz_input in = { .data = data, .size = size };
	enum fail_kind kind;

	ctx_reset(s->name, 0);
	fuzz_in = &in;
	kind = run_child(s, 0, NULL, 0, opts.timeout, false);
	fuzz_in = NULL;
	return kind;
}

/*
 * Shrinking's trials run in one child, one after another while they pass:
 * a fork and the faults of a new child's first pages cost here as much as
 * a trial of a few hundred ops.  A trial that passed left the kernel as a
 * sequence of a pool's batch does (run_sequence()), so the next runs as it
 * would alone.  The parent puts a trial's ops in shared memory and writes
 * a byte; the child answers a pass with a byte.  A trial that fails ends
 * the child (the parent reads the end of the pipe and classifies it), and
 * the next forks a new one.  Under Valgrind and ASAN every trial is a
 * child of its own, as every sequence of a pool is (BATCH_SECONDS).
 */
struct trial_ops {
	unsigned long n;
	struct test_op ops[];
};
/* The shrink's, running now: its child, its pipes, its ops (shared). */
static struct {
	pid_t pid;		/* 0: none running */
	int go, done;		/* the parent's ends of the child's pipes */
	struct trial_ops *t;
} trials;

static void trial_child(const struct suite *s, int go, int done)
{
	bool ok = true;
	char c;

	child_start(ctx, true);
	while (read(go, &c, 1) == 1) {
		ok = run_sequence(s, 0, trials.t->ops, trials.t->n);
		if (!ok || !BATCH_SECONDS || write(done, &c, 1) != 1)
			break;
	}
	child_exit(ok);
}

static void trial_start(const struct suite *s)
{
	int go[2], done[2];

	if (pipe(go) || pipe(done)) {
		perror("pipe");
		exit(EXIT_USAGE);
	}
	trials.pid = fork_child();
	if (!trials.pid) {
		close(go[1]);
		close(done[0]);
		trial_child(s, go[0], done[1]);
	}
	close(go[0]);
	close(done[1]);
	trials.go = go[1];
	trials.done = done[0];
}

static void trial_end(void)
{
	close(trials.go);
	close(trials.done);
	trials.pid = 0;
}

/* How long the trials of a hang take: hang_wait_ms(). */
static struct {
	double slowest;		/* seconds: the slowest trial that passed */
	bool full;		/* every trial waits HANG_TRIAL_MS */
	bool unsure;		/* ops were kept on a shorter wait */
} pace;

static unsigned int hang_wait_ms(void)
{
	double ms = 4000 * pace.slowest + HANG_TRIAL_MIN_MS;

	if (pace.full || !pace.slowest || ms >= HANG_TRIAL_MS)
		return HANG_TRIAL_MS;
	return ms;
}

/* Run ops as a trial, for at most timeout_ms: how it ended. */
static enum fail_kind trial_run(const struct shrink *sh,
				const struct test_op *ops, unsigned long n,
				unsigned int timeout_ms)
{
	double start = now();
	struct pollfd pfd;
	enum fail_kind kind;
	int status, ready;
	char c = 0;

	ctx_reset(sh->suite->name, sh->seed);
	ctx->config = sh->config;
	memcpy(trials.t->ops, ops, n * sizeof(*ops));
	trials.t->n = n;
	if (!trials.pid)
		trial_start(sh->suite);
	if (write(trials.go, &c, 1) != 1) {
		perror("write");
		exit(EXIT_USAGE);
	}
	pfd = (struct pollfd){ .fd = trials.done, .events = POLLIN };
	while ((ready = poll(&pfd, 1, timeout_ms)) < 0 && errno == EINTR)
		;
	if (ready == 0) {
		kind = hung(ctx, trials.pid, (timeout_ms + 999) / 1000);
	} else if (read(trials.done, &c, 1) == 1) {
		double took = now() - start;

		if (took > pace.slowest)
			pace.slowest = took;
		return FAIL_NONE;
	} else {
		while (waitpid(trials.pid, &status, 0) < 0 && errno == EINTR)
			;
		kind = classify(ctx, status);
	}
	trial_end();
	return kind;
}

/* The child that waits for another trial reads the pipe's end and exits. */
static void trial_stop(void)
{
	int status;

	if (!trials.pid)
		return;
	close(trials.go);
	while (waitpid(trials.pid, &status, 0) < 0 && errno == EINTR)
		;
	close(trials.done);
	trials.pid = 0;
}

/*
 * Whether a trial failed the same way as the original: kind and place.  A
 * failure that was another thread's race must fail RACY_TRIALS times in a
 * row: a shrink that kept a trial which failed once by luck would write a
 * replay that passes.  *ran: the ops up to the failing one (the latest of
 * the runs'); those after it never ran, so the shrink drops them at once.
 */
static bool same_failure(const struct shrink *sh, const struct test_op *ops,
			 unsigned long n, double deadline, unsigned long *ran)
{
	unsigned int timeout = sh->kind == FAIL_HANG ? hang_wait_ms() :
			       opts.timeout * 1000;
	unsigned int i, runs = sh->racy ? RACY_TRIALS : 1;

	*ran = 0;
	for (i = 0; i < runs; i++) {
		double left = (deadline - now()) * 1000;

		/* A trial that hangs in a new way must not eat the whole budget. */
		if (left + 1000 < timeout)
			timeout = left < 0 ? 1000 : (unsigned int)left + 1000;
		if (trial_run(sh, ops, n, timeout) != sh->kind ||
		    strcmp(ctx->where, sh->where))
			return false;
		if (ctx->op_nr > *ran)
			*ran = ctx->op_nr < n ? ctx->op_nr : n;
	}
	if (!*ran)
		*ran = n;
	if (sh->kind == FAIL_HANG && timeout < HANG_TRIAL_MS)
		pace.unsure = true;
	return true;
}

/* Drop chunks of ops, biggest first, while the failure stays the same. */
static unsigned long shrink_chunks(const struct shrink *sh, struct test_op *ops,
				   unsigned long n, double deadline)
{
	unsigned long chunk = n / 2, start, ran;
	struct test_op *trial = malloc(n * sizeof(*trial));

	if (!trial)
		abort();
	while (chunk >= 1 && now() < deadline) {
		bool removed = false;

		for (start = 0; start + chunk <= n && now() < deadline;) {
			memcpy(trial, ops, start * sizeof(*ops));
			memcpy(trial + start, ops + start + chunk,
			       (n - start - chunk) * sizeof(*ops));
			if (same_failure(sh, trial, n - chunk, deadline, &ran)) {
				memcpy(ops, trial, ran * sizeof(*ops));
				n = ran;
				removed = true;
			} else {
				start += chunk;
			}
		}
		if (!removed || chunk > n / 2)
			chunk /= 2;
	}
	free(trial);
	return n;
}

/* Then make each argument smaller: 0, then the fractions of ARG_TRIALS. */
static unsigned long shrink_args(const struct shrink *sh, struct test_op *ops,
				 unsigned long n, double deadline)
{
	unsigned long i, ran;
	int f;

	for (i = 0; i < n && now() < deadline; i++) {
		for (f = 0; f < 4 && now() < deadline; f++) {
			unsigned long *field = f == 0 ? &ops[i].a : f == 1 ? &ops[i].b :
					       f == 2 ? &ops[i].c : (unsigned long *)&ops[i].r;
			unsigned long orig = *field, try;
			int tries = 0;

			for (try = 0; try < orig && tries++ < ARG_TRIALS &&
			     now() < deadline;
			     try = try ? orig - (orig - try) / 2 : orig / 2) {
				*field = try;
				if (same_failure(sh, ops, n, deadline, &ran)) {
					/* The failure may come sooner now. */
					n = ran > i ? ran : i + 1;
					break;
				}
				*field = orig;
				if (orig - try <= 1)
					break;
			}
		}
	}
	return n;
}

static unsigned long shrink_ops(const struct shrink *sh, struct test_op *ops,
				unsigned long n, double deadline)
{
	n = shrink_chunks(sh, ops, n, deadline);
	return shrink_args(sh, ops, n, deadline);
}

/*
 * A hang: first the ops before the one that hung, alone, which mostly pass
 * and so say how long a trial that does not hang takes (hang_wait_ms()).
 */
static unsigned long shrink_hang(const struct shrink *sh, struct test_op *ops,
				 unsigned long n, double deadline)
{
	struct test_op *hung_ops = malloc(n * sizeof(*ops));
	unsigned long hung_n = n, ran;

	if (!hung_ops)
		abort();
	memcpy(hung_ops, ops, n * sizeof(*ops));
	if (n > 1 && same_failure(sh, ops, n - 1, deadline, &ran))
		n = ran;
	n = shrink_ops(sh, ops, n, deadline);
	if (pace.unsure) {
		pace.full = true;
		if (!same_failure(sh, ops, n, now() + HANG_TRIAL_MS / 1000.0, &ran)) {
			memcpy(ops, hung_ops, hung_n * sizeof(*ops));
			n = shrink_ops(sh, ops, hung_n, deadline);
		}
	}
	free(hung_ops);
	return n;
}

unsigned long shrink(const struct shrink *sh, struct test_op *ops,
		     unsigned long n)
{
	double deadline = now() + opts.shrink_time;
	size_t size = sizeof(*trials.t) + n * sizeof(*ops);

	trials.t = mmap(NULL, size, PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (trials.t == MAP_FAILED) {
		perror("mmap");
		exit(EXIT_USAGE);
	}
	/* The test's own failure: a race lost elsewhere must not hide it. */
	opts.no_races = !sh->racy;
	memset(&pace, 0, sizeof(pace));
	if (sh->kind == FAIL_HANG)
		n = shrink_hang(sh, ops, n, deadline);
	else
		n = shrink_ops(sh, ops, n, deadline);
	opts.no_races = false;
	trial_stop();
	munmap(trials.t, size);
	return n;
}
