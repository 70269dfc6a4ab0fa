/* Per-node keys (docs/protocol.md, "Keys"): the master holds one secret; node N's key is
 * HKDF-SHA256(secret, salt "ghostboot node key v1", info "ghostboot node " + N's MAC), 32
 * bytes. A node's key signs only that node's reports, and the master keeps no table of keys. */
#ifndef GW_NODE_KEY_H
#define GW_NODE_KEY_H

#include <stddef.h>
#include <stdint.h>

#include "report/report_wire.h"

#define NODE_KEY_LEN 32
#define NODE_KEY_MASTER_DEFAULT "/etc/ghostboot/master.key"
#define NODE_KEY_MASTER_LEN 32 /* what node_key_create writes */

/* Node mac's key from the master secret. 0 or -EIO (libcrypto failed). */
int node_key_derive(const uint8_t *secret, size_t len, const uint8_t mac[REPORT_NODE_LEN],
		    uint8_t key[NODE_KEY_LEN]);
/* The same in two steps, for ghostwatch's hot path: HKDF-Extract once per secret (prk), then
 * per node HKDF-Expand, which for 32 bytes is one HMAC-SHA256 keyed with prk over
 * node_key_info(mac) (RFC 5869 2.3: T(1) = HMAC(PRK, info | 0x01)). */
int node_key_prk(const uint8_t *secret, size_t len, uint8_t prk[NODE_KEY_LEN]);
#define NODE_KEY_INFO_LEN (15 + REPORT_NODE_LEN + 1)
void node_key_info(const uint8_t mac[REPORT_NODE_LEN], uint8_t info[NODE_KEY_INFO_LEN]);
/* Reads the master secret (32-128 hex digits). Returns its length, or -errno; -EPERM when the
 * file is not a regular file or group/others may read or write it (as ssh refuses its keys). */
int node_key_load_master(const char *path, uint8_t secret[REPORT_KEY_MAX]);
/* Creates a new random master secret at path, mode 0600, never over an existing file.
 * 0 or -errno (-EEXIST). */
int node_key_create_master(const char *path);

#endif
