/* The host list syntax (netboot/ghostwatch/util/hostlist.c): what each form expands to, each
 * rejection with the offset it names, the bounds, and folding back (compress then expand
 * gives the same set); and the node filter of `ghostwatch status NODES`. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../netboot/ghostwatch/state/cluster_list.h"
#include "../../netboot/ghostwatch/util/hostlist.h"
#include "../../netboot/ghostwatch/state/node_filter.h"
#include "../../netboot/ghostwatch/state/nodes.h"

/* Expands expr and compares with the space-separated names in want. */
static void expands_to(const char *expr, const char *want)
{
	struct hostlist h;
	size_t at;
	int err = hostlist_expand(expr, strlen(expr), &h, &at);
	if (err)
		fail_msg("%s: %s at %zu", expr, strerror(-err), at);
	char got[8192] = "";
	for (size_t i = 0; i < h.count; i++) {
		if (i)
			strcat(got, " ");
		strcat(got, hostlist_name(&h, i));
	}
	if (strcmp(got, want))
		fail_msg("%s: got '%s', want '%s'", expr, got, want);
	hostlist_free(&h);
}

static void refused(const char *expr, int want_err, size_t want_at)
{
	struct hostlist h;
	size_t at;
	int err = hostlist_expand(expr, strlen(expr), &h, &at);
	if (err != want_err)
		fail_msg("'%s': got %d, want %d", expr, err, want_err);
	if (err == -EINVAL && at != want_at)
		fail_msg("'%s': fault at %zu, want %zu", expr, at, want_at);
	assert_int_equal(h.count, 0);
	assert_null(h.text);
}

static void test_forms(void **state)
{
	(void)state;
	expands_to("w1", "w1");
	expands_to("w[1-3],w7", "w1 w2 w3 w7");
	expands_to("n[01-10]", "n01 n02 n03 n04 n05 n06 n07 n08 n09 n10");
	expands_to("n[08-10]", "n08 n09 n10");
	expands_to("n[001-002]", "n001 n002");
	expands_to("n[9-11]", "n9 n10 n11"); /* no padding: natural width */
	expands_to("n[0-1]", "n0 n1");
	expands_to("w[1-3,7,9-10]", "w1 w2 w3 w7 w9 w10");
	expands_to("r[1-2]n[1-3]", "r1n1 r1n2 r1n3 r2n1 r2n2 r2n3");
	expands_to("[1-2]a", "1a 2a");
	expands_to("node-[1-2].lab", "node-1.lab node-2.lab");
	expands_to("w[3]", "w3");
	expands_to("w[5-5]", "w5");
	expands_to("a,b,a", "a b a"); /* order and duplicates kept, as Slurm */
	expands_to("W[1-2]", "W1 W2");
	expands_to("x[1-2]y[01-02]z", "x1y01z x1y02z x2y01z x2y02z");
}

static void test_rejections(void **state)
{
	(void)state;
	refused("", -EINVAL, 0);
	refused(",", -EINVAL, 0);
	refused("w1,", -EINVAL, 3);
	refused(",w1", -EINVAL, 0);
	refused("w1,,w2", -EINVAL, 3);
	refused("w[1-3", -EINVAL, 5);     /* unbalanced */
	refused("w1-3]", -EINVAL, 4);
	refused("w[[1]]", -EINVAL, 2);    /* nested */
	refused("w[]", -EINVAL, 2);       /* empty group */
	refused("w[1,]", -EINVAL, 4);     /* empty range */
	refused("w[,1]", -EINVAL, 2);
	refused("w[3-1]", -EINVAL, 5);    /* reversed */
	refused("w[1-]", -EINVAL, 4);
	refused("w[-1]", -EINVAL, 2);
	refused("w[1-2-3]", -EINVAL, 5);
	refused("w[a-c]", -EINVAL, 2);
	refused("w[1 -2]", -EINVAL, 3);
	refused("w 1", -EINVAL, 1);       /* not a host name character */
	refused("w_1", -EINVAL, 1);
	refused("w1;rm", -EINVAL, 2);
	refused("w\n1", -EINVAL, 1);
	refused("w[1234567890]", -EINVAL, 11); /* a bound of 10 digits */
	refused("-w1", -EINVAL, 0);      /* names that are not host names: the item's offset */
	refused("w1,w-", -EINVAL, 3);
	refused("a..b", -EINVAL, 0);
	refused(".a", -EINVAL, 0);
	refused("a[1-2].", -EINVAL, 0);
	refused("x,w[1-2]-", -EINVAL, 2);
	char long_name[80];
	memset(long_name, 'a', 65);
	long_name[65] = '\0';
	refused(long_name, -EINVAL, 0); /* 65 characters */
	long_name[64] = '\0';
	long_name[32] = '.';
	expands_to(long_name, long_name); /* 64: the longest */
	refused("a[1-2]aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", -EINVAL, 0);
}

