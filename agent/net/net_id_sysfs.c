/* sysfs → struct net_id_input (see net_id_sysfs.h). Attributes that are missing or unreadable
 * stay at their zero value, as net_id treats them. */
#include "net/net_id_sysfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/small_file.h"

/* dir/name into out (PATH_MAX bytes); false when it does not fit. */
static bool join(char *out, const char *dir, const char *name)
{
	int n = snprintf(out, PATH_MAX, "%s/%s", dir, name);
	return n > 0 && n < PATH_MAX;
}

/* The first line of dir/name into buf; false when unreadable (buf then ""). */
static bool attr(const char *dir, const char *name, char *buf, size_t size)
{
	char path[PATH_MAX];
	buf[0] = '\0';
	if (!join(path, dir, name) || small_file_read(path, buf, size) < 0) {
		buf[0] = '\0';
		return false;
	}
	buf[strcspn(buf, "\n")] = '\0';
	return true;
}

/* A decimal attribute; false when missing or not a number. */
static bool attr_ulong(const char *dir, const char *name, unsigned long *value)
{
	char buf[32], *end;
	if (!attr(dir, name, buf, sizeof(buf)) || !buf[0])
		return false;
	errno = 0;
	unsigned long v = strtoul(buf, &end, 10);
	if (errno || *end || buf[0] == '-')
		return false;
	*value = v;
	return true;
}

/* The subsystem a sysfs device belongs to ("pci", "virtio", ...): its subsystem link's name. */
static bool subsystem_is(const char *dir, const char *want)
{
	char path[PATH_MAX], target[PATH_MAX];
	if (!join(path, dir, "subsystem"))
		return false;
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return false;
	target[n] = '\0';
	const char *base = strrchr(target, '/');
	return !strcmp(base ? base + 1 : target, want);
}

static void parent_of(char *dir)
{
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir)
		*slash = '\0';
}

static bool is_bridge(const char *dir)
{
	char modalias[128];
	if (!attr(dir, "modalias", modalias, sizeof(modalias)) || strncmp(modalias, "pci:", 4))
		return false;
	const char *s = strrchr(modalias, 's');
	return s && s[1] == 'c' && !strncmp(s + 2, "0604", 4);
}

static void read_pci(const char *dev, struct net_id_input *in)
{
	char dir[PATH_MAX], path[PATH_MAX];
	unsigned char config[64];
	in->virtfn = join(path, dev, "physfn") && access(path, F_OK) == 0;
	in->has_acpi_index = attr_ulong(dev, "acpi_index", &in->acpi_index);
	in->has_index = attr_ulong(dev, "index", &in->index);
	char ari[8];
	in->ari = attr(dev, "ari_enabled", ari, sizeof(ari)) && !strcmp(ari, "1");
	int fd = join(path, dev, "config") ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	if (fd >= 0) {
		in->multifunction = read(fd, config, sizeof(config)) > 0x0e && (config[0x0e] & 0x80);
		close(fd);
	}
	memcpy(dir, dev, PATH_MAX);
	while (in->pci_depth < NET_ID_PCI_DEPTH && subsystem_is(dir, "pci")) {
		const char *base = strrchr(dir, '/');
		base = base ? base + 1 : dir;
		if (strlen(base) >= NET_ID_ADDR_MAX)
			break;
		memcpy(in->pci_chain[in->pci_depth].address, base, strlen(base) + 1);
		in->pci_chain[in->pci_depth++].bridge = is_bridge(dir);
		parent_of(dir);
	}
}

static void read_slots(const char *sys, struct net_id_input *in)
{
	char dir[PATH_MAX], slot[PATH_MAX];
	DIR *d = join(dir, sys, "bus/pci/slots") ? opendir(dir) : NULL;
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) && in->nslots < NET_ID_SLOTS_MAX) {
		char *end;
		unsigned long number = strtoul(e->d_name, &end, 10);
		if (e->d_name[0] < '0' || e->d_name[0] > '9' || *end || number == 0 || number > 0xffffffffUL)
			continue;
		if (!join(slot, dir, e->d_name) ||
		    !attr(slot, "address", in->slots[in->nslots].address, NET_ID_ADDR_MAX))
			continue;
		in->slots[in->nslots++].number = (unsigned)number;
	}
	closedir(d);
}

int net_id_sysfs_read(const char *sys, const char *ifname, struct net_id_input *in)
{
	char net[PATH_MAX], path[PATH_MAX], dev[PATH_MAX], buf[256];
	unsigned long v;
	memset(in, 0, sizeof(*in));
	if (!join(path, sys, "class/net") || !join(net, path, ifname) || !attr_ulong(net, "type", &v))
		return -ENOENT;
	in->type = (unsigned)v;
	in->ifindex = attr_ulong(net, "ifindex", &v) ? (int)v : 0;
	in->iflink = attr_ulong(net, "iflink", &v) ? (int)v : 0;
	if (attr_ulong(net, "dev_port", &v))
		in->dev_port = v;
	(void)attr(net, "phys_port_name", in->phys_port_name, sizeof(in->phys_port_name));
	if (join(path, net, "uevent") && small_file_read(path, buf, sizeof(buf)) > 0) {
		const char *t = strstr(buf, "DEVTYPE=");
		if (t && (t == buf || t[-1] == '\n'))
			snprintf(in->devtype, sizeof(in->devtype), "%.*s", (int)strcspn(t + 8, "\n"), t + 8);
	}
	if (!join(path, net, "device") || !realpath(path, dev))
		return 0; /* virtual: no device, no name */
	if (subsystem_is(dev, "virtio"))
		parent_of(dev);
	in->pci = subsystem_is(dev, "pci");
	if (in->pci) {
		read_pci(dev, in);
		read_slots(sys, in);
	}
	return 0;
}
