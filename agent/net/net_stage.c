/* The network stage in order: ip= parsed, loopback and the boot links up, carrier awaited,
 * a lease from DHCP (every candidate link at once) or from a static ip=, applied through
 * libnl, then written down. Every wait is bounded by ghost.carrier_timeout / dhcp_timeout. */
#include "net/net_stage.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if_arp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "boot/cmdline.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "net/dhcp_client.h"
#include "net/ipconf.h"
#include "net/link.h"
#include "net/net_apply.h"
#include "net/net_rename.h"
#include "net/nic_undriven.h"
#include "root/rootspec.h"

static int stage_error(struct net_lease *r, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int stage_error(struct net_lease *r, int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->error, sizeof(r->error), fmt, ap);
	va_end(ap);
	return err;
}

static const char *ip_text(uint32_t a, char *buf)
{
	struct in_addr in = { .s_addr = a };
	return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN) ? buf : "?";
}

static void hw_text(const uint8_t *a, unsigned n, char *buf, size_t cap)
{
	size_t m = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < n && m + 3 < cap; i++)
		m += (size_t)snprintf(buf + m, cap - m, i ? ":%02x" : "%02x", a[i]);
}

/* Seconds with at most one decimal, for messages: "30 s", "2.5 s". */
static void seconds_text(uint64_t ms, char *buf, size_t cap)
{
	if (ms % 1000 == 0)
		snprintf(buf, cap, "%llu s", (unsigned long long)(ms / 1000));
	else
		snprintf(buf, cap, "%llu.%llu s", (unsigned long long)(ms / 1000),
			 (unsigned long long)(ms % 1000 / 100));
}

static void loopback_up(struct link_ctx *ctx, const struct link_info *links, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (links[i].arptype == ARPHRD_LOOPBACK) {
			int err = link_up(ctx, links[i].ifindex);
			if (err)
				log_warn("cannot bring %s up: %s", links[i].name, strerror(-err));
		}
}

/* Address, MTU, default route of r on r->ifindex. */
static int apply_lease(struct link_ctx *ctx, struct net_lease *r)
{
	int err;
	if (r->mtu && (err = link_set_mtu(ctx, r->ifindex, r->mtu)))
		log_warn("%s: cannot set MTU %u: %s", r->ifname, r->mtu, strerror(-err));
	err = link_add_address(ctx, r->ifindex, r->addr, r->prefix, r->broadcast);
	if (err) {
		char a[INET_ADDRSTRLEN];
		return stage_error(r, err, "%s: cannot add address %s/%d: %s", r->ifname, ip_text(r->addr, a),
				   r->prefix, strerror(-err));
	}
	if (r->gateway && (err = link_add_default_route(ctx, r->ifindex, r->gateway))) {
		char a[INET_ADDRSTRLEN];
		return stage_error(r, err, "%s: cannot add default route via %s: %s", r->ifname,
				   ip_text(r->gateway, a), strerror(-err));
	}
	return 0;
}

static void fill_netmask(struct net_lease *r)
{
	if (!r->netmask)
		r->netmask = ipconf_default_netmask(r->addr);
	r->prefix = ipconf_prefix_len(r->netmask);
	if (r->prefix < 0) { /* a server sent a non-contiguous mask: fall back to the class */
		r->netmask = ipconf_default_netmask(r->addr);
		r->prefix = ipconf_prefix_len(r->netmask);
	}
	if (!r->broadcast)
		r->broadcast = r->addr | ~r->netmask;
}

