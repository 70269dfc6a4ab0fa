/* ghostwatch's parts without the socket: node table and replay window, the validation order
 * and its counters, the rate limit, persistence (log, snapshot, torn records, reload), and
 * the outputs (hostfile, JSON, SVG) on a known table. */
#include <arpa/inet.h>
#include <errno.h>
#include <openssl/evp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../netboot/ghostwatch/state/cluster_list.h"
#include "../../netboot/ghostwatch/keys/gw_hmac.h"
#include "../../netboot/ghostwatch/jobs/hostfile.h"
#include "../../netboot/ghostwatch/keys/node_key.h"
#include "../../netboot/ghostwatch/state/nodes.h"
#include "../../netboot/ghostwatch/state/persist.h"
#include "../../netboot/ghostwatch/serve/ratelimit.h"
#include "../../netboot/ghostwatch/jobs/slurm_nodes.h"
#include "../../netboot/ghostwatch/view/status.h"
#include "../../netboot/ghostwatch/view/timeline.h"
#include "../../netboot/ghostwatch/serve/validate.h"

static const struct nodes_limits limits = { .lost_after_s = 120 };
static struct gw_hmac *hmac;

static int setup(void **state)
{
	(void)state;
	hmac = gw_hmac_new((const uint8_t *)"0123456789abcdef", 16);
	return hmac ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	gw_hmac_free(hmac);
	return 0;
}

static struct report_msg report(unsigned node, uint64_t boot, uint32_t seq, unsigned stage)
{
	struct report_msg m;
	memset(&m, 0, sizeof(m));
	m.version = 1; /* the v1 rules; v2's nonce has its own tests (test_v2_*) */
	m.type = REPORT_TYPE_REPORT;
	memcpy(m.node, "\x02\x00\x00\x00\x00", 5);
	m.node[5] = (uint8_t)node;
	m.boot_id = boot;
	m.seq = seq;
	m.stage = (uint8_t)stage;
	m.time_ms = 1000 + 100 * stage;
	return m;
}

static size_t encode(const struct report_msg *m, uint8_t *buf)
{
	int n = report_wire_encode(m, buf, REPORT_WIRE_MAX, gw_hmac_compute, hmac);
	assert_true(n > 0);
	return (size_t)n;
}

static void test_hmac_known_answer(void **state)
{
	(void)state;
	/* RFC 4231 test case 2: key "Jefe", "what do ya want for nothing?". */
	struct gw_hmac *h = gw_hmac_new((const uint8_t *)"Jefe", 4);
	uint8_t tag[32];
	const char *data = "what do ya want for nothing?";
	assert_int_equal(gw_hmac_compute(h, (const uint8_t *)data, strlen(data), tag), 0);
	static const uint8_t expect[32] = {
		0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24, 0x26, 0x08, 0x95, 0x75, 0xc7,
		0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27, 0x39, 0x83, 0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43,
	};
	assert_memory_equal(tag, expect, 32);
	/* The keyed context is reused: a second tag is the same. */
	assert_int_equal(gw_hmac_compute(h, (const uint8_t *)data, strlen(data), tag), 0);
	assert_memory_equal(tag, expect, 32);
	gw_hmac_free(h);
	/* The key file the master reads: hex, whitespace around it ignored. */
	char path[] = "/tmp/ghostwatch-key-XXXXXX";
	int fd = mkstemp(path);
	const char *hex = " 4a656665000000000000000000000000\n";
	assert_int_equal(write(fd, hex, strlen(hex)), (ssize_t)strlen(hex));
	close(fd);
	uint8_t key[REPORT_KEY_MAX];
	assert_int_equal(gw_hmac_load_key(path, key), 16);
	assert_memory_equal(key, "Jefe", 4);
	unlink(path);
	assert_int_equal(gw_hmac_load_key(path, key), -ENOENT);
	/* No key: HMAC with the empty key still works. */
	h = gw_hmac_new(NULL, 0);
	assert_non_null(h);
	assert_int_equal(gw_hmac_compute(h, (const uint8_t *)"x", 1, tag), 0);
	gw_hmac_free(h);
}

/* The precomputed-state HMAC against OpenSSL's own, every message length across 4 blocks. */
static void test_hmac_matches_openssl(void **state)
{
	(void)state;
	uint8_t key[64], data[300], tag[32], want[32];
	for (unsigned i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	for (size_t keylen = 0; keylen <= 64; keylen += 16) {
		for (unsigned i = 0; i < keylen; i++)
			key[i] = (uint8_t)(0xa0 + i);
		struct gw_hmac *h = gw_hmac_new(key, keylen);
		assert_non_null(h);
		for (size_t len = 0; len <= sizeof(data); len++) {
			size_t wl = 0;
			assert_non_null(EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, keylen ? key : (uint8_t *)"",
						  keylen, data, len, want, sizeof(want), &wl));
			assert_int_equal(gw_hmac_compute(h, data, len, tag), 0);
			assert_memory_equal(tag, want, 32);
		}
		gw_hmac_free(h);
	}
}

/* Per-node keys: HKDF-SHA256 as OpenSSL's CLI computes it (openssl kdf -kdfopt ... HKDF), the
 * hot path's two-step derivation equal to it, and a tag for node B made with node A's key
 * refused by validate and counted. */
static void test_node_keys(void **state)
{
	(void)state;
	uint8_t secret[32], key[32], other[32];
	for (unsigned i = 0; i < 32; i++)
		secret[i] = (uint8_t)i;
	static const uint8_t mac_a[6] = { 0x02, 0x67, 0, 0, 0, 0x2a }, mac_b[6] = { 0x02, 0x67, 0, 0, 0, 0x2b };
	static const uint8_t want[32] = {
		0xfc, 0xba, 0xd1, 0xc3, 0x74, 0x78, 0x07, 0xa6, 0xf8, 0xc6, 0x1e, 0x9a, 0x43, 0x8e, 0xb4, 0xa6,
		0xc1, 0xce, 0x02, 0x21, 0x59, 0x29, 0x1a, 0xac, 0xc2, 0x0b, 0xe1, 0x38, 0x0f, 0x87, 0xb6, 0xfc,
	};
	assert_int_equal(node_key_derive(secret, sizeof(secret), mac_a, key), 0);
	assert_memory_equal(key, want, 32);
	assert_int_equal(node_key_derive(secret, sizeof(secret), mac_b, other), 0);
	assert_memory_not_equal(key, other, 32);

	/* A cache of one set of 4 ways and 10 nodes coming round: evictions never change a tag. */
	struct gw_hmac *per_node = gw_hmac_new_per_node(secret, sizeof(secret), 1);
	assert_non_null(per_node);
	uint8_t buf[REPORT_WIRE_MAX], tag[32];
	for (unsigned round = 0; round < 3; round++)
		for (unsigned n = 0; n < 10; n++) {
			struct report_msg m = report(n, 100, 1 + round, REPORT_STAGE_BOOT);
			int len = report_wire_encode(&m, buf, sizeof(buf), gw_hmac_compute, per_node);
			assert_true(len > 0);
			assert_int_equal(node_key_derive(secret, sizeof(secret), m.node, key), 0);
			struct gw_hmac *single = gw_hmac_new(key, sizeof(key));
			assert_int_equal(gw_hmac_compute(single, buf, (size_t)len - 32, tag), 0);
			assert_memory_equal(tag, buf + len - 32, 32);
			gw_hmac_free(single);
		}
	assert_true(gw_hmac_derivations(per_node) > 10); /* it did evict */
	/* Too short to name a node: refused, not read past. */
	assert_int_equal(gw_hmac_compute(per_node, buf, 9, tag), -EINVAL);

	/* Node 0x2b's report signed with node 0x2a's key: bad_hmac, no record. */
	struct nodes *t = nodes_new(8);
	struct validate v = { .mac = gw_hmac_compute, .mac_ctx = per_node, .nodes = t };
	assert_int_equal(node_key_derive(secret, sizeof(secret), mac_a, key), 0);
	struct gw_hmac *a = gw_hmac_new(key, sizeof(key));
	struct report_msg m = report(0, 7, 1, REPORT_STAGE_BOOT), d;
	memcpy(m.node, mac_b, 6);
	int len = report_wire_encode(&m, buf, sizeof(buf), gw_hmac_compute, a);
	struct node *node;
	assert_int_equal(validate_datagram(&v, buf, (size_t)len, 0, &d, &node), REPORT_REJECT_BAD_HMAC);
	assert_int_equal(v.rejected[REPORT_REJECT_BAD_HMAC], 1);
	assert_int_equal(nodes_count(t), 0);
	/* Node 0x2a's own report with its key: accepted. */
	memcpy(m.node, mac_a, 6);
	len = report_wire_encode(&m, buf, sizeof(buf), gw_hmac_compute, a);
	assert_int_equal(validate_datagram(&v, buf, (size_t)len, 0, &d, &node), REPORT_OK);
	gw_hmac_free(a);
	nodes_free(t);
	gw_hmac_free(per_node);
}

