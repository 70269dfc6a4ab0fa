/* The report codec: byte-exact fixtures, round trips, and every way a datagram can be bad. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "report/report_wire.h"

struct key {
	uint8_t bytes[REPORT_KEY_MAX];
	int len;
};

static int openssl_mac(void *ctx, const uint8_t *data, size_t len, uint8_t tag[REPORT_WIRE_TAG])
{
	struct key *k = ctx;
	unsigned n = 0;
	if (!HMAC(EVP_sha256(), k->bytes, k->len, data, len, tag, &n) || n != REPORT_WIRE_TAG)
		return -EIO;
	return 0;
}

static int failing_mac(void *ctx, const uint8_t *data, size_t len, uint8_t tag[REPORT_WIRE_TAG])
{
	(void)ctx, (void)data, (void)len, (void)tag;
	return -EAFNOSUPPORT;
}

static struct key key_a = { .len = 16 };
static struct key key_b = { .len = 16 };

static int setup(void **state)
{
	(void)state;
	for (int i = 0; i < 16; i++) {
		key_a.bytes[i] = (uint8_t)i;
		key_b.bytes[i] = (uint8_t)(i + 1);
	}
	return 0;
}

static struct report_msg sample_report(void)
{
	struct report_msg m;
	memset(&m, 0, sizeof(m));
	m.version = 1; /* the v1 fixtures: v1 is still read during an upgrade */
	m.type = REPORT_TYPE_REPORT;
	memcpy(m.node, "\x52\x54\x00\x12\x34\x56", 6);
	m.boot_id = 0x0102030405060708ull;
	m.seq = 0x0a0b0c0d;
	m.stage = REPORT_STAGE_LEASE;
	m.heartbeat_s = 30;
	m.time_ms = 0x1122334455ull;
	m.error = 110;
	strcpy(m.text, "no offer");
	return m;
}

/* The bytes docs/protocol.md specifies for sample_report(), written out by hand. */
static const uint8_t sample_bytes[] = {
	'G', 'W', 1, 1,                                 /* magic, version, type report */
	0x52, 0x54, 0x00, 0x12, 0x34, 0x56,             /* node id */
	1, 2, 3, 4, 5, 6, 7, 8,                         /* boot id */
	0x0a, 0x0b, 0x0c, 0x0d,                         /* sequence */
	REPORT_STAGE_LEASE, 0, 0, 30,                   /* stage 3, flags, heartbeat 30 s */
	0, 0, 0, 0x11, 0x22, 0x33, 0x44, 0x55,          /* time ms */
	0, 110,                                         /* error ETIMEDOUT */
	8, 'n', 'o', ' ', 'o', 'f', 'f', 'e', 'r',      /* text */
};

static void test_encode_matches_fixture(void **state)
{
	(void)state;
	uint8_t buf[REPORT_WIRE_MAX];
	struct report_msg m = sample_report();
	int n = report_wire_encode(&m, buf, sizeof(buf), openssl_mac, &key_a);
	assert_int_equal(n, sizeof(sample_bytes) + REPORT_WIRE_TAG);
	assert_memory_equal(buf, sample_bytes, sizeof(sample_bytes));
	uint8_t tag[REPORT_WIRE_TAG];
	openssl_mac(&key_a, sample_bytes, sizeof(sample_bytes), tag);
	assert_memory_equal(buf + sizeof(sample_bytes), tag, REPORT_WIRE_TAG);
}

static void test_round_trip_with_inventory(void **state)
{
	(void)state;
	uint8_t buf[REPORT_WIRE_MAX];
	struct report_msg m = sample_report(), d;
	m.flags = REPORT_FLAG_INVENTORY;
	memcpy(m.inv.ip, "\0\0\0\0\0\0\0\0\0\0\xff\xff\x0a\x00\x02\x0f", 16);
	m.inv.cores = 64;
	m.inv.threads = 128;
	m.inv.mem_mib = 515072;
	m.inv.link_mbps = 100000;
	m.inv.mtu = 9000;
	strcpy(m.inv.hostname, "node042");
	strcpy(m.inv.kernel, "6.1.0-28-amd64");
	memset(m.inv.cpu, 'x', REPORT_TEXT_MAX);
	m.inv.cpu[REPORT_TEXT_MAX] = '\0';
	m.inv.sockets = 2;
	m.inv.page_kib = 4;
	m.inv.mem_pages = 0x12345678;
	int n = report_wire_encode(&m, buf, sizeof(buf), openssl_mac, &key_a);
	assert_true(n > 0);
	assert_int_equal(report_wire_check(buf, (size_t)n), REPORT_OK);
	assert_int_equal(report_wire_verify(buf, (size_t)n, openssl_mac, &key_a), REPORT_OK);
	assert_int_equal(report_wire_decode(buf, (size_t)n, &d), REPORT_OK);
	assert_memory_equal(&d, &m, sizeof(m));
}

