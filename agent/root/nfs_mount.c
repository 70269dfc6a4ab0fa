/* mount(2) of the NFS root with the kernel's text options, retried until the root deadline. */
#include "root/nfs_mount.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/child.h"
#include "lib/clock.h"
#include "lib/jitter.h"
#include "lib/small_file.h"

#define UNIQUE_ID_PARAM "/sys/module/nfs/parameters/nfs4_unique_id"
#define BACKOFF_FIRST_MS 250u
#define CHILD_POLL_MS 10u
#define KILLED_GRACE_MS 2000u
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
	uint64_t d = backoff_base_ms(failures > 1 ? failures - 1 : 0, BACKOFF_FIRST_MS, BACKOFF_MAX_MS);
	return d / 2 + random % (d / 2 + 1);
}

/* One mount(2) in a child, so that an attempt the kernel drags out (a server that accepts the
 * connection and never answers: minutes with timeo=600) still ends at the deadline. The child
 * shares our mount namespace; its RPC waits are killable. */
static int mount_bounded(const struct nfs_mount_request *req, const char *type, unsigned long flags)
{
	pid_t child = fork();
	if (child < 0) /* no child: mount here, bounded only by the kernel's own timeouts */
		return mount(req->source, req->target, type, flags, req->options) == 0 ? 0 : -errno;
	if (child == 0) {
		child_signals_default();
		_exit(mount(req->source, req->target, type, flags, req->options) == 0 ? 0 : (errno & 0xff));
	}
	int status;
	uint64_t give_up = 0;
	for (;;) {
		pid_t r = waitpid(child, &status, WNOHANG);
		if (r == child)
			break;
		if (r < 0 && errno != EINTR)
			return -ECHILD;
		if (!give_up && deadline_passed(req->deadline)) {
			(void)kill(child, SIGKILL);
			give_up = deadline_in(KILLED_GRACE_MS);
		} else if (give_up && deadline_passed(give_up)) {
			return -ETIMEDOUT; /* stuck unkillably: leave it, the fatal path resets anyway */
		}
		sleep_ms(CHILD_POLL_MS);
	}
	if (give_up)
		return -ETIMEDOUT;
	if (!WIFEXITED(status))
		return -EIO;
	return -WEXITSTATUS(status);
}

int nfs_mount(const struct nfs_mount_request *req, nfs_mount_failed_fn *failed, void *ctx, unsigned *attempts)
{
	const char *type = req->version == 3 ? "nfs" : "nfs4";
	unsigned long flags = req->read_only ? MS_RDONLY : 0;
	struct jitter jitter;
	jitter_seed(&jitter);
	unsigned n = 0;
	int err;
	for (;;) {
		n++;
		err = mount_bounded(req, type, flags);
		if (err == 0)
			break;
		uint64_t wait = nfs_mount_backoff_ms(n, jitter_next(&jitter));
		/* No attempt that would start at the deadline only to be killed at once: the last
		 * answer stays the server's own, not our cut. */
		bool last = nfs_mount_permanent(err) || wait >= deadline_left(req->deadline);
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

/* A one-line file without its trailing newline or blanks. */
static ssize_t read_small(const char *path, char *buf, size_t len)
{
	ssize_t n = small_file_read(path, buf, len);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return n;
}

int nfs_mount_set_unique_id(void)
{
	char path[300], value[64], id[80];
	ssize_t n = read_small(UNIQUE_ID_PARAM, value, sizeof(value));
	if (n < 0)
		return (int)n;
	if (n > 0)
		return -EEXIST;
	DIR *d = opendir("/sys/class/net");
	if (!d)
		return -errno;
	id[0] = '\0';
	struct dirent *e;
	while ((e = readdir(d)) && !id[0]) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "lo"))
			continue;
		snprintf(path, sizeof(path), "/sys/class/net/%s/carrier", e->d_name);
		if (read_small(path, value, sizeof(value)) != 1 || value[0] != '1')
			continue;
		snprintf(path, sizeof(path), "/sys/class/net/%s/address", e->d_name);
		if (read_small(path, value, sizeof(value)) <= 0 || !strcmp(value, "00:00:00:00:00:00"))
			continue;
		size_t o = (size_t)snprintf(id, sizeof(id), "ghostboot-");
		for (const char *c = value; *c && o + 1 < sizeof(id); c++)
			if (*c != ':')
				id[o++] = *c;
		id[o] = '\0';
	}
	closedir(d);
	if (!id[0])
		return -ENODEV;
	int fd = open(UNIQUE_ID_PARAM, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t w = write(fd, id, strlen(id));
	int err = w == (ssize_t)strlen(id) ? 0 : w < 0 ? -errno : -EIO;
	close(fd);
	return err;
}
