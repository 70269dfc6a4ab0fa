/* What serve's web port answers (http_server.c calls web_handle): GET /metrics, the
 * Prometheus text exposition (the text file's families plus the per-node ones); GET /, the
 * status page; GET /timeline.svg, its drawing. Anything else: 404. Each answer is made at
 * most once every WEB_CACHE_MS and copied to the requests in between, so that clients asking
 * in a loop cost memcpy, not a walk of the node table in serve's loop (reports wait for it). */
#ifndef GW_WEB_H
#define GW_WEB_H

#include <stdint.h>
#include <stdio.h>

#include "state/cluster_list.h"
#include "web/http_server.h"
#include "serve/metrics.h"
#include "state/nodes.h"

#define WEB_CACHE_MS 1000
#define WEB_ROUTES 3

struct web_answer {
	char *data;
	size_t len;
	int status;
	const char *type;
	int64_t made_ms; /* 0: none yet */
};

struct web {
	struct nodes *nodes;
	const struct cluster_list *cluster; /* NULL: no --cluster */
	const struct metrics_counters *mc;
	const struct nodes_limits *lim;
	uint32_t max_nodes;                 /* per-node series for at most that many nodes */
	int insecure;
	const struct http_server *server;   /* its counters, once open */
	struct web_answer answers[WEB_ROUTES]; /* the cache, one per route */
};

int web_handle(void *ctx, const struct http_request *r, const char **body, size_t *len, const char **type);
/* Frees the cached answers. */
void web_free(struct web *w);

#endif