static void test_largest_report_fits(void **state)
{
	(void)state;
	uint8_t buf[REPORT_WIRE_MAX];
	struct report_msg m = sample_report();
	m.flags = REPORT_FLAG_INVENTORY;
	/* Over-long strings are cut to REPORT_TEXT_MAX, never overrun. */
	char big[300];
	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(m.text, big, REPORT_TEXT_MAX);
	m.text[REPORT_TEXT_MAX] = '\0';
	m.inv = (struct report_inventory){ 0 };
	memcpy(m.inv.hostname, big, REPORT_TEXT_MAX);
	memcpy(m.inv.kernel, big, REPORT_TEXT_MAX);
	memcpy(m.inv.cpu, big, REPORT_TEXT_MAX);
	int n = report_wire_encode(&m, buf, sizeof(buf), openssl_mac, &key_a);
	assert_int_equal(n, 366); /* the figure docs/protocol.md gives */
	/* Too small a buffer is -ENOSPC, not a short write. */
	assert_int_equal(report_wire_encode(&m, buf, 365, openssl_mac, &key_a), -ENOSPC);
	assert_int_equal(report_wire_encode(&m, buf, 100, openssl_mac, &key_a), -ENOSPC);
}

static void test_ack_round_trip(void **state)
{
	(void)state;
	uint8_t buf[REPORT_WIRE_MAX];
	struct report_msg m = sample_report(), d;
	m.type = REPORT_TYPE_ACK;
	int n = report_wire_encode(&m, buf, sizeof(buf), openssl_mac, &key_a);
	assert_int_equal(n, REPORT_WIRE_MIN);
	assert_int_equal(report_wire_decode(buf, (size_t)n, &d), REPORT_OK);
	assert_int_equal(d.type, REPORT_TYPE_ACK);
	assert_memory_equal(d.node, m.node, 6);
	assert_true(d.boot_id == m.boot_id);
	assert_int_equal(d.seq, m.seq);
}

static void test_encode_refuses_bad_input(void **state)
{
	(void)state;
	uint8_t buf[REPORT_WIRE_MAX];
	struct report_msg m = sample_report();
	m.stage = REPORT_STAGE_COUNT;
	assert_int_equal(report_wire_encode(&m, buf, sizeof(buf), openssl_mac, &key_a), -EINVAL);
	m = sample_report();
	m.type = 7;
	assert_int_equal(report_wire_encode(&m, buf, sizeof(buf), openssl_mac, &key_a), -EINVAL);
	m = sample_report();
	assert_int_equal(report_wire_encode(&m, buf, sizeof(buf), failing_mac, NULL), -EAFNOSUPPORT);
}

static int encode_sample(uint8_t *buf)
{
	struct report_msg m = sample_report();
	return report_wire_encode(&m, buf, REPORT_WIRE_MAX, openssl_mac, &key_a);
}

static void test_check_reasons(void **state)
{
	(void)state;
	uint8_t buf[REPORT_WIRE_MAX + 8];
	int n = encode_sample(buf);
	struct report_msg d;
	assert_int_equal(report_wire_check(buf, 0), REPORT_REJECT_TRUNCATED);
	assert_int_equal(report_wire_check(buf, 1), REPORT_REJECT_TRUNCATED);
	assert_int_equal(report_wire_check(buf, 2), REPORT_REJECT_TRUNCATED);
	assert_int_equal(report_wire_check(buf, REPORT_WIRE_MIN - 1), REPORT_REJECT_TRUNCATED);
	assert_int_equal(report_wire_check(buf, REPORT_WIRE_MAX + 1), REPORT_REJECT_OVERSIZED);
	buf[2] = 3;
	assert_int_equal(report_wire_check(buf, (size_t)n), REPORT_REJECT_BAD_VERSION);
	assert_int_equal(report_wire_decode(buf, (size_t)n, &d), REPORT_REJECT_BAD_VERSION);
	buf[2] = 0;
	assert_int_equal(report_wire_check(buf, (size_t)n), REPORT_REJECT_BAD_VERSION);
	buf[2] = 1;
	buf[0] = 'X';
	assert_int_equal(report_wire_check(buf, (size_t)n), REPORT_REJECT_BAD_MAGIC);
	assert_int_equal(report_wire_check(buf, 1), REPORT_REJECT_TRUNCATED);
}

