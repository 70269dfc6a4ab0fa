/* Predictable interface names as systemd-udevd's net_id builtin gives them for PCI network
 * devices under the default naming scheme of Debian 12 (systemd 252, scheme v252), and the
 * choice Debian's 99-default.link makes among them (NamePolicy=keep kernel database onboard
 * slot path: onboard, then hot-plug slot, then PCI path; never the MAC). Pure: the sysfs facts
 * arrive in a struct (net_id_sysfs.c reads them), unit-tested on real sysfs fixtures. */
#ifndef GHOST_NET_ID_H
#define GHOST_NET_ID_H

#include <stdbool.h>
#include <stddef.h>

#define NET_ID_NAME_MAX 16 /* IFNAMSIZ: 15 characters and the NUL */
#define NET_ID_PCI_DEPTH 8 /* the NIC's PCI function and its parents, nearest first */
#define NET_ID_SLOTS_MAX 64
#define NET_ID_ADDR_MAX 16 /* "0000:00:1c.0" */

/* What sysfs says about one network interface and the PCI devices above it. */
struct net_id_input {
	unsigned type;         /* /sys/class/net/IF/type: ARPHRD_* */
	char devtype[16];      /* DEVTYPE= of its uevent ("wlan", "wwan"; "" for Ethernet) */
	int ifindex, iflink;   /* a stacked device (VLAN...) has iflink != ifindex: no name */
	bool pci;              /* its device (a virtio device skipped) is a PCI function */
	bool virtfn;           /* an SR-IOV virtual function: named after its parent, not here */
	unsigned long dev_port;
	char phys_port_name[32];
	/* pci[0] is the NIC's function, then each PCI parent (bridges) up to the root bus */
	struct {
		char address[NET_ID_ADDR_MAX]; /* "DDDD:BB:SS.F" */
		bool bridge;                   /* modalias class 0604 */
	} pci_chain[NET_ID_PCI_DEPTH];
	unsigned pci_depth;
	bool has_acpi_index, has_index;
	unsigned long acpi_index, index; /* ACPI _DSM index; SMBIOS type 41 index */
	bool multifunction;              /* header type bit 7 of the NIC's config space */
	bool ari;                        /* ari_enabled: slot and function form one function number */
	/* /sys/bus/pci/slots: directory names that are numbers, and their address files */
	struct {
		unsigned number;
		char address[NET_ID_ADDR_MAX]; /* "DDDD:BB:SS" */
	} slots[NET_ID_SLOTS_MAX];
	unsigned nslots;
};

/* The names net_id would export; "" where it exports none. */
struct net_id_names {
	char onboard[NET_ID_NAME_MAX]; /* ID_NET_NAME_ONBOARD: en o<index>[n<port>|d<dev_port>] */
	char slot[NET_ID_NAME_MAX];    /* ID_NET_NAME_SLOT:    en [P<dom>]s<slot>[f<fn>][n|d] */
	char path[NET_ID_NAME_MAX];    /* ID_NET_NAME_PATH:    en [P<dom>]p<bus>s<dev>[f<fn>][n|d] */
};

/* Fills names. Returns 0, or -ENOENT when net_id names nothing (not PCI, a stacked device, a
 * type net_id leaves alone) with every name empty. A name longer than 15 characters is left
 * empty, as no interface can carry it. */
int net_id_names(const struct net_id_input *in, struct net_id_names *names);

/* The name Debian's default link policy picks: onboard, else slot, else path. Returns 0 with
 * out set, or -ENOENT (keep the kernel's name). */
int net_id_choose(const struct net_id_names *names, char out[NET_ID_NAME_MAX]);

#endif
