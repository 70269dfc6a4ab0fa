/* Module loading overlapped with the network stage: the NIC drivers (group "net") first, in
 * the caller; every other module in a thread while DHCP waits for its server. */
#ifndef GHOST_MODULES_ASYNC_H
#define GHOST_MODULES_ASYNC_H

#include <stdint.h>

#include "boot/modules.h"

/* Loads the needed modules of the "net" group now, then starts loading the groups "fs", "crypto" and "extra" (the
 * image builder's) in a thread. Returns the result of the net group's list read:
 * 0, or -errno (-ENOENT: no list, nothing started). */
int modules_async_start(const char *list_path, const struct module_needs *needs, struct modules_result *net);

/* Waits for the thread until deadline (an absolute clock_ms(); or loads synchronously if it
 * could not start). Returns the list read result of the other groups and *rest gets their
 * counts, or -ETIMEDOUT (*rest zeroed) when the thread is still loading: it is left to finish
 * on its own. */
#define MODULES_JOIN_MS 30000u
int modules_async_join(struct modules_result *rest, uint64_t deadline);

#endif