/* The master secret: created 0600 and never over a file; refused when others may read it. */
static void test_master_secret_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/ghostwatch-master-XXXXXX", path[64];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/master.key", dir);
	mode_t old = umask(0);
	assert_int_equal(node_key_create_master(path), 0);
	umask(old);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(node_key_create_master(path), -EEXIST);
	uint8_t secret[REPORT_KEY_MAX];
	assert_int_equal(node_key_load_master(path, secret), NODE_KEY_MASTER_LEN);
	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(node_key_load_master(path, secret), -EPERM);
	assert_int_equal(chmod(path, 0604), 0);
	assert_int_equal(node_key_load_master(path, secret), -EPERM);
	assert_int_equal(chmod(path, 0400), 0);
	assert_int_equal(node_key_load_master(path, secret), NODE_KEY_MASTER_LEN);
	assert_int_equal(node_key_load_master(dir, secret), -EPERM); /* not a regular file */
	unlink(path);
	assert_int_equal(node_key_load_master(path, secret), -ENOENT);
	rmdir(dir);
}

static void test_table_grows_and_finds(void **state)
{
	(void)state;
	struct nodes *t = nodes_new(10000);
	uint8_t mac[6] = { 2, 0, 0, 0, 0, 0 };
	for (unsigned i = 0; i < 10000; i++) {
		mac[3] = (uint8_t)(i >> 16), mac[4] = (uint8_t)(i >> 8), mac[5] = (uint8_t)i;
		struct node *n = nodes_get(t, mac);
		assert_non_null(n);
		n->boots = i;
	}
	assert_int_equal(nodes_count(t), 10000);
	mac[3] = 1; /* a 10 001st node: the table is full */
	assert_null(nodes_get(t, mac));
	for (unsigned i = 0; i < 10000; i += 777) {
		mac[3] = (uint8_t)(i >> 16), mac[4] = (uint8_t)(i >> 8), mac[5] = (uint8_t)i;
		assert_int_equal(nodes_find(t, mac)->boots, i);
		assert_ptr_equal(nodes_get(t, mac), nodes_find(t, mac));
	}
	nodes_clear(t);
	assert_int_equal(nodes_count(t), 0);
	assert_null(nodes_find(t, mac));
	nodes_free(t);
}

static void test_replay_window(void **state)
{
	(void)state;
	struct nodes *t = nodes_new(10);
	struct report_msg m = report(1, 100, 5, REPORT_STAGE_BOOT);
	struct node *n = nodes_get(t, m.node);
	assert_int_equal(nodes_replay_check(n, 100, 5), REPORT_OK); /* first report of a node */
	nodes_apply(n, &m, 10000, 0);
	assert_int_equal(nodes_replay_check(n, 100, 5), REPORT_REJECT_REPLAYED);
	assert_int_equal(nodes_replay_check(n, 100, 4), REPORT_OK); /* late, never seen */
	m.seq = 4;
	nodes_apply(n, &m, 10001, 0);
	assert_int_equal(nodes_replay_check(n, 100, 4), REPORT_REJECT_REPLAYED);
	assert_int_equal(n->seq_top, 5);
	m.seq = 80;
	m.stage = REPORT_STAGE_LEASE;
	nodes_apply(n, &m, 10002, 0);
	assert_int_equal(n->last_stage, REPORT_STAGE_LEASE);
	assert_int_equal(nodes_replay_check(n, 100, 16), REPORT_REJECT_REPLAYED); /* out of window */
	assert_int_equal(nodes_replay_check(n, 100, 17), REPORT_OK);
	assert_int_equal(nodes_replay_check(n, 100, 81), REPORT_OK);
	/* A new boot opens a new window; the old boot id is refused from then on. */
	assert_int_equal(nodes_replay_check(n, 200, 1), REPORT_OK);
	struct report_msg b2 = report(1, 200, 1, REPORT_STAGE_BOOT);
	nodes_apply(n, &b2, 20000, 0);
	assert_int_equal(n->boots, 2);
	assert_int_equal(n->stage_ms[REPORT_STAGE_LEASE], NODES_STAGE_UNSEEN);
	assert_int_equal(nodes_replay_check(n, 100, 200), REPORT_REJECT_REPLAYED);
	for (uint64_t boot = 300; boot < 300 + NODES_PREV_BOOTS; boot++) {
		struct report_msg b = report(1, boot, 1, REPORT_STAGE_BOOT);
		nodes_apply(n, &b, 30000, 0);
	}
	/* Only the last NODES_PREV_BOOTS boots are remembered (documented). */
	assert_int_equal(nodes_replay_check(n, 100, 200), REPORT_OK);
	assert_int_equal(nodes_replay_check(n, 200, 2), REPORT_REJECT_REPLAYED);
	nodes_free(t);
}

static void test_states(void **state)
{
	(void)state;
	struct nodes *t = nodes_new(10);
	struct report_msg m = report(1, 100, 1, REPORT_STAGE_LEASE);
	struct node *n = nodes_get(t, m.node);
	int64_t now = 1000000;
	nodes_apply(n, &m, now, 0);
	assert_int_equal(nodes_state(n, now, &limits), NODE_BOOTING);
	assert_int_equal(nodes_state(n, now + 121000, &limits), NODE_LOST);
	m = report(1, 100, 2, REPORT_STAGE_SWITCH_ROOT);
	nodes_apply(n, &m, now, 0);
	assert_int_equal(nodes_state(n, now + 999999, &limits), NODE_UP); /* no heartbeat: up */
	m = report(1, 100, 3, REPORT_STAGE_HEARTBEAT);
	m.heartbeat_s = 10;
	nodes_apply(n, &m, now, 0);
	assert_int_equal(nodes_state(n, now + 30000, &limits), NODE_UP);
	assert_int_equal(nodes_state(n, now + 36000, &limits), NODE_LOST); /* 3 missed + 5 s */
	m = report(1, 100, 4, REPORT_STAGE_SHUTDOWN_BEGIN);
	nodes_apply(n, &m, now, 0);
	assert_int_equal(nodes_state(n, now, &limits), NODE_SHUTTING_DOWN);
	m = report(1, 100, 5, REPORT_STAGE_RESET);
	nodes_apply(n, &m, now, 0);
	assert_int_equal(nodes_state(n, now + 9999999, &limits), NODE_DOWN);
	m = report(1, 101, 1, REPORT_STAGE_FATAL);
	m.error = ETIMEDOUT;
	strcpy(m.text, "no lease");
	nodes_apply(n, &m, now, 0);
	assert_int_equal(nodes_state(n, now, &limits), NODE_FAILED);
	assert_string_equal(n->error_text, "no lease");
	assert_string_equal(nodes_state_name(NODE_SHUTTING_DOWN), "shutting-down");
	nodes_free(t);
}

