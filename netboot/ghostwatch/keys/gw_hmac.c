/* HMAC-SHA256 (RFC 2104) from precomputed states: a key is reduced once to the SHA-256 state
 * after its inner pad block and the one after its outer pad block, so a tag costs the message's
 * blocks plus one, with no per-message key schedule. With per-node keys the key changes with
 * the datagram's node id, and OpenSSL's EVP_MAC_init(key) cost ~1 us a datagram: too slow for
 * 500 k reports/s. So the states are built here on libcrypto's SHA256 block functions
 * (deprecated in OpenSSL 3 but present; SHA256_CTX is a public struct), and each node's states
 * (72 bytes) are kept in a small 4-way cache; a miss derives the key (HKDF-Expand: one HMAC
 * from the PRK's states) and its states, about 0.3 us. tests/unit/test_ghostwatch.c checks
 * the tags against RFC 4231 and the keys against OpenSSL's EVP_KDF HKDF. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include "keys/gw_hmac.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>

#include "keys/node_key.h"

#define CACHE_WAYS 4
#define CACHE_SETS_MAX 4096 /* 16384 nodes' states, 1.2 MB: the RSS budget has little room */
#define NODE_ID_AT 4        /* the node id's offset in every datagram (docs/protocol.md) */
#define BLOCK 64

struct hmac_states {
	uint32_t inner[8], outer[8];
}; /* 64 bytes: one cache line */

/* A lookup reads one line of tags, then (on a hit) one line of states: with 100 000 nodes
 * reporting in turn the cost is memory, not SHA-256. */
struct cache_set {
	uint8_t mac[CACHE_WAYS][REPORT_NODE_LEN];
	uint8_t used; /* bit w: way w holds a node */
	uint8_t next; /* the way to replace next */
};

struct gw_hmac {
	struct hmac_states key; /* one key for every node, or HKDF's PRK with per-node keys */
	int per_node;
	struct cache_set *sets;
	struct hmac_states *states; /* CACHE_WAYS per set */
	unsigned set_bits;
	uint64_t derivations;
};

/* The SHA-256 state after one block of key ^ pad. */
static void pad_state(const uint8_t *key, size_t len, uint8_t pad, uint32_t out[8])
{
	uint8_t block[BLOCK];
	SHA256_CTX c;
	memset(block, pad, sizeof(block));
	for (size_t i = 0; i < len; i++)
		block[i] ^= key[i];
	SHA256_Init(&c);
	SHA256_Update(&c, block, sizeof(block));
	memcpy(out, c.h, sizeof(c.h));
	memset(block, 0, sizeof(block));
	memset(&c, 0, sizeof(c));
}

static void states_of(const uint8_t *key, size_t len, struct hmac_states *st)
{
	pad_state(key, len, 0x36, st->inner);
	pad_state(key, len, 0x5c, st->outer);
}

/* Resumes SHA-256 after one block: the state and a byte count of 64. */
static void resume(SHA256_CTX *c, const uint32_t h[8])
{
	SHA256_Init(c);
	memcpy(c->h, h, sizeof(c->h));
	c->Nl = BLOCK * 8;
}

static void hmac(const struct hmac_states *st, const uint8_t *data, size_t len,
		 uint8_t out[SHA256_DIGEST_LENGTH])
{
	SHA256_CTX c;
	uint8_t inner[SHA256_DIGEST_LENGTH];
	resume(&c, st->inner);
	SHA256_Update(&c, data, len);
	SHA256_Final(inner, &c);
	resume(&c, st->outer);
	SHA256_Update(&c, inner, sizeof(inner));
	SHA256_Final(out, &c);
}

struct gw_hmac *gw_hmac_new(const uint8_t *key, size_t keylen)
{
	if (keylen > BLOCK)
		return NULL; /* REPORT_KEY_MAX is one block: longer keys would need hashing */
	struct gw_hmac *h = calloc(1, sizeof(*h));
	if (h)
		states_of(key, keylen, &h->key);
	return h;
}

