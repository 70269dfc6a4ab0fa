/* The one reader of the kernel command line: the text an admin or a test gives
 * (`ghostinit cmdline TEXT`, `net-up --cmdline TEXT`), or /proc/cmdline, parsed into the boot
 * configuration by the pure parser (cmdline.h). */
#ifndef GHOST_BOOT_CONFIG_LOAD_H
#define GHOST_BOOT_CONFIG_LOAD_H

#include "boot/boot_config.h"
#include "boot/cmdline.h"

/* The kernel's own limit is smaller (COMMAND_LINE_SIZE, 2048 on x86); longer text is cut. */
#define BOOT_CMDLINE_MAX 8192

/* Parses text, or /proc/cmdline when text is NULL, into cfg and warnings. Returns 0, or
 * -errno when /proc/cmdline cannot be read: cfg then holds the defaults of an empty line. */
int boot_config_load(const char *text, struct boot_config *cfg, struct cmdline_warnings *warnings);

#endif
