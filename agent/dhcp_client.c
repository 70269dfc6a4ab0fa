/* DHCP state machine over one UDP socket per interface (SO_BINDTODEVICE, port 68).
 * Why UDP and not AF_PACKET: the kernel builds and checks the IP/UDP headers, and Linux sends
 * to 255.255.255.255 from 0.0.0.0 on an interface without an address; setting the broadcast
 * flag makes servers broadcast their answers, which such a socket receives (with rp_filter
 * off, the kernel's default in an initramfs). A server that ignores the flag and unicasts to
 * the offered address would not be heard: documented in docs/network.md.
 * Broadcast answers reach every client on the segment; a socket filter on our chaddr drops
 * the other nodes' answers in the kernel, so a boot storm of N nodes does not wake each
 * client N times per exchange (docs/reliability.md). */
#include "dhcp_client.h"

#include <errno.h>
#include <linux/filter.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "clock.h"

#define PORT_CLIENT 68
#define PORT_SERVER 67
#define MAX_REQUESTS 4   /* REQUESTs without an answer before starting over with DISCOVER */
#define MAX_REBOOT_TRIES 2

enum state { ST_REBOOTING, ST_SELECTING, ST_REQUESTING };

struct client {
	int fd;
	enum state state;
	uint32_t xid;
	unsigned attempt;   /* sends in the current state */
	uint64_t next_send; /* clock_ms() */
	uint64_t round_start;
	uint32_t offered_ip, server_id;
};

/* xorshift32 seeded from the kernel and the MAC: nodes powered on together must not pick
 * the same xid or retry in step, even before the kernel's entropy pool is ready. */
static uint32_t rnd_state;

static uint32_t rnd(void)
{
	uint32_t x = rnd_state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return rnd_state = x;
}

static void rnd_seed(const struct dhcp_iface *ifs, unsigned n)
{
	uint32_t seed = 0;
	/* GRND_INSECURE (Linux 5.6+) never blocks; fall back to GRND_NONBLOCK. */
	if (syscall(SYS_getrandom, &seed, sizeof(seed), 0x0004) != (long)sizeof(seed))
		(void)syscall(SYS_getrandom, &seed, sizeof(seed), 0x0001);
	seed ^= (uint32_t)clock_ms() * 2654435761u ^ (uint32_t)getpid();
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; j < ifs[i].hwaddr_len; j++)
			seed = (seed ^ ifs[i].hwaddr[j]) * 16777619u;
	rnd_state = seed ? seed : 0x9e3779b9u;
}

uint64_t dhcp_backoff_ms(unsigned attempt, uint32_t r)
{
	uint64_t base = 1000u << (attempt < 5 ? attempt : 5);
	/* RFC 2131 §4.1 randomizes by ±1 s around 4 s; starting at 1 s, ±50 % keeps the same
	 * spread relative to the delay. */
	return base / 2 + (base * (r % 1024u)) / 1024u;
}

/* Offsets from the UDP header, where a UDP socket's filter starts. */
#define FILTER_CHADDR (8 + 28)
#define FILTER_SHORTEST (FILTER_CHADDR + 6)

/* Accept only answers whose chaddr is this Ethernet interface's MAC. Datagrams too short to
 * hold a chaddr pass, so that the parser still counts them as truncated. */
static int attach_chaddr_filter(int fd, const struct dhcp_iface *ifc)
{
	if (ifc->htype != 1 || ifc->hwaddr_len != 6)
		return 0; /* other link types: the parser's chaddr check alone */
	const uint8_t *m = ifc->hwaddr;
	uint32_t head = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 | (uint32_t)m[2] << 8 | m[3];
	uint32_t tail = (uint32_t)m[4] << 8 | m[5];
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, FILTER_SHORTEST, 0, 4),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, FILTER_CHADDR),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, head, 0, 3),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, FILTER_CHADDR + 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, tail, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

static int open_socket(const struct dhcp_iface *ifc)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_UDP);
	if (fd < 0)
		return -errno;
	int one = 1;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(PORT_CLIENT) };
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifc->name, (socklen_t)strlen(ifc->name) + 1) < 0 ||
	    attach_chaddr_filter(fd, ifc) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

static void new_round(struct client *c, enum state st, uint64_t now)
{
	c->state = st;
	c->xid = rnd();
	c->attempt = 0;
	c->next_send = now;
	c->round_start = now;
	c->offered_ip = c->server_id = 0;
}