static void test_validate_order_and_counts(void **state)
{
	(void)state;
	struct nodes *t = nodes_new(2);
	struct ratelimit *rl = ratelimit_new(1000, 3);
	struct validate v = { .mac = gw_hmac_compute, .mac_ctx = hmac, .rate = rl, .nodes = t };
	uint8_t buf[REPORT_WIRE_MAX + 10];
	struct report_msg m = report(1, 100, 1, REPORT_STAGE_BOOT), d;
	struct node *node;
	size_t n = encode(&m, buf);
	uint64_t now = 1000;
	assert_int_equal(validate_datagram(&v, buf, n, now, &d, &node), REPORT_OK);
	assert_non_null(node);
	nodes_apply(node, &d, 5000, 1);
	/* The same datagram again: replayed, but the node is handed back for a new ack. */
	assert_int_equal(validate_datagram(&v, buf, n, now, &d, &node), REPORT_REJECT_REPLAYED);
	assert_non_null(node);
	buf[n - 1] ^= 1;
	assert_int_equal(validate_datagram(&v, buf, n, now, &d, &node), REPORT_REJECT_BAD_HMAC);
	assert_null(node);
	assert_int_equal(validate_datagram(&v, buf, 10, now, &d, &node), REPORT_REJECT_TRUNCATED);
	/* Node 1 has spent 2 of its burst of 3 (the report and its retransmit; the bad tag and
	 * the truncated one are refused before the limit and spend nothing): one more passes. */
	m = report(1, 100, 2, REPORT_STAGE_LINK);
	n = encode(&m, buf);
	assert_int_equal(validate_datagram(&v, buf, n, now, &d, &node), REPORT_OK);
	nodes_apply(node, &d, 5000, 1);
	m = report(1, 100, 3, REPORT_STAGE_LEASE);
	n = encode(&m, buf);
	assert_int_equal(validate_datagram(&v, buf, n, now, &d, &node), REPORT_REJECT_RATE_LIMITED);
	/* Oversized and bad version are refused before the rate limit: they count as such. */
	assert_int_equal(validate_datagram(&v, buf, REPORT_WIRE_MAX + 1, now, &d, &node),
			 REPORT_REJECT_OVERSIZED);
	buf[2] = 9;
	assert_int_equal(validate_datagram(&v, buf, n, now, &d, &node), REPORT_REJECT_BAD_VERSION);
	/* Node 2: 100 forged datagrams in its name spend none of its tokens (the limit counts
	 * only what passed the HMAC), so its real report is accepted. */
	m = report(2, 100, 1, REPORT_STAGE_BOOT);
	n = encode(&m, buf);
	for (int i = 0; i < 100; i++) {
		buf[n - 1] ^= 0x80;
		assert_int_equal(validate_datagram(&v, buf, n, now, &d, &node), REPORT_REJECT_BAD_HMAC);
		buf[n - 1] ^= 0x80;
	}
	assert_int_equal(validate_datagram(&v, buf, n, now, &d, &node), REPORT_OK);
	/* The table holds 2 nodes: the third is refused. */
	m = report(3, 100, 1, REPORT_STAGE_BOOT);
	n = encode(&m, buf);
	assert_int_equal(validate_datagram(&v, buf, n, now, &d, &node), REPORT_REJECT_TABLE_FULL);
	/* An ack sent to the master is not a report. */
	m.type = REPORT_TYPE_ACK;
	n = encode(&m, buf);
	assert_int_equal(validate_datagram(&v, buf, n, now, &d, &node), REPORT_REJECT_MALFORMED);
	assert_int_equal(v.accepted, 3);
	assert_int_equal(v.rejected[REPORT_REJECT_REPLAYED], 1);
	assert_int_equal(v.rejected[REPORT_REJECT_BAD_HMAC], 101);
	assert_int_equal(v.rejected[REPORT_REJECT_TRUNCATED], 1);
	assert_int_equal(v.rejected[REPORT_REJECT_RATE_LIMITED], 1);
	assert_int_equal(v.rejected[REPORT_REJECT_OVERSIZED], 1);
	assert_int_equal(v.rejected[REPORT_REJECT_BAD_VERSION], 1);
	assert_int_equal(v.rejected[REPORT_REJECT_TABLE_FULL], 1);
	assert_int_equal(v.rejected[REPORT_REJECT_MALFORMED], 1);
	ratelimit_free(rl);
	nodes_free(t);
}

static void test_ratelimit_refills(void **state)
{
	(void)state;
	struct ratelimit *rl = ratelimit_new(10, 3); /* 10/s, burst 3 */
	uint64_t now = 5000;
	for (int i = 0; i < 3; i++)
		assert_true(ratelimit_allow(rl, 42, now));
	assert_false(ratelimit_allow(rl, 42, now));
	assert_true(ratelimit_allow(rl, 43, now)); /* another node has its own bucket */
	assert_false(ratelimit_allow(rl, 42, now + 50)); /* half a token */
	assert_true(ratelimit_allow(rl, 42, now + 100));
	assert_false(ratelimit_allow(rl, 42, now + 100));
	for (int i = 0; i < 3; i++) /* refilled to the burst, never beyond */
		assert_true(ratelimit_allow(rl, 42, now + 100000));
	assert_false(ratelimit_allow(rl, 42, now + 100000));
	ratelimit_free(rl);
	rl = ratelimit_new(0, 0); /* no limit */
	for (int i = 0; i < 1000; i++)
		assert_true(ratelimit_allow(rl, 42, now));
	ratelimit_free(rl);
}

static char *temp_dir(void)
{
	char *dir = strdup("/tmp/ghostwatch-test-XXXXXX");
	assert_non_null(mkdtemp(dir));
	return dir;
}

static void remove_dir(char *dir)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(dir);
}

/* Accepts and logs a report the way serve does. */
static void accept_report(struct validate *v, struct persist *p, const struct report_msg *m)
{
	uint8_t buf[REPORT_WIRE_MAX];
	size_t n = encode(m, buf);
	struct report_msg d;
	struct node *node;
	assert_int_equal(validate_datagram(v, buf, n, 1, &d, &node), REPORT_OK);
	assert_int_equal(persist_log(p, buf, n, 1700000000000 + m->seq, 0x0100007f), 0);
	nodes_apply(node, &d, 1700000000000 + m->seq, 0x0100007f);
}

