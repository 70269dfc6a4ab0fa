/* The receive-side checks of one datagram: length, magic, version, decode, HMAC, then what
 * only an authentic datagram may spend: the node's rate, its replay window, table room.
 * Counts every refusal by reason. */
#ifndef GW_VALIDATE_H
#define GW_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#include "nodes.h"
#include "ratelimit.h"
#include "report/report_wire.h"

struct validate {
	report_mac_fn mac;
	void *mac_ctx;
	struct ratelimit *rate; /* NULL: no limit */
	struct nodes *nodes;
	uint64_t accepted;
	uint64_t rejected[REPORT_REJECT_COUNT];
};

/* REPORT_OK: m is an accepted report and *node its record (created if new), to be applied
 * with nodes_apply after it is logged. REPORT_REJECT_REPLAYED with *node set: an authentic
 * retransmit, to be acked again but not applied. Anything else: drop. */
enum report_reject validate_datagram(struct validate *v, const uint8_t *buf, size_t len,
				     uint64_t mono_ms, struct report_msg *m,
				     struct node **node);

#endif
