/* The `report` subcommand: one boot's worth of reports from the command line, through the
 * same sender ghostinit uses as PID 1 (report.c), so tests exercise the real path. */
#include "report/report_cmd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "boot/cmdline.h"
#include "report/boot_report.h"
#include "report/heartbeat.h"
#include "report/inventory.h"
#include "report/report.h"
#include "lib/usage.h"

static const char usage_text[] =
	"usage: ghostinit report --master IP[:PORT] --mac MAC [--key-file FILE] [--heartbeat S]\n"
	"                        [--error ERRNO] [--text TEXT] [--inventory IFNAME] [--protocol 1]\n"
	"                        STAGE...\n"
	"stages: boot modules link lease root-mounted overlay switch-root heartbeat\n"
	"        shutdown-begin unmounted reset fatal\n"
	"exit: 0 all acked, 1 some not, 2 usage, 3 cannot report\n";

static int usage(void)
{
	return usage_print(usage_text, 1);
}

static int parse_master(const char *v, uint32_t *ip, uint16_t *port)
{
	char host[64];
	const char *colon = strchr(v, ':');
	size_t n = colon ? (size_t)(colon - v) : strlen(v);
	struct in_addr a;
	if (n >= sizeof(host))
		return -EINVAL;
	memcpy(host, v, n);
	host[n] = '\0';
	if (inet_pton(AF_INET, host, &a) != 1)
		return -EINVAL;
	*ip = a.s_addr;
	*port = GHOST_DEFAULT_MASTER_PORT;
	if (colon) {
		char *end;
		unsigned long p = strtoul(colon + 1, &end, 10);
		if (*end || !p || p > 65535)
			return -EINVAL;
		*port = (uint16_t)p;
	}
	return 0;
}

int report_cmd_main(int argc, char **argv)
{
	struct report_setup s;
	const char *text = NULL, *inventory_if = NULL;
	int err_code = 0, have_master = 0, have_mac = 0, i;
	memset(&s, 0, sizeof(s));
	s.budget_ms = REPORT_BUDGET_MS;
	if (usage_asked(argc, argv))
		return usage_print(usage_text, 0);
	for (i = 1; i < argc && !strncmp(argv[i], "--", 2); i += 2) {
		const char *opt = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			return usage();
		if (!strcmp(opt, "--master")) {
			if (parse_master(v, &s.master_ip, &s.master_port)) {
				fprintf(stderr, "ghostinit: bad --master '%s'\n", v);
				return 2;
			}
			have_master = 1;
		} else if (!strcmp(opt, "--mac")) {
			uint8_t type, len;
			if (cmdline_parse_hwaddr(v, &type, s.node, &len) || len != REPORT_NODE_LEN) {
				fprintf(stderr, "ghostinit: bad --mac '%s'\n", v);
				return 2;
			}
			have_mac = 1;
		} else if (!strcmp(opt, "--key-file")) {
			/* Never the key itself: argv is in /proc/<pid>/cmdline for every local user. */
			s.keylen = report_load_key_file(v, s.key);
			if (s.keylen < 0) {
				fprintf(stderr, "ghostinit: bad --key-file: %s\n", strerror(-s.keylen));
				return 3;
			}
		} else if (!strcmp(opt, "--heartbeat")) {
			s.heartbeat_s = (uint16_t)strtoul(v, NULL, 10);
		} else if (!strcmp(opt, "--error")) {
			err_code = atoi(v);
		} else if (!strcmp(opt, "--text")) {
			text = v;
		} else if (!strcmp(opt, "--inventory")) {
			inventory_if = v;
		} else if (!strcmp(opt, "--protocol")) {
			s.version = (uint8_t)atoi(v); /* 1: as ghost.protocol=1; anything else: 2 */
		} else {
			return usage();
		}
	}
	if (!have_master || !have_mac || i >= argc)
		return usage();
	for (int j = i; j < argc; j++)
		if (report_stage_from_name(argv[j]) < 0) {
			fprintf(stderr, "ghostinit: unknown stage '%s'\n", argv[j]);
			return 2;
		}
	int err = report_open(&s);
	if (err) {
		fprintf(stderr, "ghostinit: cannot start reporting: %s\n", strerror(-err));
		return 3;
	}
	if (inventory_if) {
		struct report_inventory inv;
		(void)inventory_collect(inventory_if, 0, &inv);
		report_set_inventory(&inv);
	}
	int all_acked = 1;
	for (int j = i; j < argc; j++) {
		int last = j == argc - 1;
		int r = report_stage((unsigned)report_stage_from_name(argv[j]), last ? err_code : 0,
				     last ? text : NULL);
		printf("report %s seq %u: %s\n", argv[j], report_last_seq(), r == 1 ? "acked" : "not acked");
		all_acked &= r == 1;
	}
	struct report_stats st = report_get_stats();
	printf("boot id %016llx: sent %u, retransmits %u, acked %u, given up %u, waited %u ms\n",
	       (unsigned long long)report_boot_id(), st.sent, st.retransmits, st.acked, st.given_up,
	       st.waited_ms);
	report_close();
	return all_acked ? 0 : 1;
}
