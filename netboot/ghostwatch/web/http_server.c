/* The web port's sockets: a listening socket and a fixed table of connections, each reading
 * its request head, then writing the whole answer, then closed. Never blocks: every socket is
 * non-blocking and every connection has a deadline. */
#define _GNU_SOURCE
#include "web/http_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct conn {
	int fd; /* -1: free */
	uint64_t deadline;
	size_t in_len;
	char in[HTTP_REQUEST_MAX];
	char *out; /* the whole answer, once the head is read */
	size_t out_len, out_off;
};

struct http_server {
	int fd;
	http_handler handler;
	void *ctx;
	struct conn conns[HTTP_SERVER_CONNS];
	struct http_counters counters;
};

static int parse_addr(const char *text, struct sockaddr_in *sa)
{
	char ip[INET_ADDRSTRLEN];
	const char *colon = strrchr(text, ':');
	if (!colon || (size_t)(colon - text) >= sizeof(ip) || !colon[1])
		return -EINVAL;
	memcpy(ip, text, (size_t)(colon - text));
	ip[colon - text] = '\0';
	char *end;
	unsigned long port = strtoul(colon + 1, &end, 10);
	if (*end || port < 1 || port > 65535 || colon[1] == '-' || colon[1] == '+')
		return -EINVAL;
	*sa = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	return inet_pton(AF_INET, ip, &sa->sin_addr) == 1 ? 0 : -EINVAL;
}

struct http_server *http_server_open(const char *addr_port, http_handler h, void *ctx, int *err)
{
	struct sockaddr_in sa;
	*err = parse_addr(addr_port, &sa);
	if (*err)
		return NULL;
	struct http_server *s = calloc(1, sizeof(*s));
	if (!s) {
		*err = -ENOMEM;
		return NULL;
	}
	s->handler = h;
	s->ctx = ctx;
	for (int i = 0; i < HTTP_SERVER_CONNS; i++)
		s->conns[i].fd = -1;
	int one = 1;
	s->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	/* FREEBIND: the unit binds the cluster network's address, which may come up after
	 * ghostwatch starts at boot; the port answers once the address exists, instead of serve
	 * failing (and systemd's start limit giving up on it). */
	if (s->fd >= 0)
		(void)setsockopt(s->fd, IPPROTO_IP, IP_FREEBIND, &one, sizeof(one));
	if (s->fd < 0 || setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s->fd, 64) < 0) {
		*err = -errno;
		if (s->fd >= 0)
			close(s->fd);
		free(s);
		return NULL;
	}
	return s;
}

static void conn_close(struct conn *c)
{
	close(c->fd);
	free(c->out);
	c->fd = -1;
	c->out = NULL;
	c->in_len = c->out_len = c->out_off = 0;
}

void http_server_close(struct http_server *s)
{
	if (!s)
		return;
	for (int i = 0; i < HTTP_SERVER_CONNS; i++)
		if (s->conns[i].fd >= 0)
			conn_close(&s->conns[i]);
	close(s->fd);
	free(s);
}

static const char *reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 414: return "URI Too Long";
	case 431: return "Request Header Fields Too Large";
	case 505: return "HTTP Version Not Supported";
	case 500: return "Internal Server Error";
	default: return "Bad Request";
	}
}

/* The whole answer in c->out, made with one allocation: status line, headers, body (none for
 * HEAD, but its length). */
