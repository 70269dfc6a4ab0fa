/* Pure parser (no I/O) of the boot's /run/ghostboot/net.env (KEY='value' lines, written by
 * net_apply.c) into what the boot-link guardian guards: interface, address, prefix, gateway. */
#ifndef GHOST_GUARDIAN_ENV_H
#define GHOST_GUARDIAN_ENV_H

#include <stddef.h>

#include "guardian/guardian_config.h"

#define GUARDIAN_ENV_PATH "/run/ghostboot/net.env"

/* Reads GHOST_IFACE, GHOST_ADDR, GHOST_PREFIX and GHOST_GATEWAY (0.0.0.0 or empty: none).
 * Returns 0, or -EINVAL when the interface or the address is missing or malformed. */
int guardian_env_parse(const char *text, size_t len, struct guardian_config *cfg);

#endif