static void test_verify_rejects_any_change(void **state)
{
	(void)state;
	uint8_t buf[REPORT_WIRE_MAX];
	int n = encode_sample(buf);
	assert_int_equal(report_wire_verify(buf, (size_t)n, openssl_mac, &key_b), REPORT_REJECT_BAD_HMAC);
	assert_int_equal(report_wire_verify(buf, (size_t)n, failing_mac, NULL), REPORT_REJECT_BAD_HMAC);
	for (int i = 0; i < n; i++) {
		for (int bit = 0; bit < 8; bit += 7) {
			buf[i] ^= (uint8_t)(1u << bit);
			assert_int_equal(report_wire_verify(buf, (size_t)n, openssl_mac, &key_a),
					 REPORT_REJECT_BAD_HMAC);
			buf[i] ^= (uint8_t)(1u << bit);
		}
	}
	assert_int_equal(report_wire_verify(buf, (size_t)n, openssl_mac, &key_a), REPORT_OK);
	/* Cut or extended: the tag moves, so it no longer verifies. */
	assert_int_equal(report_wire_verify(buf, (size_t)n - 1, openssl_mac, &key_a), REPORT_REJECT_BAD_HMAC);
	assert_int_equal(report_wire_verify(buf, 10, openssl_mac, &key_a), REPORT_REJECT_TRUNCATED);
}

/* Builds a datagram from raw body bytes with a tag of zeros (decode ignores the tag). */
static size_t raw(uint8_t *buf, const uint8_t *body, size_t len)
{
	memcpy(buf, body, len);
	memset(buf + len, 0, REPORT_WIRE_TAG);
	return len + REPORT_WIRE_TAG;
}

static void test_decode_malformed(void **state)
{
	(void)state;
	uint8_t body[REPORT_WIRE_MAX], buf[REPORT_WIRE_MAX + REPORT_WIRE_TAG];
	struct report_msg d;
	size_t len = sizeof(sample_bytes);

	/* Every truncation of the body is refused, none is read past. */
	for (size_t cut = REPORT_WIRE_HEADER + 1; cut < len; cut++) {
		size_t n = raw(buf, sample_bytes, cut);
		assert_int_equal(report_wire_decode(buf, n, &d), REPORT_REJECT_TRUNCATED);
	}
	/* Exactly the header with type report: the report body is missing. */
	assert_int_equal(report_wire_decode(buf, raw(buf, sample_bytes, REPORT_WIRE_HEADER), &d),
			 REPORT_REJECT_TRUNCATED);

	memcpy(body, sample_bytes, len);
	body[3] = 3; /* unknown type */
	assert_int_equal(report_wire_decode(buf, raw(buf, body, len), &d), REPORT_REJECT_MALFORMED);

	memcpy(body, sample_bytes, len);
	body[22] = REPORT_STAGE_COUNT; /* unknown stage */
	assert_int_equal(report_wire_decode(buf, raw(buf, body, len), &d), REPORT_REJECT_MALFORMED);

	memcpy(body, sample_bytes, len);
	body[36] = REPORT_TEXT_MAX + 1; /* text length over the limit */
	memset(body + len, 'z', 80);
	assert_int_equal(report_wire_decode(buf, raw(buf, body, len + 80), &d), REPORT_REJECT_MALFORMED);

	memcpy(body, sample_bytes, len);
	body[36] = 9; /* text length one past the end */
	assert_int_equal(report_wire_decode(buf, raw(buf, body, len), &d), REPORT_REJECT_TRUNCATED);

	memcpy(body, sample_bytes, len);
	body[23] = REPORT_FLAG_INVENTORY; /* inventory announced, absent */
	assert_int_equal(report_wire_decode(buf, raw(buf, body, len), &d), REPORT_REJECT_TRUNCATED);
}

