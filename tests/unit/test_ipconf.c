/* ip= parser: the examples of the kernel's nfsroot.rst and dracut.cmdline(7), and malformed
 * values whose error must name the field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "net/ipconf.h"

static uint32_t ip(const char *s)
{
	struct in_addr a;
	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

static void parse_ok(const char *text, struct ipconf *c)
{
	char err[IPCONF_ERROR_LEN];
	int rc = ipconf_parse(text, strlen(text), c, err, sizeof(err));
	if (rc)
		fail_msg("ip=%s: %s", text, err);
}

static void parse_fails(const char *text, const char *expected_error)
{
	struct ipconf c;
	char err[IPCONF_ERROR_LEN];
	assert_int_equal(ipconf_parse(text, strlen(text), &c, err, sizeof(err)), -EINVAL);
	if (strcmp(err, expected_error) != 0)
		fail_msg("ip=%s: got \"%s\", want \"%s\"", text, err, expected_error);
}

static void test_single_words(void **state)
{
	(void)state;
	struct ipconf c;
	const char *dhcp[] = { "", "dhcp", "on", "any", "both", "bootp", "single-dhcp" };
	for (size_t i = 0; i < sizeof(dhcp) / sizeof(dhcp[0]); i++) {
		parse_ok(dhcp[i], &c);
		assert_int_equal(c.method, IPCONF_DHCP);
		assert_string_equal(c.device, "");
	}
	parse_ok("off", &c);
	assert_int_equal(c.method, IPCONF_OFF);
	parse_ok("none", &c);
	assert_int_equal(c.method, IPCONF_OFF);
	parse_ok("10.1.2.3", &c); /* the kernel's shortest static form: classful netmask */
	assert_int_equal(c.method, IPCONF_STATIC);
	assert_int_equal(c.client, ip("10.1.2.3"));
	assert_int_equal(c.netmask, ip("255.0.0.0"));
}

static void test_kernel_full_static(void **state)
{
	(void)state;
	struct ipconf c;
	parse_ok("10.0.0.5:10.0.0.1:10.0.0.254:255.255.255.0:node5:eth0:off:10.0.0.53:10.0.0.54:10.0.0.123", &c);
	assert_int_equal(c.method, IPCONF_STATIC);
	assert_int_equal(c.client, ip("10.0.0.5"));
	assert_int_equal(c.server, ip("10.0.0.1"));
	assert_int_equal(c.gateway, ip("10.0.0.254"));
	assert_int_equal(c.netmask, ip("255.255.255.0"));
	assert_string_equal(c.hostname, "node5");
	assert_string_equal(c.device, "eth0");
	assert_int_equal(c.dns[0], ip("10.0.0.53"));
	assert_int_equal(c.dns[1], ip("10.0.0.54"));
	assert_int_equal(c.ntp, ip("10.0.0.123"));
	assert_int_equal(c.mtu, 0);
	assert_false(c.has_mac);
}

static void test_kernel_partial_forms(void **state)
{
	(void)state;
	struct ipconf c;
	/* Empty fields: autoconfigure, only the device named. */
	parse_ok(":::::eth1:dhcp", &c);
	assert_int_equal(c.method, IPCONF_DHCP);
	assert_string_equal(c.device, "eth1");
	parse_ok(":::::eth1:", &c);
	assert_int_equal(c.method, IPCONF_DHCP);
	parse_ok(":::::eth1:off", &c);
	assert_int_equal(c.method, IPCONF_OFF);
	/* An address without autoconf is static; the netmask may be a prefix length. */
	parse_ok("192.168.7.9::192.168.7.1:24", &c);
	assert_int_equal(c.method, IPCONF_STATIC);
	assert_int_equal(c.netmask, ip("255.255.255.0"));
	assert_int_equal(c.gateway, ip("192.168.7.1"));
	/* An address with dhcp: DHCP, asking for that address first. */
	parse_ok("10.9.9.9::::::dhcp", &c);
	assert_int_equal(c.method, IPCONF_DHCP);
	assert_int_equal(c.client, ip("10.9.9.9"));
	/* Warewulf's iPXE static form. */
	parse_ok("10.0.0.7::10.0.0.1:255.255.0.0::eth0:on", &c);
	assert_int_equal(c.method, IPCONF_DHCP);
}

static void test_dracut_forms(void **state)
{
	(void)state;
	struct ipconf c;
	parse_ok("eth0:dhcp", &c);
	assert_int_equal(c.method, IPCONF_DHCP);
	assert_string_equal(c.device, "eth0");
	parse_ok("enp1s0:dhcp:9000", &c);
	assert_int_equal(c.mtu, 9000);
	parse_ok("enp1s0:dhcp::52:54:00:12:34:56", &c);
	assert_int_equal(c.mtu, 0);
	assert_true(c.has_mac);
	assert_memory_equal(c.mac, "\x52\x54\x00\x12\x34\x56", 6);
	parse_ok("eth0:on:1400:AA:bb:cc:dd:ee:FF", &c);
	assert_int_equal(c.mtu, 1400);
	assert_memory_equal(c.mac, "\xaa\xbb\xcc\xdd\xee\xff", 6);

	parse_ok("10.1.0.2:10.1.0.1:10.1.0.254:255.255.0.0:w2:ens3:none", &c);
	assert_int_equal(c.method, IPCONF_STATIC);
	assert_int_equal(c.server, ip("10.1.0.1")); /* dracut's <peer> */
	assert_string_equal(c.device, "ens3");
	parse_ok("10.1.0.2::10.1.0.254:255.255.0.0:w2:ens3:none:1500", &c);
	assert_int_equal(c.mtu, 1500);
	parse_ok("10.1.0.2::10.1.0.254:255.255.0.0:w2:ens3:none:1500:52:54:00:ab:cd:ef", &c);
	assert_int_equal(c.mtu, 1500);
	assert_true(c.has_mac);
	assert_memory_equal(c.mac, "\x52\x54\x00\xab\xcd\xef", 6);
	parse_ok("10.1.0.2::10.1.0.254:255.255.0.0:w2:ens3:none::52:54:00:ab:cd:ef", &c);
	assert_int_equal(c.mtu, 0);
	assert_true(c.has_mac);
	/* dracut's dns form is the kernel's dns0:dns1 */
	parse_ok("10.1.0.2::10.1.0.254:255.255.0.0:w2:ens3:none:10.1.0.53:10.1.0.54", &c);
	assert_int_equal(c.dns[0], ip("10.1.0.53"));
	assert_int_equal(c.dns[1], ip("10.1.0.54"));
}

