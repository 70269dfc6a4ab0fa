/* dhcp_client_run (agent/net/dhcp_client.c) under a flood: a sender that refills the receive
 * queue as fast as the client reads it. The socket layer is faked here (socket, setsockopt,
 * bind, sendto, poll and recv are defined by this file, so the client's calls land on them):
 * every read returns a datagram at once, never EAGAIN. Before the fix the client's drain loop
 * read until the queue was empty, which this queue never is: the client never came back to
 * its deadline nor sent the REQUEST for an OFFER it had taken. An alarm turns that hang into
 * a failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/clock.h"
#include "net/dhcp_client.h"

#define HANG_GUARD_S 20

static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

static struct {
	unsigned real_every; /* 0: every datagram is foreign; N: every Nth answers us */
	uint32_t xid;        /* of the last request the client sent */
	int last_type;       /* its DHCP message type */
	unsigned reads, requests;
} fake;

/* ---- the faked socket layer ---- */

int socket(int domain, int type, int protocol)
{
	(void)domain, (void)type, (void)protocol;
	return open("/dev/null", O_RDWR | O_CLOEXEC);
}

int setsockopt(int fd, int level, int name, const void *value, socklen_t len)
{
	(void)fd, (void)level, (void)name, (void)value, (void)len;
	return 0;
}

int bind(int fd, const struct sockaddr *sa, socklen_t len)
{
	(void)fd, (void)sa, (void)len;
	return 0;
}

static int message_type(const uint8_t *b, size_t len)
{
	for (size_t i = 240; i + 2 < len && b[i] != 255; i += b[i] ? 2u + b[i + 1] : 1u)
		if (b[i] == 53)
			return b[i + 2];
	return -1;
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to, socklen_t tolen)
{
	(void)fd, (void)flags, (void)to, (void)tolen;
	const uint8_t *b = buf;
	if (len >= 240) {
		fake.xid = (uint32_t)b[4] << 24 | (uint32_t)b[5] << 16 | (uint32_t)b[6] << 8 | b[7];
		fake.last_type = message_type(b, len);
		fake.requests += fake.last_type == 3;
	}
	return (ssize_t)len;
}

int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	(void)timeout;
	for (nfds_t i = 0; i < n; i++)
		fds[i].revents = fds[i].fd >= 0 ? POLLIN : 0;
	return (int)n;
}

/* An OFFER (to a DISCOVER) or ACK (to a REQUEST) from 10.77.0.1 for 10.77.0.23, our MAC. */
static size_t reply(uint8_t *b, uint32_t xid, uint8_t type)
{
	static const uint8_t opts[] = { 54, 4, 10, 77, 0, 1, 51, 4, 0xff, 0xff, 0xff, 0xff,
					1, 4, 255, 255, 255, 0, 255 };
	memset(b, 0, 240);
	b[0] = 2, b[1] = 1, b[2] = 6;
	b[4] = (uint8_t)(xid >> 24), b[5] = (uint8_t)(xid >> 16), b[6] = (uint8_t)(xid >> 8), b[7] = (uint8_t)xid;
	b[16] = 10, b[17] = 77, b[18] = 0, b[19] = 23;
	memcpy(b + 28, mac, sizeof(mac));
	b[236] = 99, b[237] = 130, b[238] = 83, b[239] = 99;
	b[240] = 53, b[241] = 1, b[242] = type;
	memcpy(b + 243, opts, sizeof(opts));
	return 243 + sizeof(opts);
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	(void)fd, (void)flags;
	uint8_t b[400];
	fake.reads++;
	bool ours = fake.real_every && fake.reads % fake.real_every == 0;
	size_t n = reply(b, ours ? fake.xid : ~fake.xid, fake.last_type == 3 ? 5 : 2);
	memcpy(buf, b, n < len ? n : len);
	return (ssize_t)n;
}

/* ---- the tests ---- */

static void hung(int sig)
{
	(void)sig;
	static const char msg[] = "test_dhcp_client: the client never returned from the flood\n";
	(void)!write(2, msg, sizeof(msg) - 1);
	_exit(1);
}

static int run(uint64_t timeout_ms, struct dhcp_lease *lease, struct dhcp_iface_stats *st)
{
	struct dhcp_iface ifc = { .ifindex = 1, .name = "gbflood0", .hwaddr_len = 6, .htype = 1 };
	memcpy(ifc.hwaddr, mac, sizeof(mac));
	struct dhcp_options opt = { .deadline = deadline_in(timeout_ms), .broadcast = true };
	signal(SIGALRM, hung);
	alarm(HANG_GUARD_S);
	int r = dhcp_client_run(&ifc, 1, &opt, lease, st);
	alarm(0);
	return r;
}

/* Nothing but foreign answers: the client ends at its deadline. */
static void test_foreign_flood_ends_at_deadline(void **state)
{
	(void)state;
	struct dhcp_lease lease;
	struct dhcp_iface_stats st;
	memset(&fake, 0, sizeof(fake));
	uint64_t t0 = clock_ms();
	assert_int_equal(run(500, &lease, &st), -ETIMEDOUT);
	uint64_t took = clock_ms() - t0;
	assert_true(took >= 500);
	assert_true(took < 1500);
	assert_true(st.rejected.wrong_xid > 1000); /* it did read the flood */
	assert_int_equal(st.offers, 0);
}

/* The real server's answers among the flood: the client takes the OFFER, gets its REQUEST out
 * and binds, long before its deadline. */
static void test_real_answers_in_flood_bind(void **state)
{
	(void)state;
	struct dhcp_lease lease;
	struct dhcp_iface_stats st;
	memset(&fake, 0, sizeof(fake));
	fake.real_every = 1000;
	uint64_t t0 = clock_ms();
	assert_int_equal(run(10000, &lease, &st), 0);
	assert_true(clock_ms() - t0 < 5000);
	assert_int_equal(st.offers, 1);
	assert_int_equal(st.acks, 1);
	assert_true(fake.requests >= 1);
	assert_int_equal(lease.ack.yiaddr, htonl(0x0a4d0017));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_foreign_flood_ends_at_deadline),
		cmocka_unit_test(test_real_answers_in_flood_bind),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
