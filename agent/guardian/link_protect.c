/* Runtime drop-ins that keep network managers off the boot interface, and the unit that arms the
 * watchdog when systemd's shutdown begins (see link_protect.h).
 * Everything is under /run: gone at the next boot, nothing written to the NFS root. */
#include "guardian/link_protect.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/bounded.h"
#include "lib/clock.h"

static int plain_name(const char *ifname)
{
	size_t n = strlen(ifname);
	if (n == 0 || n >= 16)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = ifname[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		      c == '_' || c == '.'))
			return 0;
	}
	return 1;
}

int link_protect_format(enum link_protect_kind kind, const char *ifname, char *buf, size_t cap)
{
	char head[128];
	int n;
	if (!plain_name(ifname))
		return -EINVAL;
	snprintf(head, sizeof(head), "# Written by ghostinit at switch_root: the NFS root needs %s until the reset.\n",
		 ifname);
	switch (kind) {
	case LINK_PROTECT_KIND_NETWORKD:
		/* A drop-in: the admin's file still decides what networkd does with the NIC, this only
		 * keeps the initramfs's address and route when networkd starts, renews and stops.
		 * systemd's own default when / is a network file system, so it changes nothing for
		 * other links there; it makes an overlay over NFS (not one to systemd) behave alike. */
		n = snprintf(buf, cap, "%s[Network]\nKeepConfiguration=yes\n", head);
		break;
	case LINK_PROTECT_KIND_NM:
		n = snprintf(buf, cap, "%s[keyfile]\nunmanaged-devices=interface-name:%s\n", head, ifname);
		break;
	case LINK_PROTECT_KIND_IFUPDOWN:
		/* Debian's networking.service stops with `ifdown -a --exclude=lo`: the same, but
		 * leaving the boot interface up (ifdown takes several --exclude). */
		n = snprintf(buf, cap,
			     "%s[Service]\nExecStop=\nExecStop=/sbin/ifdown -a --read-environment --exclude=lo --exclude=%s\n",
			     head, ifname);
		break;
	case LINK_PROTECT_KIND_IFUP_AT:
		/* ifup@IF.service stops with `ifdown IF`: dhclient releases the lease and the link goes
		 * down under the NFS root (the guardian then restores it, and the stop waits ≈ 50 s on
		 * dhclient running from that root). No ExecStop: the stop only ends the unit's
		 * processes, as a reset would. */
		n = snprintf(buf, cap, "%s[Service]\nExecStop=\n", head);
		break;
	case LINK_PROTECT_KIND_WATCHDOG_UNIT:
		/* Stop order is the reverse of start order: ordered after multi-user.target (no
		 * default dependencies, so no cycle), its stop comes before every other unit's. */
		n = snprintf(buf, cap,
			     "%s[Unit]\nDescription=ghostboot: arm the watchdog when shutdown begins\n"
			     "DefaultDependencies=no\nAfter=multi-user.target sysinit.target basic.target "
			     "network.target remote-fs.target\nConflicts=shutdown.target\nBefore=shutdown.target\n\n"
			     "[Service]\nType=oneshot\nRemainAfterExit=yes\n"
			     "ExecStop=/run/initramfs/shutdown guardian --arm %d\n",
			     head, LINK_PROTECT_WATCHDOG_S);
		break;
	default:
		return -EINVAL;
	}
	return n < 0 || (size_t)n >= cap ? -ENOSPC : n;
}

static int mkdirs(char *path) /* every parent of the file path, in place */
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int r = mkdir(path, 0755);
		*p = '/';
		if (r != 0 && errno != EEXIST)
			return -errno;
	}
	return 0;
}

static int write_one(const char *run_dir, const char *rel, const char *text, size_t len)
{
	char path[512], tmp[520];
	if (snprintf(path, sizeof(path), "%s/%s", run_dir, rel) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	int err = mkdirs(path);
	if (err)
		return err;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	ssize_t w = write(fd, text, len);
	err = w == (ssize_t)len ? 0 : w < 0 ? -errno : -EIO;
	close(fd);
	if (!err && rename(tmp, path) != 0)
		err = -errno;
	if (err)
		(void)unlink(tmp);
	return err;
}

/* One networkd drop-in for each *.network in root/dir (a missing dir has none). */
static int networkd_dropins(const char *run_dir, const char *root, const char *dir, const char *text, size_t len)
{
	char path[256], rel[384];
	snprintf(path, sizeof(path), "%s/%s", root, dir);
	DIR *d = opendir(path);
	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
	int first = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (e->d_name[0] == '.' || n <= 8 || strcmp(e->d_name + n - 8, ".network") != 0)
			continue;
		int err = snprintf(rel, sizeof(rel), LINK_PROTECT_NETWORKD, e->d_name) >= (int)sizeof(rel)
				  ? -ENAMETOOLONG
				  : write_one(run_dir, rel, text, len);
		if (err && !first)
			first = err;
	}
	closedir(d);
	return first;
}

struct networkd_job {
	const char *run_dir, *root, *text;
	size_t len;
};

static int networkd_job(void *arg)
{
	static const char *const dirs[] = { "etc/systemd/network", "usr/lib/systemd/network", "lib/systemd/network" };
	const struct networkd_job *j = arg;
	int first = 0;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		int err = networkd_dropins(j->run_dir, j->root, dirs[i], j->text, j->len);
		if (err && !first)
			first = err;
	}
	return first;
}

int link_protect_write(const char *run_dir, const char *root, const char *ifname)
{
	static const struct {
		enum link_protect_kind kind;
		const char *rel;
	} files[] = { { LINK_PROTECT_KIND_NM, LINK_PROTECT_NM },
		      { LINK_PROTECT_KIND_IFUPDOWN, LINK_PROTECT_IFUPDOWN },
		      { LINK_PROTECT_KIND_WATCHDOG_UNIT, LINK_PROTECT_WATCHDOG_UNIT } };
	int first = 0;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char text[512];
		int n = link_protect_format(files[i].kind, ifname, text, sizeof(text));
		int err = n < 0 ? n : write_one(run_dir, files[i].rel, text, (size_t)n);
		if (err && !first)
			first = err;
	}
	char rel[128], text[512];
	int n = link_protect_format(LINK_PROTECT_KIND_NETWORKD, ifname, text, sizeof(text));
	/* The new root is on NFS: its directories are read in a bounded child, as the Root stage
	 * reads it (the child's files land in the same /run). */
	struct networkd_job job = { run_dir, root, text, n < 0 ? 0 : (size_t)n };
	int err = n < 0 ? n : bounded_run(networkd_job, &job, deadline_in(LINK_PROTECT_SCAN_MS));
	if (err && !first)
		first = err;
	snprintf(rel, sizeof(rel), LINK_PROTECT_IFUP_AT, ifname);
	n = link_protect_format(LINK_PROTECT_KIND_IFUP_AT, ifname, text, sizeof(text));
	err = n < 0 ? n : write_one(run_dir, rel, text, (size_t)n);
	if (err && !first)
		first = err;
	char wants[512];
	snprintf(wants, sizeof(wants), "%s/%s", run_dir, LINK_PROTECT_WATCHDOG_WANTS);
	err = mkdirs(wants);
	if (!err && symlink("../ghostboot-watchdog.service", wants) != 0 && errno != EEXIST)
		err = -errno;
	return first ? first : err;
}
