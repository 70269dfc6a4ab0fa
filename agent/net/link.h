/* Network links through libnl (route/link, addr, route): list them, choose the boot
 * interface, bring it up, wait for carrier, apply an address, the default route and the MTU. */
#ifndef GHOST_LINK_H
#define GHOST_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LINK_MAX 32
#define LINK_NAME_MAX 16
#define LINK_HWADDR_MAX 20

struct link_info {
	int ifindex;
	char name[LINK_NAME_MAX];
	char kind[16];     /* rtnl link kind ("veth", "bridge", ...); empty for plain NICs */
	uint8_t hwaddr[LINK_HWADDR_MAX];
	uint8_t hwaddr_len;
	unsigned arptype;  /* ARPHRD_* */
	unsigned mtu;
	bool up;
	bool carrier;
};

struct link_ctx; /* an open rtnetlink socket */

/* What the boot interface is chosen by, in this order (empty/0 fields are ignored). */
struct link_wanted {
	const uint8_t *bootif; /* BOOTIF= address */
	uint8_t bootif_len;
	const char *device;    /* ip= device, or net-up --iface */
	const uint8_t *mac;    /* dracut ip=...:<macaddr> */
};

int link_open(struct link_ctx **ctx);
void link_close(struct link_ctx *ctx);

/* Fills up to max links (loopback included) and sets *count. */
int link_list(struct link_ctx *ctx, struct link_info *links, unsigned max, unsigned *count);
/* Refreshes one link's flags. */
int link_get(struct link_ctx *ctx, int ifindex, struct link_info *info);

/* Pure: which of links to use. BOOTIF first, then the named device, then the dracut MAC,
 * else every Ethernet link that is not a bridge/bond/vlan/... Returns the number chosen
 * (indexes into links in *chosen), or -ENODEV when a wanted link is missing or none fits. */
int link_choose(const struct link_info *links, unsigned n, const struct link_wanted *want,
		unsigned *chosen, unsigned max);

/* Renames a link that is down (-EBUSY when up: names change before links go up). */
int link_rename(struct link_ctx *ctx, int ifindex, const char *name);
/* Sets IFF_UP (a no-op when already up). */
int link_up(struct link_ctx *ctx, int ifindex);
/* Waits until one of the links has carrier (IFF_LOWER_UP), polling every 10 ms until the
 * absolute clock_ms() deadline. Returns the position in ifindexes, or -ETIMEDOUT. */
int link_wait_carrier(struct link_ctx *ctx, const int *ifindexes, unsigned n, uint64_t deadline);

/* IPv4 address with an infinite lifetime (nothing renews a lease once the real root runs);
 * an existing identical address is success. broadcast 0: none. */
int link_add_address(struct link_ctx *ctx, int ifindex, uint32_t addr, int prefix, uint32_t broadcast);
int link_add_default_route(struct link_ctx *ctx, int ifindex, uint32_t gateway);
int link_set_mtu(struct link_ctx *ctx, int ifindex, unsigned mtu);

/* "eth0 (52:54:00:12:34:56, carrier), eth1 (no carrier)" for error messages. */
void link_describe(const struct link_info *links, unsigned n, char *buf, size_t cap);

#endif
