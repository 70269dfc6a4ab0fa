/* `ghostwatch status NODES --state STATES`: the nodes a host list names, the nodes in some
 * states. A node's name is the one the cluster file gives it (serve --cluster), else the host
 * name it reported. */
#ifndef GW_NODE_FILTER_H
#define GW_NODE_FILTER_H

#include "state/cluster_list.h"
#include "util/hostlist.h"
#include "state/nodes.h"

/* The node's name ("" when it has none): l may be NULL (no cluster file). */
const char *node_filter_name(const struct node *n, const struct cluster_list *l);
/* A new table (nodes_free) of t's nodes whose name is in h, in t's order; NULL: no memory. */
struct nodes *node_filter_apply(struct nodes *t, const struct cluster_list *l, const struct hostlist *h);

/* "up,failed" -> a bit per state (1u << enum node_state) in *mask. 0, or -EINVAL (an empty
 * item or a word that is no state name: *bad points at it). Pure: the command line's. */
int node_filter_parse_states(const char *text, unsigned *mask, const char **bad);
/* A new table (nodes_free) of t's nodes whose state at now_ms is in mask; NULL: no memory. */
struct nodes *node_filter_states(struct nodes *t, unsigned mask, int64_t now_ms, const struct nodes_limits *lim);

#endif
