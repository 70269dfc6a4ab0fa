/* ghostwatch-loadgen: simulated nodes for tests and benchmarks. Sends real report datagrams
 * (the shared codec, HMAC with OpenSSL) to a ghostwatch, each node from its own loopback
 * source address (127.x.y.z), and checks the acks; or sends bad input of one kind; or
 * measures ghostwatch's per-report pipeline in process (--bench). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "keys/gw_hmac.h"
#include "keys/node_key.h"
#include "state/nodes.h"
#include "state/persist.h"
#include "report/report_wire.h"
#include "serve/validate.h"

struct opts {
	struct sockaddr_in target;
	uint8_t key[REPORT_KEY_MAX];
	int keylen;
	int per_node; /* key is the master secret of per-node keys (--master-key) */
	unsigned nodes, first, boot, seq_start, heartbeat, fatal_every, count, bench_s, pace_us;
	unsigned protocol; /* 1 (default: what every test before v2 expects) or 2 */
	int stages[REPORT_STAGE_COUNT];
	unsigned nstages;
	const char *bad, *state;
	const char *hostname; /* NULL: simNNNNN; else sent as given, whatever it holds */
	const char *text;     /* the fatal report's error text; NULL: "nfs mount timed out" */
};

static struct gw_hmac *hmac;
/* v2: each node's nonce, from the acks (zeros until its first ack), echoed by its reports. */
static uint8_t (*nonces)[REPORT_NONCE_LEN];

/* The sender's (and ack checker's) keys: one cluster key, or each node's own. */
static struct gw_hmac *new_hmac(const struct opts *o)
{
	return o->per_node ? gw_hmac_new_per_node(o->key, (size_t)o->keylen, o->nodes + 1)
			   : gw_hmac_new(o->key, (size_t)o->keylen);
}

#define WINDOW 128

static uint64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static double mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* This thread's CPU time: the bench's rates are per CPU second, so that other work on a
 * shared machine (waiting for the core) does not count as ghostwatch's cost. */
static double cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void node_mac(unsigned i, uint8_t mac[6])
{
	mac[0] = 0x02; /* locally administered */
	mac[1] = 0x67;
	mac[2] = (uint8_t)(i >> 24);
	mac[3] = (uint8_t)(i >> 16);
	mac[4] = (uint8_t)(i >> 8);
	mac[5] = (uint8_t)i;
}

/* The node's source address: 127.<i+1 in three bytes>, all local on lo. */
static uint32_t node_src(unsigned i)
{
	unsigned v = i + 1;
	return htonl(0x7f000000u | (v & 0xffffffu));
}

static uint64_t node_boot_id(unsigned i, unsigned boot)
{
	uint64_t x = ((uint64_t)i << 20 | boot) * 0x9e3779b97f4a7c15ull;
	return (x ^ x >> 29) | 1;
}

static void build(const struct opts *o, unsigned i, int stage, uint32_t seq, struct report_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->version = (uint8_t)o->protocol;
	m->type = REPORT_TYPE_REPORT;
	node_mac(i, m->node);
	if (o->protocol == 2 && nonces && i >= o->first && i - o->first < o->nodes)
		memcpy(m->nonce, nonces[i - o->first], REPORT_NONCE_LEN);
	m->boot_id = node_boot_id(i, o->boot);
	m->seq = seq;
	m->stage = (uint8_t)stage;
	m->heartbeat_s = (uint16_t)o->heartbeat;
	/* Stage k at about 400 ms * (k + 1) plus a per-node spread. */
	m->time_ms = 400u * (unsigned)(stage + 1) + (i * 37u) % 400;
	if (stage == REPORT_STAGE_FATAL) {
		m->error = ETIMEDOUT;
		snprintf(m->text, sizeof(m->text), "%s", o->text ? o->text : "nfs mount timed out");
	}
	if (stage == REPORT_STAGE_LEASE || stage == REPORT_STAGE_SWITCH_ROOT) {
		m->flags = REPORT_FLAG_INVENTORY;
		m->inv.ip[10] = m->inv.ip[11] = 0xff;
		uint32_t ip = htonl(0x0a000000u | (i + 10));
		memcpy(m->inv.ip + 12, &ip, 4);
		m->inv.cores = (uint16_t)(4 + i % 4 * 4);
		m->inv.threads = (uint16_t)(m->inv.cores * 2);
		m->inv.mem_mib = 16384;
		m->inv.link_mbps = 10000;
		m->inv.mtu = 1500;
		if (o->hostname)
			snprintf(m->inv.hostname, sizeof(m->inv.hostname), "%s", o->hostname);
		else
			snprintf(m->inv.hostname, sizeof(m->inv.hostname), "sim%05u", i);
		strcpy(m->inv.kernel, "6.1.0-sim-amd64");
		strcpy(m->inv.cpu, "Simulated CPU @ 2.00GHz");
	}
}

