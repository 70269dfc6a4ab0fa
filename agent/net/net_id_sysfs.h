/* Reads what net_id.c needs about one interface from sysfs (the I/O half of the predictable
 * names). sys is the sysfs mount ("/sys", or a fixture tree in the unit tests). */
#ifndef GHOST_NET_ID_SYSFS_H
#define GHOST_NET_ID_SYSFS_H

#include "net/net_id.h"

/* Fills in for the interface ifname. Returns 0 (an interface with no PCI device has pci
 * false), or -errno when the interface itself is not in sysfs. */
int net_id_sysfs_read(const char *sys, const char *ifname, struct net_id_input *in);

#endif
