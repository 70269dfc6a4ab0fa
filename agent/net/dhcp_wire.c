/* DHCPv4 packets as bytes: builds what the client sends, parses what servers answer with a
 * cursor and a remaining count (every length checked before it is read, no struct overlay). */
#include "net/dhcp_wire.h"

#include <errno.h>
#include <string.h>

#include "lib/be.h"
#include "lib/hostname.h"

#define OP_BOOTREQUEST 1
#define OP_BOOTREPLY 2
#define FLAG_BROADCAST 0x8000u
#define MAGIC 0x63825363u

#define OFF_OP 0
#define OFF_HTYPE 1
#define OFF_HLEN 2
#define OFF_XID 4
#define OFF_SECS 8
#define OFF_FLAGS 10
#define OFF_YIADDR 16
#define OFF_SIADDR 20
#define OFF_CHADDR 28
#define OFF_SNAME 44
#define OFF_FILE 108
#define OFF_MAGIC 236
#define OFF_OPTIONS 240
#define SNAME_LEN 64
#define FILE_LEN 128

enum {
	OPT_PAD = 0,
	OPT_SUBNET = 1,
	OPT_ROUTER = 3,
	OPT_DNS = 6,
	OPT_HOSTNAME = 12,
	OPT_DOMAIN = 15,
	OPT_ROOT_PATH = 17,
	OPT_MTU = 26,
	OPT_BROADCAST = 28,
	OPT_REQUESTED_IP = 50,
	OPT_LEASE_TIME = 51,
	OPT_OVERLOAD = 52,
	OPT_MSG_TYPE = 53,
	OPT_SERVER_ID = 54,
	OPT_PARAM_LIST = 55,
	OPT_MESSAGE = 56,
	OPT_MAX_SIZE = 57,
	OPT_VENDOR_CLASS = 60,
	OPT_CLIENT_ID = 61,
	OPT_TFTP_SERVER = 66,
	OPT_BOOTFILE = 67,
	OPT_RAPID_COMMIT = 80,
	OPT_END = 255,
};

/* Parameters asked for, in the order servers usually answer them. */
static const uint8_t param_list[] = {
	OPT_SUBNET, OPT_ROUTER, OPT_DNS, OPT_HOSTNAME, OPT_DOMAIN, OPT_MTU, OPT_BROADCAST,
	OPT_LEASE_TIME, OPT_SERVER_ID, OPT_ROOT_PATH, OPT_TFTP_SERVER, OPT_BOOTFILE,
};

/* Addresses stay in network byte order: copy the bytes as they are. */
static uint32_t get_addr(const uint8_t *p)
{
	uint32_t a;
	memcpy(&a, p, 4);
	return a;
}

/* Appends one option; returns the new length or -ENOSPC. */
static int put_option(uint8_t *buf, size_t cap, size_t len, uint8_t code, const void *data,
		      size_t data_len)
{
	if (data_len > 255 || len + 2 + data_len > cap)
		return -ENOSPC;
	buf[len] = code;
	buf[len + 1] = (uint8_t)data_len;
	memcpy(buf + len + 2, data, data_len);
	return (int)(len + 2 + data_len);
}

int dhcp_wire_build(const struct dhcp_request *req, uint8_t *buf, size_t cap)
{
	if (req->type != DHCP_DISCOVER && req->type != DHCP_REQUEST)
		return -EINVAL;
	if (req->chaddr_len == 0 || req->chaddr_len > DHCP_CHADDR_MAX)
		return -EINVAL;
	if (cap < OFF_OPTIONS + 1)
		return -ENOSPC;
	memset(buf, 0, OFF_OPTIONS);
	buf[OFF_OP] = OP_BOOTREQUEST;
	buf[OFF_HTYPE] = req->htype ? req->htype : 1;
	buf[OFF_HLEN] = req->chaddr_len;
	be_put(buf + OFF_XID, req->xid, 4);
	be_put(buf + OFF_SECS, req->secs, 2);
	/* Without a packet socket the interface, which has no address yet, hears only
	 * broadcast answers (see dhcp_client.c). */
	be_put(buf + OFF_FLAGS, req->broadcast ? FLAG_BROADCAST : 0, 2);
	memcpy(buf + OFF_CHADDR, req->chaddr, req->chaddr_len);
	be_put(buf + OFF_MAGIC, MAGIC, 4);

	int len = OFF_OPTIONS;
	uint8_t type = (uint8_t)req->type;
	len = put_option(buf, cap, (size_t)len, OPT_MSG_TYPE, &type, 1);
	/* RFC 2132 §9.14: client identifier = hardware type followed by the address. */
	uint8_t client_id[1 + DHCP_CHADDR_MAX];
	client_id[0] = buf[OFF_HTYPE];
	memcpy(client_id + 1, req->chaddr, req->chaddr_len);
	if (len > 0)
		len = put_option(buf, cap, (size_t)len, OPT_CLIENT_ID, client_id, 1u + req->chaddr_len);
	if (len > 0 && req->requested_ip)
		len = put_option(buf, cap, (size_t)len, OPT_REQUESTED_IP, &req->requested_ip, 4);
	if (len > 0 && req->server_id)
		len = put_option(buf, cap, (size_t)len, OPT_SERVER_ID, &req->server_id, 4);
	uint8_t max_size[2];
	be_put(max_size, DHCP_MAX_LEN + 28, 2);
	if (len > 0)
		len = put_option(buf, cap, (size_t)len, OPT_MAX_SIZE, max_size, 2);
	if (len > 0)
		len = put_option(buf, cap, (size_t)len, OPT_PARAM_LIST, param_list, sizeof(param_list));
	if (len > 0)
		len = put_option(buf, cap, (size_t)len, OPT_VENDOR_CLASS, DHCP_VENDOR_CLASS,
				 sizeof(DHCP_VENDOR_CLASS) - 1);
	/* RFC 4039: a server that allows it answers the DISCOVER with the ACK at once, half the
	 * packets of a boot storm; others ignore the option and OFFER as usual. */
	if (len > 0 && req->type == DHCP_DISCOVER)
		len = put_option(buf, cap, (size_t)len, OPT_RAPID_COMMIT, buf, 0);
	if (len < 0)
		return len;
	if ((size_t)len + 1 > cap)
		return -ENOSPC;
	buf[len++] = OPT_END;
	/* Some old relays drop BOOTP messages shorter than 300 bytes (RFC 1542 §2.1). */
	while (len < 300 && (size_t)len < cap)
		buf[len++] = OPT_PAD;
	return len;
}

