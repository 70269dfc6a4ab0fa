/* shutdown_args: the argv systemd-shutdown passes (current and older spellings), and the
 * `ghostinit shutdown VERB` form from other inits; nothing may stop the shutdown. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "shutdown/shutdown_args.h"

#define PARSE(a, ...)                                                                              \
	({                                                                                         \
		char *argv_[] = { __VA_ARGS__ };                                                   \
		shutdown_args_parse((int)(sizeof(argv_) / sizeof(argv_[0])), argv_, (a));          \
	})

/* What systemd 252 (Debian 12) execs: src/core/main.c, become_shutdown(). */
static void test_systemd_current(void **state)
{
	(void)state;
	struct shutdown_args a;
	assert_int_equal(PARSE(&a, "poweroff", "--log-level=6", "--timeout=90000000us", "--log-target=kmsg",
			       "--log-color", "--log-location", "--log-time", "--exit-code=0"),
			 0);
	assert_true(a.verb_given);
	assert_int_equal(a.verb, SHUTDOWN_POWEROFF);
	assert_int_equal(a.log_level, 6);
	assert_true(a.timeout_given);
	assert_int_equal(a.timeout_us, 90000000u);
	assert_string_equal(a.log_target, "kmsg");
	assert_true(a.exit_code_given);
	assert_int_equal(a.exit_code, 0);
}

/* Older systemd: separate words; options before the verb. */
static void test_systemd_old_spelling(void **state)
{
	(void)state;
	struct shutdown_args a;
	assert_int_equal(PARSE(&a, "--log-level", "7", "--log-target", "console", "--timeout", "5000000us", "reboot"), 0);
	assert_int_equal(a.verb, SHUTDOWN_REBOOT);
	assert_true(a.verb_given);
	assert_int_equal(a.log_level, 7);
	assert_string_equal(a.log_target, "console");
	assert_int_equal(a.timeout_us, 5000000u);
	assert_false(a.exit_code_given);

	assert_int_equal(PARSE(&a, "kexec", "--log-level=debug", "--exit-code", "3"), 0);
	assert_int_equal(a.verb, SHUTDOWN_KEXEC);
	assert_int_equal(a.log_level, 7);
	assert_int_equal(a.exit_code, 3);
	assert_int_equal(PARSE(&a, "exit", "--exit-code=255"), 0);
	assert_int_equal(a.verb, SHUTDOWN_EXIT);
	assert_int_equal(a.exit_code, 255);
}

/* `ghostinit shutdown halt` from BusyBox init / sysvinit / runit: just the verb. */
static void test_other_inits(void **state)
{
	(void)state;
	struct shutdown_args a;
	assert_int_equal(PARSE(&a, "halt"), 0);
	assert_int_equal(a.verb, SHUTDOWN_HALT);
	assert_int_equal(a.log_level, -1);
	assert_false(a.timeout_given);
	assert_string_equal(a.log_target, "");
	assert_string_equal(shutdown_verb_name(a.verb), "halt");
	assert_string_equal(shutdown_verb_name(SHUTDOWN_POWEROFF), "poweroff");
	assert_string_equal(shutdown_verb_name((enum shutdown_verb)42), "reboot");
}

static void test_missing_verb_and_garbage(void **state)
{
	(void)state;
	struct shutdown_args a;
	assert_int_equal(shutdown_args_parse(0, NULL, &a), 0);
	assert_false(a.verb_given);
	assert_int_equal(a.verb, SHUTDOWN_REBOOT);

	assert_int_equal(PARSE(&a, "--frobnicate=1", "sleep", "poweroff", "reboot", "--log-level=9"), 4);
	assert_int_equal(a.verb, SHUTDOWN_POWEROFF); /* the first verb wins */
	assert_int_equal(a.log_level, -1);
	assert_non_null(strstr(a.warning[0], "--frobnicate=1"));
	assert_non_null(strstr(a.warning[1], "\"sleep\""));
	assert_non_null(strstr(a.warning[2], "second verb \"reboot\""));
	assert_non_null(strstr(a.warning[3], "\"9\""));

	assert_int_equal(PARSE(&a, "reboot", "--timeout"), 1); /* old spelling, value missing */
	assert_false(a.timeout_given);
	assert_int_equal(PARSE(&a, "reboot", "--timeout=soon", "--exit-code=256", "--exit-code=-1",
			       "--log-target=", "-x", "x", "y"),
			 7);
	assert_int_equal(a.warning_count, SHUTDOWN_ARGS_MAX_WARNINGS);
	assert_int_equal(a.warnings_dropped, 3);
	assert_false(a.exit_code_given);
	/* A prefix of an option is not the option. */
	assert_int_equal(PARSE(&a, "reboot", "--log=6", "--timeouts=1s"), 2);
	assert_int_equal(a.log_level, -1);
}

static void test_time(void **state)
{
	(void)state;
	uint64_t us;
	assert_int_equal(shutdown_args_parse_time("90", &us), 0);
	assert_int_equal(us, 90000000u);
	assert_int_equal(shutdown_args_parse_time("1500ms", &us), 0);
	assert_int_equal(us, 1500000u);
	assert_int_equal(shutdown_args_parse_time("2min", &us), 0);
	assert_int_equal(us, 120000000u);
	assert_int_equal(shutdown_args_parse_time("15s", &us), 0);
	assert_int_equal(us, 15000000u);
	assert_int_equal(shutdown_args_parse_time("7usec", &us), 0);
	assert_int_equal(us, 7u);
	assert_int_equal(shutdown_args_parse_time("infinity", &us), 0);
	assert_true(us == UINT64_MAX);
	assert_int_equal(shutdown_args_parse_time("18446744073709551615us", &us), 0);
	assert_int_equal(shutdown_args_parse_time("18446744073709551616us", &us), -ERANGE);
	assert_int_equal(shutdown_args_parse_time("18446744073709551s", &us), -ERANGE);
	assert_int_equal(shutdown_args_parse_time("", &us), -EINVAL);
	assert_int_equal(shutdown_args_parse_time("5 s", &us), -EINVAL);
	assert_int_equal(shutdown_args_parse_time("-5s", &us), -EINVAL);
	assert_int_equal(shutdown_args_parse_time("5h", &us), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_systemd_current),
		cmocka_unit_test(test_systemd_old_spelling),
		cmocka_unit_test(test_other_inits),
		cmocka_unit_test(test_missing_verb_and_garbage),
		cmocka_unit_test(test_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
