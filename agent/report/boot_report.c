/* Reports of the boot path: late reports of the early stages, the handover at switch_root. */
#include "report/boot_report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/log.h"
#include "report/heartbeat.h"
#include "report/inventory.h"
#include "report/report.h"

#define REPORT_RUN_DIR "/run/ghostboot"

static char *heartbeat_argv0;
static const struct cmdline_warnings *cmdline_warnings;

void boot_report_keep_warnings(const struct cmdline_warnings *w) { cmdline_warnings = w; }

void boot_report_start(const struct boot_config *cfg, const struct net_lease *net,
		       const struct boot_times *times, char *argv0)
{
	uint8_t node[REPORT_NODE_LEN] = { 0 };
	heartbeat_argv0 = argv0;
	memcpy(node, net->hwaddr, net->hwaddr_len < sizeof(node) ? net->hwaddr_len : sizeof(node));
	int err = report_init(cfg, node, net->server_id);
	if (err) {
		log_warn("reports to the master are off: %s", err == -EDESTADDRREQ ? "no master known" : strerror(-err));
		return;
	}
	err = report_keep_key();
	if (err && err != -ENOKEY)
		log_warn("report key not kept in /run/ghostboot: %s; the link guardian and the shutdown "
			 "program cannot sign their reports", strerror(-err));
	struct report_inventory inv;
	(void)inventory_collect(net->ifname, net->addr, &inv);
	report_set_inventory(&inv);
	/* The link came up when DHCP (or the static setup) started: the stage's time minus DHCP's. */
	uint64_t lease_at = times->net_started + net->stage_ms;
	uint64_t link_at = lease_at - (net->dhcp_ms < net->stage_ms ? net->dhcp_ms : 0);
	(void)report_stage_at(REPORT_STAGE_BOOT, 0, "ghostinit", times->started);
	/* A bad value on the command line is seen on the master too, not only on a console. */
	for (unsigned i = 0; cmdline_warnings && i < cmdline_warnings->count; i++)
		(void)report_stage_at(REPORT_STAGE_BOOT, 0, cmdline_warnings->text[i], times->started);
	(void)report_stage_at(REPORT_STAGE_MODULES, 0, NULL, times->modules);
	(void)report_stage_at(REPORT_STAGE_LINK, 0, net->ifname, link_at);
	(void)report_stage_at(REPORT_STAGE_LEASE, 0, net->proto == NET_PROTO_DHCP ? "dhcp" : "static", lease_at);
}

void boot_report_switch_root(const struct boot_config *cfg, const char *init)
{
	if (report_stage(REPORT_STAGE_SWITCH_ROOT, 0, init) < 0)
		return; /* reporting is off: nothing to hand over */
	/* What reporting cost this boot, on its own clock (a dead master must cost <= 200 ms). */
	struct report_stats st = report_get_stats();
	log_info("reports: %u sent, %u acked, %u ms waiting for acks", st.sent, st.acked, (unsigned)st.waited_ms);
	(void)mkdir(REPORT_RUN_DIR, 0755);
	if (cfg->heartbeat_s && heartbeat_argv0) {
		int pid = heartbeat_start(heartbeat_argv0, REPORT_RUN_DIR, cfg->heartbeat_s * 1000u);
		if (pid < 0)
			log_warn("heartbeat not started: %s", strerror(-pid));
		else
			return; /* the daemon keeps the state file current */
	}
	int dirfd = open(REPORT_RUN_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int err = dirfd < 0 ? -errno : report_save_at(dirfd, "report", 0);
	if (err)
		log_warn("report state not saved for the shutdown program: %s", strerror(-err));
	if (dirfd >= 0)
		close(dirfd);
}
