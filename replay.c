// SPDX-License-Identifier: GPL-2.0
/*
 * Replay files: plain text, one op per line, readable by a person and by
 * every later version of ./maple.  See README for the format.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <generated/version.h>
#include <linux/kernel.h>
#include "runner.h"

#define REPLAY_VERSION	2

static bool parse_ulong(const char *tok, unsigned long *v)
{
	char *end;

	if (!tok || tok[0] == '-')
		return false;
	errno = 0;
	*v = strtoul(tok, &end, 0);
	return !errno && end != tok && !*end;
}

/*
 * The options that change what a seed's sequence does, besides --ops (a
 * replay holds its ops) and --readers (its config holds them): a replay
 * file records each one not at its default, under the option's name, and
 * a failure's reproduce: line gives it.  Ops that hit a known kernel bug
 * only replay as they ran with it, and with the fault injection they ran
 * with.
 */
enum { OPT_FLAG, OPT_ULONG, OPT_PERCENT };
static const struct stream_opt {
	const char *name;
	int kind;
	void *val;
	unsigned long def;
} stream_opts[] = {
	{ "known-bugs", OPT_FLAG, &opts.known_bugs, false },
	{ "fail-nth", OPT_ULONG, &opts.fail_nth, 0 },
	{ "fail-rate", OPT_PERCENT, &opts.fail_rate, DEFAULT_FAIL_RATE },
	{ "nowait-fail", OPT_PERCENT, &opts.nowait_fail, DEFAULT_NOWAIT_FAIL },
};

static unsigned long stream_opt_get(const struct stream_opt *o)
{
	switch (o->kind) {
	case OPT_FLAG:
		return *(bool *)o->val;
	case OPT_ULONG:
		return *(unsigned long *)o->val;
	default:
		return *(unsigned int *)o->val;
	}
}

void stream_opts_print(FILE *f, const char *flag_fmt, const char *val_fmt)
{
	const struct stream_opt *o;

	for (o = stream_opts; o < stream_opts + ARRAY_SIZE(stream_opts); o++) {
		unsigned long v = stream_opt_get(o);

		if (v == o->def)
			continue;
		if (o->kind == OPT_FLAG)
			fprintf(f, flag_fmt, o->name);
		else
			fprintf(f, val_fmt, o->name, v);
	}
}

static int bad(const char *path, unsigned int line, const char *what,
	       const char *arg)
{
	fprintf(stderr, "maple: %s:%u: %s%s%s\n", path, line, what,
		arg ? ": " : "", arg ? arg : "");
	return -1;
}

/* A stream option's line of a replay file: 1 if key names none. */
static int stream_opt_read(const char *path, unsigned int line,
			   const char *key, const char *arg)
{
	const struct stream_opt *o;
	unsigned long v;
	char what[64];

	for (o = stream_opts; o < stream_opts + ARRAY_SIZE(stream_opts); o++)
		if (!strcmp(key, o->name))
			break;
	if (o == stream_opts + ARRAY_SIZE(stream_opts))
		return 1;
	switch (o->kind) {
	case OPT_FLAG:
		*(bool *)o->val = true;
		return 0;
	case OPT_ULONG:
		if (!parse_ulong(arg, &v))
			break;
		*(unsigned long *)o->val = v;
		return 0;
	default:
		if (!parse_ulong(arg, &v) || v > 100)
			break;
		*(unsigned int *)o->val = v;
		return 0;
	}
	snprintf(what, sizeof(what), "bad %s%s", o->name,
		 o->kind == OPT_PERCENT ? " (not a percentage)" : "");
	return bad(path, line, what, arg);
}

