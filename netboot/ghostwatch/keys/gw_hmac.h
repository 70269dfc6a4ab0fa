/* HMAC-SHA256 on the master with OpenSSL's libcrypto: with one key, the key is set once and
 * each tag reuses the keyed context; with per-node keys, the context is keyed for the node
 * named in the datagram's header. */
#ifndef GW_HMAC_H
#define GW_HMAC_H

#include <stddef.h>
#include <stdint.h>

#include "report/report_wire.h"

struct gw_hmac;

/* One key for every node. keylen 0: the empty key (--insecure). NULL on failure. */
struct gw_hmac *gw_hmac_new(const uint8_t *key, size_t keylen);
/* Per-node keys from the master secret (node_key.h), the node taken from each datagram's
 * header: a tag made with node A's key does not verify for node B. cache_keys: how many
 * nodes whose keys to keep ready (at most 16384, 72 bytes each). NULL on failure. */
struct gw_hmac *gw_hmac_new_per_node(const uint8_t *secret, size_t len, uint32_t cache_keys);
/* Node keys derived so far (cache misses), for the bench. */
uint64_t gw_hmac_derivations(const struct gw_hmac *h);
/* A report_mac_fn; ctx is a struct gw_hmac. */
int gw_hmac_compute(void *ctx, const uint8_t *data, size_t len, uint8_t tag[REPORT_WIRE_TAG]);
void gw_hmac_free(struct gw_hmac *h);
/* Reads a cluster key file (32-128 hex digits, as the workers' ghost.key= file). Returns the
 * key length or -errno (-EINVAL: not a key). */
int gw_hmac_load_key(const char *path, uint8_t key[REPORT_KEY_MAX]);

#endif
