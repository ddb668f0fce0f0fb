// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the reference model against a brute-force array with one
 * slot per index, on small windows at both ends of the index space.  Runs in
 * `make check`.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "model.h"
#include "test.h"

#define N	40

/* The brute force: for each index of the window, its entry and range. */
struct brute {
	unsigned long base;	/* first index of the window */
	bool high;		/* the window ends at ULONG_MAX */
	void *entry[N];
	unsigned long first[N];
	unsigned long last[N];
};

struct test_opts opts;
struct test_ctx *ctx;

void test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const char *fmt_entry(char *buf, size_t len, const void *entry)
{
	snprintf(buf, len, "%p", entry);
	return buf;
}

static void brute_store(struct brute *b, unsigned long i, unsigned long j,
			void *entry)
{
	unsigned long k;

	/* The range holding i loses [i, ...], the one holding j loses [..., j]. */
	for (k = 0; k < i; k++)
		if (b->entry[k] && b->last[k] >= b->base + i)
			b->last[k] = b->base + i - 1;
	for (k = j + 1; k < N; k++)
		if (b->entry[k] && b->first[k] <= b->base + j)
			b->first[k] = b->base + j + 1;
	for (k = i; k <= j; k++) {
		b->entry[k] = entry;
		b->first[k] = b->base + i;
		b->last[k] = b->base + j;
	}
}

static bool check_ranges(struct model *m, struct brute *b)
{
	unsigned long n, k, i = 0;
	struct model_range *r = model_ranges(m, &n);
	bool ok = false;

	for (k = 0; k < N; k++) {
		if (!b->entry[k] || b->first[k] != b->base + k)
			continue;
		if (i >= n || r[i].first != b->first[k] ||
		    r[i].last != b->last[k] || r[i].entry != b->entry[k])
			goto out;
		i++;
	}
	ok = i == n && n == m->count;
out:
	free(r);
	return ok;
}

/* Whether window index k is in the window's space and free. */
static bool brute_free(struct brute *b, unsigned long k)
{
	return !b->entry[k];
}

static bool check_queries(struct model *m, struct brute *b, struct rng *rng)
{
	unsigned long k = rng_below(rng, N), idx = b->base + k, i;
	unsigned long min = rng_below(rng, N), max = rng_below(rng, N);
	unsigned long size = rng_range(rng, 1, 8), start, gf, gl, want, hint;
	struct model_range r;
	bool found;

	/* lookup */
	found = model_lookup(m, idx, &r);
	ASSERT_EQ(found, b->entry[k] != NULL);
	if (found) {
		ASSERT_EQ(r.first, b->first[k]);
		ASSERT_EQ(r.last, b->last[k]);
		ASSERT_TRUE(r.entry == b->entry[k]);
	}
	/* lookup from a hint anywhere: near, far, or past the end */
	hint = rng_below(rng, 4) ? rng_below(rng, m->count + 4) : ULONG_MAX;
	found = model_lookup_at(m, &hint, idx, &r);
	ASSERT_EQ(found, b->entry[k] != NULL);
	if (found) {
		ASSERT_EQ(r.first, b->first[k]);
		ASSERT_EQ(r.last, b->last[k]);
	}
	/* find: the first range ending at or after idx */
	for (i = k; i < N && !b->entry[i]; i++)
		;
	found = model_find(m, idx, &r);
	ASSERT_EQ(found, i < N);
	if (found)
		ASSERT_EQ(r.last, b->last[i]);
	/* find_rev: the last range starting at or before idx */
	for (i = k + 1; i-- > 0 && !b->entry[i];)
		;
	found = model_find_rev(m, idx, &r);
	ASSERT_EQ(found, i != ULONG_MAX);
	if (found)
		ASSERT_EQ(r.first, b->first[i]);
	/* gap: the low window has nothing above it, the high one below */
	found = model_gap(m, idx, &gf, &gl);
	ASSERT_EQ(found, brute_free(b, k));
	if (found) {
		for (i = k; i > 0 && brute_free(b, i - 1); i--)
			;
		ASSERT_EQ(gf, i == 0 && b->high ? 0 : b->base + i);
		for (i = k; i + 1 < N && brute_free(b, i + 1); i++)
			;
		ASSERT_EQ(gl, i == N - 1 && !b->high ? ULONG_MAX : b->base + i);
	}
	/* any */
	if (min <= max) {
		for (i = min; i <= max && brute_free(b, i); i++)
			;
		ASSERT_EQ(model_any(m, b->base + min, b->base + max), i <= max);
	}
	/* empty_area: lowest start of size free indices in [min, max] */
	want = ULONG_MAX;
	for (i = min; min <= max && i + size - 1 <= max; i++) {
		unsigned long j;

		for (j = i; j < i + size && brute_free(b, j); j++)
			;
		if (j == i + size) {
			want = i;
			break;
		}
	}
	found = model_empty_area(m, b->base + min, b->base + max, size, &start);
	ASSERT_EQ(found, want != ULONG_MAX);
	if (found)
		ASSERT_EQ(start, b->base + want);
	/* empty_area_rev: highest such start */
	want = ULONG_MAX;
	for (i = max + 1; min <= max && i-- > min;) {
		unsigned long j;

		if (i + size - 1 > max)
			continue;
		for (j = i; j < i + size && brute_free(b, j); j++)
			;
		if (j == i + size) {
			want = i;
			break;
		}
	}
	found = model_empty_area_rev(m, b->base + min, b->base + max, size, &start);
	ASSERT_EQ(found, want != ULONG_MAX);
	if (found)
		ASSERT_EQ(start, b->base + want);
	return true;
}

