/* The root stage: find the root named on the command line (or by DHCP), mount it (NFS or
 * block, optionally under a tmpfs overlay), honour rd.break, switch_root into it. */
#ifndef GHOST_ROOT_STAGE_H
#define GHOST_ROOT_STAGE_H

#include "boot/boot_config.h"
#include "root/rootspec.h"

#define ROOT_STAGE_NEWROOT "/newroot"

/* Never returns: execs the real init, or ends in fatal() with the reason. facts may be NULL
 * (no network stage ran: only block roots can work); hostname (may be NULL or empty) goes
 * into the overlay's /etc/hostname. */
_Noreturn void root_stage_run(const struct boot_config *cfg, const struct rootspec_facts *facts,
			      const char *hostname);

#endif
