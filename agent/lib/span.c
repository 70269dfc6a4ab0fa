/* Spans of untrusted text (see span.h). */
#include "lib/span.h"

#include <errno.h>
#include <string.h>

struct span span_str(const char *s, size_t max) { return (struct span){ s, strnlen(s, max) }; }

bool span_eq(struct span s, const char *word) { return s.n == strlen(word) && memcmp(s.p, word, s.n) == 0; }

bool span_prefix(struct span s, const char *prefix)
{
	size_t n = strlen(prefix);
	return s.n >= n && memcmp(s.p, prefix, n) == 0;
}

struct span span_skip(struct span s, size_t n) { return (struct span){ s.p + n, s.n - n }; }

size_t span_find(struct span s, char c)
{
	const char *hit = s.n ? memchr(s.p, c, s.n) : NULL;
	return hit ? (size_t)(hit - s.p) : s.n;
}

int span_ipv4(struct span s, uint32_t *out)
{
	uint8_t b[4];
	size_t i = 0;
	for (int part = 0; part < 4; part++) {
		unsigned v = 0, digits = 0;
		if (part > 0) {
			if (i >= s.n || s.p[i] != '.')
				return -EINVAL;
			i++;
		}
		while (i < s.n && s.p[i] >= '0' && s.p[i] <= '9') {
			if (digits > 0 && v == 0)
				return -EINVAL; /* a leading zero */
			v = v * 10 + (unsigned)(s.p[i] - '0');
			if (v > 255)
				return -EINVAL;
			digits++;
			i++;
		}
		if (!digits)
			return -EINVAL;
		b[part] = (uint8_t)v;
	}
	if (i != s.n)
		return -EINVAL;
	memcpy(out, b, 4); /* b is already in network order */
	return 0;
}
