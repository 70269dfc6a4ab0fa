/* Pure parser of the kernel command line into the boot configuration (no I/O: unit-tested
 * and fuzzed on buffers). Bad values are collected as warnings quoting the value. */
#ifndef GHOST_CMDLINE_H
#define GHOST_CMDLINE_H

#include <stddef.h>

#include "boot/boot_config.h"

#define CMDLINE_MAX_WARNINGS 16
#define CMDLINE_WARNING_LEN 160

struct cmdline_warnings {
	unsigned count;   /* warnings kept (at most CMDLINE_MAX_WARNINGS) */
	unsigned dropped; /* warnings beyond that */
	char text[CMDLINE_MAX_WARNINGS][CMDLINE_WARNING_LEN];
};

/* Parses len bytes of text (need not be NUL-terminated) into cfg, which starts from the
 * defaults. Returns the number of warnings. Never fails: a bad value keeps the default. */
unsigned cmdline_parse(const char *text, size_t len, struct boot_config *cfg,
		       struct cmdline_warnings *warnings);

/* Parses "<seconds>[.<fraction>]" (at most 3 decimals) into milliseconds; -EINVAL/-ERANGE. */
int cmdline_parse_seconds(const char *value, uint32_t max_ms, uint32_t *out_ms);

/* Parses a hardware address: "01-aa-bb-cc-dd-ee-ff" (pxelinux BOOTIF, with the ARP type),
 * "aa:bb:cc:dd:ee:ff" or "aa-bb-..." (without). Returns 0 or -EINVAL. */
int cmdline_parse_hwaddr(const char *value, uint8_t *hwtype, uint8_t *addr, uint8_t *len);

#endif
