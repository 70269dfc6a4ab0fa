/* Which of the image's modules this boot needs. The image carries drivers for every NIC a
 * worker may have and every filesystem a root may use; loading them all costs most of the
 * boot under a slow CPU (each finit_module relocates and checks a signature). The image
 * builder tags every line of the load list with why it is there:
 *
 *   <group> <path> [<need>[,<need>...]]
 *
 * a need being `always`, `nfs3`, `nfs4`, `overlay` or `dev:<module>` (a driver, needed when a device matches one of its aliases). A line is
 * loaded when any of its needs holds; a line without needs is always loaded. Pure: no I/O. */
#ifndef GHOST_MODULE_CHOICE_H
#define GHOST_MODULE_CHOICE_H

#include <stdbool.h>
#include <stddef.h>

#include "boot/boot_config.h"

/* What the command line asks for; unknown until DHCP means "maybe", so true. */
struct module_needs {
	bool nfs3, nfs4, overlay;
};

void module_needs_from_config(const struct boot_config *cfg, struct module_needs *needs);

/* Answers "does a device need driver <module>?" (see modules.c: aliases against sysfs). */
typedef bool (*module_device_query)(const char *module, size_t len, void *ctx);

/* Whether a list line with these needs (the text after the path; may be empty) is loaded. */
bool module_line_needed(const char *needs, const struct module_needs *n, module_device_query dev, void *ctx);

/* Whether one alias line of the image's modules.alias ("alias <pattern> <module>") names
 * module and its pattern matches modalias (fnmatch, as modprobe does). */
bool module_alias_matches(const char *line, const char *module, size_t module_len, const char *modalias);

#endif
