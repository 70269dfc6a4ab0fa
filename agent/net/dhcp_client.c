/* DHCP state machine per interface. Requests leave through a UDP socket (SO_BINDTODEVICE,
 * port 68): the kernel builds the IP/UDP headers, and Linux sends to 255.255.255.255 from
 * 0.0.0.0 on an interface without an address. Answers are read from a packet socket, which
 * hears a unicast frame to our MAC for the offered address before the interface has it, so
 * requests leave without the broadcast flag (RFC 2131 4.1: a client that can receive unicast
 * clears it): the server answers this node alone instead of every node on the segment. The
 * packet socket's filter keeps only UDP to port 68 with our chaddr; a server that broadcasts
 * anyway is still heard. Interfaces that are not Ethernet, or a kernel without packet
 * sockets, fall back to the broadcast flag and the UDP socket, whose filter then drops the
 * other nodes' answers in the kernel (docs/network.md, docs/reliability.md). */
#include "net/dhcp_client.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/be.h"
#include "lib/clock.h"
#include "lib/jitter.h"

#define PORT_CLIENT 68
#define PORT_SERVER 67
#define MAX_REQUESTS 4   /* REQUESTs without an answer before starting over with DISCOVER */
#define MAX_REBOOT_TRIES 2
#define DRAIN_MAX 64     /* datagrams read per wake-up (see drain) */

enum state { ST_REBOOTING, ST_SELECTING, ST_REQUESTING };

struct client {
	int fd;     /* UDP: sends, and receives when there is no packet socket */
	int raw_fd; /* packet socket for answers, -1: none */
	enum state state;
	uint32_t xid;
	unsigned attempt;   /* sends in the current state */
	uint64_t next_send; /* clock_ms() */
	uint64_t round_start;
	uint32_t offered_ip, server_id;
};

/* Seeded from the kernel and the MACs: nodes powered on together must not pick the same xid or
 * retry in step. */
static struct jitter jitter;

static void rnd_seed(const struct dhcp_iface *ifs, unsigned n)
{
	jitter_seed(&jitter);
	for (unsigned i = 0; i < n; i++)
		jitter_mix(&jitter, ifs[i].hwaddr, ifs[i].hwaddr_len);
}

uint64_t dhcp_backoff_ms(unsigned attempt, uint32_t r)
{
	uint64_t base = backoff_base_ms(attempt, 1000, 32000);
	/* RFC 2131 §4.1 randomizes by ±1 s around 4 s; starting at 1 s, ±50 % keeps the same
	 * spread relative to the delay. */
	return base / 2 + (base * (r % 1024u)) / 1024u;
}

#define FILTER_ACCEPT BPF_STMT(BPF_RET | BPF_K, 0xffff)
#define FILTER_DROP BPF_STMT(BPF_RET | BPF_K, 0)
#define UDP_CHADDR (8 + 28) /* chaddr's offset from the UDP header */

static bool is_ethernet(const struct dhcp_iface *ifc)
{
	return ifc->htype == 1 && ifc->hwaddr_len == 6;
}

static uint32_t mac_head(const struct dhcp_iface *ifc)
{
	return (uint32_t)be_get(ifc->hwaddr, 4);
}

static uint32_t mac_tail(const struct dhcp_iface *ifc)
{
	return (uint32_t)be_get(ifc->hwaddr + 4, 2);
}

static int attach_filter(int fd, struct sock_filter *code, unsigned short len)
{
	struct sock_fprog prog = { .len = len, .filter = code };
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

/* UDP socket (the filter starts at the UDP header): answers whose chaddr is our MAC only;
 * datagrams too short to hold a chaddr pass, so that the parser counts them as truncated.
 * With a packet socket reading the answers, this socket reads nothing. */
static int attach_udp_filter(int fd, const struct dhcp_iface *ifc, bool packet_socket)
{
	if (packet_socket) {
		struct sock_filter none[] = { FILTER_DROP };
		return attach_filter(fd, none, 1);
	}
	if (!is_ethernet(ifc))
		return 0; /* other link types: the parser's chaddr check alone */
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, UDP_CHADDR + 6, 0, 4),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, UDP_CHADDR),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, mac_head(ifc), 0, 3),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, UDP_CHADDR + 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, mac_tail(ifc), 0, 1),
		FILTER_ACCEPT,
		FILTER_DROP,
	};
	return attach_filter(fd, code, sizeof(code) / sizeof(code[0]));
}

/* Packet socket (SOCK_DGRAM: the filter starts at the IP header): unfragmented UDP to port
 * 68 whose chaddr is our MAC. */
