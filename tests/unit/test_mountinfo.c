/* mountinfo: fixtures of a worker at shutdown (overlay over NFS, plain NFS root), nested and
 * stacked mounts, escapes, garbage; and the order the shutdown unmounts in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "shutdown/mountinfo.h"

static struct mountinfo mi; /* large: keep it off the stack */

static void parse(const char *text)
{
	mountinfo_parse(text, strlen(text), &mi);
}

static int find(const char *mount_point)
{
	for (unsigned i = 0; i < mi.count; i++)
		if (!strcmp(mi.entry[i].mount_point, mount_point))
			return (int)i;
	return -1;
}

/* The unmount order as a space-separated list of mount ids. */
static const char *order_ids(const char *prefix)
{
	static char buf[1024];
	unsigned order[MOUNTINFO_MAX];
	unsigned n = mountinfo_unmount_order(&mi, prefix, order, MOUNTINFO_MAX);
	size_t len = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%u", i ? " " : "", mi.entry[order[i]].id);
	return buf;
}

/* After systemd-shutdown pivoted into /run/initramfs: the worker's overlay root at /oldroot,
 * its NFS lower and tmpfs upper beside it, the real root's own mounts on top. */
static const char overlay_worker[] =
	"1 1 0:1 / / rw - rootfs rootfs rw\n"
	"24 1 0:22 / /oldroot/run/ghostboot/lower ro,relatime - nfs4 10.0.2.2:/export ro,vers=4.2,addr=10.0.2.2\n"
	"25 1 0:23 / /oldroot/run/ghostboot/upper rw - tmpfs tmpfs rw,size=50%\n"
	"26 1 0:24 / /oldroot rw,relatime - overlay overlay rw,lowerdir=/run/ghostboot/lower,upperdir=/run/ghostboot/upper/data,workdir=/run/ghostboot/upper/work\n"
	"27 26 0:5 / /oldroot/dev rw,nosuid shared:2 - devtmpfs devtmpfs rw,size=4k,mode=755\n"
	"28 26 0:25 / /oldroot/run rw,nosuid,nodev shared:3 master:1 - tmpfs tmpfs rw,mode=755\n"
	"29 28 0:26 / /oldroot/run/user/0 rw - tmpfs tmpfs rw\n"
	"30 26 0:27 / /oldroot/home rw - nfs4 10.0.2.2:/home rw,vers=4.2\n"
	"31 1 0:4 / /proc rw,nosuid - proc proc rw\n"
	"32 1 0:28 / /oldrootfs rw - tmpfs tmpfs rw\n";

static void test_overlay_worker(void **state)
{
	(void)state;
	parse(overlay_worker);
	assert_int_equal(mi.count, 10);
	assert_int_equal(mi.malformed, 0);
	int o = find("/oldroot");
	assert_true(o >= 0);
	assert_string_equal(mi.entry[o].fstype, "overlay");
	assert_string_equal(mi.entry[o].source, "overlay");
	assert_int_equal(mi.entry[o].id, 26);
	assert_int_equal(mi.entry[o].parent, 1);
	assert_int_equal(mi.entry[o].major, 0);
	assert_int_equal(mi.entry[o].minor, 24);
	int n = find("/oldroot/run/ghostboot/lower");
	assert_string_equal(mi.entry[n].fstype, "nfs4");
	assert_string_equal(mi.entry[n].source, "10.0.2.2:/export");
	assert_true(mountinfo_is_network(&mi.entry[n]));
	assert_false(mountinfo_is_network(&mi.entry[o]));
	/* Children before parents, local before network, newest first; the overlay goes before
	 * its NFS lower; /proc and /oldrootfs are not under /oldroot. */
	assert_string_equal(order_ids("/oldroot"), "29 28 27 25 30 26 24");
	assert_string_equal(order_ids("/oldroot/"), "29 28 27 25 30 26 24");
	/* Which server a lookup under each mount depends on. */
	assert_int_equal(mountinfo_network_ancestor(&mi, (unsigned)n), n);
	assert_int_equal(mountinfo_network_ancestor(&mi, (unsigned)o), -1);
	assert_int_equal(mountinfo_network_ancestor(&mi, (unsigned)find("/oldroot/home")), find("/oldroot/home"));
	assert_int_equal(mountinfo_network_ancestor(&mi, (unsigned)find("/oldroot/run/user/0")), -1);
}

