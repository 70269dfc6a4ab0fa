/* Reading a small file (sysfs and procfs attributes, the boot's own state files) in one
 * read(2): what most of the agent's probing needs. */
#ifndef GHOST_SMALL_FILE_H
#define GHOST_SMALL_FILE_H

#include <sys/types.h>

/* Reads at most size - 1 bytes of path into buf and NUL-terminates them. Returns the length,
 * or -errno (buf untouched when the file cannot be opened). */
ssize_t small_file_read(const char *path, char *buf, size_t size);
/* The same for name relative to the directory dirfd (openat(2) rules; AT_FDCWD allowed). */
ssize_t small_file_read_at(int dirfd, const char *name, char *buf, size_t size);

#endif
