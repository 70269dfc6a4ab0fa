/* Sends stage reports to ghostwatch: a connected non-blocking UDP socket, a small ring of
 * unacked reports, and one budget for every ack wait so a dead master costs the boot at most
 * REPORT_BUDGET_MS in total. Reporting is best effort: nothing here fails a stage. */
#include "report/report.h"

#include <errno.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/small_file.h"
#include "report/report_hmac.h"
#include "report/report_key.h"
#include "report/report_state.h"

#ifndef GRND_INSECURE
#define GRND_INSECURE 0x0004
#endif

struct pending {
	uint32_t seq; /* 0: free slot */
	uint8_t sends;
	uint8_t has_inventory;
	uint16_t len;
	uint8_t bytes[REPORT_WIRE_MAX];
};

/* Zero-initialised (in .bss, not in the binary): is_open says whether fd is valid. */
static struct {
	int is_open, hmac_open;
	int fd;
	struct report_setup setup;
	struct report_hmac hmac;
	uint32_t seq;
	uint32_t budget_left_ms;
	int refused; /* the master host said "port unreachable": do not wait for acks */
	int inventory_set, inventory_acked;
	struct report_inventory inventory;
	struct pending pending[REPORT_PENDING_MAX];
	struct report_stats stats;
} rs;

int report_load_key_file(const char *path, uint8_t key[REPORT_KEY_MAX])
{
	char text[2 * REPORT_KEY_MAX + 64];
	ssize_t n = small_file_read(path, text, sizeof(text));
	if (n < 0)
		return (int)n;
	if ((size_t)n == sizeof(text) - 1)
		return -EINVAL; /* longer than any key */
	return report_wire_parse_key(text, (size_t)n, key);
}

int report_load_key(const char *spec, uint8_t key[REPORT_KEY_MAX])
{
	if (spec[0] == '/')
		return report_load_key_file(spec, key);
	return report_wire_parse_key(spec, strlen(spec), key);
}

static uint64_t new_boot_id(void)
{
	uint64_t id = 0;
	/* Early in boot the entropy pool may not be ready; an id only has to be unique, so the
	 * insecure source is good enough, and the clock is the last resort. */
	if (getrandom(&id, sizeof(id), GRND_NONBLOCK) != sizeof(id) &&
	    getrandom(&id, sizeof(id), GRND_INSECURE) != sizeof(id))
		id = clock_ms() * 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid() << 32;
	return id ? id : 1;
}

int report_open(const struct report_setup *setup)
{
	report_close();
	rs.setup = *setup;
	if (rs.setup.version != REPORT_WIRE_V1)
		rs.setup.version = REPORT_WIRE_VERSION;
	if (!rs.setup.mac) {
		int err = report_hmac_open(&rs.hmac, setup->key, (size_t)setup->keylen);
		if (err)
			return err;
		rs.hmac_open = 1;
		rs.setup.mac = report_hmac_compute;
		rs.setup.mac_ctx = &rs.hmac;
	}
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		int err = -errno;
		report_close();
		return err;
	}
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(setup->master_port),
				  .sin_addr = { setup->master_ip } };
	/* Connected, so that acks come only from the master and an ICMP port unreachable shows
	 * up as ECONNREFUSED. */
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = -errno;
		close(fd);
		report_close();
		return err;
	}
	rs.fd = fd;
	rs.is_open = 1;
	rs.setup.boot_id = setup->boot_id ? setup->boot_id : new_boot_id();
	rs.seq = setup->boot_id ? setup->last_seq : 0;
	rs.budget_left_ms = setup->budget_ms;
	return 0;
}

