/* Status output. The table shows one node per line: id, name (the cluster file's, else the
 * reported host name), IP, state and since when, the time of each boot stage (s since the
 * node's kernel started), last error, link speed. */
#include "view/status.h"

#include <arpa/inet.h>
#include <string.h>
#include <time.h>

#include "util/json.h"

void status_node_ip(const struct node *n, char buf[48])
{
	/* Not the inventory's address: that is a claim, anyone holding a key could name another
	 * machine there and have MPI ranks started on it. */
	buf[0] = '\0';
	inet_ntop(AF_INET, &n->src_ip, buf, 48);
}

static void mac_text(const uint8_t *mac, char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		 mac[5]);
}

/* When the node entered its last stage, on the master's clock. */
static int64_t since_ms(const struct node *n)
{
	uint32_t t = n->stage_ms[n->last_stage];
	return t == NODES_STAGE_UNSEEN ? n->last_seen : n->boot_wall + t;
}

static void age_text(int64_t ms, char *buf, size_t size)
{
	int64_t s = ms / 1000;
	if (s < 0)
		s = 0;
	if (s < 120)
		snprintf(buf, size, "%llds ago", (long long)s);
	else if (s < 7200)
		snprintf(buf, size, "%lldm ago", (long long)(s / 60));
	else
		snprintf(buf, size, "%lldh ago", (long long)(s / 3600));
}

static const unsigned table_stages[] = {
	REPORT_STAGE_MODULES, REPORT_STAGE_LINK, REPORT_STAGE_LEASE, REPORT_STAGE_ROOT_MOUNTED,
	REPORT_STAGE_SWITCH_ROOT, REPORT_STAGE_SHUTDOWN_BEGIN, REPORT_STAGE_UNMOUNTED,
};
static const char *const table_stage_heads[] = { "MOD", "LINK", "LEASE", "ROOT", "SWITCH",
						 "SHUTDN", "UMOUNT" };
#define NTABLE_STAGES (sizeof(table_stages) / sizeof(table_stages[0]))

void status_print_table(FILE *out, struct nodes *t, int64_t now_ms, const struct nodes_limits *lim,
			int insecure)
{
	uint32_t counts[NODE_STATE_COUNT] = { 0 };
	if (insecure)
		fprintf(out, "INSECURE: serve runs without a cluster key (--insecure): anyone on the "
			     "network can forge these lines\n");
	fprintf(out, "%-17s %-16s %-15s %-13s %-9s %s", "NODE", "NAME", "IP", "STATE", "SINCE", "V");
	for (unsigned s = 0; s < NTABLE_STAGES; s++)
		fprintf(out, " %6s", table_stage_heads[s]);
	fprintf(out, " %-7s %5s %s\n", "LINK", "GUARD", "LAST ERROR");
	for (uint32_t i = 0; i < nodes_count(t); i++) {
		const struct node *n = nodes_at(t, i);
		char mac[18], ip[48], age[24], speed[16];
		enum node_state st = nodes_state(n, now_ms, lim);
		counts[st]++;
		mac_text(n->mac, mac);
		status_node_ip(n, ip);
		if (n->absent)
			snprintf(age, sizeof(age), "-"); /* never heard from */
		else
			age_text(now_ms - since_ms(n), age, sizeof(age));
		/* v1: no freshness proof (docs/protocol.md), shown so that the upgrade's end is seen. */
		fprintf(out, "%-17s %-16.16s %-15.15s %-13s %-9s %u", mac,
			nodes_name(n)[0] ? nodes_name(n) : "-", ip, nodes_state_name(st), age,
			n->protocol == 2 ? 2u : 1u);
		for (unsigned s = 0; s < NTABLE_STAGES; s++) {
			uint32_t ms = n->stage_ms[table_stages[s]];
			if (ms == NODES_STAGE_UNSEEN)
				fprintf(out, " %6s", "-");
			else
				fprintf(out, " %6.2f", ms / 1000.0);
		}
		if (!n->has_inventory || n->inv.link_mbps == REPORT_LINK_SPEED_UNKNOWN)
			snprintf(speed, sizeof(speed), "-");
		else if (n->inv.link_mbps >= 1000 && n->inv.link_mbps % 1000 == 0)
			snprintf(speed, sizeof(speed), "%uG", n->inv.link_mbps / 1000);
		else
			snprintf(speed, sizeof(speed), "%uM", n->inv.link_mbps);
		fprintf(out, " %-7s %5u", speed, n->guardian_restores);
		if (n->error || n->error_text[0])
			fprintf(out, " %s (%s)\n", n->error_text[0] ? n->error_text : "-", strerror(n->error));
		else
			fprintf(out, " -\n");
	}
	fprintf(out, "%u nodes:", nodes_count(t));
	for (unsigned s = 0; s < NODE_STATE_COUNT; s++)
		fprintf(out, " %u %s%s", counts[s], nodes_state_name(s), s + 1 < NODE_STATE_COUNT ? "," : "\n");
	uint32_t unlisted = 0;
	for (uint32_t i = 0; i < nodes_count(t); i++)
		unlisted += nodes_at(t, i)->unlisted;
	if (!unlisted)
		return;
	fprintf(out, "%u not in the cluster file (serve --cluster), never in the hostfile:", unlisted);
	for (uint32_t i = 0; i < nodes_count(t); i++) {
		char mac[18];
		mac_text(nodes_at(t, i)->mac, mac);
		if (nodes_at(t, i)->unlisted)
			fprintf(out, " %s", mac);
	}
	fputc('\n', out);
}

