/* The node's report sender against a fake master on loopback (a thread with a real UDP
 * socket): acks, retransmits, the 200 ms budget when the master is silent or gone, forged
 * acks, the inventory; and the cpuinfo parser behind the inventory. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "report/cpuinfo.h"
#include "report/heartbeat.h"
#include "report/report.h"
#include "report/report_key.h"

struct key {
	uint8_t bytes[REPORT_KEY_MAX];
	int len;
};

static int openssl_mac(void *ctx, const uint8_t *data, size_t len, uint8_t tag[REPORT_WIRE_TAG])
{
	struct key *k = ctx;
	unsigned n = 0;
	return HMAC(EVP_sha256(), k->bytes, k->len, data, len, tag, &n) ? 0 : -EIO;
}

static struct key node_key = { .len = 16, .bytes = "0123456789abcdef" };
static struct key other_key = { .len = 16, .bytes = "fedcba9876543210" };

/* The fake master: records what it receives, acks the way the test says. */
enum ack_policy { ACK_ALL, ACK_NONE, ACK_WRONG_KEY, ACK_THIRD_SEND, ACK_NONCE };

/* ACK_NONCE: the master's nonce for the boot, in every ack (as ghostwatch does in v2). */
static const uint8_t master_nonce[REPORT_NONCE_LEN] = { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6 };

struct master {
	int fd;
	uint16_t port;
	enum ack_policy policy;
	volatile int stop;
	pthread_t thread;
	pthread_mutex_t lock;
	unsigned received;
	struct report_msg last;
	unsigned sends_of_seq1;
	struct report_msg seen[8]; /* the first reports received, in order */
};