int report_init(const struct boot_config *cfg, const uint8_t node[REPORT_NODE_LEN],
		uint32_t dhcp_server)
{
	struct report_setup s;
	memset(&s, 0, sizeof(s));
	memcpy(s.node, node, REPORT_NODE_LEN);
	s.master_ip = cfg->master_ip ? cfg->master_ip : dhcp_server;
	if (!s.master_ip)
		return -EDESTADDRREQ;
	s.master_port = cfg->master_port ? cfg->master_port : GHOST_DEFAULT_MASTER_PORT;
	s.heartbeat_s = cfg->heartbeat_s > 0xffff ? 0xffff : (uint16_t)cfg->heartbeat_s;
	s.version = cfg->protocol;
	s.budget_ms = REPORT_BUDGET_MS;
	s.keylen = report_key_for_boot(cfg, s.key);
	if (s.keylen < 0)
		return s.keylen;
	return report_open(&s);
}

int report_keep_key(void)
{
	if (!rs.is_open || rs.setup.keylen <= 0)
		return -ENOKEY;
	(void)mkdir(REPORT_KEY_KEPT_DIR, 0755);
	int dir = open(REPORT_KEY_KEPT_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return -errno;
	int err = report_key_keep_at(dir, REPORT_KEY_KEPT_NAME, rs.setup.key, rs.setup.keylen);
	close(dir);
	return err;
}

void report_set_inventory(const struct report_inventory *inv)
{
	rs.inventory = *inv;
	rs.inventory_set = 1;
	rs.inventory_acked = 0;
}

static void send_pending(struct pending *p)
{
	/* Errors (no route yet, buffer full) are the same as a lost datagram: retransmits and
	 * the budget already cover them. */
	(void)send(rs.fd, p->bytes, p->len, MSG_DONTWAIT);
	if (p->sends)
		rs.stats.retransmits++;
	p->sends++;
	rs.stats.sent++;
}

static void take_ack(const uint8_t *buf, size_t len)
{
	struct report_msg m;
	if (report_wire_decode(buf, len, &m) != REPORT_OK || m.type != REPORT_TYPE_ACK ||
	    m.version != rs.setup.version || m.boot_id != rs.setup.boot_id ||
	    memcmp(m.node, rs.setup.node, REPORT_NODE_LEN) ||
	    report_wire_verify(buf, len, rs.setup.mac, rs.setup.mac_ctx) != REPORT_OK)
		return;
	for (unsigned i = 0; i < REPORT_PENDING_MAX; i++) {
		struct pending *p = &rs.pending[i];
		if (p->seq && p->seq == m.seq) {
			/* The nonce this boot's next reports echo: from the ack of a report still
			 * pending only, so an old ack replayed to us cannot set it. A master that lost
			 * its state sends a new one: the latest wins. */
			if (!report_nonce_zero(m.nonce))
				memcpy(rs.setup.nonce, m.nonce, REPORT_NONCE_LEN);
			if (p->has_inventory)
				rs.inventory_acked = 1;
			p->seq = 0;
			rs.stats.acked++;
		}
	}
}

/* Reads every ack waiting on the socket, without blocking. */
static void drain_acks(void)
{
	uint8_t buf[REPORT_WIRE_MAX + 1];
	for (;;) {
		ssize_t n = recv(rs.fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == ECONNREFUSED)
				rs.refused = 1;
			if (errno == EINTR || errno == ECONNREFUSED)
				continue;
			return;
		}
		rs.refused = 0;
		take_ack(buf, (size_t)n);
	}
}

static int is_pending(uint32_t seq)
{
	for (unsigned i = 0; i < REPORT_PENDING_MAX; i++)
		if (rs.pending[i].seq == seq)
			return 1;
	return 0;
}

/* Waits up to ms for the ack of seq, charging the time to the budget. */
static void wait_ack(uint32_t seq, uint32_t ms)
{
	uint64_t start = clock_ms(), deadline = start + ms;
	while (is_pending(seq) && !rs.refused) {
		uint64_t left = deadline_left(deadline);
		if (!left)
			break;
		struct pollfd pfd = { .fd = rs.fd, .events = POLLIN };
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR)
			break;
		drain_acks();
	}
	uint64_t spent = clock_ms() - start;
	spent = spent > rs.budget_left_ms ? rs.budget_left_ms : spent;
	rs.budget_left_ms -= (uint32_t)spent;
	rs.stats.waited_ms += (uint32_t)spent;
}

