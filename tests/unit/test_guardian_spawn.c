/* guardian_spawn (agent/guardian/guardian.c): the boot says "guarded" only when the guardian
 * says it watches. Here the two ways it cannot: its exec fails (the copy under /run/initramfs
 * is gone, as when switch_root had moved /run first), and it starts but cannot watch (no such
 * interface). Both are tried twice and reported, with no pid left behind. The way it can is
 * every QEMU boot with a guardian (tests/qemu/test_boot_link.sh: "guarded (pid N)"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "guardian/guardian.h"
#include "lib/clock.h"

static struct guardian_config config(const char *ifname)
{
	struct guardian_config g;
	memset(&g, 0, sizeof(g));
	snprintf(g.ifname, sizeof(g.ifname), "%s", ifname);
	g.addr = inet_addr("10.0.2.15");
	g.prefix = 24;
	g.run_fd = -1;
	g.ready_fd = -1;
	return g;
}

static void test_exec_fails(void **state)
{
	(void)state;
	struct guardian_config g = config("lo");
	int pid = -1;
	uint64_t t0 = clock_ms();
	assert_int_equal(guardian_spawn("/nonexistent/run/initramfs/shutdown", &g, &pid), -ECHILD);
	assert_int_equal(pid, 0);
	assert_true(clock_ms() - t0 < GUARDIAN_READY_MS); /* told at once, not at the bound */
}

static void test_cannot_watch(void **state)
{
	(void)state;
	struct guardian_config g = config("gbnosuch0");
	int pid = -1;
	assert_int_equal(guardian_spawn("build/host/ghostinit", &g, &pid), -ECHILD);
	assert_int_equal(pid, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exec_fails),
		cmocka_unit_test(test_cannot_watch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
