#include "shutdown/wol.h"

#include <errno.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int ethtool_wol(int fd, const char *ifname, struct ethtool_wolinfo *wol)
{
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	if (strlen(ifname) >= sizeof(ifr.ifr_name))
		return -ENAMETOOLONG;
	memcpy(ifr.ifr_name, ifname, strlen(ifname));
	ifr.ifr_data = (void *)wol;
	return ioctl(fd, SIOCETHTOOL, &ifr) == 0 ? 0 : -errno;
}

int wol_set(const char *ifname, enum wol_mode mode, uint32_t *supported, uint32_t *now)
{
	struct ethtool_wolinfo wol = { .cmd = ETHTOOL_GWOL };
	*supported = *now = 0;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	int err = ethtool_wol(fd, ifname, &wol);
	if (err == 0) {
		*supported = wol.supported;
		uint32_t want = mode == WOL_MAGIC ? WAKE_MAGIC : 0;
		if (want & ~wol.supported)
			err = -EOPNOTSUPP;
		else if (wol.wolopts != want) {
			struct ethtool_wolinfo set = { .cmd = ETHTOOL_SWOL, .wolopts = want };
			err = ethtool_wol(fd, ifname, &set);
		}
		struct ethtool_wolinfo back = { .cmd = ETHTOOL_GWOL };
		if (err == 0 && (err = ethtool_wol(fd, ifname, &back)) == 0) {
			*now = back.wolopts;
			if (back.wolopts != want)
				err = -EIO; /* accepted, yet not what the driver reports */
		}
	}
	close(fd);
	return err;
}

const char *wol_letters(uint32_t bits, char *buf, unsigned cap)
{
	static const struct {
		uint32_t bit;
		char letter;
	} map[] = { { WAKE_PHY, 'p' }, { WAKE_UCAST, 'u' }, { WAKE_MCAST, 'm' }, { WAKE_BCAST, 'b' },
		    { WAKE_ARP, 'a' },  { WAKE_MAGIC, 'g' }, { WAKE_MAGICSECURE, 's' }, { WAKE_FILTER, 'f' } };
	unsigned n = 0;
	for (unsigned i = 0; i < sizeof(map) / sizeof(map[0]) && n + 1 < cap; i++)
		if (bits & map[i].bit)
			buf[n++] = map[i].letter;
	if (n == 0 && cap > 1)
		buf[n++] = 'd';
	if (cap)
		buf[n < cap ? n : cap - 1] = '\0';
	return buf;
}
