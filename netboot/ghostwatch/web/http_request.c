/* The request-head parser: a cursor over the bytes, every line checked, nothing copied
 * before its length is known to fit. */
#include "web/http_request.h"

#include <errno.h>
#include <string.h>

/* Where the head ends (the byte after its blank line), 0 when it has not ended. A bare LF
 * ends a line too (RFC 9112 2.2 lets a server accept it). */
static size_t head_end(const char *buf, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (buf[i + 1] == '\n')
			return i + 2;
		if (buf[i + 1] == '\r' && i + 2 < len && buf[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/* The length of the line at p (up to end), without its CR LF or LF; *next after it. */
static size_t line_len(const char *p, const char *end, const char **next)
{
	const char *lf = memchr(p, '\n', (size_t)(end - p));
	if (!lf) {
		*next = end;
		return (size_t)(end - p);
	}
	*next = lf + 1;
	return (size_t)(lf - p) - (lf > p && lf[-1] == '\r');
}

static int token_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* "METHOD SP target SP HTTP/1.x" */
static int request_line(const char *p, size_t n, struct http_request *out)
{
	const char *sp1 = memchr(p, ' ', n);
	if (!sp1 || sp1 == p)
		return -EINVAL;
	for (const char *c = p; c < sp1; c++)
		if (!token_char(*c))
			return -EINVAL;
	size_t mlen = (size_t)(sp1 - p);
	const char *target = sp1 + 1, *end = p + n;
	const char *sp2 = memchr(target, ' ', (size_t)(end - target));
	if (!sp2 || sp2 == target)
		return -EINVAL;
	const char *version = sp2 + 1;
	size_t vlen = (size_t)(end - version);
	if (vlen != 8 || memcmp(version, "HTTP/1.", 7))
		return vlen >= 5 && !memcmp(version, "HTTP/", 5) ? -EPROTONOSUPPORT : -EINVAL;
	if (version[7] != '0' && version[7] != '1')
		return -EPROTONOSUPPORT;
	if (*target != '/')
		return -EINVAL;
	size_t tlen = (size_t)(sp2 - target);
	for (size_t i = 0; i < tlen; i++)
		if (target[i] <= ' ' || target[i] > '~')
			return -EINVAL;
	if (mlen == 3 && !memcmp(p, "GET", 3))
		out->method = HTTP_GET;
	else if (mlen == 4 && !memcmp(p, "HEAD", 4))
		out->method = HTTP_HEAD;
	else
		return -ENOTSUP;
	const char *q = memchr(target, '?', tlen);
	size_t plen = q ? (size_t)(q - target) : tlen;
	if (tlen > HTTP_PATH_MAX)
		return -ENAMETOOLONG;
	memcpy(out->path, target, plen);
	out->path[plen] = '\0';
	return 0;
}

/* "name: value": a token, a colon, then visible bytes, spaces and tabs. Their meaning is
 * ignored: the answer does not depend on any header. */
static int header_line(const char *p, size_t n)
{
	const char *colon = memchr(p, ':', n);
	if (!colon || colon == p)
		return -EINVAL;
	for (const char *c = p; c < colon; c++)
		if (!token_char(*c))
			return -EINVAL;
	for (const char *c = colon + 1; c < p + n; c++)
		if ((unsigned char)*c < ' ' && *c != '\t')
			return -EINVAL;
		else if (*c == 0x7f)
			return -EINVAL;
	return 0;
}

int http_request_parse(const char *buf, size_t len, struct http_request *out)
{
	size_t end = head_end(buf, len < HTTP_REQUEST_MAX ? len : HTTP_REQUEST_MAX);
	if (!end)
		return len >= HTTP_REQUEST_MAX ? -EMSGSIZE : -EAGAIN;
	const char *p = buf, *stop = buf + end, *next;
	size_t n = line_len(p, stop, &next);
	int err = request_line(p, n, out);
	if (err)
		return err;
	for (p = next; p < stop; p = next) {
		n = line_len(p, stop, &next);
		if (!n)
			break; /* the blank line */
		err = header_line(p, n);
		if (err)
			return err;
	}
	return 0;
}

int http_request_status(int err)
{
	switch (err) {
	case -EMSGSIZE: return 431;
	case -ENOTSUP: return 405;
	case -ENAMETOOLONG: return 414;
	case -EPROTONOSUPPORT: return 505;
	default: return 400;
	}
}
