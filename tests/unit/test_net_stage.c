/* The pure parts around the network stage: which link is chosen, the backoff's bounds, and
 * the files' text (every value one shell word, whatever the server sent). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <arpa/inet.h>
#include <net/if_arp.h>
#include <cmocka.h>

#include "net/dhcp_client.h"
#include "net/link.h"
#include "net/net_apply.h"
#include "net/net_stage.h"

static struct link_info mk(const char *name, const char *kind, unsigned arptype, uint8_t last)
{
	struct link_info l = { .arptype = arptype, .hwaddr_len = 6, .up = 1, .carrier = 1 };
	snprintf(l.name, sizeof(l.name), "%s", name);
	snprintf(l.kind, sizeof(l.kind), "%s", kind);
	const uint8_t mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, last };
	memcpy(l.hwaddr, mac, 6);
	return l;
}

static void test_link_choose(void **state)
{
	(void)state;
	struct link_info links[] = {
		mk("lo", "", ARPHRD_LOOPBACK, 0), mk("eth0", "", ARPHRD_ETHER, 1),
		mk("br0", "bridge", ARPHRD_ETHER, 2), mk("eth1", "", ARPHRD_ETHER, 3),
		mk("veth9", "veth", ARPHRD_ETHER, 4), mk("ib0", "", 32, 5),
	};
	unsigned n = sizeof(links) / sizeof(links[0]), chosen[8];
	memset(links[0].hwaddr, 0, 6); /* loopback's address is all zeroes */
	const uint8_t mac3[6] = { 0x52, 0x54, 0, 0x12, 0x34, 3 };
	const uint8_t mac7[6] = { 0x52, 0x54, 0, 0x12, 0x34, 7 };

	struct link_wanted none = { 0 };
	assert_int_equal(link_choose(links, n, &none, chosen, 8), 3); /* eth0, eth1, veth9 */
	assert_string_equal(links[chosen[0]].name, "eth0");
	assert_string_equal(links[chosen[1]].name, "eth1");
	assert_string_equal(links[chosen[2]].name, "veth9");

	struct link_wanted bootif = { .bootif = mac3, .bootif_len = 6, .device = "eth0" };
	assert_int_equal(link_choose(links, n, &bootif, chosen, 8), 1);
	assert_string_equal(links[chosen[0]].name, "eth1"); /* BOOTIF beats the device */

	struct link_wanted dev = { .device = "eth0", .mac = mac3 };
	assert_int_equal(link_choose(links, n, &dev, chosen, 8), 1);
	assert_string_equal(links[chosen[0]].name, "eth0");

	struct link_wanted bymac = { .mac = mac3 };
	assert_int_equal(link_choose(links, n, &bymac, chosen, 8), 1);
	assert_string_equal(links[chosen[0]].name, "eth1");

	struct link_wanted missing = { .bootif = mac7, .bootif_len = 6 };
	assert_int_equal(link_choose(links, n, &missing, chosen, 8), -ENODEV);
	struct link_wanted nodev = { .device = "eth9" };
	assert_int_equal(link_choose(links, n, &nodev, chosen, 8), -ENODEV);
	assert_int_equal(link_choose(links, 2 - 1, &none, chosen, 8), -ENODEV); /* only lo */
	assert_int_equal(link_choose(links, n, &none, chosen, 2), 2); /* capped */

	char text[256];
	link_describe(links, 2, text, sizeof(text));
	assert_string_equal(text, "lo (carrier), eth0 (52:54:00:12:34:01, carrier)");
}

static void test_backoff(void **state)
{
	(void)state;
	/* 1 s doubling to 32 s, each within [0.5, 1.5) of the base, never in step. */
	for (unsigned a = 0; a < 10; a++) {
		uint64_t base = 1000u << (a < 5 ? a : 5);
		uint64_t lo = UINT64_MAX, hi = 0;
		for (uint32_t r = 0; r < 5000; r += 7) {
			uint64_t d = dhcp_backoff_ms(a, r * 2654435761u);
			lo = d < lo ? d : lo;
			hi = d > hi ? d : hi;
		}
		assert_true(lo >= base / 2);
		assert_true(hi < base * 3 / 2);
		assert_true(hi - lo > base / 2); /* the jitter really spreads */
	}
}

static uint32_t ip(const char *s)
{
	struct in_addr a;
	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

static void test_format_quotes(void **state)
{
	(void)state;
	struct net_lease r = { .proto = NET_PROTO_DHCP, .addr = ip("10.1.2.3"), .netmask = ip("255.255.255.0"),
				.prefix = 24, .gateway = ip("10.1.2.1"), .server_id = ip("10.1.2.1"), .lease_time = 600 };
	snprintf(r.ifname, sizeof(r.ifname), "eth0");
	snprintf(r.root_path, sizeof(r.root_path), "10.1.2.1:/it's");
	char buf[4096];
	int n = net_apply_format(&r, 0, buf, sizeof(buf));
	assert_true(n > 0);
	assert_non_null(strstr(buf, "DEVICE='eth0'\nPROTO='dhcp'\nIPV4ADDR='10.1.2.3'\n"));
	assert_non_null(strstr(buf, "IPV4DNS0='0.0.0.0'\n"));
	assert_non_null(strstr(buf, "ROOTSERVER='10.1.2.1'\n")); /* no next server: the server id */
	assert_non_null(strstr(buf, "ROOTPATH='10.1.2.1:/it'\\''s'\n"));
	assert_non_null(strstr(buf, "DHCPLEASETIME='600'\n"));
	n = net_apply_format(&r, 1, buf, sizeof(buf));
	assert_true(n > 0);
	assert_non_null(strstr(buf, "GHOST_PROTO='dhcp'\n"));
	assert_non_null(strstr(buf, "GHOST_PREFIX='24'\n"));
	assert_int_equal(net_apply_format(&r, 1, buf, 100), -ENOSPC);
}

static void test_required(void **state)
{
	(void)state;
	struct boot_config c;
	memset(&c, 0, sizeof(c));
	assert_true(net_stage_required(&c)); /* no root=: it comes from DHCP */
	snprintf(c.root, sizeof(c.root), "UUID=1234");
	assert_false(net_stage_required(&c));
	snprintf(c.ip, sizeof(c.ip), "dhcp");
	assert_true(net_stage_required(&c));
	snprintf(c.ip, sizeof(c.ip), "off");
	assert_false(net_stage_required(&c));
	c.ip[0] = '\0';
	snprintf(c.root, sizeof(c.root), "nfs4:10.0.0.1:/srv");
	assert_true(net_stage_required(&c));
	snprintf(c.root, sizeof(c.root), "10.0.0.1:/srv");
	assert_true(net_stage_required(&c));
	snprintf(c.root, sizeof(c.root), "/dev/vda1");
	assert_false(net_stage_required(&c));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link_choose),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_format_quotes),
		cmocka_unit_test(test_required),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
