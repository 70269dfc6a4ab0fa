/* The syscall layer of the shutdown sequence, as a table of function pointers: the real one
 * (shutdown_io.c) for the machine, fakes in tests/unit/test_shutdown.c to reach the paths
 * where the kernel hangs (an NFS umount with the server gone, a sync that never returns). */
#ifndef GHOST_SHUTDOWN_OPS_H
#define GHOST_SHUTDOWN_OPS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "boot/boot_config.h"
#include "shutdown/reset.h"

struct shutdown_ops {
	/* Processes to signal: not us, not PID 1, no kernel threads, no zombies, none of root's
	 * whose argv[0] starts with '@' (systemd's convention for storage daemons and our
	 * guardian; only uid 0, as systemd does).
	 * Returns the count (at most cap) or -errno. */
	int (*list_pids)(pid_t *pids, unsigned cap);
	int (*kill)(pid_t pid, int sig);
	void (*reap)(void); /* collect zombies reparented to PID 1 */
	/* Reads a whole (small) file into buf, NUL-terminated: its length or -errno. */
	int (*read_file)(const char *path, char *buf, size_t cap);
	/* These two may block forever: they are only ever called inside a bounded child. */
	void (*sync)(void);
	int (*umount2)(const char *target, int flags); /* 0 or -errno */
	/* A stage report to the master (report.h's REPORT_STAGE_*); must not block. */
	void (*report)(unsigned stage, int err, const char *text);
	/* Sets the NIC's Wake-on-LAN (wol.h) within max_ms, logging what the driver says:
	 * 0 or -errno (-ETIMEDOUT: the driver did not answer). */
	int (*set_wol)(const char *ifname, enum wol_mode mode, uint32_t max_ms);
	/* The end: never returns on a machine; the fakes record and return. */
	void (*reset)(enum reset_method method, enum reset_action action);
};

/* The machine's syscalls. */
extern const struct shutdown_ops shutdown_ops_real;

#endif