enum walk_error { WALK_OK = 0, WALK_OVERRUN, WALK_UNTERMINATED, WALK_MALFORMED };

/* Copies a string option if every byte is printable ASCII; otherwise leaves it empty. */
static void take_string(char *dst, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e) {
			/* A trailing NUL is common (some servers count it): accept only that. */
			if (p[i] == 0 && i + 1 == n)
				break;
			dst[0] = '\0';
			return;
		}
	size_t m = n < DHCP_STR_MAX - 1 ? n : DHCP_STR_MAX - 1;
	memcpy(dst, p, m);
	dst[m] = '\0';
	while (m > 0 && dst[m - 1] == '\0')
		m--;
}

static int take_option(struct dhcp_msg *msg, uint8_t code, const uint8_t *p, size_t n,
		       uint8_t *overload)
{
	switch (code) {
	case OPT_MSG_TYPE:
		if (n != 1)
			return WALK_MALFORMED;
		msg->type = (enum dhcp_type)p[0];
		break;
	case OPT_OVERLOAD:
		if (n != 1 || p[0] < 1 || p[0] > 3)
			return WALK_MALFORMED;
		*overload = p[0];
		break;
	case OPT_SUBNET:
	case OPT_BROADCAST:
	case OPT_SERVER_ID:
		if (n != 4)
			return WALK_MALFORMED;
		if (code == OPT_SUBNET)
			msg->subnet_mask = get_addr(p);
		else if (code == OPT_BROADCAST)
			msg->broadcast = get_addr(p);
		else
			msg->server_id = get_addr(p);
		break;
	case OPT_ROUTER:
		if (n < 4 || n % 4 != 0)
			return WALK_MALFORMED;
		msg->router = get_addr(p);
		break;
	case OPT_DNS:
		if (n < 4 || n % 4 != 0)
			return WALK_MALFORMED;
		msg->dns_count = 0;
		for (size_t i = 0; i + 4 <= n && msg->dns_count < DHCP_DNS_MAX; i += 4)
			msg->dns[msg->dns_count++] = get_addr(p + i);
		break;
	case OPT_LEASE_TIME:
		if (n != 4)
			return WALK_MALFORMED;
		msg->lease_time = (uint32_t)be_get(p, 4);
		break;
	case OPT_MTU:
		if (n != 2)
			return WALK_MALFORMED;
		msg->mtu = (uint16_t)be_get(p, 2);
		break;
	case OPT_HOSTNAME:
		take_string(msg->hostname, p, n);
		if (!hostname_valid(msg->hostname))
			msg->hostname[0] = '\0'; /* "n2 slots=4" would be set, reported, written */
		break;
	case OPT_DOMAIN:
		take_string(msg->domain, p, n);
		break;
	case OPT_ROOT_PATH:
		take_string(msg->root_path, p, n);
		break;
	case OPT_TFTP_SERVER:
		take_string(msg->tftp_server, p, n);
		break;
	case OPT_BOOTFILE:
		take_string(msg->bootfile, p, n);
		break;
	case OPT_MESSAGE:
		take_string(msg->message, p, n);
		break;
	case OPT_RAPID_COMMIT:
		if (n != 0)
			return WALK_MALFORMED;
		msg->rapid_commit = true;
		break;
	default:
		break; /* options we did not ask for are skipped */
	}
	return WALK_OK;
}

