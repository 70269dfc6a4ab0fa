/* The NFS root mount: mount(2) with the kernel's text options (no userspace helper), retried
 * with jittered exponential backoff until a deadline; failures turned into words. */
#ifndef GHOST_NFS_MOUNT_H
#define GHOST_NFS_MOUNT_H

#include <stdbool.h>
#include <stdint.h>

/* Called after each failed attempt (for the log): the error, the attempt number (1-based) and
 * how long the next wait is (0: no retry follows). */
typedef void nfs_mount_failed_fn(int err, unsigned attempt, uint64_t wait_ms, void *ctx);

struct nfs_mount_request {
	const char *source;  /* "S:/path" */
	const char *target;  /* an existing directory */
	unsigned version;    /* 3 or 4: filesystem type nfs or nfs4 */
	const char *options; /* kernel text options */
	bool read_only;
	uint64_t deadline;   /* clock_ms() value: no new attempt starts after it */
};

/* Returns 0, or the last -errno when the deadline passed or the error cannot go away by
 * waiting (no NFS in the kernel, options it refuses). *attempts counts mount(2) calls. */
int nfs_mount(const struct nfs_mount_request *req, nfs_mount_failed_fn *failed, void *ctx, unsigned *attempts);

/* NFSv4.1+ names a client by its host name alone ("Linux NFSv4.1 (none)" on a node DHCP gave
 * no name): nodes sharing a server would take over each other's state. When the nfs module's
 * nfs4_unique_id is still empty, sets it to "ghostboot-<MAC>" of the first link with carrier.
 * Returns 0, -EEXIST when one is set already, or -errno. */
int nfs_mount_set_unique_id(void);

/* The server's answer in words: "export not found", "access denied by the server", ... */
const char *nfs_mount_strerror(int err);

/* True for errors that waiting cannot fix (the caller stops retrying). */
bool nfs_mount_permanent(int err);

/* The wait before attempt n+1 after n failures: 250 ms doubling to 8 s, then a random point in
 * its upper half so that a rack of nodes booted together does not retry in step. */
uint64_t nfs_mount_backoff_ms(unsigned failures, uint32_t random);

#endif
