/* HKDF with OpenSSL 3's EVP_KDF; the master secret's file handling beside it. */
#include "keys/node_key.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "keys/gw_hmac.h"

static const char salt[] = "ghostboot node key v1";
static const char info_prefix[] = "ghostboot node ";

void node_key_info(const uint8_t mac[REPORT_NODE_LEN], uint8_t info[NODE_KEY_INFO_LEN])
{
	memcpy(info, info_prefix, sizeof(info_prefix) - 1);
	memcpy(info + sizeof(info_prefix) - 1, mac, REPORT_NODE_LEN);
	info[NODE_KEY_INFO_LEN - 1] = 0x01; /* the expand block counter, not part of HKDF's info */
}

/* mode: "EXTRACT_AND_EXPAND" (info used) or "EXTRACT_ONLY". */
static int hkdf(const char *mode, const uint8_t *secret, size_t len, const uint8_t *info,
		size_t info_len, uint8_t out[NODE_KEY_LEN])
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_MODE, (char *)mode, 0),
		OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)secret, len),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, sizeof(salt) - 1),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info, info_len),
		OSSL_PARAM_construct_end(),
	};
	int ok = ctx && EVP_KDF_derive(ctx, out, NODE_KEY_LEN, params) > 0;
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return ok ? 0 : -EIO;
}

int node_key_derive(const uint8_t *secret, size_t len, const uint8_t mac[REPORT_NODE_LEN],
		    uint8_t key[NODE_KEY_LEN])
{
	uint8_t info[NODE_KEY_INFO_LEN];
	node_key_info(mac, info);
	return hkdf("EXTRACT_AND_EXPAND", secret, len, info, sizeof(info) - 1, key);
}

int node_key_prk(const uint8_t *secret, size_t len, uint8_t prk[NODE_KEY_LEN])
{
	return hkdf("EXTRACT_ONLY", secret, len, NULL, 0, prk);
}

int node_key_load_master(const char *path, uint8_t secret[REPORT_KEY_MAX])
{
	struct stat st;
	if (stat(path, &st) < 0)
		return -errno;
	/* Whoever reads this file can sign for every node: only its owner may. */
	if (!S_ISREG(st.st_mode) || (st.st_mode & 077))
		return -EPERM;
	return gw_hmac_load_key(path, secret);
}

int node_key_create_master(const char *path)
{
	static const char digits[] = "0123456789abcdef";
	uint8_t raw[NODE_KEY_MASTER_LEN];
	char text[2 * NODE_KEY_MASTER_LEN + 1];
	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		return -EIO;
	for (size_t i = 0; i < sizeof(raw); i++) {
		text[2 * i] = digits[raw[i] >> 4];
		text[2 * i + 1] = digits[raw[i] & 15];
	}
	text[sizeof(text) - 1] = '\n';
	memset(raw, 0, sizeof(raw));
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	int err = 0;
	if (fchmod(fd, 0600) < 0 || write(fd, text, sizeof(text)) != (ssize_t)sizeof(text) || fsync(fd) < 0)
		err = errno ? -errno : -EIO;
	close(fd);
	memset(text, 0, sizeof(text));
	if (err)
		unlink(path);
	return err;
}
