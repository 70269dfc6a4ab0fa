/* The guardian's reports of its repairs to the master (docs/shutdown.md, "Reports").
 * A boot's report sequence has one owner at a time (ghostwatch refuses a (boot id, sequence)
 * it has seen): while the heartbeat daemon runs, the guardian hands each event to it (a file
 * in /run/ghostboot and SIGUSR1) and the daemon sends it with its next number; without a
 * daemon the guardian sends itself from the saved state, holding REPORT_LOCK_NAME, which the
 * shutdown program also holds while it reports. At most one report per
 * GUARDIAN_REPORT_MIN_MS: each one carries the count of restores in this boot, so what the
 * limit held back shows in the next. */
#ifndef GHOST_GUARDIAN_REPORT_H
#define GHOST_GUARDIAN_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/report_wire.h"

#define GUARDIAN_EVENT_NAME "guardian-event" /* in /run/ghostboot: the text to send */
#define GUARDIAN_REPORT_MIN_MS 10000u
#define GUARDIAN_REPORT_TRIES 5 /* a report that cannot go out is tried again each second */

struct guardian_report {
	int state_dir;  /* /run/ghostboot (through /run opened before switch_root); -1: off;
			 * the boot's key is kept there (report_key.h), never passed in argv */
	unsigned restores;
	char text[REPORT_TEXT_MAX + 1]; /* the report to send */
	bool pending;
	uint64_t last_sent; /* clock_ms(); 0: never */
	unsigned failures;  /* failed tries of the pending report */
};

/* run_fd: /run, opened by the boot before switch_root (-1: no reporting). */
void guardian_report_init(struct guardian_report *g, int run_fd);

/* Counts one restore and makes the text: "<restores> restored: <ifname> lost<what> (<how>) <ms> ms". */
void guardian_report_note(struct guardian_report *g, const char *ifname, const char *what, const char *how,
			  uint64_t ms);

/* Whether a noted restore may go out at now (clock_ms()). */
bool guardian_report_due(const struct guardian_report *g, uint64_t now);

/* Sends (or hands over) what is due; call after each note and once a second. A failed try
 * (the link still down: no route) stays due, up to GUARDIAN_REPORT_TRIES. */
void guardian_report_flush(struct guardian_report *g, uint64_t now);

#endif
