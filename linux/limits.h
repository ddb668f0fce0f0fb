/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _STUB_LINUX_LIMITS_H
#define _STUB_LINUX_LIMITS_H
/* glibc's <limits.h> includes the UAPI <linux/limits.h>: pass it on. */
#include_next <linux/limits.h>
#include <limits.h>
#include <stdint.h>
#ifndef U8_MAX
#define U8_MAX		((u8)~0U)
#define U16_MAX		((u16)~0U)
#define U32_MAX		((u32)~0U)
#define U64_MAX		((u64)~0ULL)
#endif
#endif