static void test_errors_name_the_field(void **state)
{
	(void)state;
	parse_fails("10.0.0.2::10.0.0.1:255.255.0.300::eth0:off",
		    "ip= field 4 (netmask) '255.255.0.300' is not an IPv4 address");
	parse_fails("10.0.0.2::10.0.0.1:255.0.255.0::eth0:off",
		    "ip= field 4 (netmask) '255.0.255.0' is not a contiguous netmask");
	parse_fails("10.0.0.2::10.0.0.1:33", "ip= field 4 (netmask) '33' is neither a netmask nor a prefix length 0-32");
	parse_fails("10.0.0.256", "ip= field 7 (autoconf) '10.0.0.256' is not one of dhcp, on, any, both, bootp, off, none");
	parse_fails("10.0.0.2:x", "ip= field 2 (server) 'x' is not an IPv4 address");
	parse_fails("1.2.3:", "ip= field 1 (client) '1.2.3' is not an IPv4 address");
	parse_fails("10.0.0.2::1.2.3.4.5", "ip= field 3 (gateway) '1.2.3.4.5' is not an IPv4 address");
	/* The rule root= follows too (lib/span.c): 010 is 10 to the kernel, 8 to inet_aton. */
	parse_fails("010.0.0.2::10.0.0.1:255.255.255.0::eth0:off",
		    "ip= field 1 (client) '010.0.0.2' is not an IPv4 address");
	parse_fails("10.0.0.2::10.0.0.01:255.255.255.0::eth0:off",
		    "ip= field 3 (gateway) '10.0.0.01' is not an IPv4 address");
	parse_fails("10.0.0.2::::bad host", "ip= field 5 (hostname) 'bad host' is not a valid hostname");
	parse_fails(":::::averyveryverylongname0:dhcp", "ip= field 6 (device) 'averyveryverylongname0' is longer than 15 characters");
	parse_fails(":::::eth0:maybe", "ip= field 7 (autoconf) 'maybe' is not one of dhcp, on, any, both, bootp, off, none");
	parse_fails("eth0:dhcp6", "ip= field 2 (autoconf) 'dhcp6' is IPv6 autoconfiguration: only IPv4 is supported");
	parse_fails("dhcp6", "ip= field 7 (autoconf) 'dhcp6' is IPv6 autoconfiguration: only IPv4 is supported");
	parse_fails("[fd00::2]::[fd00::1]:64::eth0:none", "ip= uses IPv6 ('[...]'): only IPv4 is supported");
	parse_fails("10.0.0.2:::24::eth0:off:10.0.0.x", "ip= field 8 (dns0) '10.0.0.x' is not an IPv4 address");
	parse_fails("10.0.0.2:::24::eth0:off:1:2:3", "ip= field 8 (mtu) '1' is not an MTU (68-65535)");
	parse_fails("10.0.0.2:::24::eth0:off:::::", "ip= field 11 (extra) '' is one field too many (ip= has at most 10, or 14 with a MAC)");
	parse_fails("eth0:dhcp:1500:52:54:00:12:34:zz", "ip= field 9 (macaddr) 'zz' is not a MAC address byte");
	parse_fails("eth0:dhcp:1500:52:54", "ip= field 4 (macaddr) '52' does not start a MAC address aa:bb:cc:dd:ee:ff");
	parse_fails("10.0.0.2:::24::eth0:none:1500:52:54:00:12:34:56:77",
		    "ip= field 9 (macaddr) '52' does not start a MAC address aa:bb:cc:dd:ee:ff");
}

static void test_prefix_len(void **state)
{
	(void)state;
	assert_int_equal(ipconf_prefix_len(ip("255.255.255.0")), 24);
	assert_int_equal(ipconf_prefix_len(ip("0.0.0.0")), 0);
	assert_int_equal(ipconf_prefix_len(ip("255.255.255.255")), 32);
	assert_int_equal(ipconf_prefix_len(ip("255.255.128.0")), 17);
	assert_int_equal(ipconf_prefix_len(ip("255.0.255.0")), -1);
	assert_int_equal(ipconf_default_netmask(ip("172.16.0.1")), ip("255.255.0.0"));
	assert_int_equal(ipconf_default_netmask(ip("192.168.0.1")), ip("255.255.255.0"));
}

static void test_no_nul_needed(void **state)
{
	(void)state;
	/* The parser reads exactly len bytes: the rest of a command line follows in memory. */
	const char line[] = "eth0:dhcp rd.shell";
	struct ipconf c;
	assert_int_equal(ipconf_parse(line, 9, &c, NULL, 0), 0);
	assert_string_equal(c.device, "eth0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_words),
		cmocka_unit_test(test_kernel_full_static),
		cmocka_unit_test(test_kernel_partial_forms),
		cmocka_unit_test(test_dracut_forms),
		cmocka_unit_test(test_errors_name_the_field),
		cmocka_unit_test(test_prefix_len),
		cmocka_unit_test(test_no_nul_needed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
