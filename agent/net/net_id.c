/* net_id's names for a PCI network device (see net_id.h), from the facts in the struct. */
#include "net/net_id.h"

#include <errno.h>
#include <net/if_arp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Appends to a name; on overflow the name is marked unusable (first byte '\1'). */
static void add(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(char *buf, const char *fmt, ...)
{
	size_t o = strlen(buf);
	if (buf[0] == '\1')
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf + o, NET_ID_NAME_MAX - o, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= NET_ID_NAME_MAX - o) {
		buf[0] = '\1';
		buf[1] = '\0';
	}
}

static void finish(char *buf)
{
	if (buf[0] == '\1')
		buf[0] = '\0';
}

/* The two-letter prefix by link type, as net_id: NULL for types it does not name. */
static const char *prefix_of(const struct net_id_input *in)
{
	const char *prefix;
	switch (in->type) {
	case ARPHRD_ETHER: prefix = "en"; break;
	case ARPHRD_INFINIBAND: prefix = "ib"; break;
	case ARPHRD_SLIP: prefix = "sl"; break;
	default: return NULL;
	}
	if (!strcmp(in->devtype, "wlan"))
		prefix = "wl";
	else if (!strcmp(in->devtype, "wwan"))
		prefix = "ww";
	return prefix;
}

/* The port suffix every PCI name ends with: n<phys_port_name>, else d<dev_port> when > 0. */
static void add_port(char *buf, const struct net_id_input *in)
{
	if (in->phys_port_name[0])
		add(buf, "n%s", in->phys_port_name);
	else if (in->dev_port > 0)
		add(buf, "d%lu", in->dev_port);
}

/* ACPI _DSM index, else SMBIOS index; 0 counts (scheme v240), above 65535 is firmware noise. */
static void onboard_name(const struct net_id_input *in, const char *prefix, char *out)
{
	unsigned long idx;
	if (in->has_acpi_index)
		idx = in->acpi_index;
	else if (in->has_index)
		idx = in->index;
	else
		return;
	if (idx > 65535)
		return;
	add(out, "%so%lu", prefix, idx);
	add_port(out, in);
	finish(out);
}

/* The hot-plug slot of the NIC or of its nearest parent that has one: 0 when none may be used.
 * A slot found on a bridge is shared by everything behind it: used only when the NIC is
 * multi-function, whose function number then keeps the names apart (schemes v247, v251). */
static unsigned hotplug_slot(const struct net_id_input *in)
{
	for (unsigned d = 0; d < in->pci_depth; d++) {
		const char *dev = in->pci_chain[d].address;
		for (unsigned s = 0; s < in->nslots; s++) {
			size_t n = strlen(in->slots[s].address);
			if (!in->slots[s].number || !n || strncmp(dev, in->slots[s].address, n) != 0)
				continue;
			if (in->pci_chain[d].bridge && !in->multifunction)
				return 0;
			return in->slots[s].number;
		}
	}
	return 0;
}

/* "DDDD:BB:SS.F" (hex, hex, hex, decimal) as the kernel names PCI functions. */
static int hex_field(const char **p, char end, unsigned *out)
{
	unsigned v = 0, digits = 0;
	for (; **p && **p != end; (*p)++, digits++) {
		char c = **p;
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (d < 0 || digits >= 4)
			return -1;
		v = v * 16 + (unsigned)d;
	}
	if (!digits || **p != end)
		return -1;
	if (end)
		(*p)++;
	*out = v;
	return 0;
}

static int parse_pci_address(const char *a, unsigned *domain, unsigned *bus, unsigned *dev, unsigned *func)
{
	if (hex_field(&a, ':', domain) || hex_field(&a, ':', bus) || hex_field(&a, '.', dev))
		return -1;
	if (a[0] < '0' || a[0] > '7' || a[1])
		return -1;
	*func = (unsigned)(a[0] - '0');
	return 0;
}

int net_id_names(const struct net_id_input *in, struct net_id_names *names)
{
	unsigned domain, bus, dev, func;
	memset(names, 0, sizeof(*names));
	const char *prefix = prefix_of(in);
	if (!prefix || in->ifindex != in->iflink || !in->pci || in->virtfn || in->pci_depth == 0)
		return -ENOENT;
	if (parse_pci_address(in->pci_chain[0].address, &domain, &bus, &dev, &func))
		return -ENOENT;
	if (in->ari) /* slot and function read as one 8-bit function number */
		func += dev * 8;
	bool with_func = func > 0 || in->multifunction;

	onboard_name(in, prefix, names->onboard);

	add(names->path, "%s", prefix);
	if (domain > 0)
		add(names->path, "P%u", domain);
	add(names->path, "p%us%u", bus, dev);
	if (with_func)
		add(names->path, "f%u", func);
	add_port(names->path, in);
	finish(names->path);

	unsigned slot = hotplug_slot(in);
	if (slot) {
		add(names->slot, "%s", prefix);
		if (domain > 0)
			add(names->slot, "P%u", domain);
		add(names->slot, "s%u", slot);
		if (with_func)
			add(names->slot, "f%u", func);
		add_port(names->slot, in);
		finish(names->slot);
	}
	return 0;
}

int net_id_choose(const struct net_id_names *names, char out[NET_ID_NAME_MAX])
{
	const char *pick = names->onboard[0] ? names->onboard : names->slot[0] ? names->slot : names->path;
	if (!pick[0])
		return -ENOENT;
	memcpy(out, pick, NET_ID_NAME_MAX);
	return 0;
}
