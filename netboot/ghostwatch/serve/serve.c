/* The receive loop: recvmmsg a batch, validate each datagram, append the accepted ones to
 * the log with one write, apply them, then sendmmsg their acks (so nothing is acked before
 * it is on disk). Timers: metrics every 2 s; compaction once a minute, or sooner when the
 * log outgrows both 32 MiB and twice the snapshot. */
#define _GNU_SOURCE
#include "serve/serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "serve/forget.h"
#include "keys/gw_hmac.h"
#include "web/http_server.h"
#include "serve/metrics.h"
#include "state/mode.h"
#include "state/persist.h"
#include "serve/validate.h"
#include "web/web.h"

#define BATCH 64
#define CONTROL_SIZE CMSG_SPACE(sizeof(struct in_pktinfo))
#define METRICS_EVERY_MS 2000
#define COMPACT_EVERY_MS 60000
#define COMPACT_LOG_BYTES (32u << 20)

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int open_socket(const struct serve_options *o)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	int size = 8 << 20, one = 1;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	/* Each datagram's destination address, so that its ack leaves from that address: nodes
	 * accept acks only from the address they sent to (a multi-homed master). */
	(void)setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(o->port) };
	if (o->bind_ip && inet_pton(AF_INET, o->bind_ip, &sa.sin_addr) != 1) {
		close(fd);
		return -EINVAL;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

struct batch {
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_in from[BATCH];
	uint8_t buf[BATCH][REPORT_WIRE_MAX + 1]; /* one byte more: oversized is seen as such */
	char control[BATCH][CONTROL_SIZE];
	struct mmsghdr acks[BATCH];
	struct iovec ack_iov[BATCH];
	uint8_t ack_buf[BATCH][REPORT_WIRE_ACK_MAX];
	char ack_control[BATCH][CONTROL_SIZE];
};

/* The address datagram i was sent to (0: unknown, then the kernel chooses the source). */
static uint32_t destination(struct msghdr *mh)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c))
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			return pi.ipi_addr.s_addr;
		}
	return 0;
}

/* Points ack n at datagram i's sender, from the address datagram i was sent to. */
static void ack_header(struct batch *b, int n, int i, size_t len)
{
	struct msghdr *mh = &b->acks[n].msg_hdr;
	b->ack_iov[n] = (struct iovec){ b->ack_buf[n], len };
	*mh = (struct msghdr){ .msg_name = &b->from[i], .msg_namelen = sizeof(b->from[i]),
			       .msg_iov = &b->ack_iov[n], .msg_iovlen = 1 };
	uint32_t dst = destination(&b->msgs[i].msg_hdr);
	if (!dst)
		return;
	memset(b->ack_control[n], 0, CONTROL_SIZE);
	mh->msg_control = b->ack_control[n];
	mh->msg_controllen = CMSG_SPACE(sizeof(struct in_pktinfo));
	struct cmsghdr *c = CMSG_FIRSTHDR(mh);
	c->cmsg_level = IPPROTO_IP;
	c->cmsg_type = IP_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
	struct in_pktinfo pi = { .ipi_spec_dst.s_addr = dst };
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));
}

static void batch_arm(struct batch *b)
{
	for (int i = 0; i < BATCH; i++) {
		b->iov[i] = (struct iovec){ b->buf[i], sizeof(b->buf[i]) };
		b->msgs[i].msg_hdr = (struct msghdr){ .msg_name = &b->from[i],
						      .msg_namelen = sizeof(b->from[i]),
						      .msg_iov = &b->iov[i],
						      .msg_iovlen = 1,
						      .msg_control = b->control[i],
						      .msg_controllen = CONTROL_SIZE };
	}
}

/* forget_serve's save: the snapshot, so that the log cannot bring a forgotten node back. */
struct forget_ctx {
	struct persist *p;
	struct nodes *nodes;
};

static int save_after_forget(void *ctx)
{
	struct forget_ctx *f = ctx;
	int err = persist_compact(f->p, f->nodes);
	if (err)
		fprintf(stderr, "ghostwatch: snapshot after forget failed: %s\n", strerror(-err));
	return err;
}

