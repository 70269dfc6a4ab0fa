/* The node's report sender: one datagram per stage to ghostwatch (docs/protocol.md), acked,
 * retransmitted a bounded number of times, never blocking and never failing the boot: all
 * waiting for acks is charged to one budget (200 ms per boot by default).
 *
 * Use from the boot stages (the lead integrates it):
 *   report_init(&config, boot_mac, lease_server_ip);         once the lease is known
 *   report_set_inventory(&inv);                              once (see inventory.h)
 *   report_stage(REPORT_STAGE_LEASE, 0, NULL);               after each stage
 *   report_stage(REPORT_STAGE_FATAL, ETIMEDOUT, "no DHCP offer");  before fatal()
 * Every call is safe when report_init failed or was never called: it does nothing.
 * Stages that happen before the network is up (boot, modules, link) can be reported late:
 * call report_stage with their own CLOCK_BOOTTIME via report_stage_at(). */
#ifndef GHOST_REPORT_H
#define GHOST_REPORT_H

#include <stdint.h>

#include "boot/boot_config.h"
#include "report/report_wire.h"

#define REPORT_BUDGET_MS 200     /* all ack waits of one boot together */
#define REPORT_ACK_WAIT_MS 20    /* one wait for one ack */
#define REPORT_SENDS_WAITED 3    /* sends of a report that wait for its ack */
#define REPORT_SENDS_MAX 4       /* then one more, unwaited, with the next report */
#define REPORT_PENDING_MAX 8     /* unacked reports kept for retransmission */

struct report_setup {
	uint8_t node[REPORT_NODE_LEN]; /* the boot interface's MAC */
	uint32_t master_ip;            /* network byte order */
	uint16_t master_port;          /* host order */
	uint16_t heartbeat_s;
	uint64_t boot_id;  /* 0: a new random one (a new boot); else continue that boot */
	uint32_t last_seq; /* when continuing a boot: the last sequence it used */
	uint8_t version;   /* protocol: 2, or 1 (ghost.protocol=1, an old master); 0: 2 */
	uint8_t nonce[REPORT_NONCE_LEN]; /* v2: the boot's master nonce, zeros until an ack brings it */
	uint32_t budget_ms;
	report_mac_fn mac; /* NULL: the kernel's hmac(sha256) with key/keylen below */
	void *mac_ctx;
	uint8_t key[REPORT_KEY_MAX];
	int keylen;
};

struct report_stats {
	unsigned sent;        /* datagrams, retransmits included */
	unsigned retransmits;
	unsigned acked;       /* reports acknowledged */
	unsigned given_up;    /* reports dropped after REPORT_SENDS_MAX sends */
	uint32_t waited_ms;   /* budget spent */
};

/* Loads the boot's key (report_key.h: ghost.key=, else the boot loader's per-node file), opens the kernel HMAC and
 * the socket, and draws a boot id. The master is ghost.master= (cfg->master_ip/port), else
 * dhcp_server (network order; the documented default), on cfg->master_port. Returns 0 or
 * -errno (reporting then stays off): -EDESTADDRREQ no master at all, -EINVAL bad key,
 * -EAFNOSUPPORT/-ENOENT no AF_ALG hmac(sha256), or a socket error. */
int report_init(const struct boot_config *cfg, const uint8_t node[REPORT_NODE_LEN],
		uint32_t dhcp_server);
/* Keeps the key report_init loaded in /run/ghostboot/node.key (0600) for the boot-link
 * guardian and the shutdown program. 0 or -errno (-ENOKEY: no key, nothing kept). */
int report_keep_key(void);
/* The same from an explicit setup (tests, the shutdown program continuing a boot). */
int report_open(const struct report_setup *setup);
/* Reads a key: "/path" (a file holding hex) or hex text. Returns its length or -errno. */
int report_load_key(const char *spec, uint8_t key[REPORT_KEY_MAX]);
/* Reads a key file (hex, any path). Returns its length or -errno. */
int report_load_key_file(const char *path, uint8_t key[REPORT_KEY_MAX]);

/* Attached to the next reports until one of them is acked, and to every switch-root. */
void report_set_inventory(const struct report_inventory *inv);
/* Reports a stage now; err is an errno value (0: success), text may be NULL. Returns 1 when
 * the master acked it, 0 when not (yet), -errno when reporting is off. */
int report_stage(unsigned stage, int err, const char *text);
int report_stage_at(unsigned stage, int err, const char *text, uint64_t time_ms);
/* A heartbeat flagged REPORT_FLAG_GUARDIAN: the boot-link guardian restored the link. */
int report_guardian(const char *text);

/* The boot's reporting state for whoever reports next in this boot (the heartbeat daemon, the
 * shutdown program): one text line "ghostboot-report 2 <node> <master> <port> <boot id>
 * <last seq> <heartbeat s> <daemon pid> <nonce>" (report_state.h), written to name.tmp then renamed, in the directory
 * dirfd (a descriptor, so it still works after switch_root moved /run). 0 or -errno. */
#define REPORT_STATE_PATH "/run/ghostboot/report"
int report_save_at(int dirfd, const char *name, int daemon_pid);
/* Reads such a file and opens reporting to continue that boot (same boot id, next sequence),
 * with the key the boot kept (report_keep_key; else cfg's ghost.key=) and a fresh REPORT_BUDGET_MS. *daemon_pid gets the saved pid (0: none).
 * 0 or -errno (-ENOENT: nobody reported in this boot). */
int report_resume(const char *path, const struct boot_config *cfg, int *daemon_pid);
/* How far past the saved number report_resume starts: the master's replay window is 64, so a
 * jump forward is accepted, and no earlier holder sends this many reports unsaved. */
#define REPORT_RESUME_GAP 16u
/* report_resume's first half: the saved state, its sequence moved on by the gap. */
int report_resume_state(const char *path, struct report_setup *s, int *daemon_pid);
/* Its first half: parses the file into a setup (no key, kernel HMAC) without opening. */
int report_load_state(const char *path, struct report_setup *s, int *daemon_pid);
int report_load_state_at(int dirfd, const char *name, struct report_setup *s, int *daemon_pid);
/* Whoever sends from the saved state without being the heartbeat daemon (the shutdown
 * program, the guardian when there is no daemon) holds this flock while it does: one owner
 * of the sequence at a time. */
#define REPORT_LOCK_NAME "report.lock"
/* A new REPORT_BUDGET_MS of ack waits (the heartbeat daemon, outside the boot path). */
void report_refill_budget(void);

uint64_t report_boot_id(void);
uint32_t report_last_seq(void);
struct report_stats report_get_stats(void);
void report_close(void);

#endif
