/* One datagram through the checks in the order docs/protocol.md gives. Nothing a datagram
 * can spend comes before the HMAC: not the node's rate tokens (a spoofer could silence a node),
 * not a table record (a forger could fill the table). */
#include "validate.h"

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

enum report_reject validate_datagram(struct validate *v, const uint8_t *buf, size_t len,
				     uint64_t mono_ms, struct report_msg *m,
				     struct node **node)
{
	*node = NULL;
	enum report_reject why = report_wire_check(buf, len);
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
	struct node *n = nodes_find(v->nodes, m->node);
	why = nodes_replay_check(n, m->boot_id, m->seq);
	if (why == REPORT_REJECT_REPLAYED) {
		/* Same boot: a retransmit whose ack was lost, ack it again. An earlier boot: no. */
		if (n->boot_id == m->boot_id)
			*node = n;
		return count(v, why);
	}
	if (!n && !(n = nodes_get(v->nodes, m->node)))
		return count(v, REPORT_REJECT_TABLE_FULL);
	*node = n;
	return count(v, REPORT_OK);
}
