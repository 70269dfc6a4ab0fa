/* Pure parser of the shutdown program's arguments (no I/O): systemd-shutdown's
 * `<verb> --log-level=<n> --timeout=<usec>us --log-target=<t> --exit-code=<n>`, older systemd's
 * separate words (`--timeout <n>us`), and `ghostinit shutdown poweroff|reboot|halt`. */
#ifndef GHOST_SHUTDOWN_ARGS_H
#define GHOST_SHUTDOWN_ARGS_H

#include <stdbool.h>
#include <stdint.h>

enum shutdown_verb {
	SHUTDOWN_REBOOT = 0,
	SHUTDOWN_POWEROFF,
	SHUTDOWN_HALT,
	SHUTDOWN_KEXEC,
	SHUTDOWN_EXIT, /* systemd's `exit`: outside a container it means power off */
};

#define SHUTDOWN_ARGS_MAX_WARNINGS 4
#define SHUTDOWN_ARGS_WARNING_LEN 120

struct shutdown_args {
	enum shutdown_verb verb; /* reboot when none was given */
	bool verb_given;
	int log_level;        /* 0..7, -1: not given */
	bool timeout_given;
	uint64_t timeout_us;  /* UINT64_MAX: infinity */
	char log_target[32];  /* empty: not given */
	bool exit_code_given;
	int exit_code;        /* 0..255 */
	unsigned warning_count, warnings_dropped;
	char warning[SHUTDOWN_ARGS_MAX_WARNINGS][SHUTDOWN_ARGS_WARNING_LEN];
};

/* Parses argc words (the words after the program name, or after `shutdown`). Never fails: the
 * machine must go down whatever the caller passed, so an unknown option, a bad value or a
 * second verb is a warning quoting it, and a missing verb leaves reboot (verb_given false).
 * Returns the number of warnings. */
unsigned shutdown_args_parse(int argc, char *const argv[], struct shutdown_args *out);

const char *shutdown_verb_name(enum shutdown_verb verb);
/* The verb a word names (the names shutdown_verb_name gives), or -1. */
int shutdown_verb_find(const char *word);

/* "90s", "1500ms", "15000000us", "2min", "infinity"; a bare number is seconds (systemd's
 * parse_sec()). Returns 0, -EINVAL or -ERANGE. */
int shutdown_args_parse_time(const char *text, uint64_t *out_us);

#endif
