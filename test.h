/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The harness that every suite uses: the PRNG, options, the state of the
 * running sequence, failure reports and the ASSERT_ macros.
 */
#ifndef _TEST_H
#define _TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Exit codes, as kselftest uses them. */
#define EXIT_PASS	0
#define EXIT_FAIL	1
#define EXIT_USAGE	2
#define EXIT_SKIP	4

/* xoshiro256**: small, fast, and the same sequence on every machine. */
struct rng {
	uint64_t s[4];
};

/* splitmix64 spreads any seed, 0 included, over the whole state. */
static inline void rng_seed(struct rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++) {
		uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		r->s[i] = z ^ (z >> 31);
	}
}

static inline uint64_t rng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rng_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rng_rotl(s[3], 45);
	return result;
}

/* A number in [0, n); n == 0 means the whole 64-bit range. */
static inline uint64_t rng_below(struct rng *r, uint64_t n)
{
	if (!n)
		return rng_next(r);
	return (uint64_t)(((unsigned __int128)rng_next(r) * n) >> 64);
}

/* A number in [lo, hi], inclusive. */
static inline uint64_t rng_range(struct rng *r, uint64_t lo, uint64_t hi)
{
	return lo + rng_below(r, hi - lo + 1);
}

static inline bool rng_percent(struct rng *r, unsigned int pct)
{
	return rng_below(r, 100) < pct;
}

/* The defaults of the options that change what a sequence does. */
#define DEFAULT_FAIL_RATE	1
#define DEFAULT_NOWAIT_FAIL	5
#define DEFAULT_READERS		2

struct test_opts {
	uint64_t seed;
	bool seed_given;
	unsigned long ops;	/* ops per sequence; 0: the suite's default */
	unsigned long seqs;	/* sequences per suite; 0: the suite's default */
	unsigned int timeout;	/* seconds a sequence may take */
	unsigned int jobs;	/* sequences run in parallel */
	unsigned int time;	/* seconds to keep starting sequences (0: no limit) */
	unsigned int shrink_time; /* seconds shrinking may take */
	const char *out_dir;	/* where replay files go */
	int verbose;
	bool bench;
	bool leaks;		/* remember which op allocated each object */
	bool tap;		/* TAP 13 output */
	const char *junit;	/* JUnit XML results go here */
	bool known_bugs;	/* also generate the triggers of known kernel bugs */
	bool dump;		/* replay: dump the tree before the failing op */
	unsigned long dump_before; /* the op to dump the tree before */
	bool trace;		/* print each op as it runs */
	bool layout;		/* print what each op left (vma: the VMAs), to diff runs */
	unsigned long fail_nth;	/* fail the nth allocation of each sequence */
	unsigned int fail_rate;	/* % of blocking allocations to fail */
	unsigned int nowait_fail; /* % of non-blocking allocations to fail */
	unsigned int readers;	/* rcu suite: reader threads */
	bool no_races;		/* a trial: other threads' races are not failures */
	bool one_fault_stream;	/* a version 1 replay: see slab_faults_op() */
};
extern struct test_opts opts;

/*
 * One op of a sequence, as plain data: a type the suite defines, its
 * arguments, and a seed for the choices it makes while it runs.  A sequence
 * of these is what a replay file holds.
 */
struct test_op {
	unsigned int type;
	unsigned long a, b, c;
	uint64_t r;
};

enum fail_kind {
	FAIL_NONE,
	FAIL_CHECK,	/* a check or a kernel WARN */
	FAIL_CRASH,	/* a signal: SIGSEGV, SIGABRT from BUG_ON, ASAN ... */
	FAIL_HANG,	/* the sequence ran past --timeout */
};

/*
 * The sequence running now, in memory shared with the parent: a child that
 * dies mid-op leaves its op log and its first failure here.
 */
struct test_ctx {
	const char *suite;
	uint64_t seed;		/* seed of this sequence: --seed reruns it */
	unsigned long config;	/* the suite's setup of the sequence (tree flags ...) */
	unsigned long op_nr;	/* number of the op running now, from 1 */
	bool failed;
	char where[128];	/* file:line of the first failure: its identity */
	bool racy;		/* it was a race of another thread: a replay may pass */
	char msg[2048];
	bool mid_line;		/* kernel output (stderr) stopped inside a line */
	unsigned long faults;	/* allocation failures injected and survived */
	double started;		/* when this sequence started, by now() */
	/* The sequences this child ran, and passed, before this one. */
	unsigned long passed, passed_ops, passed_faults;
	unsigned long nr_ops;	/* ops logged */
	unsigned long max_ops;	/* room in ops[] */
	struct test_op ops[];
};
extern struct test_ctx *ctx;

void slab_faults_op(const struct test_op *op);

/* Record the op about to run; the suite calls this before applying it. */
static inline void test_log_op(const struct test_op *op)
{
	slab_faults_op(op);
	if (ctx->nr_ops < ctx->max_ops)
		ctx->ops[ctx->nr_ops] = *op;
	ctx->nr_ops++;
	ctx->op_nr = ctx->nr_ops;
}

__attribute__((format(printf, 3, 4)))
void test_fail(const char *file, int line, const char *fmt, ...);

/* Formats an entry for a report: value entries as v(N), others as pointers. */
const char *fmt_entry(char *buf, size_t len, const void *entry);
/*
 * Entries that look like the xarray's internal entries (low bits 10) and
 * name op n: (ENTRY_INTERNAL_BASE + n) << 2 | 2, above the maple tree's
 * reserved range, so storable; fmt_entry() prints them as i(n).
 */
