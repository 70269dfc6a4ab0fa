/* The module thread is joined with a bound: a load that never ends (here the thread blocks
 * opening a FIFO named as a module, as a driver's probe waiting on hardware would block in
 * finit_module) costs the boot the bound, not the boot. No module is ever loaded: the FIFO is
 * no ELF file and the other path does not exist. */
#include <errno.h>
#include <fcntl.h>
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

#include "boot/modules_async.h"
#include "lib/clock.h"

#define SLACK_MS 1500 /* a loaded 2-core machine under ASan */

static char dir[] = "/tmp/ghostboot-test-modules-XXXXXX";

static void write_list(const char *list, const char *module)
{
	FILE *f = fopen(list, "w");
	assert_non_null(f);
	fprintf(f, "# group path needs\nextra %s \n", module);
	fclose(f);
}

static void test_join_bounded(void **state)
{
	(void)state;
	char list[96], fifo[96];
	assert_non_null(mkdtemp(dir));
	snprintf(list, sizeof(list), "%s/modules", dir);
	snprintf(fifo, sizeof(fifo), "%s/stuck.ko", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	write_list(list, fifo);
	struct module_needs needs;
	memset(&needs, 0, sizeof(needs));
	struct modules_result net, rest;
	assert_int_equal(modules_async_start(list, &needs, &net), 0);
	uint64_t t0 = clock_ms();
	assert_int_equal(modules_async_join(&rest, deadline_in(300)), -ETIMEDOUT);
	uint64_t took = clock_ms() - t0;
	assert_true(took >= 300 && took < 300 + SLACK_MS);
	assert_int_equal(rest.loaded + rest.failed, 0);
	/* Let the thread go (its open returns, finit_module refuses a FIFO), then clean up. */
	int w = open(fifo, O_WRONLY | O_NONBLOCK);
	if (w >= 0)
		close(w);
	sleep_ms(500); /* the detached thread ends before the next test reuses the module job */
	unlink(fifo);
}

/* A list that finishes: the counts come back as before. */
static void test_join_finished(void **state)
{
	(void)state;
	char list[96], missing[96];
	snprintf(list, sizeof(list), "%s/modules", dir);
	snprintf(missing, sizeof(missing), "%s/missing.ko", dir);
	write_list(list, missing);
	struct module_needs needs;
	memset(&needs, 0, sizeof(needs));
	struct modules_result net, rest;
	assert_int_equal(modules_async_start(list, &needs, &net), 0);
	assert_int_equal(modules_async_join(&rest, deadline_in(5000)), 0);
	assert_int_equal(rest.failed, 1);
	assert_int_equal(rest.loaded, 0);
	unlink(list);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_join_bounded),
		cmocka_unit_test(test_join_finished),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
