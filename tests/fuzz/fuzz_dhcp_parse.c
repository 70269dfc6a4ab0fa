/* libFuzzer target: the DHCP reply parser must never read past the buffer, whatever arrives.
 * Every input is parsed twice: with the xid/chaddr check, and without it (deeper paths); and
 * once more as a packet socket reads it (IPv4 and UDP headers unwrapped first). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "net/dhcp_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	const struct dhcp_expect expect = { .xid = 0x11223344, .chaddr = mac, .chaddr_len = 6 };
	struct dhcp_msg msg;
	struct dhcp_counters counters = { 0 };
	/* A copy of exactly size bytes, so ASan sees any read past the end. */
	uint8_t *copy = size ? __builtin_malloc(size) : NULL;
	if (size && !copy)
		return 0;
	if (size)
		memcpy(copy, data, size);
	if (dhcp_wire_parse(copy, size, &expect, &msg, &counters) == 0) {
		if (strlen(msg.hostname) >= DHCP_STR_MAX || msg.dns_count > DHCP_DNS_MAX)
			__builtin_trap();
	}
	if (dhcp_wire_parse(copy, size, NULL, &msg, &counters) == 0 &&
	    strlen(msg.root_path) >= DHCP_STR_MAX)
		__builtin_trap();
	if (dhcp_counters_total(&counters) > 2)
		__builtin_trap();
	const uint8_t *payload;
	size_t payload_len;
	if (dhcp_udp_payload(copy, size, &payload, &payload_len) == 0) {
		if (payload < copy || payload + payload_len > copy + size)
			__builtin_trap();
		(void)dhcp_wire_parse(payload, payload_len, NULL, &msg, NULL);
	}
	__builtin_free(copy);
	return 0;
}
