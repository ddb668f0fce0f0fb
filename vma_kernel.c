// SPDX-License-Identifier: GPL-2.0
/*
 * The tree's own mm/vma.c, compiled against our vma_internal.h.  Its
 * #include "vma_internal.h" finds the kernel's header next to it first;
 * generated/vma_guard.h has defined that header's include guard, so it is
 * empty and ours, included here, stands in for it.  A tree without mm/vma.c
 * (6.1) compiles nothing here, and the VMA suite says it is skipped.
 */
#include <generated/features.h>
#ifdef HAVE_MM_VMA_C
#include "vma_internal.h"
#include <generated/src/mm/vma.c>
#endif
