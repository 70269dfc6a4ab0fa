/* Keeps the real root's network managers off the boot interface: runtime drop-ins under /run,
 * written at switch_root, so that nothing deconfigures the link the NFS root depends on at
 * shutdown (systemd-networkd, NetworkManager, ifupdown's networking.service). */
#ifndef GHOST_LINK_PROTECT_H
#define GHOST_LINK_PROTECT_H

#include <stddef.h>

/* The files, relative to the /run directory they go in. networkd reads a drop-in only beside
 * the .network file it belongs to: one for each .network file of the new root, this format with
 * the file's name (the admin's file still applies: a .network of our own would shadow it). */
#define LINK_PROTECT_NETWORKD "systemd/network/%s.d/ghostboot-keep-boot-link.conf"
#define LINK_PROTECT_SCAN_MS 5000 /* the new root's .network files read in a child: its bound */
#define LINK_PROTECT_NM "NetworkManager/conf.d/00-ghostboot-boot.conf"
#define LINK_PROTECT_IFUPDOWN "systemd/system/networking.service.d/ghostboot-keep-boot-link.conf"
/* ifupdown's per-interface unit for `allow-hotplug` (the Debian installer's default), named by
 * the interface: printf format with the interface name. */
#define LINK_PROTECT_IFUP_AT "systemd/system/ifup@%s.service.d/ghostboot-keep-boot-link.conf"
/* A systemd unit whose stop is among the first jobs of any shutdown: it asks the guardian to
 * arm the watchdog (with systemd's budget, LINK_PROTECT_WATCHDOG_S), so that a freeze anywhere
 * in systemd's shutdown still ends in a reset. Runs only /run/initramfs/shutdown (in RAM). */
#define LINK_PROTECT_WATCHDOG_UNIT "systemd/system/ghostboot-watchdog.service"
#define LINK_PROTECT_WATCHDOG_WANTS "systemd/system/multi-user.target.wants/ghostboot-watchdog.service"
#define LINK_PROTECT_WATCHDOG_S 120 /* systemd's default stop timeout (90 s) and a margin */

enum link_protect_kind {
	LINK_PROTECT_KIND_NETWORKD,
	LINK_PROTECT_KIND_NM,
	LINK_PROTECT_KIND_IFUPDOWN,
	LINK_PROTECT_KIND_IFUP_AT,
	LINK_PROTECT_KIND_WATCHDOG_UNIT
};

/* Pure: the text of one file for ifname. Returns its length, -EINVAL for a name that is not a
 * plain interface name (it goes into config files and a command line), -ENOSPC. */
int link_protect_format(enum link_protect_kind kind, const char *ifname, char *buf, size_t cap);

/* Writes the files under run_dir ("/run" at switch_root, before /run moves), creating
 * directories; each to a temporary name, then renamed; and the unit's .wants link. The
 * networkd drop-ins go beside each .network file in root's /etc, /usr/lib and /lib
 * systemd/network (root: the new root, still mounted aside; none there, none written), read in
 * a child bounded by LINK_PROTECT_SCAN_MS. Returns 0 or the first -errno (-ETIMEDOUT). */
int link_protect_write(const char *run_dir, const char *root, const char *ifname);

#endif
