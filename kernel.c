// SPDX-License-Identifier: GPL-2.0
/*
 * What the stub headers call into: printk, WARN, BUG and dump_stack.  Kernel
 * code that reports a problem fails the running check with the kernel's own
 * words; a BUG aborts, which the harness reports with the reproducer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/maple_tree.h>
#include "test.h"

unsigned int kernel_warnings;
__thread unsigned int spin_held;
__thread unsigned long spin_releases;

/* spin_unlock(): a thread must hold a spinlock to release one. */
void spin_release(void)
{
	spin_releases++;
	if (!WARN_ON(!spin_held))
		spin_held--;
}

__thread void (*spin_acquire_hook)(spinlock_t *lock);

/* spin_lock(): CONFIG_DEBUG_SPINLOCK's "spinlock bad magic". */
void spin_acquire(spinlock_t *lock)
{
	WARN(lock->magic != SPINLOCK_MAGIC, "spinlock bad magic: %#x",
	     lock->magic);
	if (unlikely(spin_acquire_hook))
		spin_acquire_hook(lock);
}

/* Lines of kernel output still allowed in this sequence: a tree dump of a
 * big tree would bury the report. */
unsigned long printk_budget;
static unsigned long printk_dropped;
/* The kernel's own words for its last debug check failure ("BUG at ..."). */
static char bug_line[160];
/* A tree dump's node lines run to about 700 characters. */
static char line[1024];
static size_t line_len;
/* While set, whole lines of kernel output go here instead of stderr. */
static void (*capture)(const char *line, void *arg);
static void *capture_arg;

#define PRINTK_LINES	400

void kernel_reset(void)
{
	kernel_warnings = 0;
	capture = NULL;
	printk_budget = opts.verbose ? ~0UL : PRINTK_LINES;
	printk_dropped = 0;
	bug_line[0] = 0;
	line_len = 0;
}

/* Keep the line being printed, and the last one that names a failed check. */
static void remember_line(const char *fmt, va_list ap)
{
	char chunk[1024];
	const char *c;

	vsnprintf(chunk, sizeof(chunk), fmt, ap);
	for (c = chunk; *c; c++) {
		if (*c != '\n') {
			if (line_len < sizeof(line) - 1)
				line[line_len++] = *c;
			continue;
		}
		line[line_len] = 0;
		if (!strncmp(line, "BUG at", 6) || !strncmp(line, "WARN at", 7))
			snprintf(bug_line, sizeof(bug_line), "%.159s", line);
		if (capture)
			capture(line, capture_arg);
		line_len = 0;
	}
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	remember_line(fmt, ap);
	va_end(ap);
	if (capture)
		return 0;
	if (!printk_budget) {
		if (!printk_dropped++)
			fprintf(stderr, "[kernel output truncated; -v shows all]\n");
		return 0;
	}
	if (strchr(fmt, '\n'))
		printk_budget--;
	va_start(ap, fmt);
	n = vfprintf(stderr, fmt, ap);
	va_end(ap);
	/* A child that dies now leaves the line open for the FAIL report. */
	if (ctx)
		ctx->mid_line = line_len != 0;
	return n;
}

void printk_capture(void (*fn)(const char *line, void *arg), void *arg)
{
	capture = fn;
	capture_arg = arg;
	line_len = 0;
}

__thread bool (*warn_thread)(const char *cond, char *buf, size_t len);

/*
 * Another thread's WARN is its race: shrinking must not take it for the
 * sequence's own failure (runner.c), and the report says what it read.
 * Returns NULL for a WARN that thread lets by (a known bug).
 */
static const char *warn_where(const char *cond, char *buf, size_t len)
{
	buf[0] = 0;
	if (warn_thread) {
		if (warn_thread(cond, buf, len))
			return NULL;
		if (!ctx->failed)
			ctx->racy = true;
	}
	return buf;
}

__thread const char *warn_expected;
__thread unsigned int warn_expected_seen;

void kernel_warn(const char *file, int line, const char *cond)
{
	char buf[256];
	const char *where;

	if (warn_expected && !strcmp(cond, warn_expected)) {
		warn_expected_seen++;
		return;
	}
	where = warn_where(cond, buf, sizeof(buf));

	if (!where)
		return;
	kernel_warnings++;
	test_fail(file, line, "kernel WARNING: WARN_ON(%s)%s", cond, where);
}

void kernel_bug(const char *file, int line, const char *cond)
{
	test_fail(file, line, "kernel BUG: BUG_ON(%s)", cond);
	abort();
}

/*
 * With CONFIG_DEBUG_MAPLE_TREE, MT_BUG_ON() and friends print what failed
 * and call dump_stack() instead of stopping: that is the failure we count.
 */
void dump_stack(void)
{
	char where[256];

	kernel_warnings++;
	test_fail("kernel", 0, "kernel debug check failed: %s%s",
		  bug_line[0] ? bug_line : "(MT_BUG_ON/MT_WARN_ON, see the output above)",
		  warn_where(NULL, where, sizeof(where)));
}

void kernel_init(void)
{
	rcu_register_thread();
	maple_tree_init();
}
