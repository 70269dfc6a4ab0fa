/* Per-source rate limit: a token bucket per IPv4 source in a fixed table, so a flood costs
 * a lookup and no memory. */
#ifndef GW_RATELIMIT_H
#define GW_RATELIMIT_H

#include <stdint.h>

#define RATELIMIT_SLOTS 65536u

struct ratelimit;

/* rate: datagrams per second per source (0: no limit); burst: bucket size. */
struct ratelimit *ratelimit_new(uint32_t rate, uint32_t burst);
void ratelimit_free(struct ratelimit *r);
/* 1 when the datagram from src (network order) at monotonic now_ms may pass, 0 when not. */
int ratelimit_allow(struct ratelimit *r, uint32_t src, uint64_t now_ms);

#endif
