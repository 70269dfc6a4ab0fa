/* The boot interfaces' final names, given before any link goes up: dracut's ifname=<name>:<mac>
 * first, else the predictable name udev would give in the real root (net_id.h), unless
 * net.ifnames=0. Everything after (BOOTIF=, ip=<dev>, the lease, the guardian, the drop-ins,
 * /run/net-<name>.conf, the reports) then sees only the final name. */
#ifndef GHOST_NET_RENAME_H
#define GHOST_NET_RENAME_H

#include "boot/boot_config.h"
#include "net/link.h"

/* The kernel's names of renamed links, so that ip=<kernel name> keeps working. */
struct net_renames {
	struct {
		char from[LINK_NAME_MAX], to[LINK_NAME_MAX];
	} map[LINK_MAX];
	unsigned n;
};

/* Pure: the name link should get ("" when none): the ifname= entry for its MAC, else
 * predictable (net_id's choice, may be "") unless cfg says net.ifnames=0. */
void net_rename_target(const struct boot_config *cfg, const struct link_info *link, const char *predictable,
		       char out[LINK_NAME_MAX]);

/* Renames every link that wants another name (reading sys, usually "/sys"), logs each rename
 * and each failure (the link then keeps its name), and lists the links again into links/n. */
void net_rename_links(struct link_ctx *ctx, const struct boot_config *cfg, const char *sys,
		      struct link_info *links, unsigned *n, struct net_renames *done);

/* The final name for a name the command line used: the new one if name was renamed. */
const char *net_rename_lookup(const struct net_renames *done, const char *name);

#endif
