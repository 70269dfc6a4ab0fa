/* `ghostwatch forget NODES`: an admin drops nodes from the master's view (a machine sold,
 * a NIC replaced). serve is the only writer of the state, so the command leaves a request in
 * STATE/forget.d and serve, which looks there at every tick, removes the nodes, saves a
 * snapshot (so that a restart does not bring them back from the log) and answers beside the
 * request. Whoever may write the state directory may ask: root and serve's own user, never
 * a user on a worker. A forgotten node that reports again is a new node; one the cluster
 * file lists comes back as absent. */
#ifndef GW_FORGET_H
#define GW_FORGET_H

#include <stddef.h>
#include <stdint.h>

#include "state/nodes.h"

#define FORGET_DIR "forget.d"
#define FORGET_MACS_MAX 65536 /* MACs in one request: a whole cluster */

/* serve, at start: creates STATE/forget.d. 0 or -errno. */
int forget_prepare(const char *state_dir);
/* serve, at each tick: handles every pending request — removes its nodes from t, then
 * save(ctx) (the snapshot), then answers. Returns the number of nodes removed, or -errno
 * when the folder cannot be read. */
int forget_serve(const char *state_dir, struct nodes *t, int (*save)(void *ctx), void *ctx);
/* The command: asks serve to forget count MACs and waits up to timeout_ms for its answer;
 * forgot[i] is then 1 when serve dropped macs[i], 0 when it did not know it. 0 (*saved: the
 * snapshot's status, 0 or -errno), -ETIMEDOUT (no serve answered: the request is withdrawn),
 * or -errno (the request could not be written). */
int forget_request(const char *state_dir, const uint8_t (*macs)[REPORT_NODE_LEN], size_t count,
		   int timeout_ms, uint8_t *forgot, int *saved);

#endif
