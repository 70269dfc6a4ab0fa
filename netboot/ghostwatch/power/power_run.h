/* One external command of `ghostwatch power` (ipmitool, ssh), bounded: run in a child of its
 * own process group with stdin from /dev/null, its output (stdout and stderr) kept, killed with
 * its group when the deadline passes. */
#ifndef GW_POWER_RUN_H
#define GW_POWER_RUN_H

#include <stddef.h>
#include <stdint.h>

#define POWER_RUN_OUTPUT_MAX 1024

struct power_run_result {
	int status;      /* exit status; 128 + N when killed by signal N */
	int timed_out;   /* killed at the deadline */
	char output[POWER_RUN_OUTPUT_MAX]; /* the first bytes of its output, NUL-terminated */
};

/* Runs argv (searched in PATH) with env_name=env_value added to its environment when env_name
 * is not NULL, until it exits or deadline_ms (CLOCK_MONOTONIC) passes. 0 (the result says how
 * it ended), or -errno when it could not be started (-ENOENT: no such program). */
int power_run(const char *const *argv, const char *env_name, const char *env_value, int64_t deadline_ms,
	      struct power_run_result *r);
/* CLOCK_MONOTONIC in ms. */
int64_t power_run_now_ms(void);

#endif
