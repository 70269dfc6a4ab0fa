/* serve's web port, the pure parts: the request-head parser (each refusal and the status it
 * answers, partial heads, the bounds), the HTML escaping of the status page (a hostile error
 * text stays text), and the per-node series (labels escaped, absent nodes, the cap counted). */
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
#include "../../netboot/ghostwatch/web/http_request.h"
#include "../../netboot/ghostwatch/web/node_metrics.h"
#include "../../netboot/ghostwatch/state/nodes.h"
#include "../../netboot/ghostwatch/web/page.h"

static int parse(const char *text, struct http_request *r)
{
	return http_request_parse(text, strlen(text), r);
}

static void test_request_ok(void **state)
{
	(void)state;
	struct http_request r;
	assert_int_equal(parse("GET /metrics HTTP/1.1\r\nHost: m:9468\r\nAccept: */*\r\n\r\n", &r), 0);
	assert_int_equal(r.method, HTTP_GET);
	assert_string_equal(r.path, "/metrics");
	assert_int_equal(parse("HEAD /?x=1&y HTTP/1.0\r\n\r\n", &r), 0);
	assert_int_equal(r.method, HTTP_HEAD);
	assert_string_equal(r.path, "/");
	/* Bare LF line ends (RFC 9112 2.2), and a header value with a tab. */
	assert_int_equal(parse("GET /timeline.svg HTTP/1.1\nUser-Agent:\tx y\n\n", &r), 0);
	assert_string_equal(r.path, "/timeline.svg");
	/* What follows the head (a pipelined request, a body) is not read. */
	assert_int_equal(parse("GET / HTTP/1.1\r\n\r\nGARBAGE\x01", &r), 0);
}

static void test_request_partial(void **state)
{
	(void)state;
	const char *full = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n";
	struct http_request r;
	for (size_t n = 0; n < strlen(full); n++)
		assert_int_equal(http_request_parse(full, n, &r), -EAGAIN);
	assert_int_equal(http_request_parse(full, strlen(full), &r), 0);
}

static void test_request_refused(void **state)
{
	(void)state;
	struct http_request r;
	static const struct { const char *text; int err, status; } cases[] = {
		{ "POST /metrics HTTP/1.1\r\n\r\n", -ENOTSUP, 405 },
		{ "DELETE / HTTP/1.1\r\n\r\n", -ENOTSUP, 405 },
		{ "get / HTTP/1.1\r\n\r\n", -ENOTSUP, 405 },
		{ "GET / HTTP/2.0\r\n\r\n", -EPROTONOSUPPORT, 505 },
		{ "GET / HTTP/1.2\r\n\r\n", -EPROTONOSUPPORT, 505 },
		{ "GET / FTP/1.1\r\n\r\n", -EINVAL, 400 },
		{ "GET metrics HTTP/1.1\r\n\r\n", -EINVAL, 400 },
		{ "GET http://x/ HTTP/1.1\r\n\r\n", -EINVAL, 400 },
		{ "GET  / HTTP/1.1\r\n\r\n", -EINVAL, 400 },
		{ "GET /\x01 HTTP/1.1\r\n\r\n", -EINVAL, 400 },
		{ "GET / HTTP/1.1\r\nno colon\r\n\r\n", -EINVAL, 400 },
		{ "GET / HTTP/1.1\r\n: empty name\r\n\r\n", -EINVAL, 400 },
		{ "GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", -EINVAL, 400 },
		{ "GET / HTTP/1.1\r\nX: a\x01z\r\n\r\n", -EINVAL, 400 },
		{ "\r\n\r\n", -EINVAL, 400 },
		{ "GET /\r\n\r\n", -EINVAL, 400 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int err = parse(cases[i].text, &r);
		if (err != cases[i].err)
			fail_msg("case %zu: %d, want %d", i, err, cases[i].err);
		assert_int_equal(http_request_status(err), cases[i].status);
	}
}

static void test_request_bounds(void **state)
{
	(void)state;
	struct http_request r;
	char buf[HTTP_REQUEST_MAX + 64];
	/* The longest path taken, and one byte more. */
	int n = snprintf(buf, sizeof(buf), "GET /%0*d HTTP/1.1\r\n\r\n", HTTP_PATH_MAX - 1, 0);
	assert_int_equal(http_request_parse(buf, (size_t)n, &r), 0);
	assert_int_equal(strlen(r.path), HTTP_PATH_MAX);
	n = snprintf(buf, sizeof(buf), "GET /%0*d HTTP/1.1\r\n\r\n", HTTP_PATH_MAX, 0);
	assert_int_equal(http_request_parse(buf, (size_t)n, &r), -ENAMETOOLONG);
	assert_int_equal(http_request_status(-ENAMETOOLONG), 414);
	/* A head that has not ended within HTTP_REQUEST_MAX bytes: refused, not waited for. */
	memset(buf, 'a', sizeof(buf));
	memcpy(buf, "GET / HTTP/1.1\r\nX: ", 19);
	assert_int_equal(http_request_parse(buf, HTTP_REQUEST_MAX - 1, &r), -EAGAIN);
	assert_int_equal(http_request_parse(buf, HTTP_REQUEST_MAX, &r), -EMSGSIZE);
	assert_int_equal(http_request_parse(buf, sizeof(buf), &r), -EMSGSIZE);
	assert_int_equal(http_request_status(-EMSGSIZE), 431);
}

static char *capture(void (*print)(FILE *, void *), void *arg)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	print(f, arg);
	fclose(f);
	return text;
}

