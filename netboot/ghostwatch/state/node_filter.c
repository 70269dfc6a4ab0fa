/* Node selection by name and by state (see node_filter.h). */
#include "state/node_filter.h"

#include <errno.h>
#include <string.h>

const char *node_filter_name(const struct node *n, const struct cluster_list *l)
{
	if (n->listed_name[0])
		return n->listed_name;
	const struct cluster_node *c = l ? cluster_find(l, n->mac) : NULL;
	return c ? c->name : nodes_name(n);
}

/* What each filter keeps, as one predicate. */
struct keep {
	const struct cluster_list *l;
	const struct hostlist *h;
	unsigned mask;
	int64_t now_ms;
	const struct nodes_limits *lim;
};

static int keep_by_name(const struct node *n, const struct keep *k)
{
	const char *name = node_filter_name(n, k->l);
	return name[0] && hostlist_contains(k->h, name);
}

static int keep_by_state(const struct node *n, const struct keep *k)
{
	return k->mask >> nodes_state(n, k->now_ms, k->lim) & 1;
}

static struct nodes *copy_if(struct nodes *t, int (*keep)(const struct node *, const struct keep *),
			     const struct keep *k)
{
	uint32_t count = nodes_count(t);
	struct nodes *out = nodes_new(count ? count : 1);
	if (!out)
		return NULL;
	for (uint32_t i = 0; i < count; i++) {
		const struct node *n = nodes_at(t, i);
		if (!keep(n, k))
			continue;
		struct node *copy = nodes_get(out, n->mac);
		if (copy)
			*copy = *n;
	}
	return out;
}

struct nodes *node_filter_apply(struct nodes *t, const struct cluster_list *l, const struct hostlist *h)
{
	struct keep k = { .l = l, .h = h };
	return copy_if(t, keep_by_name, &k);
}

struct nodes *node_filter_states(struct nodes *t, unsigned mask, int64_t now_ms, const struct nodes_limits *lim)
{
	struct keep k = { .mask = mask, .now_ms = now_ms, .lim = lim };
	return copy_if(t, keep_by_state, &k);
}

int node_filter_parse_states(const char *text, unsigned *mask, const char **bad)
{
	*mask = 0;
	for (const char *p = text;; p++) {
		size_t len = strcspn(p, ",");
		unsigned s = 0;
		while (s < NODE_STATE_COUNT &&
		       (strlen(nodes_state_name(s)) != len || strncmp(p, nodes_state_name(s), len)))
			s++;
		if (s == NODE_STATE_COUNT) {
			*bad = p;
			return -EINVAL;
		}
		*mask |= 1u << s;
		p += len;
		if (!*p)
			return 0;
	}
}
