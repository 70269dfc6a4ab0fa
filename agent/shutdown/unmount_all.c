/* The unmount loop of the shutdown (see unmount_all.h). Network filesystems are never
 * remounted read-only: that brings nothing and blocks when the server is gone. */
#include "shutdown/unmount_all.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#include "lib/bounded.h"
#include "lib/clock.h"
#include "shutdown/mountinfo.h"

static struct mountinfo table;

struct umount_job {
	const struct shutdown_ops *ops;
	const char *path;
	int flags;
};

static int do_umount(void *arg)
{
	const struct umount_job *job = arg;
	return job->ops->umount2(job->path, job->flags);
}

static int read_table(const struct shutdown_ops *ops)
{
	static char buf[128 * 1024];
	int n = ops->read_file("/proc/self/mountinfo", buf, sizeof(buf));
	if (n < 0) {
		table.count = 0;
		return n;
	}
	mountinfo_parse(buf, (size_t)n, &table);
	return 0;
}

static uint64_t bound(uint64_t deadline, uint64_t ms)
{
	uint64_t left = deadline_left(deadline);
	return clock_ms() + (left < ms ? left : ms);
}

static void note(struct unmount_result *res, const struct mountinfo_entry *e, const char *why)
{
	/* A mount may come up twice (hung, then still there): keep the first word on it. */
	char key[MOUNTINFO_PATH_MAX + 4];
	snprintf(key, sizeof(key), " %s (", e->mount_point);
	if (!strncmp(res->left, key + 1, strlen(key + 1)) || strstr(res->left, key))
		return;
	size_t len = strlen(res->left);
	snprintf(res->left + len, sizeof(res->left) - len, "%s%s (%s: %s)", len ? " " : "",
		 e->mount_point, e->fstype, why);
}

static const char *why_text(int err)
{
	switch (err) {
	case -ETIMEDOUT: return "hung";
	case -EBUSY: return "busy";
	default: return "failed";
	}
}

/* One pass over the table, newest first: returns whether anything went away. Once an umount
 * under a network filesystem has hung, its server is taken as gone: every path lookup beneath
 * it would hang as well, so the rest of that subtree is skipped and the network mount itself
 * is detached at once (MNT_DETACH takes what sits on it along). */
static bool pass(const struct shutdown_ops *ops, const char *prefix, uint64_t deadline, uint64_t umount_ms,
		 bool last_try, struct unmount_result *res)
{
	unsigned order[MOUNTINFO_MAX];
	bool dead[MOUNTINFO_MAX] = { false };
	unsigned n = mountinfo_unmount_order(&table, prefix, order, MOUNTINFO_MAX);
	bool changed = false;
	for (unsigned i = 0; i < n && !deadline_passed(deadline); i++) {
		const struct mountinfo_entry *e = &table.entry[order[i]];
		bool net = mountinfo_is_network(e);
		int server = mountinfo_network_ancestor(&table, order[i]);
		if (server >= 0 && dead[server] && server != (int)order[i])
			continue; /* beneath a dead server: goes with its detach */
		struct umount_job job = { ops, e->mount_point, net ? MNT_FORCE : 0 };
		bool tried = !(server >= 0 && dead[server]);
		int r = tried ? bounded_run(do_umount, &job, bound(deadline, umount_ms)) : -ETIMEDOUT;
		if (r == 0) {
			res->unmounted++;
			changed = true;
			continue;
		}
		if (r == -ETIMEDOUT && tried) {
			res->hung++;
			if (server >= 0)
				dead[server] = true;
		}
		if (r == -EINVAL) /* no longer a mount point: gone with its parent, or a hung child finished it */
			continue;
		/* A network mount gets no second chance (each try costs a bound); a local one gets
		 * the next pass, once what sits on it has gone, and is detached on the last. */
		if (!net && !last_try && r != -ETIMEDOUT)
			continue;
		if (!net && server >= 0 && r == -ETIMEDOUT) {
			/* Its path lookup hung on the server: a detach would hang the same way. */
			note(res, e, "hung");
			continue;
		}
		note(res, e, tried ? why_text(r) : "server gone");
		job.flags = MNT_DETACH;
		if (bounded_run(do_umount, &job, bound(deadline, umount_ms < UNMOUNT_DETACH_MS ? umount_ms : UNMOUNT_DETACH_MS)) == 0) {
			res->detached++;
			changed = true;
		}
	}
	return changed;
}

void unmount_all(const struct shutdown_ops *ops, const char *prefix, uint64_t deadline,
		 uint64_t umount_ms, struct unmount_result *res)
{
	memset(res, 0, sizeof(*res));
	bool last_try = false;
	while (!deadline_passed(deadline) && res->passes < UNMOUNT_PASSES_MAX) {
		res->table_error = read_table(ops);
		unsigned order[1];
		if (res->table_error || mountinfo_unmount_order(&table, prefix, order, 1) == 0)
			break;
		res->passes++;
		if (!pass(ops, prefix, deadline, umount_ms, last_try, res)) {
			if (last_try)
				break;
			last_try = true; /* nothing moved: one more pass that detaches what is left */
		}
	}
	/* What is still in the table now could not be unmounted (or there was no time). */
	if (read_table(ops) == 0) {
		unsigned order[MOUNTINFO_MAX];
		unsigned n = mountinfo_unmount_order(&table, prefix, order, MOUNTINFO_MAX);
		res->failed = n;
		for (unsigned i = 0; i < n; i++)
			note(res, &table.entry[order[i]], deadline_passed(deadline) ? "out of time" : "still mounted");
	}
}
