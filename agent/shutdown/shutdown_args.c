/* Pure parser of the shutdown program's arguments (see shutdown_args.h). Unknown options are
 * warnings, not errors: systemd adds options over the years and the shutdown must go on. */
#include "shutdown/shutdown_args.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const verb_names[] = { [SHUTDOWN_REBOOT] = "reboot", [SHUTDOWN_POWEROFF] = "poweroff",
					  [SHUTDOWN_HALT] = "halt", [SHUTDOWN_KEXEC] = "kexec",
					  [SHUTDOWN_EXIT] = "exit" };

const char *shutdown_verb_name(enum shutdown_verb verb)
{
	return (unsigned)verb < sizeof(verb_names) / sizeof(verb_names[0]) ? verb_names[verb] : "reboot";
}

static void warn(struct shutdown_args *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct shutdown_args *a, const char *fmt, ...)
{
	if (a->warning_count == SHUTDOWN_ARGS_MAX_WARNINGS) {
		a->warnings_dropped++;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->warning[a->warning_count++], SHUTDOWN_ARGS_WARNING_LEN, fmt, ap);
	va_end(ap);
}

static int parse_u64(const char **p, uint64_t *out)
{
	uint64_t v = 0;
	const char *s = *p;
	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*p = s;
	*out = v;
	return 0;
}

int shutdown_args_parse_time(const char *text, uint64_t *out_us)
{
	static const struct {
		const char *name;
		uint64_t us;
	} units[] = { { "", 1000000 },   { "us", 1 },       { "usec", 1 },   { "ms", 1000 },
		      { "msec", 1000 }, { "s", 1000000 },  { "sec", 1000000 }, { "m", 60000000 },
		      { "min", 60000000 } };
	if (!strcmp(text, "infinity")) {
		*out_us = UINT64_MAX;
		return 0;
	}
	const char *p = text;
	uint64_t n;
	int err = parse_u64(&p, &n);
	if (err)
		return err;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(p, units[i].name))
			continue;
		if (n > UINT64_MAX / units[i].us)
			return -ERANGE;
		*out_us = n * units[i].us;
		return 0;
	}
	return -EINVAL;
}

static int parse_log_level(const char *v)
{
	static const char *const names[] = { "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug" };
	for (int i = 0; i < 8; i++)
		if (!strcmp(v, names[i]))
			return i;
	if (v[0] >= '0' && v[0] <= '7' && v[1] == '\0')
		return v[0] - '0';
	return -1;
}

enum opt { OPT_LOG_LEVEL, OPT_TIMEOUT, OPT_LOG_TARGET, OPT_EXIT_CODE, OPT_FLAG };

static const struct {
	const char *name;
	enum opt opt;
} options[] = {
	{ "log-level", OPT_LOG_LEVEL },	{ "timeout", OPT_TIMEOUT },	    { "log-target", OPT_LOG_TARGET },
	{ "exit-code", OPT_EXIT_CODE },	{ "log-color", OPT_FLAG },	    { "log-location", OPT_FLAG },
	{ "log-time", OPT_FLAG },
};

static void apply(struct shutdown_args *a, enum opt opt, const char *name, const char *v)
{
	uint64_t n;
	const char *p = v;
	switch (opt) {
	case OPT_LOG_LEVEL:
		a->log_level = parse_log_level(v);
		if (a->log_level < 0)
			warn(a, "--%s: bad level \"%s\", ignored", name, v);
		break;
	case OPT_TIMEOUT:
		if (shutdown_args_parse_time(v, &a->timeout_us) == 0)
			a->timeout_given = true;
		else
			warn(a, "--%s: bad time \"%s\", ignored", name, v);
		break;
	case OPT_LOG_TARGET:
		if (strlen(v) < sizeof(a->log_target) && v[0])
			strcpy(a->log_target, v);
		else
			warn(a, "--%s: bad target \"%.40s\", ignored", name, v);
		break;
	case OPT_EXIT_CODE:
		if (parse_u64(&p, &n) == 0 && *p == '\0' && n <= 255) {
			a->exit_code = (int)n;
			a->exit_code_given = true;
		} else {
			warn(a, "--%s: bad code \"%.40s\", ignored", name, v);
		}
		break;
	case OPT_FLAG:
		break;
	}
}

int shutdown_verb_find(const char *word)
{
	for (size_t i = 0; i < sizeof(verb_names) / sizeof(verb_names[0]); i++)
		if (!strcmp(word, verb_names[i]))
			return (int)i;
	return -1;
}

unsigned shutdown_args_parse(int argc, char *const argv[], struct shutdown_args *out)
{
	memset(out, 0, sizeof(*out));
	out->verb = SHUTDOWN_REBOOT;
	out->log_level = -1;
	for (int i = 0; i < argc; i++) {
		const char *w = argv[i];
		if (!w)
			break;
		if (strncmp(w, "--", 2) != 0) {
			int verb = shutdown_verb_find(w);
			if (verb < 0)
				warn(out, "unknown word \"%.40s\", ignored", w);
			else if (out->verb_given)
				warn(out, "second verb \"%s\" ignored (keeping %s)", w, verb_names[out->verb]);
			else {
				out->verb = (enum shutdown_verb)verb;
				out->verb_given = true;
			}
			continue;
		}
		const char *name = w + 2, *eq = strchr(name, '=');
		size_t name_len = eq ? (size_t)(eq - name) : strlen(name);
		size_t k = 0;
		while (k < sizeof(options) / sizeof(options[0]) &&
		       !(strlen(options[k].name) == name_len && !strncmp(options[k].name, name, name_len)))
			k++;
		if (k == sizeof(options) / sizeof(options[0])) {
			warn(out, "unknown option \"%.40s\", ignored", w);
			continue;
		}
		if (options[k].opt == OPT_FLAG)
			continue; /* --log-color[=bool] and friends: console cosmetics we do not need */
		const char *value = eq ? eq + 1 : NULL;
		if (!value) { /* older systemd: the value is the next word */
			if (i + 1 >= argc || !argv[i + 1]) {
				warn(out, "--%s without a value, ignored", options[k].name);
				continue;
			}
			value = argv[++i];
		}
		apply(out, options[k].opt, options[k].name, value);
	}
	return out->warning_count + out->warnings_dropped;
}