/* "no DHCP answer on eth0 after 30 s (4 DISCOVERs)", with more detail when servers spoke. */
static void dhcp_timeout_error(struct net_lease *r, const struct dhcp_iface *ifs,
			       const struct dhcp_iface_stats *st, unsigned n, uint64_t timeout_ms, int err)
{
	char names[256] = "", detail[256] = "", secs[32];
	size_t m = 0, d = 0;
	unsigned discovers = 0, offers = 0, requests = 0, naks = 0, bad = 0;
	for (unsigned i = 0; i < n; i++) {
		m += (size_t)snprintf(names + m, m < sizeof(names) ? sizeof(names) - m : 0, "%s%s",
				      i ? ", " : "", ifs[i].name);
		discovers += st[i].discovers, offers += st[i].offers, requests += st[i].requests;
		naks += st[i].naks, bad += dhcp_counters_total(&st[i].rejected);
	}
	d += (size_t)snprintf(detail + d, sizeof(detail) - d, "%u DISCOVER%s", discovers, discovers == 1 ? "" : "s");
	if (offers || requests)
		d += (size_t)snprintf(detail + d, sizeof(detail) - d, ", %u OFFERs, %u REQUESTs, %u NAKs", offers,
				      requests, naks);
	if (bad && d < sizeof(detail))
		snprintf(detail + d, sizeof(detail) - d, ", %u bad packets ignored", bad);
	seconds_text(timeout_ms, secs, sizeof(secs));
	if (err == -ETIMEDOUT)
		stage_error(r, err, "no DHCP answer on %s after %s (%s)", names, secs, detail);
	else
		stage_error(r, err, "DHCP on %s failed: %s", names, strerror(-err));
}

static int run_dhcp(const struct boot_config *cfg, const struct ipconf *ip, bool broadcast,
		    const struct link_info *links, const unsigned *chosen, unsigned n, struct net_lease *r)
{
	struct dhcp_iface ifs[DHCP_CLIENT_MAX_IFACES];
	struct dhcp_iface_stats st[DHCP_CLIENT_MAX_IFACES];
	unsigned count = 0;
	for (unsigned i = 0; i < n && count < DHCP_CLIENT_MAX_IFACES; i++) {
		const struct link_info *l = &links[chosen[i]];
		if (l->hwaddr_len == 0 || l->hwaddr_len > DHCP_CHADDR_MAX)
			continue;
		struct dhcp_iface *f = &ifs[count++];
		memset(f, 0, sizeof(*f));
		f->ifindex = l->ifindex;
		snprintf(f->name, sizeof(f->name), "%s", l->name);
		memcpy(f->hwaddr, l->hwaddr, l->hwaddr_len);
		f->hwaddr_len = l->hwaddr_len;
		f->htype = (uint8_t)(l->arptype == ARPHRD_ETHER ? 1 : l->arptype);
	}
	if (count == 0)
		return stage_error(r, -ENODEV, "no link with a hardware address to run DHCP on");
	struct dhcp_options opt = { .deadline = deadline_in(cfg->dhcp_timeout_ms), .requested_ip = ip->client,
				    .broadcast = broadcast };
	struct dhcp_lease lease;
	int err = dhcp_client_run(ifs, count, &opt, &lease, st);
	for (unsigned i = 0; i < count; i++) {
		r->discovers += st[i].discovers, r->requests += st[i].requests, r->naks += st[i].naks;
		const struct dhcp_counters *c = &st[i].rejected;
		r->rejected.truncated += c->truncated, r->rejected.oversized += c->oversized;
		r->rejected.wrong_xid += c->wrong_xid, r->rejected.wrong_magic += c->wrong_magic;
		r->rejected.option_overrun += c->option_overrun, r->rejected.unterminated += c->unterminated;
		r->rejected.wrong_chaddr += c->wrong_chaddr, r->rejected.malformed += c->malformed;
	}
	if (err) {
		dhcp_timeout_error(r, ifs, st, count, cfg->dhcp_timeout_ms, err);
		return err;
	}
	const struct dhcp_iface *f = &ifs[lease.iface];
	const struct dhcp_msg *a = &lease.ack;
	r->proto = NET_PROTO_DHCP;
	snprintf(r->ifname, sizeof(r->ifname), "%s", f->name);
	r->ifindex = f->ifindex;
	memcpy(r->hwaddr, f->hwaddr, f->hwaddr_len);
	r->hwaddr_len = f->hwaddr_len;
	r->addr = a->yiaddr;
	r->netmask = a->subnet_mask;
	r->broadcast = a->broadcast;
	r->gateway = ip->gateway ? ip->gateway : a->router;
	r->dns_count = a->dns_count;
	memcpy(r->dns, a->dns, sizeof(r->dns));
	if (ip->dns[0]) { /* ip= names servers: they win, as with the kernel's ipconfig */
		r->dns[0] = ip->dns[0], r->dns[1] = ip->dns[1];
		r->dns_count = ip->dns[1] ? 2 : 1;
	}
	r->ntp = ip->ntp;
	r->server = ip->server ? ip->server : a->siaddr;
	r->peer = ip->server;
	r->next_server = a->siaddr;
	r->server_id = a->server_id;
	r->mtu = ip->mtu ? ip->mtu : a->mtu;
	r->lease_time = a->lease_time;
	snprintf(r->hostname, sizeof(r->hostname), "%.64s", ip->hostname[0] ? ip->hostname : a->hostname);
	snprintf(r->domain, sizeof(r->domain), "%s", a->domain);
	snprintf(r->root_path, sizeof(r->root_path), "%s", a->root_path);
	snprintf(r->bootfile, sizeof(r->bootfile), "%s", a->bootfile);
	snprintf(r->tftp_server, sizeof(r->tftp_server), "%s", a->tftp_server);
	r->dhcp_ms = lease.elapsed_ms;
	fill_netmask(r);
	return 0;
}