static void test_persist_log_survives_without_snapshot(void **state)
{
	(void)state;
	char *dir = temp_dir();
	struct nodes *t = nodes_new(1000);
	int err;
	struct persist *p = persist_open(dir, t, &err);
	assert_non_null(p);
	struct validate v = { .mac = gw_hmac_compute, .mac_ctx = hmac, .nodes = t };
	for (unsigned i = 0; i < 100; i++) {
		struct report_msg m = report(i, 7, 1, REPORT_STAGE_LEASE);
		m.flags = REPORT_FLAG_INVENTORY;
		snprintf(m.inv.hostname, sizeof(m.inv.hostname), "n%u", i);
		m.inv.cores = 16;
		accept_report(&v, p, &m);
	}
	assert_int_equal(persist_flush(p), 0);
	/* Like kill -9: no compaction, no close. Another reader sees every node. */
	struct nodes *r = nodes_new(1000);
	assert_int_equal(persist_load(dir, r), 0);
	assert_int_equal(nodes_count(r), 100);
	uint8_t mac[6] = { 2, 0, 0, 0, 0, 42 };
	struct node *n = nodes_find(r, mac);
	assert_non_null(n);
	assert_string_equal(n->inv.hostname, "n42");
	assert_int_equal(n->inv.cores, 16);
	assert_int_equal(n->last_stage, REPORT_STAGE_LEASE);
	assert_true(n->last_seen == 1700000000001);
	/* A restarted server loads the same, folds the log into a snapshot, and keeps the
	 * replay window: the same report again is a replay. */
	struct nodes *t2 = nodes_new(1000);
	struct persist *p2 = persist_open(dir, t2, &err);
	assert_non_null(p2);
	assert_int_equal(nodes_count(t2), 100);
	assert_int_equal(nodes_replay_check(nodes_find(t2, mac), 7, 1), REPORT_REJECT_REPLAYED);
	struct report_msg m = report(42, 7, 2, REPORT_STAGE_SWITCH_ROOT);
	struct validate v2 = { .mac = gw_hmac_compute, .mac_ctx = hmac, .nodes = t2 };
	accept_report(&v2, p2, &m);
	assert_int_equal(persist_flush(p2), 0);
	persist_close(p2);
	persist_close(p);
	nodes_clear(r);
	assert_int_equal(persist_load(dir, r), 0);
	assert_int_equal(nodes_count(r), 100);
	assert_int_equal(nodes_find(r, mac)->last_stage, REPORT_STAGE_SWITCH_ROOT);
	assert_string_equal(nodes_find(r, mac)->inv.hostname, "n42"); /* from the snapshot */
	nodes_free(r);
	nodes_free(t2);
	nodes_free(t);
	remove_dir(dir);
}

/* A short write (disk full, a file size limit) then a retry: the log continues where the write
 * stopped, and a restart still loads every acked report. */
static void test_persist_short_write_then_retry(void **state)
{
	(void)state;
	char *dir = temp_dir();
	struct nodes *t = nodes_new(1000);
	int err;
	struct persist *p = persist_open(dir, t, &err);
	assert_non_null(p);
	struct validate v = { .mac = gw_hmac_compute, .mac_ctx = hmac, .nodes = t };
	for (unsigned i = 0; i < 20; i++) {
		struct report_msg m = report(i, 9, 1, REPORT_STAGE_LEASE);
		accept_report(&v, p, &m);
	}
	/* The log may grow by 100 bytes only: the flush stops inside a record (EFBIG). */
	struct rlimit old, small;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	small = old;
	small.rlim_cur = (rlim_t)persist_log_size(p) + 100;
	void (*was)(int) = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	int r = persist_flush(p);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, was);
	assert_int_equal(r, -EFBIG);
	assert_int_equal(persist_flush(p), 0); /* the retry */
	struct nodes *back = nodes_new(1000);
	assert_int_equal(persist_load(dir, back), 0);
	assert_int_equal(nodes_count(back), 20);
	persist_close(p);
	nodes_free(back);
	nodes_free(t);
	remove_dir(dir);
}

static void test_persist_snapshot_round_trip_and_torn_log(void **state)
{
	(void)state;
	char *dir = temp_dir();
	struct nodes *t = nodes_new(100);
	int err;
	struct persist *p = persist_open(dir, t, &err);
	struct validate v = { .mac = gw_hmac_compute, .mac_ctx = hmac, .nodes = t };
	struct report_msg m = report(9, 0x1122334455667788ull, 3, REPORT_STAGE_FATAL);
	m.error = 5;
	m.heartbeat_s = 30;
	strcpy(m.text, "i/o error");
	m.flags = REPORT_FLAG_INVENTORY;
	memcpy(m.inv.ip, "\0\0\0\0\0\0\0\0\0\0\xff\xff\x0a\x01\x02\x03", 16);
	m.inv.threads = 96;
	m.inv.mem_mib = 1u << 20;
	m.inv.link_mbps = REPORT_LINK_SPEED_UNKNOWN;
	m.inv.mtu = 9000;
	strcpy(m.inv.kernel, "6.1.0-28-amd64");
	strcpy(m.inv.cpu, "AMD EPYC 9654");
	accept_report(&v, p, &m);
	assert_int_equal(persist_compact(p, t), 0);
	struct node before = *nodes_at(t, 0);
	/* A second report only in the log, then a torn record after it. */
	struct report_msg m2 = report(10, 5, 1, REPORT_STAGE_BOOT);
	accept_report(&v, p, &m2);
	assert_int_equal(persist_flush(p), 0);
	char path[300];
	snprintf(path, sizeof(path), "%s/log.3", dir);
	FILE *f = fopen(path, "ab");
	assert_non_null(f);
	fwrite("\x01\x00\x00\x00\x7f", 1, 5, f);
	fclose(f);
	struct nodes *r = nodes_new(100);
	assert_int_equal(persist_load(dir, r), 0);
	assert_int_equal(nodes_count(r), 2);
	assert_memory_equal(nodes_find(r, before.mac), &before, sizeof(before));
	persist_close(p);
	/* A damaged snapshot is an error, never a silent empty table. */
	snprintf(path, sizeof(path), "%s/snapshot", dir);
	f = fopen(path, "r+b");
	fwrite("XXXX", 1, 4, f);
	fclose(f);
	nodes_clear(r);
	assert_int_equal(persist_load(dir, r), -EINVAL);
	nodes_free(r);
	nodes_free(t);
	remove_dir(dir);
}

/* Runs one output function into a string. */
static char *capture(void (*fn)(FILE *, struct nodes *), struct nodes *t)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	fn(f, t);
	fclose(f);
	return text;
}

static void hostfile_fn(FILE *f, struct nodes *t) { hostfile_print(f, t, 1700000000500, &limits); }
static void json_fn(FILE *f, struct nodes *t) { status_print_json(f, t, 1700000000500, &limits, 0); }
static void table_fn(FILE *f, struct nodes *t) { status_print_table(f, t, 1700000000500, &limits, 0); }
static void svg_fn(FILE *f, struct nodes *t) { timeline_print(f, t); }

static struct nodes *sample_table(void)
{
	struct nodes *t = nodes_new(10);
	/* What a node may claim: only the first two are host names (RFC 1123). */
	const char *names[] = { "zeta", "alpha", "mid\"<&>", "", "n2 slots=4", "#n3",
				"n4\nn5 slots=99", "n\xc3\xa9" };
	for (unsigned i = 0; i < 8; i++) {
		struct report_msg m = report(i, 1, 1, REPORT_STAGE_SWITCH_ROOT);
		m.flags = REPORT_FLAG_INVENTORY;
		strcpy(m.inv.hostname, names[i]);
		m.inv.cores = (uint16_t)(i * 8);
		m.inv.threads = 4;
		/* It claims 192.168.9.i; its reports come from 10.0.0.i. */
		m.inv.ip[10] = m.inv.ip[11] = 0xff;
		m.inv.ip[12] = 192, m.inv.ip[13] = 168, m.inv.ip[14] = 9, m.inv.ip[15] = (uint8_t)i;
		struct node *n = nodes_get(t, m.node);
		nodes_apply(n, &m, 1700000000000, htonl(0x0a000000u | i));
		if (i == 2) /* as a state written by an older ghostwatch may hold it */
			strcpy(n->inv.hostname, names[i]);
	}
	struct report_msg f = report(9, 1, 1, REPORT_STAGE_FATAL);
	nodes_apply(nodes_get(t, f.node), &f, 1700000000000, 0x0100007f);
	return t;
}

