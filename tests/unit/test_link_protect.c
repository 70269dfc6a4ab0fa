/* link_protect: the drop-ins' text, names refused, and the files written under a scratch /run. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "guardian/link_protect.h"

static void test_format(void **state)
{
	(void)state;
	char buf[512];
	/* networkd: a drop-in, without a [Match] of its own (the admin's file matches). */
	assert_true(link_protect_format(LINK_PROTECT_KIND_NETWORKD, "eth0", buf, sizeof(buf)) > 0);
	assert_null(strstr(buf, "[Match]"));
	assert_non_null(strstr(buf, "\n[Network]\nKeepConfiguration=yes\n"));
	assert_true(link_protect_format(LINK_PROTECT_KIND_NM, "enp1s0", buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "[keyfile]\nunmanaged-devices=interface-name:enp1s0\n"));
	assert_true(link_protect_format(LINK_PROTECT_KIND_IFUPDOWN, "eth0", buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "[Service]\nExecStop=\nExecStop=/sbin/ifdown -a --read-environment --exclude=lo --exclude=eth0\n"));
	assert_int_equal(buf[0], '#');
	assert_true(link_protect_format(LINK_PROTECT_KIND_IFUP_AT, "enp0s2", buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "\n[Service]\nExecStop=\n"));
	assert_null(strstr(buf, "ifdown"));
	/* The watchdog unit: stopped first at shutdown, nothing run from the NFS root. */
	assert_true(link_protect_format(LINK_PROTECT_KIND_WATCHDOG_UNIT, "eth0", buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "DefaultDependencies=no\nAfter=multi-user.target "));
	assert_non_null(strstr(buf, "Conflicts=shutdown.target\n"));
	assert_non_null(strstr(buf, "Type=oneshot\nRemainAfterExit=yes\n"));
	assert_non_null(strstr(buf, "\nExecStop=/run/initramfs/shutdown guardian --arm 120\n"));
	assert_null(strstr(buf, "ExecStart"));
	/* Names that would break a config file or a command line. */
	assert_int_equal(link_protect_format(LINK_PROTECT_KIND_NM, "", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(link_protect_format(LINK_PROTECT_KIND_NM, "eth0 x", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(link_protect_format(LINK_PROTECT_KIND_NM, "eth0\n[x]", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(link_protect_format(LINK_PROTECT_KIND_NM, "a%sb", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(link_protect_format(LINK_PROTECT_KIND_NM, "0123456789abcdef", buf, sizeof(buf)), -EINVAL);
	assert_int_equal(link_protect_format(LINK_PROTECT_KIND_NM, "eth0", buf, 20), -ENOSPC);
	assert_int_equal(link_protect_format((enum link_protect_kind)9, "eth0", buf, sizeof(buf)), -EINVAL);
}

static int has_file(const char *dir, const char *rel, const char *needle)
{
	char path[512], text[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	return strstr(text, needle) != NULL;
}

static void touch(const char *dir, const char *rel)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
}

static void test_write(void **state)
{
	(void)state;
	char dir[] = "/tmp/ghostboot-link-protect.XXXXXX";
	assert_non_null(mkdtemp(dir));
	/* The new root: the admin's .network in /etc, a package's in /usr/lib, no /lib. */
	char root[600], cmd[700];
	snprintf(root, sizeof(root), "%s/newroot", dir);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/etc/systemd/network' '%s/usr/lib/systemd/network'", root, root);
	assert_int_equal(system(cmd), 0);
	touch(root, "etc/systemd/network/20-wired.network");
	touch(root, "etc/systemd/network/99-default.link");
	touch(root, "etc/systemd/network/.network");
	touch(root, "usr/lib/systemd/network/80-container-ve.network");
	char run[620];
	snprintf(run, sizeof(run), "%s/run", dir);
	assert_int_equal(link_protect_write(run, root, "eth0"), 0);
	const char *dropin = "systemd/network/20-wired.network.d/ghostboot-keep-boot-link.conf";
	assert_true(has_file(run, dropin, "[Network]\nKeepConfiguration=yes\n"));
	assert_true(has_file(run, "systemd/network/80-container-ve.network.d/ghostboot-keep-boot-link.conf",
			     "KeepConfiguration=yes"));
	snprintf(cmd, sizeof(cmd), "test \"$(ls '%s/systemd/network')\" = \"$(printf '20-wired.network.d\\n80-container-ve.network.d')\"", run);
	assert_int_equal(system(cmd), 0); /* nothing for the .link, the bare name, no .network of ours */
	/* A root without systemd/network: no drop-in, no error. */
	assert_int_equal(link_protect_write(run, "/proc/nonexistent-dir", "eth0"), 0);
	assert_true(has_file(run, LINK_PROTECT_NM, "interface-name:eth0"));
	assert_true(has_file(run, LINK_PROTECT_IFUPDOWN, "--exclude=eth0"));
	assert_true(has_file(run, "systemd/system/ifup@eth0.service.d/ghostboot-keep-boot-link.conf", "ExecStop=\n"));
	assert_true(has_file(run, LINK_PROTECT_WATCHDOG_UNIT, "guardian --arm"));
	assert_true(has_file(run, LINK_PROTECT_WATCHDOG_WANTS, "guardian --arm")); /* the link resolves */
	/* Again (idempotent, another interface): replaced, no temporary left. */
	assert_int_equal(link_protect_write(run, root, "eth1"), 0);
	assert_true(has_file(run, LINK_PROTECT_NM, "interface-name:eth1"));
	assert_false(has_file(run, LINK_PROTECT_NM, "interface-name:eth0"));
	char tmp[700];
	snprintf(tmp, sizeof(tmp), "%s/%s.tmp", run, LINK_PROTECT_NM);
	assert_int_not_equal(access(tmp, F_OK), 0);
	snprintf(tmp, sizeof(tmp), "%s/%s.tmp", run, dropin);
	assert_int_not_equal(access(tmp, F_OK), 0);
	assert_int_equal(link_protect_write(run, root, "bad name"), -EINVAL);
	assert_int_equal(link_protect_write("/proc/nonexistent-dir", root, "eth0"), -ENOENT);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_write),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
