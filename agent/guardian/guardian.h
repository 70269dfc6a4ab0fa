/* The boot-link guardian: a small resident process left by the initramfs (argv[0] starting
 * with '@', so systemd's shutdown spares it; mlocked; running from /run/initramfs in RAM,
 * touching nothing on the NFS root). It watches the boot interface over rtnetlink and puts
 * back link, address and default route the moment anything takes them away (ifupdown's
 * networking.service at shutdown, a stray `ip addr flush`), because without them the NFS
 * root freezes the node. On SIGUSR1 (sent when shutdown begins) it arms the watchdog. */
#ifndef GHOST_GUARDIAN_H
#define GHOST_GUARDIAN_H

#include <stdint.h>

#include "guardian/guardian_config.h"

#define GUARDIAN_ARGV0 "@ghostinit-guardian"
#define GUARDIAN_PIDFILE "/run/ghostboot/guardian.pid"
#define GUARDIAN_POLL_MS 1000 /* a check even without notifications (a lost one, ENOBUFS) */

/* Watches and restores until run_ms has passed (0: forever). Returns -errno when it cannot
 * start (no such interface, no netlink), else 0 after run_ms. */
int guardian_run(const struct guardian_config *cfg, uint64_t run_ms);

/* One look, for the shutdown program before sync and unmount: brings the link up if it is
 * down and puts back address and default route (a no-op when they are there). Returns 1 when
 * the link was down, 0 when it was up, -errno when it could not check. */
int guardian_check_once(const struct guardian_config *cfg);

/* Tells the guardian whose pid is in pidfile that shutdown begins: SIGUSR1 through sigqueue,
 * carrying timeout_s (0: the guardian's default). Returns its pid or -errno. */
int guardian_request_arm(const char *pidfile, uint32_t timeout_s);
/* Asks the guardian to disarm the watchdog it armed (SIGUSR2: the magic close), for a halt.
 * Its pid or -errno. */
int guardian_request_disarm(const char *pidfile);

/* For the boot, before switch_root: forks and execs exe (the copy of ghostinit in
 * /run/initramfs) as the resident guardian of cfg, handing it /run as an open directory
 * (switch_root moves /run away from under it; the report key is read there, never passed in
 * argv), and waits at most GUARDIAN_READY_MS for it to say it watches. Returns 0 when it
 * does; -ETIMEDOUT when it has not said so yet (it may still); -ECHILD when it ended before
 * (tried twice); another -errno when it could not be started. *pid: its pid, 0 when none
 * runs (written to GUARDIAN_PIDFILE when there is one). */
#define GUARDIAN_READY_MS 3000
int guardian_spawn(const char *exe, const struct guardian_config *cfg, int *pid);

#endif
