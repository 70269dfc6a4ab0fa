/* The one place every unrecoverable error goes. PID 1 never exits. */
#ifndef GHOST_FATAL_H
#define GHOST_FATAL_H

#include "boot/boot_config.h"

/* Which rd.shell / panic= / ghost.reset= the fatal path obeys; defaults until this is called. */
void fatal_configure(const struct boot_config *cfg);
/* The real system's fatal path: when /proc/sys/kernel/panic is 0 (the kernel's default: a
 * panic waits forever), sets it to the panic= seconds ghostinit obeys (10 by default), so a
 * later panic resets the node. A panic= the kernel already applied is left alone. Returns
 * the value set, 0 when none was needed, or -errno. */
int fatal_kernel_panic_timeout(void);
/* Resets (via reset_machine) if ghostinit itself crashes, instead of a kernel panic. */
void fatal_install_crash_handlers(void);

/* Prints why, opens the rescue shell when rd.shell is set, waits panic= seconds (reaping
 * children) and resets. When ghostinit is not PID 1 (a subcommand), it exits with status 1. */
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
