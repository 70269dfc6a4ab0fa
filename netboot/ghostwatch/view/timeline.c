/* The timeline: one row per node (earliest boot first), x = the master's clock, a bar per
 * stage from the previous stage's time to its own, coloured by stage, so a node stuck in
 * one stage stands out as one long bar of that colour. */
#include "view/timeline.h"

#include <stdlib.h>
#include <string.h>

#include "view/status.h"

#define WIDTH 1200
#define LABEL 230
#define ROW 16
#define TOP 70

static const char *const colours[REPORT_STAGE_COUNT] = {
	"#bbbbbb", "#8dd3c7", "#ffffb3", "#bebada", "#80b1d3", "#fdb462",
	"#b3de69", "#d9d9d9", "#fccde5", "#bc80bd", "#606060", "#fb8072",
};

/* Hostnames come from the wire: printable, but <, > and & would break the document. */
static void xml_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", out);
		else if (*s == '>')
			fputs("&gt;", out);
		else if (*s == '&')
			fputs("&amp;", out);
		else
			fputc(*s, out);
	}
}

static int by_boot(const void *a, const void *b)
{
	const struct node *x = *(const struct node *const *)a, *y = *(const struct node *const *)b;
	return (x->boot_wall > y->boot_wall) - (x->boot_wall < y->boot_wall);
}

static int64_t last_stage_time(const struct node *n)
{
	int64_t end = n->boot_wall;
	for (unsigned s = 0; s < REPORT_STAGE_COUNT; s++)
		if (s != REPORT_STAGE_HEARTBEAT && n->stage_ms[s] != NODES_STAGE_UNSEEN &&
		    n->boot_wall + n->stage_ms[s] > end)
			end = n->boot_wall + n->stage_ms[s];
	return end;
}

unsigned timeline_print(FILE *out, struct nodes *t)
{
	uint32_t count = nodes_count(t), rows = 0;
	const struct node **list = calloc(count ? count : 1, sizeof(*list));
	if (!list)
		return 0;
	for (uint32_t i = 0; i < count; i++)
		list[rows++] = nodes_at(t, i);
	qsort(list, rows, sizeof(*list), by_boot);
	if (rows > TIMELINE_MAX_ROWS)
		rows = TIMELINE_MAX_ROWS;
	int64_t t0 = rows ? list[0]->boot_wall : 0, t1 = t0 + 1000;
	for (uint32_t i = 0; i < rows; i++)
		if (last_stage_time(list[i]) > t1)
			t1 = last_stage_time(list[i]);
	double span = (double)(t1 - t0), scale = (WIDTH - LABEL - 20) / span;
	int height = TOP + (int)rows * ROW + 40;
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		     "font-family=\"monospace\" font-size=\"11\">\n"
		     "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
		     "<text x=\"10\" y=\"18\" font-size=\"14\">ghostboot: boot and shutdown stages of %u "
		     "nodes (%u shown), %.1f s</text>\n",
		WIDTH, height, count, rows, span / 1000);
	for (unsigned s = 0, x = 10; s < REPORT_STAGE_COUNT; s++) {
		if (s == REPORT_STAGE_HEARTBEAT)
			continue;
		fprintf(out, "<rect x=\"%u\" y=\"30\" width=\"10\" height=\"10\" fill=\"%s\"/>"
			     "<text x=\"%u\" y=\"39\">%s</text>\n",
			x, colours[s], x + 13, report_stage_name(s));
		x += 13 + 7 * (unsigned)strlen(report_stage_name(s)) + 12;
	}
	/* A grid line every "step" seconds, chosen for about ten lines. */
	double step = 1;
	while (span / 1000 / step > 10)
		step *= step == 1 ? 2 : step == 2 ? 2.5 : 2;
	for (double s = 0; s * 1000 <= span; s += step) {
		double x = LABEL + s * 1000 * scale;
		fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eeeeee\"/>"
			     "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%gs</text>\n",
			x, TOP - 8, x, TOP + (int)rows * ROW, x, height - 20, s);
	}
	for (uint32_t i = 0; i < rows; i++) {
		const struct node *n = list[i];
		char ip[48];
		int y = TOP + (int)i * ROW;
		status_node_ip(n, ip);
		char name[17];
		const char *host = n->inv.hostname[0] ? n->inv.hostname : "-";
		size_t len = strnlen(host, sizeof(name) - 1); /* long names cut to the label width */
		memcpy(name, host, len);
		name[len] = '\0';
		fprintf(out, "<text x=\"10\" y=\"%d\">", y + 11);
		xml_text(out, name);
		fprintf(out, " %s</text>\n", ip);
		int64_t prev = n->boot_wall;
		for (unsigned s = 0; s < REPORT_STAGE_COUNT; s++) {
			if (s == REPORT_STAGE_HEARTBEAT || n->stage_ms[s] == NODES_STAGE_UNSEEN)
				continue;
			int64_t at = n->boot_wall + n->stage_ms[s];
			if (at < prev)
				at = prev;
			double x = LABEL + (double)(prev - t0) * scale;
			double w = (double)(at - prev) * scale;
			fprintf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
				     "<title>%s at %.3f s</title></rect>\n",
				x, y + 2, w < 1 ? 1 : w, ROW - 4, colours[s], report_stage_name(s),
				n->stage_ms[s] / 1000.0);
			prev = at;
		}
	}
	fprintf(out, "</svg>\n");
	free(list);
	return rows;
}
