/* One datagram through the checks in the order docs/protocol.md gives. Nothing a datagram
 * can spend comes before the HMAC: not the node's rate tokens (a spoofer could silence a node),
 * not a table record (a forger could fill the table). Nothing that does not prove it is
 * fresh (v2: the nonce the master gave this boot) changes a record: a captured report of an
 * earlier boot cannot take the node over. */
#include "serve/validate.h"

#include <string.h>

#include "lib/be.h"

static enum report_reject count(struct validate *v, enum report_reject why)
{
	if (why == REPORT_OK)
		v->accepted++;
	else
		v->rejected[why]++;
	return why;
}

static uint64_t node_key(const uint8_t mac[REPORT_NODE_LEN])
{
	uint64_t k = 0;
	for (int i = 0; i < REPORT_NODE_LEN; i++)
		k = k << 8 | mac[i];
	return k;
}

bool validate_acked(enum report_reject why, const struct node *node)
{
	return why == REPORT_OK || why == REPORT_TENTATIVE || why == REPORT_REJECT_STALE_NONCE ||
	       (why == REPORT_REJECT_REPLAYED && node);
}

void validate_nonce(const struct validate *v, const uint8_t mac[REPORT_NODE_LEN], uint64_t boot_id,
		    uint32_t boots, uint8_t out[REPORT_NONCE_LEN])
{
	uint8_t in[REPORT_NODE_LEN + 8 + 4], tag[REPORT_WIRE_TAG];
	memcpy(in, mac, REPORT_NODE_LEN);
	be_put(in + REPORT_NODE_LEN, boot_id, 8);
	be_put(in + REPORT_NODE_LEN + 8, boots, 4);
	if (v->nonce_mac(v->nonce_ctx, in, sizeof(in), tag))
		memset(tag, 0xff, sizeof(tag)); /* never zero: zero means "no nonce yet" */
	memcpy(out, tag, REPORT_NONCE_LEN);
	if (report_nonce_zero(out))
		out[0] = 1;
}

/* v2: whether m echoes the nonce of its boot. The current boot's is kept in its record; a
 * boot the record does not hold yet has the one derived from the node's boot count, which
 * moves on with every boot the node makes: a nonce given to an earlier boot never matches
 * again, and deriving it keeps no state, so replayed openers cannot crowd out a real one.
 * Not echoed: m->nonce becomes the right one, for the ack. */
static enum report_reject check_nonce(const struct validate *v, const struct node *n, struct report_msg *m)
{
	uint8_t want[REPORT_NONCE_LEN];
	if (n && n->boots && n->boot_id == m->boot_id && n->protocol == 2)
		memcpy(want, n->nonce, sizeof(want));
	else
		validate_nonce(v, m->node, m->boot_id, n ? n->boots : 0, want);
	if (!memcmp(want, m->nonce, sizeof(want)))
		return REPORT_OK;
	enum report_reject why = report_nonce_zero(m->nonce) ? REPORT_TENTATIVE : REPORT_REJECT_STALE_NONCE;
	memcpy(m->nonce, want, sizeof(want));
	return why;
}

enum report_reject validate_datagram(struct validate *v, const uint8_t *buf, size_t len,
				     uint64_t mono_ms, struct report_msg *m,
				     struct node **node)
{
	*node = NULL;
	enum report_reject why = report_wire_check(buf, len);
	if (why == REPORT_OK && ((v->require_v2 && buf[2] == REPORT_WIRE_V1) || (buf[2] == 2 && !v->nonce_mac)))
		why = REPORT_REJECT_BAD_VERSION;
	if (why != REPORT_OK)
		return count(v, why);
	why = report_wire_decode(buf, len, m);
	if (why == REPORT_OK && m->type != REPORT_TYPE_REPORT)
		why = REPORT_REJECT_MALFORMED; /* only nodes send reports; masters send acks */
	if (why != REPORT_OK)
		return count(v, why);
	why = report_wire_verify(buf, len, v->mac, v->mac_ctx);
	if (why != REPORT_OK)
		return count(v, why);
	if (v->rate && !ratelimit_allow(v->rate, node_key(m->node), mono_ms))
		return count(v, REPORT_REJECT_RATE_LIMITED);
	/* Root on a worker signs its node's reports: from another source address, they would put
	 * that address into the hostfile. The cluster file binds the MAC to its address. */
	const struct cluster_node *listed = cluster_find(v->cluster, m->node);
	if (listed && listed->ip && listed->ip != v->src)
		return count(v, REPORT_REJECT_WRONG_SOURCE);
	struct node *n = nodes_find(v->nodes, m->node);
	why = nodes_replay_check(n, m->boot_id, m->seq);
	if (why == REPORT_REJECT_REPLAYED) {
		/* Same boot: a retransmit whose ack was lost, ack it again. An earlier boot: no. */
		if (n->boot_id == m->boot_id) {
			*node = n;
			memcpy(m->nonce, n->nonce, sizeof(m->nonce));
		}
		return count(v, why);
	}
	if (m->version == 2 && (why = check_nonce(v, n, m)) != REPORT_OK)
		return count(v, why);
	if (!n && !(n = nodes_get(v->nodes, m->node)))
		return count(v, REPORT_REJECT_TABLE_FULL);
	*node = n;
	if (m->version == REPORT_WIRE_V1)
		v->accepted_v1++;
	return count(v, REPORT_OK);
}
