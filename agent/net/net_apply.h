/* Writes a configured network down where others read it: /etc/resolv.conf, initramfs-tools'
 * /run/net-<if>.conf, ghostboot's /run/ghostboot/net.env; sets the hostname. */
#ifndef GHOST_NET_APPLY_H
#define GHOST_NET_APPLY_H

#include <stddef.h>

#include "net/lease.h"

/* Writes the three files (and /run/ghostboot/resolv.conf for the real root) under root
 * ("" for /). Each is written to a temporary name and renamed. Returns 0 or -errno. */
int net_apply_files(const struct net_lease *r, const char *root);

/* Formats the lease as KEY='value' lines, initramfs-tools' keys (format 0) or ghostboot's
 * GHOST_* keys (format 1). Returns the length, or -ENOSPC. Pure: unit-tested. */
int net_apply_format(const struct net_lease *r, int format, char *buf, size_t cap);

int net_apply_hostname(const char *hostname);

#endif
