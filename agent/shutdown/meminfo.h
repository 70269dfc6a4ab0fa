/* Pure parser of /proc/meminfo (no I/O): how much data still waits to reach the disks and
 * servers, which is how the shutdown tells a slow sync from a stuck one. */
#ifndef GHOST_MEMINFO_H
#define GHOST_MEMINFO_H

#include <stddef.h>
#include <stdint.h>

/* Sums Dirty, Writeback and NFS_Unstable (kB) into *kb. Returns 0, or -ENOENT when none of
 * the three is present (then progress cannot be measured). */
int meminfo_dirty_kb(const char *buf, size_t len, uint64_t *kb);

#endif
