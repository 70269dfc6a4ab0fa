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

/* Policy, pure, in two steps. What stat and status tell: spare PID 1, ourselves, kernel
 * threads (PF_KTHREAD, or children of kthreadd) and zombies; signal every process that is
 * not root's (uid: status's real uid); for root's, argv[0] decides (systemd's rule: '@'
 * spares only uid 0, so a user's process cannot opt out of the shutdown). */
enum kill_all_verdict { KILL_ALL_SIGNAL = 0, KILL_ALL_SPARE, KILL_ALL_ASK_ARGV };
enum kill_all_verdict kill_all_judge(pid_t pid, pid_t self, const struct proc_stat *st, unsigned uid);
/* The argv step: spared when argv[0] starts with '@', or when there is no argv at all (a
 * kernel thread, on kernels that do not show PF_KTHREAD). */
bool kill_all_argv_spares(const char *cmdline, size_t cmdline_len);
/* Both steps at once, for one process whose cmdline is known. */
bool kill_all_spare(pid_t pid, pid_t self, const struct proc_stat *st, unsigned uid, const char *cmdline,
		    size_t cmdline_len);

/* Reading /proc/<pid>/cmdline takes the process's mm lock: it can block behind a fault on a
 * dead NFS server. So the argv step runs in a bounded child, for root's processes only, and
 * once per process (pid and start time) per shutdown. first_byte(pid) returns the first
 * byte of the cmdline, 0 when empty, or -errno (it may block: the child is abandoned at the
 * deadline). verdict[i] gets 1 (spare) or 0 (signal: unknown, or not '@'). Returns how many
 * were answered before the deadline, or -errno when no child could be started. */
int kill_all_ask_argv(const pid_t *pids, unsigned n, int (*first_byte)(pid_t), uint64_t deadline,
		      unsigned char *verdict);
#define KILL_ALL_ARGV_MS 300 /* the bound of one argv step */

/* The /proc walk with that policy (shutdown_ops_real.list_pids): stat and status of every
 * process, the argv step for root's not judged yet. */
int kill_all_list(pid_t *pids, unsigned cap);

/* Sends sig to every listed process (SIGCONT too after SIGTERM, so stopped ones can act on
 * it), then waits until the list is empty or the deadline passes, reaping. Returns how many
 * were signalled; *left gets how many were still there at the end. */
unsigned kill_all_round(const struct shutdown_ops *ops, int sig, uint64_t deadline, unsigned *left);

#endif
