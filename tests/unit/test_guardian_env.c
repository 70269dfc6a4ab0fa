/* guardian_env: the boot's net.env as net_apply.c writes it, and damaged ones. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "guardian/guardian_env.h"

static int parse(const char *text, struct guardian_config *g)
{
	return guardian_env_parse(text, strlen(text), g);
}

static void test_net_env(void **state)
{
	(void)state;
	struct guardian_config g;
	const char *env = "GHOST_IFACE='eth0'\nGHOST_HWADDR='52:54:00:12:34:56'\nGHOST_PROTO='dhcp'\n"
			  "GHOST_ADDR='10.0.2.15'\nGHOST_PREFIX='24'\nGHOST_NETMASK='255.255.255.0'\n"
			  "GHOST_BROADCAST='10.0.2.255'\nGHOST_GATEWAY='10.0.2.2'\nGHOST_HOSTNAME='it'\\''s'\n";
	assert_int_equal(parse(env, &g), 0);
	assert_string_equal(g.ifname, "eth0");
	assert_int_equal(g.addr, inet_addr("10.0.2.15"));
	assert_int_equal(g.prefix, 24);
	assert_int_equal(g.gateway, inet_addr("10.0.2.2"));
	/* No gateway (a flat network), no prefix (a host address). */
	assert_int_equal(parse("GHOST_IFACE='eth1'\nGHOST_ADDR='10.1.0.5'\nGHOST_GATEWAY='0.0.0.0'\n", &g), 0);
	assert_int_equal(g.gateway, 0);
	assert_int_equal(g.prefix, 32);
	assert_int_equal(parse("GHOST_ADDR='10.1.0.5'\nGHOST_IFACE='eth1'", &g), 0); /* any order, no final newline */
}

static void test_damaged(void **state)
{
	(void)state;
	struct guardian_config g;
	assert_int_equal(parse("", &g), -EINVAL);
	assert_int_equal(parse("GHOST_ADDR='10.1.0.5'\n", &g), -EINVAL);               /* no interface */
	assert_int_equal(parse("GHOST_IFACE='eth0'\n", &g), -EINVAL);                  /* no address */
	assert_int_equal(parse("GHOST_IFACE='eth0'\nGHOST_ADDR='0.0.0.0'\n", &g), -EINVAL);
	assert_int_equal(parse("GHOST_IFACE='eth0'\nGHOST_ADDR='10.1.0'\n", &g), -EINVAL);
	assert_int_equal(parse("GHOST_IFACE='eth0'\nGHOST_ADDR=10.1.0.5\n", &g), -EINVAL); /* unquoted */
	assert_int_equal(parse("GHOST_IFACE='0123456789abcdefg'\nGHOST_ADDR='10.1.0.5'\n", &g), -EINVAL);
	assert_int_equal(parse("GHOST_IFACE='eth0'\nGHOST_ADDR='10.1.0.5'\nGHOST_PREFIX='33'\n", &g), -EINVAL);
	assert_int_equal(parse("GHOST_IFACE='eth0'\nGHOST_ADDR='10.1.0.5'\nGHOST_PREFIX='2x'\n", &g), -EINVAL);
	assert_int_equal(parse("GHOST_IFACE='eth0'\nGHOST_ADDR='10.1.0.5'\nGHOST_GATEWAY='a'\\''b'\n", &g), -EINVAL);
	assert_int_equal(parse("GHOST_IFACE='eth0'\nGHOST_ADDR='10.1.0.5'\nGHOST_GATEWAY='gw'\n", &g), -EINVAL);
	assert_int_equal(parse("XGHOST_IFACE='eth0'\nGHOST_ADDR='10.1.0.5'\n", &g), -EINVAL);
	char big[600];
	memset(big, 'a', sizeof(big));
	memcpy(big, "GHOST_IFACE='", 13);
	big[sizeof(big) - 2] = '\'';
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(parse(big, &g), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_net_env),
		cmocka_unit_test(test_damaged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
