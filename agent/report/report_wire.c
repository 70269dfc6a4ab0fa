/* Report datagrams <-> struct report_msg, by hand in big-endian through a cursor and a
 * remaining count (docs/protocol.md is the specification; keep both in step). */
#include "report/report_wire.h"

#include <errno.h>
#include <string.h>

#include "lib/be.h"
#include "lib/hex.h"

static const char *const stage_names[REPORT_STAGE_COUNT] = {
	[REPORT_STAGE_BOOT] = "boot",
	[REPORT_STAGE_MODULES] = "modules",
	[REPORT_STAGE_LINK] = "link",
	[REPORT_STAGE_LEASE] = "lease",
	[REPORT_STAGE_ROOT_MOUNTED] = "root-mounted",
	[REPORT_STAGE_OVERLAY] = "overlay",
	[REPORT_STAGE_SWITCH_ROOT] = "switch-root",
	[REPORT_STAGE_HEARTBEAT] = "heartbeat",
	[REPORT_STAGE_SHUTDOWN_BEGIN] = "shutdown-begin",
	[REPORT_STAGE_UNMOUNTED] = "unmounted",
	[REPORT_STAGE_RESET] = "reset",
	[REPORT_STAGE_FATAL] = "fatal",
};

static const char *const reject_names[REPORT_REJECT_COUNT] = {
	[REPORT_OK] = "ok",
	[REPORT_REJECT_TRUNCATED] = "truncated",
	[REPORT_REJECT_OVERSIZED] = "oversized",
	[REPORT_REJECT_BAD_MAGIC] = "bad_magic",
	[REPORT_REJECT_BAD_VERSION] = "bad_version",
	[REPORT_REJECT_MALFORMED] = "malformed",
	[REPORT_REJECT_BAD_HMAC] = "bad_hmac",
	[REPORT_REJECT_REPLAYED] = "replayed",
	[REPORT_REJECT_RATE_LIMITED] = "rate_limited",
	[REPORT_REJECT_TABLE_FULL] = "table_full",
	[REPORT_REJECT_STALE_NONCE] = "stale_nonce",
	[REPORT_REJECT_WRONG_SOURCE] = "wrong_source",
	[REPORT_TENTATIVE] = "tentative",
};

const char *report_stage_name(unsigned stage)
{
	return stage < REPORT_STAGE_COUNT ? stage_names[stage] : "?";
}

int report_stage_from_name(const char *name)
{
	for (unsigned i = 0; i < REPORT_STAGE_COUNT; i++)
		if (!strcmp(name, stage_names[i]))
			return (int)i;
	return -EINVAL;
}

const char *report_reject_name(unsigned reason)
{
	return reason < REPORT_REJECT_COUNT ? reject_names[reason] : "?";
}

/* --- packing ------------------------------------------------------------------------------ */

struct put {
	uint8_t *p;
	size_t left;
	int overflow;
};

static void put_bytes(struct put *w, const void *src, size_t n)
{
	if (n > w->left) {
		w->overflow = 1;
		w->left = 0;
		return;
	}
	memcpy(w->p, src, n);
	w->p += n;
	w->left -= n;
}

static void put_u8(struct put *w, uint8_t v) { put_bytes(w, &v, 1); }

static void put_be(struct put *w, uint64_t v, unsigned bytes)
{
	uint8_t b[8];
	be_put(b, v, bytes);
	put_bytes(w, b, bytes);
}

static void put_u16(struct put *w, uint16_t v) { put_be(w, v, 2); }
static void put_u32(struct put *w, uint32_t v) { put_be(w, v, 4); }
static void put_u64(struct put *w, uint64_t v) { put_be(w, v, 8); }

/* A string: one length byte, then at most REPORT_TEXT_MAX bytes, no terminator. */
static void put_str(struct put *w, const char *s)
{
	size_t n = strnlen(s, REPORT_TEXT_MAX);
	put_u8(w, (uint8_t)n);
	put_bytes(w, s, n);
}