static void *master_loop(void *arg)
{
	struct master *m = arg;
	while (!m->stop) {
		struct pollfd pfd = { .fd = m->fd, .events = POLLIN };
		if (poll(&pfd, 1, 10) <= 0)
			continue;
		uint8_t buf[REPORT_WIRE_MAX + 1];
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(m->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
		struct report_msg r;
		if (n <= 0 || report_wire_decode(buf, (size_t)n, &r) != REPORT_OK ||
		    report_wire_verify(buf, (size_t)n, openssl_mac, &node_key) != REPORT_OK)
			continue;
		pthread_mutex_lock(&m->lock);
		if (m->received < 8)
			m->seen[m->received] = r;
		m->received++;
		m->last = r;
		if (r.seq == 1)
			m->sends_of_seq1++;
		unsigned sends = m->sends_of_seq1;
		pthread_mutex_unlock(&m->lock);
		if (m->policy == ACK_NONE || (m->policy == ACK_THIRD_SEND && r.seq == 1 && sends < 3))
			continue;
		struct report_msg ack = r;
		ack.type = REPORT_TYPE_ACK;
		if (m->policy == ACK_NONCE)
			memcpy(ack.nonce, master_nonce, REPORT_NONCE_LEN);
		uint8_t out[REPORT_WIRE_MAX];
		int len = report_wire_encode(&ack, out, sizeof(out), openssl_mac,
					     m->policy == ACK_WRONG_KEY ? &other_key : &node_key);
		if (len > 0)
			(void)sendto(m->fd, out, (size_t)len, 0, (struct sockaddr *)&from, fl);
	}
	return NULL;
}

static struct master *master_start(enum ack_policy policy)
{
	struct master *m = calloc(1, sizeof(*m));
	m->policy = policy;
	pthread_mutex_init(&m->lock, NULL);
	m->fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	assert_int_equal(bind(m->fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	socklen_t sl = sizeof(sa);
	getsockname(m->fd, (struct sockaddr *)&sa, &sl);
	m->port = ntohs(sa.sin_port);
	pthread_create(&m->thread, NULL, master_loop, m);
	return m;
}

static void master_stop(struct master *m)
{
	m->stop = 1;
	pthread_join(m->thread, NULL);
	close(m->fd);
	free(m);
}

static void open_sender(uint16_t port)
{
	struct report_setup s;
	memset(&s, 0, sizeof(s));
	memcpy(s.node, "\x52\x54\x00\xaa\xbb\xcc", 6);
	s.master_ip = htonl(INADDR_LOOPBACK);
	s.master_port = port;
	s.heartbeat_s = 15;
	s.budget_ms = REPORT_BUDGET_MS;
	s.mac = openssl_mac;
	s.mac_ctx = &node_key;
	assert_int_equal(report_open(&s), 0);
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void test_acked_reports(void **state)
{
	(void)state;
	struct master *m = master_start(ACK_ALL);
	open_sender(m->port);
	assert_int_equal(report_stage(REPORT_STAGE_BOOT, 0, NULL), 1);
	assert_int_equal(report_stage(REPORT_STAGE_FATAL, ETIMEDOUT, "no DHCP offer"), 1);
	struct report_stats st = report_get_stats();
	assert_int_equal(st.sent, 2);
	assert_int_equal(st.acked, 2);
	assert_int_equal(st.retransmits, 0);
	pthread_mutex_lock(&m->lock);
	assert_int_equal(m->received, 2);
	assert_int_equal(m->last.seq, 2);
	assert_int_equal(m->last.stage, REPORT_STAGE_FATAL);
	assert_int_equal(m->last.error, ETIMEDOUT);
	assert_int_equal(m->last.heartbeat_s, 15);
	assert_string_equal(m->last.text, "no DHCP offer");
	assert_true(m->last.boot_id == report_boot_id());
	assert_memory_equal(m->last.node, "\x52\x54\x00\xaa\xbb\xcc", 6);
	pthread_mutex_unlock(&m->lock);
	report_close();
	master_stop(m);
}

static void test_retransmits_until_acked(void **state)
{
	(void)state;
	struct master *m = master_start(ACK_THIRD_SEND);
	open_sender(m->port);
	assert_int_equal(report_stage(REPORT_STAGE_BOOT, 0, NULL), 1);
	struct report_stats st = report_get_stats();
	assert_int_equal(st.sent, 3);
	assert_int_equal(st.retransmits, 2);
	assert_int_equal(st.acked, 1);
	report_close();
	master_stop(m);
}

/* The master is up but never acks: the whole boot's reports wait at most the budget. */
static void test_silent_master_costs_at_most_the_budget(void **state)
{
	(void)state;
	struct master *m = master_start(ACK_NONE);
	open_sender(m->port);
	uint64_t start = now_ms();
	for (unsigned stage = 0; stage < REPORT_STAGE_COUNT; stage++)
		assert_int_equal(report_stage(stage, 0, NULL), 0);
	uint64_t elapsed = now_ms() - start;
	struct report_stats st = report_get_stats();
	assert_true(st.waited_ms <= REPORT_BUDGET_MS);
	assert_true(st.waited_ms >= REPORT_BUDGET_MS - REPORT_ACK_WAIT_MS);
	assert_int_equal(st.acked, 0);
	/* Never blocks beyond the budget: generous slack for a loaded machine, but far below
	 * what one blocking receive or unbounded retransmits would take. */
	assert_true(elapsed < 1000);
	assert_true(st.given_up > 0);
	report_close();
	master_stop(m);
}

/* Nothing listens on the port: ICMP port unreachable stops the waiting at once. */
static void test_master_gone(void **state)
{
	(void)state;
	struct master *m = master_start(ACK_NONE);
	uint16_t port = m->port;
	master_stop(m); /* the port is now closed */
	open_sender(port);
	for (unsigned stage = 0; stage < REPORT_STAGE_COUNT; stage++)
		assert_int_equal(report_stage(stage, 0, NULL), 0);
	struct report_stats st = report_get_stats();
	assert_true(st.waited_ms < REPORT_BUDGET_MS);
	report_close();
}

static void test_forged_ack_is_ignored(void **state)
{
	(void)state;
	struct master *m = master_start(ACK_WRONG_KEY);
	open_sender(m->port);
	assert_int_equal(report_stage(REPORT_STAGE_BOOT, 0, NULL), 0);
	struct report_stats st = report_get_stats();
	assert_int_equal(st.acked, 0);
	assert_int_equal(st.sent, REPORT_SENDS_WAITED);
	report_close();
	master_stop(m);
}

static void test_inventory_until_acked(void **state)
{
	(void)state;
	struct master *m = master_start(ACK_ALL);
	open_sender(m->port);
	struct report_inventory inv;
	memset(&inv, 0, sizeof(inv));
	inv.cores = 8;
	inv.mtu = 1500;
	strcpy(inv.hostname, "w17");
	report_set_inventory(&inv);
	assert_int_equal(report_stage(REPORT_STAGE_LEASE, 0, NULL), 1);
	pthread_mutex_lock(&m->lock);
	assert_true(m->last.flags & REPORT_FLAG_INVENTORY);
	assert_string_equal(m->last.inv.hostname, "w17");
	assert_int_equal(m->last.inv.cores, 8);
	pthread_mutex_unlock(&m->lock);
	assert_int_equal(report_stage(REPORT_STAGE_ROOT_MOUNTED, 0, NULL), 1);
	pthread_mutex_lock(&m->lock);
	assert_false(m->last.flags & REPORT_FLAG_INVENTORY); /* acked once: not repeated */
	pthread_mutex_unlock(&m->lock);
	assert_int_equal(report_stage(REPORT_STAGE_SWITCH_ROOT, 0, NULL), 1);
	pthread_mutex_lock(&m->lock);
	assert_true(m->last.flags & REPORT_FLAG_INVENTORY); /* always with switch-root */
	pthread_mutex_unlock(&m->lock);
	report_close();
	master_stop(m);
}

static void test_continue_a_boot(void **state)
{
	(void)state;
	struct master *m = master_start(ACK_ALL);
	struct report_setup s;
	memset(&s, 0, sizeof(s));
	s.master_ip = htonl(INADDR_LOOPBACK);
	s.master_port = m->port;
	s.boot_id = 0xfeedull;
	s.last_seq = 41;
	s.mac = openssl_mac;
	s.mac_ctx = &node_key;
	assert_int_equal(report_open(&s), 0);
	/* Budget 0 (a continued boot spends none unless given): sent, not waited for. */
	assert_true(report_stage(REPORT_STAGE_SHUTDOWN_BEGIN, 0, NULL) >= 0);
	assert_int_equal(report_get_stats().waited_ms, 0);
	assert_true(report_boot_id() == 0xfeedull);
	assert_int_equal(report_last_seq(), 42);
	report_close();
	master_stop(m);
}

/* v2: the first report carries zeros, every later one the nonce of the first ack; the state
 * the next holder reads carries it too. ghost.protocol=1 (version 1): v1, no nonce. */
static void test_nonce_echoed_and_handed_over(void **state)
{
	(void)state;
	char dir[] = "/tmp/ghostboot-test-nonce-XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct master *m = master_start(ACK_NONCE);
	open_sender(m->port);
	assert_int_equal(report_stage(REPORT_STAGE_BOOT, 0, NULL), 1);
	assert_int_equal(report_stage(REPORT_STAGE_MODULES, 0, NULL), 1);
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_int_equal(report_save_at(dirfd, "report", 0), 0);
	report_close();
	pthread_mutex_lock(&m->lock);
	assert_int_equal(m->seen[0].version, 2);
	assert_true(report_nonce_zero(m->seen[0].nonce));
	assert_memory_equal(m->seen[1].nonce, master_nonce, REPORT_NONCE_LEN);
	pthread_mutex_unlock(&m->lock);
	/* The next holder (daemon, guardian, shutdown program) echoes it from its first report. */
	char path[96];
	snprintf(path, sizeof(path), "%s/report", dir);
	struct report_setup setup;
	int daemon = -1;
	assert_int_equal(report_resume_state(path, &setup, &daemon), 0);
	assert_int_equal(setup.version, 2);
	assert_memory_equal(setup.nonce, master_nonce, REPORT_NONCE_LEN);
	setup.mac = openssl_mac;
	setup.mac_ctx = &node_key;
	assert_int_equal(report_open(&setup), 0);
	assert_int_equal(report_stage(REPORT_STAGE_UNMOUNTED, 0, NULL), 1);
	report_close();
	pthread_mutex_lock(&m->lock);
	assert_int_equal(m->last.stage, REPORT_STAGE_UNMOUNTED);
	assert_memory_equal(m->last.nonce, master_nonce, REPORT_NONCE_LEN);
	pthread_mutex_unlock(&m->lock);
	master_stop(m);
	/* Held back at v1: v1 datagrams, a v1 state line. */
	m = master_start(ACK_NONCE);
	struct report_setup s1;
	memset(&s1, 0, sizeof(s1));
	s1.master_ip = htonl(INADDR_LOOPBACK);
	s1.master_port = m->port;
	s1.budget_ms = REPORT_BUDGET_MS;
	s1.version = 1;
	s1.mac = openssl_mac;
	s1.mac_ctx = &node_key;
	assert_int_equal(report_open(&s1), 0);
	assert_int_equal(report_stage(REPORT_STAGE_BOOT, 0, NULL), 1);
	assert_int_equal(report_save_at(dirfd, "report", 0), 0);
	report_close();
	assert_int_equal(m->last.version, 1);
	assert_int_equal(report_load_state(path, &setup, &daemon), 0);
	assert_int_equal(setup.version, 1);
	master_stop(m);
	close(dirfd);
	unlink(path);
	rmdir(dir);
}

static void test_off_when_not_open(void **state)
{
	(void)state;
	report_close();
	assert_int_equal(report_stage(REPORT_STAGE_BOOT, 0, NULL), -ENOTCONN);
}

static char *test_argv0;

/* The stage and sequence of the last report the fake master received. */
static int last_report(struct master *m, unsigned *seq)
{
	pthread_mutex_lock(&m->lock);
	int stage = m->last.stage;
	*seq = m->last.seq;
	pthread_mutex_unlock(&m->lock);
	return stage;
}

/* The shutdown program resumes past reports its predecessor sent but had not saved: the same
 * number twice would be refused by the master as a replay (but acked), and the shutdown's
 * last reports would vanish without a trace. */
static void test_resume_past_unsaved(void **state)
{
	(void)state;
	char dir[] = "/tmp/ghostboot-test-resume-XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct master *m = master_start(ACK_ALL);
	open_sender(m->port);
	assert_true(report_stage(REPORT_STAGE_SWITCH_ROOT, 0, NULL) >= 0);
	int dirfd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(dirfd >= 0);
	assert_int_equal(report_save_at(dirfd, "report", 0), 0);
	uint32_t saved = report_last_seq();
	/* Two more sent, never saved: a daemon stopped between its send and its save. */
	assert_true(report_stage(REPORT_STAGE_HEARTBEAT, 0, NULL) >= 0);
	assert_true(report_stage(REPORT_STAGE_HEARTBEAT, 0, NULL) >= 0);
	uint32_t in_flight = report_last_seq();
	report_close();
	char path[96];
	snprintf(path, sizeof(path), "%s/report", dir);
	/* report_resume's own steps, signed with OpenSSL here (it would use the kernel's HMAC). */
	struct report_setup setup;
	int daemon = -1;
	assert_int_equal(report_resume_state(path, &setup, &daemon), 0);
	setup.mac = openssl_mac;
	setup.mac_ctx = &node_key;
	assert_int_equal(report_open(&setup), 0);
	assert_int_equal(report_last_seq(), saved + REPORT_RESUME_GAP);
	assert_int_equal(report_stage(REPORT_STAGE_UNMOUNTED, 0, NULL), 1); /* acked */
	unsigned seq;
	assert_int_equal(last_report(m, &seq), REPORT_STAGE_UNMOUNTED);
	assert_true(seq > in_flight); /* a number the master has not seen */
	report_close();
	close(dirfd);
	unlink(path);
	rmdir(dir);
	master_stop(m);
}

/* The heartbeat daemon: '@' argv[0], heartbeats on time, the state file kept current, SIGTERM
 * turned into shutdown-begin, and the shutdown program continuing the same boot. */
static void test_heartbeat_and_resume(void **state)
{
	(void)state;
	char dir[] = "/tmp/ghostboot-test-run-XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct master *m = master_start(ACK_ALL);
	open_sender(m->port);
	assert_int_equal(report_stage(REPORT_STAGE_SWITCH_ROOT, 0, NULL), 1);
	uint64_t boot_id = report_boot_id();
	int pid = heartbeat_start(test_argv0, dir, 100);
	assert_true(pid > 0);
	report_close(); /* the parent goes on to exec the real init */
	char path[64], cmdline[64] = "";
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	usleep(50000);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(cmdline, sizeof(cmdline), f));
	fclose(f);
	assert_int_equal(cmdline[0], '@');
	/* switch-root and at least 2 heartbeats (every 100 ms): waited for with a generous bound,
	 * since a loaded machine under ASan may stretch the daemon's period. */
	unsigned seq, received = 0;
	for (int i = 0; i < 100 && received < 3; i++) {
		usleep(50000);
		pthread_mutex_lock(&m->lock);
		received = m->received;
		pthread_mutex_unlock(&m->lock);
	}
	assert_true(received >= 3);
	assert_int_equal(last_report(m, &seq), REPORT_STAGE_HEARTBEAT);
	char state_path[96];
	snprintf(state_path, sizeof(state_path), "%s/report", dir);
	assert_int_equal(heartbeat_stop(state_path, 2000), 1); /* stopped: it sent shutdown-begin */
	assert_int_equal(kill(pid, 0), -1); /* reaped */
	assert_int_equal(last_report(m, &seq), REPORT_STAGE_SHUTDOWN_BEGIN);
	/* The shutdown program: same boot, the sequence after the daemon's last (the setup is
	 * signed with OpenSSL here; report_resume would use the kernel's HMAC). */
	struct report_setup setup;
	int daemon = -1;
	assert_int_equal(report_load_state(state_path, &setup, &daemon), 0);
	assert_int_equal(daemon, 0); /* the daemon cleared its pid when it stopped */
	assert_memory_equal(setup.node, "\x52\x54\x00\xaa\xbb\xcc", 6);
	assert_int_equal(setup.master_port, m->port);
	assert_int_equal(setup.heartbeat_s, 15);
	setup.mac = openssl_mac;
	setup.mac_ctx = &node_key;
	assert_int_equal(report_open(&setup), 0);
	assert_true(report_boot_id() == boot_id);
	assert_int_equal(report_stage(REPORT_STAGE_UNMOUNTED, 0, NULL), 1);
	unsigned unmounted_seq;
	assert_int_equal(last_report(m, &unmounted_seq), REPORT_STAGE_UNMOUNTED);
	assert_int_equal(unmounted_seq, seq + 1);
	pthread_mutex_lock(&m->lock);
	assert_true(m->last.boot_id == boot_id);
	pthread_mutex_unlock(&m->lock);
	report_close();
	assert_int_equal(heartbeat_stop(state_path, 100), 0); /* nothing left to stop */
	unlink(state_path);
	rmdir(dir);
	assert_int_equal(report_load_state(state_path, &setup, &daemon), -ENOENT);
	master_stop(m);
}

static void test_init_errors(void **state)
{
	(void)state;
	struct boot_config cfg;
	const uint8_t mac[6] = { 0x52, 0x54, 0, 1, 2, 3 };
	boot_config_defaults(&cfg);
	/* Neither ghost.master= nor a DHCP server: nowhere to report. */
	assert_int_equal(report_init(&cfg, mac, 0), -EDESTADDRREQ);
	cfg.master_ip = htonl(INADDR_LOOPBACK);
	strcpy(cfg.key, "not-a-key");
	assert_int_equal(report_init(&cfg, mac, 0), -EINVAL);
	strcpy(cfg.key, "/nonexistent/ghostboot.key");
	assert_int_equal(report_init(&cfg, mac, htonl(0x0a000001)), -ENOENT);
	assert_int_equal(report_stage(REPORT_STAGE_BOOT, 0, NULL), -ENOTCONN); /* stays off */
}

/* The kept copy for the guardian and the shutdown program: 0600 whatever the umask, read back
 * equal; replaced atomically; no key, no file. */
static void test_kept_key(void **state)
{
	(void)state;
	char dir[] = "/tmp/ghostboot-key-XXXXXX";
	assert_non_null(mkdtemp(dir));
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	uint8_t key[REPORT_KEY_MAX], back[REPORT_KEY_MAX];
	for (int i = 0; i < 32; i++)
		key[i] = (uint8_t)(0xc0 + i);
	mode_t old = umask(0);
	assert_int_equal(report_key_keep_at(fd, REPORT_KEY_KEPT_NAME, key, 32), 0);
	umask(old);
	struct stat st;
	assert_int_equal(fstatat(fd, REPORT_KEY_KEPT_NAME, &st, 0), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(report_key_kept_at(fd, REPORT_KEY_KEPT_NAME, back), 32);
	assert_memory_equal(back, key, 32);
	key[0] ^= 1;
	assert_int_equal(report_key_keep_at(fd, REPORT_KEY_KEPT_NAME, key, 16), 0);
	assert_int_equal(report_key_kept_at(fd, REPORT_KEY_KEPT_NAME, back), 16);
	assert_memory_equal(back, key, 16);
	assert_int_equal(report_key_keep_at(fd, REPORT_KEY_KEPT_NAME, key, 0), -EINVAL);
	assert_int_equal(faccessat(fd, REPORT_KEY_KEPT_NAME ".tmp", F_OK, 0), -1);
	assert_int_equal(unlinkat(fd, REPORT_KEY_KEPT_NAME, 0), 0);
	assert_int_equal(report_key_kept_at(fd, REPORT_KEY_KEPT_NAME, back), -ENOENT);
	/* The boot's key: ghost.key= first (path or hex). */
	struct boot_config cfg;
	boot_config_defaults(&cfg);
	strcpy(cfg.key, "00112233445566778899aabbccddeeff");
	assert_int_equal(report_key_for_boot(&cfg, back), 16);
	assert_int_equal(back[15], 0xff);
	close(fd);
	rmdir(dir);
}

static void test_load_key(void **state)
{
	(void)state;
	uint8_t key[REPORT_KEY_MAX];
	char path[] = "/tmp/ghostboot-test-key-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n";
	assert_int_equal(write(fd, hex, strlen(hex)), (ssize_t)strlen(hex));
	close(fd);
	assert_int_equal(report_load_key(path, key), 32);
	assert_int_equal(key[31], 0xff);
	/* ghostinit report --key-file: any path, relative too (the key never in argv). */
	char cwd[256];
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir("/tmp"), 0);
	memset(key, 0, sizeof(key));
	assert_int_equal(report_load_key_file(path + 5, key), 32);
	assert_int_equal(key[31], 0xff);
	assert_int_equal(report_load_key_file("00112233445566778899aabbccddeeff", key), -ENOENT); /* not hex */
	assert_int_equal(chdir(cwd), 0);
	unlink(path);
	assert_int_equal(report_load_key(path, key), -ENOENT);
	assert_int_equal(report_load_key("00112233445566778899aabbccddeeff", key), 16);
	assert_int_equal(report_load_key("secret", key), -EINVAL);
}

static void test_cpuinfo_x86(void **state)
{
	(void)state;
	/* Two packages of 2 cores, 4 threads each (hyper-threading): 4 cores, 8 threads. */
	char text[4096] = "";
	for (int p = 0; p < 8; p++) {
		char one[256];
		snprintf(one, sizeof(one),
			 "processor\t: %d\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Gold 6130\n"
			 "physical id\t: %d\nsiblings\t: 4\ncore id\t\t: %d\ncpu cores\t: 2\n\n",
			 p, p / 4, p % 2);
		strcat(text, one);
	}
	struct cpuinfo ci;
	assert_int_equal(cpuinfo_parse(text, strlen(text), &ci), 0);
	assert_int_equal(ci.threads, 8);
	assert_int_equal(ci.cores, 4);
	assert_string_equal(ci.model, "Intel(R) Xeon(R) Gold 6130");
}

static void test_cpuinfo_odd(void **state)
{
	(void)state;
	struct cpuinfo ci;
	const char *arm = "processor\t: 0\nBogoMIPS\t: 50.00\n\nprocessor\t: 1\nBogoMIPS\t: 50.00\n";
	assert_int_equal(cpuinfo_parse(arm, strlen(arm), &ci), 0);
	assert_int_equal(ci.threads, 2);
	assert_int_equal(ci.cores, 2); /* no topology: cores = threads */
	assert_string_equal(ci.model, "");
	assert_int_equal(cpuinfo_parse("", 0, &ci), -ENOENT);
	assert_int_equal(cpuinfo_parse("garbage without colon", 21, &ci), -ENOENT);
	/* Cut in the middle of a line, overlong and hostile model: bounded and sanitised. */
	char text[300] = "processor : 0\nmodel name : \x1b[31m";
	size_t len = strlen(text);
	memset(text + len, 'A', 200);
	len += 200;
	assert_int_equal(cpuinfo_parse(text, len, &ci), 0);
	assert_int_equal(strlen(ci.model), CPUINFO_MODEL_MAX);
	assert_int_equal(ci.model[0], '?');
	assert_int_equal(ci.threads, 1);
}

int main(int argc, char **argv)
{
	(void)argc;
	test_argv0 = argv[0];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_acked_reports),
		cmocka_unit_test(test_retransmits_until_acked),
		cmocka_unit_test(test_silent_master_costs_at_most_the_budget),
		cmocka_unit_test(test_master_gone),
		cmocka_unit_test(test_forged_ack_is_ignored),
		cmocka_unit_test(test_inventory_until_acked),
		cmocka_unit_test(test_continue_a_boot),
		cmocka_unit_test(test_resume_past_unsaved),
		cmocka_unit_test(test_off_when_not_open),
		cmocka_unit_test(test_nonce_echoed_and_handed_over),
		cmocka_unit_test(test_heartbeat_and_resume),
		cmocka_unit_test(test_init_errors),
		cmocka_unit_test(test_load_key),
		cmocka_unit_test(test_kept_key),
		cmocka_unit_test(test_cpuinfo_x86),
		cmocka_unit_test(test_cpuinfo_odd),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