static void test_decode_tolerates_revision(void **state)
{
	(void)state;
	uint8_t body[REPORT_WIRE_MAX], buf[REPORT_WIRE_MAX + REPORT_WIRE_TAG];
	struct report_msg d;
	size_t len = sizeof(sample_bytes);
	memcpy(body, sample_bytes, len);
	body[23] = 0x80;                 /* a flag bit v1 does not know */
	memcpy(body + len, "\x01\x02", 2); /* a field appended by a later revision */
	assert_int_equal(report_wire_decode(buf, raw(buf, body, len + 2), &d), REPORT_OK);
	assert_int_equal(d.flags, 0);
	assert_string_equal(d.text, "no offer");
}

/* The 0.8 inventory fields (sockets, page size, pages) both ways: a report of a sender before
 * them (inventory ending at the CPU model) decodes with them 0; a sender since then puts them
 * in the place a receiver before them skips (test_decode_tolerates_revision: its rule). */
static void test_inventory_revision(void **state)
{
	(void)state;
	uint8_t buf[REPORT_WIRE_MAX], old[REPORT_WIRE_MAX];
	struct report_msg m = sample_report(), d;
	m.flags = REPORT_FLAG_INVENTORY;
	m.inv.cores = 4;
	m.inv.threads = 8;
	m.inv.mem_mib = 3934;
	strcpy(m.inv.cpu, "QEMU Virtual CPU version 2.5+");
	m.inv.sockets = 2;
	m.inv.page_kib = 4;
	m.inv.mem_pages = 1007234;
	int n = report_wire_encode(&m, buf, sizeof(buf), openssl_mac, &key_a);
	assert_true(n > 0);
	size_t body = (size_t)n - REPORT_WIRE_TAG;
	/* sockets 2, page 4 KiB, pages 1007234, right after the CPU model */
	assert_memory_equal(buf + body - 8, "\x00\x02\x00\x04\x00\x0f\x5e\x82", 8);
	assert_memory_equal(buf + body - 8 - strlen(m.inv.cpu), m.inv.cpu, strlen(m.inv.cpu));
	/* The same report from a sender before 0.8: the last 8 bytes were never there. */
	memcpy(old, buf, body - 8);
	openssl_mac(&key_a, old, body - 8, old + body - 8);
	assert_int_equal(report_wire_verify(old, (size_t)n - 8, openssl_mac, &key_a), REPORT_OK);
	assert_int_equal(report_wire_decode(old, (size_t)n - 8, &d), REPORT_OK);
	assert_int_equal(d.inv.sockets, 0);
	assert_int_equal(d.inv.page_kib, 0);
	assert_int_equal(d.inv.mem_pages, 0);
	assert_int_equal(d.inv.cores, 4);
	assert_int_equal(d.inv.mem_mib, 3934);
	assert_string_equal(d.inv.cpu, m.inv.cpu);
	/* Part of them (a sender this version cannot read): ignored, not refused. */
	memcpy(old, buf, body - 3);
	openssl_mac(&key_a, old, body - 3, old + body - 3);
	assert_int_equal(report_wire_decode(old, (size_t)n - 3, &d), REPORT_OK);
	assert_int_equal(d.inv.sockets, 0);
	assert_string_equal(d.inv.cpu, m.inv.cpu);
}

static void test_decode_sanitises_text(void **state)
{
	(void)state;
	uint8_t body[REPORT_WIRE_MAX], buf[REPORT_WIRE_MAX + REPORT_WIRE_TAG];
	struct report_msg d;
	size_t len = sizeof(sample_bytes);
	memcpy(body, sample_bytes, len);
	body[37] = '\n';
	body[38] = 0;
	body[39] = 0xff;
	assert_int_equal(report_wire_decode(buf, raw(buf, body, len), &d), REPORT_OK);
	assert_string_equal(d.text, "???offer");
}

static void test_parse_key(void **state)
{
	(void)state;
	uint8_t key[REPORT_KEY_MAX];
	const char *k32 = "000102030405060708090a0b0c0d0e0F";
	assert_int_equal(report_wire_parse_key(k32, strlen(k32), key), 16);
	assert_int_equal(key[15], 0x0f);
	char text[200];
	snprintf(text, sizeof(text), "  %s%s\n", k32, k32);
	assert_int_equal(report_wire_parse_key(text, strlen(text), key), 32);
	assert_int_equal(report_wire_parse_key(k32, 30, key), -EINVAL);  /* too short */
	assert_int_equal(report_wire_parse_key(k32, 31, key), -EINVAL);  /* odd */
	assert_int_equal(report_wire_parse_key("", 0, key), -EINVAL);
	char bad[] = "000102030405060708090a0b0c0d0eXX";
	assert_int_equal(report_wire_parse_key(bad, strlen(bad), key), -EINVAL);
	memset(text, 'a', 130);
	assert_int_equal(report_wire_parse_key(text, 130, key), -EINVAL); /* over 64 bytes */
	assert_int_equal(report_wire_parse_key(text, 128, key), 64);
}

