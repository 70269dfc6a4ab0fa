/* Loads modules with finit_module(2), in the order the image builder resolved, skipping what
 * this boot does not need: drivers of devices the machine does not have (their aliases
 * against the modalias of every device in sysfs, as udev and modprobe would match them) and
 * filesystems the command line rules out. */
#include "boot/modules.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/small_file.h"

#define MODALIAS_MAX 512     /* devices remembered per scan (a PC has ~100) */
#define MODALIAS_LEN 192     /* longer modaliases (none seen) are cut and may not match */

/* The devices present, rescanned after a module was loaded (it may have added devices: the
 * virtio transport brings the virtio NIC). Loading happens in one thread at a time. */
static struct {
	char alias[MODALIAS_MAX][MODALIAS_LEN];
	unsigned count;
	int scanned; /* 0: scan before the next match (a module was loaded since) */
	int every_driver; /* no NIC recognised: load every driver */
} devices;

static void read_modalias(const char *path)
{
	char *dst = devices.alias[devices.count];
	if (small_file_read(path, dst, MODALIAS_LEN) <= 0)
		return;
	dst[strcspn(dst, "\n")] = '\0';
	devices.count++;
}

static void scan_devices(void)
{
	char path[16 + 2 * sizeof(((struct dirent *)0)->d_name) + 16];
	devices.count = 0;
	devices.scanned = 1;
	DIR *buses = opendir("/sys/bus");
	if (!buses)
		return;
	struct dirent *bus, *dev;
	while ((bus = readdir(buses)) && devices.count < MODALIAS_MAX) {
		if (bus->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/%s/devices", bus->d_name);
		DIR *devs = opendir(path);
		if (!devs)
			continue;
		while ((dev = readdir(devs)) && devices.count < MODALIAS_MAX) {
			if (dev->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/sys/bus/%s/devices/%s/modalias", bus->d_name, dev->d_name);
			read_modalias(path);
		}
		closedir(devs);
	}
	closedir(buses);
}

/* module_device_query: a driver is needed when a device matches one of its aliases; a driver
 * without aliases in the image (or an image without the alias file) is always needed. */
static bool device_needs(const char *module, size_t len, void *ctx)
{
	(void)ctx;
	if (devices.every_driver)
		return true;
	FILE *aliases = fopen(MODULES_ALIAS_PATH, "re");
	if (!aliases)
		return true;
	if (!devices.scanned)
		scan_devices();
	char line[512];
	bool has_alias = false, match = false;
	while (!match && fgets(line, sizeof(line), aliases)) {
		const char *name = strrchr(line, ' ');
		if (!name || strncmp(name + 1, module, len) != 0 || (name[1 + len] != '\n' && name[1 + len] != '\0'))
			continue;
		has_alias = true;
		for (unsigned i = 0; i < devices.count && !match; i++)
			match = module_alias_matches(line, module, len, devices.alias[i]);
	}
	fclose(aliases);
	return match || !has_alias;
}

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

static void note_skipped(struct modules_result *r, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t used = strlen(r->skipped_names), len = strcspn(base, ".");
	r->skipped++;
	if (used + len + 2 < sizeof(r->skipped_names))
		snprintf(r->skipped_names + used, sizeof(r->skipped_names) - used, "%s%.*s", used ? " " : "",
			 (int)len, base);
}

static void load_line(const char *path, struct modules_result *r)
{
	int err = load_one(path);
	if (err == 0) {
		r->loaded++;
		devices.scanned = 0;
		log_debug("loaded %s", path);
	} else if (err == -EEXIST) {
		r->present++;
	} else {
		r->failed++;
		log_warn("module %s not loaded: %s", path, strerror(-err));
	}
}

/* One line of the load list, "<group> <path> <needs>": false for a comment or a short line.
 * *needs points into line. */
struct list_line {
	char group[32], path[448];
	const char *needs;
};

static bool parse_list_line(const char *line, struct list_line *l)
{
	int tail = 0;
	if (line[0] == '#' || sscanf(line, "%31s %447s %n", l->group, l->path, &tail) != 2)
		return false;
	l->needs = line + tail;
	return true;
}

int modules_load(const char *list_path, const char *group, const struct module_needs *needs,
		 struct modules_result *result)
{
	char line[512];
	memset(result, 0, sizeof(*result));
	FILE *list = fopen(list_path, "re");
	if (!list)
		return -errno;
	struct list_line l;
	while (fgets(line, sizeof(line), list)) {
		if (!parse_list_line(line, &l) || (group && strcmp(group, l.group) != 0))
			continue;
		if (!module_line_needed(l.needs, needs, device_needs, NULL))
			note_skipped(result, l.path);
		else
			load_line(l.path, result);
	}
	fclose(list);
	return 0;
}

bool modules_no_known_nic(const char *list_path)
{
	char line[512];
	const struct module_needs none = { 0 };
	bool known = false, any = false;
	FILE *list = fopen(list_path, "re");
	if (!list)
		return false;
	struct list_line l;
	while (!known && fgets(line, sizeof(line), list)) {
		if (!parse_list_line(line, &l) || strcmp(l.group, "net") != 0 || !strstr(l.needs, "dev:"))
			continue;
		any = true;
		known = module_line_needed(l.needs, &none, device_needs, NULL);
	}
	fclose(list);
	devices.every_driver = any && !known;
	return devices.every_driver;
}
