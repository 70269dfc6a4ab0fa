/* What `ghostwatch status` and `forget` add to the node table (issue 20 item 1): removal that
 * keeps the order and the index, names (the cluster file's, else the reported one), the
 * --state filter's parser, and the request/answer files between forget and serve. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../netboot/ghostwatch/state/cluster_list.h"
#include "../../netboot/ghostwatch/serve/forget.h"
#include "../../netboot/ghostwatch/state/node_filter.h"
#include "../../netboot/ghostwatch/state/nodes.h"

static const struct nodes_limits lim = { .lost_after_s = 120 };
static const int64_t now = 1000000;

static void mac_of(unsigned i, uint8_t mac[REPORT_NODE_LEN])
{
	uint8_t m[REPORT_NODE_LEN] = { 2, 0x67, 0, 0, (uint8_t)(i >> 8), (uint8_t)i };
	memcpy(mac, m, REPORT_NODE_LEN);
}

static struct node *add(struct nodes *t, unsigned i, const char *host, uint8_t stage)
{
	uint8_t mac[REPORT_NODE_LEN];
	mac_of(i, mac);
	struct node *n = nodes_get(t, mac);
	snprintf(n->inv.hostname, sizeof(n->inv.hostname), "%s", host);
	n->last_stage = stage;
	n->last_seen = now - 1000;
	return n;
}

static void test_remove_keeps_order_and_index(void **state)
{
	(void)state;
	struct nodes *t = nodes_new(5000);
	for (unsigned i = 0; i < 3000; i++) /* past the first index size: it has grown */
		add(t, i, "", REPORT_STAGE_SWITCH_ROOT);
	uint8_t mac[REPORT_NODE_LEN];
	for (unsigned i = 0; i < 3000; i += 2) {
		mac_of(i, mac);
		assert_int_equal(nodes_remove(t, mac), 0);
	}
	assert_int_equal(nodes_remove(t, mac), -ENOENT); /* gone already */
	assert_int_equal(nodes_count(t), 1500);
	for (unsigned i = 0; i < 3000; i++) {
		mac_of(i, mac);
		struct node *n = nodes_find(t, mac);
		if (i % 2)
			assert_memory_equal(n->mac, mac, REPORT_NODE_LEN);
		else
			assert_null(n);
	}
	for (unsigned k = 0; k < 1500; k++) /* the order nodes were first seen */
		assert_int_equal(nodes_at(t, k)->mac[5], (uint8_t)(2 * k + 1));
	mac_of(0, mac);
	assert_non_null(nodes_get(t, mac)); /* a forgotten node that reports again: new, last */
	assert_int_equal(nodes_count(t), 1501);
	nodes_free(t);
}

static void test_names(void **state)
{
	(void)state;
	struct nodes *t = nodes_new(8);
	add(t, 1, "reported1", REPORT_STAGE_SWITCH_ROOT);
	add(t, 2, "reported2", REPORT_STAGE_SWITCH_ROOT);
	add(t, 3, "", REPORT_STAGE_SWITCH_ROOT);
	const char list[] = "w1 02:67:00:00:00:01 10.0.0.1\nw9 02:67:00:00:00:09 -\n";
	struct cluster_node cn[4];
	unsigned line;
	struct cluster_list l = { cn, 0 };
	int count = cluster_parse(list, sizeof(list) - 1, cn, 4, &line);
	assert_int_equal(count, 2);
	l.count = (size_t)count;
	cluster_mark(&l, t);
	assert_string_equal(nodes_name(nodes_at(t, 0)), "w1");        /* the cluster file's */
	assert_string_equal(nodes_name(nodes_at(t, 1)), "reported2"); /* else the reported one */
	assert_string_equal(nodes_name(nodes_at(t, 2)), "");
	assert_int_equal(cluster_add_absent(&l, t), 0);
	assert_string_equal(nodes_name(nodes_at(t, 3)), "w9"); /* absent: named too */
	cluster_mark(NULL, t);
	assert_string_equal(nodes_name(nodes_at(t, 0)), "reported1"); /* the list is gone */
	nodes_free(t);
}

static void test_parse_states(void **state)
{
	(void)state;
	unsigned mask;
	const char *bad;
	assert_int_equal(node_filter_parse_states("up", &mask, &bad), 0);
	assert_int_equal(mask, 1u << NODE_UP);
	assert_int_equal(node_filter_parse_states("failed,lost,shutting-down", &mask, &bad), 0);
	assert_int_equal(mask, 1u << NODE_FAILED | 1u << NODE_LOST | 1u << NODE_SHUTTING_DOWN);
	assert_int_equal(node_filter_parse_states("absent,absent", &mask, &bad), 0);
	assert_int_equal(mask, 1u << NODE_ABSENT);
	const char *text = "up,sideways";
	assert_int_equal(node_filter_parse_states(text, &mask, &bad), -EINVAL);
	assert_ptr_equal(bad, text + 3);
	assert_int_equal(node_filter_parse_states("", &mask, &bad), -EINVAL);
	assert_int_equal(node_filter_parse_states("up,", &mask, &bad), -EINVAL);
	assert_int_equal(node_filter_parse_states("upx", &mask, &bad), -EINVAL); /* no prefix match */
	assert_int_equal(node_filter_parse_states("u", &mask, &bad), -EINVAL);
}

