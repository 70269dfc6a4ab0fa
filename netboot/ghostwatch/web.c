/* The routes of serve's web port. */
#include "web.h"

#include <string.h>
#include <time.h>

#include "node_metrics.h"
#include "page.h"
#include "timeline.h"

static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void http_counters(FILE *out, const struct http_counters *c)
{
	fprintf(out, "# HELP ghostwatch_http_requests_total Requests answered on the web port, any status.\n"
		     "# TYPE ghostwatch_http_requests_total counter\nghostwatch_http_requests_total %llu\n"
		     "# HELP ghostwatch_http_refused_total Connections closed at accept: every slot busy.\n"
		     "# TYPE ghostwatch_http_refused_total counter\nghostwatch_http_refused_total %llu\n"
		     "# HELP ghostwatch_http_timed_out_total Connections closed at their deadline.\n"
		     "# TYPE ghostwatch_http_timed_out_total counter\nghostwatch_http_timed_out_total %llu\n"
		     "# HELP ghostwatch_http_bad_requests_total Requests refused: malformed, too large, not GET or HEAD.\n"
		     "# TYPE ghostwatch_http_bad_requests_total counter\nghostwatch_http_bad_requests_total %llu\n",
		(unsigned long long)c->requests, (unsigned long long)c->refused,
		(unsigned long long)c->timed_out, (unsigned long long)c->bad);
}

int web_handle(void *ctx, const struct http_request *r, FILE *body, const char **type)
{
	struct web *w = ctx;
	int64_t now = wall_ms();
	if (!strcmp(r->path, "/metrics")) {
		*type = "text/plain; version=0.0.4; charset=utf-8";
		metrics_print(body, w->nodes, w->mc, now, w->lim);
		if (w->server)
			http_counters(body, http_server_counters(w->server));
		return node_metrics_print(body, w->nodes, w->cluster, now, w->lim, w->max_nodes) ? 500 : 200;
	}
	if (!strcmp(r->path, "/")) {
		*type = "text/html; charset=utf-8";
		page_print(body, w->nodes, w->cluster, now, w->lim, w->insecure);
		return 200;
	}
	if (!strcmp(r->path, "/timeline.svg")) {
		*type = "image/svg+xml";
		timeline_print(body, w->nodes);
		return 200;
	}
	fputs("Not Found: /metrics, / (the status page), /timeline.svg\n", body);
	return 404;
}
