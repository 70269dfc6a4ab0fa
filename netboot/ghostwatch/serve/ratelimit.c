/* Token buckets in a direct-mapped table: a node that collides with another takes over its
 * slot with a full bucket. Only authentic datagrams get here (the HMAC comes first), so a
 * collision can only let a real node send a little more; what matters is fixed memory, O(1). */
#include "serve/ratelimit.h"

#include <stdlib.h>

struct bucket {
	uint64_t id;
	uint32_t tokens_milli; /* tokens x 1000 */
	uint64_t last_ms;
};

struct ratelimit {
	uint32_t rate, burst;
	struct bucket slots[RATELIMIT_SLOTS];
};

struct ratelimit *ratelimit_new(uint32_t rate, uint32_t burst)
{
	struct ratelimit *r = calloc(1, sizeof(*r));
	if (r) {
		r->rate = rate;
		r->burst = burst ? burst : 1;
	}
	return r;
}

void ratelimit_free(struct ratelimit *r) { free(r); }

int ratelimit_allow(struct ratelimit *r, uint64_t id, uint64_t now_ms)
{
	if (!r->rate)
		return 1;
	uint32_t h = (uint32_t)((id * 0x9e3779b97f4a7c15ull) >> 48) & (RATELIMIT_SLOTS - 1);
	struct bucket *b = &r->slots[h];
	uint64_t full = (uint64_t)r->burst * 1000;
	if (b->id != id || !b->last_ms) {
		b->id = id;
		b->tokens_milli = (uint32_t)full;
		b->last_ms = now_ms;
	}
	uint64_t tokens = b->tokens_milli + (now_ms - b->last_ms) * r->rate;
	b->last_ms = now_ms;
	if (tokens > full)
		tokens = full;
	if (tokens < 1000) {
		b->tokens_milli = (uint32_t)tokens;
		return 0;
	}
	b->tokens_milli = (uint32_t)(tokens - 1000);
	return 1;
}