static void answer(struct http_server *s, struct conn *c, int parsed, const struct http_request *r)
{
	const char *body, *type = "text/plain; charset=utf-8";
	size_t body_len;
	int status;
	if (parsed) {
		status = http_request_status(parsed);
		body = reason(status);
		body_len = strlen(body);
		s->counters.bad++;
	} else {
		status = s->handler(s->ctx, r, &body, &body_len, &type);
	}
	if (status == 500)
		body_len = 0;
	char head[512];
	int n = snprintf(head, sizeof(head), "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
			 "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n%s"
			 "Connection: close\r\n\r\n", status, reason(status), type, body_len,
			 status == 405 ? "Allow: GET, HEAD\r\n" : "");
	if (n < 0 || (size_t)n >= sizeof(head))
		return; /* c->out stays NULL: closed */
	size_t send_len = !parsed && r->method == HTTP_HEAD ? 0 : body_len;
	c->out = malloc((size_t)n + send_len);
	if (!c->out)
		return;
	memcpy(c->out, head, (size_t)n);
	if (send_len)
		memcpy(c->out + n, body, send_len);
	c->out_len = (size_t)n + send_len;
	c->out_off = 0;
	s->counters.requests++;
}

static void accept_all(struct http_server *s, uint64_t now_ms)
{
	for (;;) {
		int fd = accept4(s->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return; /* EAGAIN, or a connection that went away before accept */
		struct conn *c = NULL;
		for (int i = 0; i < HTTP_SERVER_CONNS && !c; i++)
			if (s->conns[i].fd < 0)
				c = &s->conns[i];
		if (!c) {
			close(fd);
			s->counters.refused++;
			continue;
		}
		c->fd = fd;
		c->deadline = now_ms + HTTP_SERVER_DEADLINE_MS;
		c->in_len = 0;
	}
}

static void conn_write(struct conn *c);

static void conn_read(struct http_server *s, struct conn *c)
{
	ssize_t n = recv(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len, 0);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(c); /* the client went away before its request was complete */
		return;
	}
	c->in_len += (size_t)n;
	struct http_request r;
	int err = http_request_parse(c->in, c->in_len, &r);
	if (err == -EAGAIN)
		return;
	answer(s, c, err, &r);
	if (!c->out)
		conn_close(c);
	else
		conn_write(c); /* most answers fit the socket's buffer: no poll round */
}

static void conn_write(struct conn *c)
{
	ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(c);
		return;
	}
	c->out_off += (size_t)n;
	if (c->out_off == c->out_len) {
		shutdown(c->fd, SHUT_WR);
		conn_close(c);
	}
}

int http_server_pollfds(struct http_server *s, struct pollfd *p)
{
	int n = 0;
	p[n++] = (struct pollfd){ .fd = s->fd, .events = POLLIN };
	for (int i = 0; i < HTTP_SERVER_CONNS; i++)
		if (s->conns[i].fd >= 0)
			p[n++] = (struct pollfd){ .fd = s->conns[i].fd,
						  .events = s->conns[i].out ? POLLOUT : POLLIN };
	return n;
}

static struct conn *conn_of(struct http_server *s, int fd)
{
	for (int i = 0; i < HTTP_SERVER_CONNS; i++)
		if (s->conns[i].fd == fd)
			return &s->conns[i];
	return NULL;
}

void http_server_step(struct http_server *s, const struct pollfd *p, int n, uint64_t now_ms)
{
	for (int i = 1; i < n; i++) {
		struct conn *c = conn_of(s, p[i].fd);
		if (!c || !p[i].revents)
			continue;
		if (c->out)
			conn_write(c);
		else
			conn_read(s, c);
	}
	if (n > 0 && p[0].revents)
		accept_all(s, now_ms);
	for (int i = 0; i < HTTP_SERVER_CONNS; i++)
		if (s->conns[i].fd >= 0 && now_ms >= s->conns[i].deadline) {
			conn_close(&s->conns[i]);
			s->counters.timed_out++;
		}
}

int http_server_timeout_ms(const struct http_server *s, uint64_t now_ms)
{
	int64_t best = -1;
	for (int i = 0; i < HTTP_SERVER_CONNS; i++) {
		if (s->conns[i].fd < 0)
			continue;
		int64_t left = s->conns[i].deadline > now_ms ? (int64_t)(s->conns[i].deadline - now_ms) : 0;
		if (best < 0 || left < best)
			best = left;
	}
	return (int)best;
}

const struct http_counters *http_server_counters(const struct http_server *s)
{
	return &s->counters;
}
