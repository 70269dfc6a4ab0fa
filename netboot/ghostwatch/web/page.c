/* The status page. Server-side HTML (no script to trust with node strings): a summary by
 * state, one row per node (name, MAC, address, state, since, stage times, boot time, guardian
 * restores, last error), then the timeline (/timeline.svg, the same drawing as
 * `ghostwatch timeline`). */
#include "web/page.h"

#include <string.h>

#include "state/node_filter.h"
#include "view/status.h"

void page_escape(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default:
			if ((unsigned char)*s >= ' ' && *s != 0x7f)
				fputc(*s, out);
		}
	}
}

static const unsigned page_stages[] = {
	REPORT_STAGE_MODULES, REPORT_STAGE_LINK, REPORT_STAGE_LEASE, REPORT_STAGE_ROOT_MOUNTED,
	REPORT_STAGE_SWITCH_ROOT, REPORT_STAGE_SHUTDOWN_BEGIN,
};
#define NPAGE_STAGES (sizeof(page_stages) / sizeof(page_stages[0]))

/* The state colours are none of the timeline's, so that a screenshot's pixels tell them apart
 * (tests/net/test_status_page.sh counts them). */
static void head(FILE *out)
{
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		     "<meta http-equiv=\"refresh\" content=\"%d\">\n<title>ghostboot: nodes</title>\n"
		     "<style>\nbody{font-family:sans-serif;margin:1em;background:#fff;color:#222}\n"
		     "table{border-collapse:collapse;font-size:14px}\n"
		     "th,td{border:1px solid #ccc;padding:3px 8px;text-align:left}\n"
		     "th{background:#eee}td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
		     "tr.up td.st{background:#7fd17f}tr.booting td.st,tr.shutting-down td.st{background:#ffffb3}\n"
		     "tr.failed td.st,tr.lost td.st{background:#f26d6d}tr.down td.st,tr.absent td.st{background:#d9d9d9}\n"
		     ".insecure{background:#fb8072;padding:4px}\nimg{margin-top:1em;max-width:100%%}\n"
		     "</style></head><body>\n<h1>ghostboot nodes</h1>\n", PAGE_REFRESH_S);
}

static void row(FILE *out, const struct node *n, const struct cluster_list *l, int64_t now_ms,
		const struct nodes_limits *lim)
{
	const uint8_t *m = n->mac;
	char ip[48];
	const char *state = nodes_state_name(nodes_state(n, now_ms, lim));
	status_node_ip(n, ip);
	fprintf(out, "<tr class=\"%s\"><td>", state);
	page_escape(out, node_filter_name(n, l)[0] ? node_filter_name(n, l) : "-");
	fprintf(out, "</td><td>%02x:%02x:%02x:%02x:%02x:%02x</td><td>", m[0], m[1], m[2], m[3], m[4], m[5]);
	page_escape(out, n->inv.hostname[0] ? n->inv.hostname : "-");
	fprintf(out, "</td><td>%s</td><td class=\"st\">%s</td><td class=\"n\">", n->src_ip ? ip : "-", state);
	if (n->absent)
		fputs("-", out);
	else
		fprintf(out, "%llds", (long long)((now_ms - n->last_seen) / 1000));
	fputs("</td>", out);
	for (unsigned s = 0; s < NPAGE_STAGES; s++) {
		uint32_t ms = n->stage_ms[page_stages[s]];
		if (ms == NODES_STAGE_UNSEEN)
			fputs("<td class=\"n\">-</td>", out);
		else
			fprintf(out, "<td class=\"n\">%.2f</td>", ms / 1000.0);
	}
	fprintf(out, "<td class=\"n\">%u</td><td>", n->guardian_restores);
	if (n->error || n->error_text[0]) {
		page_escape(out, n->error_text[0] ? n->error_text : "-");
		fprintf(out, " (%s)", strerror(n->error));
	} else {
		fputs("-", out);
	}
	fputs("</td></tr>\n", out);
}

void page_print(FILE *out, struct nodes *t, const struct cluster_list *l, int64_t now_ms,
		const struct nodes_limits *lim, int insecure)
{
	uint32_t counts[NODE_STATE_COUNT] = { 0 }, shown = 0;
	struct node ghost;
	head(out);
	if (insecure)
		fputs("<p class=\"insecure\">INSECURE: serve runs without a cluster key (--insecure): "
		      "anyone on the network can forge these rows.</p>\n", out);
	for (uint32_t i = 0; i < nodes_count(t); i++)
		counts[nodes_state(nodes_at(t, i), now_ms, lim)]++;
	for (size_t i = 0; l && i < l->count; i++)
		counts[NODE_ABSENT] += !nodes_find(t, l->nodes[i].mac);
	fputs("<p id=\"summary\">", out);
	for (unsigned s = 0; s < NODE_STATE_COUNT; s++)
		fprintf(out, "%s%u %s", s ? ", " : "", counts[s], nodes_state_name(s));
	fputs("</p>\n<table id=\"nodes\"><thead><tr><th>NAME</th><th>MAC</th><th>HOSTNAME</th><th>IP</th>"
	      "<th>STATE</th><th>LAST REPORT</th><th>MOD</th><th>LINK</th><th>LEASE</th><th>ROOT</th>"
	      "<th>SWITCH</th><th>SHUTDN</th><th>GUARD</th><th>LAST ERROR</th></tr></thead><tbody>\n", out);
	for (uint32_t i = 0; i < nodes_count(t) && shown < PAGE_MAX_ROWS; i++, shown++)
		row(out, nodes_at(t, i), l, now_ms, lim);
	for (size_t i = 0; l && i < l->count && shown < PAGE_MAX_ROWS; i++) {
		if (nodes_find(t, l->nodes[i].mac))
			continue;
		memset(&ghost, 0, sizeof(ghost));
		memcpy(ghost.mac, l->nodes[i].mac, sizeof(ghost.mac));
		memset(ghost.stage_ms, 0xff, sizeof(ghost.stage_ms));
		ghost.src_ip = l->nodes[i].ip;
		ghost.absent = 1;
		row(out, &ghost, l, now_ms, lim);
		shown++;
	}
	fputs("</tbody></table>\n", out);
	uint32_t total = 0;
	for (unsigned s = 0; s < NODE_STATE_COUNT; s++)
		total += counts[s];
	if (shown < total)
		fprintf(out, "<p>%u more nodes not shown: ghostwatch status lists them all.</p>\n", total - shown);
	fputs("<h2>Boot timeline</h2>\n<img src=\"timeline.svg\" alt=\"boot timeline\">\n"
	      "<p>Stage times in seconds since each node's kernel started; this page reloads every "
	      "few seconds.</p>\n</body></html>\n", out);
}
