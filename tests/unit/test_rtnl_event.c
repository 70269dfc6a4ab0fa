/* rtnl_event: notifications built as the kernel sends them (link down, address and route
 * deleted, for our interface and for others), batches, and truncated or overrunning input. */
#include <arpa/inet.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "guardian/rtnl_event.h"

static unsigned char buf[4096];
static size_t used;

static void *put(const void *p, size_t n)
{
	void *at = buf + used;
	memcpy(at, p, n);
	used += NLMSG_ALIGN(n);
	return at;
}

static void attr(unsigned short type, uint32_t v)
{
	struct rtattr a = { .rta_len = (unsigned short)(sizeof(a) + 4), .rta_type = type };
	put(&a, sizeof(a));
	memcpy(buf + used - NLMSG_ALIGN(sizeof(a)) + sizeof(a), &v, 4);
	used += 4;
}

static size_t begin(unsigned short type)
{
	struct nlmsghdr h = { .nlmsg_type = type };
	size_t at = used;
	put(&h, sizeof(h));
	return at;
}

static void end(size_t at)
{
	struct nlmsghdr h;
	memcpy(&h, buf + at, sizeof(h));
	h.nlmsg_len = (uint32_t)(used - at);
	memcpy(buf + at, &h, sizeof(h));
}

static void link_msg(unsigned short type, int ifindex, unsigned flags)
{
	size_t at = begin(type);
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex, .ifi_flags = flags };
	put(&ifi, sizeof(ifi));
	end(at);
}

static void addr_msg(int ifindex, const char *ip)
{
	size_t at = begin(RTM_DELADDR);
	struct ifaddrmsg ifa = { .ifa_family = AF_INET, .ifa_prefixlen = 24, .ifa_index = (unsigned)ifindex };
	put(&ifa, sizeof(ifa));
	attr(IFA_ADDRESS, inet_addr(ip));
	attr(IFA_LOCAL, inet_addr(ip));
	end(at);
}

static void route_msg(int ifindex, const char *gw, unsigned char dst_len, unsigned table)
{
	size_t at = begin(RTM_DELROUTE);
	struct rtmsg rt = { .rtm_family = AF_INET, .rtm_dst_len = dst_len, .rtm_table = (unsigned char)table };
	put(&rt, sizeof(rt));
	attr(RTA_TABLE, table);
	attr(RTA_GATEWAY, inet_addr(gw));
	attr(RTA_OIF, (uint32_t)ifindex);
	end(at);
}

static struct rtnl_watch w;

static int setup(void **state)
{
	(void)state;
	used = 0;
	memset(buf, 0, sizeof(buf));
	w.ifindex = 7;
	w.addr = inet_addr("10.77.9.2");
	w.gateway = inet_addr("10.77.9.1");
	return 0;
}

static void test_link(void **state)
{
	(void)state;
	link_msg(RTM_NEWLINK, 7, IFF_UP | IFF_RUNNING);
	assert_int_equal(rtnl_event_parse(buf, used, &w), 0);
	link_msg(RTM_NEWLINK, 8, 0); /* another link going down: not ours */
	assert_int_equal(rtnl_event_parse(buf, used, &w), 0);
	link_msg(RTM_NEWLINK, 7, IFF_BROADCAST);
	assert_int_equal(rtnl_event_parse(buf, used, &w), RTNL_EVENT_LINK_DOWN);
	used = 0;
	link_msg(RTM_DELLINK, 7, IFF_UP);
	assert_int_equal(rtnl_event_parse(buf, used, &w), RTNL_EVENT_LINK_DOWN);
}

static void test_addr_and_route(void **state)
{
	(void)state;
	addr_msg(7, "10.77.9.3"); /* a secondary address of ours: not guarded */
	addr_msg(8, "10.77.9.2"); /* same address elsewhere */
	assert_int_equal(rtnl_event_parse(buf, used, &w), 0);
	addr_msg(7, "10.77.9.2");
	assert_int_equal(rtnl_event_parse(buf, used, &w), RTNL_EVENT_ADDR_GONE);
	used = 0;
	route_msg(7, "10.77.9.1", 24, RT_TABLE_MAIN); /* the subnet route, not the default */
	route_msg(7, "10.77.9.1", 0, RT_TABLE_LOCAL);
	assert_int_equal(rtnl_event_parse(buf, used, &w), 0);
	route_msg(7, "10.77.9.1", 0, RT_TABLE_MAIN);
	assert_int_equal(rtnl_event_parse(buf, used, &w), RTNL_EVENT_ROUTE_GONE);
	w.gateway = 0; /* nothing to guard */
	assert_int_equal(rtnl_event_parse(buf, used, &w), 0);
}

static void test_batch(void **state)
{
	(void)state;
	addr_msg(7, "10.77.9.2");
	route_msg(7, "10.77.9.1", 0, RT_TABLE_MAIN);
	link_msg(RTM_NEWLINK, 7, 0);
	assert_int_equal(rtnl_event_parse(buf, used, &w),
			 RTNL_EVENT_LINK_DOWN | RTNL_EVENT_ADDR_GONE | RTNL_EVENT_ROUTE_GONE);
}

static void test_garbled(void **state)
{
	(void)state;
	addr_msg(7, "10.77.9.2");
	size_t whole = used;
	for (size_t cut = 1; cut < whole; cut++) /* every truncation: no crash, never a false loss */
		assert_int_equal(rtnl_event_parse(buf, cut, &w) & ~RTNL_EVENT_GARBLED, 0);
	assert_true(rtnl_event_parse(buf, 10, &w) & RTNL_EVENT_GARBLED);
	/* A header claiming more than the buffer holds. */
	struct nlmsghdr h = { .nlmsg_len = 4000, .nlmsg_type = RTM_DELADDR };
	memcpy(buf, &h, sizeof(h));
	assert_int_equal(rtnl_event_parse(buf, whole, &w), RTNL_EVENT_GARBLED);
	/* An attribute overrunning its message. */
	used = 0;
	addr_msg(7, "10.77.9.2");
	struct rtattr a;
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct ifaddrmsg));
	memcpy(&a, buf + off, sizeof(a));
	a.rta_len = 200;
	memcpy(buf + off, &a, sizeof(a));
	assert_true(rtnl_event_parse(buf, used, &w) & RTNL_EVENT_GARBLED);
	assert_false(rtnl_event_parse(buf, used, &w) & RTNL_EVENT_ADDR_GONE);
	assert_int_equal(rtnl_event_parse(buf, 0, &w), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_link, setup),
		cmocka_unit_test_setup(test_addr_and_route, setup),
		cmocka_unit_test_setup(test_batch, setup),
		cmocka_unit_test_setup(test_garbled, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