static void send_one(struct client *c, const struct dhcp_iface *ifc, const struct dhcp_options *opt,
		     struct dhcp_iface_stats *st, uint64_t now)
{
	uint8_t buf[DHCP_MAX_LEN];
	struct dhcp_request req = {
		.type = c->state == ST_SELECTING ? DHCP_DISCOVER : DHCP_REQUEST,
		.xid = c->xid,
		.secs = (uint16_t)((now - c->round_start) / 1000u),
		.htype = ifc->htype,
		.chaddr_len = ifc->hwaddr_len,
	};
	memcpy(req.chaddr, ifc->hwaddr, ifc->hwaddr_len);
	if (c->state == ST_REBOOTING)
		req.requested_ip = opt->requested_ip;
	if (c->state == ST_REQUESTING) {
		req.requested_ip = c->offered_ip;
		req.server_id = c->server_id;
	}
	int len = dhcp_wire_build(&req, buf, sizeof(buf));
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(PORT_SERVER),
				  .sin_addr.s_addr = htonl(INADDR_BROADCAST) };
	/* A link without carrier refuses the send: the retransmission timer tries again. */
	if (len < 0 || sendto(c->fd, buf, (size_t)len, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		st->send_errors++;
	else if (req.type == DHCP_DISCOVER)
		st->discovers++;
	else
		st->requests++;
	c->next_send = now + dhcp_backoff_ms(c->attempt, rnd());
	c->attempt++;
}

/* One received datagram; returns true when it bound the interface. */
static bool receive_one(struct client *c, const struct dhcp_iface *ifc, const uint8_t *buf, size_t len,
			struct dhcp_iface_stats *st, struct dhcp_msg *msg, uint64_t now)
{
	const struct dhcp_expect expect = { .xid = c->xid, .chaddr = ifc->hwaddr, .chaddr_len = ifc->hwaddr_len };
	if (dhcp_wire_parse(buf, len, &expect, msg, &st->rejected) != 0)
		return false;
	switch (msg->type) {
	case DHCP_OFFER:
		st->offers++;
		/* The first usable OFFER is taken: waiting for others only delays the boot. */
		if (c->state != ST_SELECTING || !msg->yiaddr || !msg->server_id)
			return false;
		c->state = ST_REQUESTING;
		c->offered_ip = msg->yiaddr;
		c->server_id = msg->server_id;
		c->attempt = 0;
		c->next_send = now;
		return false;
	case DHCP_ACK:
		if (c->state == ST_SELECTING || !msg->yiaddr)
			return false;
		if (c->state == ST_REQUESTING && msg->server_id && msg->server_id != c->server_id)
			return false;
		st->acks++;
		return true;
	case DHCP_NAK:
		if (c->state == ST_SELECTING)
			return false;
		if (c->state == ST_REQUESTING && msg->server_id && msg->server_id != c->server_id)
			return false;
		st->naks++;
		new_round(c, ST_SELECTING, now); /* RFC 2131 §3.1.5: restart from INIT */
		return false;
	default:
		return false;
	}
}

int dhcp_client_run(const struct dhcp_iface *ifs, unsigned n, const struct dhcp_options *opt,
		    struct dhcp_lease *lease, struct dhcp_iface_stats *stats)
{
	struct client cl[DHCP_CLIENT_MAX_IFACES];
	struct pollfd pfd[DHCP_CLIENT_MAX_IFACES];
	uint64_t start = clock_ms();
	int first_err = 0;
	unsigned open = 0;
	if (n > DHCP_CLIENT_MAX_IFACES)
		n = DHCP_CLIENT_MAX_IFACES;
	memset(stats, 0, n * sizeof(*stats));
	memset(lease, 0, sizeof(*lease));
	rnd_seed(ifs, n);
	for (unsigned i = 0; i < n; i++) {
		cl[i].fd = open_socket(&ifs[i]);
		if (cl[i].fd < 0 && !first_err)
			first_err = cl[i].fd;
		open += cl[i].fd >= 0;
		new_round(&cl[i], opt->requested_ip ? ST_REBOOTING : ST_SELECTING, start);
		pfd[i].fd = cl[i].fd; /* poll ignores negative fds */
		pfd[i].events = POLLIN;
	}
	if (open == 0)
		return first_err ? first_err : -ENODEV;

	int result = -ETIMEDOUT;
	for (;;) {
		uint64_t now = clock_ms();
		if (now >= opt->deadline)
			break;
		uint64_t wake = opt->deadline;
		for (unsigned i = 0; i < n; i++) {
			if (cl[i].fd < 0)
				continue;
			if (cl[i].next_send <= now) {
				if (cl[i].state == ST_REQUESTING && cl[i].attempt >= MAX_REQUESTS)
					new_round(&cl[i], ST_SELECTING, now);
				else if (cl[i].state == ST_REBOOTING && cl[i].attempt >= MAX_REBOOT_TRIES)
					new_round(&cl[i], ST_SELECTING, now);
				send_one(&cl[i], &ifs[i], opt, &stats[i], now);
			}
			if (cl[i].next_send < wake)
				wake = cl[i].next_send;
		}
		uint64_t wait = wake > now ? wake - now : 0;
		int ready = poll(pfd, n, (int)(wait > 60000 ? 60000 : wait));
		if (ready < 0 && errno != EINTR) {
			result = -errno;
			break;
		}
		if (ready <= 0)
			continue;
		now = clock_ms();
		for (unsigned i = 0; i < n; i++) {
			if (cl[i].fd < 0 || !(pfd[i].revents & POLLIN))
				continue;
			for (;;) {
				uint8_t buf[2048];
				ssize_t got = recv(cl[i].fd, buf, sizeof(buf), MSG_TRUNC);
				if (got < 0)
					break; /* EAGAIN: drained */
				if ((size_t)got > sizeof(buf)) {
					stats[i].rejected.oversized++;
					continue;
				}
				if (receive_one(&cl[i], &ifs[i], buf, (size_t)got, &stats[i], &lease->ack, now)) {
					lease->iface = i;
					lease->elapsed_ms = clock_ms() - start;
					result = 0;
					goto done;
				}
			}
		}
	}
done:
	for (unsigned i = 0; i < n; i++)
		if (cl[i].fd >= 0)
			close(cl[i].fd);
	return result;
}
