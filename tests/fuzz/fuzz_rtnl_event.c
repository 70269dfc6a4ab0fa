/* Fuzz target: any bytes as a batch of rtnetlink notifications; only known bits come back. */
#include <stdint.h>
#include <stdlib.h>

#include "guardian/rtnl_event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct rtnl_watch w = { .ifindex = 2, .addr = 0x0209a8c0, .gateway = 0x0109a8c0 };
	unsigned bits = rtnl_event_parse(data, size, &w);
	if (bits & ~(unsigned)(RTNL_EVENT_LINK_DOWN | RTNL_EVENT_ADDR_GONE | RTNL_EVENT_ROUTE_GONE | RTNL_EVENT_GARBLED))
		abort();
	return 0;
}
