/* Links, addresses and routes over rtnetlink with libnl: every change is acknowledged by the
 * kernel (libnl's auto-ACK and sequence checks stay on), every wait has a deadline. */
#include "net/link.h"

#include <errno.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <string.h>

#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>

#include "lib/clock.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

struct link_ctx {
	struct nl_sock *sock;
};

/* libnl returns its own NLE_* codes; the rest of ghostinit speaks -errno. */
static int errno_of(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case 0:
		return 0;
	case NLE_EXIST:
		return -EEXIST;
	case NLE_NODEV:
	case NLE_OBJ_NOTFOUND:
		return -ENODEV;
	case NLE_PERM:
		return -EPERM;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_INVAL:
	case NLE_RANGE:
		return -EINVAL;
	case NLE_NOADDR:
		return -EADDRNOTAVAIL;
	case NLE_BUSY:
		return -EBUSY;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	default:
		return -EIO;
	}
}

/* An add that finds the object there already has done its job (the guardian re-adds blindly). */
static int added(int nlerr)
{
	int err = errno_of(nlerr);
	return err == -EEXIST ? 0 : err;
}

int link_open(struct link_ctx **out)
{
	static struct link_ctx ctx;
	ctx.sock = nl_socket_alloc();
	if (!ctx.sock)
		return -ENOMEM;
	int err = nl_connect(ctx.sock, NETLINK_ROUTE);
	if (err < 0) {
		nl_socket_free(ctx.sock);
		ctx.sock = NULL;
		return errno_of(err);
	}
	*out = &ctx;
	return 0;
}

void link_close(struct link_ctx *ctx)
{
	if (ctx && ctx->sock) {
		nl_socket_free(ctx->sock);
		ctx->sock = NULL;
	}
}

static void fill_info(struct rtnl_link *l, struct link_info *info)
{
	memset(info, 0, sizeof(*info));
	info->ifindex = rtnl_link_get_ifindex(l);
	const char *name = rtnl_link_get_name(l);
	if (name)
		snprintf(info->name, sizeof(info->name), "%s", name);
	const char *kind = rtnl_link_get_type(l);
	if (kind)
		snprintf(info->kind, sizeof(info->kind), "%s", kind);
	struct nl_addr *a = rtnl_link_get_addr(l);
	if (a && nl_addr_get_len(a) <= LINK_HWADDR_MAX) {
		info->hwaddr_len = (uint8_t)nl_addr_get_len(a);
		memcpy(info->hwaddr, nl_addr_get_binary_addr(a), info->hwaddr_len);
	}
	info->arptype = rtnl_link_get_arptype(l);
	info->mtu = rtnl_link_get_mtu(l);
	unsigned flags = rtnl_link_get_flags(l);
	info->up = (flags & IFF_UP) != 0;
	info->carrier = (flags & IFF_LOWER_UP) != 0;
}

int link_list(struct link_ctx *ctx, struct link_info *links, unsigned max, unsigned *count)
{
	struct nl_cache *cache;
	*count = 0;
	int err = rtnl_link_alloc_cache(ctx->sock, AF_UNSPEC, &cache);
	if (err < 0)
		return errno_of(err);
	for (struct nl_object *o = nl_cache_get_first(cache); o && *count < max; o = nl_cache_get_next(o))
		fill_info((struct rtnl_link *)o, &links[(*count)++]);
	nl_cache_free(cache);
	return 0;
}

int link_get(struct link_ctx *ctx, int ifindex, struct link_info *info)
{
	struct rtnl_link *l;
	int err = rtnl_link_get_kernel(ctx->sock, ifindex, NULL, &l);
	if (err < 0)
		return errno_of(err);
	fill_info(l, info);
	rtnl_link_put(l);
	return 0;
}

/* Links that carry other links or are virtual plumbing: never a boot interface by default. */
static bool plumbing(const char *kind)
{
	static const char *const kinds[] = { "bridge", "bond", "team", "vlan", "macvlan", "ipvlan",
					     "vxlan", "dummy", "tun", "wireguard", "gre", "ipip", "sit" };
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kind, kinds[i]))
			return true;
	return false;
}

