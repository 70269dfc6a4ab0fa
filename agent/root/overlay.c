/* tmpfs-over-read-only-root overlay and the per-node files written into its upper layer. */
#include "root/overlay.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/bounded.h"
#include "lib/clock.h"

#ifndef GRND_INSECURE
#define GRND_INSECURE 0x0004 /* Linux 5.6: never blocks; a machine-id needs no secrecy */
#endif

struct overlay_job {
	const char *target, *data;
};

/* The child shares our mount namespace: its mount is ours. */
static int overlay_mount_job(void *arg)
{
	const struct overlay_job *j = arg;
	return mount("overlay", j->target, "overlay", 0, j->data) == 0 ? 0 : -errno;
}

int overlay_mount(const char *lower, const char *target, const char *size, const char **step)
{
	char data[160];
	(void)mkdir(OVERLAY_DIR, 0755);
	(void)mkdir(OVERLAY_RW, 0755);
	if (size && size[0])
		snprintf(data, sizeof(data), "mode=0755,size=%s", size);
	else
		snprintf(data, sizeof(data), "mode=0755");
	*step = "tmpfs for the upper layer";
	if (mount("tmpfs", OVERLAY_RW, "tmpfs", MS_NOSUID | MS_NODEV, data) != 0)
		return -errno;
	*step = "upper and work directories";
	if ((mkdir(OVERLAY_RW "/upper", 0755) != 0 && errno != EEXIST) ||
	    (mkdir(OVERLAY_RW "/work", 0755) != 0 && errno != EEXIST))
		return -errno;
	*step = "overlay mount";
	if (snprintf(data, sizeof(data), "lowerdir=%s,upperdir=%s,workdir=%s", lower, OVERLAY_RW "/upper",
		     OVERLAY_RW "/work") >= (int)sizeof(data))
		return -ENAMETOOLONG;
	struct overlay_job job = { target, data };
	int r = bounded_run(overlay_mount_job, &job, deadline_in(OVERLAY_MS));
	if (r == 0)
		*step = NULL;
	return r;
}

static int write_file(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0444);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, text, len);
	int err = n == (ssize_t)len ? 0 : n < 0 ? -errno : -EIO;
	if (close(fd) != 0 && !err)
		err = -errno;
	return err;
}

struct node_files {
	const char *root, *hostname;
};

static int node_files_job(void *arg)
{
	const struct node_files *job = arg;
	const char *root = job->root, *hostname = job->hostname;
	char path[256], text[80];
	struct stat st;
	int first = 0, r;
	snprintf(path, sizeof(path), "%s/etc", root);
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return -ENOTDIR; /* not a system root we should write into */
	if (hostname && hostname[0]) {
		snprintf(path, sizeof(path), "%s/etc/hostname", root);
		int n = snprintf(text, sizeof(text), "%s\n", hostname);
		r = write_file(path, text, (size_t)n < sizeof(text) ? (size_t)n : sizeof(text) - 1);
		if (r && !first)
			first = r;
	}
	/* systemd treats an empty machine-id as "first boot" and wants to write one; on a shared
	 * read-only image every node would otherwise come up with the same (or none). */
	snprintf(path, sizeof(path), "%s/etc/machine-id", root);
	if (stat(path, &st) != 0 || st.st_size == 0) {
		unsigned char id[16];
		if (getrandom(id, sizeof(id), GRND_INSECURE) != (ssize_t)sizeof(id)) {
			r = -EIO;
		} else {
			id[6] = (id[6] & 0x0f) | 0x40; /* a v4 UUID, as systemd-machine-id-setup makes */
			id[8] = (id[8] & 0x3f) | 0x80;
			for (size_t i = 0; i < sizeof(id); i++)
				snprintf(text + 2 * i, 3, "%02x", id[i]);
			text[32] = '\n';
			r = write_file(path, text, 33);
		}
		if (r && !first)
			first = r;
	}
	return first;
}

int overlay_node_files(const char *root, const char *hostname)
{
	struct node_files n = { root, hostname };
	return bounded_run(node_files_job, &n, deadline_in(OVERLAY_MS));
}