struct gw_hmac *gw_hmac_new_per_node(const uint8_t *secret, size_t len, uint32_t cache_keys)
{
	uint8_t prk[NODE_KEY_LEN];
	if (!len || node_key_prk(secret, len, prk))
		return NULL;
	struct gw_hmac *h = gw_hmac_new(prk, sizeof(prk));
	memset(prk, 0, sizeof(prk));
	if (!h)
		return NULL;
	h->per_node = 1;
	while (((uint32_t)CACHE_WAYS << h->set_bits) < cache_keys && (1u << h->set_bits) < CACHE_SETS_MAX)
		h->set_bits++;
	h->sets = calloc((size_t)1 << h->set_bits, sizeof(*h->sets));
	h->states = aligned_alloc(64, ((size_t)CACHE_WAYS << h->set_bits) * sizeof(*h->states));
	if (!h->sets || !h->states) {
		gw_hmac_free(h);
		return NULL;
	}
	return h;
}

/* Node mac's HMAC states: from the cache, or derived (and cached). */
static const struct hmac_states *node_states(struct gw_hmac *h, const uint8_t mac[REPORT_NODE_LEN])
{
	uint64_t id = 0;
	for (int i = 0; i < REPORT_NODE_LEN; i++)
		id = id << 8 | mac[i];
	/* Fibonacci hashing: the product's top bits are the well-mixed ones. */
	uint32_t set = h->set_bits ? (uint32_t)((id * 0x9e3779b97f4a7c15ull) >> (64 - h->set_bits)) : 0;
	struct cache_set *s = &h->sets[set];
	struct hmac_states *states = &h->states[(size_t)set * CACHE_WAYS];
	for (int w = 0; w < CACHE_WAYS; w++)
		if ((s->used >> w & 1) && !memcmp(s->mac[w], mac, REPORT_NODE_LEN))
			return &states[w];
	unsigned w = s->next++ % CACHE_WAYS;
	uint8_t info[NODE_KEY_INFO_LEN], key[SHA256_DIGEST_LENGTH];
	node_key_info(mac, info);
	hmac(&h->key, info, sizeof(info), key); /* HKDF-Expand, one block (RFC 5869 2.3) */
	states_of(key, NODE_KEY_LEN, &states[w]);
	memset(key, 0, sizeof(key));
	memcpy(s->mac[w], mac, REPORT_NODE_LEN);
	s->used |= (uint8_t)(1u << w);
	h->derivations++;
	return &states[w];
}

int gw_hmac_compute(void *ctx, const uint8_t *data, size_t len, uint8_t tag[REPORT_WIRE_TAG])
{
	struct gw_hmac *h = ctx;
	const struct hmac_states *st = &h->key;
	if (h->per_node) {
		if (len < NODE_ID_AT + REPORT_NODE_LEN)
			return -EINVAL;
		st = node_states(h, data + NODE_ID_AT);
	}
	hmac(st, data, len, tag);
	return 0;
}

uint64_t gw_hmac_derivations(const struct gw_hmac *h) { return h->derivations; }

void gw_hmac_free(struct gw_hmac *h)
{
	if (!h)
		return;
	if (h->states)
		memset(h->states, 0, ((size_t)CACHE_WAYS << h->set_bits) * sizeof(*h->states));
	free(h->states);
	free(h->sets);
	memset(h, 0, sizeof(*h));
	free(h);
}

int gw_hmac_load_key(const char *path, uint8_t key[REPORT_KEY_MAX])
{
	char text[4 * REPORT_KEY_MAX];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, text, sizeof(text));
	int err = errno;
	close(fd);
	if (n < 0)
		return -err;
	if ((size_t)n == sizeof(text))
		return -EINVAL; /* longer than any key */
	return report_wire_parse_key(text, (size_t)n, key);
}
