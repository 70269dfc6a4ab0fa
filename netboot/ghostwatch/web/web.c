/* The routes of serve's web port. */
#include "web/web.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web/node_metrics.h"
#include "web/page.h"
#include "view/timeline.h"

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

/* Writes route's answer for now into out; returns its status. */
static int make(struct web *w, int route, int64_t now, FILE *out, const char **type)
{
	switch (route) {
	case 0:
		*type = "text/plain; version=0.0.4; charset=utf-8";
		metrics_print(out, w->nodes, w->mc, now, w->lim);
		if (w->server)
			http_counters(out, http_server_counters(w->server));
		return node_metrics_print(out, w->nodes, w->cluster, now, w->lim, w->max_nodes) ? 500 : 200;
	case 1:
		*type = "text/html; charset=utf-8";
		page_print(out, w->nodes, w->cluster, now, w->lim, w->insecure);
		return 200;
	default:
		*type = "image/svg+xml";
		timeline_print(out, w->nodes);
		return 200;
	}
}

static const char *const routes[WEB_ROUTES] = { "/metrics", "/", "/timeline.svg" };

int web_handle(void *ctx, const struct http_request *r, const char **body, size_t *len, const char **type)
{
	static const char not_found[] = "Not Found: /metrics, / (the status page), /timeline.svg\n";
	struct web *w = ctx;
	int route = 0;
	while (route < WEB_ROUTES && strcmp(r->path, routes[route]))
		route++;
	if (route == WEB_ROUTES) {
		*body = not_found;
		*len = sizeof(not_found) - 1;
		return 404;
	}
	struct web_answer *a = &w->answers[route];
	int64_t now = wall_ms();
	if (!a->made_ms || now - a->made_ms >= WEB_CACHE_MS || now < a->made_ms) {
		char *data = NULL;
		size_t size = 0;
		FILE *f = open_memstream(&data, &size);
		if (!f)
			return 500;
		a->status = make(w, route, now, f, &a->type);
		if (fclose(f)) {
			free(data);
			return 500;
		}
		free(a->data);
		a->data = data;
		a->len = size;
		a->made_ms = now;
	}
	*type = a->type;
	*body = a->data;
	*len = a->len;
	return a->status;
}

void web_free(struct web *w)
{
	for (int i = 0; i < WEB_ROUTES; i++) {
		free(w->answers[i].data);
		w->answers[i] = (struct web_answer){ 0 };
	}
}
