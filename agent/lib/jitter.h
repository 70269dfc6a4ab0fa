/* Random spread for retries and transaction ids: nodes powered on together (after a power
 * cut, a whole rack at once) must not retry in step. xorshift32: spread, not secrecy. */
#ifndef GHOST_JITTER_H
#define GHOST_JITTER_H

#include <stddef.h>
#include <stdint.h>

struct jitter {
	uint32_t state;
};

/* Seeds from the kernel (never blocking, even before its entropy pool is ready), the clock and
 * the PID. */
void jitter_seed(struct jitter *j);
/* Mixes bytes that differ between nodes (a MAC) into the state. */
void jitter_mix(struct jitter *j, const uint8_t *bytes, size_t n);
uint32_t jitter_next(struct jitter *j);

/* The base of an exponential backoff: first_ms doubled `doublings` times, at most max_ms.
 * Each caller spreads it by its own rule (DHCP's is RFC 2131's). */
uint64_t backoff_base_ms(unsigned doublings, uint64_t first_ms, uint64_t max_ms);

#endif
