/* Loads modules with finit_module(2), in the order the image builder resolved. */
#include "modules.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"

static int load_one(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int rc = (int)syscall(SYS_finit_module, fd, "", 0);
	int err = rc == 0 ? 0 : -errno;
	close(fd);
	return err;
}

int modules_load(const char *list_path, const char *group, struct modules_result *result)
{
	char line[512];
	memset(result, 0, sizeof(*result));
	FILE *list = fopen(list_path, "re");
	if (!list)
		return -errno;
	while (fgets(line, sizeof(line), list)) {
		char line_group[32], path[448];
		if (line[0] == '#' || sscanf(line, "%31s %447s", line_group, path) != 2)
			continue;
		if (group && strcmp(group, line_group) != 0)
			continue;
		int err = load_one(path);
		if (err == 0) {
			result->loaded++;
			log_debug("loaded %s", path);
		} else if (err == -EEXIST) {
			result->present++;
		} else {
			result->failed++;
			log_warn("module %s not loaded: %s", path, strerror(-err));
		}
	}
	fclose(list);
	return 0;
}
