/* Protection of the boot link for a root on the network, set up right before switch_root:
 * drop-ins that keep the real root's network managers off the interface, and the resident
 * guardian that restores link, address and route if anything takes them away anyway. */
#ifndef GHOST_BOOT_LINK_H
#define GHOST_BOOT_LINK_H

/* Reads the lease the network stage wrote (/run/ghostboot/net.env), writes the drop-ins under
 * /run (networkd's beside the .network files of newroot, the root still mounted aside) and starts the guardian from the copy of ghostinit in /run/initramfs. Problems are
 * warnings: the boot goes on without the protection. */
void boot_link_protect(const char *newroot); /* the guardian signs its reports with the key the boot kept */

#endif