int serve_run(const struct serve_options *o)
{
	char metrics_path[PATH_MAX];
	int status = 1, err;
	struct nodes *nodes = nodes_new(o->max_nodes);
	struct gw_hmac *hmac = o->master_len
		? gw_hmac_new_per_node(o->master, (size_t)o->master_len, o->max_nodes)
		: gw_hmac_new(o->key, (size_t)o->keylen);
	int keyless = !o->master_len && !o->keylen;
	/* The key of v2's nonces: new at every start. A node that got its nonce from an earlier
	 * run is told the new one in the ack of its next report (docs/protocol.md). */
	uint8_t nonce_key[32];
	struct gw_hmac *nonce = getrandom(nonce_key, sizeof(nonce_key), 0) == sizeof(nonce_key)
		? gw_hmac_new(nonce_key, sizeof(nonce_key)) : NULL;
	memset(nonce_key, 0, sizeof(nonce_key));
	struct ratelimit *rate = o->rate ? ratelimit_new(o->rate, o->burst) : NULL;
	struct batch *b = calloc(1, sizeof(*b));
	struct persist *p = NULL;
	struct http_server *http = NULL;
	struct web web = { 0 }; /* freed at out: */
	int fd = -1;
	if (!nodes || !hmac || !nonce || (o->rate && !rate) || !b) {
		fprintf(stderr, "ghostwatch: out of memory, no HMAC-SHA256 in libcrypto or no random bytes\n");
		goto out;
	}
	if (o->metrics_path)
		snprintf(metrics_path, sizeof(metrics_path), "%s", o->metrics_path);
	else
		snprintf(metrics_path, sizeof(metrics_path), "%s/metrics.prom", o->state_dir);
	p = persist_open(o->state_dir, nodes, &err);
	if (!p) {
		fprintf(stderr, "ghostwatch: cannot use state directory %s: %s\n", o->state_dir,
			strerror(-err));
		goto out;
	}
	cluster_mark(o->cluster, nodes);
	char cluster_path[PATH_MAX];
	snprintf(cluster_path, sizeof(cluster_path), "%s/" CLUSTER_STATE_NAME, o->state_dir);
	err = o->cluster ? cluster_save(cluster_path, o->cluster)
			 : unlink(cluster_path) < 0 && errno != ENOENT ? -errno : 0;
	if (err) {
		fprintf(stderr, "ghostwatch: cannot write %s: %s\n", cluster_path, strerror(-err));
		goto out;
	}
	err = forget_prepare(o->state_dir);
	if (err) {
		fprintf(stderr, "ghostwatch: cannot create %s/" FORGET_DIR ": %s\n", o->state_dir, strerror(-err));
		goto out;
	}
	err = mode_mark(o->state_dir, keyless);
	if (err) {
		fprintf(stderr, "ghostwatch: cannot write %s/insecure: %s\n", o->state_dir, strerror(-err));
		goto out;
	}
	fd = open_socket(o);
	if (fd < 0) {
		fprintf(stderr, "ghostwatch: cannot listen on UDP port %u: %s\n", o->port, strerror(-fd));
		goto out;
	}
	struct validate v = { .mac = gw_hmac_compute, .mac_ctx = hmac, .nonce_mac = gw_hmac_compute,
			      .nonce_ctx = nonce, .rate = rate, .nodes = nodes, .require_v2 = o->require_v2,
			      .cluster = o->cluster };
	struct metrics_counters mc = { .v = &v, .insecure = keyless };
	web = (struct web){ .nodes = nodes, .cluster = o->cluster, .mc = &mc, .lim = &o->limits,
			    .max_nodes = o->http_max_nodes, .insecure = keyless };
	if (o->http) {
		http = http_server_open(o->http, web_handle, &web, &err);
		if (!http) {
			fprintf(stderr, "ghostwatch: cannot listen on HTTP %s: %s\n", o->http,
				err == -EINVAL ? "not IPv4:PORT" : strerror(-err));
			goto out;
		}
		web.server = http;
		fprintf(stderr, "ghostwatch: HTTP on %s: /metrics (Prometheus), / (status page)\n", o->http);
		fflush(stderr);
	}
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (o->master_len)
		fprintf(stderr, "ghostwatch: per-node keys (HKDF of the master secret and each node's MAC)\n");
	else if (o->keylen)
		fprintf(stderr, "ghostwatch: one cluster key for every node: whoever holds it can sign "
				"for any node (per-node keys: --master-key)\n");
	if (keyless)
		fprintf(stderr, "ghostwatch: INSECURE (--insecure): no cluster key, reports are checked "
				"for integrity only, anyone can forge them (see --key)\n");
	if (o->cluster)
		fprintf(stderr, "ghostwatch: %zu nodes in the cluster list: others are shown, never in the "
				"hostfile; a listed node's reports only from its listed address\n", o->cluster->count);
	fprintf(stderr, "ghostwatch: listening on UDP %s:%u, state in %s, %u nodes known\n",
		o->bind_ip ? o->bind_ip : "0.0.0.0", o->port, o->state_dir, nodes_count(nodes));
	fflush(stderr);

	struct forget_ctx forget = { .p = p, .nodes = nodes };
	uint64_t next_metrics = 0, next_compact = mono_ms() + COMPACT_EVERY_MS;
	status = 0;
	while (!stopping) {
		uint64_t now = mono_ms();
		if (now >= next_metrics) {
			int forgotten = forget_serve(o->state_dir, nodes, save_after_forget, &forget);
			if (forgotten > 0)
				fprintf(stderr, "ghostwatch: forgot %d node%s (ghostwatch forget)\n", forgotten,
					forgotten == 1 ? "" : "s");
			err = metrics_write(metrics_path, nodes, &mc, wall_ms(), &o->limits);
			if (err && !next_metrics)
				fprintf(stderr, "ghostwatch: cannot write %s: %s\n", metrics_path, strerror(-err));
			next_metrics = now + METRICS_EVERY_MS;
		}
		uint64_t log = persist_log_size(p);
		if ((log > COMPACT_LOG_BYTES && log > 2 * persist_snapshot_size(p)) ||
		    (now >= next_compact && log > 0)) {
			err = persist_compact(p, nodes);
			if (err)
				fprintf(stderr, "ghostwatch: snapshot failed: %s\n", strerror(-err));
			next_compact = now + COMPACT_EVERY_MS;
		}
		/* The UDP socket first, then the web port's sockets (a scrape waits at most one
		 * batch of reports, and reports never wait for a slow client: nothing blocks). */
		struct pollfd pfd[1 + HTTP_SERVER_FDS] = { { .fd = fd, .events = POLLIN } };
		int npfd = 1, timeout = METRICS_EVERY_MS;
		if (http) {
			npfd += http_server_pollfds(http, pfd + 1);
			int t = http_server_timeout_ms(http, now);
			if (t >= 0 && t < timeout)
				timeout = t;
		}
		int ready = poll(pfd, (nfds_t)npfd, timeout);
		if (http)
			http_server_step(http, pfd + 1, ready > 0 ? npfd - 1 : 0, mono_ms());
		if (ready <= 0 || !(pfd[0].revents & POLLIN))
			continue;
		batch_arm(b);
		int n = recvmmsg(fd, b->msgs, BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			continue;
		mc.datagrams += (uint64_t)n;
		int64_t wall = wall_ms();
		now = mono_ms();
		int nacks = 0;
		for (int i = 0; i < n; i++) {
			struct report_msg m;
			struct node *node;
			uint32_t src = b->from[i].sin_addr.s_addr;
			size_t len = b->msgs[i].msg_len;
			v.src = src;
			enum report_reject why = validate_datagram(&v, b->buf[i], len, now, &m, &node);
			if (why == REPORT_OK || why == REPORT_TENTATIVE) {
				/* A boot's opener too: loading skips it as serve did (its nonce is zero). */
				err = persist_log(p, b->buf[i], len, wall, src);
				if (err) {
					fprintf(stderr, "ghostwatch: log write failed: %s\n", strerror(-err));
					continue; /* not acked: the node retransmits */
				}
				if (why == REPORT_OK) {
					nodes_apply(node, &m, wall, src);
					cluster_mark_node(o->cluster, node);
				}
				if (o->verbose) {
					char ip[16];
					inet_ntop(AF_INET, &src, ip, sizeof(ip));
					printf("%02x:%02x:%02x:%02x:%02x:%02x %s seq %u %s %u ms%s%s%s\n", m.node[0],
					       m.node[1], m.node[2], m.node[3], m.node[4], m.node[5], ip, m.seq,
					       report_stage_name(m.stage), (unsigned)m.time_ms,
					       m.text[0] ? " " : "", m.text,
					       why == REPORT_TENTATIVE ? " (tentative: a new boot, until it echoes the nonce)"
								       : m.version == 1 ? " (v1)" : "");
				}
			} else if (!validate_acked(why, node)) {
				continue;
			}
			struct report_msg ack = m;
			ack.type = REPORT_TYPE_ACK;
			int alen = report_wire_encode(&ack, b->ack_buf[nacks], sizeof(b->ack_buf[nacks]),
						      gw_hmac_compute, hmac);
			if (alen < 0)
				continue;
			ack_header(b, nacks++, i, (size_t)alen);
		}
		err = persist_flush(p);
		if (err) {
			fprintf(stderr, "ghostwatch: log write failed: %s\n", strerror(-err));
			continue; /* no acks for what may not be on disk */
		}
		if (o->verbose)
			fflush(stdout);
		if (nacks) {
			int sent = sendmmsg(fd, b->acks, (unsigned)nacks, MSG_DONTWAIT);
			if (sent > 0)
				mc.acks_sent += (uint64_t)sent;
		}
	}
	err = persist_compact(p, nodes);
	if (err)
		fprintf(stderr, "ghostwatch: final snapshot failed: %s\n", strerror(-err));
	(void)metrics_write(metrics_path, nodes, &mc, wall_ms(), &o->limits);
	fprintf(stderr, "ghostwatch: stopped, %u nodes saved\n", nodes_count(nodes));
out:
	http_server_close(http);
	web_free(&web);
	if (fd >= 0)
		close(fd);
	persist_close(p);
	free(b);
	ratelimit_free(rate);
	gw_hmac_free(hmac);
	gw_hmac_free(nonce);
	nodes_free(nodes);
	return status;
}
