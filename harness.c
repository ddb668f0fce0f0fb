// SPDX-License-Identifier: GPL-2.0
/*
 * ./maple: options, the suite runner and failure reports.
 *
 * Each suite runs a number of sequences; sequence i of a run started with
 * --seed S uses seed S + i, and a failure names that seed, so that
 * `./maple --seed <it> <suite>` reruns the failing sequence first.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <generated/version.h>
#include "runner.h"
#include "test.h"

struct test_opts opts = {
	.timeout = 20,
	.shrink_time = 30,
	.out_dir = ".",
	.nowait_fail = DEFAULT_NOWAIT_FAIL,
	.fail_rate = DEFAULT_FAIL_RATE,
	.jobs = 0,	/* one per core */
	.readers = DEFAULT_READERS,
};

static const struct suite *const suites[] = {
	&maple_suite,
	&vma_suite,
	&rcu_suite,
};
#define NR_SUITES	(sizeof(suites) / sizeof(suites[0]))
/* A replay file may hold this many ops. */
#define REPLAY_MAX_OPS	(1UL << 22)

static const char *prog;

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [options] [SUITE...]\n"
		"Run the kernel's maple tree (and VMA) code against a reference model.\n"
		"\n"
		"  --seed N    seed of the first sequence (default: random, printed)\n"
		"  --ops N     ops per sequence (default: the suite's lengths, by seed)\n"
		"  --seqs N    sequences per suite (default: as many as fit the time)\n"
		"  -j N        run N sequences in parallel (default and -j0: one per core)\n"
		"  --time S    keep starting sequences for S seconds per suite\n"
		"              (default: about a minute for a whole run)\n"
		"  --bench     time a fixed workload per suite instead of testing\n"
		"  --tap       TAP 13 output, kselftest style\n"
		"  --leaks     name the op that allocated each leaked object\n"
		"  --junit FILE  also write JUnit XML results to FILE\n"
		"  --list      list suites and the ops each drives on this tree\n"
		"  --known-bugs  also generate the triggers of known kernel bugs\n"
		"  --fail-nth N  fail the Nth allocation of each sequence\n"
		"  --fail-rate P fail P%% of the allocations that may block (1)\n"
		"  --nowait-fail P  fail P%% of GFP_NOWAIT/ATOMIC allocations (5)\n"
		"  --readers K   rcu suite: K reader threads (2)\n"
		"  --timeout S   a sequence running longer than S seconds is a hang (20)\n"
		"  --replay FILE run the ops of a replay file exactly\n"
		"  --dump      with --replay: dump the tree before the failing op\n"
		"  --from-fuzz FILE  decode a fuzzer input into ops, run, write a replay\n"
		"  --layout    print what each op left (vma: the VMAs), to diff trees\n"
		"  --out DIR   where replay files go (default: .)\n"
		"  --shrink-time S  seconds to spend shrinking a failure (30)\n"
		"  -v          verbose: all kernel output, and each op of a replay;\n"
		"              -v -v: each op of every sequence\n"
		"  --help      this text\n"
		"\n"
		"Exit: 0 all passed, 1 a check failed, 2 usage or input error,\n"
		"4 every suite chosen was skipped (this tree lacks what it tests).\n",
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

static unsigned int parse_percent(const char *opt, const char *arg)
{
	uint64_t v = parse_number(opt, arg);

	if (v > 100)
		usage_error("%s: %llu is not a percentage", opt, (unsigned long long)v);
	return v;
}

/*
 * The rcu suite's reader threads fail too: one at a time.  Recursive, so
 * that a thread crashing inside test_fail() can still report the signal.
 */
static pthread_mutex_t fail_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

