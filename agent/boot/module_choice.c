/* Which modules a boot needs (see module_choice.h): pure decisions, unit-tested. */
#include "boot/module_choice.h"

#include <string.h>

#include "root/rootspec.h"

void module_needs_from_config(const struct boot_config *cfg, struct module_needs *needs)
{
	static struct rootspec spec; /* large; this runs once, before any thread */
	char err[ROOTSPEC_ERR_MAX];
	const struct rootspec_facts no_facts = { 0 };
	memset(needs, 0, sizeof(*needs));
	if (rootspec_parse(cfg, &no_facts, &spec, err, sizeof(err)) != 0) {
		/* The root is named by DHCP, or the server comes from it: either version may come. */
		needs->nfs3 = needs->nfs4 = true;
	} else if (spec.kind == ROOTSPEC_NFS) {
		needs->nfs3 = spec.version == 3;
		needs->nfs4 = spec.version == 4;
	}
	needs->overlay = cfg->overlay != OVERLAY_NONE;
}

static bool token_is(const char *tok, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(tok, word, len) == 0;
}

static bool one_need(const char *tok, size_t len, const struct module_needs *n, module_device_query dev,
		     void *ctx)
{
	if (token_is(tok, len, "always"))
		return true;
	if (token_is(tok, len, "nfs3"))
		return n->nfs3;
	if (token_is(tok, len, "nfs4"))
		return n->nfs4;
	if (token_is(tok, len, "overlay"))
		return n->overlay;
	if (len > 4 && memcmp(tok, "dev:", 4) == 0)
		return dev ? dev(tok + 4, len - 4, ctx) : true;
	return true; /* a need this ghostinit does not know (a newer builder): load, to be safe */
}

bool module_line_needed(const char *needs, const struct module_needs *n, module_device_query dev, void *ctx)
{
	const char *p = needs + strspn(needs, " \t");
	if (*p == '\0' || *p == '\n')
		return true;
	while (*p && *p != '\n' && *p != ' ' && *p != '\t') {
		size_t len = strcspn(p, ", \t\n");
		if (len && one_need(p, len, n, dev, ctx))
			return true;
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
}

/* One [...] class at p (after the '['): sets *end past its ']' (NULL when there is none: the
 * '[' is then an ordinary character); false when c is outside it. */
static bool class_matches(const char *p, char c, const char **end)
{
	bool negate = *p == '!' || *p == '^', in = false;
	p += negate;
	const char *first = p;
	for (; *p && (*p != ']' || p == first); p++) {
		if (p[1] == '-' && p[2] && p[2] != ']') {
			in |= c >= p[0] && c <= p[2];
			p += 2;
		} else {
			in |= c == *p;
		}
	}
	*end = *p ? p + 1 : NULL;
	return in != negate;
}

/* Whether the pattern's element at pat matches c; *next is the element after it. */
static bool element_matches(const char *pat, char c, const char **next)
{
	if (*pat == '[') {
		bool in = class_matches(pat + 1, c, next);
		if (*next)
			return in;
	}
	*next = pat + 1;
	return *pat == '?' || *pat == c;
}

/* Shell pattern match of the kind modules.alias uses: '*', '?', '[...]' (musl's fnmatch
 * would bring its wide-character tables into ghostinit: 20 KB for three operators). */
static bool glob_match(const char *pat, const char *s)
{
	const char *star = NULL, *resume = NULL, *next;
	while (*s) {
		if (*pat == '*') {
			star = ++pat;
			resume = s;
		} else if (*pat && element_matches(pat, *s, &next)) {
			pat = next;
			s++;
		} else if (star) {
			pat = star;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}

bool module_alias_matches(const char *line, const char *module, size_t module_len, const char *modalias)
{
	char pattern[256];
	if (strncmp(line, "alias ", 6) != 0)
		return false;
	const char *pat = line + 6;
	size_t plen = strcspn(pat, " \t\n");
	const char *name = pat + plen + strspn(pat + plen, " \t");
	size_t nlen = strcspn(name, " \t\n");
	if (plen == 0 || plen >= sizeof(pattern) || nlen != module_len || memcmp(name, module, module_len) != 0)
		return false;
	memcpy(pattern, pat, plen);
	pattern[plen] = '\0';
	return glob_match(pattern, modalias);
}