int link_choose(const struct link_info *links, unsigned n, const struct link_wanted *want,
		unsigned *chosen, unsigned max)
{
	if (max == 0)
		return -EINVAL;
	for (unsigned i = 0; i < n; i++) {
		bool match = false;
		if (want->bootif_len)
			match = links[i].hwaddr_len == want->bootif_len &&
				!memcmp(links[i].hwaddr, want->bootif, want->bootif_len);
		else if (want->device && want->device[0])
			match = !strcmp(links[i].name, want->device);
		else if (want->mac)
			match = links[i].hwaddr_len == 6 && !memcmp(links[i].hwaddr, want->mac, 6);
		else
			continue;
		if (match) {
			chosen[0] = i;
			return 1;
		}
	}
	if (want->bootif_len || (want->device && want->device[0]) || want->mac)
		return -ENODEV;
	unsigned count = 0;
	for (unsigned i = 0; i < n && count < max; i++)
		if (links[i].arptype == ARPHRD_ETHER && !plumbing(links[i].kind))
			chosen[count++] = i;
	return count ? (int)count : -ENODEV;
}

/* Changes one attribute of a link, only when it is not already as wanted (then no change
 * and no event: the guardian calls this blindly): is_set tells, apply sets it on an empty
 * change object. */
static int change_link(struct link_ctx *ctx, int ifindex, unsigned value,
		       bool (*is_set)(struct rtnl_link *link, unsigned value),
		       void (*apply)(struct rtnl_link *change, unsigned value))
{
	struct rtnl_link *orig, *change;
	int err = rtnl_link_get_kernel(ctx->sock, ifindex, NULL, &orig);
	if (err < 0)
		return errno_of(err);
	if (is_set(orig, value)) {
		rtnl_link_put(orig);
		return 0;
	}
	change = rtnl_link_alloc();
	if (!change) {
		rtnl_link_put(orig);
		return -ENOMEM;
	}
	apply(change, value);
	err = rtnl_link_change(ctx->sock, orig, change, 0);
	rtnl_link_put(change);
	rtnl_link_put(orig);
	return errno_of(err);
}

static bool is_up(struct rtnl_link *link, unsigned unused) { return (void)unused, rtnl_link_get_flags(link) & IFF_UP; }
static void set_up(struct rtnl_link *change, unsigned unused) { (void)unused, rtnl_link_set_flags(change, IFF_UP); }
static bool has_mtu(struct rtnl_link *link, unsigned mtu) { return rtnl_link_get_mtu(link) == mtu; }
static void set_mtu(struct rtnl_link *change, unsigned mtu) { rtnl_link_set_mtu(change, mtu); }

int link_up(struct link_ctx *ctx, int ifindex) { return change_link(ctx, ifindex, 0, is_up, set_up); }

int link_rename(struct link_ctx *ctx, int ifindex, const char *name)
{
	struct rtnl_link *orig, *change;
	int err = rtnl_link_get_kernel(ctx->sock, ifindex, NULL, &orig);
	if (err < 0)
		return errno_of(err);
	if (rtnl_link_get_flags(orig) & IFF_UP) { /* the kernel refuses (EBUSY); say why first */
		rtnl_link_put(orig);
		return -EBUSY;
	}
	change = rtnl_link_alloc();
	if (!change) {
		rtnl_link_put(orig);
		return -ENOMEM;
	}
	rtnl_link_set_name(change, name);
	err = rtnl_link_change(ctx->sock, orig, change, 0);
	rtnl_link_put(change);
	rtnl_link_put(orig);
	return errno_of(err);
}

int link_wait_carrier(struct link_ctx *ctx, const int *ifindexes, unsigned n, uint64_t deadline)
{
	for (;;) {
		for (unsigned i = 0; i < n; i++) {
			struct link_info info;
			if (link_get(ctx, ifindexes[i], &info) == 0 && info.carrier)
				return (int)i;
		}
		if (deadline_passed(deadline))
			return -ETIMEDOUT;
		/* Polling is simpler than a notification socket and costs nothing next to the
		 * tens of milliseconds a NIC needs to negotiate its link. */
		uint64_t left = deadline_left(deadline);
		sleep_ms(left < 10 ? left : 10);
	}
}

