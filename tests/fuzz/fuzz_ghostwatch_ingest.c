/* libFuzzer target for ghostwatch's receive path: a run of datagrams (each prefixed by a
 * 16-bit length) goes through validate_datagram → nodes_apply into one table, then the table
 * is printed as text, JSON and timeline — every byte of a report's text fields reaches those
 * printers. The fuzzer's datagrams are re-tagged before they are checked, so that it explores
 * what lies past the HMAC (a forged tag is the unit tests' job). Protocol v2: a report whose
 * nonce is sixteen 0xee bytes gets the nonce of the last ack instead, as a node echoes it, so
 * that confirmed v2 boots are reached too. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../netboot/ghostwatch/jobs/hostfile.h"
#include "../../netboot/ghostwatch/state/nodes.h"
#include "../../netboot/ghostwatch/view/status.h"
#include "../../netboot/ghostwatch/view/timeline.h"
#include "../../netboot/ghostwatch/serve/validate.h"

static int xor_tag(void *ctx, const uint8_t *data, size_t len, uint8_t tag[REPORT_WIRE_TAG])
{
	(void)ctx;
	memset(tag, 0x5a, REPORT_WIRE_TAG);
	for (size_t i = 0; i < len; i++)
		tag[i % REPORT_WIRE_TAG] ^= data[i];
	return 0;
}

static uint8_t last_nonce[REPORT_NONCE_LEN];

static void ingest(struct validate *v, const uint8_t *data, size_t len, uint64_t now)
{
	static const uint8_t marker[REPORT_NONCE_LEN] = { 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee,
							  0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee };
	uint8_t dgram[REPORT_WIRE_MAX], ack[REPORT_WIRE_MAX];
	struct report_msg m;
	struct node *node = NULL;
	if (len > sizeof(dgram))
		len = sizeof(dgram);
	memcpy(dgram, data, len);
	if (len >= REPORT_WIRE_HEADER + REPORT_NONCE_LEN + REPORT_WIRE_TAG && dgram[2] == 2 &&
	    !memcmp(dgram + REPORT_WIRE_HEADER, marker, REPORT_NONCE_LEN))
		memcpy(dgram + REPORT_WIRE_HEADER, last_nonce, REPORT_NONCE_LEN);
	if (len >= REPORT_WIRE_TAG)
		xor_tag(NULL, dgram, len - REPORT_WIRE_TAG, dgram + len - REPORT_WIRE_TAG);
	enum report_reject why = validate_datagram(v, dgram, len, now, &m, &node);
	if (why == REPORT_OK)
		nodes_apply(node, &m, (int64_t)now, 0x0a000002u);
	if (!validate_acked(why, node))
		return;
	/* The ack serve would send: it must encode, and carry what the node echoes next. */
	m.type = REPORT_TYPE_ACK;
	int n = report_wire_encode(&m, ack, sizeof(ack), xor_tag, NULL);
	if (n < 0 || (m.version == 2 && n != REPORT_WIRE_ACK_MAX) || (m.version == 1 && n != REPORT_WIRE_MIN))
		__builtin_trap();
	if (m.version == 2) {
		if (report_nonce_zero(m.nonce) && why != REPORT_REJECT_REPLAYED)
			__builtin_trap(); /* a v2 ack always gives the node a nonce */
		memcpy(last_nonce, m.nonce, REPORT_NONCE_LEN);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	if (!sink)
		sink = fopen("/dev/null", "w");
	struct nodes *t = nodes_new(8);
	if (!t)
		return 0;
	struct validate v = { .mac = xor_tag, .nonce_mac = xor_tag, .nonce_ctx = NULL, .nodes = t };
	memset(last_nonce, 0, sizeof(last_nonce));
	uint64_t now = 1000;
	while (size >= 2) {
		size_t len = (size_t)data[0] | (size_t)data[1] << 8;
		data += 2;
		size -= 2;
		if (len > size)
			len = size;
		ingest(&v, data, len, now += 250);
		data += len;
		size -= len;
	}
	const struct nodes_limits lim = { .lost_after_s = 60 };
	status_print_table(sink, t, (int64_t)now, &lim, 0);
	status_print_json(sink, t, (int64_t)now, &lim, 1);
	timeline_print(sink, t);
	hostfile_print(sink, t, (int64_t)now, &lim);
	nodes_free(t);
	return 0;
}
