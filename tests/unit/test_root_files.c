/* The root stage's file work on the host, in a scratch directory: per-node files written by
 * the overlay (hostname, machine-id only when empty), and switch_root's refusals before it
 * destroys anything (same device, not an initramfs, init missing / not executable). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "root/overlay.h"
#include "root/switch_root.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ghost-rootfiles.XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void put(const char *rel, const char *text, mode_t mode)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	chmod(path, mode);
}

static const char *get(const char *rel)
{
	static char buf[128];
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void test_node_files(void **state)
{
	(void)state;
	char etc[96];
	snprintf(etc, sizeof(etc), "%s/etc", dir);
	assert_int_equal(overlay_node_files(dir, "worker-7"), -ENOTDIR); /* no /etc: not a system root */
	assert_int_equal(mkdir(etc, 0755), 0);
	put("etc/machine-id", "", 0444);
	assert_int_equal(overlay_node_files(dir, "worker-7"), 0);
	assert_string_equal(get("etc/hostname"), "worker-7\n");
	const char *id = get("etc/machine-id");
	assert_int_equal(strlen(id), 33);
	for (int i = 0; i < 32; i++)
		assert_non_null(strchr("0123456789abcdef", id[i]));
	assert_int_equal(id[12], '4'); /* v4 UUID, as systemd makes them */
	char first[40];
	strcpy(first, id);
	/* a machine-id already there is the image's own: left alone; no hostname: none written */
	char hostname[128];
	snprintf(hostname, sizeof(hostname), "%s/etc/hostname", dir);
	assert_int_equal(unlink(hostname), 0);
	assert_int_equal(overlay_node_files(dir, ""), 0);
	assert_string_equal(get("etc/machine-id"), first);
	assert_null(get("etc/hostname"));
}

static void test_switch_root_refuses(void **state)
{
	(void)state;
	const char *why = NULL;
	/* dir is on the same filesystem as /tmp, and / here is no initramfs: refused, nothing done */
	int r = switch_root_check(dir, "/sbin/init", &why);
	assert_true(r == -EBUSY || r == -EINVAL);
	assert_non_null(why);
	if (r == -EBUSY)
		assert_non_null(strstr(why, "not a mount point on another device"));
	else
		assert_non_null(strstr(why, "not the initramfs"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_node_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_switch_root_refuses, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
