/* The `net-up` subcommand (see net_up_cmd.h): the stage, its lease printed, and optionally the
 * boot's own reports from a normal process. */
#include "net/net_up_cmd.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "boot/boot_config_load.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/usage.h"
#include "net/net_apply.h"
#include "net/net_stage.h"
#include "report/boot_report.h"
#include "report/heartbeat.h"
#include "report/report.h"

/* The heartbeat daemon of a simulated node, as the boot starts it at switch_root. */
static int start_heartbeat(const struct boot_config *cfg, char *argv0, const char *root)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/run", root);
	(void)mkdir(dir, 0755);
	snprintf(dir, sizeof(dir), "%s/run/ghostboot", root);
	(void)mkdir(dir, 0755);
	return heartbeat_start(argv0, dir, cfg->heartbeat_s * 1000u);
}

static int send_boot_reports(const struct boot_config *cfg, const struct net_lease *net,
			     const struct boot_times *times, char *argv0, const char *root)
{
	boot_report_start(cfg, net, times, argv0);
	if (!report_boot_id()) {
		printf("GHOST_REPORT='off'\n");
		return 3;
	}
	int pid = cfg->heartbeat_s ? start_heartbeat(cfg, argv0, root) : 0;
	if (pid < 0)
		fprintf(stderr, "ghostinit: heartbeat not started: %s\n", strerror(-pid));
	struct report_stats st = report_get_stats();
	/* The lease's time as boot_report_start sends it (CLOCK_BOOTTIME ms). */
	printf("GHOST_LEASE_AT_MS='%llu'\nGHOST_REPORT_BOOT_ID='%016llx'\nGHOST_REPORT_SEQ='%u'\n"
	       "GHOST_REPORT_SENT='%u'\nGHOST_REPORT_RETRANSMITS='%u'\nGHOST_REPORT_ACKED='%u'\n"
	       "GHOST_REPORT_GIVEN_UP='%u'\nGHOST_REPORT_WAITED_MS='%u'\nGHOST_HEARTBEAT_PID='%d'\n",
	       (unsigned long long)(times->net_started + net->stage_ms), (unsigned long long)report_boot_id(),
	       report_last_seq(), st.sent, st.retransmits, st.acked, st.given_up, (unsigned)st.waited_ms,
	       pid > 0 ? pid : 0);
	return st.acked == report_last_seq() ? 0 : 1;
}

int net_up_cmd_main(int argc, char **argv)
{
	struct boot_times times = { .started = clock_ms() };
	bool report = false;
	static struct boot_config cfg;
	struct cmdline_warnings warnings;
	struct net_stage_options opt = { .root = "" };
	const char *cmdline = NULL;
	static const char usage[] = "usage: ghostinit net-up [--iface IF] [--cmdline TEXT] [--root DIR] [--hostname] [--report]\n"
				    "                        [--broadcast]\n";
	if (usage_asked(argc, argv))
		return usage_print(usage, 0);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--iface") && i + 1 < argc)
			opt.iface = argv[++i];
		else if (!strcmp(argv[i], "--cmdline") && i + 1 < argc)
			cmdline = argv[++i];
		else if (!strcmp(argv[i], "--root") && i + 1 < argc)
			opt.root = argv[++i];
		else if (!strcmp(argv[i], "--hostname"))
			opt.set_hostname = true;
		else if (!strcmp(argv[i], "--report"))
			report = true;
		else if (!strcmp(argv[i], "--broadcast"))
			opt.dhcp_broadcast = true;
		else
			return usage_print(usage, 1);
	}
	(void)boot_config_load(cmdline, &cfg, &warnings); /* unreadable: the defaults */
	for (unsigned i = 0; i < warnings.count; i++)
		log_warn("%s", warnings.text[i]);
	log_set_debug(cfg.debug);
	static struct net_lease r;
	times.modules = times.net_started = clock_ms();
	int err = net_stage_run_with(&cfg, &opt, &r);
	if (err) {
		log_error("%s", r.error);
		return 1;
	}
	char buf[4096];
	int n = net_apply_format(&r, 1, buf, sizeof(buf));
	if (n > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	printf("GHOST_DISCOVERS='%u'\nGHOST_REQUESTS='%u'\nGHOST_NAKS='%u'\nGHOST_REJECTED='%u'\n", r.discovers,
	       r.requests, r.naks, dhcp_counters_total(&r.rejected));
	return report ? send_boot_reports(&cfg, &r, &times, argv[0], opt.root) : 0;
}
