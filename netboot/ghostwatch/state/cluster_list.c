/* The cluster tools' node list (see cluster_list.h): a cursor over lines, every field checked,
 * nothing read past len. */
#include "state/cluster_list.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/hex.h"
#include "lib/hostname.h"
#include "util/text_line.h"

#define FIELD_MAX 64

static int by_mac(const void *a, const void *b)
{
	return memcmp(((const struct cluster_node *)a)->mac, ((const struct cluster_node *)b)->mac, REPORT_NODE_LEN);
}

int cluster_parse_mac(const char *s, uint8_t mac[REPORT_NODE_LEN])
{
	if (strlen(s) != 17)
		return -EINVAL;
	for (int i = 0; i < REPORT_NODE_LEN; i++) {
		int b = hex_byte(s + 3 * i);
		if (b < 0 || (i < REPORT_NODE_LEN - 1 && s[3 * i + 2] != ':'))
			return -EINVAL;
		mac[i] = (uint8_t)b;
	}
	return 0;
}

/* One line (no newline, NUL-terminated): blank or comment → 0 fields, else exactly 3. */
static int parse_line(char *s, struct cluster_node *n)
{
	char *hash = strchr(s, '#'), *field[4], *save = NULL;
	unsigned count = 0;
	if (hash)
		*hash = '\0';
	for (char *tok = strtok_r(s, " \t\r", &save); tok; tok = strtok_r(NULL, " \t\r", &save)) {
		if (count == 3)
			return -EINVAL;
		field[count++] = tok;
	}
	if (!count)
		return 0;
	memset(n, 0, sizeof(*n));
	struct in_addr a;
	if (count != 3 || strlen(field[0]) > CLUSTER_NAME_MAX || !hostname_valid(field[0]) ||
	    cluster_parse_mac(field[1], n->mac) ||
	    (strcmp(field[2], "-") && (inet_pton(AF_INET, field[2], &a) != 1 || !a.s_addr)))
		return -EINVAL;
	strcpy(n->name, field[0]);
	n->ip = strcmp(field[2], "-") ? a.s_addr : 0;
	return 1;
}

int cluster_parse(const char *text, size_t len, struct cluster_node *out, size_t cap, unsigned *line)
{
	char buf[3 * FIELD_MAX + 16];
	size_t count = 0;
	*line = 0;
	int r;
	while ((r = text_next_line(&text, &len, buf, sizeof(buf)))) {
		++*line;
		if (r < 0)
			return r;
		struct cluster_node node;
		r = parse_line(buf, &node);
		if (r < 0)
			return r;
		if (!r)
			continue;
		if (count == cap)
			return -E2BIG;
		out[count++] = node;
	}
	qsort(out, count, sizeof(*out), by_mac);
	for (size_t i = 1; i < count; i++)
		if (!memcmp(out[i].mac, out[i - 1].mac, REPORT_NODE_LEN)) {
			*line = 0; /* which of the two lines: the sort forgot */
			return -EINVAL;
		}
	return (int)count;
}

int cluster_read_text(const char *path, char **text, size_t *len, size_t *lines)
{
	*text = NULL;
	*len = 0;
	*lines = 1;
	FILE *f = fopen(path, "r");
	if (!f)
		return -errno;
	*text = malloc(CLUSTER_FILE_MAX + 1);
	*len = *text ? fread(*text, 1, CLUSTER_FILE_MAX + 1, f) : 0;
	int err = !*text ? -ENOMEM : ferror(f) ? -EIO : *len > CLUSTER_FILE_MAX ? -EFBIG : 0;
	fclose(f);
	for (size_t i = 0; !err && i < *len; i++)
		*lines += (*text)[i] == '\n';
	return err;
}

int cluster_load(const char *path, struct cluster_list *l, unsigned *line)
{
	memset(l, 0, sizeof(*l));
	*line = 0;
	char *text;
	size_t len, cap;
	int err = cluster_read_text(path, &text, &len, &cap);
	if (!err && !(l->nodes = calloc(cap, sizeof(*l->nodes))))
		err = -ENOMEM;
	int n = err ? err : cluster_parse(text, len, l->nodes, cap, line);
	free(text);
	if (n < 0) {
		cluster_free(l);
		return n;
	}
	l->count = (size_t)n;
	return 0;
}

int cluster_save(const char *path, const struct cluster_list *l)
{
	char tmp[4096];
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	FILE *f = fopen(tmp, "w");
	if (!f)
		return -errno;
	fprintf(f, "# the nodes of ghostwatch serve --cluster: name mac ip (- = from the dhcp-range)\n");
	for (size_t i = 0; i < l->count; i++) {
		const struct cluster_node *n = &l->nodes[i];
		char ip[INET_ADDRSTRLEN] = "-";
		if (n->ip)
			inet_ntop(AF_INET, &n->ip, ip, sizeof(ip));
		fprintf(f, "%s %02x:%02x:%02x:%02x:%02x:%02x %s\n", n->name, n->mac[0], n->mac[1], n->mac[2],
			n->mac[3], n->mac[4], n->mac[5], ip);
	}
	int bad = ferror(f);
	if (fclose(f) || bad) {
		unlink(tmp);
		return -EIO;
	}
	return rename(tmp, path) < 0 ? -errno : 0;
}

_Static_assert(sizeof(((struct node *)0)->listed_name) == CLUSTER_NAME_MAX + 1, "a listed name fits");

void cluster_mark_node(const struct cluster_list *l, struct node *n)
{
	const struct cluster_node *c = cluster_find(l, n->mac);
	n->unlisted = l && !c;
	snprintf(n->listed_name, sizeof(n->listed_name), "%s", c ? c->name : "");
}

void cluster_mark(const struct cluster_list *l, struct nodes *t)
{
	for (uint32_t i = 0; i < nodes_count(t); i++)
		cluster_mark_node(l, nodes_at(t, i));
}

int cluster_add_absent(const struct cluster_list *l, struct nodes *t)
{
	for (size_t i = 0; i < l->count; i++) {
		if (nodes_find(t, l->nodes[i].mac))
			continue;
		struct node *n = nodes_get(t, l->nodes[i].mac);
		if (!n)
			return -ENOSPC;
		n->absent = 1;
		n->src_ip = l->nodes[i].ip;
		snprintf(n->listed_name, sizeof(n->listed_name), "%s", l->nodes[i].name);
	}
	return 0;
}

void cluster_free(struct cluster_list *l)
{
	free(l->nodes);
	memset(l, 0, sizeof(*l));
}

const struct cluster_node *cluster_find(const struct cluster_list *l, const uint8_t mac[REPORT_NODE_LEN])
{
	struct cluster_node key;
	if (!l || !l->count)
		return NULL;
	memcpy(key.mac, mac, REPORT_NODE_LEN);
	return bsearch(&key, l->nodes, l->count, sizeof(key), by_mac);
}
