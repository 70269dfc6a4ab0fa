/* `ghostwatch status NODES`: the nodes a host list names. A node's name is the one the
 * cluster file gives it (serve --cluster), else the host name it reported. */
#ifndef GW_NODE_FILTER_H
#define GW_NODE_FILTER_H

#include "cluster_list.h"
#include "hostlist.h"
#include "nodes.h"

/* The node's name ("" when it has none): l may be NULL (no cluster file). */
const char *node_filter_name(const struct node *n, const struct cluster_list *l);
/* A new table (nodes_free) of t's nodes whose name is in h, in t's order; NULL: no memory. */
struct nodes *node_filter_apply(struct nodes *t, const struct cluster_list *l, const struct hostlist *h);

#endif