static void test_bounds(void **state)
{
	(void)state;
	struct hostlist h;
	size_t at;
	/* Exactly HOSTLIST_NAMES_MAX names is fine, one more is not. */
	assert_int_equal(hostlist_expand("n[1-65536]", 10, &h, &at), 0);
	assert_int_equal(h.count, HOSTLIST_NAMES_MAX);
	assert_string_equal(hostlist_name(&h, 65535), "n65536");
	hostlist_free(&h);
	refused("n[0-65536]", -E2BIG, 0);
	refused("n[1-65536],x", -E2BIG, 0);
	refused("a[1-300]b[1-300]", -E2BIG, 0);
	/* Counted before anything is made: nine groups of a billion each would be 10^81. */
	refused("a[0-999999999]b[0-999999999]c[0-999999999]d[0-999999999]", -E2BIG, 0);
	/* The input length. */
	char *big = malloc(HOSTLIST_INPUT_MAX + 2);
	memset(big, 'a', HOSTLIST_INPUT_MAX + 1);
	for (size_t i = 1; i < HOSTLIST_INPUT_MAX + 1; i += 2)
		big[i] = ',';
	big[HOSTLIST_INPUT_MAX + 1] = '\0';
	refused(big, -E2BIG, 0);
	big[HOSTLIST_INPUT_MAX - 1] = '\0'; /* 4095 bytes: "a,a,...,a" */
	assert_int_equal(hostlist_expand(big, strlen(big), &h, &at), 0);
	assert_int_equal(h.count, HOSTLIST_INPUT_MAX / 2);
	hostlist_free(&h);
	free(big);
	/* Not NUL-terminated: only len bytes are read. */
	assert_int_equal(hostlist_expand("w[1-2]garbage[", 6, &h, &at), 0);
	assert_int_equal(h.count, 2);
	hostlist_free(&h);
}

static void test_contains(void **state)
{
	(void)state;
	struct hostlist h;
	size_t at;
	assert_int_equal(hostlist_expand("w[1-3],n[01-02],x", 17, &h, &at), 0);
	assert_true(hostlist_contains(&h, "w2"));
	assert_true(hostlist_contains(&h, "n01"));
	assert_true(hostlist_contains(&h, "x"));
	assert_false(hostlist_contains(&h, "n1"));
	assert_false(hostlist_contains(&h, "w4"));
	assert_false(hostlist_contains(&h, ""));
	hostlist_free(&h);
}

static void folds_to(const char *names, const char *want)
{
	char buf[4096], *words[256], *save;
	size_t n = 0, bad;
	snprintf(buf, sizeof(buf), "%s", names);
	for (char *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
		words[n++] = w;
	char *out;
	assert_int_equal(hostlist_compress((const char *const *)words, n, &out, &bad), 0);
	if (strcmp(out, want))
		fail_msg("%s: got '%s', want '%s'", names, out, want);
	/* And back: the same set. */
	struct hostlist h;
	size_t at;
	if (n) {
		assert_int_equal(hostlist_expand(out, strlen(out), &h, &at), 0);
		for (size_t i = 0; i < n; i++)
			assert_true(hostlist_contains(&h, words[i]));
		for (size_t i = 0; i < h.count; i++) {
			int found = 0;
			for (size_t j = 0; j < n; j++)
				found |= !strcmp(words[j], hostlist_name(&h, i));
			assert_true(found);
		}
		hostlist_free(&h);
	}
	free(out);
}

static void test_compress(void **state)
{
	(void)state;
	folds_to("w1 w2 w3 w7", "w[1-3,7]");
	folds_to("w7 w3 w1 w2 w2", "w[1-3,7]");
	folds_to("n01 n02 n03 n04 n05 n06 n07 n08 n09 n10", "n[01-10]");
	folds_to("n9 n10 n11", "n[9-11]");
	folds_to("n09 n10 n9", "n9,n[09-10]");
	folds_to("w1", "w1");
	folds_to("master w2 w1", "master,w[1-2]");
	folds_to("r1n1 r1n2 r2n1", "r1n[1-2],r2n1");
	folds_to("node-1.lab node-2.lab node-4.lab", "node-[1-2,4].lab");
	folds_to("a b a", "a,b");
	folds_to("w0 w00 w000", "w0,w00,w000");
	folds_to("1 2 3", "[1-3]");
	folds_to("", "");
	const char *bad_names[] = { "w1", "w 2" };
	char *out;
	size_t bad;
	assert_int_equal(hostlist_compress(bad_names, 2, &out, &bad), -EINVAL);
	assert_int_equal(bad, 1);
	assert_null(out);
}

/* status NODES: a node is named by the cluster list, else by the host name it reported. */
static void test_node_filter(void **state)
{
	(void)state;
	struct nodes *t = nodes_new(16);
	const char *reported[] = { "w1", "w2", "x", "", "w9" };
	for (uint8_t i = 0; i < 5; i++) {
		uint8_t mac[REPORT_NODE_LEN] = { 2, 0x67, 0, 0, 0, i };
		struct node *n = nodes_get(t, mac);
		strcpy(n->inv.hostname, reported[i]);
	}
	/* The cluster file calls node 3 (no host name reported) "n5", node 4 "w4" (it says w9). */
	const char list[] = "n5 02:67:00:00:00:03 -\nw4 02:67:00:00:00:04 -\n";
	struct cluster_node cn[4];
	unsigned line;
	int count = cluster_parse(list, sizeof(list) - 1, cn, 4, &line);
	assert_int_equal(count, 2);
	struct cluster_list l = { cn, (size_t)count };
	struct hostlist h;
	size_t at;
	assert_int_equal(hostlist_expand("w[1-4],n5", 9, &h, &at), 0);
	struct nodes *some = node_filter_apply(t, &l, &h);
	assert_non_null(some);
	assert_int_equal(nodes_count(some), 4); /* w1 w2 n5 w4; not x */
	assert_int_equal(nodes_at(some, 0)->mac[5], 0);
	assert_int_equal(nodes_at(some, 1)->mac[5], 1);
	assert_int_equal(nodes_at(some, 2)->mac[5], 3);
	assert_int_equal(nodes_at(some, 3)->mac[5], 4);
	assert_string_equal(node_filter_name(nodes_at(some, 3), &l), "w4");
	nodes_free(some);
	/* Without the cluster list: reported names only (n5 and w4 unknown, w9 not asked for). */
	some = node_filter_apply(t, NULL, &h);
	assert_int_equal(nodes_count(some), 2);
	nodes_free(some);
	hostlist_free(&h);
	nodes_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_contains),
		cmocka_unit_test(test_compress),
		cmocka_unit_test(test_node_filter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
