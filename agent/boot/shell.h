/* The BusyBox rescue shell (rd.shell, rd.break, the fatal path). */
#ifndef GHOST_SHELL_H
#define GHOST_SHELL_H

#define SHELL_PATH "/bin/sh"

/* Runs an interactive shell on the console and returns when it exits: 0, or -ENOENT when the
 * image has no shell (built with --no-busybox). */
int shell_run(const char *why);

#endif
