/* sync(2) with a progress watch: the sync runs in a bounded child while the caller watches
 * Dirty+Writeback+NFS_Unstable in /proc/meminfo; it waits as long as they shrink (a slow NFS
 * server still gets its data) and gives up after a stall or at the deadline. */
#ifndef GHOST_SYNC_WATCH_H
#define GHOST_SYNC_WATCH_H

#include <stdint.h>

#include "shutdown/shutdown_ops.h"

#define SYNC_WATCH_POLL_MS 10

struct sync_watch_result {
	int status;             /* 0 synced, -ETIMEDOUT stalled or out of time, else the fork error */
	uint64_t dirty_start_kb, dirty_end_kb; /* UINT64_MAX: not measurable */
	uint64_t elapsed_ms;
};

/* Gives up when the dirty counters have not shrunk for stall_ms, or at deadline. */
void sync_watch_run(const struct shutdown_ops *ops, uint64_t deadline, uint64_t stall_ms,
		    struct sync_watch_result *res);

#endif
