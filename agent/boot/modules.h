/* Kernel modules from the ordered load list the image builder wrote (dependencies and
 * softdeps already resolved with kmod's tools at build time: no modprobe at boot), each line
 * loaded only when this boot needs it (module_choice.h). */
#ifndef GHOST_MODULES_H
#define GHOST_MODULES_H

#include "boot/module_choice.h"

#define MODULES_LIST_PATH "/etc/ghostboot/modules"
#define MODULES_ALIAS_PATH "/etc/ghostboot/modules.alias"

struct modules_result {
	unsigned loaded;  /* newly loaded */
	unsigned present; /* already there (built in or loaded earlier) */
	unsigned failed;  /* missing file or refused by the kernel: a warning each */
	unsigned skipped; /* not needed by this boot (no such device, not asked for) */
	char skipped_names[256]; /* their names, space-separated, cut when long */
};

/* Loads, in list order, every needed module whose group matches (NULL: every group). A
 * missing or refused module is a warning, never fatal. Returns 0, or -errno when the list
 * itself cannot be read. */
int modules_load(const char *list_path, const char *group, const struct module_needs *needs,
		 struct modules_result *result);

/* When no device matches any driver of the "net" group (hardware the image builder did not
 * know, aliases missing), every driver is loaded: better slow than without a network. Call
 * before loading that group; returns true when it chose to load them all. */
bool modules_no_known_nic(const char *list_path);

#endif
