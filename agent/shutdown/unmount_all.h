/* Unmount everything under a prefix (/oldroot) newest first, in passes until nothing changes:
 * each umount in a bounded child (network filesystems with MNT_FORCE), then a lazy detach for
 * what is left. Collects what could not be unmounted cleanly, for the report. */
#ifndef GHOST_UNMOUNT_ALL_H
#define GHOST_UNMOUNT_ALL_H

#include <stdint.h>

#include "shutdown/shutdown_ops.h"

#define UNMOUNT_PASSES_MAX 8
#define UNMOUNT_DETACH_MS 1000  /* one lazy detach */
#define UNMOUNT_LEFT_TEXT 512

struct unmount_result {
	unsigned unmounted; /* cleanly */
	unsigned detached;  /* lazily, after a failure or a hang */
	unsigned failed;    /* still in the table at the end */
	unsigned hung;      /* umounts that overran their bound */
	unsigned passes;
	int table_error;    /* reading /proc/self/mountinfo: 0 or -errno */
	/* "path (fstype: why)" for every mount not unmounted cleanly, space separated, cut to fit */
	char left[UNMOUNT_LEFT_TEXT];
};

/* umount_ms bounds one umount (MNT_FORCE for a network filesystem). */
void unmount_all(const struct shutdown_ops *ops, const char *prefix, uint64_t deadline,
		 uint64_t umount_ms, struct unmount_result *res);

#endif
