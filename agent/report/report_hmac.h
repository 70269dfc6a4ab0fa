/* HMAC-SHA256 for the node's reports through the kernel's AF_ALG (modules af_alg and
 * algif_hash): no crypto code in ghostinit itself. */
#ifndef GHOST_REPORT_HMAC_H
#define GHOST_REPORT_HMAC_H

#include <stddef.h>
#include <stdint.h>

#include "report/report_wire.h"

struct report_hmac {
	int tfm; /* the bound, keyed transform socket; -1 when closed */
};

/* Binds hmac(sha256) with the key (keylen may be 0: no cluster key, integrity only).
 * Returns 0 or -errno (-EAFNOSUPPORT: no AF_ALG in this kernel, -ENOENT: no hmac(sha256)). */
int report_hmac_open(struct report_hmac *h, const uint8_t *key, size_t keylen);
/* A report_mac_fn: ctx is a struct report_hmac. */
int report_hmac_compute(void *ctx, const uint8_t *data, size_t len, uint8_t tag[REPORT_WIRE_TAG]);
void report_hmac_close(struct report_hmac *h);

#endif
