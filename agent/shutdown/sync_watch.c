/* Bounded sync with a progress watch (see sync_watch.h), after systemd's sync_with_progress. */
#include "shutdown/sync_watch.h"

#include <errno.h>

#include "lib/bounded.h"
#include "lib/clock.h"
#include "shutdown/meminfo.h"

static int do_sync(void *arg)
{
	const struct shutdown_ops *ops = arg;
	ops->sync();
	return 0;
}

static uint64_t dirty_now(const struct shutdown_ops *ops)
{
	static char buf[8192];
	uint64_t kb;
	int n = ops->read_file("/proc/meminfo", buf, sizeof(buf));
	if (n < 0 || meminfo_dirty_kb(buf, (size_t)n, &kb) != 0)
		return UINT64_MAX;
	return kb;
}

void sync_watch_run(const struct shutdown_ops *ops, uint64_t deadline, uint64_t stall_ms,
		    struct sync_watch_result *res)
{
	uint64_t start = clock_ms();
	uint64_t lowest = dirty_now(ops), last_progress = start;
	res->dirty_start_kb = res->dirty_end_kb = lowest;
	pid_t pid = bounded_start(do_sync, (void *)ops);
	if (pid < 0) {
		res->status = pid;
		res->elapsed_ms = clock_ms() - start;
		return;
	}
	for (;;) {
		int result;
		if (bounded_poll(pid, &result) != 0) {
			res->status = 0;
			break;
		}
		uint64_t now = clock_ms();
		uint64_t dirty = dirty_now(ops);
		res->dirty_end_kb = dirty;
		if (dirty < lowest) {
			lowest = dirty;
			last_progress = now;
		}
		if (now >= deadline || now - last_progress >= stall_ms) {
			bounded_abandon(pid);
			res->status = -ETIMEDOUT;
			break;
		}
		uint64_t left = deadline - now;
		sleep_ms(left < SYNC_WATCH_POLL_MS ? left : SYNC_WATCH_POLL_MS);
	}
	res->elapsed_ms = clock_ms() - start;
}
