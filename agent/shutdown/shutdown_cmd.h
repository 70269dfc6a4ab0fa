/* `ghostinit shutdown VERB`: the shutdown program started by another init (not systemd). */
#ifndef GHOST_SHUTDOWN_CMD_H
#define GHOST_SHUTDOWN_CMD_H

/* `ghostinit shutdown VERB` (argv[0] is "shutdown"): refuses (returns 1, or 2 for usage)
 * unless run as root with a verb on a machine that booted through ghostinit
 * (/run/initramfs/shutdown exists), so that running it on a workstation by mistake does not
 * kill every process there; otherwise never returns. */
int shutdown_cmd_main(int argc, char *const argv[]);

#endif
