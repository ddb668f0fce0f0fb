/* SPDX-License-Identifier: GPL-2.0 */
/* Tracepoints compile away; the arguments are still evaluated for type checks. */
#ifndef _STUB_TRACE_MAPLE_TREE_H
#define _STUB_TRACE_MAPLE_TREE_H
#define tracepoint_string(s)	(s)
#define trace_ma_op(fn, mas)		do { (void)(fn); (void)(mas); } while (0)
#define trace_ma_read(fn, mas)		do { (void)(fn); (void)(mas); } while (0)
#define trace_ma_write(fn, mas, piv, val) \
	do { (void)(fn); (void)(mas); (void)(piv); (void)(val); } while (0)
#endif
