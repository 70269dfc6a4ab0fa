/* Host list expansion and folding (see hostlist.h). The expression is untrusted (an argument,
 * a line a script built): every count is checked before anything is produced, so a short
 * input cannot ask for billions of names. */
#include "util/hostlist.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hostname.h"

struct range {
	unsigned long lo, hi;
	unsigned width; /* 0: no padding; else digits, as written in lo ("01-10": 2) */
};

/* One bracket group and the literal text before it. */
struct group {
	size_t lit, lit_len;          /* offset in expr */
	size_t first, nranges;        /* its ranges */
	size_t cur_range;             /* odometer position while expanding */
	unsigned long cur;
};

struct item {
	const char *expr;
	struct group *groups;
	size_t ngroups;
	struct range *ranges;
	size_t nranges;
	size_t tail, tail_len;        /* literal after the last group */
};

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
	       c == '.';
}

static int digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A decimal bound at expr[*i]: its value and width (digits when zero-padded, else 0). */
static int parse_bound(const char *e, size_t end, size_t *i, unsigned long *v, unsigned *width)
{
	size_t start = *i;
	unsigned long x = 0;
	while (*i < end && digit(e[*i])) {
		if (*i - start >= HOSTLIST_DIGITS_MAX)
			return -EINVAL;
		x = x * 10 + (unsigned long)(e[*i] - '0');
		(*i)++;
	}
	if (*i == start)
		return -EINVAL;
	*v = x;
	*width = e[start] == '0' && *i - start > 1 ? (unsigned)(*i - start) : 0;
	return 0;
}

/* "[a-b,c,...]" from expr[*i] (at '['); leaves *i after ']'. */
static int parse_group(struct item *it, size_t end, size_t *i, unsigned long *size)
{
	const char *e = it->expr;
	*size = 0;
	(*i)++;
	for (;;) {
		struct range *r = &it->ranges[it->nranges];
		unsigned hi_width;
		if (parse_bound(e, end, i, &r->lo, &r->width))
			return -EINVAL;
		r->hi = r->lo;
		if (*i < end && e[*i] == '-') {
			(*i)++;
			if (parse_bound(e, end, i, &r->hi, &hi_width) || r->hi < r->lo)
				return -EINVAL;
		}
		it->nranges++;
		*size += r->hi - r->lo + 1;
		if (*i < end && e[*i] == ']') {
			(*i)++;
			return 0;
		}
		if (*i >= end || e[*i] != ',')
			return -EINVAL;
		(*i)++;
	}
}

/* One item, expr[*i] up to a ',' outside brackets or end: its groups and how many names it
 * makes (capped: past `room` it stops counting and returns -E2BIG). */
static int parse_item(struct item *it, size_t end, size_t *i, size_t room, size_t *names)
{
	const char *e = it->expr;
	size_t lit = *i;
	unsigned long count = 1;
	it->ngroups = it->nranges = 0;
	while (*i < end && e[*i] != ',') {
		if (e[*i] == '[') {
			struct group *g = &it->groups[it->ngroups++];
			unsigned long size;
			g->lit = lit;
			g->lit_len = *i - lit;
			g->first = it->nranges;
			if (parse_group(it, end, i, &size))
				return -EINVAL;
			g->nranges = it->nranges - g->first;
			if (size > room || count > room / size)
				return -E2BIG;
			count *= size;
			lit = *i;
		} else if (name_char(e[*i])) {
			(*i)++;
		} else {
			return -EINVAL; /* ']' without '[', or no host name has it */
		}
	}
	it->tail = lit;
	it->tail_len = *i - lit;
	if (!it->ngroups && !it->tail_len)
		return -EINVAL; /* empty item: ",," or a ',' at either end */
	if (count > room)
		return -E2BIG;
	*names = count;
	return 0;
}

static int add_name(struct hostlist *h, const char *name, size_t len)
{
	if (h->count == h->offset_cap) {
		size_t cap = h->offset_cap ? 2 * h->offset_cap : 16;
		size_t *o = realloc(h->offset, cap * sizeof(*o));
		if (!o)
			return -ENOMEM;
		h->offset = o;
		h->offset_cap = cap;
	}
	if (h->text_len + len + 1 > h->text_cap) {
		size_t cap = h->text_cap ? 2 * h->text_cap : 256;
		while (cap < h->text_len + len + 1)
			cap *= 2;
		char *t = realloc(h->text, cap);
		if (!t)
			return -ENOMEM;
		h->text = t;
		h->text_cap = cap;
	}
	memcpy(h->text + h->text_len, name, len);
	h->text[h->text_len + len] = '\0';
	h->offset[h->count++] = h->text_len;
	h->text_len += len + 1;
	return 0;
}

