/* Wake-on-LAN magic packets (see wake.h). */
#include "power/wake.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

void wake_packet(const uint8_t mac[6], uint8_t out[WAKE_PACKET_LEN])
{
	memset(out, 0xff, 6);
	for (int i = 0; i < 16; i++)
		memcpy(out + 6 + 6 * i, mac, 6);
}

int wake_send(const uint8_t mac[6], uint32_t broadcast, uint16_t port, const char *ifname)
{
	uint8_t packet[WAKE_PACKET_LEN];
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = broadcast };
	int one = 1, err = 0;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	wake_packet(mac, packet);
	if (setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) ||
	    (ifname && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname))) ||
	    sendto(fd, packet, sizeof(packet), 0, (struct sockaddr *)&to, sizeof(to)) != (ssize_t)sizeof(packet))
		err = -errno;
	close(fd);
	return err;
}
