/* The receive-side checks of one datagram: length, magic, version, decode, HMAC, then what
 * only an authentic datagram may spend: the node's rate, its replay window, the freshness
 * nonce (protocol v2), table room. Counts every refusal by reason. */
#ifndef GW_VALIDATE_H
#define GW_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "state/cluster_list.h"
#include "state/nodes.h"
#include "serve/ratelimit.h"
#include "report/report_wire.h"

struct validate {
	report_mac_fn mac;
	void *mac_ctx;
	/* The nonces of v2 (docs/protocol.md, "Freshness"): a PRF keyed with a secret serve draws
	 * at start, over (node, boot id, the node's boot count). Required for v2 reports. */
	report_mac_fn nonce_mac;
	void *nonce_ctx;
	struct ratelimit *rate; /* NULL: no limit */
	struct nodes *nodes;
	bool require_v2;        /* --require-v2: v1 reports are refused as bad_version */
	/* serve --cluster: a listed node's reports only from its listed address (wrong_source);
	 * src is the source of the datagram being validated (network order), set by the caller. */
	const struct cluster_list *cluster;
	uint32_t src;
	uint64_t accepted;
	uint64_t accepted_v1;   /* of which protocol v1: the upgrade is over when it stops growing */
	uint64_t rejected[REPORT_REJECT_COUNT]; /* [REPORT_TENTATIVE]: openers acked, not applied */
};

/* REPORT_OK: m is an accepted report and *node its record (created if new), to be applied
 * with nodes_apply after it is logged. REPORT_REJECT_REPLAYED with *node set: an authentic
 * retransmit, to be acked again but not applied. REPORT_TENTATIVE (a v2 boot's opener, logged)
 * and REPORT_REJECT_STALE_NONCE (not logged): authentic but not proven fresh, acked with the
 * nonce m->nonce now holds, never applied (*node may be NULL). Anything else: drop. */
enum report_reject validate_datagram(struct validate *v, const uint8_t *buf, size_t len,
				     uint64_t mono_ms, struct report_msg *m,
				     struct node **node);
/* Whether a verdict of validate_datagram gets an ack (m as it left it, type set to ack). */
bool validate_acked(enum report_reject why, const struct node *node);

/* The nonce of boot_id of node mac at epoch boots (the node's boot count), into out. */
void validate_nonce(const struct validate *v, const uint8_t mac[REPORT_NODE_LEN], uint64_t boot_id,
		    uint32_t boots, uint8_t out[REPORT_NONCE_LEN]);

#endif
