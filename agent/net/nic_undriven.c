/* Network cards without a driver: the likeliest reason for "no usable link". */
#include "net/nic_undriven.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/small_file.h"

int nic_undriven_pci_is_network(const char *class_text)
{
	return !strncmp(class_text, "0x02", 4) && strlen(class_text) >= 8;
}

int nic_undriven_virtio_is_network(const char *device_text)
{
	return !strncmp(device_text, "0x0001", 6) && (device_text[6] == '\0' || device_text[6] == '\n');
}

/* Reads the first word of dir/dev/name into buf ("" when unreadable). */
static void read_attr(const char *dir, const char *dev, const char *name, char *buf, size_t size)
{
	char path[600];
	snprintf(path, sizeof(path), "%s/%s/%s", dir, dev, name);
	if (small_file_read(path, buf, size) < 0)
		buf[0] = '\0';
	buf[strcspn(buf, " \n")] = '\0';
}

/* One bus: devices whose attribute attr passes is_network and that have no driver link. */
static unsigned log_bus(const char *sys, const char *bus, const char *attr, int (*is_network)(const char *))
{
	char dir[256];
	unsigned count = 0;
	snprintf(dir, sizeof(dir), "%s/bus/%s/devices", sys, bus);
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	for (struct dirent *e; (e = readdir(d));) {
		char value[16], vendor[16], device[16], path[600];
		if (e->d_name[0] == '.')
			continue;
		read_attr(dir, e->d_name, attr, value, sizeof(value));
		snprintf(path, sizeof(path), "%s/%s/driver", dir, e->d_name);
		if (!is_network(value) || access(path, F_OK) == 0)
			continue;
		read_attr(dir, e->d_name, "vendor", vendor, sizeof(vendor));
		read_attr(dir, e->d_name, "device", device, sizeof(device));
		log_warn("%s network device %s (vendor %s, device %s) has no driver: its module is not in this image or did not load",
			 bus, e->d_name, vendor, device);
		count++;
	}
	closedir(d);
	return count;
}

unsigned nic_undriven_log(const char *sys)
{
	return log_bus(sys, "pci", "class", nic_undriven_pci_is_network) +
	       log_bus(sys, "virtio", "device", nic_undriven_virtio_is_network);
}
