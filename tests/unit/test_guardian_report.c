/* The guardian's report text and rate limit (agent/guardian/guardian_report.c): the count of restores
 * grows with each, the first goes out at once, the next only GUARDIAN_REPORT_MIN_MS later,
 * and what was held back is sent then with the count that includes it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "guardian/guardian_report.h"

static void test_text_counts(void **state)
{
	(void)state;
	struct guardian_report g;
	guardian_report_init(&g, -1);
	guardian_report_note(&g, "eth0", " link address", "notified", 79);
	assert_string_equal(g.text, "1 restored: eth0 lost link address (notified) 79 ms");
	guardian_report_note(&g, "enp0s31f6", " link address route", "polled", 123456);
	assert_string_equal(g.text, "2 restored: enp0s31f6 lost link address route (polled) 123456 ms");
	assert_true(strlen(g.text) <= REPORT_TEXT_MAX);
}

static void test_rate_limit(void **state)
{
	(void)state;
	struct guardian_report g;
	guardian_report_init(&g, -1);
	assert_false(guardian_report_due(&g, 5000)); /* nothing noted */
	guardian_report_note(&g, "eth0", " address", "notified", 1);
	assert_true(guardian_report_due(&g, 5000)); /* the first at once */
	g.pending = false, g.last_sent = 5000;       /* as a flush leaves it */
	guardian_report_note(&g, "eth0", " address", "notified", 1);
	guardian_report_note(&g, "eth0", " link", "notified", 1);
	assert_false(guardian_report_due(&g, 5000 + GUARDIAN_REPORT_MIN_MS - 1));
	assert_true(guardian_report_due(&g, 5000 + GUARDIAN_REPORT_MIN_MS));
	assert_int_equal(g.text[0], '3'); /* the held-back ones are in the count */
	/* Without a /run to report through, a flush is a no-op that keeps it pending. */
	guardian_report_flush(&g, 5000 + GUARDIAN_REPORT_MIN_MS);
	assert_true(g.pending);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_counts),
		cmocka_unit_test(test_rate_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
