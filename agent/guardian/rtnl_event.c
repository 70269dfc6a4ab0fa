/* Pure parser of rtnetlink notifications (see rtnl_event.h). Headers are copied out with
 * memcpy, never cast in place: the buffer comes from the kernel but is still checked. */
#include "guardian/rtnl_event.h"

#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#define ALIGN4(n) (((n) + 3u) & ~(size_t)3u)

/* Finds attribute type in [p, p+len): copies 4 bytes of its payload into *out. */
static int attr_u32(const unsigned char *p, size_t len, unsigned short type, uint32_t *out, unsigned *bad)
{
	while (len >= sizeof(struct rtattr)) {
		struct rtattr a;
		memcpy(&a, p, sizeof(a));
		if (a.rta_len < sizeof(a) || a.rta_len > len) {
			*bad |= RTNL_EVENT_GARBLED;
			return 0;
		}
		if (a.rta_type == type && a.rta_len >= sizeof(a) + 4) {
			memcpy(out, p + sizeof(a), 4);
			return 1;
		}
		size_t step = ALIGN4(a.rta_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return 0;
}

static unsigned one(const unsigned char *p, const struct nlmsghdr *h, const struct rtnl_watch *w)
{
	unsigned bits = 0;
	size_t body = h->nlmsg_len - NLMSG_HDRLEN;
	p += NLMSG_HDRLEN;
	switch (h->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK: {
		struct ifinfomsg ifi;
		if (body < sizeof(ifi))
			return RTNL_EVENT_GARBLED;
		memcpy(&ifi, p, sizeof(ifi));
		if (ifi.ifi_index == w->ifindex && (h->nlmsg_type == RTM_DELLINK || !(ifi.ifi_flags & IFF_UP)))
			bits |= RTNL_EVENT_LINK_DOWN;
		break;
	}
	case RTM_DELADDR: {
		struct ifaddrmsg ifa;
		uint32_t a;
		if (body < sizeof(ifa))
			return RTNL_EVENT_GARBLED;
		memcpy(&ifa, p, sizeof(ifa));
		if (ifa.ifa_family != AF_INET || (int)ifa.ifa_index != w->ifindex)
			break;
		size_t off = NLMSG_ALIGN(sizeof(ifa));
		if (off > body)
			break;
		if ((attr_u32(p + off, body - off, IFA_LOCAL, &a, &bits) ||
		     attr_u32(p + off, body - off, IFA_ADDRESS, &a, &bits)) && a == w->addr)
			bits |= RTNL_EVENT_ADDR_GONE;
		break;
	}
	case RTM_DELROUTE: {
		struct rtmsg rt;
		uint32_t oif = 0, gw = 0, table = 0;
		if (body < sizeof(rt))
			return RTNL_EVENT_GARBLED;
		memcpy(&rt, p, sizeof(rt));
		if (!w->gateway || rt.rtm_family != AF_INET || rt.rtm_dst_len != 0)
			break;
		size_t off = NLMSG_ALIGN(sizeof(rt));
		if (off > body)
			break;
		table = rt.rtm_table;
		(void)attr_u32(p + off, body - off, RTA_TABLE, &table, &bits);
		int has_oif = attr_u32(p + off, body - off, RTA_OIF, &oif, &bits);
		int has_gw = attr_u32(p + off, body - off, RTA_GATEWAY, &gw, &bits);
		if (table == RT_TABLE_MAIN && ((has_oif && (int)oif == w->ifindex) || (has_gw && gw == w->gateway)))
			bits |= RTNL_EVENT_ROUTE_GONE;
		break;
	}
	default:
		break;
	}
	return bits;
}

unsigned rtnl_event_parse(const void *buf, size_t len, const struct rtnl_watch *w)
{
	const unsigned char *p = buf;
	unsigned bits = 0;
	while (len > 0) {
		struct nlmsghdr h;
		if (len < sizeof(h))
			return bits | RTNL_EVENT_GARBLED;
		memcpy(&h, p, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len)
			return bits | RTNL_EVENT_GARBLED;
		if (h.nlmsg_type == NLMSG_DONE)
			break;
		bits |= one(p, &h, w);
		size_t step = NLMSG_ALIGN(h.nlmsg_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return bits;
}