static void test_names(void **state)
{
	(void)state;
	for (unsigned i = 0; i < REPORT_STAGE_COUNT; i++)
		assert_int_equal(report_stage_from_name(report_stage_name(i)), (int)i);
	assert_string_equal(report_stage_name(REPORT_STAGE_ROOT_MOUNTED), "root-mounted");
	assert_string_equal(report_stage_name(99), "?");
	assert_int_equal(report_stage_from_name("nope"), -EINVAL);
	assert_string_equal(report_reject_name(REPORT_REJECT_BAD_HMAC), "bad_hmac");
	assert_string_equal(report_reject_name(REPORT_REJECT_COUNT), "?");
}

/* The guardian bit travels; a bit no version knows is dropped on decode. */
static void test_guardian_flag(void **state)
{
	(void)state;
	uint8_t buf[REPORT_WIRE_MAX];
	struct report_msg m = sample_report(), d;
	m.stage = REPORT_STAGE_HEARTBEAT;
	m.flags = REPORT_FLAG_GUARDIAN;
	strcpy(m.text, "1 restored: eth0 lost address (notified) 4 ms");
	int n = report_wire_encode(&m, buf, sizeof(buf), openssl_mac, &key_a);
	assert_true(n > 0);
	assert_int_equal(report_wire_decode(buf, (size_t)n, &d), REPORT_OK);
	assert_int_equal(d.flags, REPORT_FLAG_GUARDIAN);
	assert_string_equal(d.text, m.text);
	m.flags = REPORT_FLAG_GUARDIAN | 0x80;
	n = report_wire_encode(&m, buf, sizeof(buf), openssl_mac, &key_a);
	assert_int_equal(buf[REPORT_WIRE_HEADER + 1], REPORT_FLAG_GUARDIAN); /* not sent */
	buf[REPORT_WIRE_HEADER + 1] |= 0x80;
	assert_int_equal(report_wire_decode(buf, (size_t)n, &d), REPORT_OK);
	assert_int_equal(d.flags, REPORT_FLAG_GUARDIAN);
}

/* --- protocol v2: the nonce after the header (docs/protocol.md, "Freshness") --- */

static const uint8_t nonce16[REPORT_NONCE_LEN] = { 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
						   0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf };

/* The v2 report docs/protocol.md specifies: the v1 fixture with version 2 and the nonce
 * between the header and the stage. */
static size_t v2_fixture(uint8_t *out)
{
	memcpy(out, sample_bytes, REPORT_WIRE_HEADER);
	out[2] = 2;
	memcpy(out + REPORT_WIRE_HEADER, nonce16, REPORT_NONCE_LEN);
	memcpy(out + REPORT_WIRE_HEADER + REPORT_NONCE_LEN, sample_bytes + REPORT_WIRE_HEADER,
	       sizeof(sample_bytes) - REPORT_WIRE_HEADER);
	return sizeof(sample_bytes) + REPORT_NONCE_LEN;
}

