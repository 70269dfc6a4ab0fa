/* Pure parser of /proc/<pid>/stat (see proc_stat.h). */
#include "shutdown/proc_stat.h"

#include <errno.h>
#include <limits.h>

static int parse_long(const char **p, const char *end, long *out)
{
	const char *s = *p;
	int neg = 0;
	long v = 0;
	if (s < end && *s == '-') {
		neg = 1;
		s++;
	}
	if (s == end || *s < '0' || *s > '9')
		return -EINVAL;
	while (s < end && *s >= '0' && *s <= '9') {
		if (v > (LONG_MAX - 9) / 10)
			return -EINVAL;
		v = v * 10 + (*s++ - '0');
	}
	if (s < end && *s != ' ' && *s != '\n')
		return -EINVAL;
	*p = s;
	*out = neg ? -v : v;
	return 0;
}

static int skip_space(const char **p, const char *end)
{
	if (*p >= end || **p != ' ')
		return -EINVAL;
	(*p)++;
	return 0;
}

int proc_stat_parse(const char *buf, size_t len, struct proc_stat *out)
{
	const char *end = buf + len, *p = NULL;
	for (const char *q = buf; q < end; q++)
		if (*q == ')')
			p = q + 1;
	if (!p || skip_space(&p, end) || p >= end)
		return -EINVAL;
	out->state = *p++;
	long v[6]; /* ppid pgrp session tty_nr tpgid flags */
	for (int i = 0; i < 6; i++)
		if (skip_space(&p, end) || parse_long(&p, end, &v[i]))
			return -EINVAL;
	if (v[0] < 0 || v[0] > INT_MAX || v[5] < 0 || v[5] > (long)UINT_MAX)
		return -EINVAL;
	out->ppid = (int)v[0];
	out->flags = (unsigned)v[5];
	return 0;
}
