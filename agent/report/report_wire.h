/* The report protocol (docs/protocol.md): pure encode/decode of one UDP datagram, shared by
 * ghostinit (sender) and ghostwatch (receiver). No I/O, no crypto: the HMAC comes in as a
 * function pointer so each side brings its own (AF_ALG on the node, OpenSSL on the master). */
#ifndef GHOST_REPORT_WIRE_H
#define GHOST_REPORT_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REPORT_WIRE_VERSION 2 /* what a node sends; receivers read 1 and 2 */
#define REPORT_WIRE_V1 1
#define REPORT_WIRE_MAGIC0 'G'
#define REPORT_WIRE_MAGIC1 'W'
#define REPORT_WIRE_HEADER 22  /* magic, version, type, node id, boot id, sequence */
#define REPORT_WIRE_TAG 32     /* HMAC-SHA256, always the last bytes */
#define REPORT_WIRE_MAX 512    /* larger datagrams are rejected unread */
#define REPORT_WIRE_MIN (REPORT_WIRE_HEADER + REPORT_WIRE_TAG) /* a v1 ack */
#define REPORT_NONCE_LEN 16    /* v2: the master's freshness nonce, after the header */
#define REPORT_WIRE_ACK_MAX (REPORT_WIRE_MIN + REPORT_NONCE_LEN) /* a v2 ack */
#define REPORT_TEXT_MAX 64     /* error text and each inventory string, bytes */
#define REPORT_NODE_LEN 6      /* node id: the boot interface's Ethernet MAC */
#define REPORT_KEY_MAX 64

enum report_type { REPORT_TYPE_REPORT = 1, REPORT_TYPE_ACK = 2 };

/* Wire values: never renumber, only append (a new stage needs a new version). */
enum report_stage {
	REPORT_STAGE_BOOT = 0,
	REPORT_STAGE_MODULES,
	REPORT_STAGE_LINK,
	REPORT_STAGE_LEASE,
	REPORT_STAGE_ROOT_MOUNTED,
	REPORT_STAGE_OVERLAY,
	REPORT_STAGE_SWITCH_ROOT,
	REPORT_STAGE_HEARTBEAT,
	REPORT_STAGE_SHUTDOWN_BEGIN,
	REPORT_STAGE_UNMOUNTED,
	REPORT_STAGE_RESET,
	REPORT_STAGE_FATAL,
	REPORT_STAGE_COUNT
};

#define REPORT_FLAG_INVENTORY 0x01u
/* On a HEARTBEAT: the boot-link guardian had to restore the link; the text says
 * "<restores this boot> restored: <what>" (docs/protocol.md). Receivers that do not know the
 * bit see a plain heartbeat with a text. */
#define REPORT_FLAG_GUARDIAN 0x02u
#define REPORT_FLAGS_KNOWN (REPORT_FLAG_INVENTORY | REPORT_FLAG_GUARDIAN)
#define REPORT_LINK_SPEED_UNKNOWN 0xffffffffu

struct report_inventory {
	uint8_t ip[16]; /* IPv6, or IPv4-mapped ::ffff:a.b.c.d; all zero: unknown */
	uint16_t cores;
	uint16_t threads;
	uint32_t mem_mib;
	uint32_t link_mbps; /* REPORT_LINK_SPEED_UNKNOWN when the driver does not say */
	uint16_t mtu;
	char hostname[REPORT_TEXT_MAX + 1];
	char kernel[REPORT_TEXT_MAX + 1];
	char cpu[REPORT_TEXT_MAX + 1];
	/* A compatible revision (0.8, docs/protocol.md): appended after cpu, so older receivers
	 * skip them and reports of older senders decode with these 0 (unknown). What Slurm's
	 * node lines need: its RealMemory is computed from the page count. */
	uint16_t sockets;   /* physical packages */
	uint16_t page_kib;  /* page size, KiB */
	uint32_t mem_pages; /* physical pages, sysconf(_SC_PHYS_PAGES) */
};

