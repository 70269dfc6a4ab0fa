/* The option walker and usage printer (see cli.h). */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void cli_exit_codes(FILE *out)
{
	fprintf(out, "exit status: %d done, %d failed (state, key, socket, file), %d bad command line\n",
		CLI_EXIT_OK, CLI_EXIT_FAIL, CLI_EXIT_USAGE);
}

void cli_usage(FILE *out, const struct cli_command *cmd)
{
	fprintf(out, "usage: ghostwatch %s [OPTIONS]%s%s\n%s\noptions:\n", cmd->name, cmd->args[0] ? " " : "",
		cmd->args, cmd->summary);
	for (const struct cli_option *const *o = cmd->options; *o; o++) {
		char left[48];
		if (!(*o)->help)
			continue;
		snprintf(left, sizeof(left), "%s%s%s%s%s", (*o)->alias ? (*o)->alias : "", (*o)->alias ? ", " : "",
			 (*o)->name, (*o)->metavar ? " " : "", (*o)->metavar ? (*o)->metavar : "");
		fprintf(out, "  %-22s %s\n", left, (*o)->help);
	}
	fprintf(out, "  %-22s %s\n", "-h, --help", "this help");
	cli_exit_codes(out);
}

static int bad(const struct cli_command *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "ghostwatch %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	cli_usage(stderr, cmd);
	return CLI_EXIT_USAGE;
}

static const struct cli_option *find(const struct cli_command *cmd, const char *a, size_t n)
{
	for (const struct cli_option *const *o = cmd->options; *o; o++) {
		const char *alias = (*o)->alias;
		if ((strlen((*o)->name) == n && !strncmp((*o)->name, a, n)) ||
		    (alias && strlen(alias) == n && !strncmp(alias, a, n)))
			return *o;
	}
	return NULL;
}

static int number(const char *v, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long x = strtoul(v, &end, 10);
	if (errno || end == v || *end || v[0] == '-' || x < min || x > max)
		return -EINVAL;
	*out = x;
	return 0;
}

/* One option at argv[*i]; consumes its value. */
static int take(const struct cli_command *cmd, int argc, char **argv, int *i)
{
	const char *a = argv[*i], *eq = a[1] == '-' ? strchr(a, '=') : NULL;
	size_t n = eq ? (size_t)(eq - a) : strlen(a);
	const struct cli_option *o = find(cmd, a, n);
	if (!o)
		return bad(cmd, "unknown option '%.*s'", (int)n, a);
	if (o->renamed_to)
		fprintf(stderr, "ghostwatch: %s is deprecated, use %s\n", o->name, o->renamed_to);
	if (o->kind == CLI_FLAG) {
		if (eq)
			return bad(cmd, "%s takes no value", o->name);
		*o->flag = 1;
		return 0;
	}
	const char *v = eq ? eq + 1 : *i + 1 < argc ? argv[++*i] : NULL;
	if (!v)
		return bad(cmd, "%s needs a value (%s)", o->name, o->metavar);
	if (o->kind == CLI_TEXT) {
		if (!v[0])
			return bad(cmd, "%s needs a value (%s), not ''", o->name, o->metavar);
		*o->text = v;
	} else if (number(v, o->min, o->max, o->number)) {
		return bad(cmd, "bad %s '%s' (a whole number from %lu to %lu)", o->name, v, o->min, o->max);
	}
	return 0;
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv, const char **args, unsigned *nargs)
{
	int options_end = 0;
	*nargs = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!options_end && !strcmp(a, "--")) {
			options_end = 1;
		} else if (options_end || a[0] != '-' || !a[1]) {
			if (*nargs >= cmd->max_args)
				return bad(cmd, "unexpected argument '%s'", a);
			args[(*nargs)++] = a;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			cli_usage(stdout, cmd);
			return -1;
		} else {
			int rc = take(cmd, argc, argv, &i);
			if (rc)
				return rc;
		}
	}
	if (*nargs < cmd->min_args)
		return bad(cmd, "missing %s", cmd->args);
	return 0;
}
