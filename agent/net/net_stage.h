/* The network stage: links up, a lease from DHCP or a static ip=, applied and written down.
 * Used by boot() as PID 1 and by `ghostinit net-up` in test namespaces. */
#ifndef GHOST_NET_STAGE_H
#define GHOST_NET_STAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "boot/boot_config.h"
#include "net/dhcp_wire.h"

#define NET_ERROR_LEN 512

enum net_proto { NET_PROTO_NONE = 0, NET_PROTO_DHCP, NET_PROTO_STATIC };

/* What the stage configured. Addresses in network byte order, 0 when absent. */
struct net_result {
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

struct net_stage_options {
	const char *iface;  /* only this interface (net-up --iface); NULL: choose */
	const char *root;   /* prefix of the files written; "" for the real / */
	bool set_hostname;
	bool dhcp_broadcast; /* net-up --broadcast: the DHCP client's fallback (docs/network.md) */
};

/* Runs the stage with the boot defaults (files under /, hostname set). Returns 0, or -errno
 * with result->error saying why (the caller sends it to fatal()). */
int net_stage_run(const struct boot_config *cfg, struct net_result *result);
int net_stage_run_with(const struct boot_config *cfg, const struct net_stage_options *opt,
		       struct net_result *result);

/* Whether the boot cannot go on without the network: ip= asks for it (not off), or the root
 * is on NFS or comes from DHCP (root= empty, /dev/nfs, nfs:, nfs4:, dhcp, server:/path, or
 * nfsroot=). A block root without ip= boots on when the network fails. */
bool net_stage_required(const struct boot_config *cfg);

/* `ghostinit net-up [--iface IF] [--cmdline TEXT] [--root DIR] [--hostname] [--report]
 * [--broadcast]`:
 * argv[0] is "net-up". Prints the lease as net.env lines; returns the exit status. --report
 * then sends the boot's reports as PID 1 would (report_cmd_boot): a simulated node.
 * --broadcast: answers asked by broadcast and read from the UDP socket, as on a link without
 * packet sockets. */
int net_stage_cli(int argc, char **argv);

#endif