static int encode(const struct report_msg *m, uint8_t *buf)
{
	return report_wire_encode(m, buf, REPORT_WIRE_MAX, gw_hmac_compute, hmac);
}

static int open_socket(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int one = 1, size = 8 << 20;
	setsockopt(fd, IPPROTO_IP, IP_FREEBIND, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	struct sockaddr_in any = { .sin_family = AF_INET };
	bind(fd, (struct sockaddr *)&any, sizeof(any));
	return fd;
}

/* Sends from the node's own source address (IP_PKTINFO), so per-source limits see nodes. */
static void send_from(int fd, const struct opts *o, uint32_t src, const uint8_t *buf, size_t len)
{
	char control[CMSG_SPACE(sizeof(struct in_pktinfo))];
	memset(control, 0, sizeof(control));
	struct iovec iov = { (void *)buf, len };
	struct msghdr mh = { .msg_name = (void *)&o->target, .msg_namelen = sizeof(o->target),
			     .msg_iov = &iov, .msg_iovlen = 1 };
	if (src) {
		mh.msg_control = control;
		mh.msg_controllen = sizeof(control);
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
		struct in_pktinfo pi = { .ipi_spec_dst.s_addr = src };
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	}
	for (int tries = 0; tries < 100; tries++) {
		if (sendmsg(fd, &mh, 0) >= 0 || (errno != EAGAIN && errno != ENOBUFS))
			return;
		usleep(1000);
	}
}

/* Reads acks for up to wait_ms or until `enough` new ones; marks acked[i] for the node they
 * name (sequence and boot id must match). */
static unsigned collect_acks(int fd, const struct opts *o, uint8_t *acked, const uint32_t *seq,
			     unsigned wait_ms, unsigned enough)
{
	unsigned got = 0;
	uint64_t deadline = mono_ms() + wait_ms;
	while (got < enough) {
		uint64_t now = mono_ms();
		if (now >= deadline)
			break;
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		if (poll(&pfd, 1, (int)(deadline - now)) <= 0)
			break;
		uint8_t buf[REPORT_WIRE_MAX];
		ssize_t n;
		struct sockaddr_in from;
		socklen_t fromlen = sizeof(from);
		while ((n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from,
				     &fromlen)) > 0) {
			struct report_msg m;
			/* A node's connected socket takes acks only from the address it sent to. */
			int from_target = from.sin_addr.s_addr == o->target.sin_addr.s_addr &&
					  from.sin_port == o->target.sin_port;
			fromlen = sizeof(from);
			if (!from_target || report_wire_decode(buf, (size_t)n, &m) != REPORT_OK || m.type != REPORT_TYPE_ACK ||
			    report_wire_verify(buf, (size_t)n, gw_hmac_compute, hmac) != REPORT_OK)
				continue;
			unsigned i = (unsigned)m.node[2] << 24 | (unsigned)m.node[3] << 16 |
				     (unsigned)m.node[4] << 8 | m.node[5];
			if (i < o->first || i >= o->first + o->nodes)
				continue;
			i -= o->first;
			if (!acked[i] && m.seq == seq[i] && m.boot_id == node_boot_id(i + o->first, o->boot)) {
				if (nonces && !report_nonce_zero(m.nonce))
					memcpy(nonces[i], m.nonce, REPORT_NONCE_LEN);
				acked[i] = 1;
				got++;
			}
		}
	}
	return got;
}

