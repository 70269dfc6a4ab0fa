/* The command-line parser against the kernel's, dracut's and pxelinux's own examples, and
 * against malformed values: each must warn with the value quoted and keep the default. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "boot/cmdline.h"

static struct boot_config cfg;
static struct cmdline_warnings warnings;

static unsigned parse(const char *text)
{
	return cmdline_parse(text, strlen(text), &cfg, &warnings);
}

static int warned(const char *needle)
{
	for (unsigned i = 0; i < warnings.count; i++)
		if (strstr(warnings.text[i], needle))
			return 1;
	return 0;
}

static void test_empty_gives_defaults(void **state)
{
	(void)state;
	assert_int_equal(parse(""), 0);
	assert_int_equal(cfg.master_port, GHOST_DEFAULT_MASTER_PORT);
	assert_int_equal(cfg.carrier_timeout_ms, 10000);
	assert_int_equal(cfg.dhcp_timeout_ms, 30000);
	assert_int_equal(cfg.root_timeout_ms, 180000);
	assert_int_equal(cfg.shutdown_timeout_ms, 15000);
	assert_int_equal(cfg.reset, RESET_PCI);
	assert_int_equal(cfg.overlay, OVERLAY_NONE);
	assert_int_equal(cfg.panic_seconds, GHOST_DEFAULT_PANIC_SECONDS);
	assert_int_equal(cfg.bootif_len, 0);
	assert_string_equal(cfg.init, "");
}

static void test_kernel_nfsroot_example(void **state)
{
	(void)state;
	/* Documentation/admin-guide/nfs/nfsroot.rst */
	assert_int_equal(parse("console=ttyS0 root=/dev/nfs nfsroot=10.0.0.1:/srv/nfs/%s,vers=3,tcp "
			       "ip=10.0.0.5:10.0.0.1:10.0.0.254:255.255.255.0:node5:eth0:off rw"), 0);
	assert_string_equal(cfg.root, "/dev/nfs");
	assert_string_equal(cfg.nfsroot, "10.0.0.1:/srv/nfs/%s,vers=3,tcp");
	assert_string_equal(cfg.ip, "10.0.0.5:10.0.0.1:10.0.0.254:255.255.255.0:node5:eth0:off");
	assert_int_equal(cfg.root_access, ROOT_ACCESS_RW);
}

static void test_dracut_examples(void **state)
{
	(void)state;
	assert_int_equal(parse("root=nfs4:192.168.1.1:/exports/root:vers=4.2 ip=eth0:dhcp rd.shell rd.break=pre-mount ro"), 0);
	assert_string_equal(cfg.root, "nfs4:192.168.1.1:/exports/root:vers=4.2");
	assert_string_equal(cfg.ip, "eth0:dhcp");
	assert_true(cfg.rd_shell);
	assert_int_equal(cfg.rd_break, RD_BREAK_PRE_MOUNT);
	assert_int_equal(cfg.root_access, ROOT_ACCESS_RO);
	/* rd.break accumulates; bare rd.break means before switch_root. */
	assert_int_equal(parse("rd.break=mount rd.break"), 0);
	assert_int_equal(cfg.rd_break, RD_BREAK_MOUNT | RD_BREAK_PRE_PIVOT);
	assert_int_equal(parse("rd.shell=0"), 0);
	assert_false(cfg.rd_shell);
}

static void test_bootif_forms(void **state)
{
	(void)state;
	static const uint8_t mac[6] = { 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd };
	assert_int_equal(parse("BOOTIF=01-88-99-aa-bb-cc-dd"), 0); /* pxelinux IPAPPEND 2 */
	assert_int_equal(cfg.bootif_len, 6);
	assert_int_equal(cfg.bootif_hwtype, 1);
	assert_memory_equal(cfg.bootif, mac, 6);
	assert_int_equal(parse("BOOTIF=01-88-99-AA-BB-CC-DD"), 0); /* upper case */
	assert_memory_equal(cfg.bootif, mac, 6);
	assert_int_equal(parse("BOOTIF=88:99:aa:bb:cc:dd"), 0); /* dracut's plain MAC */
	assert_int_equal(cfg.bootif_len, 6);
	assert_memory_equal(cfg.bootif, mac, 6);
	/* InfiniBand: type 32, 20-byte address. */
	assert_int_equal(parse("BOOTIF=20-00-01-02-03-04-05-06-07-08-09-0a-0b-0c-0d-0e-0f-10-11-12-13"), 0);
	assert_int_equal(cfg.bootif_hwtype, 0x20);
	assert_int_equal(cfg.bootif_len, 20);
}

