/* The report state line (agent/report/report_state.c): what the boot writes, the heartbeat
 * daemon, the guardian and the shutdown program read back, and every malformed line refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "report/report_state.h"

static const char line_ok[] = "ghostboot-report 1 525400123456 10.0.2.2 7468 00c0ffee00c0ffee 17 5 321\n";

static int parse(const char *text, struct report_state *st) { return report_state_parse(text, strlen(text), st); }

static void test_round_trip(void **state)
{
	(void)state;
	struct report_state st = { .node = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 }, .master_port = 7468,
				   .boot_id = 0x00c0ffee00c0ffeeull, .last_seq = 17, .heartbeat_s = 5,
				   .daemon_pid = 321, .version = 1 };
	st.master_ip = inet_addr("10.0.2.2");
	char buf[REPORT_STATE_LINE_MAX];
	int n = report_state_format(&st, buf, sizeof(buf));
	assert_int_equal(n, (int)strlen(line_ok));
	assert_string_equal(buf, line_ok);
	struct report_state back;
	assert_int_equal(report_state_parse(buf, (size_t)n, &back), 0);
	assert_memory_equal(&back, &st, sizeof(st));
	assert_int_equal(report_state_format(&st, buf, 10), -ENOSPC);
}

static void test_limits(void **state)
{
	(void)state;
	struct report_state st;
	/* The largest values fit the line; no daemon is pid 0; no newline is fine. */
	assert_int_equal(parse("ghostboot-report 1 ffffffffffff 255.255.255.255 65535 ffffffffffffffff 4294967295 65535 2147483647", &st), 0);
	assert_int_equal(st.master_port, 65535);
	assert_int_equal(st.last_seq, 4294967295u);
	assert_int_equal(st.daemon_pid, 2147483647);
	assert_int_equal(parse("ghostboot-report 1 525400123456 10.0.2.2 7468 1 0 0 0", &st), 0);
	assert_int_equal(st.boot_id, 1);
	/* Not NUL-terminated: only len bytes count. */
	assert_int_equal(report_state_parse(line_ok, strlen(line_ok) - 2, &st), 0);
	assert_int_equal(st.daemon_pid, 32); /* "...5 32" */
}

