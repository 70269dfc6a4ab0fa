/* A span: a (pointer, length) view of untrusted text, walked without copying and without
 * relying on a NUL. The parsers of the command line (ip=, root=, nfsroot=) share these, so
 * that one field means the same thing whichever parameter carries it. */
#ifndef GHOST_SPAN_H
#define GHOST_SPAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct span {
	const char *p;
	size_t n;
};

/* The NUL-terminated s, read at most max bytes. */
struct span span_str(const char *s, size_t max);
bool span_eq(struct span s, const char *word);
bool span_prefix(struct span s, const char *prefix);
/* s without its first n bytes (n <= s.n). */
struct span span_skip(struct span s, size_t n);
/* Index of the first c in s, or s.n. */
size_t span_find(struct span s, char c);

/* A strict dotted quad: four decimal numbers 0-255, no signs, no spaces, no leading zeros
 * ("010" is 10 to the kernel's in_aton but 8 to inet_aton, as dracut's shell reads it: an
 * address that means two things is refused). *out in network byte order. 0 or -EINVAL. */
int span_ipv4(struct span s, uint32_t *out);

#endif
