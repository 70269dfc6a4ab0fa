/* The process part of the shutdown: which processes to spare, the /proc walk, and one signal
 * round (send, then wait for them to go with a deadline). */
#ifndef GHOST_KILL_ALL_H
#define GHOST_KILL_ALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "shutdown/proc_stat.h"
#include "shutdown/shutdown_ops.h"

#define KILL_ALL_MAX 4096 /* processes signalled per round */

/* Policy, pure: spare PID 1, ourselves, kernel threads (PF_KTHREAD, or children of kthreadd),
 * zombies, and processes whose argv[0] starts with '@' (cmdline: the raw /proc/<pid>/cmdline). */
bool kill_all_spare(pid_t pid, pid_t self, const struct proc_stat *st, const char *cmdline,
		    size_t cmdline_len);

/* The /proc walk with that policy (shutdown_ops_real.list_pids). */
int kill_all_list(pid_t *pids, unsigned cap);

/* Sends sig to every listed process (SIGCONT too after SIGTERM, so stopped ones can act on
 * it), then waits until the list is empty or the deadline passes, reaping. Returns how many
 * were signalled; *left gets how many were still there at the end. */
unsigned kill_all_round(const struct shutdown_ops *ops, int sig, uint64_t deadline, unsigned *left);

#endif