static void test_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"\n",
		"XXXX",
		"ghostboot-report 2 525400123456 10.0.2.2 7468 00c0ffee00c0ffee 17 5 321",  /* v2, no nonce */
		"ghostboot-report 3 525400123456 10.0.2.2 7468 00c0ffee00c0ffee 17 5 321 000102030405060708090a0b0c0d0e0f",
		"ghostboot-report 1 525400123456 10.0.2.2 7468 00c0ffee00c0ffee 17 5 321 000102030405060708090a0b0c0d0e0f",
		"ghostboot-report 2 525400123456 10.0.2.2 7468 00c0ffee00c0ffee 17 5 321 000102030405060708090a0b0c0d0e",
		"ghostboot-report 2 525400123456 10.0.2.2 7468 00c0ffee00c0ffee 17 5 321 000102030405060708090a0b0c0d0e0f0",
		"ghostboot-report 2 525400123456 10.0.2.2 7468 00c0ffee00c0ffee 17 5 321 000102030405060708090a0b0c0d0e0g",
		"ghostboot-report 2 525400123456 10.0.2.2 7468 00c0ffee00c0ffee 17 5 321 000102030405060708090a0b0c0d0e0f x",
		"ghostboot-report 1 52540012345 10.0.2.2 7468 00c0ffee00c0ffee 17 5 321",   /* short node */
		"ghostboot-report 1 52540012345g 10.0.2.2 7468 00c0ffee00c0ffee 17 5 321",  /* node hex */
		"ghostboot-report 1 525400123456 10.0.2 7468 00c0ffee00c0ffee 17 5 321",    /* address */
		"ghostboot-report 1 525400123456 10.0.2.2 0 00c0ffee00c0ffee 17 5 321",     /* port 0 */
		"ghostboot-report 1 525400123456 10.0.2.2 65536 00c0ffee00c0ffee 17 5 321", /* port */
		"ghostboot-report 1 525400123456 10.0.2.2 7468 0 17 5 321",                  /* boot 0 */
		"ghostboot-report 1 525400123456 10.0.2.2 7468 1ffffffffffffffff 17 5 321",  /* boot */
		"ghostboot-report 1 525400123456 10.0.2.2 7468 00c0ffee00c0ffee -1 5 321",  /* sign */
		"ghostboot-report 1 525400123456 10.0.2.2 7468 00c0ffee00c0ffee 4294967296 5 321",
		"ghostboot-report 1 525400123456 10.0.2.2 7468 00c0ffee00c0ffee 17 65536 321",
		"ghostboot-report 1 525400123456 10.0.2.2 7468 00c0ffee00c0ffee 17 5 -3",
		"ghostboot-report 1 525400123456 10.0.2.2 7468 00c0ffee00c0ffee 17 5 2147483648",
		"ghostboot-report 1 525400123456 10.0.2.2 7468 00c0ffee00c0ffee 17 5",      /* 8 fields */
		"ghostboot-report 1 525400123456 10.0.2.2 7468 00c0ffee00c0ffee 17 5 321 9", /* 10 */
		"ghostboot-report 1 525400123456 10.0.2.2 7468 00c0ffee00c0ffee 17 5 321\n\n",
	};
	struct report_state st;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse(bad[i], &st) != -EINVAL)
			fail_msg("accepted: '%s'", bad[i]);
	/* A NUL inside the length, and a line longer than any the boot writes. */
	assert_int_equal(report_state_parse("ghostboot-report\0 1", 19, &st), -EINVAL);
	char big[REPORT_STATE_LINE_MAX + 10];
	memset(big, '1', sizeof(big));
	assert_int_equal(report_state_parse(big, sizeof(big), &st), -EINVAL);
}

/* v2: the nonce the master gave this boot travels with the sequence to the next holder. */
static void test_v2_nonce(void **state)
{
	(void)state;
	static const char line2[] = "ghostboot-report 2 525400123456 10.0.2.2 7468 00c0ffee00c0ffee 17 5 0 "
				    "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf\n";
	struct report_state st = { .node = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 }, .master_port = 7468,
				   .boot_id = 0x00c0ffee00c0ffeeull, .last_seq = 17, .heartbeat_s = 5,
				   .version = 2 }, back;
	for (int i = 0; i < REPORT_NONCE_LEN; i++)
		st.nonce[i] = (uint8_t)(0xa0 + i);
	st.master_ip = inet_addr("10.0.2.2");
	char buf[REPORT_STATE_LINE_MAX];
	int n = report_state_format(&st, buf, sizeof(buf));
	assert_string_equal(buf, line2);
	assert_int_equal(report_state_parse(buf, (size_t)n, &back), 0);
	assert_memory_equal(&back, &st, sizeof(st));
	/* Before any ack: zeros, still a v2 line. Unset version formats as v2. */
	memset(st.nonce, 0, sizeof(st.nonce));
	st.version = 0;
	n = report_state_format(&st, buf, sizeof(buf));
	assert_non_null(strstr(buf, "ghostboot-report 2 "));
	assert_non_null(strstr(buf, " 00000000000000000000000000000000\n"));
	assert_int_equal(report_state_parse(buf, (size_t)n, &back), 0);
	assert_int_equal(back.version, 2);
	/* The largest v2 line fits. */
	assert_int_equal(parse("ghostboot-report 2 ffffffffffff 255.255.255.255 65535 ffffffffffffffff 4294967295 "
			       "65535 2147483647 ffffffffffffffffffffffffffffffff", &back), 0);
	/* A v1 line reads as v1 without a nonce. */
	assert_int_equal(parse(line_ok, &back), 0);
	assert_int_equal(back.version, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_v2_nonce),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
