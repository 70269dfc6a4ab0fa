/* DHCPv4 wire format (RFC 2131/2132): pure build and parse on byte buffers, no I/O, so the
 * parser is unit-tested on fixtures and fuzzed. dhcp_client.c does the sending. */
#ifndef GHOST_DHCP_WIRE_H
#define GHOST_DHCP_WIRE_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#define DHCP_HEADER_LEN 236   /* fixed BOOTP header, before the magic cookie */
#define DHCP_MIN_LEN 240      /* header + magic cookie */
#define DHCP_MAX_LEN 1472     /* 1500-byte MTU minus IP and UDP headers: anything longer is oversized */
#define DHCP_CHADDR_MAX 16
#define DHCP_STR_MAX 256      /* strings from options: at most 255 bytes + NUL */
#define DHCP_DNS_MAX 3
#define DHCP_VENDOR_CLASS "ghostboot"

enum dhcp_type {
	DHCP_DISCOVER = 1,
	DHCP_OFFER = 2,
	DHCP_REQUEST = 3,
	DHCP_DECLINE = 4,
	DHCP_ACK = 5,
	DHCP_NAK = 6,
	DHCP_RELEASE = 7,
	DHCP_INFORM = 8,
};

/* What a client sends. Addresses are in network byte order (0: absent). */
struct dhcp_request {
	enum dhcp_type type;   /* DHCP_DISCOVER or DHCP_REQUEST */
	uint32_t xid;
	uint16_t secs;
	uint8_t chaddr[DHCP_CHADDR_MAX];
	uint8_t chaddr_len;    /* 6 for Ethernet */
	uint8_t htype;         /* ARP hardware type, 1 for Ethernet */
	uint32_t requested_ip; /* option 50 */
	uint32_t server_id;    /* option 54 (REQUEST after an OFFER) */
	bool broadcast;        /* ask for broadcast answers: the client cannot hear unicast */
};

/* Why a received packet was dropped; one counter each. */
struct dhcp_counters {
	unsigned truncated;      /* shorter than the header + magic cookie */
	unsigned oversized;      /* longer than DHCP_MAX_LEN */
	unsigned wrong_xid;
	unsigned wrong_magic;
	unsigned option_overrun; /* an option's length runs past the end of its field */
	unsigned unterminated;   /* options end without the END option */
	unsigned wrong_chaddr;
	unsigned malformed;      /* not a BOOTREPLY, no/unknown message type, bad option length */
};

/* What the client expects in a reply. */
struct dhcp_expect {
	uint32_t xid;
	const uint8_t *chaddr;
	uint8_t chaddr_len;
};

/* A parsed reply. Addresses in network byte order, 0 when absent; strings NUL-terminated,
 * printable ASCII only (an option with other bytes is dropped, not kept half-sanitised). */
struct dhcp_msg {
	enum dhcp_type type;
	uint32_t xid;
	uint32_t yiaddr;
	uint32_t siaddr;         /* next server */
	uint32_t server_id;      /* 54 */
	uint32_t subnet_mask;    /* 1 */
	uint32_t router;         /* 3: the first one */
	uint32_t broadcast;      /* 28 */
	uint32_t dns[DHCP_DNS_MAX]; /* 6 */
	unsigned dns_count;
	uint32_t lease_time;     /* 51, seconds; 0 absent */
	uint16_t mtu;            /* 26; 0 absent */
	char hostname[DHCP_STR_MAX];  /* 12 */
	char domain[DHCP_STR_MAX];    /* 15 */
	char root_path[DHCP_STR_MAX]; /* 17 */
	char tftp_server[DHCP_STR_MAX]; /* 66 */
	char bootfile[DHCP_STR_MAX];  /* 67, or the file field when not overloaded */
	char message[DHCP_STR_MAX];   /* 56: the server's reason, e.g. with a NAK */
	bool rapid_commit;            /* 80: an ACK straight to our DISCOVER (RFC 4039) */
};

/* Builds a DISCOVER or REQUEST into buf (cap bytes, at least DHCP_MIN_LEN + options):
 * broadcast flag if asked, client identifier from chaddr, parameter request list, vendor
 * class "ghostboot", maximum message size, rapid commit (DISCOVER). Returns the length or -EINVAL / -ENOSPC. */
int dhcp_wire_build(const struct dhcp_request *req, uint8_t *buf, size_t cap);

/* Parses a reply of len bytes. Returns 0 with *msg filled, or -EBADMSG after counting the
 * reason in *counters (which may be NULL). expect may be NULL to skip the xid/chaddr check. */
int dhcp_wire_parse(const uint8_t *buf, size_t len, const struct dhcp_expect *expect,
		    struct dhcp_msg *msg, struct dhcp_counters *counters);

/* The DHCP payload of an IPv4 packet read from a packet socket (starting at the IP header):
 * checks the IPv4 and UDP headers (version, lengths, UDP, not a fragment, destination port
 * 68) and points *payload at the UDP data. Returns 0, or -EBADMSG. */
int dhcp_udp_payload(const uint8_t *pkt, size_t len, const uint8_t **payload, size_t *payload_len);

/* Sum of all rejection counters. */
unsigned dhcp_counters_total(const struct dhcp_counters *c);

#endif
