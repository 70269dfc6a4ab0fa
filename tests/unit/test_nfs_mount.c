/* nfs_mount: errno in words, which errors stop the retries, and the jittered backoff bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <errno.h>

#include <cmocka.h>

#include "root/nfs_mount.h"

static void test_words(void **state)
{
	(void)state;
	assert_non_null(strstr(nfs_mount_strerror(-ENOENT), "export not found"));
	assert_non_null(strstr(nfs_mount_strerror(-ESTALE), "export not found"));
	assert_non_null(strstr(nfs_mount_strerror(-EACCES), "access denied by the server"));
	assert_non_null(strstr(nfs_mount_strerror(EPERM), "access denied by the server"));
	assert_string_equal(nfs_mount_strerror(-ETIMEDOUT), "server not answering");
	assert_string_equal(nfs_mount_strerror(-ECONNREFUSED), "server not answering");
	assert_string_equal(nfs_mount_strerror(-EHOSTUNREACH), "server not answering");
	assert_string_equal(nfs_mount_strerror(-ENETUNREACH), "server not answering");
	assert_non_null(strstr(nfs_mount_strerror(-EPROTONOSUPPORT), "not supported by the server"));
	assert_non_null(strstr(nfs_mount_strerror(-ENODEV), "not in this kernel"));
	assert_non_null(strstr(nfs_mount_strerror(-EINVAL), "options refused"));
	assert_string_equal(nfs_mount_strerror(-ENOMEM), strerror(ENOMEM));
}

static void test_permanent(void **state)
{
	(void)state;
	assert_true(nfs_mount_permanent(-ENODEV));
	assert_true(nfs_mount_permanent(-EINVAL));
	/* the server may come up, or get its exports, later: keep trying until the deadline */
	assert_false(nfs_mount_permanent(-ENOENT));
	assert_false(nfs_mount_permanent(-EACCES));
	assert_false(nfs_mount_permanent(-ECONNREFUSED));
	assert_false(nfs_mount_permanent(-ETIMEDOUT));
}

static void test_backoff(void **state)
{
	(void)state;
	/* upper half of 250 ms, 500 ms, ... capped at 8 s, whatever the random value */
	uint32_t randoms[] = { 0, 1, 124, 125, 126, 4000, 0x7fffffff, 0xffffffff };
	for (unsigned f = 1; f < 40; f++) {
		uint64_t full = 250;
		for (unsigned i = 1; i < f && full < 8000; i++)
			full *= 2;
		if (full > 8000)
			full = 8000;
		for (size_t r = 0; r < sizeof(randoms) / sizeof(randoms[0]); r++) {
			uint64_t d = nfs_mount_backoff_ms(f, randoms[r]);
			assert_true(d >= full / 2);
			assert_true(d <= full);
		}
	}
	assert_int_equal(nfs_mount_backoff_ms(1, 0), 125);
	assert_int_equal(nfs_mount_backoff_ms(100, 0), 4000);
	assert_true(nfs_mount_backoff_ms(3, 7) != nfs_mount_backoff_ms(3, 8)); /* jitter spreads */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_permanent),
		cmocka_unit_test(test_backoff),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
