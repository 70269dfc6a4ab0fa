/* ghostwatch's node table: one record per node id (MAC), its current boot, replay window,
 * stage times and inventory. Bounded: at most max_nodes records, stored in fixed chunks so
 * growth never copies the table. */
#ifndef GW_NODES_H
#define GW_NODES_H

#include <stdint.h>

#include "report/report_wire.h"

#define NODES_PREV_BOOTS 4      /* earlier boot ids kept to refuse their replays */
#define NODES_STAGE_UNSEEN 0xffffffffu

enum node_state {
	NODE_BOOTING = 0,
	NODE_UP,
	NODE_SHUTTING_DOWN,
	NODE_DOWN,   /* reported its reset: switched off or rebooting */
	NODE_FAILED, /* reported a fatal error */
	NODE_LOST,   /* silent past its deadline */
	NODE_ABSENT, /* in the cluster file, never heard from (status and wait show it) */
	NODE_STATE_COUNT
};

struct node {
	uint8_t mac[REPORT_NODE_LEN];
	uint8_t last_stage;    /* stage of the newest report of the current boot */
	uint8_t has_inventory;
	uint16_t heartbeat_s;
	uint16_t error;        /* last error reported (errno), 0: none */
	uint32_t seq_top;      /* replay window: highest sequence accepted ... */
	uint64_t window;       /* ... and bit i set: seq_top - i accepted */
	uint64_t boot_id;
	uint64_t prev_boots[NODES_PREV_BOOTS];
	uint32_t boots;        /* boots seen */
	uint32_t src_ip;       /* network order, source of the last report */
	int64_t first_seen;    /* wall clock ms */
	int64_t last_seen;     /* wall clock ms */
	int64_t boot_wall;     /* wall clock ms of the node's time 0 in this boot (estimated) */
	uint32_t stage_ms[REPORT_STAGE_COUNT]; /* node time of each stage, this boot */
	char error_text[REPORT_TEXT_MAX + 1];
	struct report_inventory inv;
	uint8_t protocol;      /* report protocol of the current boot: 1 or 2 (0: an old state, 1) */
	uint8_t nonce[REPORT_NONCE_LEN]; /* v2: the current boot's nonce, its reports echo it */
	uint8_t unlisted;      /* not in serve --cluster's list (set on load and apply, not saved) */
	uint8_t absent;        /* listed, never heard from: a placeholder added on load, not saved */
	char listed_name[64];  /* the cluster file's name for it, "" when unlisted (cluster_mark; not saved) */
	uint32_t guardian_restores; /* this boot: the boot-link guardian put the link back */
	char guardian_text[REPORT_TEXT_MAX + 1]; /* its last report */
};

struct nodes_limits {
	uint32_t lost_after_s; /* booting or shutting down, silent that long: lost */
};

struct nodes;

struct nodes *nodes_new(uint32_t max_nodes);
void nodes_free(struct nodes *t);
uint32_t nodes_count(const struct nodes *t);
void nodes_clear(struct nodes *t); /* forgets every node, keeps the memory */
struct node *nodes_at(struct nodes *t, uint32_t i); /* 0 <= i < count, insertion order */
struct node *nodes_find(struct nodes *t, const uint8_t mac[REPORT_NODE_LEN]);
/* Drops the node of mac (`ghostwatch forget`), keeping the others in their order. 0, or
 * -ENOENT when there is none. */
int nodes_remove(struct nodes *t, const uint8_t mac[REPORT_NODE_LEN]);
/* Finds or adds; NULL when the table is full. */
struct node *nodes_get(struct nodes *t, const uint8_t mac[REPORT_NODE_LEN]);

/* The replay verdict for (boot id, sequence) of an authentic report, without changing
 * anything: REPORT_OK or REPORT_REJECT_REPLAYED. */
enum report_reject nodes_replay_check(const struct node *n, uint64_t boot_id, uint32_t seq);
/* Applies an accepted report received at wall-clock now_ms from src_ip. */
void nodes_apply(struct node *n, const struct report_msg *m, int64_t now_ms, uint32_t src_ip);

/* What the node is doing now (derived, so serve, status and metrics always agree). */
enum node_state nodes_state(const struct node *n, int64_t now_ms, const struct nodes_limits *lim);
const char *nodes_state_name(unsigned state);
/* The node's name: the cluster file's (listed_name), else the host name it reported; "" if none. */
const char *nodes_name(const struct node *n);

#endif
