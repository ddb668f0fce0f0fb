/* SPDX-License-Identifier: GPL-2.0 */
/* Forked sequences, shrinking and replay files (runner.c, replay.c). */
#ifndef _RUNNER_H
#define _RUNNER_H

#include "test.h"

double now(void);
long peak_rss_kib(void);
struct test_ctx *ctx_new(unsigned long max_ops);
void ctx_alloc(unsigned long max_ops);
void ctx_reset(const char *suite, uint64_t seed);

enum fail_kind run_replay(const struct suite *s, uint64_t seed,
			  unsigned long config, const struct test_op *ops,
			  unsigned long n, unsigned int timeout, bool quiet);

/* Sequences run by run_pool(), and what came of them. */
struct pool {
	uint64_t first;		/* seed of the first sequence */
	unsigned long count;	/* sequences to run at most */
	double until;		/* stop starting new ones then (0: never) */
	unsigned long done, failed, ops, faults;
	struct test_ctx *failing;
};
enum fail_kind run_pool(const struct suite *s, unsigned long nops,
			unsigned int jobs, struct pool *p);

enum fail_kind run_fuzz(const struct suite *s, const uint8_t *data,
		       size_t size);

/* What a shrunk sequence must still do: fail the same way. */
struct shrink {
	const struct suite *suite;
	uint64_t seed;
	unsigned long config;
	enum fail_kind kind;
	const char *where;
	bool racy;	/* the failure was a race another thread lost */
};
unsigned long shrink(const struct shrink *sh, struct test_op *ops,
		     unsigned long n);

/* A replay file: the ops of one sequence and what they ran on. */
struct replay {
	const struct suite *suite;
	uint64_t seed;
	unsigned long config;
	char kernel[64];
	struct test_op *ops;
	unsigned long n;
};
int replay_write(const char *path, const struct replay *rp, const char *why);
/* Each option that changes a sequence and is not at its default, to f. */
void stream_opts_print(FILE *f, const char *flag_fmt, const char *val_fmt);
/* Returns 0, or prints what is wrong with the file and returns -1. */
int replay_read(const char *path, struct replay *rp,
		const struct suite *const *suites, size_t nr_suites);

#endif