/* Every node sends each stage in turn; unacked reports are retransmitted up to 5 times. */
static int run_nodes(const struct opts *o)
{
	int fd = open_socket();
	uint8_t *acked = calloc(o->nodes, 1), buf[REPORT_WIRE_MAX];
	uint32_t *seq = calloc(o->nodes, sizeof(*seq));
	uint8_t *done = calloc(o->nodes, 1); /* failed nodes stop after their fatal report */
	unsigned long total_sent = 0, total_acked = 0, total_reports = 0;
	double start = mono_s();
	for (unsigned s = 0; s < o->nstages; s++) {
		unsigned want = 0, got = 0, in_flight = 0;
		memset(acked, 0, o->nodes);
		for (unsigned k = 0; k < o->nodes; k++) {
			seq[k] = o->seq_start + s;
			if (done[k])
				acked[k] = 1;
			else
				want++;
		}
		for (int round = 0; round < 6 && got < want; round++) {
			for (unsigned k = 0; k < o->nodes; k++) {
				if (acked[k])
					continue;
				unsigned i = k + o->first;
				int stage = o->stages[s];
				if (o->fatal_every && i % o->fatal_every == 0 && stage == REPORT_STAGE_ROOT_MOUNTED)
					stage = REPORT_STAGE_FATAL;
				struct report_msg m;
				build(o, i, stage, seq[k], &m);
				int n = encode(&m, buf);
				if (n < 0)
					return 1;
				send_from(fd, o, node_src(i), buf, (size_t)n);
				total_sent++;
				if (o->pace_us)
					usleep(o->pace_us); /* a slower stream, for tests that act during it */
				/* A window of WINDOW reports in flight, so that socket buffers (about
				 * 200 KB by default) never overflow: wait for most of its acks. */
				if (++in_flight == WINDOW) {
					unsigned a = collect_acks(fd, o, acked, seq, 50, WINDOW * 7 / 8);
					got += a;
					in_flight = 0;
				}
			}
			got += collect_acks(fd, o, acked, seq, round < 5 ? 100u << round : 2000, want - got);
			in_flight = 0;
		}
		for (unsigned k = 0; k < o->nodes; k++)
			if (!done[k] && o->fatal_every && (k + o->first) % o->fatal_every == 0 &&
			    o->stages[s] == REPORT_STAGE_ROOT_MOUNTED)
				done[k] = 1;
		total_reports += want;
		total_acked += got;
	}
	double secs = mono_s() - start;
	printf("nodes %u reports %lu acked %lu sent %lu seconds %.3f\n", o->nodes, total_reports,
	       total_acked, total_sent, secs);
	close(fd);
	free(acked);
	free(seq);
	free(done);
	return total_acked == total_reports ? 0 : 1;
}

