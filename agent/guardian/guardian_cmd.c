/* The `guardian` subcommand (see guardian_cmd.h): the resident guardian's arguments, and
 * `--arm` for the systemd unit that tells it shutdown begins. */
#include "guardian/guardian_cmd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guardian/guardian.h"
#include "lib/log.h"
#include "lib/usage.h"

static int parse_addr(const char *text, uint32_t *addr, int *prefix)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%s", text);
	char *slash = strchr(buf, '/');
	if (prefix) {
		if (!slash)
			return -EINVAL;
		*slash = '\0';
		char *end;
		long p = strtol(slash + 1, &end, 10);
		if (*end || p < 0 || p > 32)
			return -EINVAL;
		*prefix = (int)p;
	} else if (slash) {
		return -EINVAL;
	}
	struct in_addr in;
	if (inet_pton(AF_INET, buf, &in) != 1)
		return -EINVAL;
	*addr = in.s_addr;
	return 0;
}

/* `guardian --arm [S]`: what the systemd unit's ExecStop runs (link_protect.h) when shutdown
 * begins. Never fails the caller's shutdown: status 0 even without a guardian. */
static int request_arm_cli(const char *seconds)
{
	int r = guardian_request_arm(GUARDIAN_PIDFILE, (uint32_t)strtoul(seconds, NULL, 10));
	if (r < 0)
		fprintf(stderr, "ghostinit: no guardian to arm the watchdog: %s\n", strerror(-r));
	else
		printf("ghostinit: told the link guardian (pid %d) to arm the watchdog\n", r);
	return 0;
}

int guardian_cmd_main(int argc, char *const argv[])
{
	struct guardian_config cfg;
	uint64_t run_ms = 0;
	int have_addr = 0;
	memset(&cfg, 0, sizeof(cfg));
	cfg.run_fd = -1;
	cfg.ready_fd = -1;
	static const char usage[] =
		"usage: ghostinit guardian --iface IF --addr A/P [--gateway G] [--watchdog S] [--for MS]\n"
		"                          [--run-fd FD] [--ready-fd FD]\n"
		"       ghostinit guardian --arm [S]\n";
	if (usage_asked(argc, argv))
		return usage_print(usage, 0);
	if (argc >= 2 && !strcmp(argv[1], "--arm"))
		return argc > 3 ? usage_print(usage, 1) : request_arm_cli(argc > 2 ? argv[2] : "0");
	for (int i = 1; i < argc; i += 2) { /* --option value pairs */
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		int bad = !val;
		if (!bad && !strcmp(opt, "--iface") && strlen(val) < sizeof(cfg.ifname))
			strcpy(cfg.ifname, val);
		else if (!bad && !strcmp(opt, "--addr")) {
			bad = parse_addr(val, &cfg.addr, &cfg.prefix) != 0;
			have_addr = !bad;
		}
		else if (!bad && !strcmp(opt, "--gateway"))
			bad = parse_addr(val, &cfg.gateway, NULL) != 0;
		else if (!bad && !strcmp(opt, "--watchdog"))
			cfg.watchdog_s = (uint32_t)strtoul(val, NULL, 10);
		else if (!bad && !strcmp(opt, "--for"))
			run_ms = strtoull(val, NULL, 10);
		else if (!bad && !strcmp(opt, "--run-fd"))
			cfg.run_fd = (int)strtol(val, NULL, 10);
		else if (!bad && !strcmp(opt, "--ready-fd"))
			cfg.ready_fd = (int)strtol(val, NULL, 10);
		else
			bad = 1;
		if (bad) {
			fprintf(stderr, "ghostinit guardian: bad or missing value at '%s'\n", opt);
			return usage_print(usage, 1);
		}
	}
	if (!cfg.ifname[0] || !have_addr)
		return usage_print(usage, 1);
	log_init();
	int err = guardian_run(&cfg, run_ms);
	if (err)
		log_error("guardian: cannot watch %s: %s", cfg.ifname, strerror(-err));
	return err ? 1 : 0;
}
