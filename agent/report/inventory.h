/* What the master's inventory says about this node: read from uname, /proc and /sys. */
#ifndef GHOST_INVENTORY_H
#define GHOST_INVENTORY_H

#include <stdint.h>

#include "report/report_wire.h"

/* Fills inv for the boot interface ifname (NULL: no link data) and its IPv4 address
 * (network order, 0: unknown). Missing sources leave zeros; returns 0 or the first -errno. */
int inventory_collect(const char *ifname, uint32_t ipv4, struct report_inventory *inv);

#endif
