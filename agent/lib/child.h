/* What a forked child of PID 1 must not keep: PID 1's crash handlers (boot/fatal.c), which
 * reset the machine. A child that crashes (or gets an admin's kill -SEGV / -ABRT for a core
 * dump) must die as any process does, not take the node down in the middle of a job. */
#ifndef GHOST_CHILD_H
#define GHOST_CHILD_H

/* The signals PID 1 turns into a reset: one list, for the handlers and for the children. */
extern const int child_crash_signals[];
extern const unsigned child_crash_signal_count;

/* In the child, right after fork(): the crash signals back to their default action and
 * unblocked. Async-signal-safe (sigaction, sigprocmask): usable from a signal handler's fork. */
void child_signals_default(void);

#endif
