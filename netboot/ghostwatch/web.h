/* What serve's web port answers (http_server.c calls web_handle): GET /metrics, the
 * Prometheus text exposition (the text file's families plus the per-node ones); GET /, the
 * status page; GET /timeline.svg, its drawing. Anything else: 404. */
#ifndef GW_WEB_H
#define GW_WEB_H

#include <stdint.h>
#include <stdio.h>

#include "cluster_list.h"
#include "http_server.h"
#include "metrics.h"
#include "nodes.h"

struct web {
	struct nodes *nodes;
	const struct cluster_list *cluster; /* NULL: no --cluster */
	const struct metrics_counters *mc;
	const struct nodes_limits *lim;
	uint32_t max_nodes;                 /* per-node series for at most that many nodes */
	int insecure;
	const struct http_server *server;   /* its counters, once open */
};

int web_handle(void *ctx, const struct http_request *r, FILE *body, const char **type);

#endif
