/* The node table: records in chunks of NODES_CHUNK (stable addresses, no realloc copies),
 * an open-addressing index on the MAC that doubles at 50 % load, the replay window. */
#include "state/nodes.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hostname.h"

#define NODES_CHUNK 4096u

struct nodes {
	struct node **chunks;
	uint32_t nchunks_max;
	uint32_t count;
	uint32_t max_nodes;
	uint32_t *index; /* slot -> record number + 1, 0 = empty */
	uint32_t index_size; /* a power of two */
};

static const char *const state_names[NODE_STATE_COUNT] = {
	"booting", "up", "shutting-down", "down", "failed", "lost", "absent",
};

const char *nodes_state_name(unsigned state)
{
	return state < NODE_STATE_COUNT ? state_names[state] : "?";
}

const char *nodes_name(const struct node *n)
{
	return n->listed_name[0] ? n->listed_name : n->inv.hostname;
}

static uint32_t mac_hash(const uint8_t *mac)
{
	uint64_t v = 0;
	for (int i = 0; i < REPORT_NODE_LEN; i++)
		v = v << 8 | mac[i];
	v *= 0x9e3779b97f4a7c15ull;
	return (uint32_t)(v >> 32);
}

struct nodes *nodes_new(uint32_t max_nodes)
{
	struct nodes *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->max_nodes = max_nodes;
	t->nchunks_max = (max_nodes + NODES_CHUNK - 1) / NODES_CHUNK;
	t->chunks = calloc(t->nchunks_max ? t->nchunks_max : 1, sizeof(*t->chunks));
	t->index_size = 1024;
	t->index = calloc(t->index_size, sizeof(*t->index));
	if (!t->chunks || !t->index) {
		nodes_free(t);
		return NULL;
	}
	return t;
}

void nodes_free(struct nodes *t)
{
	if (!t)
		return;
	for (uint32_t i = 0; i < t->nchunks_max && t->chunks; i++)
		free(t->chunks[i]);
	free(t->chunks);
	free(t->index);
	free(t);
}

uint32_t nodes_count(const struct nodes *t) { return t->count; }

void nodes_clear(struct nodes *t)
{
	t->count = 0;
	memset(t->index, 0, t->index_size * sizeof(*t->index));
}

struct node *nodes_at(struct nodes *t, uint32_t i)
{
	return &t->chunks[i / NODES_CHUNK][i % NODES_CHUNK];
}

static uint32_t *slot_of(struct nodes *t, const uint8_t *mac)
{
	uint32_t mask = t->index_size - 1, s = mac_hash(mac) & mask;
	for (;; s = (s + 1) & mask) {
		uint32_t r = t->index[s];
		if (!r || !memcmp(nodes_at(t, r - 1)->mac, mac, REPORT_NODE_LEN))
			return &t->index[s];
	}
}

struct node *nodes_find(struct nodes *t, const uint8_t mac[REPORT_NODE_LEN])
{
	uint32_t r = *slot_of(t, mac);
	return r ? nodes_at(t, r - 1) : NULL;
}

static int grow_index(struct nodes *t)
{
	uint32_t size = t->index_size * 2;
	uint32_t *index = calloc(size, sizeof(*index));
	if (!index)
		return -1;
	free(t->index);
	t->index = index;
	t->index_size = size;
	for (uint32_t i = 0; i < t->count; i++)
		*slot_of(t, nodes_at(t, i)->mac) = i + 1;
	return 0;
}

struct node *nodes_get(struct nodes *t, const uint8_t mac[REPORT_NODE_LEN])
{
	uint32_t *slot = slot_of(t, mac);
	if (*slot)
		return nodes_at(t, *slot - 1);
	if (t->count >= t->max_nodes)
		return NULL;
	uint32_t chunk = t->count / NODES_CHUNK;
	if (!t->chunks[chunk] && !(t->chunks[chunk] = calloc(NODES_CHUNK, sizeof(struct node))))
		return NULL;
	if ((t->count + 1) * 2 > t->index_size) {
		if (grow_index(t))
			return NULL;
		slot = slot_of(t, mac);
	}
	struct node *n = nodes_at(t, t->count);
	memset(n, 0, sizeof(*n));
	memcpy(n->mac, mac, REPORT_NODE_LEN);
	memset(n->stage_ms, 0xff, sizeof(n->stage_ms));
	*slot = ++t->count;
	return n;
}

int nodes_remove(struct nodes *t, const uint8_t mac[REPORT_NODE_LEN])
{
	uint32_t r = *slot_of(t, mac);
	if (!r)
		return -ENOENT;
	/* Rare (an admin's command): shift the rest down and rebuild the index, so that the
	 * order status shows stays the order nodes were first seen. */
	for (uint32_t i = r; i < t->count; i++)
		*nodes_at(t, i - 1) = *nodes_at(t, i);
	t->count--;
	memset(t->index, 0, t->index_size * sizeof(*t->index));
	for (uint32_t i = 0; i < t->count; i++)
		*slot_of(t, nodes_at(t, i)->mac) = i + 1;
	return 0;
}

