/* OpenSSL 3 EVP_MAC "HMAC": EVP_MAC_init with a NULL key restarts from the keyed state. */
#include "gw_hmac.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdlib.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

struct gw_hmac {
	EVP_MAC *mac;
	EVP_MAC_CTX *ctx;
};

struct gw_hmac *gw_hmac_new(const uint8_t *key, size_t keylen)
{
	static const uint8_t empty[1];
	struct gw_hmac *h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0),
		OSSL_PARAM_construct_end(),
	};
	h->mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	h->ctx = h->mac ? EVP_MAC_CTX_new(h->mac) : NULL;
	if (!h->ctx || !EVP_MAC_init(h->ctx, keylen ? key : empty, keylen, params)) {
		gw_hmac_free(h);
		return NULL;
	}
	return h;
}

int gw_hmac_compute(void *ctx, const uint8_t *data, size_t len, uint8_t tag[REPORT_WIRE_TAG])
{
	struct gw_hmac *h = ctx;
	size_t out = 0;
	if (!EVP_MAC_init(h->ctx, NULL, 0, NULL) || !EVP_MAC_update(h->ctx, data, len) ||
	    !EVP_MAC_final(h->ctx, tag, &out, REPORT_WIRE_TAG) || out != REPORT_WIRE_TAG)
		return -EIO;
	return 0;
}

void gw_hmac_free(struct gw_hmac *h)
{
	if (!h)
		return;
	EVP_MAC_CTX_free(h->ctx);
	EVP_MAC_free(h->mac);
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