/* One kind of bad input, o->count times; prints how many datagrams were sent. */
static int run_bad(const struct opts *o)
{
	int fd = open_socket();
	uint8_t buf[REPORT_WIRE_MAX + 600];
	struct report_msg m;
	unsigned sent = 0;
	unsigned seed = 12345;
	for (unsigned c = 0; c < o->count; c++) {
		unsigned i = o->first + c;
		size_t len;
		build(o, i, REPORT_STAGE_BOOT, o->seq_start, &m);
		int n = encode(&m, buf);
		len = (size_t)n;
		uint32_t src = node_src(i);
		if (!strcmp(o->bad, "truncated")) {
			len = (size_t)(c % (REPORT_WIRE_MIN - 1)) + 1;
		} else if (!strcmp(o->bad, "cut")) {
			len = (size_t)n - 1 - c % 20; /* tag cut short: decodes, fails the HMAC */
		} else if (!strcmp(o->bad, "oversized")) {
			memset(buf + n, 'x', sizeof(buf) - (size_t)n);
			len = REPORT_WIRE_MAX + 1 + c % 500;
		} else if (!strcmp(o->bad, "bad-version")) {
			buf[2] = (uint8_t)(3 + c % 200); /* 1 and 2 are read */
		} else if (!strcmp(o->bad, "bad-magic")) {
			buf[0] = 'X';
		} else if (!strcmp(o->bad, "bad-hmac")) {
			buf[n - 1 - c % REPORT_WIRE_TAG] ^= 0x5a;
		} else if (!strcmp(o->bad, "random")) {
			len = 1 + (size_t)(rand_r(&seed) % (REPORT_WIRE_MAX + 100));
			for (size_t k = 0; k < len; k++)
				buf[k] = (uint8_t)rand_r(&seed);
			/* Half of them with a valid start, to get past the cheap checks. */
			if (c % 2 && len > 3) {
				buf[0] = 'G';
				buf[1] = 'W';
				buf[2] = 1;
			}
		} else if (!strcmp(o->bad, "replay")) {
			/* The same authentic datagram twice: the second is a replay. */
			send_from(fd, o, src, buf, len);
			sent++;
			usleep(200);
		} else if (!strcmp(o->bad, "spoof")) {
			/* Junk in node `first`'s name from its own source: a wrong tag, as an attacker
			 * without the key sends to silence that node. */
			build(o, o->first, REPORT_STAGE_HEARTBEAT, o->seq_start + c, &m);
			len = (size_t)encode(&m, buf);
			buf[len - 1 - c % REPORT_WIRE_TAG] ^= 0x5a;
			src = node_src(o->first);
		} else if (!strcmp(o->bad, "cross")) {
			/* Node i's report signed with the key of node first+count: what the root of
			 * one node could send for any other once it holds its own key. */
			static struct gw_hmac *other;
			if (!other) {
				uint8_t mac[REPORT_NODE_LEN], k[NODE_KEY_LEN];
				node_mac(o->first + o->count, mac);
				if (!o->per_node || node_key_derive(o->key, (size_t)o->keylen, mac, k) ||
				    !(other = gw_hmac_new(k, sizeof(k)))) {
					fprintf(stderr, "ghostwatch-loadgen: --bad cross needs --master-key\n");
					return 2;
				}
			}
			len = (size_t)report_wire_encode(&m, buf, REPORT_WIRE_MAX, gw_hmac_compute, other);
		} else if (!strcmp(o->bad, "flood")) {
			/* One source, many distinct authentic reports: the rate limit stops most. */
			build(o, o->first, REPORT_STAGE_HEARTBEAT, o->seq_start + c, &m);
			len = (size_t)encode(&m, buf);
			src = node_src(o->first);
		} else {
			fprintf(stderr, "ghostwatch-loadgen: unknown --bad kind '%s'\n", o->bad);
			return 2;
		}
		send_from(fd, o, src, buf, len);
		sent++;
		/* Paced so that the receiver's socket buffer never overflows: every datagram sent
		 * must be seen and counted (except by the flood's rate limit, on purpose). */
		if (o->pace_us)
			usleep(o->pace_us); /* a steady stream, for tests that run beside it */
		else if (sent % 64 == 0)
			usleep(2000);
	}
	printf("sent %u %s datagrams\n", sent, o->bad);
	close(fd);
	return 0;
}

/* ghostwatch's work per report on one core (per CPU second), without the socket: check, rate, decode, HMAC,
 * replay, log queue and flush, apply, and the ack's HMAC. */
