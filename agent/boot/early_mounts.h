/* The first thing PID 1 does: the kernel's pseudo filesystems and a console on stdio. */
#ifndef GHOST_EARLY_MOUNTS_H
#define GHOST_EARLY_MOUNTS_H

/* Mounts /proc, /sys, /dev (devtmpfs) and /run; returns 0 or the first -errno (the boot goes
 * on: a missing /sys is survivable, the caller reports it). */
int early_mounts(void);
/* Points fds 0-2 at /dev/console when the kernel could not (no /dev/console in the image). */
void early_console(void);

#endif
