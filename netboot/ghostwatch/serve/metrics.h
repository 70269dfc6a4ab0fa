/* Prometheus text exposition of ghostwatch's counters and node states, written to a file
 * (for node_exporter's textfile collector or any scraper that reads files). */
#ifndef GW_METRICS_H
#define GW_METRICS_H

#include <stdint.h>
#include <stdio.h>

#include "state/nodes.h"
#include "serve/validate.h"

struct metrics_counters {
	const struct validate *v; /* NULL: no receive counters (status tools) */
	uint64_t acks_sent;
	uint64_t datagrams;
	int insecure; /* serve runs without a cluster key (--insecure) */
};

void metrics_print(FILE *out, struct nodes *t, const struct metrics_counters *c, int64_t now_ms,
		   const struct nodes_limits *lim);
/* Writes path.tmp and renames it over path: a scraper never reads half a file. 0 or -errno. */
int metrics_write(const char *path, struct nodes *t, const struct metrics_counters *c,
		  int64_t now_ms, const struct nodes_limits *lim);

#endif
