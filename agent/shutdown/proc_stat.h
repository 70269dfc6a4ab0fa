/* Pure parser of /proc/<pid>/stat (no I/O): the fields the shutdown's process walk needs. */
#ifndef GHOST_PROC_STAT_H
#define GHOST_PROC_STAT_H

#include <stddef.h>

#define PROC_PF_KTHREAD 0x00200000u /* the kernel's PF_KTHREAD in the flags field */

struct proc_stat {
	char state; /* R S D Z T ... */
	int ppid;
	unsigned flags;
};

/* Parses "pid (comm) state ppid pgrp session tty tpgid flags ...": comm may hold spaces and
 * parentheses, so the fields are found after the last ')'. Returns 0 or -EINVAL. */
int proc_stat_parse(const char *buf, size_t len, struct proc_stat *out);

#endif
