/* The insecure marker: a file, not a field of the snapshot, so that a serve started with a key
 * clears it at once, before any snapshot is written. */
#include "state/mode.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int marker(const char *dir, char path[PATH_MAX])
{
	return snprintf(path, PATH_MAX, "%s/insecure", dir) >= PATH_MAX ? -ENAMETOOLONG : 0;
}

int mode_mark(const char *dir, int insecure)
{
	static const char why[] = "ghostwatch serve runs with --insecure: no cluster key, anyone can forge reports\n";
	char path[PATH_MAX];
	int err = marker(dir, path);
	if (err)
		return err;
	if (!insecure)
		return unlink(path) < 0 && errno != ENOENT ? -errno : 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, why, sizeof(why) - 1);
	err = n < 0 ? -errno : 0;
	close(fd);
	return err;
}

int mode_insecure(const char *dir)
{
	char path[PATH_MAX];
	return !marker(dir, path) && access(path, F_OK) == 0;
}
