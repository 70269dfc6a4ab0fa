/* Human- and test-readable dump of the boot configuration. */
#ifndef GHOST_BOOT_CONFIG_PRINT_H
#define GHOST_BOOT_CONFIG_PRINT_H

#include <stdio.h>

#include "boot/boot_config.h"

void boot_config_print(FILE *out, const struct boot_config *cfg);

#endif