int report_wire_encode(const struct report_msg *msg, uint8_t *buf, size_t cap, report_mac_fn mac,
		       void *ctx)
{
	struct put w = { buf, cap, 0 };
	uint8_t version = msg->version ? msg->version : REPORT_WIRE_VERSION;
	if ((msg->type != REPORT_TYPE_REPORT && msg->type != REPORT_TYPE_ACK) || version > 2)
		return -EINVAL;
	if (msg->type == REPORT_TYPE_REPORT && msg->stage >= REPORT_STAGE_COUNT)
		return -EINVAL;
	put_u8(&w, REPORT_WIRE_MAGIC0);
	put_u8(&w, REPORT_WIRE_MAGIC1);
	put_u8(&w, version);
	put_u8(&w, msg->type);
	put_bytes(&w, msg->node, REPORT_NODE_LEN);
	put_u64(&w, msg->boot_id);
	put_u32(&w, msg->seq);
	if (version == 2)
		put_bytes(&w, msg->nonce, REPORT_NONCE_LEN);
	if (msg->type == REPORT_TYPE_REPORT) {
		uint8_t flags = msg->flags & REPORT_FLAGS_KNOWN;
		put_u8(&w, msg->stage);
		put_u8(&w, flags);
		put_u16(&w, msg->heartbeat_s);
		put_u64(&w, msg->time_ms);
		put_u16(&w, msg->error);
		put_str(&w, msg->text);
		if (flags & REPORT_FLAG_INVENTORY) {
			const struct report_inventory *inv = &msg->inv;
			put_bytes(&w, inv->ip, sizeof(inv->ip));
			put_u16(&w, inv->cores);
			put_u16(&w, inv->threads);
			put_u32(&w, inv->mem_mib);
			put_u32(&w, inv->link_mbps);
			put_u16(&w, inv->mtu);
			put_str(&w, inv->hostname);
			put_str(&w, inv->kernel);
			put_str(&w, inv->cpu);
			put_u16(&w, inv->sockets);
			put_u16(&w, inv->page_kib);
			put_u32(&w, inv->mem_pages);
		}
	}
	if (w.overflow || w.left < REPORT_WIRE_TAG)
		return -ENOSPC;
	size_t body = cap - w.left;
	if (body + REPORT_WIRE_TAG > REPORT_WIRE_MAX)
		return -ENOSPC;
	int err = mac(ctx, buf, body, buf + body);
	if (err)
		return err;
	return (int)(body + REPORT_WIRE_TAG);
}

bool report_nonce_zero(const uint8_t nonce[REPORT_NONCE_LEN])
{
	uint8_t any = 0;
	for (int i = 0; i < REPORT_NONCE_LEN; i++)
		any |= nonce[i];
	return !any;
}

/* --- checking and unpacking ---------------------------------------------------------------- */

enum report_reject report_wire_check(const uint8_t *buf, size_t len)
{
	if (len > REPORT_WIRE_MAX)
		return REPORT_REJECT_OVERSIZED;
	/* Magic and version first, so that random bytes and other versions are told apart from
	 * merely short datagrams. */
	if (len < 2 || buf[0] != REPORT_WIRE_MAGIC0 || buf[1] != REPORT_WIRE_MAGIC1)
		return len < 2 ? REPORT_REJECT_TRUNCATED : REPORT_REJECT_BAD_MAGIC;
	if (len < 3)
		return REPORT_REJECT_TRUNCATED;
	if (buf[2] != REPORT_WIRE_V1 && buf[2] != 2)
		return REPORT_REJECT_BAD_VERSION;
	if (len < REPORT_WIRE_MIN)
		return REPORT_REJECT_TRUNCATED;
	return REPORT_OK;
}

enum report_reject report_wire_verify(const uint8_t *buf, size_t len, report_mac_fn mac, void *ctx)
{
	uint8_t tag[REPORT_WIRE_TAG];
	if (len < REPORT_WIRE_MIN || len > REPORT_WIRE_MAX)
		return REPORT_REJECT_TRUNCATED;
	size_t body = len - REPORT_WIRE_TAG;
	if (mac(ctx, buf, body, tag))
		return REPORT_REJECT_BAD_HMAC;
	/* Constant time: the comparison must not tell a forger how many bytes were right. */
	uint8_t diff = 0;
	for (size_t i = 0; i < REPORT_WIRE_TAG; i++)
		diff |= (uint8_t)(tag[i] ^ buf[body + i]);
	return diff ? REPORT_REJECT_BAD_HMAC : REPORT_OK;
}

struct get {
	const uint8_t *p;
	size_t left;
	int short_read;
};

static void get_bytes(struct get *r, void *dst, size_t n)
{
	if (n > r->left) {
		r->short_read = 1;
		r->left = 0;
		memset(dst, 0, n);
		return;
	}
	memcpy(dst, r->p, n);
	r->p += n;
	r->left -= n;
}

static uint8_t get_u8(struct get *r)
{
	uint8_t v;
	get_bytes(r, &v, 1);
	return v;
}

