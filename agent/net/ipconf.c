/* ip= in the kernel's syntax (Documentation/admin-guide/nfs/nfsroot.rst, 10 fields) and in
 * dracut's (ip=<if>:dhcp[:mtu[:mac]], ip=<client>:[<peer>]:<gw>:<mask>:<host>:<if>:none
 * [:mtu[:mac]]): split on ':' into spans of the input, then each field checked on its own. */
#include "net/ipconf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/be.h"
#include "lib/hex.h"
#include "lib/span.h"

#define MAX_FIELDS 16 /* 7 + mtu + a MAC split over six fields = 14, some slack to say "too many" */

static const char *const field_names[] = {
	"client", "server", "gateway", "netmask", "hostname", "device", "autoconf",
	"dns0", "dns1", "ntp0",
};

static int fail(char *err, size_t err_len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t err_len, const char *fmt, ...)
{
	if (err && err_len) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, err_len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* Quotes at most 60 bytes of a field, with anything unprintable shown as '?'. */
static const char *quoted(struct span s, char *buf, size_t cap)
{
	size_t n = s.n < cap - 1 ? s.n : cap - 1;
	if (n > 60)
		n = 60;
	for (size_t i = 0; i < n; i++)
		buf[i] = s.p[i] >= 0x20 && s.p[i] < 0x7f ? s.p[i] : '?';
	buf[n] = '\0';
	return buf;
}

/* Names as the reader knows them: the kernel's, unless the form says otherwise (name). */
static int named_error(char *err, size_t err_len, unsigned index, const char *name, struct span s,
		       const char *what)
{
	char q[64];
	if (!name)
		name = index < sizeof(field_names) / sizeof(field_names[0]) ? field_names[index] : "extra";
	return fail(err, err_len, "ip= field %u (%s) '%s' %s", index + 1, name, quoted(s, q, sizeof(q)), what);
}

static int field_error(char *err, size_t err_len, unsigned index, struct span s, const char *what)
{
	return named_error(err, err_len, index, NULL, s, what);
}

static int parse_uint(struct span s, unsigned max, unsigned *out)
{
	unsigned v = 0;
	if (s.n == 0 || s.n > 10)
		return -EINVAL;
	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return -EINVAL;
		v = v * 10 + (unsigned)(s.p[i] - '0');
		if (v > max)
			return -ERANGE;
	}
	*out = v;
	return 0;
}

static uint32_t mask_from_prefix(unsigned prefix)
{
	uint32_t host = prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
	uint32_t m;
	be_put((uint8_t *)&m, host, 4);
	return m;
}

int ipconf_prefix_len(uint32_t netmask)
{
	uint32_t host = (uint32_t)be_get((const uint8_t *)&netmask, 4);
	int n = 0;
	while (n < 32 && (host & (0x80000000u >> n)))
		n++;
	if (n < 32 && (host << n) != 0)
		return -1;
	return n;
}

uint32_t ipconf_default_netmask(uint32_t addr)
{
	uint8_t first = ((const uint8_t *)&addr)[0];
	return mask_from_prefix(first < 128 ? 8 : first < 192 ? 16 : 24);
}

static int parse_addr_field(struct span s, unsigned index, uint32_t *out, char *err, size_t err_len)
{
	if (s.n == 0)
		return 0;
	if (memchr(s.p, '[', s.n))
		return field_error(err, err_len, index, s, "is IPv6: only IPv4 is supported");
	if (span_ipv4(s, out))
		return field_error(err, err_len, index, s, "is not an IPv4 address");
	return 0;
}

static int parse_netmask(struct span s, uint32_t *out, char *err, size_t err_len)
{
	unsigned prefix;
	if (s.n == 0)
		return 0;
	if (memchr(s.p, '.', s.n) == NULL) {
		if (parse_uint(s, 32, &prefix))
			return field_error(err, err_len, 3, s, "is neither a netmask nor a prefix length 0-32");
		*out = mask_from_prefix(prefix);
		return 0;
	}
	if (span_ipv4(s, out))
		return field_error(err, err_len, 3, s, "is not an IPv4 address");
	if (ipconf_prefix_len(*out) < 0)
		return field_error(err, err_len, 3, s, "is not a contiguous netmask");
	return 0;
}

static int parse_hostname(struct span s, char *out, char *err, size_t err_len)
{
	if (s.n >= IPCONF_HOSTNAME_MAX)
		return field_error(err, err_len, 4, s, "is longer than 64 characters");
	for (size_t i = 0; i < s.n; i++) {
		char c = s.p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.' || c == '_'))
			return field_error(err, err_len, 4, s, "is not a valid hostname");
	}
	memcpy(out, s.p, s.n);
	out[s.n] = '\0';
	return 0;
}