static void static_result(const struct ipconf *ip, const struct link_info *l, struct net_lease *r)
{
	r->proto = NET_PROTO_STATIC;
	snprintf(r->ifname, sizeof(r->ifname), "%s", l->name);
	r->ifindex = l->ifindex;
	memcpy(r->hwaddr, l->hwaddr, l->hwaddr_len);
	r->hwaddr_len = l->hwaddr_len;
	r->addr = ip->client;
	r->netmask = ip->netmask;
	r->gateway = ip->gateway;
	r->server = ip->server;
	r->peer = ip->server;
	r->dns[0] = ip->dns[0], r->dns[1] = ip->dns[1];
	r->dns_count = ip->dns[1] ? 2 : ip->dns[0] ? 1 : 0;
	r->ntp = ip->ntp;
	r->mtu = ip->mtu;
	snprintf(r->hostname, sizeof(r->hostname), "%s", ip->hostname);
	fill_netmask(r);
}

static void log_result(const struct net_lease *r)
{
	char a[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN], s[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN];
	if (r->proto == NET_PROTO_DHCP)
		log_info("%s: lease %s/%d from %s in %llu ms (%u DISCOVER%s, %u NAK%s)", r->ifname, ip_text(r->addr, a),
			 r->prefix, ip_text(r->server_id, s), (unsigned long long)r->dhcp_ms, r->discovers,
			 r->discovers == 1 ? "" : "s", r->naks, r->naks == 1 ? "" : "s");
	else
		log_info("%s: static address %s/%d", r->ifname, ip_text(r->addr, a), r->prefix);
	log_info("%s: gateway %s, dns %s, hostname '%s', root-path '%s', mtu %u, lease %u s", r->ifname,
		 r->gateway ? ip_text(r->gateway, g) : "none", r->dns_count ? ip_text(r->dns[0], d) : "none",
		 r->hostname, r->root_path, r->mtu, r->lease_time);
	unsigned bad = dhcp_counters_total(&r->rejected);
	if (bad)
		log_info("ignored %u DHCP packets: %u wrong xid, %u wrong chaddr, %u truncated, %u oversized, "
			 "%u wrong magic, %u option overrun, %u unterminated, %u malformed",
			 bad, r->rejected.wrong_xid, r->rejected.wrong_chaddr, r->rejected.truncated,
			 r->rejected.oversized, r->rejected.wrong_magic, r->rejected.option_overrun,
			 r->rejected.unterminated, r->rejected.malformed);
}

int net_stage_run_with(const struct boot_config *cfg, const struct net_stage_options *opt,
		       struct net_lease *r)
{
	uint64_t start = clock_ms();
	struct ipconf ip;
	char err_text[IPCONF_ERROR_LEN];
	memset(r, 0, sizeof(*r));
	if (ipconf_parse(cfg->ip, strlen(cfg->ip), &ip, err_text, sizeof(err_text)))
		return stage_error(r, -EINVAL, "%s", err_text);

	struct link_ctx *ctx;
	int err = link_open(&ctx);
	if (err)
		return stage_error(r, err, "cannot open rtnetlink: %s", strerror(-err));
	static struct link_info links[LINK_MAX];
	unsigned n = 0;
	if ((err = link_list(ctx, links, LINK_MAX, &n))) {
		link_close(ctx);
		return stage_error(r, err, "cannot list links: %s", strerror(-err));
	}
	static struct net_renames renames;
	renames.n = 0;
	if (opt->rename)
		net_rename_links(ctx, cfg, "/sys", links, &n, &renames);
	loopback_up(ctx, links, n);
	if (ip.method == IPCONF_OFF) {
		log_info("ip=%s: network left unconfigured", cfg->ip);
		link_close(ctx);
		r->stage_ms = clock_ms() - start;
		return 0;
	}