static void test_bootif_malformed(void **state)
{
	(void)state;
	static const char *const bad[] = { "BOOTIF=01-88-99", "BOOTIF=zz", "BOOTIF=01-88-99-aa-bb-cc-dd-",
					   "BOOTIF=01:88-99-aa-bb-cc-dd", "BOOTIF=", "BOOTIF=0188-99-aa-bb-cc-dd",
					   "BOOTIF=01-88-99-aa-bb-cc-d" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(bad[i]), 1);
		assert_int_equal(cfg.bootif_len, 0);
	}
	parse("BOOTIF=zz");
	assert_true(warned("BOOTIF='zz' is not a hardware address"));
}

static void test_quotes_and_double_dash(void **state)
{
	(void)state;
	assert_int_equal(parse("\"init=/sbin/my init\" -- ghost.reset=bogus"), 0);
	assert_string_equal(cfg.init, "/sbin/my init");
	assert_int_equal(cfg.reset, RESET_PCI); /* after "--": the real init's, not ours */
	assert_int_equal(parse("init=\"/sbin/init\""), 0);
	assert_string_equal(cfg.init, "/sbin/init");
}

static void test_last_occurrence_wins(void **state)
{
	(void)state;
	assert_int_equal(parse("ghost.reset=acpi ghost.reset=kbd ip=dhcp ip=off"), 0);
	assert_int_equal(cfg.reset, RESET_KBD);
	assert_string_equal(cfg.ip, "off");
	/* A bad later value keeps the earlier good one. */
	assert_int_equal(parse("ghost.reset=efi ghost.reset=nope"), 1);
	assert_int_equal(cfg.reset, RESET_EFI);
}

/* ghost.wol=: ethtool's letters and the words for them; not given, the driver's setting stays. */
static void test_wol(void **state)
{
	(void)state;
	assert_int_equal(parse("ghost.wol=magic"), 0);
	assert_int_equal(cfg.wol, WOL_MAGIC);
	assert_int_equal(parse("ghost.wol=g ghost.wol=d"), 0); /* the last one wins */
	assert_int_equal(cfg.wol, WOL_OFF);
	assert_int_equal(parse("ghost.wol=off"), 0);
	assert_int_equal(cfg.wol, WOL_OFF);
	assert_int_equal(parse("ghost.debug"), 0);
	assert_int_equal(cfg.wol, WOL_KEEP);
}

static void test_ghost_values(void **state)
{
	(void)state;
	assert_int_equal(parse("ghost.master=10.1.2.3:9000 ghost.overlay=tmpfs:size=512m ghost.reset=triple "
			       "ghost.carrier_timeout=2.5 ghost.dhcp_timeout=7 ghost.root_timeout=600 "
			       "ghost.shutdown_timeout=0.25 ghost.heartbeat=30 ghost.debug "
			       "ghost.key=/etc/ghostboot/cluster.key panic=-1 ghost.protocol=1 ghost.wol=g"),
			 0);
	assert_int_equal(cfg.protocol, 1); /* held back for a master that predates v2 */
	assert_int_equal(cfg.wol, WOL_MAGIC);
	struct in_addr a = { .s_addr = cfg.master_ip };
	assert_string_equal(inet_ntoa(a), "10.1.2.3");
	assert_int_equal(cfg.master_port, 9000);
	assert_int_equal(cfg.overlay, OVERLAY_TMPFS);
	assert_string_equal(cfg.overlay_size, "512m");
	assert_int_equal(cfg.reset, RESET_TRIPLE);
	assert_int_equal(cfg.carrier_timeout_ms, 2500);
	assert_int_equal(cfg.dhcp_timeout_ms, 7000);
	assert_int_equal(cfg.root_timeout_ms, 600000);
	assert_int_equal(cfg.shutdown_timeout_ms, 250);
	assert_int_equal(cfg.heartbeat_s, 30);
	assert_true(cfg.debug);
	assert_string_equal(cfg.key, "/etc/ghostboot/cluster.key");
	assert_int_equal(cfg.panic_seconds, -1);
	/* A key on the command line works, with a warning that every user can read it there. */
	assert_int_equal(parse("ghost.master=10.9.9.9 ghost.overlay=tmpfs ghost.key=00112233445566778899aabbccddeeff"), 1);
	assert_non_null(strstr(warnings.text[0], "every local user can read the key in /proc/cmdline; prefer the per-node key file (docs/protocol.md)"));
	assert_null(strstr(warnings.text[0], "0011223344"));
	assert_int_equal(cfg.master_port, GHOST_DEFAULT_MASTER_PORT);
	assert_string_equal(cfg.overlay_size, "");
	assert_string_equal(cfg.key, "00112233445566778899aabbccddeeff");
}

