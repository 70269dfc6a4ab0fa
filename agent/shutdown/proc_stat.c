/* Pure parsers of /proc/<pid>/stat and status (see proc_stat.h). */
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
	/* minflt cminflt majflt cmajflt utime stime cutime cstime priority nice num_threads
	 * itrealvalue, then starttime; older or cut lines end early: 0, not an error. */
	out->starttime = 0;
	for (int i = 0; i < 13; i++) {
		long f;
		if (skip_space(&p, end) || parse_long(&p, end, &f))
			return 0;
		if (i == 12)
			out->starttime = f < 0 ? 0 : (unsigned long long)f;
	}
	return 0;
}

int proc_status_uid(const char *buf, size_t len, unsigned *uid)
{
	const char *end = buf + len;
	for (const char *line = buf; line < end;) {
		const char *nl = line;
		while (nl < end && *nl != '\n')
			nl++;
		if (nl - line > 4 && line[0] == 'U' && line[1] == 'i' && line[2] == 'd' && line[3] == ':') {
			const char *p = line + 4;
			while (p < nl && (*p == '\t' || *p == ' '))
				p++;
			long v;
			/* parse_long stops at ' ' or '\n'; a tab follows the real uid. */
			const char *q = p;
			while (q < nl && *q >= '0' && *q <= '9')
				q++;
			if (q == p || q - p > 10 || (q < nl && *q != '\t' && *q != ' '))
				return -EINVAL;
			v = 0;
			for (const char *d = p; d < q; d++)
				v = v * 10 + (*d - '0');
			if (v > (long)UINT_MAX)
				return -EINVAL;
			*uid = (unsigned)v;
			return 0;
		}
		line = nl + 1;
	}
	return -ENOENT;
}
