/* DHCP wire code on fixtures: what we send has the right fields and options, what servers
 * send is parsed, and every kind of bad packet is rejected and counted by its reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "net/dhcp_wire.h"

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

/* Replies built byte by byte: the header as a server fills it (xid 0x11223344, our MAC),
 * options in the order dnsmasq sends them, plus ones we skip (T1) and padding. */
struct fixture {
	uint8_t buf[1600];
	size_t len;
};

static void fx_header(struct fixture *f, uint8_t op, uint32_t xid)
{
	memset(f, 0, sizeof(*f));
	f->buf[0] = op;
	f->buf[1] = 1;
	f->buf[2] = 6;
	f->buf[4] = (uint8_t)(xid >> 24), f->buf[5] = (uint8_t)(xid >> 16);
	f->buf[6] = (uint8_t)(xid >> 8), f->buf[7] = (uint8_t)xid;
	f->buf[10] = 0x80; /* broadcast */
	uint8_t yi[4] = { 10, 77, 0, 23 }, si[4] = { 10, 77, 0, 1 };
	memcpy(f->buf + 16, yi, 4);
	memcpy(f->buf + 20, si, 4);
	memcpy(f->buf + 28, mac, 6);
	f->buf[236] = 99, f->buf[237] = 130, f->buf[238] = 83, f->buf[239] = 99;
	f->len = 240;
}

static void fx_bytes(struct fixture *f, const uint8_t *b, size_t n)
{
	memcpy(f->buf + f->len, b, n);
	f->len += n;
}

static const uint8_t offer_options[] = {
	53, 1, 2,                         /* OFFER */
	54, 4, 10, 77, 0, 1,              /* server id */
	51, 4, 0, 0, 0x0e, 0x10,          /* lease 3600 s */
	58, 4, 0, 0, 0x07, 0x08,          /* T1 (not asked, skipped) */
	1, 4, 255, 255, 255, 0,           /* subnet */
	28, 4, 10, 77, 0, 255,            /* broadcast */
	3, 4, 10, 77, 0, 1,               /* router */
	6, 8, 10, 77, 0, 1, 10, 77, 0, 2, /* DNS x2 */
	15, 7, 'c', 'l', 'u', 's', 't', 'e', 'r', /* domain */
	12, 6, 'n', 'o', 'd', 'e', '0', '7', /* hostname */
	17, 14, '1', '0', '.', '7', '7', '.', '0', '.', '1', ':', '/', 'n', 'f', 's',
	26, 2, 0x05, 0xdc,                /* MTU 1500 */
	66, 8, '1', '0', '.', '7', '7', '.', '0', '.',
	0, 0,                             /* pad */
	255,
};

static void fx_offer(struct fixture *f)
{
	fx_header(f, 2, 0x11223344);
	fx_bytes(f, offer_options, sizeof(offer_options));
}

static const struct dhcp_expect expect = { .xid = 0x11223344, .chaddr = mac, .chaddr_len = 6 };

