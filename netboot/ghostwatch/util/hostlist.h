/* Node lists as admins paste them between Slurm, ClusterShell and pdsh: "w[1-3],w7",
 * "n[01-10]" (zero padding kept), "w[1-3,7,9-10]", "r[1-2]n[1-3]" (each bracket group a
 * factor: r1n1 r1n2 r1n3 r2n1 ...). Pure functions, no I/O (unit-tested, fuzzed:
 * fuzz_hostlist); ghostwatch status NODES and `ghostwatch hostlist` are their users. */
#ifndef GW_HOSTLIST_H
#define GW_HOSTLIST_H

#include <stddef.h>

#define HOSTLIST_INPUT_MAX 4096   /* bytes of one expression */
#define HOSTLIST_NAMES_MAX 65536  /* names one expression may expand to (Slurm's node limit) */
#define HOSTLIST_DIGITS_MAX 9     /* digits of a range bound: 999999999 fits any unsigned long */

struct hostlist {
	char *text;     /* the names back to back, each NUL-terminated */
	size_t *offset; /* name i starts at text + offset[i] */
	size_t *sorted; /* indices in strcmp order, for hostlist_contains */
	size_t count;
	size_t text_len, text_cap, offset_cap;
};

/* Expands len bytes of expr into h (allocated; hostlist_free), names in the order written,
 * duplicates kept (as Slurm does). 0, or -EINVAL with *at the byte offset of the fault (empty
 * expression or item, unbalanced or nested brackets, an empty or reversed range, a bound of
 * more than HOSTLIST_DIGITS_MAX digits, a character no host name has, or a name that is not
 * an RFC 1123 host name of at most 64 characters), -E2BIG (expr longer than
 * HOSTLIST_INPUT_MAX, or more than HOSTLIST_NAMES_MAX names), -ENOMEM. On error h is empty. */
int hostlist_expand(const char *expr, size_t len, struct hostlist *h, size_t *at);
static inline const char *hostlist_name(const struct hostlist *h, size_t i)
{
	return h->text + h->offset[i];
}
/* 1 when name is one of h's names, 0 otherwise. */
int hostlist_contains(const struct hostlist *h, const char *name);
void hostlist_free(struct hostlist *h);

/* The shortest expression we fold n host names into (*out allocated, free(3)): sorted,
 * duplicates dropped, names that differ only in their last number share brackets
 * ("w1 w2 w3 w7" -> "w[1-3,7]"; "n01".."n10" -> "n[01-10]"); one number per name is folded,
 * not ClusterShell's several dimensions. 0, -EINVAL (names[*bad] is not a host name),
 * -E2BIG (n past HOSTLIST_NAMES_MAX), -ENOMEM. expand(compress(x)) is x as a set. */
int hostlist_compress(const char *const *names, size_t n, char **out, size_t *bad);

#endif