static int run_bench(const struct opts *o)
{
	struct nodes *t = nodes_new(o->nodes + 1);
	int err;
	struct persist *p = persist_open(o->state, t, &err);
	if (!p) {
		fprintf(stderr, "ghostwatch-loadgen: %s: %s\n", o->state, strerror(-err));
		return 1;
	}
	/* The receiver's own keys: sharing the sender's context would find it keyed already. */
	struct gw_hmac *rx = new_hmac(o);
	if (!rx)
		return 1;
	uint8_t nonce_key[32];
	for (unsigned k = 0; k < sizeof(nonce_key); k++)
		nonce_key[k] = (uint8_t)(k * 37 + 11);
	struct gw_hmac *nk = gw_hmac_new(nonce_key, sizeof(nonce_key));
	struct validate v = { .mac = gw_hmac_compute, .mac_ctx = rx, .nonce_mac = gw_hmac_compute,
			      .nonce_ctx = nk, .nodes = t };
	uint8_t buf[REPORT_WIRE_MAX], ack[REPORT_WIRE_MAX];
	uint32_t *seq = calloc(o->nodes, sizeof(*seq));
	unsigned long done = 0;
	double start = mono_s(), stop = start + o->bench_s, cpu_start = cpu_s();
	int64_t wall = (int64_t)time(NULL) * 1000;
	while (mono_s() < stop) {
		for (unsigned k = 0; k < 4096; k++, done++) {
			unsigned i = (unsigned)(done % o->nodes);
			struct report_msg m, d;
			/* Mostly heartbeats, as a running cluster sends; one in 8 with the inventory. */
			build(o, i, done % 8 ? REPORT_STAGE_HEARTBEAT : REPORT_STAGE_SWITCH_ROOT, ++seq[i], &m);
			int n = encode(&m, buf);
			struct node *node;
			enum report_reject why = validate_datagram(&v, buf, (size_t)n, 0, &d, &node);
			if (why == REPORT_TENTATIVE && nonces) {
				/* A v2 node's first report: the ack brings its nonce. */
				memcpy(nonces[i], d.nonce, REPORT_NONCE_LEN);
			} else if (why != REPORT_OK) {
				fprintf(stderr, "bench: report refused (%s)\n", report_reject_name(why));
				return 1;
			}
			persist_log(p, buf, (size_t)n, wall, node_src(i));
			if (why == REPORT_OK)
				nodes_apply(node, &d, wall, node_src(i));
			d.type = REPORT_TYPE_ACK;
			report_wire_encode(&d, ack, sizeof(ack), gw_hmac_compute, rx);
			if (k % 64 == 63)
				persist_flush(p);
		}
	}
	double secs = cpu_s() - cpu_start;
	/* Building and signing the datagram is the sender's work: measure it alone to subtract. */
	double gen_start = cpu_s();
	for (unsigned long k = 0; k < done; k++) {
		struct report_msg m;
		unsigned i = (unsigned)(k % o->nodes);
		build(o, i, k % 8 ? REPORT_STAGE_HEARTBEAT : REPORT_STAGE_SWITCH_ROOT, seq[i] + 1 + (uint32_t)k, &m);
		encode(&m, buf);
	}
	double gen = cpu_s() - gen_start;
	printf("reports %lu seconds %.3f sender_seconds %.3f reports_per_second %.0f key_derivations %llu\n",
	       done, secs, gen, done / (secs - gen), (unsigned long long)gw_hmac_derivations(rx));
	gw_hmac_free(rx);
	gw_hmac_free(nk);
	persist_close(p);
	nodes_free(t);
	free(seq);
	return 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: ghostwatch-loadgen --target IP:PORT [--key FILE | --master-key FILE] [--nodes N] [--first I]\n"
		"          [--stages s1,s2,...] [--boot B] [--seq-start S] [--heartbeat S] [--fatal-every K]\n"
		"          [--pace-us US] [--hostname TEXT] [--text ERROR] [--protocol 1|2]\n"
		"       ghostwatch-loadgen --target IP:PORT --bad KIND --count C [--first I]\n"
		"          [--pace-us US]\n"
		"          KIND: truncated cut oversized bad-version bad-magic bad-hmac random replay flood\n"
		"                spoof (bad tags in node I's name, from its source)\n"
		"                cross (each node's report signed with node I+C's key; --master-key)\n"
		"       ghostwatch-loadgen --bench SECONDS --state DIR [--nodes N] [--key FILE | --master-key FILE]\n"
		"          [--protocol 1|2]\n"
		"protocol 2: each node echoes the nonce of its first ack (docs/protocol.md); default 1\n");
	return 2;
}

