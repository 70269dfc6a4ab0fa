/* Wake-on-LAN from the master: the magic packet (6 bytes 0xff, then the node's MAC 16 times),
 * the only remote power-on of an office PC without a BMC (the node arms its NIC for it before
 * powering off: ghost.wol=g). Sent as a UDP broadcast (port 9, "discard", as wakeonlan and
 * etherwake's UDP mode do): a NIC in its sleep state matches the pattern anywhere in the frame,
 * and a UDP socket needs no privilege, so Slurm's resume program can send it as its own user. */
#ifndef GW_WAKE_H
#define GW_WAKE_H

#include <stddef.h>
#include <stdint.h>

#define WAKE_PACKET_LEN 102
#define WAKE_DEFAULT_PORT 9

/* The magic packet for mac. */
void wake_packet(const uint8_t mac[6], uint8_t out[WAKE_PACKET_LEN]);

/* Sends the magic packet for mac to broadcast:port (network byte order address), out of
 * ifname when given (SO_BINDTODEVICE: the cluster interface, whatever the routes say).
 * 0 or -errno. */
int wake_send(const uint8_t mac[6], uint32_t broadcast, uint16_t port, const char *ifname);

#endif
