/* SPDX-License-Identifier: GPL-2.0 */
/* printk goes to stderr through the harness, which bounds how much it prints. */
#ifndef _STUB_LINUX_PRINTK_H
#define _STUB_LINUX_PRINTK_H

#include <linux/compiler.h>

__printf(1, 2) int printk(const char *fmt, ...);

#define pr_emerg(fmt, ...)	printk(fmt, ##__VA_ARGS__)
#define pr_crit(fmt, ...)	printk(fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(fmt, ##__VA_ARGS__)
#define pr_notice(fmt, ...)	printk(fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(fmt, ##__VA_ARGS__)
#define pr_cont(fmt, ...)	printk(fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	do { if (0) printk(fmt, ##__VA_ARGS__); } while (0)
#define pr_warn_once		pr_warn
#define pr_info_once		pr_info

#endif
