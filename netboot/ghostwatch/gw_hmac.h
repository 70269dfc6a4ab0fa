/* HMAC-SHA256 on the master with OpenSSL's libcrypto: the key is set once, each tag reuses
 * the keyed context (no per-message key schedule). */
#ifndef GW_HMAC_H
#define GW_HMAC_H

#include <stddef.h>
#include <stdint.h>

#include "report/report_wire.h"

struct gw_hmac;

/* keylen 0: the empty key (no cluster key configured). NULL on failure. */
struct gw_hmac *gw_hmac_new(const uint8_t *key, size_t keylen);
/* A report_mac_fn; ctx is a struct gw_hmac. */
int gw_hmac_compute(void *ctx, const uint8_t *data, size_t len, uint8_t tag[REPORT_WIRE_TAG]);
void gw_hmac_free(struct gw_hmac *h);
/* Reads a cluster key file (32-128 hex digits, as the workers' ghost.key= file). Returns the
 * key length or -errno (-EINVAL: not a key). */
int gw_hmac_load_key(const char *path, uint8_t key[REPORT_KEY_MAX]);

#endif
