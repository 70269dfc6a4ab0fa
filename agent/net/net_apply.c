/* The lease on disk: initramfs-tools' /run/net-<if>.conf (the keys klibc ipconfig writes, so
 * existing real-root scripts keep working), /run/ghostboot/net.env and resolv.conf. */
#include "net/net_apply.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/clock.h"

struct out {
	char *buf;
	size_t cap, len;
	int overflow;
};

static void emit(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void emit(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->cap - o->len) {
		o->overflow = 1;
		return;
	}
	o->len += (size_t)n;
}

/* KEY='value' with every ' written as '\'' so any value is one shell word. */
static void kv(struct out *o, const char *key, const char *value)
{
	emit(o, "%s='", key);
	for (const char *p = value; *p; p++) {
		if (*p == '\'')
			emit(o, "'\\''");
		else
			emit(o, "%c", *p);
	}
	emit(o, "'\n");
}

static const char *ip_text(uint32_t a, char *buf)
{
	struct in_addr in = { .s_addr = a };
	return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN) ? buf : "0.0.0.0";
}

static void kv_ip(struct out *o, const char *key, uint32_t a)
{
	char b[INET_ADDRSTRLEN];
	kv(o, key, ip_text(a, b));
}

static void kv_uint(struct out *o, const char *key, unsigned long long v)
{
	char b[24];
	snprintf(b, sizeof(b), "%llu", v);
	kv(o, key, b);
}

static const char *proto_name(enum net_proto p)
{
	return p == NET_PROTO_DHCP ? "dhcp" : p == NET_PROTO_STATIC ? "none" : "off";
}

int net_apply_format(const struct net_lease *r, int format, char *buf, size_t cap)
{
	struct out o = { buf, cap, 0, 0 };
	if (cap == 0)
		return -ENOSPC;
	buf[0] = '\0';
	uint32_t root_server = r->server ? r->server : r->server_id;
	if (format == 0) {
		/* Key order and meaning as klibc ipconfig's dump_to_file(). */
		kv(&o, "DEVICE", r->ifname);
		kv(&o, "PROTO", proto_name(r->proto));
		kv_ip(&o, "IPV4ADDR", r->addr);
		kv_ip(&o, "IPV4BROADCAST", r->broadcast);
		kv_ip(&o, "IPV4NETMASK", r->netmask);
		kv_ip(&o, "IPV4GATEWAY", r->gateway);
		kv_ip(&o, "IPV4DNS0", r->dns_count > 0 ? r->dns[0] : 0);
		kv_ip(&o, "IPV4DNS1", r->dns_count > 1 ? r->dns[1] : 0);
		kv(&o, "HOSTNAME", r->hostname);
		kv(&o, "DNSDOMAIN", r->domain);
		kv(&o, "NISDOMAIN", "");
		kv_ip(&o, "ROOTSERVER", root_server);
		kv(&o, "ROOTPATH", r->root_path);
		kv(&o, "filename", r->bootfile);
		kv_uint(&o, "UPTIME", clock_ms() / 1000u);
		kv_uint(&o, "DHCPLEASETIME", r->lease_time);
		kv(&o, "DOMAINSEARCH", r->domain);
	} else {
		char mac[3 * 20 + 1] = "";
		size_t m = 0;
		for (unsigned i = 0; i < r->hwaddr_len && i < 20; i++)
			m += (size_t)snprintf(mac + m, sizeof(mac) - m, i ? ":%02x" : "%02x", r->hwaddr[i]);
		char dns[3 * INET_ADDRSTRLEN + 3] = "";
		for (unsigned i = 0; i < r->dns_count && i < DHCP_DNS_MAX; i++) {
			char b[INET_ADDRSTRLEN];
			if (i)
				strcat(dns, " ");
			strcat(dns, ip_text(r->dns[i], b));
		}
		kv(&o, "GHOST_IFACE", r->ifname);
		kv(&o, "GHOST_HWADDR", mac);
		kv(&o, "GHOST_PROTO", r->proto == NET_PROTO_DHCP ? "dhcp" : r->proto == NET_PROTO_STATIC ? "static" : "off");
		kv_ip(&o, "GHOST_ADDR", r->addr);
		kv_uint(&o, "GHOST_PREFIX", (unsigned long long)(r->prefix < 0 ? 0 : r->prefix));
		kv_ip(&o, "GHOST_NETMASK", r->netmask);
		kv_ip(&o, "GHOST_BROADCAST", r->broadcast);
		kv_ip(&o, "GHOST_GATEWAY", r->gateway);
		kv(&o, "GHOST_DNS", dns);
		kv(&o, "GHOST_DOMAIN", r->domain);
		kv(&o, "GHOST_HOSTNAME", r->hostname);
		kv_ip(&o, "GHOST_SERVER", root_server);
		kv_ip(&o, "GHOST_DHCP_SERVER", r->server_id);
		kv(&o, "GHOST_ROOT_PATH", r->root_path);
		kv(&o, "GHOST_BOOTFILE", r->bootfile);
		kv(&o, "GHOST_TFTP_SERVER", r->tftp_server);
		kv_uint(&o, "GHOST_MTU", r->mtu);
		kv_uint(&o, "GHOST_LEASE_TIME", r->lease_time);
		kv_uint(&o, "GHOST_DHCP_MS", r->dhcp_ms);
	}
	return o.overflow ? -ENOSPC : (int)o.len;
}

