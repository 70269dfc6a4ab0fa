/* The power list (see power_list.h): a cursor over lines, every field checked, nothing read
 * past len. Its words end up in argv of ipmitool and ssh: only host names and addresses pass. */
#include "power/power_list.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hostname.h"
#include "util/text_line.h"

#define LINE_MAX_BYTES 256
#define FIELDS_MAX 6

const char *power_backend_name(enum power_backend b)
{
	return b == POWER_IPMI ? "ipmi" : "wol";
}

static int ipv4(const char *s, uint32_t *out)
{
	struct in_addr a;
	if (inet_pton(AF_INET, s, &a) != 1 || !a.s_addr)
		return -EINVAL;
	*out = a.s_addr;
	return 0;
}

static int interface_valid(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > POWER_IF_MAX || s[0] == '-')
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.@-") == n;
}

/* The backend and its arguments: field[3] on. */
static int parse_backend(char **field, unsigned count, struct power_node *n)
{
	if (!strcmp(field[3], "wol")) {
		n->backend = POWER_WOL;
		if (count == 4)
			return 0;
		if (count != 6 || ipv4(field[4], &n->broadcast) || !interface_valid(field[5]))
			return -EINVAL;
		strcpy(n->interface, field[5]);
		return 0;
	}
	if (!strcmp(field[3], "ipmi")) {
		uint32_t ip;
		n->backend = POWER_IPMI;
		/* A name, not an option: hostname_valid refuses a leading '-'. */
		if (count != 5 || strlen(field[4]) > POWER_HOST_MAX ||
		    (ipv4(field[4], &ip) && !hostname_valid(field[4])))
			return -EINVAL;
		strcpy(n->bmc, field[4]);
		return 0;
	}
	return -EINVAL;
}

/* One line (NUL-terminated): blank or comment → 0, a node → 1. */
static int parse_line(char *s, struct power_node *n)
{
	char *hash = strchr(s, '#'), *field[FIELDS_MAX + 1], *save = NULL;
	unsigned count = 0;
	if (hash)
		*hash = '\0';
	for (char *tok = strtok_r(s, " \t\r", &save); tok; tok = strtok_r(NULL, " \t\r", &save)) {
		if (count == FIELDS_MAX)
			return -EINVAL;
		field[count++] = tok;
	}
	if (!count)
		return 0;
	memset(n, 0, sizeof(*n));
	if (count < 4 || strlen(field[0]) > CLUSTER_NAME_MAX || !hostname_valid(field[0]) ||
	    cluster_parse_mac(field[1], n->mac) || (strcmp(field[2], "-") && ipv4(field[2], &n->ip)))
		return -EINVAL;
	strcpy(n->name, field[0]);
	return parse_backend(field, count, n) ? -EINVAL : 1;
}

static int twice(const struct power_node *out, size_t count, const struct power_node *n)
{
	for (size_t i = 0; i < count; i++)
		if (!strcmp(out[i].name, n->name) || !memcmp(out[i].mac, n->mac, REPORT_NODE_LEN))
			return 1;
	return 0;
}

int power_list_parse(const char *text, size_t len, struct power_node *out, size_t cap, unsigned *line)
{
	char buf[LINE_MAX_BYTES];
	size_t count = 0;
	*line = 0;
	int r;
	while ((r = text_next_line(&text, &len, buf, sizeof(buf)))) {
		++*line;
		if (r < 0)
			return r;
		struct power_node node;
		r = parse_line(buf, &node);
		if (r < 0)
			return r;
		if (!r)
			continue;
		if (count == cap)
			return -E2BIG;
		/* Quadratic: a cluster of some thousand nodes takes milliseconds. */
		if (twice(out, count, &node))
			return -EINVAL;
		out[count++] = node;
	}
	return (int)count;
}

int power_list_load(const char *path, struct power_list *l, unsigned *line)
{
	memset(l, 0, sizeof(*l));
	*line = 0;
	char *text;
	size_t len, cap;
	int err = cluster_read_text(path, &text, &len, &cap);
	if (!err && !(l->nodes = calloc(cap, sizeof(*l->nodes))))
		err = -ENOMEM;
	int n = err ? err : power_list_parse(text, len, l->nodes, cap, line);
	free(text);
	if (n < 0) {
		power_list_free(l);
		return n;
	}
	l->count = (size_t)n;
	return 0;
}

void power_list_free(struct power_list *l)
{
	free(l->nodes);
	memset(l, 0, sizeof(*l));
}

const struct power_node *power_list_find(const struct power_list *l, const char *name)
{
	for (size_t i = 0; i < l->count; i++)
		if (!strcmp(l->nodes[i].name, name))
			return &l->nodes[i];
	return NULL;
}
