/* A block-device root: the device named by root= (a path or a UUID=/LABEL=/PARTUUID=/
 * PARTLABEL= tag resolved with libblkid), waited for with a deadline, then mounted. */
#ifndef GHOST_BLOCK_ROOT_H
#define GHOST_BLOCK_ROOT_H

#include <stddef.h>
#include <stdint.h>

#include "root/rootspec.h"

/* Waits until the device exists and writes its path into dev. Returns 0, or -ENOENT when the
 * deadline (a clock_ms() value) passed without it. */
int block_root_find(const struct rootspec *spec, uint64_t deadline, char *dev, size_t len);

/* Mounts dev on target with rootfstype= (or the type libblkid finds) and rootflags=. Returns
 * 0 or -errno; the type tried is written into type (for messages). */
int block_root_mount(const char *dev, const struct rootspec *spec, const char *target, char *type, size_t len);

#endif
