/* The cluster's nodes as the cluster tools list them (netboot/cluster/generate.sh writes
 * OUTDIR/nodes: "name mac ip" per line, "-" for an address from the dhcp-range, "#" comments),
 * for `ghostwatch serve --cluster FILE`: nodes not listed are counted and shown but never put
 * in the hostfile, and a listed node's reports are taken only from its listed address.
 * cluster_parse is pure (unit-tested, fuzzed: fuzz_cluster_list); cluster_load reads a file. */
#ifndef GW_CLUSTER_LIST_H
#define GW_CLUSTER_LIST_H

#include <stddef.h>
#include <stdint.h>

#include "state/nodes.h"
#include "report/report_wire.h"

#define CLUSTER_NAME_MAX 63
#define CLUSTER_FILE_MAX (16u << 20) /* bytes: far more than a million nodes' lines */

struct cluster_node {
	uint8_t mac[REPORT_NODE_LEN];
	uint32_t ip; /* network order; 0: any (the node takes its address from the dhcp-range) */
	char name[CLUSTER_NAME_MAX + 1];
};

struct cluster_list {
	struct cluster_node *nodes; /* sorted by MAC */
	size_t count;
};

/* Parses len bytes into out (at most cap nodes), sorted by MAC. Returns the count, or -EINVAL
 * (a line that is not "name mac ip|-", a name that is not an RFC 1123 label, a MAC twice) with
 * *line its number, or -E2BIG past cap. */
int cluster_parse(const char *text, size_t len, struct cluster_node *out, size_t cap, unsigned *line);
/* A MAC as the list (and ghostwatch's arguments) write it: aa:bb:cc:dd:ee:ff, either case.
 * 0 or -EINVAL. */
int cluster_parse_mac(const char *s, uint8_t mac[REPORT_NODE_LEN]);
/* Reads a list file whole (at most CLUSTER_FILE_MAX bytes) into *text (free(3), also on an
 * error after the allocation), *lines: an upper bound of its lines. 0 or -errno (-EFBIG). */
int cluster_read_text(const char *path, char **text, size_t *len, size_t *lines);
/* Reads and parses path into l (allocated; cluster_free). 0 or -errno, *line as above. */
int cluster_load(const char *path, struct cluster_list *l, unsigned *line);
/* Writes l to path (path.tmp, renamed) in the same format. 0 or -errno. */
int cluster_save(const char *path, const struct cluster_list *l);
void cluster_free(struct cluster_list *l);
/* Sets the node's unlisted flag (not in l; l NULL: every node listed) and its listed_name. */
void cluster_mark_node(const struct cluster_list *l, struct node *n);
/* The same for each node of t. */
void cluster_mark(const struct cluster_list *l, struct nodes *t);
/* Adds each node of l that t does not have, marked absent (never heard from), with its listed
 * address. 0, or -ENOSPC when t is full. */
int cluster_add_absent(const struct cluster_list *l, struct nodes *t);
/* The copy serve keeps in its state directory for status and hostfile. */
#define CLUSTER_STATE_NAME "cluster"
/* The listed node of mac, or NULL. */
const struct cluster_node *cluster_find(const struct cluster_list *l, const uint8_t mac[REPORT_NODE_LEN]);

#endif
