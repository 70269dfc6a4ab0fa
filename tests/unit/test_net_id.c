/* net_id: predictable interface names from real sysfs trees captured under QEMU
 * (tests/qemu/capture_net_id.sh; the expected names are what systemd 252's
 * `udevadm test-builtin net_id` printed for the same layouts, tests/qemu/test_ifnames_debian.sh),
 * then each rule of the naming scheme on its own, and the rename decision (ifname=,
 * net.ifnames=0). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <errno.h>
#include <net/if_arp.h>

#include <cmocka.h>

#include "boot/cmdline.h"
#include "net/net_id.h"
#include "net/net_id_sysfs.h"
#include "net/net_rename.h"

#define FIXTURES "tests/unit/fixtures/net_id/"

static struct net_id_input in;

struct fixture_case {
	const char *layout, *ifname;
	const char *onboard, *slot, *path, *chosen;
};

static void expect_fixture(const struct fixture_case *c)
{
	struct net_id_names names;
	char chosen[NET_ID_NAME_MAX];
	char dir[128];
	snprintf(dir, sizeof(dir), FIXTURES "%s", c->layout);
	if (net_id_sysfs_read(dir, c->ifname, &in) != 0)
		fail_msg("%s/%s: not read", c->layout, c->ifname);
	assert_true(in.pci);
	assert_int_equal(net_id_names(&in, &names), 0);
	if (strcmp(names.onboard, c->onboard) || strcmp(names.slot, c->slot) || strcmp(names.path, c->path))
		fail_msg("%s/%s: onboard '%s' slot '%s' path '%s', udev: '%s' '%s' '%s'", c->layout, c->ifname,
			 names.onboard, names.slot, names.path, c->onboard, c->slot, c->path);
	assert_int_equal(net_id_choose(&names, chosen), 0);
	assert_string_equal(chosen, c->chosen);
}

/* Five NICs on q35, two on pc, as udev names them. */
static void test_fixtures(void **state)
{
	(void)state;
	static const struct fixture_case cases[] = {
		/* virtio-net on q35's root bus: no slot, no index */
		{ "q35", "eth0", "", "", "enp0s2", "enp0s2" },
		/* virtio-net behind a PCIe root port (its slot is numbered 0: unusable) */
		{ "q35", "eth1", "", "", "enp1s0", "enp1s0" },
		/* e1000e on q35 */
		{ "q35", "eth2", "", "", "enp0s3", "enp0s3" },
		/* a multi-function card: every function carries f<n>, function 0 too */
		{ "q35", "eth3", "", "", "enp0s5f0", "enp0s5f0" },
		{ "q35", "eth4", "", "", "enp0s5f1", "enp0s5f1" },
		/* q35 gives no ACPI index to root-bus devices: the path again */
		{ "q35", "eth5", "", "", "enp0s6", "enp0s6" },
		/* virtio-net on pc: ACPI hot-plug slot 3 */
		{ "pc", "eth0", "", "ens3", "enp0s3", "ens3" },
		/* the onboard NIC of an office PC: ACPI index 3 wins over its slot */
		{ "pc", "eth1", "eno3", "ens4", "enp0s4", "eno3" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_fixture(&cases[i]);
}

static void test_fixture_missing_and_virtual(void **state)
{
	(void)state;
	assert_int_equal(net_id_sysfs_read(FIXTURES "q35", "nosuch0", &in), -ENOENT);
	assert_int_equal(net_id_sysfs_read("tests/unit/fixtures/nosuch", "eth0", &in), -ENOENT);
}

/* A plain Ethernet function at 0000:00:19.0 with nothing else known. */
static void base(void)
{
	memset(&in, 0, sizeof(in));
	in.type = ARPHRD_ETHER;
	in.ifindex = in.iflink = 2;
	in.pci = true;
	strcpy(in.pci_chain[0].address, "0000:00:19.0");
	in.pci_depth = 1;
}

static struct net_id_names names_of(void)
{
	struct net_id_names n;
	assert_int_equal(net_id_names(&in, &n), 0);
	return n;
}

static void test_rules(void **state)
{
	(void)state;
	struct net_id_names n;
	char out[NET_ID_NAME_MAX];
	base();
	n = names_of();
	assert_string_equal(n.path, "enp0s25");
	/* SMBIOS index when there is no ACPI index; ACPI wins when both; 0 counts; noise does not */
	in.has_index = true, in.index = 1;
	assert_string_equal(names_of().onboard, "eno1");
	in.has_acpi_index = true, in.acpi_index = 2;
	assert_string_equal(names_of().onboard, "eno2");
	in.acpi_index = 0;
	assert_string_equal(names_of().onboard, "eno0");
	in.acpi_index = 16777215; /* what VMware reports */
	assert_string_equal(names_of().onboard, "");
	/* ports: phys_port_name first, else dev_port > 0 */
	base();
	in.dev_port = 1;
	assert_string_equal(names_of().path, "enp0s25d1");
	strcpy(in.phys_port_name, "p1");
	assert_string_equal(names_of().path, "enp0s25np1");
	/* a domain other than 0; ARI folds the slot into the function */
	base();
	strcpy(in.pci_chain[0].address, "0001:3b:00.1");
	assert_string_equal(names_of().path, "enP1p59s0f1");
	strcpy(in.pci_chain[0].address, "0000:3b:02.1");
	in.ari = true;
	assert_string_equal(names_of().path, "enp59s2f17");
	/* a slot on the NIC itself; one on a bridge above only for a multi-function NIC */
	base();
	strcpy(in.pci_chain[0].address, "0000:05:00.0");
	strcpy(in.pci_chain[1].address, "0000:00:1c.3");
	in.pci_chain[1].bridge = true;
	in.pci_depth = 2;
	in.slots[0].number = 1, strcpy(in.slots[0].address, "0000:00:1c");
	in.nslots = 1;
	assert_string_equal(names_of().slot, "");
	in.multifunction = true;
	assert_string_equal(names_of().slot, "ens1f0");
	strcpy(in.slots[0].address, "0000:05:00");
	in.multifunction = false;
	n = names_of();
	assert_string_equal(n.slot, "ens1");
	assert_string_equal(n.path, "enp5s0");
	assert_int_equal(net_id_choose(&n, out), 0);
	assert_string_equal(out, "ens1");
	/* prefixes by type; types net_id leaves alone */
	base();
	strcpy(in.devtype, "wlan");
	assert_string_equal(names_of().path, "wlp0s25");
	in.type = ARPHRD_INFINIBAND, in.devtype[0] = '\0';
	assert_string_equal(names_of().path, "ibp0s25");
	in.type = ARPHRD_LOOPBACK;
	assert_int_equal(net_id_names(&in, &n), -ENOENT);
	assert_string_equal(n.path, "");
	assert_int_equal(net_id_choose(&n, out), -ENOENT);
	/* a VLAN on top, a VF, a non-PCI device, a bad address: no name */
	base();
	in.iflink = 3;
	assert_int_equal(net_id_names(&in, &n), -ENOENT);
	base();
	in.virtfn = true;
	assert_int_equal(net_id_names(&in, &n), -ENOENT);
	base();
	in.pci = false;
	assert_int_equal(net_id_names(&in, &n), -ENOENT);
	base();
	strcpy(in.pci_chain[0].address, "0000:00:19.8");
	assert_int_equal(net_id_names(&in, &n), -ENOENT);
	strcpy(in.pci_chain[0].address, "00000:00:19.0");
	assert_int_equal(net_id_names(&in, &n), -ENOENT);
	/* longer than 15 characters: not exported */
	base();
	strcpy(in.pci_chain[0].address, "ffff:ff:1f.7");
	strcpy(in.phys_port_name, "p0pf0vf17");
	assert_string_equal(names_of().path, "");
}

static void test_rename_target(void **state)
{
	(void)state;
	struct boot_config cfg;
	struct cmdline_warnings w;
	struct link_info l = { .ifindex = 2, .name = "eth0", .hwaddr = { 0x52, 0x54, 0, 0xaa, 0, 7 }, .hwaddr_len = 6 };
	char out[LINK_NAME_MAX];
	const char *line = "ifname=boot0:52:54:00:AA:00:07 ifname=data0:52:54:00:aa:00:08";
	cmdline_parse(line, strlen(line), &cfg, &w);
	assert_int_equal(w.count, 0);
	net_rename_target(&cfg, &l, "enp0s2", out);
	assert_string_equal(out, "boot0"); /* ifname= wins over the predictable name */
	l.hwaddr[5] = 9;
	net_rename_target(&cfg, &l, "enp0s2", out);
	assert_string_equal(out, "enp0s2");
	line = "net.ifnames=0 ifname=boot0:52:54:00:aa:00:07";
	cmdline_parse(line, strlen(line), &cfg, &w);
	net_rename_target(&cfg, &l, "enp0s2", out);
	assert_string_equal(out, ""); /* kernel names kept */
	l.hwaddr[5] = 7;
	net_rename_target(&cfg, &l, "enp0s2", out);
	assert_string_equal(out, "boot0"); /* ifname= still applies, as in dracut */
	/* the kernel's name in ip= still finds the renamed link */
	struct net_renames done = { .n = 1 };
	strcpy(done.map[0].from, "eth0");
	strcpy(done.map[0].to, "enp0s2");
	assert_string_equal(net_rename_lookup(&done, "eth0"), "enp0s2");
	assert_string_equal(net_rename_lookup(&done, "eth1"), "eth1");
}

static void test_cmdline(void **state)
{
	(void)state;
	struct boot_config cfg;
	struct cmdline_warnings w;
	const char *line = "ifname=a:52:54:00:aa:00:07 ifname=:52:54:00:aa:00:07 ifname=waytoolongname0x:52:54:00:aa:00:07 "
			   "ifname=a/b:52:54:00:aa:00:07 ifname=x:52:54:00:aa:00 ifname=x net.ifnames=2 net.ifnames=0";
	assert_int_equal(cmdline_parse(line, strlen(line), &cfg, &w), 6);
	assert_int_equal(cfg.ifname_count, 1);
	assert_string_equal(cfg.ifname[0].name, "a");
	assert_true(cfg.net_ifnames_off);
	line = "ifname=a:52:54:00:aa:00:01 ifname=b:52:54:00:aa:00:02 ifname=c:52:54:00:aa:00:03 "
	       "ifname=d:52:54:00:aa:00:04 ifname=e:52:54:00:aa:00:05";
	assert_int_equal(cmdline_parse(line, strlen(line), &cfg, &w), 1);
	assert_int_equal(cfg.ifname_count, 4);
	assert_false(cfg.net_ifnames_off);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_fixture_missing_and_virtual),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_rename_target),
		cmocka_unit_test(test_cmdline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
