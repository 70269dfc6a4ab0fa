/* One datagram through the checks in the order docs/protocol.md gives; the node record is
 * created only after the HMAC, so forged traffic never costs table memory. */
#include "validate.h"

static enum report_reject count(struct validate *v, enum report_reject why)
{
	if (why == REPORT_OK)
		v->accepted++;
	else
		v->rejected[why]++;
	return why;
}

enum report_reject validate_datagram(struct validate *v, const uint8_t *buf, size_t len,
				     uint32_t src, uint64_t mono_ms, struct report_msg *m,
				     struct node **node)
{
	*node = NULL;
	enum report_reject why = report_wire_check(buf, len);
	if (why != REPORT_OK)
		return count(v, why);
	if (v->rate && !ratelimit_allow(v->rate, src, mono_ms))
		return count(v, REPORT_REJECT_RATE_LIMITED);
	why = report_wire_decode(buf, len, m);
	if (why == REPORT_OK && m->type != REPORT_TYPE_REPORT)
		why = REPORT_REJECT_MALFORMED; /* only nodes send reports; masters send acks */
	if (why != REPORT_OK)
		return count(v, why);
	why = report_wire_verify(buf, len, v->mac, v->mac_ctx);
	if (why != REPORT_OK)
		return count(v, why);
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