void test_fail(const char *file, int line, const char *fmt, ...)
{
	size_t len;
	va_list ap;

	pthread_mutex_lock(&fail_lock);
	len = strlen(ctx->msg);
	/* The first failure names the check; keep the next few too. */
	if (!ctx->failed)
		snprintf(ctx->where, sizeof(ctx->where), "%s:%d", file, line);
	ctx->failed = true;
	if (len + 64 < sizeof(ctx->msg)) {
		len += snprintf(ctx->msg + len, sizeof(ctx->msg) - len, "%s%s:%d: ",
				len ? "\n  " : "", file, line);
		va_start(ap, fmt);
		vsnprintf(ctx->msg + len, sizeof(ctx->msg) - len, fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&fail_lock);
}

const char *fmt_entry(char *buf, size_t len, const void *entry)
{
	unsigned long v = (unsigned long)entry;

	if (!entry)
		snprintf(buf, len, "NULL");
	else if (v == (257UL << 2 | 2))		/* XA_ZERO_ENTRY */
		snprintf(buf, len, "zero");
	else if (v & 1)
		snprintf(buf, len, "v(%lu)", v >> 1);
	else if ((v & 3) == 2 && v >> 2 >= ENTRY_INTERNAL_BASE)
		snprintf(buf, len, "i(%lu)", (v >> 2) - ENTRY_INTERNAL_BASE);
	else
		snprintf(buf, len, "%p", entry);
	return buf;
}

/* A line of the run's report; under --tap, a TAP comment. */
static __attribute__((format(printf, 1, 2))) void say(const char *fmt, ...)
{
	char buf[8192], *line, *next;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (line = buf; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		printf("%s%s\n", opts.tap ? "# " : "", line);
	}
}

/* What each suite came to, for the TAP lines and the JUnit file. */
struct result {
	const struct suite *suite;
	int status;		/* EXIT_PASS, EXIT_FAIL or EXIT_SKIP */
	char reason[1280];	/* room for the op and 600 bytes of message */
	double seconds;
};

static const char *const kind_names[] = {
	[FAIL_CHECK] = "check failed",
	[FAIL_CRASH] = "crash",
	[FAIL_HANG] = "hang",
};

/* The failure in ctx: what, where, and the failing op. */
static void report(const struct suite *s, enum fail_kind kind,
		   struct result *res)
{
	char op[512] = "before the first op";
	unsigned long nr = ctx->op_nr;

	if (nr && nr <= ctx->max_ops)
		s->describe(&ctx->ops[nr - 1], op, sizeof(op));
	say("FAIL %s seed=%llu op=%lu (%s): %s\n  %s", s->name,
	    (unsigned long long)ctx->seed, nr, kind_names[kind], op, ctx->msg);
	if (res)
		snprintf(res->reason, sizeof(res->reason),
			 "%s at seed=%llu op=%lu: %s: %.600s", kind_names[kind],
			 (unsigned long long)ctx->seed, nr, op, ctx->msg);
}

/*
 * A race another thread lost may not come again in a replay; if the same
 * ops, run with those threads' failures left out, fail a check of the
 * test's own thread, which replays every time, that failure is the one to
 * shrink and write.
 */
static void prefer_replayable(struct shrink *sh, const struct test_op *ops,
			      unsigned long n, char *where, size_t len)
{
	enum fail_kind kind;

	opts.no_races = true;
	kind = run_replay(sh->suite, sh->seed, sh->config, ops, n,
			  opts.timeout, true);
	opts.no_races = false;
	if (kind == FAIL_NONE)
		return;
	say("  that was another thread's race; the same ops fail at %s too, which replays: shrinking that",
	    ctx->where);
	snprintf(where, len, "%s", ctx->where);
	sh->kind = kind;
	sh->racy = false;
}

/*
 * The options given that change what a sequence of s does, as they are
 * given: what a seed needs besides itself to run again as it ran.
 */
static const char *stream_args(const struct suite *s, char *buf, size_t size)
{
	FILE *f = fmemopen(buf, size, "w");

	if (!f)
		abort();
	if (opts.ops)
		fprintf(f, " --ops %lu", opts.ops);
	stream_opts_print(f, " --%s", " --%s %lu");
	if (s == &rcu_suite && opts.readers != DEFAULT_READERS)
		fprintf(f, " --readers %u", opts.readers);
	fclose(f);
	return buf;
}

/*
 * After a failure: shrink the ops that led to it and write them as a
 * replay file.  The original failure is already on the screen.
 */
static void save_replay(const struct suite *s, enum fail_kind kind)
{
	struct replay rp = { .suite = s, .seed = ctx->seed, .config = ctx->config };
	struct shrink sh = { .suite = s, .seed = ctx->seed, .config = ctx->config,
			     .kind = kind };
	unsigned long n = ctx->op_nr < ctx->max_ops ? ctx->op_nr : ctx->max_ops;
	char where[sizeof(ctx->where)], path[4096], why[256], args[128];
	double start = now();

	memcpy(where, ctx->where, sizeof(where));
	sh.where = where;
	sh.racy = ctx->racy;
	rp.ops = malloc((n + 1) * sizeof(*rp.ops));
	if (!rp.ops)
		abort();
	memcpy(rp.ops, ctx->ops, n * sizeof(*rp.ops));
	if (sh.racy)
		prefer_replayable(&sh, rp.ops, n, where, sizeof(where));
	rp.n = shrink(&sh, rp.ops, n);
	snprintf(path, sizeof(path), "%s/maple-%s-%llu.replay", opts.out_dir,
		 s->name, (unsigned long long)rp.seed);
	snprintf(why, sizeof(why), "fails with a %s at %s; shrunk from %lu ops",
		 kind_names[sh.kind], where, n);
	if (!replay_write(path, &rp, why))
		say("  shrunk %lu ops to %lu in %.1fs: %s --replay %s", n,
		    rp.n, now() - start, prog, path);
	say("  reproduce: %s --seed %llu%s --seqs 1 %s", prog,
	    (unsigned long long)rp.seed, stream_args(s, args, sizeof(args)),
	    s->name);
	free(rp.ops);
}

/* kselftest's TAP: ok, not ok with the reason, ok # SKIP. */
static void tap_result(size_t n, const struct result *res)
{
	char reason[sizeof(res->reason)], *c;

	if (!opts.tap)
		return;
	snprintf(reason, sizeof(reason), "%s", res->reason);
	for (c = reason; *c; c++)
		if (*c == '\n')
			*c = ' ';
	if (res->status == EXIT_PASS)
		printf("ok %zu %s\n", n, res->suite->name);
	else if (res->status == EXIT_SKIP)
		printf("ok %zu %s # SKIP %s\n", n, res->suite->name, reason);
	else
		printf("not ok %zu %s # %s\n", n, res->suite->name, reason);
}

static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default:
			/* XML 1.0 allows no other control characters. */
			fputc((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t' ?
			      ' ' : *s, f);
		}
	}
}

