/* The heartbeat after switch_root: a child of ghostinit that stays alive under the real init
 * (argv[0] starting with '@': systemd's root-storage-daemon convention keeps it until the end
 * of shutdown), reporting every ghost.heartbeat= seconds and keeping the boot's report state
 * (report.h, REPORT_STATE_PATH) current for the shutdown program. */
#ifndef GHOST_HEARTBEAT_H
#define GHOST_HEARTBEAT_H

#include <stdint.h>

/* Forks the daemon; reporting must be open (report_init). argv0 is ghostinit's argv[0],
 * renamed in place to start with '@' in the child. run_dir is the directory of the state
 * file (opened now, so it survives the move of /run by switch_root). Returns the child's pid
 * (the parent saved it in the state file) or -errno. Call right before switch_root. */
int heartbeat_start(char *argv0, const char *run_dir, uint32_t interval_ms);

/* For the shutdown program: asks the daemon named in the state file to send shutdown-begin
 * and exit (SIGTERM), and waits for it at most max_ms. Then report_resume() continues the
 * boot after its last sequence. 1: the daemon stopped, having sent shutdown-begin; 0: there
 * was no daemon (none started, or already gone), so nobody sent it; or -errno (-ENOENT: no
 * state, -ETIMEDOUT: still alive). */
int heartbeat_stop(const char *state_path, uint32_t max_ms);

#endif
