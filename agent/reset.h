/* The end of every path: reset, power off or halt the machine. */
#ifndef GHOST_RESET_H
#define GHOST_RESET_H

#include "boot_config.h"

enum reset_action { RESET_ACTION_REBOOT = 0, RESET_ACTION_POWEROFF, RESET_ACTION_HALT };

/* Syncs, then resets with the chosen method (the kernel's /sys/kernel/reboot/type, then
 * reboot(2), then a direct 0xCF9 write on x86). Never returns: if every method fails it says
 * so on the console every 10 s. */
_Noreturn void reset_machine(enum reset_method method, enum reset_action action);

const char *reset_method_name(enum reset_method method);

#endif