static int parse_stages(struct opts *o, char *list)
{
	o->nstages = 0;
	for (char *s = strtok(list, ","); s; s = strtok(NULL, ",")) {
		int st = report_stage_from_name(s);
		if (st < 0 || o->nstages >= REPORT_STAGE_COUNT)
			return -1;
		o->stages[o->nstages++] = st;
	}
	return o->nstages ? 0 : -1;
}

int main(int argc, char **argv)
{
	static struct opts o;
	char default_stages[] = "boot,modules,link,lease,root-mounted,switch-root";
	o.nodes = 1;
	o.seq_start = 1;
	o.protocol = 1;
	o.count = 100;
	parse_stages(&o, default_stages);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		char *v = i + 1 < argc ? argv[++i] : NULL;
		if (!v)
			return usage();
		if (!strcmp(a, "--target")) {
			char *colon = strchr(v, ':');
			if (!colon)
				return usage();
			*colon = '\0';
			o.target.sin_family = AF_INET;
			o.target.sin_port = htons((uint16_t)atoi(colon + 1));
			if (inet_pton(AF_INET, v, &o.target.sin_addr) != 1)
				return usage();
		} else if (!strcmp(a, "--key") || !strcmp(a, "--master-key")) {
			o.per_node = !strcmp(a, "--master-key");
			o.keylen = gw_hmac_load_key(v, o.key);
			if (o.keylen < 0) {
				fprintf(stderr, "ghostwatch-loadgen: bad key file %s\n", v);
				return 2;
			}
		} else if (!strcmp(a, "--nodes")) {
			o.nodes = (unsigned)atoi(v);
		} else if (!strcmp(a, "--first")) {
			o.first = (unsigned)atoi(v);
		} else if (!strcmp(a, "--boot")) {
			o.boot = (unsigned)atoi(v);
		} else if (!strcmp(a, "--seq-start")) {
			o.seq_start = (unsigned)atoi(v);
		} else if (!strcmp(a, "--heartbeat")) {
			o.heartbeat = (unsigned)atoi(v);
		} else if (!strcmp(a, "--fatal-every")) {
			o.fatal_every = (unsigned)atoi(v);
		} else if (!strcmp(a, "--pace-us")) {
			o.pace_us = (unsigned)atoi(v);
		} else if (!strcmp(a, "--count")) {
			o.count = (unsigned)atoi(v);
		} else if (!strcmp(a, "--bad")) {
			o.bad = v;
		} else if (!strcmp(a, "--bench")) {
			o.bench_s = (unsigned)atoi(v);
		} else if (!strcmp(a, "--protocol")) {
			o.protocol = (unsigned)atoi(v);
			if (o.protocol != 1 && o.protocol != 2)
				return usage();
		} else if (!strcmp(a, "--hostname")) {
			o.hostname = v;
		} else if (!strcmp(a, "--text")) {
			o.text = v;
		} else if (!strcmp(a, "--state")) {
			o.state = v;
		} else if (!strcmp(a, "--stages")) {
			if (parse_stages(&o, v))
				return usage();
		} else {
			return usage();
		}
	}
	if (!o.nodes)
		return usage();
	hmac = new_hmac(&o);
	if (!hmac)
		return 1;
	if (o.protocol == 2 && !(nonces = calloc(o.nodes, sizeof(*nonces))))
		return 1;
	int rc;
	if (o.bench_s)
		rc = o.state ? run_bench(&o) : usage();
	else if (!o.target.sin_port)
		rc = usage();
	else
		rc = o.bad ? run_bad(&o) : run_nodes(&o);
	gw_hmac_free(hmac);
	return rc;
}
