// SPDX-License-Identifier: GPL-2.0
/*
 * ./maple: options, the suite runner and failure reports.
 *
 * Each suite runs a number of sequences; sequence i of a run started with
 * --seed S uses seed S + i, and a failure names that seed, so that
 * `./maple --seed <it> <suite>` reruns the failing sequence first.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <generated/version.h>
#include "test.h"

struct test_opts opts;
struct test_ctx ctx;

static const struct suite *const suites[] = {
	&maple_suite,
};
#define NR_SUITES	(sizeof(suites) / sizeof(suites[0]))

static const char *prog;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [options] [SUITE...]\n"
		"Run the kernel's maple tree (and VMA) code against a reference model.\n"
		"\n"
		"  --seed N    seed of the first sequence (default: random, printed)\n"
		"  --ops N     ops per sequence (default: the suite's)\n"
		"  --seqs N    sequences per suite (default: the suite's)\n"
		"  --bench     time a fixed workload per suite instead of testing\n"
		"  --list      list suites and the ops each drives on this tree\n"
		"  --known-bugs  also generate the triggers of known kernel bugs\n"
		"  -v          verbose: all kernel output; -v -v: every op\n"
		"  --help      this text\n"
		"\n"
		"Exit: 0 all passed, 1 a check failed, 2 usage or input error.\n",
		prog);
}

static __attribute__((noreturn, format(printf, 1, 2)))
void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see --help)\n");
	exit(EXIT_USAGE);
}

static uint64_t parse_number(const char *opt, const char *arg)
{
	unsigned long long v;
	char *end;

	if (!arg)
		usage_error("%s needs a number", opt);
	errno = 0;
	v = strtoull(arg, &end, 0);
	if (errno || end == arg || *end || arg[0] == '-')
		usage_error("%s: '%s' is not a number", opt, arg);
	return v;
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
	size_t len = strlen(ctx.msg);
	va_list ap;

	/* The first failure is the one that matters; keep the next few too. */
	if (len + 64 >= sizeof(ctx.msg))
		return;
	len += snprintf(ctx.msg + len, sizeof(ctx.msg) - len, "%s%s:%d: ",
			len ? "\n  " : "", file, line);
	va_start(ap, fmt);
	vsnprintf(ctx.msg + len, sizeof(ctx.msg) - len, fmt, ap);
	va_end(ap);
	ctx.failed = true;
}

const char *fmt_entry(char *buf, size_t len, const void *entry)
{
	unsigned long v = (unsigned long)entry;

	if (!entry)
		snprintf(buf, len, "NULL");
	else if (v & 1)
		snprintf(buf, len, "v(%lu)", v >> 1);
	else
		snprintf(buf, len, "%p", entry);
	return buf;
}

static void report(FILE *f)
{
	char op[512] = "(before the first op)";

	if (ctx.op_nr && ctx.describe_op)
		ctx.describe_op(op, sizeof(op));
	fprintf(f, "FAIL %s seed=%llu op=%lu: %s\n  %s\n", ctx.suite,
		(unsigned long long)ctx.seed, ctx.op_nr, op, ctx.msg);
	fprintf(f, "  reproduce: %s --seed %llu", prog,
		(unsigned long long)ctx.seed);
	if (opts.ops)
		fprintf(f, " --ops %lu", opts.ops);
	fprintf(f, " --seqs 1 %s\n", ctx.suite);
	fflush(f);
}

/*
 * A crash in kernel code (or a BUG, which aborts) must not lose the
 * reproducer: report what was running, then die of the same signal.
 */
