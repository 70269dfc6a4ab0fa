/* Hands the machine to the real root: checks before destroying anything, frees the initramfs,
 * moves /dev /proc /sys /run, chroots and execs the real init. */
#ifndef GHOST_SWITCH_ROOT_H
#define GHOST_SWITCH_ROOT_H

#define SWITCH_ROOT_SHUTDOWN_DIR "/run/initramfs"

/* Checks that newroot is a mount point on another device than /, that / is the initramfs
 * (ramfs or tmpfs), and that init, resolved inside newroot (absolute symlinks included), is an
 * executable regular file. What touches newroot runs in a child bounded by
 * SWITCH_ROOT_CHECK_MS (-ETIMEDOUT: the root's server stopped answering). Returns 0 or
 * -errno; *why says which check failed. */
#define SWITCH_ROOT_CHECK_MS 10000u
int switch_root_check(const char *newroot, const char *init, const char **why);

/* Copies the running ghostinit (/proc/self/exe) to SWITCH_ROOT_SHUTDOWN_DIR/shutdown, the
 * program systemd-shutdown hands the machine back to, and extra_file (e.g. the report key,
 * may be NULL) to the same path under that directory. Returns 0 or -errno. */
int switch_root_keep_shutdown(const char *extra_file);

/* Deletes the initramfs, moves the pseudo filesystems, chroots into newroot and execs init
 * with the arguments the kernel gave PID 1 (read from /proc/self/cmdline). The moves and the
 * deletion touch newroot, so they run in a child bounded by SWITCH_ROOT_CHECK_MS too
 * (-ETIMEDOUT); chdir, chroot and execve are PID 1's own. Returns only on failure, with
 * -errno and *why; call switch_root_check first. */
int switch_root_exec(const char *newroot, const char *init, const char **why);

#endif