static void test_outputs(void **state)
{
	(void)state;
	struct nodes *t = sample_table();
	char *hosts = capture(hostfile_fn, t);
	/* Up nodes only, sorted by address; the host is the address the reports came from (not
	 * the one claimed, not the name); a valid name is a comment, others none; no cores: the
	 * threads. */
	assert_string_equal(hosts, "10.0.0.0 slots=4 # zeta\n10.0.0.1 slots=8 # alpha\n"
				   "10.0.0.2 slots=16\n10.0.0.3 slots=24\n10.0.0.4 slots=32\n"
				   "10.0.0.5 slots=40\n10.0.0.6 slots=48\n10.0.0.7 slots=56\n");
	free(hosts);
	char *json = capture(json_fn, t);
	assert_non_null(strstr(json, "\"hostname\":\"mid\\\"<&>\""));
	assert_non_null(strstr(json, "\"state\":\"failed\""));
	assert_non_null(strstr(json, "\"ip\":\"127.0.0.1\""));
	assert_non_null(strstr(json, "\"ip\":\"10.0.0.4\""));
	assert_null(strstr(json, "192.168.9."));
	assert_null(strstr(json, "slots"));
	assert_non_null(strstr(json, "\"stages_ms\":{\"switch-root\":1600}"));
	free(json);
	char *table = capture(table_fn, t);
	assert_non_null(strstr(table, "9 nodes: 0 booting, 8 up, 0 shutting-down, 0 down, 1 failed, 0 lost"));
	free(table);
	char *svg = capture(svg_fn, t);
	assert_non_null(strstr(svg, "mid\"&lt;&amp;&gt;"));
	assert_null(strstr(svg, "<&>"));
	assert_non_null(strstr(svg, "</svg>"));
	free(svg);
	nodes_free(t);
}

static struct report_msg guardian_report(uint64_t boot, uint32_t seq, const char *text)
{
	struct report_msg m = report(3, boot, seq, REPORT_STAGE_HEARTBEAT);
	m.flags = REPORT_FLAG_GUARDIAN;
	strcpy(m.text, text);
	return m;
}

/* The node's own count wins (a late report does not lower it), a new boot starts from 0, the
 * restore is not an error, and status shows it. */
static void test_guardian_restores(void **state)
{
	(void)state;
	struct nodes *t = nodes_new(4);
	struct report_msg m = guardian_report(1, 5, "2 restored: eth0 lost address (notified) 3 ms");
	struct node *n = nodes_get(t, m.node);
	nodes_apply(n, &m, 1700000000000, 0);
	assert_int_equal(n->guardian_restores, 2);
	assert_string_equal(n->guardian_text, m.text);
	assert_int_equal(n->error, 0);
	assert_string_equal(n->error_text, "");
	assert_int_equal(nodes_state(n, 1700000000100, &limits), NODE_UP);
	m = guardian_report(1, 4, "1 restored: eth0 lost link (polled) 9 ms");
	nodes_apply(n, &m, 1700000000001, 0);
	assert_int_equal(n->guardian_restores, 2);
	m = guardian_report(1, 6, "5 restored: eth0 lost route (notified) 1 ms");
	nodes_apply(n, &m, 1700000000002, 0);
	assert_int_equal(n->guardian_restores, 5);
	assert_string_equal(n->guardian_text, "5 restored: eth0 lost route (notified) 1 ms");
	/* No count in the text (another sender): one more. */
	m = guardian_report(1, 7, "restored");
	nodes_apply(n, &m, 1700000000003, 0);
	assert_int_equal(n->guardian_restores, 6);
	char *json = capture(json_fn, t);
	assert_non_null(strstr(json, "\"guardian_restores\":6,\"guardian_text\":\"restored\""));
	free(json);
	char *table = capture(table_fn, t);
	assert_non_null(strstr(table, "GUARD"));
	free(table);
	/* The same flag on a plain report without the bit: nothing counted. */
	m = report(3, 1, 8, REPORT_STAGE_HEARTBEAT);
	strcpy(m.text, "9 restored");
	nodes_apply(n, &m, 1700000000004, 0);
	assert_int_equal(n->guardian_restores, 6);
	m = guardian_report(2, 1, "1 restored: eth0 lost link (notified) 2 ms");
	nodes_apply(n, &m, 1700000000005, 0);
	assert_int_equal(n->guardian_restores, 1);
	nodes_free(t);
}

/* The counts survive a snapshot; a snapshot of the previous format (GWSTATE1, records without
 * the guardian fields) still loads. */
static void test_persist_guardian_and_v1_snapshot(void **state)
{
	(void)state;
	char *dir = temp_dir();
	struct nodes *t = nodes_new(10);
	int err;
	struct persist *p = persist_open(dir, t, &err);
	struct validate v = { .mac = gw_hmac_compute, .mac_ctx = hmac, .nodes = t };
	struct report_msg m = guardian_report(9, 1, "3 restored: eth0 lost link address (notified) 7 ms");
	accept_report(&v, p, &m);
	assert_int_equal(persist_compact(p, t), 0);
	persist_close(p);
	struct node before = *nodes_at(t, 0);
	assert_int_equal(before.guardian_restores, 3);
	struct nodes *r = nodes_new(10);
	assert_int_equal(persist_load(dir, r), 0);
	assert_memory_equal(nodes_find(r, before.mac), &before, sizeof(before));
	/* Rewrite it as the old format: old magic, each record cut before the new fields. */
	char path[300];
	snprintf(path, sizeof(path), "%s/snapshot", dir);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	FILE *f = fopen(path, "r+b");
	fwrite("GWSTATE1", 1, 8, f);
	fclose(f);
	assert_int_equal(truncate(path, st.st_size - 4 - (REPORT_TEXT_MAX + 1)), 0);
	nodes_clear(r);
	assert_int_equal(persist_load(dir, r), 0);
	struct node *old = nodes_find(r, before.mac);
	assert_non_null(old);
	assert_int_equal(old->guardian_restores, 0);
	assert_int_equal(old->boot_id, before.boot_id);
	assert_int_equal(old->last_stage, REPORT_STAGE_HEARTBEAT);
	nodes_free(r);
	nodes_free(t);
	remove_dir(dir);
}

/* The 0.8 inventory fields survive a snapshot (GWSTATE4); a GWSTATE3 snapshot (records
 * without them) still loads, with them 0. */
static void test_persist_sockets_and_v3_snapshot(void **state)
{
	(void)state;
	char *dir = temp_dir();
	struct nodes *t = nodes_new(10);
	int err;
	struct persist *p = persist_open(dir, t, &err);
	struct validate v = { .mac = gw_hmac_compute, .mac_ctx = hmac, .nodes = t };
	struct report_msg m = report(3, 7, 1, REPORT_STAGE_SWITCH_ROOT);
	m.flags = REPORT_FLAG_INVENTORY;
	m.inv.cores = 4;
	m.inv.threads = 4;
	m.inv.sockets = 2;
	m.inv.page_kib = 4;
	m.inv.mem_pages = 1007234;
	accept_report(&v, p, &m);
	assert_int_equal(persist_compact(p, t), 0);
	persist_close(p);
	struct nodes *r = nodes_new(10);
	assert_int_equal(persist_load(dir, r), 0);
	struct node *n = nodes_find(r, m.node);
	assert_non_null(n);
	assert_int_equal(n->inv.sockets, 2);
	assert_int_equal(n->inv.page_kib, 4);
	assert_int_equal(n->inv.mem_pages, 1007234);
	char path[300];
	snprintf(path, sizeof(path), "%s/snapshot", dir);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	FILE *f = fopen(path, "r+b");
	fwrite("GWSTATE3", 1, 8, f);
	fclose(f);
	assert_int_equal(truncate(path, st.st_size - 8), 0);
	nodes_clear(r);
	assert_int_equal(persist_load(dir, r), 0);
	n = nodes_find(r, m.node);
	assert_non_null(n);
	assert_int_equal(n->inv.sockets, 0);
	assert_int_equal(n->inv.mem_pages, 0);
	assert_int_equal(n->inv.cores, 4);
	nodes_free(r);
	nodes_free(t);
	remove_dir(dir);
}