void status_print_json(FILE *out, struct nodes *t, int64_t now_ms, const struct nodes_limits *lim,
		       int insecure)
{
	fprintf(out, "{\"now_ms\":%lld,\"insecure\":%s,\"nodes\":[", (long long)now_ms,
		insecure ? "true" : "false");
	for (uint32_t i = 0; i < nodes_count(t); i++) {
		const struct node *n = nodes_at(t, i);
		char mac[18], ip[48];
		mac_text(n->mac, mac);
		status_node_ip(n, ip);
		fprintf(out, "%s\n{\"node\":\"%s\",\"listed\":%s,\"name\":", i ? "," : "", mac,
			n->unlisted ? "false" : "true");
		json_string(out, nodes_name(n));
		fputs(",\"hostname\":", out);
		json_string(out, n->inv.hostname);
		fprintf(out, ",\"ip\":\"%s\",\"state\":\"%s\",\"stage\":\"%s\",\"since_ms\":%lld,"
			     "\"last_seen_ms\":%lld,\"first_seen_ms\":%lld,\"boot_id\":\"%016llx\","
			     "\"boots\":%u,\"protocol\":%u,\"heartbeat_s\":%u,\"stages_ms\":{",
			ip, nodes_state_name(nodes_state(n, now_ms, lim)), report_stage_name(n->last_stage),
			(long long)since_ms(n), (long long)n->last_seen, (long long)n->first_seen,
			(unsigned long long)n->boot_id, n->boots, n->protocol == 2 ? 2u : 1u, n->heartbeat_s);
		int first = 1;
		for (unsigned s = 0; s < REPORT_STAGE_COUNT; s++) {
			if (n->stage_ms[s] == NODES_STAGE_UNSEEN)
				continue;
			fprintf(out, "%s\"%s\":%u", first ? "" : ",", report_stage_name(s), n->stage_ms[s]);
			first = 0;
		}
		fprintf(out, "},\"error\":%u,\"error_text\":", n->error);
		json_string(out, n->error_text);
		fprintf(out, ",\"guardian_restores\":%u,\"guardian_text\":", n->guardian_restores);
		json_string(out, n->guardian_text);
		if (n->has_inventory) {
			fprintf(out, ",\"kernel\":");
			json_string(out, n->inv.kernel);
			fprintf(out, ",\"cpu\":");
			json_string(out, n->inv.cpu);
			fprintf(out, ",\"cores\":%u,\"threads\":%u,\"sockets\":%u,\"mem_mib\":%u,\"mem_pages\":%u,\"page_kib\":%u,\"mtu\":%u,\"link_mbps\":",
				n->inv.cores, n->inv.threads, n->inv.sockets, n->inv.mem_mib, n->inv.mem_pages, n->inv.page_kib, n->inv.mtu);
			if (n->inv.link_mbps == REPORT_LINK_SPEED_UNKNOWN)
				fprintf(out, "null");
			else
				fprintf(out, "%u", n->inv.link_mbps);
		}
		fputc('}', out);
	}
	fprintf(out, "\n]}\n");
}