/* A plain NFS root (no overlay): everything on top of it first, the NFS root last. */
static void test_nfs_root(void **state)
{
	(void)state;
	parse("40 1 0:40 / /oldroot rw,relatime - nfs 10.0.2.2:/srv/root rw,vers=3,addr=10.0.2.2\n"
	      "41 40 0:4 / /oldroot/proc rw - proc proc rw\n"
	      "42 40 0:20 / /oldroot/sys rw - sysfs sysfs rw\n"
	      "43 42 0:7 / /oldroot/sys/kernel/debug rw - debugfs debugfs rw\n"
	      "44 40 0:5 / /oldroot/dev rw - devtmpfs udev rw\n"
	      "45 44 0:29 / /oldroot/dev/pts rw - devpts devpts rw\n"
	      "46 40 0:30 / /oldroot/tmp rw - tmpfs tmpfs rw\n");
	assert_int_equal(mi.count, 7);
	assert_string_equal(order_ids("/oldroot"), "46 45 44 43 42 41 40");
	assert_int_equal(mountinfo_network_ancestor(&mi, (unsigned)find("/oldroot/sys/kernel/debug")), 0);
	assert_string_equal(order_ids("/oldroot/sys"), "43 42");
	assert_string_equal(order_ids("/"), "46 45 44 43 42 41 40");
}

/* Stacked mounts on one mount point, and a mount moved under a newer parent (mount --move):
 * the parent id decides, not the line order. */
static void test_nested_and_stacked(void **state)
{
	(void)state;
	parse("10 1 0:10 / /oldroot rw - tmpfs tmpfs rw\n"
	      "50 60 0:50 / /oldroot/a/b rw - tmpfs tmpfs rw\n"
	      "60 10 0:60 / /oldroot/a rw - tmpfs tmpfs rw\n"
	      "70 10 0:70 / /oldroot/mnt rw - tmpfs tmpfs rw\n"
	      "71 70 0:71 / /oldroot/mnt rw - tmpfs tmpfs rw\n"
	      "72 71 0:72 / /oldroot/mnt rw - nfs4 srv:/x rw\n");
	assert_int_equal(mi.count, 6);
	/* 50 sits on 60 although listed before it; 72 sits on 71 sits on 70, and the NFS mount
	 * waits until no local mount is free. */
	const char *got = order_ids("/oldroot");
	assert_string_equal(got, "50 60 72 71 70 10");
}

static void test_escapes(void **state)
{
	(void)state;
	parse("5 1 0:5 / /oldroot/my\\040files rw - tmpfs my\\040tmp rw\n"
	      "6 1 0:6 / /oldroot/tab\\011and\\012nl\\134bs rw - tmpfs tmpfs rw\n"
	      "7 1 0:7 / /oldroot/not\\9an\\04escape\\ rw - tmpfs tmpfs rw\n"
	      "8 1 0:8 / /oldroot/nul\\000byte rw - tmpfs tmpfs rw\n"
	      "9 1 0:9 / /oldroot/high\\377 rw - tmpfs tmpfs rw\n");
	assert_int_equal(mi.count, 4);
	assert_int_equal(mi.malformed, 1); /* a NUL in a path is garbage */
	assert_string_equal(mi.entry[0].mount_point, "/oldroot/my files");
	assert_string_equal(mi.entry[0].source, "my tmp");
	assert_string_equal(mi.entry[1].mount_point, "/oldroot/tab\tand\nnl\\bs");
	assert_string_equal(mi.entry[2].mount_point, "/oldroot/not\\9an\\04escape\\");
	assert_string_equal(mi.entry[3].mount_point, "/oldroot/high\377");
	assert_true(mountinfo_path_under(mi.entry[0].mount_point, "/oldroot"));
}

static void test_malformed_lines(void **state)
{
	(void)state;
	char long_line[MOUNTINFO_LINE_MAX + 64];
	memset(long_line, 'a', sizeof(long_line));
	memcpy(long_line, "99 1 0:9 / /oldroot/", 20);
	long_line[sizeof(long_line) - 1] = '\0';
	char text[MOUNTINFO_LINE_MAX + 2048];
	snprintf(text, sizeof(text),
		 "1 1 0:1 / /oldroot rw - tmpfs tmpfs rw\n"
		 "\n"
		 "garbage\n"
		 "2 1 0:2 / /oldroot/a rw tmpfs tmpfs rw\n"          /* no separator */
		 "x 1 0:3 / /oldroot/b rw - tmpfs tmpfs rw\n"        /* id not a number */
		 "4 1 03 / /oldroot/c rw - tmpfs tmpfs rw\n"         /* no major:minor */
		 "5 1 0:5 / relative rw - tmpfs tmpfs rw\n"          /* not a path */
		 "6 1 0:6 / /oldroot/d rw - tmpfs\n"                 /* no source */
		 "7 1 0:7 / /oldroot/e rw -\n"                       /* nothing after - */
		 "99999999999 1 0:8 / /oldroot/f rw - tmpfs tmpfs rw\n" /* id too large */
		 "%s\n"
		 "10 1 0:10 / /oldroot/g rw - tmpfs tmpfs\n"         /* no super options: fine */
		 "11 1 0:11 / /oldroot/h rw a b c d e f g h i j k l m n o p q r s t u v w x y z - tmpfs t rw\n"
		 "12 1 0:12 / /oldroot/i rw - tmpfs tmpfs rw", /* last line without newline */
		 long_line);
	parse(text);
	assert_int_equal(mi.count, 3);
	assert_int_equal(mi.malformed, 10);
	assert_string_equal(mi.entry[0].mount_point, "/oldroot");
	assert_string_equal(mi.entry[1].mount_point, "/oldroot/g");
	assert_string_equal(mi.entry[2].mount_point, "/oldroot/i");
	assert_string_equal(order_ids("/oldroot"), "12 10 1");

	parse("");
	assert_int_equal(mi.count, 0);
	assert_string_equal(order_ids("/"), "");
}