#define ENTRY_INTERNAL_BASE	1024UL

#define ASSERT_TRUE(expr) do {						\
		if (!(expr)) {						\
			test_fail(__FILE__, __LINE__,			\
				  "ASSERT_TRUE(%s) failed", #expr);	\
			return false;					\
		}							\
	} while (0)

#define ASSERT_FALSE(expr) do {						\
		if (expr) {						\
			test_fail(__FILE__, __LINE__,			\
				  "ASSERT_FALSE(%s) failed", #expr);	\
			return false;					\
		}							\
	} while (0)

/* Numbers: expected (value) == seen (value), in decimal and hex. */
#define ASSERT_EQ(seen, expected) do {					\
		unsigned long __s = (unsigned long)(seen);		\
		unsigned long __e = (unsigned long)(expected);		\
		if (__s != __e) {					\
			test_fail(__FILE__, __LINE__,			\
				  "ASSERT_EQ(%s, %s): expected %ld (%#lx), got %ld (%#lx)", \
				  #seen, #expected, (long)__e, __e,	\
				  (long)__s, __s);			\
			return false;					\
		}							\
	} while (0)

/* Entries: printed so that a value entry shows the op that stored it. */
#define ASSERT_ENTRY(seen, expected) do {				\
		const void *__s = (seen), *__e = (expected);		\
		char __bs[32], __be[32];				\
		if (__s != __e) {					\
			test_fail(__FILE__, __LINE__,			\
				  "ASSERT_ENTRY(%s, %s): expected %s, got %s", \
				  #seen, #expected,			\
				  fmt_entry(__be, sizeof(__be), __e),	\
				  fmt_entry(__bs, sizeof(__bs), __s));	\
			return false;					\
		}							\
	} while (0)

/* Fuzzer bytes, read front to back; past the end everything reads as 0. */
struct fuzz_input {
	const uint8_t *data;
	size_t size;
};

static inline uint8_t fuzz_byte(struct fuzz_input *in)
{
	if (!in->size)
		return 0;
	in->size--;
	return *in->data++;
}

/* LEB128: small numbers cost one byte, any 64-bit one at most ten. */
static inline uint64_t fuzz_number(struct fuzz_input *in)
{
	uint64_t v = 0;
	int shift;

	for (shift = 0; shift < 64 && in->size; shift += 7) {
		uint8_t b = fuzz_byte(in);

		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			break;
	}
	return v;
}

/*
 * A suite.  run() generates and applies one sequence from ctx->seed,
 * logging each op and setting ctx->config; replay() applies logged ops
 * under ctx->config.  Both return true if every check passed.
 */
struct suite {
	const char *name;
	const char *desc;
	unsigned long default_ops;
	/*
	 * Without --ops, one sequence in LONG_EVERY (by its seed) runs this
	 * many ops, if not 0: most bugs show at a tree configuration, which
	 * short sequences try more of, and some only in tall trees.
	 */
	unsigned long long_ops;
	unsigned int default_time;	/* seconds a default run gives it */
	const char *(*op_name)(unsigned int type);
	unsigned int nr_op_types;
	bool (*run)(unsigned long ops);
	bool (*replay)(const struct test_op *ops, unsigned long n);
	/* Ops decoded from a fuzzer's bytes, logged like the others. */
	bool (*fuzz)(struct fuzz_input *in);
	/* Whether this tree has the op (replays from other trees may not). */
	bool (*has_op)(unsigned int type);
	/* A line for reports: the op and the state it ran in. */
	void (*describe)(const struct test_op *op, char *buf, size_t len);
	void (*bench)(unsigned long ops);
	void (*list_ops)(FILE *f);
	/* Why this tree cannot run the suite; NULL if it can. */
	const char *skip;
};

#define LONG_EVERY	4

/* How many ops the sequence of this seed runs (--ops, or as above). */
static inline unsigned long suite_ops(const struct suite *s, uint64_t seed,
				      unsigned long ops)
{
	if (ops)
		return ops;
	/* The seed's high bits, Fibonacci-hashed: not its PRNG's draws. */
	if (s->long_ops && ((seed * 0x9e3779b97f4a7c15ULL) >> 32) % LONG_EVERY == 0)
		return s->long_ops;
	return s->default_ops;
}

extern const struct suite maple_suite;
extern const struct suite vma_suite;
extern const struct suite rcu_suite;

/* Kernel code's WARNs and printk output, counted per sequence (kernel.c). */
extern unsigned int kernel_warnings;
/*
 * Set by a thread that is not the sequence's own (an rcu reader): a WARN
 * or debug check in kernel code it runs is that thread's race, and this
 * says what it was doing; it returns true for a WARN (cond, NULL for a
 * debug check) that a known kernel bug explains, which is then let by.
 */
extern __thread bool (*warn_thread)(const char *cond, char *buf, size_t len);
/*
 * The condition of a WARN the running op provokes on purpose (misuse the
 * API must refuse): kernel_warn() counts it in warn_expected_seen instead
 * of failing, on this thread only.
 */
extern __thread const char *warn_expected;
extern __thread unsigned int warn_expected_seen;
extern unsigned long printk_budget;
void kernel_reset(void);
/* Hand each whole line of kernel output to fn (NULL: print again). */
void printk_capture(void (*fn)(const char *line, void *arg), void *arg);
/* Once per process: RCU registration and the kernel's init calls. */
void kernel_init(void);

#endif
