/* `ghostwatch status`: the node table as a terminal table or as JSON. */
#ifndef GW_STATUS_H
#define GW_STATUS_H

#include <stdint.h>
#include <stdio.h>

#include "state/nodes.h"

/* The node's address as text: the source of its last report (never what the report claims). */
void status_node_ip(const struct node *n, char buf[48]);
/* insecure: serve runs without a cluster key (--insecure); both outputs say so first. */
void status_print_table(FILE *out, struct nodes *t, int64_t now_ms, const struct nodes_limits *lim,
			int insecure);
void status_print_json(FILE *out, struct nodes *t, int64_t now_ms, const struct nodes_limits *lim,
		       int insecure);

#endif
