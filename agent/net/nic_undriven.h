/* Network cards the kernel sees but no driver took (PCI class 0x02, virtio device id 1):
 * named on the console when the boot finds no usable link, so "the NIC's driver is not in
 * the image" reads as such. */
#ifndef GHOST_NIC_UNDRIVEN_H
#define GHOST_NIC_UNDRIVEN_H

/* 1 when a sysfs PCI "class" text ("0x020000\n") is a network controller (class 0x02). */
int nic_undriven_pci_is_network(const char *class_text);
/* 1 when a sysfs virtio "device" text ("0x0001\n") is a network device. */
int nic_undriven_virtio_is_network(const char *device_text);

/* Logs one warning per network device without a driver under sys (normally "/sys").
 * Returns how many. */
unsigned nic_undriven_log(const char *sys);

#endif
