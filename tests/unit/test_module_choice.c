/* module_choice: which of the image's modules a boot loads — the command line's root and
 * overlay, the "dev:" drivers asked of a device query, and alias patterns as modules.alias
 * writes them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "boot/cmdline.h"
#include "boot/module_choice.h"

static struct module_needs needs_of(const char *text)
{
	static struct boot_config cfg;
	struct cmdline_warnings w;
	struct module_needs n;
	cmdline_parse(text, strlen(text), &cfg, &w);
	module_needs_from_config(&cfg, &n);
	return n;
}

static void test_needs_from_the_root(void **state)
{
	(void)state;
	struct module_needs n = needs_of("root=nfs4:10.0.0.1:/srv/root");
	assert_false(n.nfs3);
	assert_true(n.nfs4);
	assert_false(n.overlay);
	n = needs_of("root=/dev/nfs nfsroot=10.0.0.1:/srv/root ip=dhcp");
	assert_true(n.nfs3);
	assert_false(n.nfs4);
	n = needs_of("root=/dev/nfs nfsroot=10.0.0.1:/srv/root,vers=4.1");
	assert_false(n.nfs3);
	assert_true(n.nfs4);
	n = needs_of("root=nfs:10.0.0.1:/srv/root ghost.overlay=tmpfs");
	assert_true(n.nfs3);
	assert_false(n.nfs4);
	assert_true(n.overlay);
	n = needs_of("root=LABEL=worker");
	assert_false(n.nfs3);
	assert_false(n.nfs4);
}

static void test_unknown_root_loads_both_versions(void **state)
{
	(void)state;
	const char *unknown[] = { "", "root=dhcp", "root=/dev/nfs", "nfsroot=/srv/%s", "root=nfs:bad" };
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		struct module_needs n = needs_of(unknown[i]);
		assert_true(n.nfs3);
		assert_true(n.nfs4);
	}
}

/* A fake machine: only the virtio NIC and an r8169 are present. */
static bool present(const char *module, size_t len, void *ctx)
{
	(*(int *)ctx)++;
	return (len == 10 && !memcmp(module, "virtio_net", 10)) || (len == 5 && !memcmp(module, "r8169", 5));
}

static void test_line_needs(void **state)
{
	(void)state;
	const struct module_needs v4 = { .nfs4 = true };
	int asked = 0;
	assert_true(module_line_needed("", &v4, present, &asked));
	assert_true(module_line_needed("\n", &v4, present, &asked));
	assert_true(module_line_needed("always", &v4, present, &asked));
	assert_true(module_line_needed("nfs3,nfs4\n", &v4, present, &asked));
	assert_false(module_line_needed("nfs3", &v4, present, &asked));
	assert_false(module_line_needed("overlay\n", &v4, present, &asked));
	assert_int_equal(asked, 0);
	assert_true(module_line_needed("dev:e1000e,dev:r8169", &v4, present, &asked));
	assert_int_equal(asked, 2);
	assert_false(module_line_needed("dev:e1000e,dev:igb\n", &v4, present, &asked));
	assert_false(module_line_needed("dev:virtio", &v4, present, &asked)); /* exact names only */
	assert_true(module_line_needed("dev:virtio_net", &v4, NULL, NULL));    /* no query: load */
	assert_true(module_line_needed("newer-need", &v4, present, &asked));   /* unknown: load */
	assert_false(module_line_needed(",,", &v4, present, &asked));
}

static void test_alias_patterns(void **state)
{
	(void)state;
	const char *pci = "alias pci:v000010ECd00008168sv*sd*bc*sc*i* r8169\n";
	const char *dev = "pci:v000010ECd00008168sv00001AF4sd00001100bc02sc00i00";
	assert_true(module_alias_matches(pci, "r8169", 5, dev));
	assert_false(module_alias_matches(pci, "r8169", 5, "pci:v000010ECd00008169sv00001AF4sd00001100bc02sc00i00"));
	assert_false(module_alias_matches(pci, "r816", 4, dev));
	assert_false(module_alias_matches(pci, "e1000e", 6, dev));
	assert_false(module_alias_matches("options r8169 x=1", "r8169", 5, dev));
	const char *usb = "alias usb:v0B95p1790d0[0-2]*dc*dsc*dp*ic*isc*ip*in* ax88179\n";
	assert_true(module_alias_matches(usb, "ax88179", 7, "usb:v0B95p1790d0100dcFFdsc00dp00icFFiscFFip00in00"));
	assert_false(module_alias_matches(usb, "ax88179", 7, "usb:v0B95p1790d0300dcFFdsc00dp00icFFiscFFip00in00"));
	const char *neg = "alias x:a[!0-4]?b* m\n";
	assert_true(module_alias_matches(neg, "m", 1, "x:a5zb"));
	assert_false(module_alias_matches(neg, "m", 1, "x:a3zb"));
	assert_false(module_alias_matches(neg, "m", 1, "x:a5b"));
	assert_true(module_alias_matches("alias virtio:d00000001v* virtio_net", "virtio_net", 10, "virtio:d00000001v00001AF4"));
	assert_false(module_alias_matches("alias [unterminated m", "m", 1, "u"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_needs_from_the_root),
		cmocka_unit_test(test_unknown_root_loads_both_versions),
		cmocka_unit_test(test_line_needs),
		cmocka_unit_test(test_alias_patterns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
