/* The head of an HTTP/1.x request, as ghostwatch's small web server (http_server.c) takes it:
 * GET or HEAD of a path, nothing else. Pure (no I/O): unit-tested and fuzzed
 * (fuzz_http_request), since anyone who reaches the port writes these bytes. */
#ifndef GW_HTTP_REQUEST_H
#define GW_HTTP_REQUEST_H

#include <stddef.h>

#define HTTP_REQUEST_MAX 2048 /* bytes of a request head: a scraper's or a browser's fits */
#define HTTP_PATH_MAX 255

enum http_method { HTTP_GET, HTTP_HEAD };

struct http_request {
	enum http_method method;
	char path[HTTP_PATH_MAX + 1]; /* the target without its query ("/metrics?x" -> "/metrics") */
};

/* Parses the first len bytes received on a connection. 0: a complete head, *out filled;
 * -EAGAIN: not complete yet (read more); else the request is refused: -EMSGSIZE no end of
 * the head within HTTP_REQUEST_MAX bytes, -ENOTSUP a method other than GET and HEAD,
 * -ENAMETOOLONG a target past HTTP_PATH_MAX, -EPROTONOSUPPORT not HTTP/1.0 or 1.1, -EINVAL
 * anything else malformed (a control byte, a header line without a name). */
int http_request_parse(const char *buf, size_t len, struct http_request *out);
/* The status line's code for a parse error (400 for any it does not know). */
int http_request_status(int err);

#endif
