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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "runner.h"
#include "slab_test.h"
#include "test.h"

struct test_ctx *ctx;

/* Shrinking trials of a hang wait this long: the first trial took the full timeout. */
#define HANG_TRIAL_SECONDS	2

double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void ctx_alloc(unsigned long max_ops)
{
	size_t size = sizeof(*ctx) + max_ops * sizeof(struct test_op);

	ctx = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		   -1, 0);
	if (ctx == MAP_FAILED) {
		perror("mmap");
		exit(EXIT_USAGE);
	}
	ctx->max_ops = max_ops;
}

void ctx_reset(const char *suite, uint64_t seed)
{
	unsigned long max_ops = ctx->max_ops;

	memset(ctx, 0, sizeof(*ctx));
	ctx->suite = suite;
	ctx->seed = seed;
	ctx->max_ops = max_ops;
}

/* In the child: a signal is a failure of its own kind, recorded before dying. */
static void crash_handler(int sig)
{
	test_fail("signal", sig, "crashed: %s", strsignal(sig));
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

static int pidfd_open(pid_t pid)
{
	return syscall(SYS_pidfd_open, pid, 0);
}

/*
 * Fork, run the sequence (generated, or the given ops), and say how it
 * ended.  A child that outlives timeout seconds is killed with its process
 * group.
 */
static enum fail_kind run_child(const struct suite *s, unsigned long nops,
				const struct test_op *ops, unsigned long n,
				unsigned int timeout, bool quiet)
{
	struct pollfd pfd;
	int status, fd;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(EXIT_USAGE);
	}
	if (!pid) {
		bool ok;

		setpgid(0, 0);
		if (quiet) {
			int null = open("/dev/null", O_WRONLY);

			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		catch_crashes();
		kernel_reset();
		slab_faults = (struct slab_faults){
			.nth = opts.fail_nth,
			.kernel_pct = opts.fail_rate,
			.nowait_pct = opts.nowait_fail,
		};
		rng_seed(&slab_faults.rng, ctx->seed ^ 0xfa11fa11fa11fa11ULL);
		ok = ops ? s->replay(ops, n) : s->run(nops);
		ctx->faults = slab_faults.injected;
		fflush(stdout);
		_exit(ok && !ctx->failed ? 0 : 1);
	}
	setpgid(pid, pid);
	fd = pidfd_open(pid);
	pfd.fd = fd;
	pfd.events = POLLIN;
	if (fd >= 0 && poll(&pfd, 1, timeout * 1000) == 0) {
		kill(-pid, SIGKILL);
		waitpid(pid, &status, 0);
		close(fd);
		ctx->failed = true;
		snprintf(ctx->where, sizeof(ctx->where), "timeout");
		snprintf(ctx->msg, sizeof(ctx->msg),
			 "hang: still running after %us (--timeout)", timeout);
		return FAIL_HANG;
	}
	if (fd >= 0)
		close(fd);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status)) {
		if (!ctx->failed) {
			ctx->failed = true;
			snprintf(ctx->msg, sizeof(ctx->msg), "crashed: %s",
				 strsignal(WTERMSIG(status)));
		}
		/* A crash is identified by its signal, not by what preceded it. */
		snprintf(ctx->where, sizeof(ctx->where), "signal %d",
			 WTERMSIG(status));
		return FAIL_CRASH;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return FAIL_NONE;
	if (!ctx->failed) {
		ctx->failed = true;
		snprintf(ctx->msg, sizeof(ctx->msg),
			 "the sequence exited with status %d",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
	return FAIL_CHECK;
}

enum fail_kind run_sequence(const struct suite *s, uint64_t seed,
			    unsigned long nops)
{
	ctx_reset(s->name, seed);
	return run_child(s, nops, NULL, 0, opts.timeout, false);
}

enum fail_kind run_replay(const struct suite *s, uint64_t seed,
			  unsigned long config, const struct test_op *ops,
			  unsigned long n, unsigned int timeout, bool quiet)
{
	ctx_reset(s->name, seed);
	ctx->config = config;
	return run_child(s, 0, ops, n, timeout, quiet);
}

/* Whether a trial failed the same way as the original: kind and place. */
static bool same_failure(const struct suite *s, uint64_t seed,
			 unsigned long config, const struct test_op *ops,
			 unsigned long n, enum fail_kind kind, const char *where,
			 double deadline)
{
	unsigned int timeout = kind == FAIL_HANG ? HANG_TRIAL_SECONDS : opts.timeout;
	double left = deadline - now();

	/* A trial that hangs in a new way must not eat the whole budget. */
	if (left < timeout)
		timeout = left < 1 ? 1 : (unsigned int)left + 1;

	return run_replay(s, seed, config, ops, n, timeout, true) == kind &&
	       !strcmp(ctx->where, where);
}

/* Drop chunks of ops, biggest first, while the failure stays the same. */
static unsigned long shrink_chunks(const struct shrink *sh, struct test_op *ops,
				   unsigned long n, double deadline)
{
	unsigned long chunk = n / 2, start;
	struct test_op *trial = malloc(n * sizeof(*trial));

	if (!trial)
		abort();
	while (chunk >= 1 && now() < deadline) {
		bool removed = false;

		for (start = 0; start + chunk <= n && now() < deadline;) {
			memcpy(trial, ops, start * sizeof(*ops));
			memcpy(trial + start, ops + start + chunk,
			       (n - start - chunk) * sizeof(*ops));
			if (same_failure(sh->suite, sh->seed, sh->config, trial,
					 n - chunk, sh->kind, sh->where, deadline)) {
				memcpy(ops, trial, (n - chunk) * sizeof(*ops));
				n -= chunk;
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

/* Then make each argument smaller: 0, then halves. */
static void shrink_args(const struct shrink *sh, struct test_op *ops,
			unsigned long n, double deadline)
{
	unsigned long i;
	int f;

	for (i = 0; i < n && now() < deadline; i++) {
		for (f = 0; f < 4 && now() < deadline; f++) {
			unsigned long *field = f == 0 ? &ops[i].a : f == 1 ? &ops[i].b :
					       f == 2 ? &ops[i].c : (unsigned long *)&ops[i].r;
			unsigned long orig = *field, try;

			for (try = 0; try < orig && now() < deadline;
			     try = try ? orig - (orig - try) / 2 : orig / 2) {
				*field = try;
				if (same_failure(sh->suite, sh->seed, sh->config,
						 ops, n, sh->kind, sh->where, deadline))
					break;
				*field = orig;
				if (orig - try <= 1)
					break;
			}
		}
	}
}

unsigned long shrink(const struct shrink *sh, struct test_op *ops,
		     unsigned long n)
{
	double deadline = now() + opts.shrink_time;

	n = shrink_chunks(sh, ops, n, deadline);
	shrink_args(sh, ops, n, deadline);
	return n;
}
