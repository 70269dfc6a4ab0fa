/* Hostfile: host = the node's hostname (an RFC 1123 name, checked again here: a state written
 * by an older ghostwatch may hold anything), or else the address its reports came from;
 * slots = physical cores (threads when the node did not say, 1 without an inventory). */
#include "hostfile.h"

#include <stdlib.h>
#include <string.h>

#include "lib/hostname.h"
#include "status.h"

struct line {
	char host[REPORT_TEXT_MAX + 1];
	unsigned slots;
};

static int by_host(const void *a, const void *b)
{
	return strcmp(((const struct line *)a)->host, ((const struct line *)b)->host);
}

unsigned hostfile_print(FILE *out, struct nodes *t, int64_t now_ms, const struct nodes_limits *lim)
{
	uint32_t count = nodes_count(t), used = 0;
	struct line *lines = calloc(count ? count : 1, sizeof(*lines));
	if (!lines)
		return 0;
	for (uint32_t i = 0; i < count; i++) {
		const struct node *n = nodes_at(t, i);
		if (nodes_state(n, now_ms, lim) != NODE_UP)
			continue;
		struct line *l = &lines[used++];
		if (n->has_inventory && hostname_valid(n->inv.hostname))
			memcpy(l->host, n->inv.hostname, sizeof(l->host));
		else {
			char ip[48];
			status_node_ip(n, ip);
			snprintf(l->host, sizeof(l->host), "%s", ip);
		}
		l->slots = n->inv.cores ? n->inv.cores : n->inv.threads ? n->inv.threads : 1;
	}
	qsort(lines, used, sizeof(*lines), by_host);
	for (uint32_t i = 0; i < used; i++)
		fprintf(out, "%s slots=%u\n", lines[i].host, lines[i].slots);
	free(lines);
	return used;
}
