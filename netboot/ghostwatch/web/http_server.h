/* ghostwatch serve's web port (--http ADDR:PORT): /metrics for Prometheus, the status page.
 * It lives in serve's poll loop, so it is non-blocking and bounded: HTTP_SERVER_CONNS
 * connections at once (more are closed at accept), a request head of HTTP_REQUEST_MAX bytes,
 * HTTP_SERVER_DEADLINE_MS from accept to the last byte written, one request a connection,
 * GET and HEAD only. What a path answers is the caller's handler (web.c). */
#ifndef GW_HTTP_SERVER_H
#define GW_HTTP_SERVER_H

#include <poll.h>
#include <stdint.h>
#include <stdio.h>

#include "web/http_request.h"

#define HTTP_SERVER_CONNS 16
#define HTTP_SERVER_DEADLINE_MS 5000
#define HTTP_SERVER_FDS (1 + HTTP_SERVER_CONNS) /* pollfds it may ask for */

struct http_counters {
	uint64_t requests;  /* answered, any status */
	uint64_t refused;   /* connections closed at accept: every slot busy */
	uint64_t timed_out; /* closed at their deadline */
	uint64_t bad;       /* refused requests (4xx/5xx from the parser) */
};

/* The answer to r: returns the status (200, 404, 500) and points *body (*len bytes, the
 * handler's memory, valid until its next call) and *type (the Content-Type) at it. */
typedef int (*http_handler)(void *ctx, const struct http_request *r, const char **body, size_t *len,
			    const char **type);

struct http_server;

/* Listens on "IPv4:PORT". NULL with *err (-errno; -EINVAL: not IPv4:PORT). */
struct http_server *http_server_open(const char *addr_port, http_handler h, void *ctx, int *err);
void http_server_close(struct http_server *s);
/* Fills up to HTTP_SERVER_FDS pollfds; returns how many. */
int http_server_pollfds(struct http_server *s, struct pollfd *p);
/* Serves what poll found on the pollfds http_server_pollfds filled, and closes connections
 * past their deadline (now: CLOCK_MONOTONIC ms). */
void http_server_step(struct http_server *s, const struct pollfd *p, int n, uint64_t now_ms);
/* The longest poll may sleep: until the next deadline (-1: no connection open). */
int http_server_timeout_ms(const struct http_server *s, uint64_t now_ms);
const struct http_counters *http_server_counters(const struct http_server *s);

#endif
