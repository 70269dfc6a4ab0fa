/* Operations that can block forever in the kernel (sync, an NFS umount with the server gone)
 * run in a forked child that the caller waits on with a deadline, then abandons. */
#ifndef GHOST_BOUNDED_H
#define GHOST_BOUNDED_H

#include <stdint.h>
#include <sys/types.h>

/* The job run in the child: returns 0 or -errno (passed back through the exit status). */
typedef int (*bounded_fn)(void *arg);

/* Forks a child that runs fn(arg) and exits. Returns its pid or -errno. */
pid_t bounded_start(bounded_fn fn, void *arg);
/* 1 when the child has ended (*result = fn's return, -EINTR if a signal ended it), 0 while it
 * runs, -errno when it cannot be waited for. */
int bounded_poll(pid_t pid, int *result);
/* SIGKILLs a child that overran and reaps it if it dies at once; one stuck in the kernel
 * (D state) cannot die and is left behind: PID 1 reaps it later or the reset ends it. */
void bounded_abandon(pid_t pid);
/* Start, then poll every few ms until the deadline (an absolute clock_ms()): fn's result, or
 * -ETIMEDOUT (child abandoned), or the fork error. */
int bounded_run(bounded_fn fn, void *arg, uint64_t deadline);

#endif
