/* Monotonic time and deadlines: every wait in ghostinit is bounded by one of these. */
#ifndef GHOST_CLOCK_H
#define GHOST_CLOCK_H

#include <stdint.h>

/* Milliseconds on CLOCK_BOOTTIME (counts suspend, never jumps with wall time). */
uint64_t clock_ms(void);
/* Deadline helpers: a deadline is an absolute clock_ms() value. */
static inline uint64_t deadline_in(uint64_t ms) { return clock_ms() + ms; }
static inline int deadline_passed(uint64_t deadline) { return clock_ms() >= deadline; }
uint64_t deadline_left(uint64_t deadline);
void sleep_ms(uint64_t ms);

#endif
