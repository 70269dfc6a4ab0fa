/* Node selection by name (see node_filter.h). */
#include "node_filter.h"

const char *node_filter_name(const struct node *n, const struct cluster_list *l)
{
	const struct cluster_node *c = l ? cluster_find(l, n->mac) : NULL;
	return c ? c->name : n->inv.hostname;
}

struct nodes *node_filter_apply(struct nodes *t, const struct cluster_list *l, const struct hostlist *h)
{
	uint32_t count = nodes_count(t);
	struct nodes *out = nodes_new(count ? count : 1);
	if (!out)
		return NULL;
	for (uint32_t i = 0; i < count; i++) {
		const struct node *n = nodes_at(t, i);
		const char *name = node_filter_name(n, l);
		if (!name[0] || !hostlist_contains(h, name))
			continue;
		struct node *copy = nodes_get(out, n->mac);
		if (copy)
			*copy = *n;
	}
	return out;
}
