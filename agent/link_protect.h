/* Keeps the real root's network managers off the boot interface: runtime drop-ins under /run,
 * written at switch_root, so that nothing deconfigures the link the NFS root depends on at
 * shutdown (systemd-networkd, NetworkManager, ifupdown's networking.service). */
#ifndef GHOST_LINK_PROTECT_H
#define GHOST_LINK_PROTECT_H

#include <stddef.h>

/* The files, relative to the /run directory they go in. */
#define LINK_PROTECT_NETWORKD "systemd/network/00-ghostboot-boot.network"
#define LINK_PROTECT_NM "NetworkManager/conf.d/00-ghostboot-boot.conf"
#define LINK_PROTECT_IFUPDOWN "systemd/system/networking.service.d/ghostboot-keep-boot-link.conf"

enum link_protect_kind { LINK_PROTECT_KIND_NETWORKD, LINK_PROTECT_KIND_NM, LINK_PROTECT_KIND_IFUPDOWN };

/* Pure: the text of one file for ifname. Returns its length, -EINVAL for a name that is not a
 * plain interface name (it goes into config files and a command line), -ENOSPC. */
int link_protect_format(enum link_protect_kind kind, const char *ifname, char *buf, size_t cap);

/* Writes the three files under run_dir ("/run" at switch_root, before /run moves), creating
 * directories; each to a temporary name, then renamed. Returns 0 or the first -errno. */
int link_protect_write(const char *run_dir, const char *ifname);

#endif