/* Walks one options field (the options area, or file/sname when overloaded). */
static int walk_options(const uint8_t *p, size_t rem, struct dhcp_msg *msg, uint8_t *overload)
{
	while (rem > 0) {
		uint8_t code = *p;
		p++, rem--;
		if (code == OPT_PAD)
			continue;
		if (code == OPT_END)
			return WALK_OK;
		if (rem == 0)
			return WALK_OVERRUN; /* no length byte */
		size_t n = *p;
		p++, rem--;
		if (n > rem)
			return WALK_OVERRUN;
		int err = take_option(msg, code, p, n, overload);
		if (err)
			return err;
		p += n, rem -= n;
	}
	return WALK_UNTERMINATED;
}

static int reject(unsigned *counter)
{
	if (counter)
		(*counter)++;
	return -EBADMSG;
}

#define REJECT(c, field) reject((c) ? &(c)->field : NULL)

int dhcp_wire_parse(const uint8_t *buf, size_t len, const struct dhcp_expect *expect,
		    struct dhcp_msg *msg, struct dhcp_counters *counters)
{
	memset(msg, 0, sizeof(*msg));
	if (len > DHCP_MAX_LEN)
		return REJECT(counters, oversized);
	if (len < DHCP_MIN_LEN)
		return REJECT(counters, truncated);
	if ((uint32_t)be_get(buf + OFF_MAGIC, 4) != MAGIC)
		return REJECT(counters, wrong_magic);
	if (buf[OFF_OP] != OP_BOOTREPLY)
		return REJECT(counters, malformed);
	msg->xid = (uint32_t)be_get(buf + OFF_XID, 4);
	if (expect) {
		if (msg->xid != expect->xid)
			return REJECT(counters, wrong_xid);
		if (buf[OFF_HLEN] != expect->chaddr_len || expect->chaddr_len > DHCP_CHADDR_MAX ||
		    memcmp(buf + OFF_CHADDR, expect->chaddr, expect->chaddr_len) != 0)
			return REJECT(counters, wrong_chaddr);
	}
	msg->yiaddr = get_addr(buf + OFF_YIADDR);
	msg->siaddr = get_addr(buf + OFF_SIADDR);

	uint8_t overload = 0;
	int err = walk_options(buf + OFF_OPTIONS, len - OFF_OPTIONS, msg, &overload);
	/* RFC 2131 §4.1: with option 52, file and then sname carry more options. */
	uint8_t ignored = 0;
	if (!err && (overload & 1))
		err = walk_options(buf + OFF_FILE, FILE_LEN, msg, &ignored);
	if (!err && (overload & 2))
		err = walk_options(buf + OFF_SNAME, SNAME_LEN, msg, &ignored);
	if (err == WALK_OVERRUN)
		return REJECT(counters, option_overrun);
	if (err == WALK_UNTERMINATED)
		return REJECT(counters, unterminated);
	if (err)
		return REJECT(counters, malformed);
	if (msg->type != DHCP_OFFER && msg->type != DHCP_ACK && msg->type != DHCP_NAK)
		return REJECT(counters, malformed);
	if (!msg->bootfile[0] && !(overload & 1))
		take_string(msg->bootfile, buf + OFF_FILE, strnlen((const char *)buf + OFF_FILE, FILE_LEN));
	return 0;
}

unsigned dhcp_counters_total(const struct dhcp_counters *c)
{
	return c->truncated + c->oversized + c->wrong_xid + c->wrong_magic + c->option_overrun +
	       c->unterminated + c->wrong_chaddr + c->malformed;
}

#define IPV4_MIN_HEADER 20
#define UDP_HEADER 8
#define IPV4_PROTO_UDP 17
#define IPV4_FRAGMENT_BITS 0x3fffu /* more-fragments flag and fragment offset */
#define DHCP_CLIENT_PORT 68

int dhcp_udp_payload(const uint8_t *pkt, size_t len, const uint8_t **payload, size_t *payload_len)
{
	if (len < IPV4_MIN_HEADER || pkt[0] >> 4 != 4)
		return -EBADMSG;
	size_t ihl = (size_t)(pkt[0] & 0x0f) * 4;
	size_t total = (uint16_t)be_get(pkt + 2, 2);
	/* Ethernet pads short frames: the IP total length, not the read length, ends the packet. */
	if (ihl < IPV4_MIN_HEADER || total > len || total < ihl + UDP_HEADER)
		return -EBADMSG;
	if (pkt[9] != IPV4_PROTO_UDP || ((uint16_t)be_get(pkt + 6, 2) & IPV4_FRAGMENT_BITS))
		return -EBADMSG;
	const uint8_t *udp = pkt + ihl;
	size_t udp_len = (uint16_t)be_get(udp + 4, 2);
	if ((uint16_t)be_get(udp + 2, 2) != DHCP_CLIENT_PORT || udp_len < UDP_HEADER || udp_len > total - ihl)
		return -EBADMSG;
	*payload = udp + UDP_HEADER;
	*payload_len = udp_len - UDP_HEADER;
	return 0;
}
