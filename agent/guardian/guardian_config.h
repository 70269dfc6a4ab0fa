/* What the boot-link guardian guards and how it reports: filled from the guardian's arguments
 * (guardian_cmd.c) or from the boot's net.env (guardian_env.c), read by the guardian itself. */
#ifndef GHOST_GUARDIAN_CONFIG_H
#define GHOST_GUARDIAN_CONFIG_H

#include <stdint.h>

struct guardian_config {
	char ifname[16];
	uint32_t addr;    /* network byte order */
	int prefix;
	uint32_t gateway; /* network byte order; 0: no default route to guard */
	uint32_t watchdog_s; /* timeout armed on SIGUSR1; 0: the default (ghost.shutdown_timeout + 10 s) */
	int run_fd;          /* /run opened before switch_root, for reports; -1: none */
	int ready_fd;        /* "1" written there, then closed, once it watches; -1: none */
};

#endif
