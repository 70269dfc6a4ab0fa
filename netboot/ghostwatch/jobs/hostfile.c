/* Hostfile: one line per node that is up, "<address> slots=<n> # <name>". The host is the
 * address the node's last authenticated report came from, never a name it chose: a name is
 * whatever the node (or root on it) says, and may resolve to any machine, so that an MPI job
 * would start ranks there; the name (an RFC 1123 name, checked again here: a state written by
 * an older ghostwatch may hold anything) is only a comment for people. slots = physical cores
 * (threads when the node did not say, 1 without an inventory). Sorted by address. */
#include "jobs/hostfile.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hostname.h"

struct line {
	uint32_t addr; /* host order, for sorting */
	unsigned slots;
	char name[REPORT_TEXT_MAX + 1];
};

static int by_addr(const void *a, const void *b)
{
	uint32_t x = ((const struct line *)a)->addr, y = ((const struct line *)b)->addr;
	return x < y ? -1 : x > y;
}

/* The lines, sorted (calloc'd; NULL: no memory). */
static struct line *collect(struct nodes *t, int64_t now_ms, const struct nodes_limits *lim, uint32_t *used)
{
	uint32_t count = nodes_count(t);
	struct line *lines = calloc(count ? count : 1, sizeof(*lines));
	*used = 0;
	if (!lines)
		return NULL;
	for (uint32_t i = 0; i < count; i++) {
		const struct node *n = nodes_at(t, i);
		if (nodes_state(n, now_ms, lim) != NODE_UP || n->unlisted)
			continue; /* not in the cluster file (serve --cluster): shown, never given ranks */
		struct line *l = &lines[(*used)++];
		l->addr = ntohl(n->src_ip);
		if (n->has_inventory && hostname_valid(n->inv.hostname))
			memcpy(l->name, n->inv.hostname, sizeof(l->name));
		l->slots = n->inv.cores ? n->inv.cores : n->inv.threads ? n->inv.threads : 1;
	}
	qsort(lines, *used, sizeof(*lines), by_addr);
	return lines;
}

static void addr_text(const struct line *l, char ip[INET_ADDRSTRLEN])
{
	uint32_t a = htonl(l->addr);
	inet_ntop(AF_INET, &a, ip, INET_ADDRSTRLEN);
}

unsigned hostfile_print(FILE *out, struct nodes *t, int64_t now_ms, const struct nodes_limits *lim)
{
	uint32_t used;
	struct line *lines = collect(t, now_ms, lim, &used);
	for (uint32_t i = 0; lines && i < used; i++) {
		char ip[INET_ADDRSTRLEN];
		addr_text(&lines[i], ip);
		fprintf(out, "%s slots=%u%s%s\n", ip, lines[i].slots, lines[i].name[0] ? " # " : "", lines[i].name);
	}
	free(lines);
	return used;
}

unsigned hostfile_print_json(FILE *out, struct nodes *t, int64_t now_ms, const struct nodes_limits *lim)
{
	uint32_t used;
	struct line *lines = collect(t, now_ms, lim, &used);
	fprintf(out, "{\"hosts\":[");
	for (uint32_t i = 0; lines && i < used; i++) {
		char ip[INET_ADDRSTRLEN];
		addr_text(&lines[i], ip);
		/* The name passed hostname_valid: nothing in it needs escaping. */
		fprintf(out, "%s\n{\"address\":\"%s\",\"slots\":%u,\"name\":\"%s\"}", i ? "," : "", ip,
			lines[i].slots, lines[i].name);
	}
	fprintf(out, "\n]}\n");
	free(lines);
	return used;
}
