/* Per-node Prometheus series for ghostwatch serve's /metrics (the text file keeps the
 * cluster-wide ones only: node_exporter's textfile collector is no place for thousands of
 * series). Each node is labelled node="NAME" (the cluster file's name, else the host name it
 * reported, else its MAC) and mac="aa:bb:cc:dd:ee:ff". Cardinality is bounded: series come
 * from the table as it is now (a node gone from it has none), and at most cap nodes are
 * exported, the rest counted in ghostwatch_nodes_omitted. */
#ifndef GW_NODE_METRICS_H
#define GW_NODE_METRICS_H

#include <stdint.h>
#include <stdio.h>

#include "state/cluster_list.h"
#include "state/nodes.h"

#define NODE_METRICS_DEFAULT_CAP 4096

/* The listed nodes of l missing from t are exported too, in state absent (l may be NULL).
 * Returns 0 or -ENOMEM (nothing printed). */
int node_metrics_print(FILE *out, struct nodes *t, const struct cluster_list *l, int64_t now_ms,
		       const struct nodes_limits *lim, uint32_t cap);
/* A label value with \, " and newline escaped as the exposition format wants. */
void node_metrics_label(FILE *out, const char *s);

#endif