static struct pending *free_slot(void)
{
	struct pending *oldest = &rs.pending[0];
	for (unsigned i = 0; i < REPORT_PENDING_MAX; i++) {
		if (!rs.pending[i].seq)
			return &rs.pending[i];
		if (rs.pending[i].seq < oldest->seq)
			oldest = &rs.pending[i];
	}
	rs.stats.given_up++; /* the ring is full: the oldest unacked report goes */
	return oldest;
}

static int send_report(unsigned stage, unsigned flags, int err, const char *text, uint64_t time_ms)
{
	if (!rs.is_open)
		return -ENOTCONN;
	drain_acks();
	/* Earlier reports still unacked get their last chances now, without waiting. */
	for (unsigned i = 0; i < REPORT_PENDING_MAX; i++) {
		struct pending *p = &rs.pending[i];
		if (!p->seq)
			continue;
		if (p->sends >= REPORT_SENDS_MAX) {
			p->seq = 0;
			rs.stats.given_up++;
			continue;
		}
		send_pending(p);
	}

	struct report_msg m;
	memset(&m, 0, sizeof(m));
	m.version = rs.setup.version;
	m.type = REPORT_TYPE_REPORT;
	memcpy(m.node, rs.setup.node, REPORT_NODE_LEN);
	memcpy(m.nonce, rs.setup.nonce, REPORT_NONCE_LEN);
	m.boot_id = rs.setup.boot_id;
	m.seq = ++rs.seq;
	m.stage = (uint8_t)stage;
	m.heartbeat_s = rs.setup.heartbeat_s;
	m.time_ms = time_ms;
	m.error = err < 0 ? (uint16_t)-err : (uint16_t)err;
	if (text) {
		strncpy(m.text, text, REPORT_TEXT_MAX);
		m.text[REPORT_TEXT_MAX] = '\0';
	}
	m.flags = (uint8_t)(flags & REPORT_FLAG_GUARDIAN);
	if (rs.inventory_set && (!rs.inventory_acked || stage == REPORT_STAGE_SWITCH_ROOT)) {
		m.flags |= REPORT_FLAG_INVENTORY;
		m.inv = rs.inventory;
	}
	struct pending *p = free_slot();
	int n = report_wire_encode(&m, p->bytes, sizeof(p->bytes), rs.setup.mac, rs.setup.mac_ctx);
	if (n < 0) {
		p->seq = 0;
		return n;
	}
	p->seq = m.seq;
	p->len = (uint16_t)n;
	p->sends = 0;
	p->has_inventory = (m.flags & REPORT_FLAG_INVENTORY) != 0;
	rs.refused = 0; /* ghostwatch may be back: learn it again from this send */
	for (;;) {
		send_pending(p);
		uint32_t wait = rs.budget_left_ms < REPORT_ACK_WAIT_MS ? rs.budget_left_ms
								       : REPORT_ACK_WAIT_MS;
		if (!wait)
			break;
		wait_ack(m.seq, wait);
		if (!is_pending(m.seq))
			return 1;
		if (rs.refused || p->sends >= REPORT_SENDS_WAITED)
			break;
	}
	drain_acks();
	return is_pending(m.seq) ? 0 : 1;
}

int report_stage_at(unsigned stage, int err, const char *text, uint64_t time_ms)
{
	return send_report(stage, 0, err, text, time_ms);
}

int report_guardian(const char *text)
{
	return send_report(REPORT_STAGE_HEARTBEAT, REPORT_FLAG_GUARDIAN, 0, text, clock_ms());
}

int report_stage(unsigned stage, int err, const char *text)
{
	return report_stage_at(stage, err, text, clock_ms());
}