static uint32_t ip(const char *s)
{
	struct in_addr a;
	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

static void test_parse_offer(void **state)
{
	(void)state;
	struct fixture f;
	struct dhcp_msg m;
	struct dhcp_counters c = { 0 };
	fx_offer(&f);
	assert_int_equal(dhcp_wire_parse(f.buf, f.len, &expect, &m, &c), 0);
	assert_int_equal(m.type, DHCP_OFFER);
	assert_int_equal(m.yiaddr, ip("10.77.0.23"));
	assert_int_equal(m.siaddr, ip("10.77.0.1"));
	assert_int_equal(m.server_id, ip("10.77.0.1"));
	assert_int_equal(m.subnet_mask, ip("255.255.255.0"));
	assert_int_equal(m.broadcast, ip("10.77.0.255"));
	assert_int_equal(m.router, ip("10.77.0.1"));
	assert_int_equal(m.dns_count, 2);
	assert_int_equal(m.dns[1], ip("10.77.0.2"));
	assert_int_equal(m.lease_time, 3600);
	assert_int_equal(m.mtu, 1500);
	assert_string_equal(m.hostname, "node07");
	assert_string_equal(m.domain, "cluster");
	assert_string_equal(m.root_path, "10.77.0.1:/nfs");
	assert_string_equal(m.tftp_server, "10.77.0.");
	assert_int_equal(dhcp_counters_total(&c), 0);
}

static void test_parse_nak_with_message(void **state)
{
	(void)state;
	struct fixture f;
	struct dhcp_msg m;
	static const uint8_t o[] = { 53, 1, 6, 54, 4, 10, 77, 0, 1, 56, 13, 'w', 'r', 'o', 'n', 'g',
				     ' ', 'n', 'e', 't', 'w', 'o', 'r', 'k', 255 };
	fx_header(&f, 2, 0x11223344);
	fx_bytes(&f, o, sizeof(o));
	assert_int_equal(dhcp_wire_parse(f.buf, f.len, &expect, &m, NULL), 0);
	assert_int_equal(m.type, DHCP_NAK);
	assert_string_equal(m.message, "wrong network");
}

/* Each bad packet must be rejected and land in its own counter, and only there. */
static void expect_reject(const uint8_t *buf, size_t len, size_t counter_offset)
{
	struct dhcp_msg m;
	struct dhcp_counters c = { 0 };
	assert_int_equal(dhcp_wire_parse(buf, len, &expect, &m, &c), -EBADMSG);
	assert_int_equal(dhcp_counters_total(&c), 1);
	unsigned v;
	memcpy(&v, (const char *)&c + counter_offset, sizeof(v));
	assert_int_equal(v, 1);
}

#define REJECTED(buf, len, field) expect_reject(buf, len, offsetof(struct dhcp_counters, field))

static void test_reject_truncated(void **state)
{
	(void)state;
	struct fixture f;
	fx_offer(&f);
	REJECTED(f.buf, 239, truncated);
	REJECTED(f.buf, 0, truncated);
	REJECTED(f.buf, 100, truncated);
}

static void test_reject_oversized(void **state)
{
	(void)state;
	struct fixture f;
	fx_offer(&f);
	REJECTED(f.buf, DHCP_MAX_LEN + 1, oversized);
}

static void test_reject_wrong_xid_and_chaddr(void **state)
{
	(void)state;
	struct fixture f;
	fx_offer(&f);
	f.buf[7] ^= 1;
	REJECTED(f.buf, f.len, wrong_xid);
	fx_offer(&f);
	f.buf[33] ^= 1;
	REJECTED(f.buf, f.len, wrong_chaddr);
	fx_offer(&f);
	f.buf[2] = 16; /* same bytes, other length */
	REJECTED(f.buf, f.len, wrong_chaddr);
}

static void test_reject_wrong_magic(void **state)
{
	(void)state;
	struct fixture f;
	fx_offer(&f);
	f.buf[239] = 0x64;
	REJECTED(f.buf, f.len, wrong_magic);
}

static void test_reject_overrun(void **state)
{
	(void)state;
	struct fixture f;
	/* The hostname claims 40 bytes, only 3 follow. */
	static const uint8_t o[] = { 53, 1, 2, 12, 40, 'a', 'b', 'c' };
	fx_header(&f, 2, 0x11223344);
	fx_bytes(&f, o, sizeof(o));
	REJECTED(f.buf, f.len, option_overrun);
	/* The length byte itself is missing. */
	static const uint8_t o2[] = { 53, 1, 2, 12 };
	fx_header(&f, 2, 0x11223344);
	fx_bytes(&f, o2, sizeof(o2));
	REJECTED(f.buf, f.len, option_overrun);
}

static void test_reject_unterminated(void **state)
{
	(void)state;
	struct fixture f;
	fx_offer(&f);
	REJECTED(f.buf, f.len - 1, unterminated); /* same packet without its END */
	fx_header(&f, 2, 0x11223344);
	REJECTED(f.buf, f.len, unterminated); /* no options at all */
}

static void test_reject_malformed(void **state)
{
	(void)state;
	struct fixture f;
	static const uint8_t bad_len[] = { 53, 1, 2, 54, 3, 10, 77, 0, 255 };
	fx_header(&f, 2, 0x11223344);
	fx_bytes(&f, bad_len, sizeof(bad_len));
	REJECTED(f.buf, f.len, malformed);
	static const uint8_t no_type[] = { 54, 4, 10, 77, 0, 1, 255 };
	fx_header(&f, 2, 0x11223344);
	fx_bytes(&f, no_type, sizeof(no_type));
	REJECTED(f.buf, f.len, malformed);
	fx_offer(&f);
	f.buf[0] = 1; /* a request, not a reply */
	REJECTED(f.buf, f.len, malformed);
}

static void test_overload(void **state)
{
	(void)state;
	struct fixture f;
	/* Option 52 = 3: the hostname lives in file, the root path in sname. */
	static const uint8_t o[] = { 53, 1, 5, 52, 1, 3, 54, 4, 10, 77, 0, 1, 255 };
	fx_header(&f, 2, 0x11223344);
	fx_bytes(&f, o, sizeof(o));
	static const uint8_t in_file[] = { 12, 3, 'n', '0', '1', 255 };
	static const uint8_t in_sname[] = { 17, 5, '/', 'r', 'o', 'o', 't', 255 };
	memcpy(f.buf + 108, in_file, sizeof(in_file));
	memcpy(f.buf + 44, in_sname, sizeof(in_sname));
	struct dhcp_msg m;
	assert_int_equal(dhcp_wire_parse(f.buf, f.len, &expect, &m, NULL), 0);
	assert_int_equal(m.type, DHCP_ACK);
	assert_string_equal(m.hostname, "n01");
	assert_string_equal(m.root_path, "/root");
	assert_string_equal(m.bootfile, ""); /* file carried options, not a name */
	/* An overloaded field whose option runs past its 128 bytes is an overrun. */
	memset(f.buf + 108, 0, 128);
	f.buf[108 + 125] = 12, f.buf[108 + 126] = 9;
	REJECTED(f.buf, f.len, option_overrun);
}

static void test_unprintable_string_dropped(void **state)
{
	(void)state;
	struct fixture f;
	static const uint8_t o[] = { 53, 1, 5, 12, 4, 'a', '\n', 'b', 'c', 15, 4, 'd', 'o', 'm', 0, 255 };
	fx_header(&f, 2, 0x11223344);
	fx_bytes(&f, o, sizeof(o));
	memcpy(f.buf + 108, "pxelinux.0", 10);
	struct dhcp_msg m;
	assert_int_equal(dhcp_wire_parse(f.buf, f.len, &expect, &m, NULL), 0);
	assert_string_equal(m.hostname, "");
	assert_string_equal(m.domain, "dom"); /* a trailing NUL is tolerated */
	assert_string_equal(m.bootfile, "pxelinux.0");
}

/* Option 12 must be a host name (RFC 1123, as ip= takes): anything else is dropped, so it is
 * neither set nor reported nor written into the master's hostfile. */
static void test_hostname_rfc1123(void **state)
{
	(void)state;
	static const char *const bad[] = { "n2 slots=4", "#n3", "n4;x", "-n5", "n6-", "a..b", "a_b",
					   "n\xc3\xa9", "x.", "" };
	static const char *const good[] = { "n2", "node-07", "7up", "n1.cluster.example", "A-b" };
	for (unsigned k = 0; k < sizeof(bad) / sizeof(bad[0]) + sizeof(good) / sizeof(good[0]); k++) {
		int is_bad = k < sizeof(bad) / sizeof(bad[0]);
		const char *name = is_bad ? bad[k] : good[k - sizeof(bad) / sizeof(bad[0])];
		struct fixture f;
		uint8_t o[80] = { 53, 1, 5, 12, (uint8_t)strlen(name) };
		memcpy(o + 5, name, strlen(name));
		o[5 + strlen(name)] = 255;
		fx_header(&f, 2, 0x11223344);
		fx_bytes(&f, o, 6 + strlen(name));
		struct dhcp_msg m;
		assert_int_equal(dhcp_wire_parse(f.buf, f.len, &expect, &m, NULL), 0);
		assert_string_equal(m.hostname, is_bad ? "" : name);
	}
}

static const uint8_t *find_option(const uint8_t *buf, size_t len, uint8_t code, uint8_t *olen)
{
	size_t i = 240;
	while (i < len && buf[i] != 255) {
		if (buf[i] == 0) {
			i++;
			continue;
		}
		assert_true(i + 1 < len);
		if (buf[i] == code) {
			*olen = buf[i + 1];
			return buf + i + 2;
		}
		i += 2u + buf[i + 1];
	}
	return NULL;
}

static void test_build_discover(void **state)
{
	(void)state;
	uint8_t buf[DHCP_MAX_LEN];
	struct dhcp_request r = { .type = DHCP_DISCOVER, .xid = 0xdeadbeef, .secs = 3, .chaddr_len = 6,
				  .broadcast = true };
	memcpy(r.chaddr, mac, 6);
	r.broadcast = false;
	assert_true(dhcp_wire_build(&r, buf, sizeof(buf)) >= 300);
	assert_int_equal(buf[10], 0); /* a client that hears unicast leaves the flag clear */
	r.broadcast = true;
	int len = dhcp_wire_build(&r, buf, sizeof(buf));
	assert_true(len >= 300);
	assert_int_equal(buf[0], 1);
	assert_int_equal(buf[1], 1);
	assert_int_equal(buf[2], 6);
	assert_memory_equal(buf + 4, "\xde\xad\xbe\xef", 4);
	assert_int_equal(buf[9], 3);
	assert_int_equal(buf[10], 0x80); /* broadcast flag */
	assert_memory_equal(buf + 28, mac, 6);
	assert_memory_equal(buf + 236, "\x63\x82\x53\x63", 4);
	uint8_t n;
	const uint8_t *o = find_option(buf, (size_t)len, 53, &n);
	assert_non_null(o);
	assert_int_equal(n, 1);
	assert_int_equal(o[0], DHCP_DISCOVER);
	o = find_option(buf, (size_t)len, 61, &n);
	assert_non_null(o);
	assert_int_equal(n, 7);
	assert_int_equal(o[0], 1);
	assert_memory_equal(o + 1, mac, 6);
	o = find_option(buf, (size_t)len, 55, &n);
	assert_non_null(o);
	static const uint8_t wanted[] = { 1, 3, 6, 12, 15, 26, 28, 51, 54, 17, 66, 67 };
	assert_int_equal(n, sizeof(wanted));
	for (size_t i = 0; i < sizeof(wanted); i++)
		assert_non_null(memchr(o, wanted[i], n));
	o = find_option(buf, (size_t)len, 60, &n);
	assert_non_null(o);
	assert_int_equal(n, 9);
	assert_memory_equal(o, "ghostboot", 9);
	assert_null(find_option(buf, (size_t)len, 50, &n));
	assert_null(find_option(buf, (size_t)len, 54, &n));
}

static void test_build_request(void **state)
{
	(void)state;
	uint8_t buf[DHCP_MAX_LEN];
	struct dhcp_request r = { .type = DHCP_REQUEST, .xid = 1, .chaddr_len = 6,
				  .requested_ip = ip("10.77.0.23"), .server_id = ip("10.77.0.1") };
	memcpy(r.chaddr, mac, 6);
	int len = dhcp_wire_build(&r, buf, sizeof(buf));
	assert_true(len > 0);
	uint8_t n;
	const uint8_t *o = find_option(buf, (size_t)len, 50, &n);
	assert_non_null(o);
	assert_int_equal(n, 4);
	assert_memory_equal(o, "\x0a\x4d\x00\x17", 4);
	o = find_option(buf, (size_t)len, 54, &n);
	assert_non_null(o);
	assert_memory_equal(o, "\x0a\x4d\x00\x01", 4);
	/* Too small a buffer is refused, never overrun. */
	for (size_t cap = 0; cap < 300; cap++) {
		int l = dhcp_wire_build(&r, buf, cap);
		assert_true(l == -ENOSPC || (l > 0 && (size_t)l <= cap));
		if (cap < 280)
			assert_int_equal(l, -ENOSPC);
	}
	r.type = DHCP_OFFER;
	assert_int_equal(dhcp_wire_build(&r, buf, sizeof(buf)), -EINVAL);
}

/* RFC 4039: the DISCOVER asks for rapid commit, a REQUEST does not; an ACK that carries
 * option 80 (length 0) is marked, a non-empty option 80 is malformed. */
static void test_rapid_commit(void **state)
{
	(void)state;
	uint8_t buf[DHCP_MAX_LEN];
	uint8_t n;
	struct dhcp_request r = { .type = DHCP_DISCOVER, .xid = 1, .chaddr_len = 6 };
	memcpy(r.chaddr, mac, 6);
	int len = dhcp_wire_build(&r, buf, sizeof(buf));
	assert_non_null(find_option(buf, (size_t)len, 80, &n));
	assert_int_equal(n, 0);
	r.type = DHCP_REQUEST;
	len = dhcp_wire_build(&r, buf, sizeof(buf));
	assert_null(find_option(buf, (size_t)len, 80, &n));

	struct fixture f;
	struct dhcp_msg m;
	static const uint8_t ack[] = { 53, 1, 5, 54, 4, 10, 77, 0, 1, 80, 0, 255 };
	fx_header(&f, 2, 0x11223344);
	fx_bytes(&f, ack, sizeof(ack));
	assert_int_equal(dhcp_wire_parse(f.buf, f.len, NULL, &m, NULL), 0);
	assert_int_equal(m.type, DHCP_ACK);
	assert_true(m.rapid_commit);
	static const uint8_t plain[] = { 53, 1, 5, 54, 4, 10, 77, 0, 1, 255 };
	fx_header(&f, 2, 0x11223344);
	fx_bytes(&f, plain, sizeof(plain));
	assert_int_equal(dhcp_wire_parse(f.buf, f.len, NULL, &m, NULL), 0);
	assert_false(m.rapid_commit);
	static const uint8_t bad[] = { 53, 1, 5, 54, 4, 10, 77, 0, 1, 80, 1, 0, 255 };
	fx_header(&f, 2, 0x11223344);
	fx_bytes(&f, bad, sizeof(bad));
	assert_int_equal(dhcp_wire_parse(f.buf, f.len, NULL, &m, NULL), -EBADMSG);
}

/* An IPv4/UDP packet to port 68 around a 4-byte payload, as a packet socket reads it. */
static size_t udp_packet(uint8_t *p, size_t ihl_words)
{
	size_t ihl = ihl_words * 4, total = ihl + 8 + 4;
	memset(p, 0, total + 16);
	p[0] = (uint8_t)(0x40 | ihl_words);
	p[2] = 0, p[3] = (uint8_t)total;
	p[9] = 17;
	uint8_t *u = p + ihl;
	u[0] = 0, u[1] = 67, u[2] = 0, u[3] = 68, u[4] = 0, u[5] = 12;
	memcpy(u + 8, "DHCP", 4);
	return total;
}

static void test_udp_payload(void **state)
{
	(void)state;
	uint8_t p[128];
	const uint8_t *pl;
	size_t n;
	size_t len = udp_packet(p, 5);
	assert_int_equal(dhcp_udp_payload(p, len, &pl, &n), 0);
	assert_int_equal(n, 4);
	assert_memory_equal(pl, "DHCP", 4);
	/* Ethernet padding after the IP packet is not payload. */
	assert_int_equal(dhcp_udp_payload(p, len + 10, &pl, &n), 0);
	assert_int_equal(n, 4);
	/* IP options: the UDP header moves. */
	len = udp_packet(p, 6);
	assert_int_equal(dhcp_udp_payload(p, len, &pl, &n), 0);
	assert_memory_equal(pl, "DHCP", 4);
	assert_ptr_equal(pl, p + 24 + 8);
}

static void test_udp_payload_refused(void **state)
{
	(void)state;
	uint8_t p[128];
	const uint8_t *pl;
	size_t n;
	size_t len = udp_packet(p, 5);
	assert_int_equal(dhcp_udp_payload(p, len - 1, &pl, &n), -EBADMSG); /* cut short */
	assert_int_equal(dhcp_udp_payload(p, 19, &pl, &n), -EBADMSG);
	p[0] = 0x65; /* IPv6 */
	assert_int_equal(dhcp_udp_payload(p, len, &pl, &n), -EBADMSG);
	p[0] = 0x44; /* header length 16 */
	assert_int_equal(dhcp_udp_payload(p, len, &pl, &n), -EBADMSG);
	len = udp_packet(p, 5);
	p[9] = 6; /* TCP */
	assert_int_equal(dhcp_udp_payload(p, len, &pl, &n), -EBADMSG);
	len = udp_packet(p, 5);
	p[6] = 0x20; /* more fragments */
	assert_int_equal(dhcp_udp_payload(p, len, &pl, &n), -EBADMSG);
	len = udp_packet(p, 5);
	p[7] = 0x01; /* a later fragment */
	assert_int_equal(dhcp_udp_payload(p, len, &pl, &n), -EBADMSG);
	len = udp_packet(p, 5);
	p[23] = 67; /* to the server port */
	assert_int_equal(dhcp_udp_payload(p, len, &pl, &n), -EBADMSG);
	len = udp_packet(p, 5);
	p[25] = 13; /* UDP length past the IP packet */
	assert_int_equal(dhcp_udp_payload(p, len, &pl, &n), -EBADMSG);
	len = udp_packet(p, 5);
	p[25] = 7; /* UDP length shorter than its header */
	assert_int_equal(dhcp_udp_payload(p, len, &pl, &n), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_offer),
		cmocka_unit_test(test_parse_nak_with_message),
		cmocka_unit_test(test_reject_truncated),
		cmocka_unit_test(test_reject_oversized),
		cmocka_unit_test(test_reject_wrong_xid_and_chaddr),
		cmocka_unit_test(test_reject_wrong_magic),
		cmocka_unit_test(test_reject_overrun),
		cmocka_unit_test(test_reject_unterminated),
		cmocka_unit_test(test_reject_malformed),
		cmocka_unit_test(test_overload),
		cmocka_unit_test(test_unprintable_string_dropped),
		cmocka_unit_test(test_build_discover),
		cmocka_unit_test(test_build_request),
		cmocka_unit_test(test_rapid_commit),
		cmocka_unit_test(test_hostname_rfc1123),
		cmocka_unit_test(test_udp_payload),
		cmocka_unit_test(test_udp_payload_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
