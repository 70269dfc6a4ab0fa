/* mount(2) of the NFS root with the kernel's text options, retried until the root deadline. */
#include "nfs_mount.h"

#include <errno.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "clock.h"

#define BACKOFF_FIRST_MS 250u
#define BACKOFF_MAX_MS 8000u

const char *nfs_mount_strerror(int err)
{
	switch (err < 0 ? -err : err) {
	case ENOENT:
	case ESTALE:
		/* NFSv4 servers hide the exports a client may not mount: the same answer */
		return "export not found (or not exported to this client)";
	case EACCES:
	case EPERM:
		/* an NFSv3 MOUNT server answers a path it does not export the same way */
		return "access denied by the server (client not allowed, or no such export)";
	case ETIMEDOUT:
	case ECONNREFUSED:
	case EHOSTUNREACH:
	case EHOSTDOWN:
	case ENETUNREACH:
	case ECONNRESET:
	case EAGAIN:
		return "server not answering";
	case EPROTONOSUPPORT:
	case EPFNOSUPPORT:
	case EPROTO:
		return "NFS version or protocol not supported by the server";
	case ENODEV:
		return "NFS is not in this kernel (module not loaded)";
	case EINVAL:
		return "mount options refused by the kernel";
	case EBUSY:
		return "already mounted";
	case EIO:
		return "I/O error talking to the server";
	case ENOTDIR:
		return "export is not a directory";
	default:
		return strerror(err < 0 ? -err : err);
	}
}

bool nfs_mount_permanent(int err)
{
	err = err < 0 ? -err : err;
	return err == ENODEV || err == EINVAL || err == EBUSY || err == ENOTDIR;
}

uint64_t nfs_mount_backoff_ms(unsigned failures, uint32_t random)
{
	uint64_t d = BACKOFF_FIRST_MS;
	for (unsigned i = 1; i < failures && d < BACKOFF_MAX_MS; i++)
		d *= 2;
	if (d > BACKOFF_MAX_MS)
		d = BACKOFF_MAX_MS;
	return d / 2 + random % (d / 2 + 1);
}

/* xorshift32 seeded from the clock and the PID: the jitter needs spread, not secrecy. */
static uint32_t next_random(uint32_t *state)
{
	uint32_t x = *state ? *state : 0x9e3779b9u;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *state = x;
}

int nfs_mount(const struct nfs_mount_request *req, nfs_mount_failed_fn *failed, void *ctx, unsigned *attempts)
{
	const char *type = req->version == 3 ? "nfs" : "nfs4";
	unsigned long flags = req->read_only ? MS_RDONLY : 0;
	uint32_t seed = (uint32_t)clock_ms() * 2654435761u ^ (uint32_t)getpid();
	unsigned n = 0;
	int err;
	for (;;) {
		n++;
		if (mount(req->source, req->target, type, flags, req->options) == 0) {
			err = 0;
			break;
		}
		err = -errno;
		uint64_t wait = nfs_mount_backoff_ms(n, next_random(&seed));
		uint64_t left = deadline_left(req->deadline);
		bool last = nfs_mount_permanent(err) || left == 0;
		if (wait > left)
			wait = left;
		if (failed)
			failed(err, n, last ? 0 : wait, ctx);
		if (last)
			break;
		sleep_ms(wait);
	}
	if (attempts)
		*attempts = n;
	return err;
}
