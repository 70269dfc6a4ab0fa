/* The boot's reporting state as one text line in /run/ghostboot/report, for whoever reports
 * next in this boot (the heartbeat daemon, the guardian, the shutdown program):
 * "ghostboot-report 2 <node> <master> <port> <boot id> <last seq> <heartbeat s> <daemon pid>
 * <nonce>" (32 hex digits, the master's nonce for this boot, zeros until an ack brought it);
 * "ghostboot-report 1 ..." without the nonce when the boot reports with protocol v1.
 * Pure format and parse (no I/O): unit-tested and fuzzed; report.c reads and writes the file. */
#ifndef GHOST_REPORT_STATE_H
#define GHOST_REPORT_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "report/report_wire.h"

#define REPORT_STATE_LINE_MAX 160

struct report_state {
	uint8_t node[REPORT_NODE_LEN];
	uint32_t master_ip;   /* network byte order */
	uint16_t master_port; /* host order, never 0 */
	uint64_t boot_id;     /* never 0 */
	uint32_t last_seq;
	uint16_t heartbeat_s;
	int daemon_pid;       /* 0: no heartbeat daemon */
	uint8_t version;      /* report protocol, 1 or 2: the line's second word */
	uint8_t nonce[REPORT_NONCE_LEN]; /* v2; zeros in a v1 line */
};

/* Writes the line (with its newline, NUL-terminated) into buf. Returns its length, or
 * -ENOSPC when cap is below REPORT_STATE_LINE_MAX. */
int report_state_format(const struct report_state *st, char *buf, size_t cap);
/* Parses len bytes (need not be NUL-terminated). 0, or -EINVAL for anything but such a line. */
int report_state_parse(const char *text, size_t len, struct report_state *st);

#endif
