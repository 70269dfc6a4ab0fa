/* HMAC-SHA256 by the kernel (AF_ALG "hash" / "hmac(sha256)"): the key is set once on the
 * transform socket, each tag is one accept()ed operation: send the data, read 32 bytes. */
#define _GNU_SOURCE /* accept4 */
#include "report/report_hmac.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/if_alg.h>

#ifndef AF_ALG
#define AF_ALG 38
#endif
#ifndef SOL_ALG
#define SOL_ALG 279
#endif

int report_hmac_open(struct report_hmac *h, const uint8_t *key, size_t keylen)
{
	struct sockaddr_alg sa;
	memset(&sa, 0, sizeof(sa));
	sa.salg_family = AF_ALG;
	memcpy(sa.salg_type, "hash", 5);
	memcpy(sa.salg_name, "hmac(sha256)", 13);
	h->tfm = -1;
	int fd = socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* An empty key is a valid HMAC key; the kernel still wants ALG_SET_KEY before accept(). */
	static const uint8_t empty[1];
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    setsockopt(fd, SOL_ALG, ALG_SET_KEY, keylen ? key : empty, (socklen_t)keylen) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	h->tfm = fd;
	return 0;
}

int report_hmac_compute(void *ctx, const uint8_t *data, size_t len, uint8_t tag[REPORT_WIRE_TAG])
{
	struct report_hmac *h = ctx;
	if (h->tfm < 0)
		return -EBADF;
	int op = accept4(h->tfm, NULL, NULL, SOCK_CLOEXEC);
	if (op < 0)
		return -errno;
	int err = 0;
	ssize_t n = send(op, data, len, 0);
	if (n < 0 || (size_t)n != len)
		err = n < 0 ? -errno : -EIO;
	else if ((n = read(op, tag, REPORT_WIRE_TAG)) != REPORT_WIRE_TAG)
		err = n < 0 ? -errno : -EIO;
	close(op);
	return err;
}

void report_hmac_close(struct report_hmac *h)
{
	if (h->tfm >= 0)
		close(h->tfm);
	h->tfm = -1;
}