struct report_msg {
	uint8_t version; /* 1 or 2; 0 when encoding: REPORT_WIRE_VERSION */
	uint8_t type; /* enum report_type */
	uint8_t node[REPORT_NODE_LEN];
	uint64_t boot_id;
	uint32_t seq;
	/* v2 only: in an ack, the master's nonce for this boot; in a report, its echo (zeros
	 * until the node has one: docs/protocol.md, "Freshness"). */
	uint8_t nonce[REPORT_NONCE_LEN];
	/* The rest is for REPORT_TYPE_REPORT only; an ack carries the header (and nonce) alone. */
	uint8_t stage; /* enum report_stage */
	uint8_t flags; /* REPORT_FLAG_* */
	uint16_t heartbeat_s; /* the node's heartbeat period, 0: none */
	uint64_t time_ms;     /* CLOCK_BOOTTIME of the node, ms */
	uint16_t error;       /* errno value, 0: success */
	char text[REPORT_TEXT_MAX + 1];
	struct report_inventory inv; /* valid when flags & REPORT_FLAG_INVENTORY */
};

/* Computes HMAC-SHA256 of len bytes into tag; returns 0 or -errno. */
typedef int (*report_mac_fn)(void *ctx, const uint8_t *data, size_t len,
			     uint8_t tag[REPORT_WIRE_TAG]);

/* Why a datagram was refused; the receiver counts each reason (ghostwatch metrics). */
enum report_reject {
	REPORT_OK = 0,
	REPORT_REJECT_TRUNCATED,
	REPORT_REJECT_OVERSIZED,
	REPORT_REJECT_BAD_MAGIC,
	REPORT_REJECT_BAD_VERSION,
	REPORT_REJECT_MALFORMED,
	REPORT_REJECT_BAD_HMAC,
	REPORT_REJECT_REPLAYED,
	REPORT_REJECT_RATE_LIMITED,
	REPORT_REJECT_TABLE_FULL,
	REPORT_REJECT_STALE_NONCE, /* v2: an authentic report with a nonce not its boot's (acked with it) */
	REPORT_REJECT_WRONG_SOURCE, /* serve --cluster: a listed node's report from another address */
	REPORT_TENTATIVE,          /* v2: a boot's opener, zero nonce: acked with the nonce, not applied */
	REPORT_REJECT_COUNT
};

/* Packs msg (type, header, and the report body for a report) and appends the tag computed by
 * mac. Strings longer than REPORT_TEXT_MAX are cut. Returns the datagram length or -errno
 * (-ENOSPC: cap too small, -EINVAL: bad type or stage, or mac's error). */
int report_wire_encode(const struct report_msg *msg, uint8_t *buf, size_t cap, report_mac_fn mac,
		       void *ctx);

/* Whether a nonce is all zeros (a v2 report sent before its boot's first ack). */
bool report_nonce_zero(const uint8_t nonce[REPORT_NONCE_LEN]);

/* Checks length, magic and version only: the cheap test a receiver runs before anything else.
 * Returns REPORT_OK or a reason. */
enum report_reject report_wire_check(const uint8_t *buf, size_t len);

/* Checks the tag (constant time) over everything before it. REPORT_OK or BAD_HMAC. */
enum report_reject report_wire_verify(const uint8_t *buf, size_t len, report_mac_fn mac, void *ctx);

/* Parses a datagram that passed report_wire_check into msg (strings NUL-terminated, non-
 * printable bytes replaced by '?'). Does not check the tag. REPORT_OK or a reason. */
enum report_reject report_wire_decode(const uint8_t *buf, size_t len, struct report_msg *msg);

/* Parses a cluster key given as 32-128 hex digits (surrounding whitespace ignored).
 * Returns the key length in bytes or -EINVAL. */
int report_wire_parse_key(const char *text, size_t len, uint8_t key[REPORT_KEY_MAX]);

/* Names for logs, JSON and metrics ("root-mounted", "bad_hmac"); "?" when out of range. */
const char *report_stage_name(unsigned stage);
int report_stage_from_name(const char *name); /* -EINVAL when unknown */
const char *report_reject_name(unsigned reason);

#endif
