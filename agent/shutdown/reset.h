/* The end of every path: reset, power off or halt the machine. */
#ifndef GHOST_RESET_H
#define GHOST_RESET_H

#include "boot/boot_config.h"

enum reset_action { RESET_ACTION_REBOOT = 0, RESET_ACTION_POWEROFF, RESET_ACTION_HALT, RESET_ACTION_KEXEC };

/* Syncs (in a child, for at most RESET_SYNC_MS: a sync blocked on a dead NFS server must not
 * stop the reset), then reset_now(). */
#define RESET_SYNC_MS 2000
_Noreturn void reset_machine(enum reset_method method, enum reset_action action);

/* Without syncing (the shutdown sequence has synced within its own bound): power off, halt,
 * kexec the loaded kernel, or reset with the chosen method (the kernel's
 * /sys/kernel/reboot/type, then reboot(2), then a direct 0xCF9 write on x86); when all of
 * that fails (and for a failed power off), arms /dev/watchdog with the shortest timeout and
 * stops feeding it. Before a power-off or a reset, /dev/watchdog (where there is one) is
 * armed with RESET_WATCHDOG_NET_S: the net under reboot(2) itself. Never returns: if nothing
 * works it says so on the console every 10 s. */
#define RESET_WATCHDOG_NET_S 10
/* Power-off, halt and kexec are asked for from a child (the kernel ends the task that asked
 * when they fail: never PID 1); after this long without a result, the reset follows. */
#define RESET_CHILD_MS 10000u
/* Before a halt, how long the link guardian has to let go of the watchdog it armed. */
#define RESET_DISARM_MS 1000u
_Noreturn void reset_now(enum reset_method method, enum reset_action action);

const char *reset_method_name(enum reset_method method);
/* "reboot", "poweroff", "halt", "kexec": the shutdown verbs, as reports and the console name them. */
const char *reset_action_name(enum reset_action action);

#endif