static void test_capacity_and_long_fields(void **state)
{
	(void)state;
	size_t cap = (MOUNTINFO_MAX + 44) * 64 + 2048;
	char *text = malloc(cap);
	assert_non_null(text);
	size_t len = 0;
	for (unsigned i = 0; i < MOUNTINFO_MAX + 44; i++)
		len += (size_t)snprintf(text + len, cap - len, "%u 1 0:%u / /oldroot/m%u rw - tmpfs t rw\n", i + 2, i, i);
	mountinfo_parse(text, len, &mi);
	assert_int_equal(mi.count, MOUNTINFO_MAX);
	assert_int_equal(mi.dropped, 44);
	unsigned order[8];
	assert_int_equal(mountinfo_unmount_order(&mi, "/oldroot", order, 8), 8);
	assert_int_equal(mi.entry[order[0]].id, MOUNTINFO_MAX + 1);

	/* A mount point longer than the bound is skipped; a long source is cut. */
	len = (size_t)snprintf(text, cap, "1 1 0:1 / /");
	memset(text + len, 'p', MOUNTINFO_PATH_MAX);
	len += MOUNTINFO_PATH_MAX;
	len += (size_t)snprintf(text + len, cap - len, " rw - tmpfs t rw\n2 1 0:2 / /ok rw - nfs srv:/");
	memset(text + len, 's', 1000);
	len += 1000;
	len += (size_t)snprintf(text + len, cap - len, " rw\n");
	mountinfo_parse(text, len, &mi);
	assert_int_equal(mi.count, 1);
	assert_int_equal(mi.malformed, 1);
	assert_int_equal(strlen(mi.entry[0].source), MOUNTINFO_SOURCE_MAX - 1);
	free(text);
}

/* Garbled parent ids must not loop or lose mounts. */
static void test_cycle(void **state)
{
	(void)state;
	parse("3 4 0:3 / /oldroot/x rw - tmpfs t rw\n"
	      "4 3 0:4 / /oldroot/y rw - tmpfs t rw\n"
	      "5 5 0:5 / /oldroot/z rw - tmpfs t rw\n"
	      "5 5 0:6 / /oldroot/z2 rw - tmpfs t rw\n");
	assert_int_equal(mi.count, 4);
	const char *got = order_ids("/oldroot");
	assert_int_equal(strlen(got), strlen("5 5 4 3"));
	assert_int_equal(mountinfo_network_ancestor(&mi, 0), -1); /* the cycle ends */
}

static void test_path_under(void **state)
{
	(void)state;
	assert_true(mountinfo_path_under("/oldroot", "/oldroot"));
	assert_true(mountinfo_path_under("/oldroot/proc", "/oldroot"));
	assert_true(mountinfo_path_under("/oldroot/proc", "/oldroot//"));
	assert_false(mountinfo_path_under("/oldroots", "/oldroot"));
	assert_false(mountinfo_path_under("/old", "/oldroot"));
	assert_true(mountinfo_path_under("/anything", "/"));
}

/* The parser must read this machine's own table without a single complaint. */
static void test_real_mountinfo(void **state)
{
	(void)state;
	static char buf[1 << 20];
	FILE *f = fopen("/proc/self/mountinfo", "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	mountinfo_parse(buf, n, &mi);
	assert_true(mi.count > 0);
	assert_int_equal(mi.malformed, 0);
	assert_true(find("/") >= 0 || mi.dropped > 0);
	unsigned order[MOUNTINFO_MAX];
	unsigned k = mountinfo_unmount_order(&mi, "/", order, MOUNTINFO_MAX);
	assert_int_equal(k, mi.count);
	/* The root of this namespace (if kept) is the last one unmounted. */
	assert_string_equal(mi.entry[order[k - 1]].mount_point, "/");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overlay_worker),
		cmocka_unit_test(test_nfs_root),
		cmocka_unit_test(test_nested_and_stacked),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_malformed_lines),
		cmocka_unit_test(test_capacity_and_long_fields),
		cmocka_unit_test(test_cycle),
		cmocka_unit_test(test_path_under),
		cmocka_unit_test(test_real_mountinfo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