static struct nl_addr *ipv4(uint32_t addr, int prefix)
{
	struct nl_addr *a = nl_addr_build(AF_INET, &addr, 4);
	if (a && prefix >= 0)
		nl_addr_set_prefixlen(a, prefix);
	return a;
}

int link_add_address(struct link_ctx *ctx, int ifindex, uint32_t addr, int prefix, uint32_t broadcast)
{
	struct rtnl_addr *a = rtnl_addr_alloc();
	struct nl_addr *local = ipv4(addr, prefix);
	struct nl_addr *brd = broadcast ? ipv4(broadcast, -1) : NULL;
	int err = -ENOMEM;
	if (a && local && (brd || !broadcast)) {
		rtnl_addr_set_ifindex(a, ifindex);
		rtnl_addr_set_family(a, AF_INET);
		rtnl_addr_set_local(a, local);
		rtnl_addr_set_prefixlen(a, prefix);
		if (brd)
			rtnl_addr_set_broadcast(a, brd);
		/* 0xffffffff is the kernel's "forever": the lease is never renewed here. */
		rtnl_addr_set_valid_lifetime(a, 0xffffffffu);
		rtnl_addr_set_preferred_lifetime(a, 0xffffffffu);
		err = added(rtnl_addr_add(ctx->sock, a, 0));
	}
	if (brd)
		nl_addr_put(brd);
	if (local)
		nl_addr_put(local);
	if (a)
		rtnl_addr_put(a);
	return err;
}

int link_add_default_route(struct link_ctx *ctx, int ifindex, uint32_t gateway)
{
	struct rtnl_route *r = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *dst = ipv4(0, 0);
	struct nl_addr *gw = ipv4(gateway, -1);
	int err = -ENOMEM;
	if (r && nh && dst && gw) {
		rtnl_route_set_family(r, AF_INET);
		rtnl_route_set_table(r, RT_TABLE_MAIN);
		rtnl_route_set_protocol(r, RTPROT_BOOT);
		rtnl_route_set_scope(r, RT_SCOPE_UNIVERSE);
		rtnl_route_set_type(r, RTN_UNICAST);
		rtnl_route_set_dst(r, dst);
		rtnl_route_nh_set_ifindex(nh, ifindex);
		rtnl_route_nh_set_gateway(nh, gw);
		rtnl_route_add_nexthop(r, nh);
		nh = NULL; /* owned by the route now */
		err = added(rtnl_route_add(ctx->sock, r, 0));
	}
	if (nh)
		rtnl_route_nh_free(nh);
	if (gw)
		nl_addr_put(gw);
	if (dst)
		nl_addr_put(dst);
	if (r)
		rtnl_route_put(r);
	return err;
}

int link_set_mtu(struct link_ctx *ctx, int ifindex, unsigned mtu)
{
	return change_link(ctx, ifindex, mtu, has_mtu, set_mtu);
}

void link_describe(const struct link_info *links, unsigned n, char *buf, size_t cap)
{
	size_t used = 0;
	if (cap == 0)
		return;
	buf[0] = '\0';
	for (unsigned i = 0; i < n && used < cap; i++) {
		char mac[3 * LINK_HWADDR_MAX + 1] = "";
		size_t m = 0;
		unsigned nonzero = 0;
		for (unsigned j = 0; j < links[i].hwaddr_len; j++)
			nonzero |= links[i].hwaddr[j];
		for (unsigned j = 0; nonzero && j < links[i].hwaddr_len; j++)
			m += (size_t)snprintf(mac + m, sizeof(mac) - m, j ? ":%02x" : "%02x", links[i].hwaddr[j]);
		int w = snprintf(buf + used, cap - used, "%s%s (%s%s%s)", i ? ", " : "", links[i].name,
				 mac, mac[0] ? ", " : "",
				 !links[i].up ? "down" : links[i].carrier ? "carrier" : "no carrier");
		if (w < 0)
			break;
		used += (size_t)w;
	}
	if (n == 0)
		snprintf(buf, cap, "none");
}