static void test_v2_report_encode_decode(void **state)
{
	(void)state;
	uint8_t buf[REPORT_WIRE_MAX], want[REPORT_WIRE_MAX];
	size_t wlen = v2_fixture(want);
	struct report_msg m = sample_report(), d;
	m.version = 2;
	memcpy(m.nonce, nonce16, sizeof(nonce16));
	int n = report_wire_encode(&m, buf, sizeof(buf), openssl_mac, &key_a);
	assert_int_equal(n, wlen + REPORT_WIRE_TAG);
	assert_memory_equal(buf, want, wlen);
	assert_int_equal(report_wire_verify(buf, (size_t)n, openssl_mac, &key_a), REPORT_OK);
	assert_int_equal(report_wire_decode(buf, (size_t)n, &d), REPORT_OK);
	assert_memory_equal(&d, &m, sizeof(m));
	/* A node sends zeros until its first ack: the same layout, recognised as such. */
	memset(m.nonce, 0, sizeof(m.nonce));
	m.version = 0; /* unset: the current version, 2 */
	n = report_wire_encode(&m, buf, sizeof(buf), openssl_mac, &key_a);
	assert_int_equal(n, wlen + REPORT_WIRE_TAG);
	assert_int_equal(buf[2], 2);
	assert_int_equal(report_wire_decode(buf, (size_t)n, &d), REPORT_OK);
	assert_true(report_nonce_zero(d.nonce));
	assert_false(report_nonce_zero(nonce16));
	/* The largest v2 report: v1's 366 + the nonce. */
	m.flags = REPORT_FLAG_INVENTORY;
	memset(m.text, 'y', REPORT_TEXT_MAX);
	memset(m.inv.hostname, 'y', REPORT_TEXT_MAX);
	memset(m.inv.kernel, 'y', REPORT_TEXT_MAX);
	memset(m.inv.cpu, 'y', REPORT_TEXT_MAX);
	assert_int_equal(report_wire_encode(&m, buf, sizeof(buf), openssl_mac, &key_a), 382);
	/* Every truncation of a v2 report, in the nonce too, is refused unread past its end. */
	for (size_t cut = REPORT_WIRE_HEADER + 1; cut < wlen; cut++) {
		uint8_t raw_buf[REPORT_WIRE_MAX];
		memcpy(raw_buf, want, cut);
		memset(raw_buf + cut, 0, REPORT_WIRE_TAG);
		assert_int_equal(report_wire_decode(raw_buf, cut + REPORT_WIRE_TAG, &d), REPORT_REJECT_TRUNCATED);
	}
	m.version = 3;
	assert_int_equal(report_wire_encode(&m, buf, sizeof(buf), openssl_mac, &key_a), -EINVAL);
}

static void test_v2_ack_carries_nonce(void **state)
{
	(void)state;
	uint8_t buf[REPORT_WIRE_MAX];
	struct report_msg m = sample_report(), d;
	m.version = 2;
	m.type = REPORT_TYPE_ACK;
	memcpy(m.nonce, nonce16, sizeof(nonce16));
	int n = report_wire_encode(&m, buf, sizeof(buf), openssl_mac, &key_a);
	assert_int_equal(n, REPORT_WIRE_ACK_MAX); /* 70: header, nonce, tag */
	assert_int_equal(buf[2], 2);
	assert_memory_equal(buf + REPORT_WIRE_HEADER, nonce16, REPORT_NONCE_LEN);
	assert_int_equal(report_wire_verify(buf, (size_t)n, openssl_mac, &key_a), REPORT_OK);
	assert_int_equal(report_wire_decode(buf, (size_t)n, &d), REPORT_OK);
	assert_int_equal(d.type, REPORT_TYPE_ACK);
	assert_int_equal(d.version, 2);
	assert_memory_equal(d.nonce, nonce16, REPORT_NONCE_LEN);
	assert_int_equal(d.seq, m.seq);
	/* A v2 ack cut to v1's length has no room for its nonce. */
	assert_int_equal(report_wire_decode(buf, REPORT_WIRE_MIN, &d), REPORT_REJECT_TRUNCATED);
	/* A v1 ack is still 54 bytes, and carries no nonce. */
	m.version = 1;
	n = report_wire_encode(&m, buf, sizeof(buf), openssl_mac, &key_a);
	assert_int_equal(n, REPORT_WIRE_MIN);
	assert_int_equal(report_wire_decode(buf, (size_t)n, &d), REPORT_OK);
	assert_true(report_nonce_zero(d.nonce));
	assert_string_equal(report_reject_name(REPORT_REJECT_STALE_NONCE), "stale_nonce");
	assert_string_equal(report_reject_name(REPORT_TENTATIVE), "tentative");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_matches_fixture),
		cmocka_unit_test(test_round_trip_with_inventory),
		cmocka_unit_test(test_inventory_revision),
		cmocka_unit_test(test_largest_report_fits),
		cmocka_unit_test(test_ack_round_trip),
		cmocka_unit_test(test_encode_refuses_bad_input),
		cmocka_unit_test(test_check_reasons),
		cmocka_unit_test(test_verify_rejects_any_change),
		cmocka_unit_test(test_decode_malformed),
		cmocka_unit_test(test_decode_tolerates_revision),
		cmocka_unit_test(test_decode_sanitises_text),
		cmocka_unit_test(test_parse_key),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_guardian_flag),
		cmocka_unit_test(test_v2_report_encode_decode),
		cmocka_unit_test(test_v2_ack_carries_nonce),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