/* Appends s to buf (HOSTNAME_MAX + 1 bytes); -EINVAL when the name grows too long. */
static int put(char *buf, size_t *n, const char *s, size_t len)
{
	if (*n + len > HOSTNAME_MAX)
		return -EINVAL;
	memcpy(buf + *n, s, len);
	*n += len;
	return 0;
}

/* Every name of the item, the last group varying fastest (an odometer). */
static int emit_item(struct hostlist *h, struct item *it)
{
	for (size_t g = 0; g < it->ngroups; g++) {
		it->groups[g].cur_range = it->groups[g].first;
		it->groups[g].cur = it->ranges[it->groups[g].first].lo;
	}
	for (;;) {
		char buf[HOSTNAME_MAX + 1], num[24];
		size_t n = 0;
		for (size_t g = 0; g < it->ngroups; g++) {
			const struct group *gr = &it->groups[g];
			int w = snprintf(num, sizeof(num), "%0*lu", (int)it->ranges[gr->cur_range].width, gr->cur);
			if (put(buf, &n, it->expr + gr->lit, gr->lit_len) || put(buf, &n, num, (size_t)w))
				return -EINVAL;
		}
		if (put(buf, &n, it->expr + it->tail, it->tail_len))
			return -EINVAL;
		buf[n] = '\0';
		if (!hostname_valid(buf))
			return -EINVAL;
		int err = add_name(h, buf, n);
		if (err)
			return err;
		size_t g = it->ngroups;
		while (g > 0) {
			struct group *gr = &it->groups[g - 1];
			if (gr->cur < it->ranges[gr->cur_range].hi) {
				gr->cur++;
				break;
			}
			if (gr->cur_range + 1 < gr->first + gr->nranges) {
				gr->cur = it->ranges[++gr->cur_range].lo;
				break;
			}
			gr->cur_range = gr->first;
			gr->cur = it->ranges[gr->first].lo;
			g--;
		}
		if (g == 0)
			return 0;
	}
}

static const struct hostlist *sort_list;
static int by_name(const void *a, const void *b)
{
	return strcmp(hostlist_name(sort_list, *(const size_t *)a), hostlist_name(sort_list, *(const size_t *)b));
}

static int index_names(struct hostlist *h)
{
	h->sorted = malloc((h->count ? h->count : 1) * sizeof(*h->sorted));
	if (!h->sorted)
		return -ENOMEM;
	for (size_t i = 0; i < h->count; i++)
		h->sorted[i] = i;
	sort_list = h;
	qsort(h->sorted, h->count, sizeof(*h->sorted), by_name);
	return 0;
}

int hostlist_expand(const char *expr, size_t len, struct hostlist *h, size_t *at)
{
	memset(h, 0, sizeof(*h));
	*at = 0;
	if (len > HOSTLIST_INPUT_MAX)
		return -E2BIG;
	/* Each group and range takes at least two bytes of input: these bound both arrays. */
	struct item it = { .expr = expr };
	it.groups = malloc((len / 2 + 1) * sizeof(*it.groups));
	it.ranges = malloc((len / 2 + 1) * sizeof(*it.ranges));
	int err = it.groups && it.ranges ? 0 : -ENOMEM;
	size_t i = 0;
	while (!err) {
		size_t start = i, names;
		err = parse_item(&it, len, &i, HOSTLIST_NAMES_MAX - h->count, &names);
		if (!err) {
			*at = start; /* a name fault is the item's */
			err = emit_item(h, &it);
		} else {
			*at = i;
		}
		if (err || i == len)
			break;
		i++; /* the ',' */
		if (i == len) {
			*at = i;
			err = -EINVAL;
		}
	}
	if (!err)
		err = index_names(h);
	free(it.groups);
	free(it.ranges);
	if (err)
		hostlist_free(h);
	return err;
}

int hostlist_contains(const struct hostlist *h, const char *name)
{
	size_t lo = 0, hi = h->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, hostlist_name(h, h->sorted[mid]));
		if (!c)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

void hostlist_free(struct hostlist *h)
{
	free(h->text);
	free(h->offset);
	free(h->sorted);
	memset(h, 0, sizeof(*h));
}

/* Folding: each name split around its last number (at most HOSTLIST_DIGITS_MAX digits). */
struct entry {
	const char *name;
	size_t plen;          /* prefix: name[0, plen) */
	const char *suffix;   /* after the number ("" when none) */
	int has_number;
	unsigned long value;
	unsigned digits;
	unsigned width;       /* as folded: 0 natural, else zero-padded to width */
};

static int cmp_text(const struct entry *a, const struct entry *b)
{
	size_t n = a->plen < b->plen ? a->plen : b->plen;
	int c = memcmp(a->name, b->name, n);
	if (c || a->plen != b->plen)
		return c ? c : a->plen < b->plen ? -1 : 1;
	if (a->has_number != b->has_number)
		return a->has_number - b->has_number;
	return strcmp(a->suffix, b->suffix);
}

