/* The boot's reports to the master, stage by stage (the wire format and sender are report.h):
 * the stages before the lease are sent late with the times they happened, the root stage
 * reports as it goes, and the handover to the real init leaves the state the heartbeat and
 * the shutdown program continue from. */
#ifndef GHOST_BOOT_REPORT_H
#define GHOST_BOOT_REPORT_H

#include <stdint.h>

#include "boot/boot_config.h"
#include "boot/cmdline.h"
#include "net/lease.h"

/* When each early stage ended, on clock_ms(). */
struct boot_times {
	uint64_t started, modules, net_started;
};

/* Opens reporting once the network is up (to ghost.master= or the DHCP server) and sends boot,
 * modules, link and lease with their own times and the node's inventory. argv0 is kept for the
 * heartbeat daemon. Reporting problems are logged once and never stop the boot. */
void boot_report_start(const struct boot_config *cfg, const struct net_lease *net,
		       const struct boot_times *times, char *argv0);

/* The command line's warnings, each sent in a boot report (text cut at REPORT_TEXT_MAX) by
 * boot_report_start; w must stay valid until then. */
void boot_report_keep_warnings(const struct cmdline_warnings *w);

/* Right before exec of the real init: reports switch-root, then starts the heartbeat daemon
 * (ghost.heartbeat=) or saves the report state in /run/ghostboot for the shutdown program. */
void boot_report_switch_root(const struct boot_config *cfg, const char *init);

#endif
