/* The report state line (see report_state.h). */
#include "report/report_state.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "lib/hex.h"

#define FIELDS 9

int report_state_format(const struct report_state *st, char *buf, size_t cap)
{
	char ip[INET_ADDRSTRLEN];
	const uint8_t *n = st->node;
	if (cap < REPORT_STATE_LINE_MAX)
		return -ENOSPC;
	inet_ntop(AF_INET, &st->master_ip, ip, sizeof(ip));
	return snprintf(buf, cap, "ghostboot-report 1 %02x%02x%02x%02x%02x%02x %s %u %016llx %u %u %d\n", n[0],
			n[1], n[2], n[3], n[4], n[5], ip, st->master_port, (unsigned long long)st->boot_id,
			st->last_seq, st->heartbeat_s, st->daemon_pid);
}

/* Digits only (no sign, no space), in base 10 or 16, at most max. */
static int number(const char *s, unsigned base, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	if (!*s || strlen(s) > 20)
		return -EINVAL;
	for (; *s; s++) {
		int d = base == 16 ? hex_digit(*s) : *s >= '0' && *s <= '9' ? *s - '0' : -1;
		if (d < 0 || v > (max - (uint64_t)d) / base)
			return -EINVAL;
		v = v * base + (uint64_t)d;
	}
	*out = v;
	return 0;
}

static int parse_node(const char *s, uint8_t node[REPORT_NODE_LEN])
{
	if (strlen(s) != 2 * REPORT_NODE_LEN)
		return -EINVAL;
	for (int i = 0; i < REPORT_NODE_LEN; i++) {
		int byte = hex_byte(s + 2 * i);
		if (byte < 0)
			return -EINVAL;
		node[i] = (uint8_t)byte;
	}
	return 0;
}

int report_state_parse(const char *text, size_t len, struct report_state *st)
{
	char line[REPORT_STATE_LINE_MAX + 1], *field[FIELDS], *save = NULL;
	unsigned n = 0;
	uint64_t port, boot_id, seq, heartbeat, pid;
	if (len == 0 || len > REPORT_STATE_LINE_MAX || memchr(text, '\0', len))
		return -EINVAL;
	memcpy(line, text, len);
	line[len] = '\0';
	if (line[len - 1] == '\n')
		line[len - 1] = '\0';
	for (char *tok = strtok_r(line, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (n == FIELDS)
			return -EINVAL;
		field[n++] = tok;
	}
	memset(st, 0, sizeof(*st));
	if (n != FIELDS || strcmp(field[0], "ghostboot-report") || strcmp(field[1], "1") ||
	    parse_node(field[2], st->node) || inet_pton(AF_INET, field[3], &st->master_ip) != 1 ||
	    number(field[4], 10, 65535, &port) || !port || number(field[5], 16, UINT64_MAX, &boot_id) ||
	    !boot_id || number(field[6], 10, UINT32_MAX, &seq) || number(field[7], 10, 65535, &heartbeat) ||
	    number(field[8], 10, INT_MAX, &pid))
		return -EINVAL;
	st->master_port = (uint16_t)port;
	st->boot_id = boot_id;
	st->last_seq = (uint32_t)seq;
	st->heartbeat_s = (uint16_t)heartbeat;
	st->daemon_pid = (int)pid;
	return 0;
}
