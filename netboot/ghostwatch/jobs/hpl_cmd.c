/* HPL.dat from ghostwatch's state (see hpl_cmd.h). */
#include "jobs/hpl_cmd.h"

#include <errno.h>
#include <stdlib.h>

int hpl_cmd_print(FILE *out, FILE *err, struct nodes *t, int64_t now_ms, const struct nodes_limits *lim,
		  const struct hpl_rule *rule, int hpcc)
{
	uint32_t count = nodes_count(t), used = 0, blind = 0;
	struct hpl_node *nodes = calloc(count ? count : 1, sizeof(*nodes));
	if (!nodes) {
		fprintf(err, "ghostwatch hpl-dat: out of memory\n");
		return 1;
	}
	for (uint32_t i = 0; i < count; i++) {
		const struct node *n = nodes_at(t, i);
		if (nodes_state(n, now_ms, lim) != NODE_UP || n->unlisted)
			continue;
		if (!n->has_inventory || !n->inv.mem_mib) {
			blind++; /* up, but never said its memory: cannot be sized, gets no rank */
			continue;
		}
		nodes[used].mem_mib = n->inv.mem_mib;
		nodes[used++].cores = n->inv.cores ? n->inv.cores : n->inv.threads;
	}
	struct hpl_size s;
	int r = hpl_size(nodes, used, rule, &s);
	free(nodes);
	if (blind)
		fprintf(err, "ghostwatch hpl-dat: %u node(s) up without an inventory left out\n", blind);
	if (r == -ENOENT) {
		fprintf(err, "ghostwatch hpl-dat: no node up with memory for HPL (%u up with an inventory)\n", used);
		return 1;
	}
	if (r) {
		fprintf(err, "ghostwatch hpl-dat: the rule is out of range\n");
		return 1;
	}
	hpl_dat_print(out, &s, rule, hpcc);
	return 0;
}
