/* libFuzzer target for what per-node keys and host names parse from untrusted bytes: any
 * datagram through the per-node HMAC (the node id is read from the header: short ones must be
 * refused, not read past) and report_wire_verify/decode, through a tiny key cache so that
 * evictions happen; the bytes as a host name (lib/hostname.c) and as a key text. */
#include <stdint.h>
#include <string.h>

#include "lib/hostname.h"
#include "../../netboot/ghostwatch/keys/gw_hmac.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gw_hmac *h;
	if (!h) {
		static const uint8_t secret[32] = { 1, 2, 3 };
		h = gw_hmac_new_per_node(secret, sizeof(secret), 1); /* one set of 4 */
		if (!h)
			return 0;
	}
	uint8_t tag[REPORT_WIRE_TAG], key[REPORT_KEY_MAX];
	(void)gw_hmac_compute(h, data, size, tag);
	if (report_wire_check(data, size) == REPORT_OK) {
		struct report_msg m;
		(void)report_wire_verify(data, size, gw_hmac_compute, h);
		(void)report_wire_decode(data, size, &m);
	}
	char text[REPORT_TEXT_MAX * 4 + 1];
	size_t n = size < sizeof(text) - 1 ? size : sizeof(text) - 1;
	memcpy(text, data, n);
	text[n] = '\0';
	(void)hostname_valid(text);
	(void)report_wire_parse_key(text, n, key);
	return 0;
}