/* slurm-nodes: slurmd -C's arithmetic. RealMemory as slurmd's get_memory() computes it, a
 * float included: 2^25 - 1 pages of 4 KiB are 131071.996 MiB, and slurmd says 131072 (the
 * float rounds the pages up), not the 131071 a node's mem_mib (bytes >> 20) holds. */
static void test_slurm_node_line(void **state)
{
	(void)state;
	assert_int_equal(slurm_real_memory(6170880, 4, 1), 24105);
	assert_int_equal(slurm_real_memory(33554431, 4, 131071), 131072);
	assert_int_equal(slurm_real_memory(0, 0, 3934), 3934); /* a node before 0.8: its MiB */
	struct node n;
	memset(&n, 0, sizeof(n));
	struct slurm_node s;
	assert_int_equal(slurm_node_from(&n, "w1", &s), -ENODATA);
	n.has_inventory = 1;
	n.src_ip = htonl(0x0a420b0c);
	n.inv.threads = 16;
	n.inv.cores = 8;
	n.inv.sockets = 2;
	n.inv.page_kib = 4;
	n.inv.mem_pages = 1007234;
	assert_int_equal(slurm_node_from(&n, "w1", &s), 0);
	assert_string_equal(s.addr, "10.66.11.12");
	assert_int_equal(s.cpus, 16);
	assert_int_equal(s.sockets, 2);
	assert_int_equal(s.cores_per_socket, 4);
	assert_int_equal(s.threads_per_core, 2);
	assert_int_equal(s.real_memory, 3934);
	n.inv.sockets = 3; /* does not divide the cores: not guessed at */
	assert_int_equal(slurm_node_from(&n, "w1", &s), 0);
	assert_int_equal(s.sockets, 0);
	assert_int_equal(s.cpus, 16);
}

/* --- protocol v2: the freshness proof (docs/protocol.md, "Freshness") --- */

static struct gw_hmac *nonce_key(uint8_t seed)
{
	uint8_t k[32];
	memset(k, seed, sizeof(k));
	return gw_hmac_new(k, sizeof(k));
}

static struct report_msg report2(unsigned node, uint64_t boot, uint32_t seq, unsigned stage,
				 const uint8_t *nonce)
{
	struct report_msg m = report(node, boot, seq, stage);
	m.version = 2;
	if (nonce)
		memcpy(m.nonce, nonce, REPORT_NONCE_LEN);
	return m;
}

/* Validates m as serve does (log and apply what is accepted, log the openers); returns the
 * verdict, and the nonce the ack carries in ack_nonce. */
static enum report_reject serve_one(struct validate *v, struct persist *p, const struct report_msg *m,
				    uint8_t ack_nonce[REPORT_NONCE_LEN], int64_t wall)
{
	uint8_t buf[REPORT_WIRE_MAX];
	size_t n = encode(m, buf);
	struct report_msg d;
	struct node *node;
	enum report_reject why = validate_datagram(v, buf, n, 1, &d, &node);
	if (p && (why == REPORT_OK || why == REPORT_TENTATIVE))
		assert_int_equal(persist_log(p, buf, n, wall, 0x0100007f), 0);
	if (why == REPORT_OK)
		nodes_apply(node, &d, wall, 0x0100007f);
	if (ack_nonce)
		memcpy(ack_nonce, d.nonce, REPORT_NONCE_LEN);
	return why;
}

/* A boot as a v2 node makes it: an opener with zeros, acked with the nonce, then reports
 * that echo it. Returns the nonce. */
static void boot2(struct validate *v, struct persist *p, unsigned node, uint64_t boot, int64_t wall,
		  uint8_t nonce[REPORT_NONCE_LEN])
{
	struct report_msg m = report2(node, boot, 1, REPORT_STAGE_BOOT, NULL);
	assert_int_equal(serve_one(v, p, &m, nonce, wall), REPORT_TENTATIVE);
	assert_false(report_nonce_zero(nonce));
	m = report2(node, boot, 2, REPORT_STAGE_MODULES, nonce);
	assert_int_equal(serve_one(v, p, &m, NULL, wall + 1), REPORT_OK);
	m = report2(node, boot, 3, REPORT_STAGE_SWITCH_ROOT, nonce);
	assert_int_equal(serve_one(v, p, &m, NULL, wall + 2), REPORT_OK);
}

static void test_v2_tentative_until_echo(void **state)
{
	(void)state;
	struct nodes *t = nodes_new(8);
	struct gw_hmac *nk = nonce_key(7);
	struct validate v = { .mac = gw_hmac_compute, .mac_ctx = hmac, .nonce_mac = gw_hmac_compute,
			      .nonce_ctx = nk, .nodes = t };
	uint8_t nonce[REPORT_NONCE_LEN], again[REPORT_NONCE_LEN], wrong[REPORT_NONCE_LEN];
	/* The opener: acked with a nonce, no record (nothing in status, nothing to fill). */
	struct report_msg m = report2(5, 100, 1, REPORT_STAGE_BOOT, NULL);
	assert_int_equal(serve_one(&v, NULL, &m, nonce, 1000), REPORT_TENTATIVE);
	assert_int_equal(nodes_count(t), 0);
	/* Its retransmit (the ack was lost) gets the same nonce: nothing is kept to lose. */
	assert_int_equal(serve_one(&v, NULL, &m, again, 1001), REPORT_TENTATIVE);
	assert_memory_equal(nonce, again, REPORT_NONCE_LEN);
	/* A later report with zeros (the node had no ack yet): the same nonce too. */
	m = report2(5, 100, 2, REPORT_STAGE_MODULES, NULL);
	assert_int_equal(serve_one(&v, NULL, &m, again, 1002), REPORT_TENTATIVE);
	assert_memory_equal(nonce, again, REPORT_NONCE_LEN);
	/* A wrong nonce: not applied, acked with the right one. */
	memset(wrong, 0x33, sizeof(wrong));
	m = report2(5, 100, 3, REPORT_STAGE_LINK, wrong);
	assert_int_equal(serve_one(&v, NULL, &m, again, 1003), REPORT_REJECT_STALE_NONCE);
	assert_memory_equal(nonce, again, REPORT_NONCE_LEN);
	assert_int_equal(nodes_count(t), 0);
	/* The echo: the boot is confirmed, and the record keeps the nonce. */
	m = report2(5, 100, 4, REPORT_STAGE_LEASE, nonce);
	assert_int_equal(serve_one(&v, NULL, &m, again, 1004), REPORT_OK);
	assert_memory_equal(nonce, again, REPORT_NONCE_LEN);
	struct node *n = nodes_find(t, m.node);
	assert_non_null(n);
	assert_true(n->boot_id == 100);
	assert_int_equal(n->protocol, 2);
	assert_int_equal(n->boots, 1);
	assert_memory_equal(n->nonce, nonce, REPORT_NONCE_LEN);
	/* After it: the opener again is acked with the boot's nonce, changes nothing; a stale
	 * nonce is refused; a retransmit of an accepted report is acked again. */
	m = report2(5, 100, 1, REPORT_STAGE_BOOT, NULL);
	assert_int_equal(serve_one(&v, NULL, &m, again, 1005), REPORT_TENTATIVE);
	assert_memory_equal(nonce, again, REPORT_NONCE_LEN);
	m = report2(5, 100, 5, REPORT_STAGE_ROOT_MOUNTED, wrong);
	assert_int_equal(serve_one(&v, NULL, &m, NULL, 1006), REPORT_REJECT_STALE_NONCE);
	m = report2(5, 100, 4, REPORT_STAGE_LEASE, nonce);
	assert_int_equal(serve_one(&v, NULL, &m, again, 1007), REPORT_REJECT_REPLAYED);
	assert_memory_equal(nonce, again, REPORT_NONCE_LEN);
	assert_int_equal(n->last_stage, REPORT_STAGE_LEASE);
	assert_int_equal(v.rejected[REPORT_TENTATIVE], 4);
	assert_int_equal(v.rejected[REPORT_REJECT_STALE_NONCE], 2);
	assert_int_equal(v.accepted, 1);
	assert_int_equal(v.accepted_v1, 0);
	/* Without a nonce key (a receiver that cannot check) v2 is refused, never taken as v1. */
	struct validate bare = { .mac = gw_hmac_compute, .mac_ctx = hmac, .nodes = t };
	m = report2(5, 100, 9, REPORT_STAGE_HEARTBEAT, nonce);
	assert_int_equal(serve_one(&bare, NULL, &m, NULL, 1008), REPORT_REJECT_BAD_VERSION);
	/* --require-v2 refuses v1. */
	v.require_v2 = true;
	m = report(6, 200, 1, REPORT_STAGE_BOOT);
	assert_int_equal(serve_one(&v, NULL, &m, NULL, 1009), REPORT_REJECT_BAD_VERSION);
	gw_hmac_free(nk);
	nodes_free(t);
}

