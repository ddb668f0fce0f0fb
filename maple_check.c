// SPDX-License-Identifier: GPL-2.0
/* Checks of a maple tree against the reference model (maple_check.h). */
#include <stdlib.h>
#include <linux/kernel.h>
#include <linux/maple_tree.h>
#include "maple_check.h"
#include "test.h"

bool check_load(struct maple_tree *mt, const struct model *m,
		unsigned long index)
{
	struct model_range want;
	void *expect = NULL, *seen;
	char e[32], g[32];

	if (model_lookup(m, index, &want))
		expect = want.entry;
	seen = mtree_load(mt, index);
	if (seen != expect) {
		test_fail(__FILE__, __LINE__, "mtree_load(%#lx): expected %s, got %s",
			  index, fmt_entry(e, sizeof(e), expect),
			  fmt_entry(g, sizeof(g), seen));
		return false;
	}
	return true;
}

/* The edges of a write and of its neighbours are where a wrong pivot shows. */
bool check_edges(struct maple_tree *mt, const struct model *m,
		 unsigned long first, unsigned long last)
{
	if (first && !check_load(mt, m, first - 1))
		return false;
	if (!check_load(mt, m, first) || !check_load(mt, m, last))
		return false;
	return last == ULONG_MAX || check_load(mt, m, last + 1);
}

bool check_whole(struct maple_tree *mt, const struct model *m)
{
	unsigned long n, i = 0;
	struct model_range *want = model_ranges(m, &n);
	MA_STATE(mas, mt, 0, 0);
	bool ok = false;
	char e[32], s[32];
	void *entry;

	rcu_read_lock();
	mas_for_each(&mas, entry, ULONG_MAX) {
		if (i >= n) {
			test_fail(__FILE__, __LINE__,
				  "tree has an entry the model has not: [%#lx, %#lx] %s",
				  mas.index, mas.last, fmt_entry(s, sizeof(s), entry));
			goto out;
		}
		if (mas.index != want[i].first || mas.last != want[i].last ||
		    entry != want[i].entry) {
			test_fail(__FILE__, __LINE__,
				  "range %lu: expected [%#lx, %#lx] %s, got [%#lx, %#lx] %s",
				  i, want[i].first, want[i].last,
				  fmt_entry(e, sizeof(e), want[i].entry),
				  mas.index, mas.last, fmt_entry(s, sizeof(s), entry));
			goto out;
		}
		i++;
	}
	if (i != n) {
		test_fail(__FILE__, __LINE__,
			  "tree ends after %lu ranges, model has %lu; next expected [%#lx, %#lx]",
			  i, n, want[i].first, want[i].last);
		goto out;
	}
	ok = true;
out:
	rcu_read_unlock();
	free(want);
	if (!ok)
		return false;
	mt_validate(mt);
	return !__atomic_load_n(&ctx->failed, __ATOMIC_RELAXED);
}
