/* SPDX-License-Identifier: GPL-2.0 */
/* No modules in userspace: exports are no-ops. */
#ifndef _STUB_LINUX_EXPORT_H
#define _STUB_LINUX_EXPORT_H
#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)
#endif
