/* SPDX-License-Identifier: GPL-2.0 */
/* Checks of a maple tree against the reference model, for every suite. */
#ifndef _MAPLE_CHECK_H
#define _MAPLE_CHECK_H

#include <stdbool.h>
#include <linux/maple_tree.h>
#include <generated/features.h>
#include "model.h"

/* mtree_load(index) against the model. */
bool check_load(struct maple_tree *mt, struct model *m,
		unsigned long index);

/* After a write to [first, last]: its ends and its neighbours' ends. */
bool check_edges(struct maple_tree *mt, struct model *m,
		 unsigned long first, unsigned long last);

/* The whole tree, range by range, against the model; then mt_validate(). */
bool check_whole(struct maple_tree *mt, struct model *m);

/* mt_dump() (dec or hex, where the tree has both) read back against the model. */
bool check_dump(struct maple_tree *mt, struct model *m, bool dec);

/*
 * After mt_set_in_rcu() or mt_clear_in_rcu() on a tree whose flags were
 * flags: MT_FLAGS_USE_RCU must have flipped and no other flag changed.
 * The flags are read and written back whole, so on a tree with its own
 * lock that must be taken around it (released once since released), or
 * a writer's change of the height at the same time would be lost.  The
 * flags are read directly: mt_in_rcu() is the header's too.
 */
bool check_rcu_toggle(struct maple_tree *mt, unsigned int flags,
		      unsigned long released);

#ifdef HAVE_MAS_STATUS
/* "ma_active" for ma_active, and so on: a state's status in a report. */
const char *mas_status_name(enum maple_status st);
#endif

#ifdef HAVE_MAS_DUMP
/* mas_wr_dump(wr) and mas_dump(wr->mas) read back against their fields. */
bool check_mas_dump(const struct ma_wr_state *wr);
#endif

#endif
