/* libFuzzer target for the report decoder: any bytes must be refused or decoded without a
 * fault, and whatever decodes must encode again into a datagram that decodes the same. */
#include <stdint.h>
#include <string.h>

#include "report/report_wire.h"

/* Not a MAC: the codec is crypto-free, so the fuzzer feeds it a fixed tag function. */
static int fixed_tag(void *ctx, const uint8_t *data, size_t len, uint8_t tag[REPORT_WIRE_TAG])
{
	(void)ctx;
	memset(tag, 0, REPORT_WIRE_TAG);
	for (size_t i = 0; i < len; i++)
		tag[i % REPORT_WIRE_TAG] ^= data[i];
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report_msg m, again;
	uint8_t buf[REPORT_WIRE_MAX];
	(void)report_wire_verify(data, size, fixed_tag, NULL);
	if (report_wire_decode(data, size, &m) != REPORT_OK)
		return 0;
	int n = report_wire_encode(&m, buf, sizeof(buf), fixed_tag, NULL);
	if (n < 0)
		__builtin_trap();
	if (report_wire_verify(buf, (size_t)n, fixed_tag, NULL) != REPORT_OK)
		__builtin_trap();
	if (report_wire_decode(buf, (size_t)n, &again) != REPORT_OK)
		__builtin_trap();
	if (memcmp(&m, &again, sizeof(m)))
		__builtin_trap();
	return 0;
}
