/* One look at the named nodes (see wait.h). */
#include "view/wait.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state/node_filter.h"

struct named {
	const char *name;
	const struct node *node;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct named *)a)->name, ((const struct named *)b)->name);
}

/* t's nodes that have a name, sorted by it (calloc'd; NULL: no memory). */
static struct named *index_nodes(struct nodes *t, const struct cluster_list *l, size_t *count)
{
	uint32_t n = nodes_count(t);
	struct named *idx = calloc(n ? n : 1, sizeof(*idx));
	*count = 0;
	if (!idx)
		return NULL;
	for (uint32_t i = 0; i < n; i++) {
		const struct node *node = nodes_at(t, i);
		const char *name = node_filter_name(node, l);
		if (name[0])
			idx[(*count)++] = (struct named){ name, node };
	}
	qsort(idx, *count, sizeof(*idx), by_name);
	return idx;
}

static void add_laggard(struct wait_progress *p, const char *name, const char *state)
{
	size_t used = strlen(p->laggards);
	p->laggard_count++;
	if (used + strlen(name) + strlen(state) + 12 >= WAIT_TEXT_MAX) {
		if (!strstr(p->laggards, ", ..."))
			snprintf(p->laggards + used, WAIT_TEXT_MAX - used, ", ...");
		return;
	}
	snprintf(p->laggards + used, WAIT_TEXT_MAX - used, "%s%s (%s)", used ? ", " : "", name, state);
}

int wait_check(struct nodes *t, const struct cluster_list *l, const struct hostlist *h, enum node_state want,
	       int64_t now_ms, const struct nodes_limits *lim, struct wait_progress *p)
{
	size_t count;
	struct named *idx = index_nodes(t, l, &count);
	if (!idx)
		return -ENOMEM;
	memset(p, 0, sizeof(*p));
	int failed = 0;
	for (size_t k = 0; k < h->count; k++) {
		const char *name = hostlist_name(h, h->sorted[k]);
		if (k && !strcmp(name, hostlist_name(h, h->sorted[k - 1])))
			continue; /* a name given twice is waited for once */
		p->total++;
		struct named key = { name, NULL }, *hit = bsearch(&key, idx, count, sizeof(*idx), by_name);
		enum node_state s = hit ? nodes_state(hit->node, now_ms, lim) : NODE_STATE_COUNT;
		if (hit && s == want)
			p->reached++;
		else if (hit && s == NODE_FAILED && !failed) {
			failed = 1;
			snprintf(p->failed, sizeof(p->failed), "%s: %s", name,
				 hit->node->error_text[0] ? hit->node->error_text : "failed");
		} else
			add_laggard(p, name, hit ? nodes_state_name(s) : "absent");
	}
	free(idx);
	return failed ? WAIT_FAILED : p->reached == p->total ? WAIT_DONE : WAIT_PENDING;
}
