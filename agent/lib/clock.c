/* Monotonic time for deadlines and report timestamps. */
#include "lib/clock.h"

#include <errno.h>
#include <time.h>

uint64_t clock_ms(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_BOOTTIME, &ts) != 0)
		clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint64_t deadline_left(uint64_t deadline)
{
	uint64_t now = clock_ms();
	return now >= deadline ? 0 : deadline - now;
}

void sleep_ms(uint64_t ms)
{
	struct timespec ts = { .tv_sec = (time_t)(ms / 1000), .tv_nsec = (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}
