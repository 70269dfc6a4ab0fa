/* The cluster's power list, as netboot/cluster/generate.sh writes it (OUTDIR/power): one node a
 * line, "name mac ip|- backend [args]", '#' comments. The backend is how the node is switched
 * on: "wol [BROADCAST INTERFACE]" (a magic packet, out of that interface to that address) or
 * "ipmi BMC" (its BMC's IPv4 address or host name, through ipmitool over lanplus). Off and
 * reboot go through the node's own init over ssh whatever the backend (power_plan.h).
 * power_list_parse is pure (unit-tested, fuzzed: fuzz_power_list); power_list_load reads. */
#ifndef GW_POWER_LIST_H
#define GW_POWER_LIST_H

#include <stddef.h>
#include <stdint.h>

#include "state/cluster_list.h"

#define POWER_LIST_DEFAULT "/var/lib/ghostboot/generated/power"
#define POWER_HOST_MAX 64 /* a BMC's host name (RFC 1123) or address */
#define POWER_IF_MAX 15   /* IFNAMSIZ - 1 */

enum power_backend { POWER_WOL = 0, POWER_IPMI, POWER_BACKEND_COUNT };

struct power_node {
	char name[CLUSTER_NAME_MAX + 1];
	uint8_t mac[REPORT_NODE_LEN];
	uint32_t ip;         /* network order; 0: from the dhcp-range (ghostwatch's state knows it) */
	enum power_backend backend;
	uint32_t broadcast;  /* wol: network order; 0: 255.255.255.255 */
	char interface[POWER_IF_MAX + 1]; /* wol: "" for the routes' choice */
	char bmc[POWER_HOST_MAX + 1];     /* ipmi */
};

struct power_list {
	struct power_node *nodes; /* in the file's order */
	size_t count;
};

/* Parses len bytes into out (at most cap nodes). Returns the count, or -EINVAL with *line the
 * faulty line (not "name mac ip|- backend args", an unknown backend, a name or MAC twice), or
 * -E2BIG past cap. */
int power_list_parse(const char *text, size_t len, struct power_node *out, size_t cap, unsigned *line);
/* Reads and parses path (power_list_free). 0 or -errno, *line as above. */
int power_list_load(const char *path, struct power_list *l, unsigned *line);
void power_list_free(struct power_list *l);
/* The node of that name, or NULL. */
const struct power_node *power_list_find(const struct power_list *l, const char *name);
const char *power_backend_name(enum power_backend b);

#endif
