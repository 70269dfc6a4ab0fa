/* `ghostwatch serve`: the receive loop. */
#ifndef GW_SERVE_H
#define GW_SERVE_H

#include <stdint.h>

#include "state/cluster_list.h"
#include "state/nodes.h"

#define SERVE_DEFAULT_PORT 7468 /* = GHOST_DEFAULT_MASTER_PORT of the agent */

struct serve_options {
	const char *state_dir;
	const char *metrics_path; /* NULL: <state_dir>/metrics.prom */
	uint16_t port;
	const char *bind_ip;      /* NULL: every address */
	const uint8_t *key;
	int keylen;
	const uint8_t *master;    /* per-node keys from this secret (node_key.h), or: */
	int master_len;
	int insecure;             /* no key on purpose (--insecure): said in log, status, metrics */
	int require_v2;           /* --require-v2: refuse protocol v1 (every node upgraded) */
	const struct cluster_list *cluster; /* --cluster: the nodes the cluster file lists; NULL: any */
	uint32_t rate;            /* per node, authentic datagrams/s; 0: no limit */
	uint32_t burst;
	uint32_t max_nodes;
	struct nodes_limits limits;
	const char *http;         /* --http IPv4:PORT: /metrics and the status page; NULL: none */
	uint32_t http_max_nodes;  /* per-node series for at most that many nodes */
	int verbose;              /* one line per accepted report */
};

/* Runs until SIGINT/SIGTERM; returns the exit status. */
int serve_run(const struct serve_options *o);

#endif
