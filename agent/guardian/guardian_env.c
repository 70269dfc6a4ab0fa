/* Pure parser of net.env for the guardian (see guardian_env.h). Values are single-quoted
 * shell words; the ones read here never hold a quote, so one that does is malformed. */
#include "guardian/guardian_env.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

/* Copies the value of KEY='value' (lines of at most 255 bytes) into out; 1 found, 0 not. */
static int value_of(const char *text, size_t len, const char *key, char *out, size_t cap)
{
	size_t klen = strlen(key), pos = 0;
	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		pos += n + 1;
		if (n < klen + 3 || memcmp(line, key, klen) || line[klen] != '=' || line[klen + 1] != '\'' ||
		    line[n - 1] != '\'')
			continue;
		size_t vlen = n - klen - 3;
		if (vlen >= cap || memchr(line + klen + 2, '\'', vlen))
			return -1;
		memcpy(out, line + klen + 2, vlen);
		out[vlen] = '\0';
		return 1;
	}
	return 0;
}

int guardian_env_parse(const char *text, size_t len, struct guardian_config *cfg)
{
	char v[64];
	struct in_addr in;
	memset(cfg, 0, sizeof(*cfg));
	if (value_of(text, len, "GHOST_IFACE", v, sizeof(v)) != 1 || !v[0] || strlen(v) >= sizeof(cfg->ifname))
		return -EINVAL;
	strcpy(cfg->ifname, v);
	if (value_of(text, len, "GHOST_ADDR", v, sizeof(v)) != 1 || inet_pton(AF_INET, v, &in) != 1 || !in.s_addr)
		return -EINVAL;
	cfg->addr = in.s_addr;
	cfg->prefix = 32;
	if (value_of(text, len, "GHOST_PREFIX", v, sizeof(v)) == 1 && v[0]) {
		int p = 0;
		for (const char *c = v; *c; c++) {
			if (*c < '0' || *c > '9' || p > 32)
				return -EINVAL;
			p = p * 10 + (*c - '0');
		}
		if (p < 1 || p > 32)
			return -EINVAL;
		cfg->prefix = p;
	}
	int g = value_of(text, len, "GHOST_GATEWAY", v, sizeof(v));
	if (g < 0)
		return -EINVAL;
	if (g == 1 && v[0]) {
		if (inet_pton(AF_INET, v, &in) != 1)
			return -EINVAL;
		cfg->gateway = in.s_addr;
	}
	return 0;
}