/* A malformed key may be most of a real one (a typo, a cut line): never echoed. */
static void test_bad_key_never_echoed(void **state)
{
	(void)state;
	static const char *const bad[] = { "ghost.key=00112233445566778899aabbccddeeffX",
					   "ghost.key=00112233445566778899aabbccddeef",
					   "ghost.key=ab1e5ec7e7ab1e5ec7e7ab1e5ec7e7ab1e5ec7e7ab1e5ec7e7ab1e5ec7e7ab1e5ec7e7ab1e5ec7e7ab1e5ec7e7ab1e5ec7e7ab1e5ec7e7ab1e5ec7e7ab1e5ec7e7" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(bad[i]), 1);
		assert_string_equal(cfg.key, "");
		assert_null(strstr(warnings.text[0], "0011223344"));
		assert_null(strstr(warnings.text[0], "ab1e5ec7"));
		assert_non_null(strstr(warnings.text[0], "not shown"));
	}
}

static void test_ghost_malformed_values(void **state)
{
	(void)state;
	static const struct {
		const char *text, *needle;
	} cases[] = {
		{ "ghost.master=10.1.2", "ghost.master='10.1.2' is not <ipv4>[:<port>]" },
		{ "ghost.master=10.1.2.3:0", "is not <ipv4>[:<port>]" },
		{ "ghost.master=10.1.2.3:65536", "is not <ipv4>[:<port>]" },
		{ "ghost.master=10.1.2.3:", "is not <ipv4>[:<port>]" },
		{ "ghost.master=:80", "is not <ipv4>[:<port>]" },
		{ "ghost.overlay=btrfs", "ghost.overlay='btrfs' is not none or tmpfs" },
		{ "ghost.overlay=tmpfs:size=lots", "is not none or tmpfs" },
		{ "ghost.overlay=tmpfs:", "is not none or tmpfs" },
		{ "ghost.overlay=tmpfsx", "is not none or tmpfs" },
		{ "ghost.reset=warm", "ghost.reset='warm' is not one of" },
		{ "ghost.carrier_timeout=-1", "is not a positive number of seconds" },
		{ "ghost.carrier_timeout=0", "is not a positive number of seconds" },
		{ "ghost.carrier_timeout=1.2345", "is not a positive number of seconds" },
		{ "ghost.carrier_timeout=5s", "is not a positive number of seconds" },
		{ "ghost.dhcp_timeout=99999999999999999999", "is more than 3600 s" },
		{ "ghost.root_timeout=", "ghost.root_timeout needs a value" },
		{ "ghost.shutdown_timeout", "ghost.shutdown_timeout needs a value" },
		{ "ghost.heartbeat=often", "ghost.heartbeat='often'" },
		{ "ghost.protocol=3", "ghost.protocol='3' is not 1 or 2" },
		{ "ghost.protocol=12", "ghost.protocol='12' is not 1 or 2" },
		{ "ghost.wol=ug", "ghost.wol='ug' is not g (magic packet) or d (off)" },
		{ "ghost.wol", "ghost.wol needs a value" },
		{ "ghost.key=short", "ghost.key= (5 characters, not shown) is neither a file path nor 32-128 hex digits" },
		{ "ghost.key=0011223344556677889900112233445g", "(32 characters, not shown) is neither a file path" },
		{ "ghost.debug=maybe", "ghost.debug='maybe' is not 0 or 1" },
		{ "ghost.typo=1", "unknown parameter 'ghost.typo'" },
		{ "rd.break=sometime", "rd.break='sometime' is not one of" },
		{ "rd.break=cleanup", "rd.break=cleanup has no equivalent" },
		{ "rd.shell=perhaps", "rd.shell='perhaps' is not 0 or 1" },
		{ "panic=soon", "panic='soon' is not a number" },
		{ "panic=0", "panic=0 would wait forever" },
		{ "init=sbin/init", "init='sbin/init' is not an absolute path" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned n = parse(cases[i].text);
		if (n != 1 || !warned(cases[i].needle))
			fail_msg("'%s': %u warnings, first '%s', wanted '%s'", cases[i].text, n,
				 n ? warnings.text[0] : "", cases[i].needle);
	}
	/* Defaults survive the bad values. */
	parse("ghost.carrier_timeout=abc ghost.master=x ghost.overlay=zz panic=0");
	assert_int_equal(cfg.carrier_timeout_ms, GHOST_DEFAULT_CARRIER_TIMEOUT_MS);
	assert_int_equal(cfg.master_ip, 0);
	assert_int_equal(cfg.overlay, OVERLAY_NONE);
	assert_int_equal(cfg.panic_seconds, GHOST_DEFAULT_PANIC_SECONDS);
}

static void test_overlong_and_binary_input(void **state)
{
	(void)state;
	char text[3000];
	memset(text, 'a', sizeof(text));
	memcpy(text, "root=", 5);
	assert_int_equal(cmdline_parse(text, sizeof(text), &cfg, &warnings), 1); /* not NUL-terminated */
	assert_true(warned("is longer than 1023 bytes"));
	assert_string_equal(cfg.root, "");
	memset(text, 'b', 300);
	memcpy(text, "nfsroot=", 8);
	text[300] = '\0';
	assert_int_equal(parse(text), 1);
	assert_true(warned("nfsroot='bbbb"));
	assert_true(warned("is too long"));
	assert_int_equal(parse("ghost.reset=\x01\x7f"), 1);
	assert_true(warned("ghost.reset='\?\?'"));
	/* Embedded NUL ends the command line like the kernel's string does. */
	assert_int_equal(cmdline_parse("ip=dhcp\0ghost.reset=x", 21, &cfg, &warnings), 0);
	assert_string_equal(cfg.ip, "dhcp");
}

static void test_warnings_are_bounded(void **state)
{
	(void)state;
	char text[2048] = "";
	for (int i = 0; i < 40; i++)
		strcat(text, "ghost.x=1 ");
	assert_int_equal(parse(text), CMDLINE_MAX_WARNINGS);
	assert_int_equal(warnings.dropped, 40 - CMDLINE_MAX_WARNINGS);
}

static void test_seconds_helper(void **state)
{
	(void)state;
	uint32_t ms;
	assert_int_equal(cmdline_parse_seconds("1.5", 10000, &ms), 0);
	assert_int_equal(ms, 1500);
	assert_int_equal(cmdline_parse_seconds("0.001", 10000, &ms), 0);
	assert_int_equal(ms, 1);
	assert_int_equal(cmdline_parse_seconds("10", 10000, &ms), 0);
	assert_int_equal(ms, 10000);
	assert_int_equal(cmdline_parse_seconds("10.001", 10000, &ms), -ERANGE);
	assert_int_equal(cmdline_parse_seconds("1.", 10000, &ms), -EINVAL);
	assert_int_equal(cmdline_parse_seconds(".5", 10000, &ms), -EINVAL);
	assert_int_equal(cmdline_parse_seconds("4294967296", 0xffffffffu, &ms), -ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_gives_defaults),
		cmocka_unit_test(test_kernel_nfsroot_example),
		cmocka_unit_test(test_dracut_examples),
		cmocka_unit_test(test_bootif_forms),
		cmocka_unit_test(test_bootif_malformed),
		cmocka_unit_test(test_quotes_and_double_dash),
		cmocka_unit_test(test_last_occurrence_wins),
		cmocka_unit_test(test_ghost_values),
		cmocka_unit_test(test_wol),
		cmocka_unit_test(test_ghost_malformed_values),
		cmocka_unit_test(test_bad_key_never_echoed),
		cmocka_unit_test(test_overlong_and_binary_input),
		cmocka_unit_test(test_warnings_are_bounded),
		cmocka_unit_test(test_seconds_helper),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