static void crash_handler(int sig)
{
	char what[64];

	snprintf(what, sizeof(what), "crashed: %s", strsignal(sig));
	if (!ctx.failed)
		test_fail("harness", 0, "%s", what);
	else
		test_fail("harness", 0, "then %s", what);
	report(stderr);
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

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const struct suite *find_suite(const char *name)
{
	size_t i;

	for (i = 0; i < NR_SUITES; i++)
		if (!strcmp(suites[i]->name, name))
			return suites[i];
	return NULL;
}

static int run_suite(const struct suite *s)
{
	unsigned long ops = opts.ops ? opts.ops : s->default_ops;
	unsigned long seqs = opts.seqs ? opts.seqs : s->default_seqs;
	double start = now();
	unsigned long i;

	for (i = 0; i < seqs; i++) {
		memset(&ctx, 0, sizeof(ctx));
		ctx.suite = s->name;
		ctx.seed = opts.seed + i;
		kernel_reset();
		if (!s->run(ops) || ctx.failed) {
			if (!ctx.failed)
				test_fail("harness", 0, "suite failed without a message");
			report(stdout);
			return EXIT_FAIL;
		}
	}
	printf("ok %s: %lu sequences of %lu ops, seeds %llu..%llu, %.1fs\n",
	       s->name, seqs, ops, (unsigned long long)opts.seed,
	       (unsigned long long)(opts.seed + seqs - 1), now() - start);
	fflush(stdout);
	return EXIT_PASS;
}

static void list(void)
{
	size_t i;

	printf("kernel %s\n", KVER_STRING);
	for (i = 0; i < NR_SUITES; i++) {
		printf("%s: %s\n", suites[i]->name, suites[i]->desc);
		suites[i]->list_ops(stdout);
	}
}

static uint64_t random_seed(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	/* Small enough to type, random enough to differ between runs. */
	return ((uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 16) ^
		(uint64_t)ts.tv_sec) % 1000000000;
}

int main(int argc, char **argv)
{
	const struct suite *chosen[NR_SUITES];
	size_t nr_chosen = 0, i;
	int ret = EXIT_PASS, a;
	bool do_list = false;

	prog = argv[0];
	for (a = 1; a < argc; a++) {
		const char *arg = argv[a];

		if (!strcmp(arg, "--seed")) {
			opts.seed = parse_number(arg, argv[++a]);
			opts.seed_given = true;
		} else if (!strcmp(arg, "--ops")) {
			opts.ops = parse_number(arg, argv[++a]);
			if (!opts.ops)
				usage_error("--ops must be at least 1");
		} else if (!strcmp(arg, "--seqs")) {
			opts.seqs = parse_number(arg, argv[++a]);
			if (!opts.seqs)
				usage_error("--seqs must be at least 1");
		} else if (!strcmp(arg, "--bench")) {
			opts.bench = true;
		} else if (!strcmp(arg, "--known-bugs")) {
			opts.known_bugs = true;
		} else if (!strcmp(arg, "--list")) {
			do_list = true;
		} else if (!strcmp(arg, "-v")) {
			opts.verbose++;
		} else if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			usage(stdout);
			return EXIT_PASS;
		} else if (arg[0] == '-') {
			usage_error("unknown option '%s'", arg);
		} else {
			const struct suite *s = find_suite(arg);

			if (!s)
				usage_error("no suite '%s' (--list shows them)", arg);
			if (nr_chosen < NR_SUITES)
				chosen[nr_chosen++] = s;
		}
	}
	if (do_list) {
		list();
		return EXIT_PASS;
	}
	if (!nr_chosen)
		for (i = 0; i < NR_SUITES; i++)
			chosen[nr_chosen++] = suites[i];
	if (!opts.seed_given)
		opts.seed = random_seed();

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("seed %llu (kernel %s)\n", (unsigned long long)opts.seed,
	       KVER_STRING);
	catch_crashes();
	kernel_init();
	for (i = 0; i < nr_chosen; i++) {
		if (opts.bench) {
			chosen[i]->bench(opts.ops ? opts.ops : chosen[i]->default_ops);
			continue;
		}
		if (run_suite(chosen[i]) != EXIT_PASS)
			ret = EXIT_FAIL;
	}
	return ret;
}
