/* Per-node rate limit: a token bucket per node id in a fixed table, so a flood costs a lookup
 * and no memory. Asked only after the HMAC: a spoofed datagram cannot spend a node's tokens. */
#ifndef GW_RATELIMIT_H
#define GW_RATELIMIT_H

#include <stdint.h>

#define RATELIMIT_SLOTS 65536u

struct ratelimit;

/* rate: datagrams per second per node (0: no limit); burst: bucket size. */
struct ratelimit *ratelimit_new(uint32_t rate, uint32_t burst);
void ratelimit_free(struct ratelimit *r);
/* 1 when a datagram of node id (any 64-bit key, e.g. the MAC) at monotonic now_ms may pass,
 * 0 when not. */
int ratelimit_allow(struct ratelimit *r, uint64_t id, uint64_t now_ms);

#endif