static int mkdir_p(const char *path)
{
	char tmp[512];
	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* root + dir + "/" + name, the directory created; temporary file then rename, so a reader
 * never sees half a file. */
static int write_file(const char *root, const char *dir, const char *name, const char *text, size_t len)
{
	char d[512], path[600], tmp[610];
	if (snprintf(d, sizeof(d), "%s%s", root, dir) >= (int)sizeof(d))
		return -ENAMETOOLONG;
	int err = mkdir_p(d);
	if (err)
		return err;
	snprintf(path, sizeof(path), "%s/%s", d, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	ssize_t w = write(fd, text, len);
	err = w == (ssize_t)len ? 0 : w < 0 ? -errno : -EIO;
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (err)
		(void)unlink(tmp);
	return err;
}

int net_apply_files(const struct net_lease *r, const char *root)
{
	char buf[4096], name[64];
	int err, len;
	if (!root)
		root = "";

	len = net_apply_format(r, 0, buf, sizeof(buf));
	if (len < 0)
		return len;
	snprintf(name, sizeof(name), "net-%s.conf", r->ifname);
	if ((err = write_file(root, "/run", name, buf, (size_t)len)))
		return err;

	len = net_apply_format(r, 1, buf, sizeof(buf));
	if (len < 0)
		return len;
	if ((err = write_file(root, "/run/ghostboot", "net.env", buf, (size_t)len)))
		return err;

	struct out o = { buf, sizeof(buf), 0, 0 };
	emit(&o, "# written by ghostinit from the %s lease on %s\n", proto_name(r->proto), r->ifname);
	if (r->domain[0])
		emit(&o, "search %s\n", r->domain);
	for (unsigned i = 0; i < r->dns_count && i < DHCP_DNS_MAX; i++) {
		char b[INET_ADDRSTRLEN];
		emit(&o, "nameserver %s\n", ip_text(r->dns[i], b));
	}
	if (o.overflow)
		return -ENOSPC;
	/* The initramfs's own, and a copy under /run that survives switch_root for a real root
	 * whose /etc is read-only NFS (link its /etc/resolv.conf there). */
	if ((err = write_file(root, "/etc", "resolv.conf", buf, o.len)))
		return err;
	return write_file(root, "/run/ghostboot", "resolv.conf", buf, o.len);
}

int net_apply_hostname(const char *hostname)
{
	if (!hostname[0])
		return 0;
	return sethostname(hostname, strlen(hostname)) < 0 ? -errno : 0;
}