static int parse_device(struct span s, unsigned index, char *out, char *err, size_t err_len)
{
	if (s.n >= IPCONF_DEVICE_MAX)
		return named_error(err, err_len, index, "device", s, "is longer than 15 characters");
	for (size_t i = 0; i < s.n; i++)
		if (s.p[i] == '/' || s.p[i] <= ' ' || s.p[i] >= 0x7f)
			return named_error(err, err_len, index, "device", s, "is not an interface name");
	memcpy(out, s.p, s.n);
	out[s.n] = '\0';
	return 0;
}

enum autoconf { AC_INVALID, AC_NONE, AC_DHCP, AC_IPV6, AC_UNSUPPORTED };

static enum autoconf parse_autoconf(struct span s)
{
	static const char *const dhcp[] = { "dhcp", "on", "any", "both", "bootp", "rarp", "all",
					    "single-dhcp" };
	static const char *const none[] = { "off", "none", "static" };
	static const char *const v6[] = { "dhcp6", "auto6", "either6", "link6" };
	for (size_t i = 0; i < sizeof(dhcp) / sizeof(dhcp[0]); i++)
		if (span_eq(s, dhcp[i]))
			return AC_DHCP;
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		if (span_eq(s, none[i]))
			return AC_NONE;
	for (size_t i = 0; i < sizeof(v6) / sizeof(v6[0]); i++)
		if (span_eq(s, v6[i]))
			return AC_IPV6;
	if (span_eq(s, "ibft"))
		return AC_UNSUPPORTED;
	return AC_INVALID;
}

static int autoconf_error(struct span s, unsigned index, enum autoconf ac, char *err, size_t err_len)
{
	if (ac == AC_IPV6)
		return named_error(err, err_len, index, "autoconf", s, "is IPv6 autoconfiguration: only IPv4 is supported");
	if (ac == AC_UNSUPPORTED)
		return named_error(err, err_len, index, "autoconf", s, "is not supported by ghostinit");
	return named_error(err, err_len, index, "autoconf", s,
			   "is not one of dhcp, on, any, both, bootp, off, none");
}

/* A MAC split over six fields by the ':' separators. */
static int parse_mac_fields(const struct span *f, unsigned first, unsigned count, struct ipconf *out,
			    char *err, size_t err_len)
{
	if (count != 6)
		return named_error(err, err_len, first, "macaddr", f[first], "does not start a MAC address aa:bb:cc:dd:ee:ff");
	for (unsigned i = 0; i < 6; i++) {
		struct span s = f[first + i];
		int byte = s.n == 2 ? hex_byte(s.p) : -1;
		if (byte < 0)
			return named_error(err, err_len, first + i, "macaddr", s, "is not a MAC address byte");
		out->mac[i] = (uint8_t)byte;
	}
	out->has_mac = true;
	return 0;
}

static int parse_mtu(struct span s, unsigned index, struct ipconf *out, char *err, size_t err_len)
{
	unsigned mtu;
	if (s.n == 0)
		return 0;
	if (parse_uint(s, 65535, &mtu) || mtu < 68)
		return named_error(err, err_len, index, "mtu", s, "is not an MTU (68-65535)");
	out->mtu = (uint16_t)mtu;
	return 0;
}

/* dracut's ip=<if>:<autoconf>[:[<mtu>][:<macaddr>]]. */
static int parse_dracut_if(const struct span *f, unsigned nf, struct ipconf *out, char *err, size_t err_len)
{
	int rc = parse_device(f[0], 0, out->device, err, err_len);
	if (rc)
		return rc;
	enum autoconf ac = parse_autoconf(f[1]);
	if (ac != AC_DHCP && ac != AC_NONE)
		return autoconf_error(f[1], 1, ac, err, err_len);
	/* Without an address, "off" leaves the named interface alone. */
	out->method = ac == AC_DHCP ? IPCONF_DHCP : IPCONF_OFF;
	if (nf > 2 && (rc = parse_mtu(f[2], 2, out, err, err_len)))
		return rc;
	if (nf > 3)
		return parse_mac_fields(f, 3, nf - 3, out, err, err_len);
	return 0;
}

/* Splits on ':' into at most MAX_FIELDS spans of text. Returns the count, or -EINVAL. */
static int split_fields(const char *text, size_t len, struct span f[MAX_FIELDS], char *err, size_t err_len)
{
	unsigned nf = 0;
	for (;;) {
		const char *colon = memchr(text, ':', len);
		size_t n = colon ? (size_t)(colon - text) : len;
		if (nf == MAX_FIELDS)
			return fail(err, err_len, "ip= has more than %d fields", MAX_FIELDS);
		f[nf++] = (struct span){ text, n };
		if (!colon)
			return (int)nf;
		text += n + 1;
		len -= n + 1;
	}
}

