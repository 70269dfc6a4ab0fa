/* nic_undriven: which sysfs texts are network devices, and a fake /sys with one card
 * without a driver per bus, one with a driver and one that is no network card. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "net/nic_undriven.h"

static void pci_classes(void **state)
{
	(void)state;
	assert_true(nic_undriven_pci_is_network("0x020000\n")); /* Ethernet */
	assert_true(nic_undriven_pci_is_network("0x028000"));   /* other network */
	assert_false(nic_undriven_pci_is_network("0x010802\n")); /* NVMe */
	assert_false(nic_undriven_pci_is_network("0x02"));       /* cut short */
	assert_false(nic_undriven_pci_is_network(""));
}

static void virtio_ids(void **state)
{
	(void)state;
	assert_true(nic_undriven_virtio_is_network("0x0001\n"));
	assert_true(nic_undriven_virtio_is_network("0x0001"));
	assert_false(nic_undriven_virtio_is_network("0x0002\n")); /* block */
	assert_false(nic_undriven_virtio_is_network("0x00012"));
	assert_false(nic_undriven_virtio_is_network(""));
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void fake_sys(void **state)
{
	(void)state;
	char sys[] = "/tmp/test_nic_undriven.XXXXXX", d[4][256];
	assert_non_null(mkdtemp(sys));
	const char *sub[] = { "bus", "bus/pci", "bus/pci/devices", "bus/virtio", "bus/virtio/devices" };
	for (unsigned i = 0; i < 5; i++) {
		snprintf(d[0], sizeof(d[0]), "%s/%s", sys, sub[i]);
		assert_int_equal(mkdir(d[0], 0755), 0);
	}
	snprintf(d[0], sizeof(d[0]), "%s/bus/pci/devices/0000:00:02.0", sys);   /* NIC, no driver */
	snprintf(d[1], sizeof(d[1]), "%s/bus/pci/devices/0000:00:03.0", sys);   /* NIC, driver */
	snprintf(d[2], sizeof(d[2]), "%s/bus/pci/devices/0000:00:04.0", sys);   /* disk, no driver */
	snprintf(d[3], sizeof(d[3]), "%s/bus/virtio/devices/virtio0", sys);     /* NIC, no driver */
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(mkdir(d[i], 0755), 0);
	put(d[0], "class", "0x020000\n");
	put(d[1], "class", "0x020000\n");
	put(d[2], "class", "0x010802\n");
	put(d[3], "device", "0x0001\n");
	char drv[300];
	snprintf(drv, sizeof(drv), "%s/driver", d[1]);
	assert_int_equal(mkdir(drv, 0755), 0);
	assert_int_equal(nic_undriven_log(sys), 2);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", sys);
	assert_int_equal(system(cmd), 0);
}

static void no_sys(void **state)
{
	(void)state;
	assert_int_equal(nic_undriven_log("/nonexistent"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pci_classes),
		cmocka_unit_test(virtio_ids),
		cmocka_unit_test(fake_sys),
		cmocka_unit_test(no_sys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