static void test_state_filter(void **state)
{
	(void)state;
	struct nodes *t = nodes_new(8);
	add(t, 1, "a", REPORT_STAGE_SWITCH_ROOT);
	add(t, 2, "b", REPORT_STAGE_FATAL);
	add(t, 3, "c", REPORT_STAGE_SWITCH_ROOT)->last_seen = now - 200000; /* silent: lost */
	add(t, 4, "d", REPORT_STAGE_SWITCH_ROOT);
	struct nodes *some = node_filter_states(t, 1u << NODE_UP | 1u << NODE_LOST, now, &lim);
	assert_int_equal(nodes_count(some), 3);
	assert_string_equal(nodes_at(some, 0)->inv.hostname, "a");
	assert_string_equal(nodes_at(some, 1)->inv.hostname, "c");
	assert_string_equal(nodes_at(some, 2)->inv.hostname, "d");
	nodes_free(some);
	nodes_free(t);
}

static int saves;
static int save_ok(void *ctx)
{
	(void)ctx;
	saves++;
	return 0;
}

static char *slurp(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	size_t len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/* serve's side on a request written by hand: the nodes it names dropped, the state saved
 * once, the answer beside it, the request removed; lines that are not MACs ignored. */
static void test_serve_answers(void **state)
{
	(void)state;
	char dir[] = "/tmp/gb-forget.XXXXXX", path[256];
	assert_non_null(mkdtemp(dir));
	assert_int_equal(forget_prepare(dir), 0);
	assert_int_equal(forget_prepare(dir), 0); /* a restart finds it */
	struct nodes *t = nodes_new(8);
	for (unsigned i = 1; i <= 3; i++)
		add(t, i, "", REPORT_STAGE_SWITCH_ROOT);
	snprintf(path, sizeof(path), "%s/" FORGET_DIR "/req-1-0", dir);
	FILE *f = fopen(path, "w");
	fputs("02:67:00:00:00:02\nnot a mac\n02:67:00:00:00:07\n", f);
	fclose(f);
	saves = 0;
	assert_int_equal(forget_serve(dir, t, save_ok, NULL), 1);
	assert_int_equal(saves, 1);
	assert_int_equal(nodes_count(t), 2);
	assert_int_equal(access(path, F_OK), -1); /* taken */
	snprintf(path, sizeof(path), "%s/" FORGET_DIR "/ans-1-0", dir);
	assert_string_equal(slurp(path), "saved 0\n02:67:00:00:00:02 forgot\n02:67:00:00:00:07 unknown\n");
	unlink(path);
	assert_int_equal(forget_serve(dir, t, save_ok, NULL), 0); /* nothing pending */
	assert_int_equal(saves, 1);
	nodes_free(t);
	snprintf(path, sizeof(path), "%s/" FORGET_DIR, dir);
	rmdir(path);
	rmdir(dir);
}

/* The command's side against a serve in a child process: the answer read back per MAC; and
 * with no serve at all, a timeout that withdraws the request. */
static void test_request_round_trip(void **state)
{
	(void)state;
	char dir[] = "/tmp/gb-forget.XXXXXX", path[256];
	assert_non_null(mkdtemp(dir));
	uint8_t macs[2][REPORT_NODE_LEN], forgot[2] = { 9, 9 };
	int saved = 1;
	mac_of(1, macs[0]);
	mac_of(5, macs[1]);
	assert_int_equal(forget_request(dir, (const uint8_t (*)[REPORT_NODE_LEN])macs, 2, 200, forgot, &saved),
			 -ENOENT); /* no serve ever ran here */
	assert_int_equal(forget_prepare(dir), 0);
	pid_t child = fork();
	if (child == 0) {
		struct nodes *t = nodes_new(8);
		add(t, 1, "", REPORT_STAGE_SWITCH_ROOT);
		int done = 0;
		for (int i = 0; i < 100 && !done; i++, usleep(20000))
			done = forget_serve(dir, t, save_ok, NULL) > 0;
		_exit(done && nodes_count(t) == 0 ? 0 : 1);
	}
	assert_int_equal(forget_request(dir, (const uint8_t (*)[REPORT_NODE_LEN])macs, 2, 5000, forgot, &saved), 0);
	int status;
	waitpid(child, &status, 0);
	assert_int_equal(status, 0);
	assert_int_equal(forgot[0], 1);
	assert_int_equal(forgot[1], 0);
	assert_int_equal(saved, 0);
	assert_int_equal(forget_request(dir, (const uint8_t (*)[REPORT_NODE_LEN])macs, 1, 200, forgot, &saved),
			 -ETIMEDOUT);
	snprintf(path, sizeof(path), "%s/" FORGET_DIR, dir);
	assert_int_equal(rmdir(path), 0); /* empty: the request was withdrawn, the answer read */
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_remove_keeps_order_and_index),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_parse_states),
		cmocka_unit_test(test_state_filter),
		cmocka_unit_test(test_serve_answers),
		cmocka_unit_test(test_request_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