/* Issue 17: the reports of a captured earlier boot, replayed after the node rebooted (more
 * than NODES_PREV_BOOTS times, so the boot id is forgotten), change nothing. With v1 they
 * take the record over: the documented difference. */
static void test_v2_replay_of_earlier_boot(void **state)
{
	(void)state;
	struct nodes *t = nodes_new(8);
	struct gw_hmac *nk = nonce_key(9);
	struct validate v = { .mac = gw_hmac_compute, .mac_ctx = hmac, .nonce_mac = gw_hmac_compute,
			      .nonce_ctx = nk, .nodes = t };
	uint8_t n1[REPORT_NONCE_LEN], nb[REPORT_NONCE_LEN];
	boot2(&v, NULL, 5, 1000, 10000, n1); /* the boot the attacker captures */
	struct report_msg cap[3] = { report2(5, 1000, 1, REPORT_STAGE_BOOT, NULL),
				     report2(5, 1000, 2, REPORT_STAGE_MODULES, n1),
				     report2(5, 1000, 3, REPORT_STAGE_SWITCH_ROOT, n1) };
	for (unsigned b = 1; b <= NODES_PREV_BOOTS + 1; b++)
		boot2(&v, NULL, 5, 1000 + b, 10000 + 10 * b, nb);
	struct node *n = nodes_find(t, cap[0].node), before = *n;
	assert_true(n->boot_id == 1000 + NODES_PREV_BOOTS + 1);
	assert_true(nodes_replay_check(n, 1000, 1) == REPORT_OK); /* forgotten by the window */
	assert_int_equal(serve_one(&v, NULL, &cap[0], NULL, 99999), REPORT_TENTATIVE);
	assert_int_equal(serve_one(&v, NULL, &cap[1], NULL, 99999), REPORT_REJECT_STALE_NONCE);
	assert_int_equal(serve_one(&v, NULL, &cap[2], NULL, 99999), REPORT_REJECT_STALE_NONCE);
	assert_memory_equal(n, &before, sizeof(before));
	/* The same with v1 reports: the replay is taken as a new boot. */
	struct nodes *t1 = nodes_new(8);
	struct validate v1 = { .mac = gw_hmac_compute, .mac_ctx = hmac, .nodes = t1 };
	for (unsigned b = 0; b <= NODES_PREV_BOOTS + 1; b++) {
		struct report_msg m = report(5, 1000 + b, 1, REPORT_STAGE_BOOT);
		assert_int_equal(serve_one(&v1, NULL, &m, NULL, 10000 + 10 * b), REPORT_OK);
	}
	struct report_msg old = report(5, 1000, 1, REPORT_STAGE_BOOT);
	assert_int_equal(serve_one(&v1, NULL, &old, NULL, 99999), REPORT_OK);
	assert_true(nodes_find(t1, old.node)->boot_id == 1000);
	assert_int_equal(v1.accepted_v1, NODES_PREV_BOOTS + 3);
	nodes_free(t1);
	gw_hmac_free(nk);
	nodes_free(t);
}

/* The log and the snapshot carry v2: openers are skipped on load as serve applied nothing,
 * the current boot's nonce survives a restart (whose nonce key is new), and a reload sees
 * the same table. */
static void test_v2_persist_and_restart(void **state)
{
	(void)state;
	char *dir = temp_dir();
	struct nodes *t = nodes_new(8);
	int err;
	struct persist *p = persist_open(dir, t, &err);
	assert_non_null(p);
	struct gw_hmac *nk = nonce_key(1);
	struct validate v = { .mac = gw_hmac_compute, .mac_ctx = hmac, .nonce_mac = gw_hmac_compute,
			      .nonce_ctx = nk, .nodes = t };
	uint8_t nonce[REPORT_NONCE_LEN], ack[REPORT_NONCE_LEN];
	boot2(&v, p, 3, 500, 1700000000000, nonce);
	struct report_msg m = report2(4, 600, 1, REPORT_STAGE_BOOT, NULL); /* only an opener */
	assert_int_equal(serve_one(&v, p, &m, NULL, 1700000000100), REPORT_TENTATIVE);
	assert_int_equal(persist_flush(p), 0);
	/* A reader of the log alone (kill -9): node 3 confirmed, node 4 nowhere. */
	struct nodes *r = nodes_new(8);
	assert_int_equal(persist_load(dir, r), 0);
	assert_int_equal(nodes_count(r), 1);
	struct node *n = nodes_find(r, m.node);
	assert_null(n);
	m.node[5] = 3;
	n = nodes_find(r, m.node);
	assert_non_null(n);
	assert_int_equal(n->protocol, 2);
	assert_memory_equal(n->nonce, nonce, REPORT_NONCE_LEN);
	assert_int_equal(n->last_stage, REPORT_STAGE_SWITCH_ROOT);
	/* Restart: snapshot written and read back; a new nonce key; the running boot goes on. */
	persist_close(p);
	struct nodes *t2 = nodes_new(8);
	struct persist *p2 = persist_open(dir, t2, &err);
	assert_non_null(p2);
	struct gw_hmac *nk2 = nonce_key(2);
	struct validate v2 = { .mac = gw_hmac_compute, .mac_ctx = hmac, .nonce_mac = gw_hmac_compute,
			       .nonce_ctx = nk2, .nodes = t2 };
	m = report2(3, 500, 4, REPORT_STAGE_HEARTBEAT, nonce);
	assert_int_equal(serve_one(&v2, p2, &m, ack, 1700000000200), REPORT_OK);
	assert_memory_equal(ack, nonce, REPORT_NONCE_LEN);
	/* The node whose opener the old run acked echoes a nonce of the old key: acked with the
	 * new one, and confirmed on its next report. */
	uint8_t old_nonce[REPORT_NONCE_LEN];
	m = report2(4, 600, 1, REPORT_STAGE_BOOT, NULL);
	assert_int_equal(serve_one(&v, NULL, &m, old_nonce, 1), REPORT_TENTATIVE); /* old key */
	m = report2(4, 600, 2, REPORT_STAGE_MODULES, old_nonce);
	assert_int_equal(serve_one(&v2, p2, &m, ack, 1700000000300), REPORT_REJECT_STALE_NONCE);
	assert_memory_not_equal(ack, old_nonce, REPORT_NONCE_LEN);
	m = report2(4, 600, 3, REPORT_STAGE_LINK, ack);
	assert_int_equal(serve_one(&v2, p2, &m, NULL, 1700000000400), REPORT_OK);
	assert_int_equal(persist_compact(p2, t2), 0);
	persist_close(p2);
	nodes_clear(r);
	assert_int_equal(persist_load(dir, r), 0);
	assert_int_equal(nodes_count(r), 2);
	assert_int_equal(nodes_find(r, m.node)->protocol, 2);
	assert_memory_equal(nodes_find(r, m.node)->nonce, ack, REPORT_NONCE_LEN);
	gw_hmac_free(nk);
	gw_hmac_free(nk2);
	nodes_free(r);
	nodes_free(t2);
	nodes_free(t);
	remove_dir(dir);
}

