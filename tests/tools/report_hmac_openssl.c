/* The report tag for simulated nodes on a host whose kernel has no AF_ALG hash interface
 * (CONFIG_CRYPTO_USER_API_HASH off, as on this build machine): the same HMAC-SHA256 through
 * OpenSSL, behind agent/report/report_hmac.h, so every other line of the storm build is ghostinit's. */
#include "report/report_hmac.h"

#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

/* One sender per process (report.c keeps one open): the key lives here, tfm only says open. */
static uint8_t hmac_key[REPORT_KEY_MAX];
static size_t hmac_keylen;

int report_hmac_open(struct report_hmac *h, const uint8_t *key, size_t keylen)
{
	if (keylen > sizeof(hmac_key))
		return -EINVAL;
	/* Neither openssl.cnf nor every cipher and digest: half of a storm node's user time went
	 * to OpenSSL's default initialisation (≈ 0.8 ms of its 1.6), which N nodes pay on the
	 * host's shared cores and a real node's AF_ALG path does not. */
	if (!OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_ADD_ALL_CIPHERS |
					 OPENSSL_INIT_NO_ADD_ALL_DIGESTS | OPENSSL_INIT_NO_ATEXIT,
				 NULL))
		return -EIO;
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
