/* The report tag for simulated nodes on a host whose kernel has no AF_ALG hash interface
 * (CONFIG_CRYPTO_USER_API_HASH off, as on this build machine): the same HMAC-SHA256 through
 * OpenSSL, behind agent/report_hmac.h, so every other line of the storm build is ghostinit's. */
#include "report_hmac.h"

#include <errno.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

/* One sender per process (report.c keeps one open): the key lives here, tfm only says open. */
static uint8_t hmac_key[REPORT_KEY_MAX];
static size_t hmac_keylen;

int report_hmac_open(struct report_hmac *h, const uint8_t *key, size_t keylen)
{
	if (keylen > sizeof(hmac_key))
		return -EINVAL;
	memcpy(hmac_key, key, keylen);
	hmac_keylen = keylen;
	h->tfm = 0;
	return 0;
}

int report_hmac_compute(void *ctx, const uint8_t *data, size_t len, uint8_t tag[REPORT_WIRE_TAG])
{
	unsigned out = 0;
	(void)ctx;
	if (!HMAC(EVP_sha256(), hmac_key, (int)hmac_keylen, data, len, tag, &out) || out != REPORT_WIRE_TAG)
		return -EIO;
	return 0;
}

void report_hmac_close(struct report_hmac *h)
{
	memset(hmac_key, 0, sizeof(hmac_key));
	hmac_keylen = 0;
	h->tfm = -1;
}
