/* The forget command's words around forget_request (see forget_cmd.h). */
#include "serve/forget_cmd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "state/cluster_list.h"
#include "serve/forget.h"
#include "util/hostlist_cmd.h"

struct picked {
	uint8_t (*macs)[REPORT_NODE_LEN];
	const struct node **node; /* its record in t, NULL: a MAC the saved state does not have */
	size_t count;
};

static int pick(struct picked *p, struct nodes *t, const uint8_t mac[REPORT_NODE_LEN])
{
	for (size_t i = 0; i < p->count; i++)
		if (!memcmp(p->macs[i], mac, REPORT_NODE_LEN))
			return 0; /* named twice */
	if (p->count >= FORGET_MACS_MAX)
		return -E2BIG;
	memcpy(p->macs[p->count], mac, REPORT_NODE_LEN);
	p->node[p->count++] = nodes_find(t, mac);
	return 0;
}

/* The records a host list names, each name at least one: 0, or 2 after saying which not. */
static int pick_names(struct picked *p, struct nodes *t, const char *expr, FILE *err)
{
	struct hostlist h;
	int rc = 0;
	if (hostlist_cmd_parse(expr, &h))
		return CLI_EXIT_USAGE;
	for (size_t i = 0; i < h.count && !rc; i++) {
		int found = 0;
		for (uint32_t j = 0; j < nodes_count(t) && !rc; j++)
			if (!strcmp(nodes_name(nodes_at(t, j)), hostlist_name(&h, i))) {
				found = 1;
				rc = pick(p, t, nodes_at(t, j)->mac) ? CLI_EXIT_USAGE : 0;
			}
		if (!found) {
			fprintf(err, "ghostwatch forget: no node is named '%s' (ghostwatch status lists them)\n",
				hostlist_name(&h, i));
			rc = CLI_EXIT_USAGE;
		}
	}
	hostlist_free(&h);
	return rc;
}

static void report(FILE *out, FILE *err, const struct picked *p, const uint8_t *forgot)
{
	for (size_t i = 0; i < p->count; i++) {
		const uint8_t *m = p->macs[i];
		const struct node *n = p->node[i];
		const char *name = n && nodes_name(n)[0] ? nodes_name(n) : "-";
		char mac[18];
		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
		if (forgot[i])
			fprintf(out, "forgot %s (%s)%s\n", name, mac,
				n && n->listed_name[0] ? ": listed in the cluster file, shown as absent until it reports" : "");
		else if (n && n->absent)
			fprintf(out, "%s (%s): never heard from, nothing to forget (listed in the cluster file)\n",
				name, mac);
		else
			fprintf(err, "ghostwatch forget: %s (%s): serve did not know it\n", name, mac);
	}
}

int forget_cmd(FILE *out, FILE *err, struct nodes *t, const char *state_dir, const char **args,
	       unsigned n, int timeout_ms)
{
	struct picked p = { calloc(FORGET_MACS_MAX, sizeof(*p.macs)), calloc(FORGET_MACS_MAX, sizeof(*p.node)), 0 };
	uint8_t *forgot = calloc(FORGET_MACS_MAX, 1);
	int rc = p.macs && p.node && forgot ? 0 : CLI_EXIT_FAIL;
	for (unsigned i = 0; i < n && !rc; i++) {
		uint8_t mac[REPORT_NODE_LEN];
		rc = cluster_parse_mac(args[i], mac) ? pick_names(&p, t, args[i], err) : pick(&p, t, mac) ? CLI_EXIT_USAGE : 0;
	}
	if (!rc) {
		int saved = 0, e = forget_request(state_dir, (const uint8_t (*)[REPORT_NODE_LEN])p.macs, p.count,
						  timeout_ms, forgot, &saved);
		if (e == -ENOENT)
			fprintf(err, "ghostwatch forget: %s/" FORGET_DIR " does not exist: no ghostwatch serve of this "
				     "version ever ran on %s\n", state_dir, state_dir);
		else if (e == -ETIMEDOUT)
			fprintf(err, "ghostwatch forget: serve did not answer within %d s: is it running on %s? "
				     "(nothing forgotten)\n", timeout_ms / 1000, state_dir);
		else if (e)
			fprintf(err, "ghostwatch forget: cannot ask serve (%s/" FORGET_DIR "): %s\n", state_dir, strerror(-e));
		else
			report(out, err, &p, forgot);
		if (!e && saved)
			fprintf(err, "ghostwatch forget: serve could not save its state: %s (a restart may bring "
				     "the nodes back)\n", strerror(-saved));
		rc = e || saved ? CLI_EXIT_FAIL : CLI_EXIT_OK;
	}
	free(p.macs);
	free(p.node);
	free(forgot);
	return rc;
}