int replay_write(const char *path, const struct replay *rp, const char *why)
{
	const struct suite *s = rp->suite;
	FILE *f = fopen(path, "w");
	unsigned long i;

	if (!f) {
		fprintf(stderr, "maple: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "# maple-harness replay: ./maple --replay %s\n", path);
	if (why)
		fprintf(f, "# %s\n", why);
	fprintf(f, "version %d\nsuite %s\nkernel %s\nseed %llu\nconfig %#lx\n",
		REPLAY_VERSION, s->name, KVER_STRING,
		(unsigned long long)rp->seed, rp->config);
	/* And with the options it ran with that change a sequence. */
	stream_opts_print(f, "%s yes\n", "%s %lu\n");
	fprintf(f, "# op a b c r\n");
	for (i = 0; i < rp->n; i++) {
		const struct test_op *op = &rp->ops[i];

		fprintf(f, "%s %#lx %#lx %#lx %#llx\n", s->op_name(op->type),
			op->a, op->b, op->c, (unsigned long long)op->r);
	}
	if (fclose(f)) {
		fprintf(stderr, "maple: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static const struct suite *suite_named(const char *name,
				       const struct suite *const *suites,
				       size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (!strcmp(suites[i]->name, name))
			return suites[i];
	return NULL;
}

static int parse_op(const char *path, unsigned int line, char *name,
		    char *first, struct replay *rp)
{
	const struct suite *s = rp->suite;
	unsigned long v[4];
	struct test_op op;
	unsigned int t;
	int i;

	if (!s)
		return bad(path, line, "op before the 'suite' line", name);
	for (t = 0; t < s->nr_op_types; t++)
		if (s->op_name(t) && !strcmp(s->op_name(t), name))
			break;
	if (t == s->nr_op_types)
		return bad(path, line, "unknown op", name);
	if (!s->has_op(t)) {
		fprintf(stderr, "maple: %s:%u: op %s is not available in kernel %s (recorded on %s)\n",
			path, line, name, KVER_STRING, rp->kernel);
		return -1;
	}
	for (i = 0; i < 4; i++)
		if (!parse_ulong(i ? strtok(NULL, " \t\n") : first, &v[i]))
			return bad(path, line, "expected four numbers after the op", name);
	if (strtok(NULL, " \t\n"))
		return bad(path, line, "more than four numbers after the op", name);
	op = (struct test_op){ .type = t, .a = v[0], .b = v[1], .c = v[2], .r = v[3] };
	if (rp->n % 1024 == 0) {
		rp->ops = realloc(rp->ops, (rp->n + 1024) * sizeof(op));
		if (!rp->ops)
			abort();
	}
	rp->ops[rp->n++] = op;
	return 0;
}

int replay_read(const char *path, struct replay *rp,
		const struct suite *const *suites, size_t nr_suites)
{
	FILE *f = fopen(path, "r");
	unsigned int line = 0;
	char buf[512];
	bool version = false, seed = false, config = false;
	int ret = 0;

	memset(rp, 0, sizeof(*rp));
	snprintf(rp->kernel, sizeof(rp->kernel), "an unknown kernel");
	if (!f) {
		fprintf(stderr, "maple: cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (!ret && fgets(buf, sizeof(buf), f)) {
		char *key, *arg;
		unsigned long v;
		int r;

		line++;
		if (!strchr(buf, '\n') && !feof(f)) {
			ret = bad(path, line, "line too long", NULL);
			break;
		}
		key = strtok(buf, " \t\n");
		if (!key || key[0] == '#')
			continue;
		arg = strtok(NULL, " \t\n");
		r = stream_opt_read(path, line, key, arg);
		if (r <= 0) {
			ret = r;
			continue;
		}
		/* A header line, or else an op. */
		if (!strcmp(key, "version")) {
			if (!parse_ulong(arg, &v) || !v || v > REPLAY_VERSION)
				ret = bad(path, line, "unsupported version", arg);
			/* Version 1 had one stream of allocation failures. */
			opts.one_fault_stream = v == 1;
			version = true;
		} else if (!strcmp(key, "suite")) {
			rp->suite = arg ? suite_named(arg, suites, nr_suites) : NULL;
			if (!rp->suite)
				ret = bad(path, line, "unknown suite", arg);
		} else if (!strcmp(key, "kernel")) {
			if (arg)
				snprintf(rp->kernel, sizeof(rp->kernel), "%s", arg);
		} else if (!strcmp(key, "seed")) {
			seed = parse_ulong(arg, &v);
			rp->seed = v;
			if (!seed)
				ret = bad(path, line, "bad seed", arg);
		} else if (!strcmp(key, "config")) {
			config = parse_ulong(arg, &rp->config);
			if (!config)
				ret = bad(path, line, "bad config", arg);
		} else {
			ret = parse_op(path, line, key, arg, rp);
		}
	}
	if (!ret && ferror(f))
		ret = bad(path, line, "read error", strerror(errno));
	fclose(f);
	if (!ret && (!version || !rp->suite || !seed || !config))
		ret = bad(path, line, "missing header line",
			  !version ? "version" : !rp->suite ? "suite" :
			  !seed ? "seed" : "config");
	if (ret) {
		free(rp->ops);
		rp->ops = NULL;
	}
	return ret;
}
