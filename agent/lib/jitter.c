/* Retry jitter (see jitter.h). */
#include "lib/jitter.h"

#include <sys/syscall.h>
#include <unistd.h>

#include "lib/clock.h"

#define GRND_NONBLOCK_FLAG 0x0001
#define GRND_INSECURE_FLAG 0x0004 /* Linux 5.6+: never blocks; older kernels refuse it */

void jitter_seed(struct jitter *j)
{
	uint32_t seed = 0;
	if (syscall(SYS_getrandom, &seed, sizeof(seed), GRND_INSECURE_FLAG) != (long)sizeof(seed))
		(void)syscall(SYS_getrandom, &seed, sizeof(seed), GRND_NONBLOCK_FLAG);
	j->state = seed ^ (uint32_t)clock_ms() * 2654435761u ^ (uint32_t)getpid();
}

void jitter_mix(struct jitter *j, const uint8_t *bytes, size_t n)
{
	for (size_t i = 0; i < n; i++) /* FNV-1a's step */
		j->state = (j->state ^ bytes[i]) * 16777619u;
}

uint32_t jitter_next(struct jitter *j)
{
	uint32_t x = j->state ? j->state : 0x9e3779b9u; /* xorshift's one fixed point is 0 */
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return j->state = x;
}

uint64_t backoff_base_ms(unsigned doublings, uint64_t first_ms, uint64_t max_ms)
{
	uint64_t d = first_ms;
	for (unsigned i = 0; i < doublings && d < max_ms; i++)
		d *= 2;
	return d < max_ms ? d : max_ms;
}
