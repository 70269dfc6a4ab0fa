/* Kernel modules from the ordered load list the image builder wrote (dependencies and
 * softdeps already resolved with kmod's tools at build time: no modprobe at boot). */
#ifndef GHOST_MODULES_H
#define GHOST_MODULES_H

#define MODULES_LIST_PATH "/etc/ghostboot/modules"

struct modules_result {
	unsigned loaded;  /* newly loaded */
	unsigned present; /* already there (built in or loaded earlier) */
	unsigned failed;  /* missing file or refused by the kernel: a warning each */
};

/* Loads, in list order, every module whose group matches (NULL: every group). Lines are
 * "<group> <path>"; a missing or refused module is a warning, never fatal. Returns 0, or
 * -errno when the list itself cannot be read. */
int modules_load(const char *list_path, const char *group, struct modules_result *result);

#endif