	struct link_wanted want = { 0 };
	if (opt->iface && opt->iface[0]) {
		want.device = opt->iface;
	} else {
		want.bootif = cfg->bootif, want.bootif_len = cfg->bootif_len;
		want.device = ip.device[0] ? net_rename_lookup(&renames, ip.device) : ip.device;
		want.mac = ip.has_mac ? ip.mac : NULL;
	}
	unsigned chosen[LINK_MAX];
	char seen[NET_ERROR_LEN / 2];
	int count = link_choose(links, n, &want, chosen, LINK_MAX);
	if (count < 0) {
		char what[96] = "Ethernet link";
		if (want.bootif_len) {
			char hw[64];
			hw_text(want.bootif, want.bootif_len, hw, sizeof(hw));
			snprintf(what, sizeof(what), "BOOTIF %s", hw);
		} else if (want.device && want.device[0]) {
			snprintf(what, sizeof(what), "interface %s", want.device);
		} else if (want.mac) {
			char hw[64];
			hw_text(want.mac, 6, hw, sizeof(hw));
			snprintf(what, sizeof(what), "ip= MAC %s", hw);
		}
		(void)link_list(ctx, links, LINK_MAX, &n); /* lo is up now */
		link_describe(links, n, seen, sizeof(seen));
		link_close(ctx);
		(void)nic_undriven_log("/sys");
		return stage_error(r, -ENODEV, "no usable link: no %s among the links seen: %s", what, seen);
	}

	int ifindexes[LINK_MAX];
	unsigned up = 0;
	for (int i = 0; i < count; i++) {
		const struct link_info *l = &links[chosen[i]];
		if ((err = link_up(ctx, l->ifindex))) {
			log_warn("cannot bring %s up: %s", l->name, strerror(-err));
			continue;
		}
		chosen[up] = chosen[i];
		ifindexes[up++] = l->ifindex;
	}
	int first = up ? link_wait_carrier(ctx, ifindexes, up, deadline_in(cfg->carrier_timeout_ms)) : -ENODEV;
	if (first < 0) {
		char secs[32];
		seconds_text(cfg->carrier_timeout_ms, secs, sizeof(secs));
		(void)link_list(ctx, links, LINK_MAX, &n); /* the states now, not at the start */
		link_describe(links, n, seen, sizeof(seen));
		link_close(ctx);
		return stage_error(r, -ENOLINK, "no usable link: no carrier after %s; links seen: %s", secs, seen);
	}
	log_debug("carrier on %s after %llu ms", links[chosen[first]].name, (unsigned long long)(clock_ms() - start));

	if (ip.method == IPCONF_STATIC) {
		/* A static address goes on the named link, else the first with carrier. */
		static_result(&ip, &links[chosen[first]], r);
	} else if ((err = run_dhcp(cfg, &ip, opt->dhcp_broadcast, links, chosen, up, r))) {
		link_close(ctx);
		return err;
	}
	err = apply_lease(ctx, r);
	link_close(ctx);
	if (err)
		return err;
	log_result(r);
	if (opt->set_hostname && (err = net_apply_hostname(r->hostname)))
		log_warn("cannot set hostname '%s': %s", r->hostname, strerror(-err));
	if ((err = net_apply_files(r, opt->root)))
		log_warn("cannot write the network files under '%s/': %s", opt->root, strerror(-err));
	r->stage_ms = clock_ms() - start;
	return 0;
}

int net_stage_run(const struct boot_config *cfg, struct net_lease *result)
{
	const struct net_stage_options opt = { .iface = NULL, .root = "", .set_hostname = true, .rename = true };
	return net_stage_run_with(cfg, &opt, result);
}

bool net_stage_required(const struct boot_config *cfg)
{
	if (cfg->ip[0])
		return strcmp(cfg->ip, "off") != 0 && strcmp(cfg->ip, "none") != 0;
	return rootspec_needs_network(cfg);
}