/* One <testcase> per suite, for CI systems that read JUnit XML. */
static int write_junit(const char *path, const struct result *res, size_t n)
{
	unsigned int failures = 0, skipped = 0;
	FILE *f = fopen(path, "w");
	size_t i;

	if (!f) {
		fprintf(stderr, "maple: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		failures += res[i].status == EXIT_FAIL;
		skipped += res[i].status == EXIT_SKIP;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites>\n<testsuite name=\"maple-harness\" tests=\"%zu\" "
		"failures=\"%u\" skipped=\"%u\">\n", n, failures, skipped);
	for (i = 0; i < n; i++) {
		fprintf(f, "  <testcase classname=\"maple-harness.%s\" name=\"%s seed %llu\" time=\"%.3f\"",
			KVER_STRING, res[i].suite->name,
			(unsigned long long)opts.seed, res[i].seconds);
		if (res[i].status == EXIT_PASS) {
			fputs("/>\n", f);
			continue;
		}
		fputs(">\n    <", f);
		fputs(res[i].status == EXIT_SKIP ? "skipped" : "failure", f);
		fputs(" message=\"", f);
		xml_text(f, res[i].reason);
		fputs("\"/>\n  </testcase>\n", f);
	}
	fputs("</testsuite>\n</testsuites>\n", f);
	if (fclose(f)) {
		fprintf(stderr, "maple: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static const struct suite *find_suite(const char *name)
{
	size_t i;

	for (i = 0; i < NR_SUITES; i++)
		if (!strcmp(suites[i]->name, name))
			return suites[i];
	return NULL;
}

/* "5000 ops", or "5000 or 20000 ops" when lengths mix. */
static const char *lengths(const struct suite *s, char *buf, size_t len)
{
	if (opts.ops || !s->long_ops)
		snprintf(buf, len, "%lu", opts.ops ? opts.ops : s->default_ops);
	else
		snprintf(buf, len, "%lu or %lu", s->default_ops, s->long_ops);
	return buf;
}

static int run_suite(const struct suite *s, struct result *res)
{
	struct pool p = { .first = opts.seed };
	char len[64];
	double start = now();
	enum fail_kind kind;

	if (s->skip) {
		say("skip %s: %s", s->name, s->skip);
		snprintf(res->reason, sizeof(res->reason), "%s", s->skip);
		return EXIT_SKIP;
	}
	/*
	 * --seqs runs that many sequences (within --time, if given);
	 * otherwise sequences keep starting for --time seconds, or for the
	 * suite's share of a default run of about a minute.
	 */
	p.count = opts.seqs ? opts.seqs : ~0UL;
	if (opts.time || !opts.seqs)
		p.until = start + (opts.time ? opts.time : s->default_time);
	kind = run_pool(s, opts.ops, opts.jobs, &p);
	if (kind != FAIL_NONE) {
		report(s, kind, res);
		/* With -j1, the ops it took to catch (scripts/catch-speed). */
		say("  %lu ops run in all, in %lu sequences", p.ops, p.done);
		save_replay(s, kind);
		return EXIT_FAIL;
	}
	say("ok %s: %lu sequences of %s ops (%lu in all), seeds %llu..%llu, %lu allocation failures survived, %.1fs",
	    s->name, p.done, lengths(s, len, sizeof(len)), p.ops,
	    (unsigned long long)opts.seed,
	    (unsigned long long)(opts.seed + p.done - 1), p.faults,
	    now() - start);
	return EXIT_PASS;
}

/*
 * --from-fuzz FILE: decode a fuzzer's input (a crash libFuzzer kept, say)
 * into the suite's ops, run them, and write them as a replay file.
 */
static int from_fuzz(const char *path, const struct suite *s)
{
	struct replay rp = { .suite = s };
	char out[4096], why[256];
	enum fail_kind kind;
	uint8_t *data;
	FILE *f = fopen(path, "rb");
	long size;

	if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "maple: cannot read %s: %s\n", path, strerror(errno));
		return EXIT_USAGE;
	}
	data = malloc(size + 1);
	if (!data || fread(data, 1, size, f) != (size_t)size) {
		fprintf(stderr, "maple: cannot read %s: %s\n", path, strerror(errno));
		return EXIT_USAGE;
	}
	fclose(f);
	kind = run_fuzz(s, data, size);
	free(data);
	rp.config = ctx->config;
	rp.ops = ctx->ops;
	rp.n = ctx->op_nr < ctx->max_ops ? ctx->op_nr : ctx->max_ops;
	snprintf(out, sizeof(out), "%s/maple-%s-fuzz.replay", opts.out_dir, s->name);
	snprintf(why, sizeof(why), "decoded from the fuzzer input %s: %s", path,
		 kind == FAIL_NONE ? "passes" : kind_names[kind]);
	if (replay_write(out, &rp, why))
		return EXIT_USAGE;
	if (kind == FAIL_NONE) {
		say("ok %s: %s passes; its %lu ops are in %s", s->name, path, rp.n, out);
		return EXIT_PASS;
	}
	report(s, kind, NULL);
	say("  %lu ops: %s --replay %s", rp.n, prog, out);
	return EXIT_FAIL;
}

/* --replay FILE: run its ops exactly; with --dump, dump before the failing op. */
static int run_replay_file(const char *path, const struct suite *only)
{
	struct replay rp;
	enum fail_kind kind;

	if (replay_read(path, &rp, suites, NR_SUITES))
		return EXIT_USAGE;
	if (only && only != rp.suite) {
		fprintf(stderr, "maple: %s is a replay for suite %s, not %s\n",
			path, rp.suite->name, only->name);
		return EXIT_USAGE;
	}
	printf("replay %s: suite %s, %lu ops, recorded on kernel %s, running on %s\n",
	       path, rp.suite->name, rp.n, rp.kernel, KVER_STRING);
	kind = run_replay(rp.suite, rp.seed, rp.config, rp.ops, rp.n, opts.timeout, false);
	if (kind != FAIL_NONE && opts.dump) {
		opts.dump_before = ctx->op_nr;
		kind = run_replay(rp.suite, rp.seed, rp.config, rp.ops, rp.n,
				  opts.timeout, false);
	}
	free(rp.ops);
	if (kind == FAIL_NONE) {
		printf("ok %s: replay passed\n", rp.suite->name);
		return EXIT_PASS;
	}
	report(rp.suite, kind, NULL);
	return EXIT_FAIL;
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
	struct result results[NR_SUITES] = { 0 };
	size_t nr_chosen = 0, nr_skipped = 0, i;
	const char *replay = NULL, *fuzz = NULL;
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
		} else if (!strcmp(arg, "-j")) {
			opts.jobs = parse_number(arg, argv[++a]);
		} else if (!strncmp(arg, "-j", 2) && arg[2]) {
			opts.jobs = parse_number("-j", arg + 2);
		} else if (!strcmp(arg, "--time")) {
			opts.time = parse_number(arg, argv[++a]);
			if (!opts.time)
				usage_error("--time must be at least 1");
		} else if (!strcmp(arg, "--readers")) {
			opts.readers = parse_number(arg, argv[++a]);
			if (!opts.readers || opts.readers > 64)
				usage_error("--readers must be 1 to 64");
		} else if (!strcmp(arg, "--timeout")) {
			opts.timeout = parse_number(arg, argv[++a]);
			if (!opts.timeout)
				usage_error("--timeout must be at least 1");
		} else if (!strcmp(arg, "--shrink-time")) {
			opts.shrink_time = parse_number(arg, argv[++a]);
		} else if (!strcmp(arg, "--out")) {
			if (!(opts.out_dir = argv[++a]))
				usage_error("--out needs a directory");
		} else if (!strcmp(arg, "--replay")) {
			if (!(replay = argv[++a]))
				usage_error("--replay needs a file");
		} else if (!strcmp(arg, "--fail-nth")) {
			opts.fail_nth = parse_number(arg, argv[++a]);
		} else if (!strcmp(arg, "--fail-rate")) {
			opts.fail_rate = parse_percent(arg, argv[++a]);
		} else if (!strcmp(arg, "--nowait-fail")) {
			opts.nowait_fail = parse_percent(arg, argv[++a]);
		} else if (!strcmp(arg, "--leaks")) {
			opts.leaks = true;
		} else if (!strcmp(arg, "--tap")) {
			opts.tap = true;
		} else if (!strcmp(arg, "--junit")) {
			if (!(opts.junit = argv[++a]))
				usage_error("--junit needs a file");
		} else if (!strcmp(arg, "--from-fuzz")) {
			if (!(fuzz = argv[++a]))
				usage_error("--from-fuzz needs a file");
		} else if (!strcmp(arg, "--dump")) {
			opts.dump = true;
		} else if (!strcmp(arg, "--layout")) {
			opts.layout = true;
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
				usage_error("no suite '%s'; --list shows them", arg);
			if (nr_chosen < NR_SUITES)
				chosen[nr_chosen++] = s;
		}
	}
	if (do_list) {
		list();
		return EXIT_PASS;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	kernel_init();
	if (fuzz) {
		ctx_alloc(REPLAY_MAX_OPS);
		return from_fuzz(fuzz, nr_chosen ? chosen[0] : &maple_suite);
	}
	if (replay) {
		opts.trace = opts.verbose > 0;
		ctx_alloc(REPLAY_MAX_OPS);
		return run_replay_file(replay, nr_chosen == 1 ? chosen[0] : NULL);
	}
	opts.trace = opts.verbose > 1;
	if (!opts.jobs)
		opts.jobs = sysconf(_SC_NPROCESSORS_ONLN) > 0 ?
			    sysconf(_SC_NPROCESSORS_ONLN) : 1;
	if (!nr_chosen)
		for (i = 0; i < NR_SUITES; i++)
			chosen[nr_chosen++] = suites[i];
	if (!opts.seed_given)
		opts.seed = random_seed();

	if (opts.tap && !opts.bench)
		printf("TAP version 13\n1..%zu\n", nr_chosen);
	say("seed %llu (kernel %s)", (unsigned long long)opts.seed, KVER_STRING);
	for (i = 0; i < nr_chosen; i++) {
		const struct suite *s = chosen[i];
		/* The longest sequence; --bench's fixed workload too. */
		unsigned long ops = opts.ops ? opts.ops :
			s->long_ops > s->default_ops ? s->long_ops : s->default_ops;
		struct result *res = &results[i];
		double start = now();

		/* Room for every op, and for the ops a check may add. */
		if (!ctx || ctx->max_ops < ops + 16)
			ctx_alloc(ops + 16);
		if (opts.bench) {
			if (!chosen[i]->skip)
				chosen[i]->bench(ops);
			continue;
		}
		res->suite = chosen[i];
		res->status = run_suite(chosen[i], res);
		res->seconds = now() - start;
		tap_result(i + 1, res);
		if (res->status == EXIT_SKIP)
			nr_skipped++;
		else if (res->status != EXIT_PASS)
			ret = EXIT_FAIL;
	}
	if (opts.junit && !opts.bench && write_junit(opts.junit, results, nr_chosen))
		return EXIT_USAGE;
	/* Skipped suites pass, unless nothing at all ran. */
	if (ret == EXIT_PASS && nr_skipped == nr_chosen)
		ret = EXIT_SKIP;
	return ret;
}