enum report_reject nodes_replay_check(const struct node *n, uint64_t boot_id, uint32_t seq)
{
	if (!n || !n->boots)
		return REPORT_OK;
	if (boot_id != n->boot_id) {
		for (int i = 0; i < NODES_PREV_BOOTS; i++)
			if (n->prev_boots[i] == boot_id)
				return REPORT_REJECT_REPLAYED; /* an earlier boot of this node */
		return REPORT_OK;
	}
	if (seq > n->seq_top)
		return REPORT_OK;
	uint32_t back = n->seq_top - seq;
	if (back >= 64 || (n->window >> back & 1))
		return REPORT_REJECT_REPLAYED;
	return REPORT_OK;
}

/* A report's time since the node's boot, as the table keeps it: the wire carries 64 bits, but
 * 49 days of boot time is beyond any stage we track, and a forged huge value must not push
 * the node's time 0 out of int64 range (status and timeline add to it). */
static uint32_t stage_time(const struct report_msg *m)
{
	return m->time_ms >= NODES_STAGE_UNSEEN ? NODES_STAGE_UNSEEN - 1 : (uint32_t)m->time_ms;
}

static void new_boot(struct node *n, const struct report_msg *m, int64_t now_ms)
{
	if (n->boots) {
		memmove(n->prev_boots + 1, n->prev_boots, sizeof(n->prev_boots) - sizeof(n->prev_boots[0]));
		n->prev_boots[0] = n->boot_id;
	}
	/* boots is also the epoch of the next boot's nonce (validate.c): it moves on here, so a
	 * nonce drawn for an earlier boot never matches again. */
	n->boots++;
	n->boot_id = m->boot_id;
	n->protocol = m->version ? m->version : REPORT_WIRE_V1;
	memcpy(n->nonce, m->nonce, sizeof(n->nonce));
	n->seq_top = 0;
	n->window = 0;
	n->error = 0;
	n->error_text[0] = '\0';
	n->guardian_restores = 0;
	n->guardian_text[0] = '\0';
	n->boot_wall = now_ms - (int64_t)stage_time(m);
	memset(n->stage_ms, 0xff, sizeof(n->stage_ms));
}

/* "<restores this boot> restored: ...": the count is the node's, reports may come late or
 * out of order (the largest wins), and the rate limit folds several restores into one. */
static void apply_guardian(struct node *n, const struct report_msg *m)
{
	uint32_t count = 0;
	const char *p = m->text;
	while (*p >= '0' && *p <= '9' && count < 100000000u)
		count = count * 10 + (uint32_t)(*p++ - '0');
	if (count == 0)
		count = n->guardian_restores + 1; /* a sender without the count: one more */
	if (count >= n->guardian_restores) {
		n->guardian_restores = count;
		memcpy(n->guardian_text, m->text, sizeof(n->guardian_text));
	}
}

void nodes_apply(struct node *n, const struct report_msg *m, int64_t now_ms, uint32_t src_ip)
{
	if (!n->boots || m->boot_id != n->boot_id)
		new_boot(n, m, now_ms);
	if (!n->first_seen)
		n->first_seen = now_ms;
	int newest = m->seq > n->seq_top;
	if (newest) {
		uint32_t shift = m->seq - n->seq_top;
		n->window = shift >= 64 ? 1 : (n->window << shift | 1);
		n->seq_top = m->seq;
		n->last_stage = m->stage;
	} else if (n->seq_top - m->seq < 64) {
		n->window |= 1ull << (n->seq_top - m->seq);
	}
	n->stage_ms[m->stage] = stage_time(m);
	/* The earliest report of a boot may be late (sent once the network was up): the smallest
	 * estimate of the node's time 0 is the one with the least network delay. */
	int64_t zero = now_ms - (int64_t)stage_time(m);
	if (zero < n->boot_wall)
		n->boot_wall = zero;
	if (now_ms > n->last_seen)
		n->last_seen = now_ms;
	n->heartbeat_s = m->heartbeat_s;
	n->src_ip = src_ip;
	if (m->error || m->stage == REPORT_STAGE_FATAL) {
		n->error = m->error;
		memcpy(n->error_text, m->text, sizeof(n->error_text));
	}
	if (m->flags & REPORT_FLAG_INVENTORY) {
		n->inv = m->inv;
		n->has_inventory = 1;
		/* Checked again here, where it is used: a name goes into the hostfile as a word. */
		if (!hostname_valid(n->inv.hostname))
			n->inv.hostname[0] = '\0';
	}
	if (m->flags & REPORT_FLAG_GUARDIAN)
		apply_guardian(n, m);
}

enum node_state nodes_state(const struct node *n, int64_t now_ms, const struct nodes_limits *lim)
{
	int64_t silent = now_ms - n->last_seen;
	if (n->absent)
		return NODE_ABSENT;
	switch (n->last_stage) {
	case REPORT_STAGE_FATAL:
		return NODE_FAILED;
	case REPORT_STAGE_RESET:
		return NODE_DOWN;
	case REPORT_STAGE_SWITCH_ROOT:
	case REPORT_STAGE_HEARTBEAT:
		/* Without a heartbeat the master cannot tell a running node from a dead one. */
		if (n->heartbeat_s && silent > (int64_t)n->heartbeat_s * 3000 + 5000)
			return NODE_LOST;
		return NODE_UP;
	case REPORT_STAGE_SHUTDOWN_BEGIN:
	case REPORT_STAGE_UNMOUNTED:
		return silent > (int64_t)lim->lost_after_s * 1000 ? NODE_LOST : NODE_SHUTTING_DOWN;
	default:
		return silent > (int64_t)lim->lost_after_s * 1000 ? NODE_LOST : NODE_BOOTING;
	}
}
