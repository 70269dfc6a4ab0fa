/* The boot-link guardian: a small resident process left by the initramfs (argv[0] starting
 * with '@', so systemd's shutdown spares it; mlocked; running from /run/initramfs in RAM,
 * touching nothing on the NFS root). It watches the boot interface over rtnetlink and puts
 * back link, address and default route the moment anything takes them away (ifupdown's
 * networking.service at shutdown, a stray `ip addr flush`), because without them the NFS
 * root freezes the node. On SIGUSR1 (sent when shutdown begins) it arms the watchdog. */
#ifndef GHOST_GUARDIAN_H
#define GHOST_GUARDIAN_H

#include <stdint.h>

#define GUARDIAN_ARGV0 "@ghostinit-guardian"
#define GUARDIAN_PIDFILE "/run/ghostboot/guardian.pid"
#define GUARDIAN_POLL_MS 1000 /* a check even without notifications (a lost one, ENOBUFS) */

struct guardian_config {
	char ifname[16];
	uint32_t addr;    /* network byte order */
	int prefix;
	uint32_t gateway; /* network byte order; 0: no default route to guard */
	uint32_t watchdog_s; /* timeout armed on SIGUSR1; 0: the default (ghost.shutdown_timeout + 10 s) */
	int run_fd;          /* /run opened before switch_root, for reports; -1: none */
	char key[128];       /* ghost.key= of the boot, for its own reports */
};

/* Watches and restores until run_ms has passed (0: forever). Returns -errno when it cannot
 * start (no such interface, no netlink), else 0 after run_ms. */
int guardian_run(const struct guardian_config *cfg, uint64_t run_ms);

/* `ghostinit guardian --iface IF --addr A/P [--gateway G] [--watchdog S] [--for MS]
 * [--run-fd FD] [--key SPEC]` (FD: /run, for the reports of guardian_report.h),
 * `ghostinit guardian --arm [S]` (asks the resident guardian to arm), and the resident form (argv[0] GUARDIAN_ARGV0, same arguments). Exit status 2: bad arguments. */
int guardian_main(int argc, char *const argv[]);

/* One look, for the shutdown program before sync and unmount: brings the link up if it is
 * down and puts back address and default route (a no-op when they are there). Returns 1 when
 * the link was down, 0 when it was up, -errno when it could not check. */
int guardian_check_once(const struct guardian_config *cfg);

/* Tells the guardian whose pid is in pidfile that shutdown begins: SIGUSR1 through sigqueue,
 * carrying timeout_s (0: the guardian's default). Returns its pid or -errno. */
int guardian_request_arm(const char *pidfile, uint32_t timeout_s);

/* For the boot, before switch_root: forks and execs exe (the copy of ghostinit in
 * /run/initramfs) as the resident guardian of cfg, handing it /run as an open directory
 * (switch_root moves /run away from under it) and cfg->key. Returns its pid or -errno. */
int guardian_spawn(const char *exe, const struct guardian_config *cfg);

#endif
