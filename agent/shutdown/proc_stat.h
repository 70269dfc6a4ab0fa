/* Pure parsers of /proc/<pid>/stat and /proc/<pid>/status (no I/O): the fields the shutdown's
 * process walk needs. Both files are read without touching the process's memory (unlike
 * cmdline, which takes its mm lock and can block behind a fault on a dead NFS server). */
#ifndef GHOST_PROC_STAT_H
#define GHOST_PROC_STAT_H

#include <stddef.h>

#define PROC_PF_KTHREAD 0x00200000u /* the kernel's PF_KTHREAD in the flags field */

struct proc_stat {
	char state; /* R S D Z T ... */
	int ppid;
	unsigned flags;
	unsigned long long starttime; /* field 22, clock ticks since boot: a pid reused is new */
};

/* Parses "pid (comm) state ppid pgrp session tty tpgid flags ...": comm may hold spaces and
 * parentheses, so the fields are found after the last ')'. Returns 0 or -EINVAL. */
int proc_stat_parse(const char *buf, size_t len, struct proc_stat *out);

/* The real uid from status's "Uid:\t<real>\t<effective>\t<saved>\t<fs>" line: 0, -ENOENT
 * without that line, -EINVAL when it is malformed. */
int proc_status_uid(const char *buf, size_t len, unsigned *uid);

#endif
