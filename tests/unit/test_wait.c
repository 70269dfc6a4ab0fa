/* ghostwatch wait's one look (netboot/ghostwatch/view/wait.c): every named node in the state, a
 * failed one, laggards and absent names. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "../../netboot/ghostwatch/util/hostlist.h"
#include "../../netboot/ghostwatch/state/nodes.h"
#include "../../netboot/ghostwatch/view/wait.h"

static const struct nodes_limits lim = { .lost_after_s = 120 };
static const int64_t now = 1000000;

static void add(struct nodes *t, uint8_t i, const char *name, uint8_t stage, const char *error)
{
	uint8_t mac[REPORT_NODE_LEN] = { 2, 0x67, 0, 0, 0, i };
	struct node *n = nodes_get(t, mac);
	snprintf(n->inv.hostname, sizeof(n->inv.hostname), "%s", name);
	n->last_stage = stage;
	n->last_seen = now - 1000;
	snprintf(n->error_text, sizeof(n->error_text), "%s", error ? error : "");
}

static int look(struct nodes *t, const char *expr, enum node_state want, struct wait_progress *p)
{
	struct hostlist h;
	size_t at;
	assert_int_equal(hostlist_expand(expr, strlen(expr), &h, &at), 0);
	int r = wait_check(t, NULL, &h, want, now, &lim, p);
	hostlist_free(&h);
	return r;
}

static void test_wait_outcomes(void **state)
{
	(void)state;
	struct nodes *t = nodes_new(16);
	add(t, 1, "w1", REPORT_STAGE_SWITCH_ROOT, NULL);
	add(t, 2, "w2", REPORT_STAGE_HEARTBEAT, NULL);
	add(t, 3, "w3", REPORT_STAGE_LEASE, NULL);
	add(t, 4, "w4", REPORT_STAGE_FATAL, "root: no answer from the server in 10 s");
	add(t, 5, "w5", REPORT_STAGE_RESET, NULL);
	struct wait_progress p;

	assert_int_equal(look(t, "w[1-2],w1", NODE_UP, &p), WAIT_DONE);
	assert_int_equal(p.total, 2); /* w1 given twice, waited for once */
	assert_int_equal(look(t, "w[1-3],w7", NODE_UP, &p), WAIT_PENDING);
	assert_int_equal(p.reached, 2);
	assert_string_equal(p.laggards, "w3 (booting), w7 (absent)");
	assert_int_equal(look(t, "w[1-4]", NODE_UP, &p), WAIT_FAILED);
	assert_string_equal(p.failed, "w4: root: no answer from the server in 10 s");
	assert_int_equal(look(t, "w5", NODE_DOWN, &p), WAIT_DONE);
	assert_int_equal(look(t, "w[1,5]", NODE_DOWN, &p), WAIT_PENDING);
	assert_string_equal(p.laggards, "w1 (up)");
	nodes_free(t);
}

static void test_many_laggards_cut(void **state)
{
	(void)state;
	struct nodes *t = nodes_new(4);
	struct wait_progress p;
	assert_int_equal(look(t, "node[0001-2000]", NODE_UP, &p), WAIT_PENDING);
	assert_int_equal(p.laggard_count, 2000);
	assert_int_equal(p.total, 2000);
	assert_true(strlen(p.laggards) < WAIT_TEXT_MAX);
	assert_non_null(strstr(p.laggards, "node0001 (absent), node0002 (absent)"));
	assert_non_null(strstr(p.laggards, ", ..."));
	nodes_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wait_outcomes),
		cmocka_unit_test(test_many_laggards_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