int report_save_at(int dirfd, const char *name, int daemon_pid)
{
	char line[REPORT_STATE_LINE_MAX], tmp[64];
	if (!rs.is_open)
		return -ENOTCONN;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", name) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	struct report_state st = {
		.master_ip = rs.setup.master_ip, .master_port = rs.setup.master_port,
		.boot_id = rs.setup.boot_id, .last_seq = rs.seq, .heartbeat_s = rs.setup.heartbeat_s,
		.daemon_pid = daemon_pid, .version = rs.setup.version,
	};
	memcpy(st.node, rs.setup.node, sizeof(st.node));
	memcpy(st.nonce, rs.setup.nonce, sizeof(st.nonce));
	int len = report_state_format(&st, line, sizeof(line));
	int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	ssize_t w = write(fd, line, (size_t)len);
	int err = w == len ? 0 : w < 0 ? -errno : -EIO;
	close(fd);
	if (!err && renameat(dirfd, tmp, dirfd, name) < 0)
		err = -errno;
	return err;
}

int report_load_state(const char *path, struct report_setup *s, int *daemon_pid)
{
	return report_load_state_at(AT_FDCWD, path, s, daemon_pid);
}

int report_load_state_at(int dirfd, const char *name, struct report_setup *s, int *daemon_pid)
{
	char line[REPORT_STATE_LINE_MAX + 1];
	struct report_state st;
	ssize_t n = small_file_read_at(dirfd, name, line, sizeof(line));
	if (n < 0)
		return (int)n; /* -ENOENT: nobody reported in this boot */
	if (report_state_parse(line, (size_t)n, &st))
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	memcpy(s->node, st.node, sizeof(s->node));
	s->master_ip = st.master_ip;
	s->master_port = st.master_port;
	s->boot_id = st.boot_id;
	s->last_seq = st.last_seq;
	s->heartbeat_s = st.heartbeat_s;
	s->version = st.version;
	memcpy(s->nonce, st.nonce, sizeof(s->nonce));
	s->budget_ms = REPORT_BUDGET_MS;
	*daemon_pid = st.daemon_pid;
	return 0;
}

int report_resume_state(const char *path, struct report_setup *s, int *daemon_pid)
{
	int err = report_load_state(path, s, daemon_pid);
	if (err)
		return err;
	/* The saved number is the last one its holder had saved, not always the last it sent (a
	 * daemon or guardian that did not let go in time, or died between send and save): resume
	 * past what may be in flight. A number the master saw already is refused as a replay but
	 * acked, and this boot's last reports (unmounted, reset) would vanish without a trace. */
	s->last_seq += REPORT_RESUME_GAP;
	return 0;
}

int report_resume(const char *path, const struct boot_config *cfg, int *daemon_pid)
{
	struct report_setup s;
	int err = report_resume_state(path, &s, daemon_pid);
	if (err)
		return err;
	/* The key the boot kept (whatever its source), else ghost.key= as the command line has it. */
	int dir = open(REPORT_KEY_KEPT_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	s.keylen = dir < 0 ? -errno : report_key_kept_at(dir, REPORT_KEY_KEPT_NAME, s.key);
	if (dir >= 0)
		close(dir);
	if (s.keylen == -ENOENT)
		s.keylen = cfg->key[0] ? report_load_key(cfg->key, s.key) : 0;
	if (s.keylen < 0)
		return s.keylen;
	return report_open(&s);
}

void report_refill_budget(void) { rs.budget_left_ms = rs.setup.budget_ms; }

uint64_t report_boot_id(void) { return rs.setup.boot_id; }
uint32_t report_last_seq(void) { return rs.seq; }
struct report_stats report_get_stats(void) { return rs.stats; }

void report_close(void)
{
	if (rs.is_open)
		close(rs.fd);
	if (rs.hmac_open)
		report_hmac_close(&rs.hmac);
	memset(&rs, 0, sizeof(rs));
}