static int attach_packet_filter(int fd, const struct dhcp_iface *ifc)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9), /* protocol */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0, 10),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6), /* flags, fragment offset */
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x3fff, 8, 0),
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0), /* X = IP header length */
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),  /* UDP destination port */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PORT_CLIENT, 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_IND, UDP_CHADDR),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, mac_head(ifc), 0, 3),
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, UDP_CHADDR + 4),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, mac_tail(ifc), 0, 1),
		FILTER_ACCEPT,
		FILTER_DROP,
	};
	return attach_filter(fd, code, sizeof(code) / sizeof(code[0]));
}

/* The filter is attached before the bind that starts reception: nothing unfiltered queues. */
static int open_packet_socket(const struct dhcp_iface *ifc)
{
	if (!is_ethernet(ifc))
		return -EPROTONOSUPPORT;
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
				   .sll_ifindex = ifc->ifindex };
	if (attach_packet_filter(fd, ifc) < 0 || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

static int open_udp_socket(const struct dhcp_iface *ifc, bool packet_socket)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_UDP);
	if (fd < 0)
		return -errno;
	int one = 1;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(PORT_CLIENT) };
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifc->name, (socklen_t)strlen(ifc->name) + 1) < 0 ||
	    attach_udp_filter(fd, ifc, packet_socket) < 0 ||
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
	c->xid = jitter_next(&jitter);
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
		.broadcast = c->raw_fd < 0,
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
	c->next_send = now + dhcp_backoff_ms(c->attempt, jitter_next(&jitter));
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
		/* In SELECTING only the rapid-commit ACK to our DISCOVER (RFC 4039 §4). */
		if ((c->state == ST_SELECTING && !msg->rapid_commit) || !msg->yiaddr)
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

/* The answer in one datagram read from the client's reading socket; false when the frame
 * around it is not IPv4/UDP to port 68 (counted as truncated). */
static bool answer_of(const struct client *c, const uint8_t *buf, size_t len, const uint8_t **answer,
		      size_t *answer_len, struct dhcp_iface_stats *st)
{
	if (c->raw_fd < 0) {
		*answer = buf;
		*answer_len = len;
		return true;
	}
	if (dhcp_udp_payload(buf, len, answer, answer_len) == 0)
		return true;
	st->rejected.truncated++;
	return false;
}

/* Reads the queued datagrams, at most DRAIN_MAX; returns true when one bound the interface.
 * The cap sends us back to the loop that sends and checks the deadline: a sender refilling
 * the queue as fast as we read (broken or hostile) can neither hold PID 1 past its deadline
 * nor keep the REQUEST for an OFFER already taken from leaving. */
static bool drain(struct client *c, const struct dhcp_iface *ifc, struct dhcp_iface_stats *st,
		  struct dhcp_msg *ack, uint64_t now)
{
	int fd = c->raw_fd >= 0 ? c->raw_fd : c->fd;
	for (unsigned n = 0; n < DRAIN_MAX; n++) {
		uint8_t buf[2048];
		const uint8_t *answer;
		size_t answer_len;
		ssize_t got = recv(fd, buf, sizeof(buf), MSG_TRUNC);
		if (got < 0)
			return false; /* EAGAIN: drained */
		if ((size_t)got > sizeof(buf)) {
			st->rejected.oversized++;
			continue;
		}
		if (answer_of(c, buf, (size_t)got, &answer, &answer_len, st) &&
		    receive_one(c, ifc, answer, answer_len, st, ack, now))
			return true;
	}
	return false;
}

static void open_client(struct client *c, const struct dhcp_iface *ifc, bool broadcast)
{
	c->raw_fd = broadcast ? -1 : open_packet_socket(ifc);
	if (c->raw_fd < 0)
		c->raw_fd = -1;
	c->fd = open_udp_socket(ifc, c->raw_fd >= 0);
	if (c->fd < 0 && c->raw_fd >= 0) {
		close(c->raw_fd);
		c->raw_fd = -1;
	}
}

static void close_client(struct client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	if (c->raw_fd >= 0)
		close(c->raw_fd);
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
		open_client(&cl[i], &ifs[i], opt->broadcast);
		if (cl[i].fd < 0 && !first_err)
			first_err = cl[i].fd;
		open += cl[i].fd >= 0;
		new_round(&cl[i], opt->requested_ip ? ST_REBOOTING : ST_SELECTING, start);
		/* poll ignores negative fds */
		pfd[i].fd = cl[i].raw_fd >= 0 ? cl[i].raw_fd : cl[i].fd;
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
			if (drain(&cl[i], &ifs[i], &stats[i], &lease->ack, now)) {
				lease->iface = i;
				lease->elapsed_ms = clock_ms() - start;
				result = 0;
				goto done;
			}
		}
	}
done:
	for (unsigned i = 0; i < n; i++)
		close_client(&cl[i]);
	return result;
}