/* One word: ip=dhcp, ip=off, ... (or just an address, the kernel's shortest form). */
static int parse_one_word(struct span word, struct ipconf *out, char *err, size_t err_len)
{
	uint32_t a;
	if (span_ipv4(word, &a) == 0) {
		out->method = IPCONF_STATIC;
		out->client = a;
		out->netmask = ipconf_default_netmask(a);
		return 0;
	}
	enum autoconf ac = parse_autoconf(word);
	if (ac == AC_DHCP)
		return 0;
	if (ac == AC_NONE) {
		out->method = IPCONF_OFF;
		return 0;
	}
	return autoconf_error(word, 6, ac, err, err_len);
}

/* The kernel's first seven fields: client:server:gateway:netmask:hostname:device:autoconf. */
static int parse_kernel_fields(const struct span *f, unsigned nf, struct ipconf *out, enum autoconf *ac,
			       char *err, size_t err_len)
{
	uint32_t *addr_out[] = { &out->client, &out->server, &out->gateway };
	int rc;
	for (unsigned i = 0; i < 3 && i < nf; i++)
		if ((rc = parse_addr_field(f[i], i, addr_out[i], err, err_len)))
			return rc;
	if (nf > 3 && (rc = parse_netmask(f[3], &out->netmask, err, err_len)))
		return rc;
	if (nf > 4 && (rc = parse_hostname(f[4], out->hostname, err, err_len)))
		return rc;
	if (nf > 5 && (rc = parse_device(f[5], 5, out->device, err, err_len)))
		return rc;
	*ac = AC_INVALID;
	if (nf > 6 && f[6].n > 0) {
		*ac = parse_autoconf(f[6]);
		if (*ac != AC_DHCP && *ac != AC_NONE)
			return autoconf_error(f[6], 6, *ac, err, err_len);
	}
	return 0;
}

/* After autoconf: the kernel's dns0:dns1:ntp0, or dracut's [<mtu>][:<macaddr>]. */
static int parse_tail_fields(const struct span *f, unsigned nf, struct ipconf *out, char *err, size_t err_len)
{
	int rc;
	if (nf >= 14) {
		/* dracut: ...:<autoconf>:[<mtu>]:<aa>:<bb>:<cc>:<dd>:<ee>:<ff> */
		if ((rc = parse_mtu(f[7], 7, out, err, err_len)))
			return rc;
		return parse_mac_fields(f, 8, nf - 8, out, err, err_len);
	}
	if (nf > 10)
		return field_error(err, err_len, 10, f[10], "is one field too many (ip= has at most 10, or 14 with a MAC)");
	/* dracut puts a bare number (the MTU) where the kernel has dns0. */
	unsigned mtu;
	if (nf > 7 && f[7].n > 0 && parse_uint(f[7], 65535, &mtu) == 0) {
		if ((rc = parse_mtu(f[7], 7, out, err, err_len)))
			return rc;
	} else if (nf > 7 && (rc = parse_addr_field(f[7], 7, &out->dns[0], err, err_len))) {
		return rc;
	}
	if (nf > 8 && (rc = parse_addr_field(f[8], 8, &out->dns[1], err, err_len)))
		return rc;
	if (nf > 9 && (rc = parse_addr_field(f[9], 9, &out->ntp, err, err_len)))
		return rc;
	return 0;
}

static void choose_method(enum autoconf ac, struct ipconf *out)
{
	if (ac == AC_DHCP) {
		out->method = IPCONF_DHCP;
	} else if (out->client) {
		out->method = IPCONF_STATIC;
		if (!out->netmask)
			out->netmask = ipconf_default_netmask(out->client);
	} else if (ac == AC_NONE) {
		/* An explicit "off" without an address: no network, as the kernel does. */
		out->method = IPCONF_OFF;
	} else {
		out->method = IPCONF_DHCP; /* every field empty: autoconfigure */
	}
}

int ipconf_parse(const char *text, size_t len, struct ipconf *out, char *err, size_t err_len)
{
	memset(out, 0, sizeof(*out));
	if (err && err_len)
		err[0] = '\0';
	if (len == 0)
		return 0;
	if (memchr(text, '[', len))
		return fail(err, err_len, "ip= uses IPv6 ('[...]'): only IPv4 is supported");
	struct span f[MAX_FIELDS];
	int n = split_fields(text, len, f, err, err_len);
	if (n < 0)
		return n;
	unsigned nf = (unsigned)n;
	if (nf == 1)
		return parse_one_word(f[0], out, err, err_len);
	/* dracut names the interface first: its first field is not an address. */
	uint32_t scratch;
	if (f[0].n > 0 && span_ipv4(f[0], &scratch) != 0 && parse_autoconf(f[1]) != AC_INVALID)
		return parse_dracut_if(f, nf, out, err, err_len);
	enum autoconf ac;
	int rc = parse_kernel_fields(f, nf, out, &ac, err, err_len);
	if (!rc)
		rc = parse_tail_fields(f, nf, out, err, err_len);
	if (!rc)
		choose_method(ac, out);
	return rc;
}