/* Prefix, suffix, then padded width (so natural numbers can join a padded group). */
static int by_shape(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;
	int c = cmp_text(a, b);
	if (c)
		return c;
	if (a->width != b->width)
		return a->width < b->width ? -1 : 1;
	return a->value < b->value ? -1 : a->value > b->value;
}

static void split(const char *name, struct entry *e)
{
	size_t len = strlen(name), end = len;
	memset(e, 0, sizeof(*e));
	e->name = name;
	while (end > 0 && !digit(name[end - 1]))
		end--;
	size_t start = end;
	while (start > 0 && digit(name[start - 1]))
		start--;
	e->plen = len;
	e->suffix = name + len;
	if (end == 0 || end - start > HOSTLIST_DIGITS_MAX)
		return; /* no number to fold: the whole name is the prefix */
	e->plen = start;
	e->suffix = name + end;
	e->has_number = 1;
	e->digits = (unsigned)(end - start);
	for (size_t i = start; i < end; i++)
		e->value = e->value * 10 + (unsigned long)(name[i] - '0');
	e->width = name[start] == '0' && e->digits > 1 ? e->digits : 0;
}

struct text {
	char *s;
	size_t len, cap;
	int err;
};

static void append(struct text *t, const char *s, size_t len)
{
	if (t->err)
		return;
	if (t->len + len + 1 > t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 256;
		while (cap < t->len + len + 1)
			cap *= 2;
		char *n = realloc(t->s, cap);
		if (!n) {
			t->err = -ENOMEM;
			return;
		}
		t->s = n;
		t->cap = cap;
	}
	memcpy(t->s + t->len, s, len);
	t->len += len;
	t->s[t->len] = '\0';
}

static void append_number(struct text *t, unsigned long v, unsigned width)
{
	char num[24];
	int n = snprintf(num, sizeof(num), "%0*lu", (int)width, v);
	append(t, num, (size_t)n);
}

/* A natural number of d digits reads the same padded to d: it joins a padded group of width
 * d when its prefix and suffix have one (n01..n09 with n10 -> n[01-10]). */
static void join_padded(struct entry *e, size_t n)
{
	qsort(e, n, sizeof(*e), by_shape);
	for (size_t i = 0; i < n; i++) {
		if (!e[i].has_number || e[i].width)
			continue;
		for (size_t j = i; j < n && !cmp_text(&e[i], &e[j]); j++)
			if (e[j].width == e[i].digits) {
				e[i].width = e[i].digits;
				break;
			}
	}
	qsort(e, n, sizeof(*e), by_shape);
}

/* One group of entries with the same prefix, suffix and width: "p[1-3,7]s" or "p7s". */
static void fold_group(struct text *t, const struct entry *e, size_t n)
{
	append(t, e[0].name, e[0].plen);
	if (e[0].has_number) {
		if (n > 1)
			append(t, "[", 1);
		for (size_t i = 0; i < n;) {
			size_t j = i;
			while (j + 1 < n && e[j + 1].value == e[j].value + 1)
				j++;
			if (i)
				append(t, ",", 1);
			append_number(t, e[i].value, e[i].width);
			if (j > i) {
				append(t, "-", 1);
				append_number(t, e[j].value, e[j].width);
			}
			i = j + 1;
		}
		if (n > 1)
			append(t, "]", 1);
	}
	append(t, e[0].suffix, strlen(e[0].suffix));
}

int hostlist_compress(const char *const *names, size_t n, char **out, size_t *bad)
{
	*out = NULL;
	*bad = 0;
	if (n > HOSTLIST_NAMES_MAX)
		return -E2BIG;
	for (size_t i = 0; i < n; i++)
		if (!hostname_valid(names[i])) {
			*bad = i;
			return -EINVAL;
		}
	struct entry *e = malloc((n ? n : 1) * sizeof(*e));
	if (!e)
		return -ENOMEM;
	size_t kept = 0;
	for (size_t i = 0; i < n; i++)
		split(names[i], &e[i]);
	join_padded(e, n);
	for (size_t i = 0; i < n; i++) /* drop duplicates: same shape, same value */
		if (!kept || by_shape(&e[kept - 1], &e[i]))
			e[kept++] = e[i];
	struct text t = { 0 };
	append(&t, "", 0);
	for (size_t i = 0; i < kept;) {
		size_t j = i + 1;
		while (j < kept && e[j].has_number && !cmp_text(&e[i], &e[j]) && e[j].width == e[i].width)
			j++;
		if (i)
			append(&t, ",", 1);
		fold_group(&t, e + i, j - i);
		i = j;
	}
	free(e);
	if (t.err) {
		free(t.s);
		return t.err;
	}
	*out = t.s;
	return 0;
}
