/* The DHCP client: DISCOVER/OFFER/REQUEST/ACK on several interfaces at once, the first lease
 * wins; retransmission with randomized exponential backoff; bounded by a deadline. */
#ifndef GHOST_DHCP_CLIENT_H
#define GHOST_DHCP_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

#include "net/dhcp_wire.h"

#define DHCP_CLIENT_MAX_IFACES 32

struct dhcp_iface {
	int ifindex;
	char name[16];
	uint8_t hwaddr[DHCP_CHADDR_MAX];
	uint8_t hwaddr_len;
	uint8_t htype; /* ARP hardware type, 1 for Ethernet */
};

struct dhcp_iface_stats {
	unsigned discovers, requests, offers, acks, naks;
	unsigned send_errors;
	struct dhcp_counters rejected;
};

struct dhcp_options {
	uint64_t deadline;     /* absolute clock_ms() */
	uint32_t requested_ip; /* ask for this address first (INIT-REBOOT); 0: plain DISCOVER */
	bool broadcast;        /* no packet socket: broadcast answers read from the UDP socket */
};

struct dhcp_lease {
	unsigned iface;        /* index into the interfaces given */
	struct dhcp_msg ack;   /* the DHCPACK as parsed */
	uint64_t elapsed_ms;   /* from the first packet sent to the ACK */
};

/* Runs until one interface is bound or the deadline passes. stats has n entries (zeroed
 * here). Returns 0 with *lease filled, -ETIMEDOUT, or -errno when no socket could be opened. */
int dhcp_client_run(const struct dhcp_iface *ifs, unsigned n, const struct dhcp_options *opt,
		    struct dhcp_lease *lease, struct dhcp_iface_stats *stats);

/* The randomized retransmission delay after `attempt` sends (0-based): 1 s doubling to 32 s,
 * each multiplied by a factor in [0.5, 1.5) drawn from rnd. Exposed for unit tests. */
uint64_t dhcp_backoff_ms(unsigned attempt, uint32_t rnd);

#endif
