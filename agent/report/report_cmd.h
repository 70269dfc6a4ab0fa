/* `ghostinit report ...`: sends real reports from a normal process (tests, scripts). */
#ifndef GHOST_REPORT_CMD_H
#define GHOST_REPORT_CMD_H

/* argv[0] is "report". Exit status: 0 every report acked, 1 some not acked, 2 usage,
 * 3 reporting could not start (key, AF_ALG, socket). */
int report_cmd_main(int argc, char **argv);

struct boot_config;
struct boot_times;
struct net_result;
/* `net-up --report`: after the lease, the boot's own reports (boot_report_start: boot,
 * modules, link, lease, retransmitted as docs/protocol.md says) from a normal process, then,
 * with ghost.heartbeat=, the boot's heartbeat daemon with its state file under
 * root/run/ghostboot. Prints the sender's counts as GHOST_REPORT_* lines (and
 * GHOST_HEARTBEAT_PID). Returns 0 when every report was acked, 1 when not, 3 when
 * reporting could not start. */
int report_cmd_boot(const struct boot_config *cfg, const struct net_result *net,
		    const struct boot_times *times, char *argv0, const char *root);

#endif