/* serve --cluster: the generator's node list, and what it binds. */
static void test_cluster_list(void **state)
{
	(void)state;
	static const char text[] = "# name mac ip (- = from the dhcp-range)\n"
				   "w2 02:00:00:00:00:02 127.0.0.2\n"
				   "\tw1  02:00:00:00:00:01   127.0.0.9  # a comment\n"
				   "\n"
				   "w3 02:00:00:00:00:03 -";
	struct cluster_node out[8];
	unsigned line;
	assert_int_equal(cluster_parse(text, strlen(text), out, 8, &line), 3);
	struct cluster_list l = { out, 3 };
	uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
	const struct cluster_node *w1 = cluster_find(&l, mac);
	assert_non_null(w1);
	assert_string_equal(w1->name, "w1");
	assert_true(w1->ip == inet_addr("127.0.0.9"));
	mac[5] = 3;
	assert_true(cluster_find(&l, mac)->ip == 0);
	mac[5] = 4;
	assert_null(cluster_find(&l, mac));
	struct cluster_node scratch[8]; /* the refused parses write here, l stays as it is */
	assert_int_equal(cluster_parse(text, strlen(text), scratch, 2, &line), -E2BIG);
	static const char *const bad[] = {
		"w1 02:00:00:00:00:01\n",                          /* two fields */
		"w1 02:00:00:00:00:01 10.0.0.1 x\n",               /* four */
		"w_1 02:00:00:00:00:01 10.0.0.1\n",                /* not a host name */
		"w1 02:00:00:00:00 10.0.0.1\n",                    /* short MAC */
		"w1 02-00-00-00-00-01 10.0.0.1\n",                 /* separator */
		"w1 02:00:00:00:00:01 10.0.0\n",                   /* address */
		"w1 02:00:00:00:00:01 0.0.0.0\n",                  /* no address */
		"w1 02:00:00:00:00:01 -\nw2 02:00:00:00:00:01 -\n", /* a MAC twice */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (cluster_parse(bad[i], strlen(bad[i]), scratch, 8, &line) != -EINVAL)
			fail_msg("accepted: '%s'", bad[i]);
	assert_int_equal(cluster_parse("ok 02:00:00:00:00:01 -\nbad\n", 27, scratch, 8, &line), -EINVAL);
	assert_int_equal(line, 2);
	assert_int_equal(cluster_parse("w1 02:00:00:00:00:01\0 -\n", 24, scratch, 8, &line), -EINVAL);

	/* A listed node's report from another source: wrong_source, no record; from its own
	 * address: accepted. A node listed without an address, or not listed: any source. */
	struct nodes *t = nodes_new(8);
	struct validate v = { .mac = gw_hmac_compute, .mac_ctx = hmac, .nodes = t, .cluster = &l };
	uint8_t buf[REPORT_WIRE_MAX];
	struct report_msg m = report(1, 100, 1, REPORT_STAGE_BOOT), d;
	struct node *node;
	size_t n = encode(&m, buf);
	v.src = inet_addr("127.0.0.1");
	assert_int_equal(validate_datagram(&v, buf, n, 0, &d, &node), REPORT_REJECT_WRONG_SOURCE);
	assert_int_equal(nodes_count(t), 0);
	v.src = inet_addr("127.0.0.9");
	assert_int_equal(validate_datagram(&v, buf, n, 0, &d, &node), REPORT_OK);
	nodes_apply(node, &d, 1700000000000, v.src);
	m = report(3, 100, 1, REPORT_STAGE_SWITCH_ROOT);
	n = encode(&m, buf);
	v.src = inet_addr("127.0.0.77");
	assert_int_equal(validate_datagram(&v, buf, n, 0, &d, &node), REPORT_OK);
	nodes_apply(node, &d, 1700000000000, v.src);
	m = report(5, 100, 1, REPORT_STAGE_SWITCH_ROOT);
	n = encode(&m, buf);
	assert_int_equal(validate_datagram(&v, buf, n, 0, &d, &node), REPORT_OK);
	nodes_apply(node, &d, 1700000000000, v.src);
	assert_int_equal(v.rejected[REPORT_REJECT_WRONG_SOURCE], 1);
	assert_string_equal(report_reject_name(REPORT_REJECT_WRONG_SOURCE), "wrong_source");
	/* Node 5 is not listed: shown (status, JSON), never in the hostfile. */
	cluster_mark(&l, t);
	mac[5] = 5;
	assert_true(nodes_find(t, mac)->unlisted);
	mac[5] = 3;
	assert_false(nodes_find(t, mac)->unlisted);
	char *out_text = NULL;
	size_t out_len = 0;
	FILE *f = open_memstream(&out_text, &out_len);
	assert_int_equal(hostfile_print(f, t, 1700000000000, &limits), 1);
	status_print_table(f, t, 1700000000000, &limits, 0);
	status_print_json(f, t, 1700000000000, &limits, 0);
	fclose(f);
	assert_non_null(strstr(out_text, "127.0.0.77 slots=1\n"));
	assert_null(strstr(out_text, "127.0.0.77 slots=1\n127")); /* only node 3 */
	assert_non_null(strstr(out_text, "1 not in the cluster file (serve --cluster), never in the hostfile: 02:00:00:00:00:05\n"));
	assert_non_null(strstr(out_text, "{\"node\":\"02:00:00:00:00:05\",\"listed\":false"));
	assert_non_null(strstr(out_text, "{\"node\":\"02:00:00:00:00:03\",\"listed\":true"));
	free(out_text);
	/* Saved beside the state and read back the same. */
	char *dir = temp_dir(), path[128];
	snprintf(path, sizeof(path), "%s/cluster", dir);
	assert_int_equal(cluster_save(path, &l), 0);
	struct cluster_list back;
	assert_int_equal(cluster_load(path, &back, &line), 0);
	assert_int_equal(back.count, 3);
	assert_memory_equal(back.nodes, out, 3 * sizeof(out[0]));
	cluster_free(&back);
	remove_dir(dir);
	nodes_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hmac_known_answer),
		cmocka_unit_test(test_hmac_matches_openssl),
		cmocka_unit_test(test_node_keys),
		cmocka_unit_test(test_master_secret_file),
		cmocka_unit_test(test_guardian_restores),
		cmocka_unit_test(test_persist_guardian_and_v1_snapshot),
		cmocka_unit_test(test_persist_sockets_and_v3_snapshot),
		cmocka_unit_test(test_slurm_node_line),
		cmocka_unit_test(test_table_grows_and_finds),
		cmocka_unit_test(test_replay_window),
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_validate_order_and_counts),
		cmocka_unit_test(test_ratelimit_refills),
		cmocka_unit_test(test_persist_log_survives_without_snapshot),
		cmocka_unit_test(test_persist_short_write_then_retry),
		cmocka_unit_test(test_persist_snapshot_round_trip_and_torn_log),
		cmocka_unit_test(test_outputs),
		cmocka_unit_test(test_v2_tentative_until_echo),
		cmocka_unit_test(test_v2_replay_of_earlier_boot),
		cmocka_unit_test(test_v2_persist_and_restart),
		cmocka_unit_test(test_cluster_list),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
