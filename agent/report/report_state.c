/* The report state line (see report_state.h). */
#include "report/report_state.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "lib/hex.h"

#define FIELDS 10 /* v2; a v1 line has the first 9 */

int report_state_format(const struct report_state *st, char *buf, size_t cap)
{
	char ip[INET_ADDRSTRLEN], nonce[2 * REPORT_NONCE_LEN + 2] = "";
	const uint8_t *n = st->node;
	int v2 = st->version != 1;
	if (cap < REPORT_STATE_LINE_MAX)
		return -ENOSPC;
	inet_ntop(AF_INET, &st->master_ip, ip, sizeof(ip));
	for (int i = 0; v2 && i < REPORT_NONCE_LEN; i++)
		snprintf(nonce + 1 + 2 * i, 3, "%02x", st->nonce[i]);
	nonce[0] = v2 ? ' ' : '\0';
	return snprintf(buf, cap, "ghostboot-report %d %02x%02x%02x%02x%02x%02x %s %u %016llx %u %u %d%s\n",
			v2 ? 2 : 1, n[0], n[1], n[2], n[3], n[4], n[5], ip, st->master_port,
			(unsigned long long)st->boot_id, st->last_seq, st->heartbeat_s, st->daemon_pid, nonce);
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

/* Exactly 2 * len hex digits. */
static int parse_bytes(const char *s, uint8_t *out, size_t len)
{
	if (strlen(s) != 2 * len)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		int byte = hex_byte(s + 2 * i);
		if (byte < 0)
			return -EINVAL;
		out[i] = (uint8_t)byte;
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
	/* "1" has 9 fields, "2" one more: the nonce. */
	st->version = n == FIELDS && !strcmp(field[1], "2") ? 2 : n == FIELDS - 1 && !strcmp(field[1], "1") ? 1 : 0;
	if (!st->version || strcmp(field[0], "ghostboot-report") ||
	    (st->version == 2 && parse_bytes(field[9], st->nonce, REPORT_NONCE_LEN)) ||
	    parse_bytes(field[2], st->node, REPORT_NODE_LEN) || inet_pton(AF_INET, field[3], &st->master_ip) != 1 ||
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
