/* Host lists on the command line (see hostlist_cmd.h). */
#include "util/hostlist_cmd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define COMPRESS_INPUT_MAX ((size_t)HOSTLIST_NAMES_MAX * (64 + 2)) /* every name, a separator */

int hostlist_cmd_parse(const char *expr, struct hostlist *h)
{
	size_t at;
	int err = hostlist_expand(expr, strlen(expr), h, &at);
	if (err == -E2BIG) {
		fprintf(stderr, "ghostwatch: node list too large: at most %u bytes and %u names\n",
			HOSTLIST_INPUT_MAX, HOSTLIST_NAMES_MAX);
	} else if (err == -EINVAL) {
		fprintf(stderr, "ghostwatch: bad node list at byte %zu (host names, ranges [LO-HI] with "
				"LO <= HI, lists [1-3,7], items joined by ','):\n  %s\n  %*s^\n",
			at + 1, expr, (int)at, "");
	} else if (err) {
		fprintf(stderr, "ghostwatch: node list: %s\n", strerror(-err));
	}
	return err ? -1 : 0;
}

int hostlist_cmd_expand(FILE *out, const char *expr, int json)
{
	struct hostlist h;
	if (hostlist_cmd_parse(expr, &h))
		return 2;
	if (json)
		fprintf(out, "{\"names\":[");
	for (size_t i = 0; i < h.count; i++) /* host names: nothing to escape */
		fprintf(out, json ? "%s\"%s\"" : "%s%s\n", json && i ? "," : "", hostlist_name(&h, i));
	if (json)
		fprintf(out, "]}\n");
	hostlist_free(&h);
	return 0;
}

/* Splits in's text into words (in place); returns how many, or -E2BIG. */
static long words(char *text, const char **names, size_t cap)
{
	size_t n = 0;
	for (char *save, *w = strtok_r(text, " \t\r\n", &save); w; w = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == cap)
			return -E2BIG;
		names[n++] = w;
	}
	return (long)n;
}

int hostlist_cmd_compress(FILE *out, FILE *in, const char **names, unsigned n, int json)
{
	char *text = NULL, *folded = NULL;
	const char **read_names = NULL;
	long count = n;
	size_t bad;
	if (!n) {
		text = malloc(COMPRESS_INPUT_MAX + 1);
		read_names = malloc(HOSTLIST_NAMES_MAX * sizeof(*read_names));
		size_t len = text ? fread(text, 1, COMPRESS_INPUT_MAX + 1, in) : 0;
		if (!text || !read_names || ferror(in) || len > COMPRESS_INPUT_MAX) {
			fprintf(stderr, "ghostwatch: cannot read the names (at most %zu bytes)\n", COMPRESS_INPUT_MAX);
			goto fail;
		}
		text[len] = '\0';
		count = words(text, read_names, HOSTLIST_NAMES_MAX);
		names = read_names;
	}
	int err = count < 0 ? (int)count : hostlist_compress(names, (size_t)count, &folded, &bad);
	if (err == -EINVAL)
		fprintf(stderr, "ghostwatch: '%s' is not a host name\n", names[bad]);
	else if (err == -E2BIG)
		fprintf(stderr, "ghostwatch: more than %u names\n", HOSTLIST_NAMES_MAX);
	else if (err)
		fprintf(stderr, "ghostwatch: %s\n", strerror(-err));
	if (err)
		goto fail;
	fprintf(out, json ? "{\"hostlist\":\"%s\"}\n" : "%s\n", folded);
	free(folded);
	free(text);
	free(read_names);
	return 0;
fail:
	free(text);
	free(read_names);
	return 1;
}
