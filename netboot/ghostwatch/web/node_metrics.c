/* The per-node families. State is one series per state with the value 1 for the node's
 * current state and 0 for the others (the "enum" pattern of Prometheus' instrumentation
 * guide): a query names the state ({state="up"} == 0), sum by (state) counts them, and no
 * query depends on the order of our enum as a state number would. */
#include "web/node_metrics.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "state/node_filter.h"

struct row {
	const struct node *n;
	char name[CLUSTER_NAME_MAX + REPORT_TEXT_MAX + 1];
	char mac[18];
	enum node_state state;
};

void node_metrics_label(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', out);
		if (*s == '\n')
			fputs("\\n", out);
		else
			fputc(*s, out);
	}
}

static void labels(FILE *out, const struct row *r)
{
	fputs("{node=\"", out);
	node_metrics_label(out, r->name);
	fprintf(out, "\",mac=\"%s\"", r->mac);
}

static void row_fill(struct row *r, const struct node *n, const struct cluster_list *l, int64_t now_ms,
		     const struct nodes_limits *lim)
{
	const uint8_t *m = n->mac;
	snprintf(r->mac, sizeof(r->mac), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	const char *name = node_filter_name(n, l);
	snprintf(r->name, sizeof(r->name), "%s", name[0] ? name : r->mac);
	r->n = n;
	r->state = nodes_state(n, now_ms, lim);
}

static void family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void print_rows(FILE *out, const struct row *rows, uint32_t nrows, int64_t now_ms)
{
	family(out, "ghostwatch_node_state", "gauge", "1 for the node's current state, 0 for the others.");
	for (uint32_t i = 0; i < nrows; i++)
		for (unsigned s = 0; s < NODE_STATE_COUNT; s++) {
			fputs("ghostwatch_node_state", out);
			labels(out, &rows[i]);
			fprintf(out, ",state=\"%s\"} %d\n", nodes_state_name(s), rows[i].state == s);
		}
	family(out, "ghostwatch_node_stage_seconds", "gauge",
	       "When the node reached each stage of its current boot, seconds since its kernel started.");
	for (uint32_t i = 0; i < nrows; i++)
		for (unsigned s = 0; s < REPORT_STAGE_COUNT; s++) {
			uint32_t ms = rows[i].n->stage_ms[s];
			if (ms == NODES_STAGE_UNSEEN || s == REPORT_STAGE_HEARTBEAT)
				continue;
			fputs("ghostwatch_node_stage_seconds", out);
			labels(out, &rows[i]);
			fprintf(out, ",stage=\"%s\"} %.3f\n", report_stage_name(s), ms / 1000.0);
		}
	family(out, "ghostwatch_node_boot_seconds", "gauge",
	       "Kernel start to switch_root, the node's current boot (none before it gets there).");
	for (uint32_t i = 0; i < nrows; i++) {
		uint32_t ms = rows[i].n->stage_ms[REPORT_STAGE_SWITCH_ROOT];
		if (ms == NODES_STAGE_UNSEEN)
			continue;
		fputs("ghostwatch_node_boot_seconds", out);
		labels(out, &rows[i]);
		fprintf(out, "} %.3f\n", ms / 1000.0);
	}
	family(out, "ghostwatch_node_guardian_restores", "gauge",
	       "Boot-link restores by the node's guardian, current boot (starts at 0 each boot).");
	for (uint32_t i = 0; i < nrows; i++) {
		if (rows[i].n->absent)
			continue;
		fputs("ghostwatch_node_guardian_restores", out);
		labels(out, &rows[i]);
		fprintf(out, "} %u\n", rows[i].n->guardian_restores);
	}
	family(out, "ghostwatch_node_last_report_timestamp_seconds", "gauge",
	       "Unix time of the node's last accepted report (the master's clock).");
	for (uint32_t i = 0; i < nrows; i++) {
		if (rows[i].n->absent)
			continue;
		fputs("ghostwatch_node_last_report_timestamp_seconds", out);
		labels(out, &rows[i]);
		fprintf(out, "} %.3f\n", rows[i].n->last_seen / 1000.0);
	}
	family(out, "ghostwatch_node_last_report_age_seconds", "gauge",
	       "Seconds since the node's last accepted report, at this scrape.");
	for (uint32_t i = 0; i < nrows; i++) {
		if (rows[i].n->absent)
			continue;
		int64_t age = now_ms - rows[i].n->last_seen;
		fputs("ghostwatch_node_last_report_age_seconds", out);
		labels(out, &rows[i]);
		fprintf(out, "} %.3f\n", (age > 0 ? age : 0) / 1000.0);
	}
}

int node_metrics_print(FILE *out, struct nodes *t, const struct cluster_list *l, int64_t now_ms,
		       const struct nodes_limits *lim, uint32_t cap)
{
	uint32_t absent = 0, total = nodes_count(t);
	for (size_t i = 0; l && i < l->count; i++)
		absent += !nodes_find(t, l->nodes[i].mac);
	total += absent;
	uint32_t nrows = total < cap ? total : cap;
	struct row *rows = calloc(nrows ? nrows : 1, sizeof(*rows));
	/* Placeholders for the listed nodes never heard from, as status shows them. */
	struct node *ghosts = calloc(absent ? absent : 1, sizeof(*ghosts));
	if (!rows || !ghosts) {
		free(rows);
		free(ghosts);
		return -ENOMEM;
	}
	uint32_t k = 0, g = 0;
	for (uint32_t i = 0; i < nodes_count(t) && k < nrows; i++)
		row_fill(&rows[k++], nodes_at(t, i), l, now_ms, lim);
	for (size_t i = 0; l && i < l->count && k < nrows; i++) {
		if (nodes_find(t, l->nodes[i].mac))
			continue;
		struct node *n = &ghosts[g++];
		memcpy(n->mac, l->nodes[i].mac, sizeof(n->mac));
		memset(n->stage_ms, 0xff, sizeof(n->stage_ms));
		n->absent = 1;
		row_fill(&rows[k++], n, l, now_ms, lim);
	}
	print_rows(out, rows, nrows, now_ms);
	family(out, "ghostwatch_nodes_exported", "gauge", "Nodes with series here (at most serve --http-max-nodes).");
	fprintf(out, "ghostwatch_nodes_exported %u\n", nrows);
	family(out, "ghostwatch_nodes_omitted", "gauge", "Nodes left out of the per-node series: past --http-max-nodes.");
	fprintf(out, "ghostwatch_nodes_omitted %u\n", total - nrows);
	free(rows);
	free(ghosts);
	return 0;
}
