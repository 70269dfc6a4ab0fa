/* The network stage: links up, a lease from DHCP or a static ip=, applied and written down.
 * Used by boot() as PID 1 and by `ghostinit net-up` in test namespaces. */
#ifndef GHOST_NET_STAGE_H
#define GHOST_NET_STAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "boot/boot_config.h"
#include "net/lease.h"

struct net_stage_options {
	const char *iface;  /* only this interface (net-up --iface); NULL: choose */
	const char *root;   /* prefix of the files written; "" for the real / */
	bool set_hostname;
	bool dhcp_broadcast; /* net-up --broadcast: the DHCP client's fallback (docs/network.md) */
	bool rename;         /* the boot: NICs get their final names first (net_rename.h); net-up
			      * leaves the names of the host it runs on alone */
};

/* Runs the stage with the boot defaults (files under /, hostname set). Returns 0, or -errno
 * with result->error saying why (the caller sends it to fatal()). */
int net_stage_run(const struct boot_config *cfg, struct net_lease *result);
int net_stage_run_with(const struct boot_config *cfg, const struct net_stage_options *opt,
		       struct net_lease *result);

/* Whether the boot cannot go on without the network: ip= asks for it (not off), or the root
 * is reached over it (rootspec_needs_network). A block root without ip= boots on when the
 * network fails. */
bool net_stage_required(const struct boot_config *cfg);

#endif