static uint64_t get_be(struct get *r, unsigned bytes)
{
	uint8_t b[8] = { 0 };
	get_bytes(r, b, bytes);
	return be_get(b, bytes);
}

static uint16_t get_u16(struct get *r) { return (uint16_t)get_be(r, 2); }
static uint32_t get_u32(struct get *r) { return (uint32_t)get_be(r, 4); }
static uint64_t get_u64(struct get *r) { return get_be(r, 8); }

/* Returns -1 when the length byte is over REPORT_TEXT_MAX or past the end. */
static int get_str(struct get *r, char out[REPORT_TEXT_MAX + 1])
{
	uint8_t n = get_u8(r);
	out[0] = '\0';
	if (r->short_read || n > REPORT_TEXT_MAX)
		return -1;
	if (n > r->left) {
		r->short_read = 1;
		return -1;
	}
	get_bytes(r, out, n);
	for (unsigned i = 0; i < n; i++)
		if ((unsigned char)out[i] < 0x20 || (unsigned char)out[i] > 0x7e)
			out[i] = '?';
	out[n] = '\0';
	return 0;
}

enum report_reject report_wire_decode(const uint8_t *buf, size_t len, struct report_msg *msg)
{
	enum report_reject why = report_wire_check(buf, len);
	if (why != REPORT_OK)
		return why;
	memset(msg, 0, sizeof(*msg));
	/* The tag is not part of the message: parse only what it covers. */
	struct get r = { buf + 3, len - 3 - REPORT_WIRE_TAG, 0 };
	msg->version = buf[2];
	msg->type = get_u8(&r);
	get_bytes(&r, msg->node, REPORT_NODE_LEN);
	msg->boot_id = get_u64(&r);
	msg->seq = get_u32(&r);
	if (msg->version == 2)
		get_bytes(&r, msg->nonce, REPORT_NONCE_LEN);
	if (r.short_read)
		return REPORT_REJECT_TRUNCATED;
	if (msg->type == REPORT_TYPE_ACK)
		return REPORT_OK; /* trailing bytes: a later minor revision, ignored */
	if (msg->type != REPORT_TYPE_REPORT)
		return REPORT_REJECT_MALFORMED;
	msg->stage = get_u8(&r);
	msg->flags = get_u8(&r);
	msg->heartbeat_s = get_u16(&r);
	msg->time_ms = get_u64(&r);
	msg->error = get_u16(&r);
	if (r.short_read)
		return REPORT_REJECT_TRUNCATED;
	if (msg->stage >= REPORT_STAGE_COUNT)
		return REPORT_REJECT_MALFORMED;
	if (get_str(&r, msg->text))
		return r.short_read ? REPORT_REJECT_TRUNCATED : REPORT_REJECT_MALFORMED;
	/* Flag bits this version does not know are ignored, as are bytes after the last known
	 * field: that is how a compatible revision adds fields without a new version. */
	msg->flags &= REPORT_FLAGS_KNOWN;
	if (msg->flags & REPORT_FLAG_INVENTORY) {
		struct report_inventory *inv = &msg->inv;
		get_bytes(&r, inv->ip, sizeof(inv->ip));
		inv->cores = get_u16(&r);
		inv->threads = get_u16(&r);
		inv->mem_mib = get_u32(&r);
		inv->link_mbps = get_u32(&r);
		inv->mtu = get_u16(&r);
		if (r.short_read)
			return REPORT_REJECT_TRUNCATED;
		if (get_str(&r, inv->hostname) || get_str(&r, inv->kernel) || get_str(&r, inv->cpu))
			return r.short_read ? REPORT_REJECT_TRUNCATED : REPORT_REJECT_MALFORMED;
		/* The 0.8 fields, when the sender has them (fewer bytes: an older sender, or
		 * something this version cannot read: ignored, as the rule says). */
		if (r.left >= 8) {
			inv->sockets = get_u16(&r);
			inv->page_kib = get_u16(&r);
			inv->mem_pages = get_u32(&r);
		}
	}
	return REPORT_OK;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

int report_wire_parse_key(const char *text, size_t len, uint8_t key[REPORT_KEY_MAX])
{
	while (len && is_space(text[0])) {
		text++;
		len--;
	}
	while (len && is_space(text[len - 1]))
		len--;
	if (len < 32 || len > 2 * REPORT_KEY_MAX || len % 2)
		return -EINVAL;
	for (size_t i = 0; i < len; i += 2) {
		int byte = hex_byte(text + i);
		if (byte < 0)
			return -EINVAL;
		key[i / 2] = (uint8_t)byte;
	}
	return (int)(len / 2);
}
