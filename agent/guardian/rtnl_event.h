/* Pure parser of rtnetlink notifications (no I/O: unit-tested on crafted buffers): did this
 * batch take the boot interface's link, address or default route away? */
#ifndef GHOST_RTNL_EVENT_H
#define GHOST_RTNL_EVENT_H

#include <stddef.h>
#include <stdint.h>

enum rtnl_event {
	RTNL_EVENT_LINK_DOWN = 1u << 0,  /* IFF_UP cleared, or the link deleted */
	RTNL_EVENT_ADDR_GONE = 1u << 1,  /* our IPv4 address deleted */
	RTNL_EVENT_ROUTE_GONE = 1u << 2, /* the main table's default route through us deleted */
	RTNL_EVENT_GARBLED = 1u << 3,    /* a message too short or overrunning the buffer */
};

struct rtnl_watch {
	int ifindex;
	uint32_t addr;    /* network byte order */
	uint32_t gateway; /* network byte order; 0: no route to guard */
};

/* Walks every message in len bytes (a cursor and a remaining count; every length checked
 * before reading) and returns the rtnl_event bits that concern w. */
unsigned rtnl_event_parse(const void *buf, size_t len, const struct rtnl_watch *w);

#endif
