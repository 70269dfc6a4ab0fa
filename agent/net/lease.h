/* What the network stage configured: the lease (DHCP) or the static ip= values, applied and
 * written down. Its own header so that the files that read a lease (net_apply, the boot's
 * reports) depend on the lease, not on the stage that made it. */
#ifndef GHOST_LEASE_H
#define GHOST_LEASE_H

#include <stdint.h>

#include "net/dhcp_wire.h"

#define NET_ERROR_LEN 512

enum net_proto { NET_PROTO_NONE = 0, NET_PROTO_DHCP, NET_PROTO_STATIC };

/* What the stage configured. Addresses in network byte order, 0 when absent. */
struct net_lease {
	enum net_proto proto;
	char ifname[16];
	int ifindex;
	uint8_t hwaddr[20];
	uint8_t hwaddr_len;
	uint32_t addr, netmask, broadcast, gateway;
	int prefix;
	uint32_t dns[DHCP_DNS_MAX];
	unsigned dns_count;
	uint32_t ntp;
	uint32_t server;    /* ip='s server field, else the next server: the root server hint */
	uint32_t peer;      /* ip='s server (dracut <peer>) field alone */
	uint32_t next_server; /* DHCP siaddr alone */
	uint32_t server_id; /* the DHCP server that gave the lease */
	unsigned mtu;       /* 0: left as it was */
	uint32_t lease_time;
	char hostname[65];
	char domain[DHCP_STR_MAX];
	char root_path[DHCP_STR_MAX];
	char bootfile[DHCP_STR_MAX];
	char tftp_server[DHCP_STR_MAX];
	uint64_t dhcp_ms;   /* first DISCOVER to ACK */
	uint64_t stage_ms;  /* whole stage */
	unsigned discovers, requests, naks;
	struct dhcp_counters rejected; /* summed over every interface tried */
	char error[NET_ERROR_LEN];     /* set when net_stage_run fails */
};

#endif