static bool test_window(unsigned long base, bool high, uint64_t seed)
{
	struct brute b = { .base = base, .high = high };
	struct model m;
	struct rng rng;
	unsigned long op;

	rng_seed(&rng, seed);
	model_init(&m);
	for (op = 1; op <= 20000; op++) {
		unsigned long i = rng_below(&rng, N);
		unsigned long j = i + rng_below(&rng, rng_percent(&rng, 80) ? 4 : N - i);
		void *entry = rng_percent(&rng, 30) ? NULL : (void *)(op << 1 | 1);

		if (j >= N)
			j = N - 1;
		brute_store(&b, i, j, entry);
		model_store(&m, base + i, base + j, entry);
		if (!check_ranges(&m, &b)) {
			fprintf(stderr, "model ranges differ from brute force after op %lu\n", op);
			return false;
		}
		if (!check_queries(&m, &b, &rng)) {
			fprintf(stderr, "  after op %lu (window at %#lx)\n", op, base);
			return false;
		}
	}
	model_destroy(&m);
	if (m.count != 0) {
		fprintf(stderr, "model_destroy left %lu ranges\n", m.count);
		return false;
	}
	return true;
}

/* A store over the whole index space, and over its very ends. */
static bool test_edges(void)
{
	struct model m;
	struct model_range r;
	unsigned long gf, gl;

	model_init(&m);
	model_store(&m, 0, ULONG_MAX, (void *)1);
	ASSERT_EQ(m.count, 1);
	ASSERT_TRUE(model_lookup(&m, ULONG_MAX, &r));
	model_store(&m, ULONG_MAX, ULONG_MAX, NULL);
	model_store(&m, 0, 0, NULL);
	ASSERT_EQ(m.count, 1);
	ASSERT_TRUE(model_lookup(&m, 1, &r));
	ASSERT_EQ(r.first, 1);
	ASSERT_EQ(r.last, ULONG_MAX - 1);
	ASSERT_TRUE(model_gap(&m, ULONG_MAX, &gf, &gl));
	ASSERT_EQ(gf, ULONG_MAX);
	ASSERT_EQ(gl, ULONG_MAX);
	model_store(&m, 5, 5, (void *)3);
	ASSERT_EQ(m.count, 3);
	model_store(&m, 0, ULONG_MAX, NULL);
	ASSERT_EQ(m.count, 0);
	ASSERT_FALSE(model_find(&m, 0, &r));
	ASSERT_TRUE(model_empty_area(&m, 0, ULONG_MAX, ULONG_MAX, &gf));
	ASSERT_EQ(gf, 0);
	ASSERT_TRUE(model_empty_area_rev(&m, 0, ULONG_MAX, 2, &gf));
	ASSERT_EQ(gf, ULONG_MAX - 1);
	model_destroy(&m);
	return true;
}

int main(void)
{
	int seed;

	if (!test_edges())
		return EXIT_FAIL;
	for (seed = 1; seed <= 5; seed++) {
		if (!test_window(0, false, seed) ||
		    !test_window(ULONG_MAX - N + 1, true, seed))
			return EXIT_FAIL;
	}
	printf("model_test: ok\n");
	return EXIT_PASS;
}