static void escape_one(FILE *f, void *arg) { page_escape(f, arg); }

static void test_page_escape(void **state)
{
	(void)state;
	char *s = capture(escape_one, "<script>alert('x')</script> & \"q\"\x01\n");
	assert_string_equal(s, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
	free(s);
}

static struct nodes *sample(void)
{
	struct nodes *t = nodes_new(16);
	for (int i = 1; i <= 3; i++) {
		uint8_t mac[REPORT_NODE_LEN] = { 2, 0x67, 0, 0, 0, (uint8_t)i };
		struct report_msg m = { .stage = REPORT_STAGE_SWITCH_ROOT, .time_ms = 4000u + (unsigned)i,
					.boot_id = 1, .seq = 1 };
		memcpy(m.node, mac, sizeof(mac));
		if (i == 3) {
			m.stage = REPORT_STAGE_FATAL;
			m.error = EIO;
			snprintf(m.text, sizeof(m.text), "<img src=x onerror=alert(1)>");
		}
		nodes_apply(nodes_get(t, mac), &m, 1000000, 0);
	}
	return t;
}

struct metrics_args {
	struct nodes *t;
	const struct cluster_list *l;
	uint32_t cap;
};

static void metrics_one(FILE *f, void *arg)
{
	struct metrics_args *a = arg;
	struct nodes_limits lim = { 120 };
	assert_int_equal(node_metrics_print(f, a->t, a->l, 1001000, &lim, a->cap), 0);
}

static void test_node_metrics(void **state)
{
	(void)state;
	struct nodes *t = sample();
	struct cluster_node listed[] = {
		{ { 2, 0x67, 0, 0, 0, 1 }, 0, "w1" },
		{ { 2, 0x67, 0, 0, 0, 9 }, 0, "w9" }, /* never heard from */
	};
	struct cluster_list l = { listed, 2 };
	struct metrics_args a = { t, &l, 100 };
	char *s = capture(metrics_one, &a);
	assert_non_null(strstr(s, "ghostwatch_node_state{node=\"w1\",mac=\"02:67:00:00:00:01\",state=\"up\"} 1\n"));
	assert_non_null(strstr(s, "ghostwatch_node_state{node=\"w1\",mac=\"02:67:00:00:00:01\",state=\"failed\"} 0\n"));
	/* No host name reported, no list entry: the MAC names it. */
	assert_non_null(strstr(s, "ghostwatch_node_state{node=\"02:67:00:00:00:03\",mac=\"02:67:00:00:00:03\",state=\"failed\"} 1\n"));
	assert_non_null(strstr(s, "ghostwatch_node_state{node=\"w9\",mac=\"02:67:00:00:00:09\",state=\"absent\"} 1\n"));
	assert_non_null(strstr(s, "ghostwatch_node_boot_seconds{node=\"w1\",mac=\"02:67:00:00:00:01\"} 4.001\n"));
	assert_null(strstr(s, "ghostwatch_node_boot_seconds{node=\"w9\""));
	assert_non_null(strstr(s, "ghostwatch_node_last_report_age_seconds{node=\"w1\",mac=\"02:67:00:00:00:01\"} 1.000\n"));
	assert_non_null(strstr(s, "ghostwatch_nodes_exported 4\n"));
	assert_non_null(strstr(s, "ghostwatch_nodes_omitted 0\n"));
	free(s);
	/* The cap: two nodes exported, two counted out. */
	a.cap = 2;
	s = capture(metrics_one, &a);
	assert_non_null(strstr(s, "ghostwatch_nodes_exported 2\n"));
	assert_non_null(strstr(s, "ghostwatch_nodes_omitted 2\n"));
	assert_null(strstr(s, "mac=\"02:67:00:00:00:03\""));
	free(s);
	nodes_free(t);
}

static void label_one(FILE *f, void *arg) { node_metrics_label(f, arg); }

static void test_label_escape(void **state)
{
	(void)state;
	char *s = capture(label_one, "a\"b\\c\nd");
	assert_string_equal(s, "a\\\"b\\\\c\\nd");
	free(s);
}

static void page_one(FILE *f, void *arg)
{
	struct nodes_limits lim = { 120 };
	page_print(f, arg, NULL, 1001000, &lim, 0);
}

static void test_page(void **state)
{
	(void)state;
	struct nodes *t = sample();
	char *s = capture(page_one, t);
	assert_non_null(strstr(s, "<p id=\"summary\">0 booting, 2 up, 0 shutting-down, 0 down, 1 failed"));
	assert_non_null(strstr(s, "&lt;img src=x onerror=alert(1)&gt;"));
	assert_null(strstr(s, "<img src=x"));
	assert_null(strstr(s, "<script"));
	free(s);
	nodes_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_ok),
		cmocka_unit_test(test_request_partial),
		cmocka_unit_test(test_request_refused),
		cmocka_unit_test(test_request_bounds),
		cmocka_unit_test(test_page_escape),
		cmocka_unit_test(test_node_metrics),
		cmocka_unit_test(test_label_escape),
		cmocka_unit_test(test_page),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
