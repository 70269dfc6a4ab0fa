/* switch_root as klibc's run-init does it (check first, then destroy), with the pseudo
 * filesystems moved rather than remounted so the real init finds /run as the initrd left it. */
#include "root/switch_root.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "lib/bounded.h"
#include "lib/clock.h"
#include "lib/small_file.h"

#define RAMFS_MAGIC_ 0x858458f6
#define TMPFS_MAGIC_ 0x01021994
#define MAX_INIT_ARGS 64

extern char **environ;

static int is_initramfs(const char *path)
{
	struct statfs sfs;
	if (statfs(path, &sfs) != 0)
		return 0;
	return (unsigned long)sfs.f_type == RAMFS_MAGIC_ || (unsigned long)sfs.f_type == TMPFS_MAGIC_;
}

struct newroot_check {
	const char *newroot, *init;
	dev_t root_dev; /* the initramfs's device */
};

/* In a bounded child, because everything here touches the new root, which may be on an NFS
 * server that stopped answering after the mount: a stat there blocks (uninterruptibly with
 * hard mounts), and the boot must take the fatal path instead. init is checked from inside
 * the new root (the child chroots there), so that absolute symlinks such as /sbin/init ->
 * /lib/systemd/systemd resolve as the real init will see them. -EXDEV: same device as /. */
static int newroot_check_run(void *arg)
{
	const struct newroot_check *c = arg;
	struct stat target, st;
	if (stat(c->newroot, &target) != 0)
		return -errno;
	if (target.st_dev == c->root_dev)
		return -EXDEV;
	if (chroot(c->newroot) != 0 || chdir("/") != 0)
		return -EIO;
	if (stat(c->init, &st) != 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EISDIR;
	return access(c->init, X_OK) == 0 ? 0 : -EACCES;
}

int switch_root_check(const char *newroot, const char *init, const char **why)
{
	struct stat root;
	*why = "cannot inspect the initramfs";
	if (stat("/", &root) != 0)
		return -errno;
	*why = "/ is not the initramfs (ramfs or tmpfs): refusing to delete it";
	if (!is_initramfs("/"))
		return -EINVAL;
	*why = "init is not an executable file in the new root";
	if (init[0] != '/')
		return -EINVAL;
	struct newroot_check c = { newroot, init, root.st_dev };
	int r = bounded_run(newroot_check_run, &c, deadline_in(SWITCH_ROOT_CHECK_MS));
	if (r == -EXDEV) {
		*why = "the new root is not a mount point on another device";
		return -EBUSY;
	}
	if (r == -ETIMEDOUT)
		*why = "the new root does not answer (its server stopped after the mount?)";
	if (r)
		return r;
	*why = NULL;
	return 0;
}

static int copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[16384];
	int in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (out < 0) {
		int err = -errno;
		close(in);
		return err;
	}
	int err = 0;
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : 0;
			break;
		}
		for (ssize_t done = 0; done < n;) {
			ssize_t w = write(out, buf + done, (size_t)(n - done));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				err = w < 0 ? -errno : -EIO;
				break;
			}
			done += w;
		}
		if (err)
			break;
	}
	close(in);
	if (close(out) != 0 && !err)
		err = -errno;
	return err;
}

static void mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			(void)mkdir(path, 0755);
			*p = '/';
		}
	}
}

int switch_root_keep_shutdown(const char *extra_file)
{
	static const char *const dirs[] = { "", "/dev", "/proc", "/sys", "/run", "/oldroot" };
	char path[PATH_MAX];
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", SWITCH_ROOT_SHUTDOWN_DIR, dirs[i]);
		if (mkdir(path, 0755) != 0 && errno != EEXIST)
			return -errno;
	}
	int r = copy_file("/proc/self/exe", SWITCH_ROOT_SHUTDOWN_DIR "/shutdown", 0755);
	if (r)
		return r;
	if (extra_file && extra_file[0] == '/') {
		if (snprintf(path, sizeof(path), "%s%s", SWITCH_ROOT_SHUTDOWN_DIR, extra_file) >= (int)sizeof(path))
			return -ENAMETOOLONG;
		mkdirs(path);
		r = copy_file(extra_file, path, 0600);
	}
	return r;
}

/* Deletes everything in dir that lives on dev (the initramfs), never crossing into other
 * filesystems: the new root and the moved mounts stay untouched. Errors are ignored: what
 * cannot be freed only costs RAM. */
static void delete_tree(int dirfd, dev_t dev)
{
	DIR *d = fdopendir(dirfd);
	if (!d) {
		close(dirfd);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || st.st_dev != dev)
			continue;
		if (S_ISDIR(st.st_mode)) {
			int sub = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub >= 0)
				delete_tree(sub, dev);
			(void)unlinkat(dirfd, e->d_name, AT_REMOVEDIR);
		} else {
			(void)unlinkat(dirfd, e->d_name, 0);
		}
	}
	closedir(d);
}

/* The arguments the kernel passed to PID 1 (everything it did not understand, and what
 * follows "--"), with argv[0] replaced by the new init. */
static char **init_argv(const char *init)
{
	static char buf[4096];
	static char *argv[MAX_INIT_ARGS + 2];
	size_t argc = 0;
	argv[argc++] = (char *)init;
	ssize_t n = small_file_read("/proc/self/cmdline", buf, sizeof(buf));
	if (n > 0) {
		size_t i = strlen(buf) + 1; /* skip our own argv[0] */
		while (i < (size_t)n && argc < MAX_INIT_ARGS + 1) {
			argv[argc++] = buf + i;
			i += strlen(buf + i) + 1;
		}
	}
	argv[argc] = NULL;
	return argv;
}

struct handover_prep {
	const char *newroot;
	dev_t root_dev; /* the initramfs's device */
};

/* Everything before the handover that touches the new root: the mount points of the moved
 * filesystems are looked up (and made) there, and deleting the initramfs stats the new
 * root's mount point. In a bounded child for the same reason as the check; the child shares
 * our mount namespace and our root, so its moves and deletions are ours. It also leaves the
 * new root's attributes and access rights fresh in the NFS client's cache, which the
 * chdir/chroot that follow in PID 1 then use. */
static int handover_prep_run(void *arg)
{
	static const char *const moved[] = { "/dev", "/proc", "/sys", "/run" };
	const struct handover_prep *p = arg;
	char target[PATH_MAX];
	for (size_t i = 0; i < sizeof(moved) / sizeof(moved[0]); i++) {
		snprintf(target, sizeof(target), "%s%s", p->newroot, moved[i]);
		(void)mkdir(target, 0755);
		if (mount(moved[i], target, NULL, MS_MOVE, NULL) != 0)
			(void)umount2(moved[i], MNT_DETACH); /* a root without the directory: drop it */
	}
	int rootfd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd >= 0)
		delete_tree(rootfd, p->root_dev);
	struct stat st;
	return stat(p->newroot, &st) == 0 ? 0 : -errno;
}

int switch_root_exec(const char *newroot, const char *init, const char **why)
{
	struct stat root;
	char **argv = init_argv(init); /* before /proc moves away */

	*why = "cannot inspect /";
	if (stat("/", &root) != 0)
		return -errno;
	struct handover_prep prep = { newroot, root.st_dev };
	int r = bounded_run(handover_prep_run, &prep, deadline_in(SWITCH_ROOT_CHECK_MS));
	*why = r == -ETIMEDOUT ? "the new root does not answer (its server stopped after the mount?)"
			       : "cannot prepare the new root";
	if (r)
		return r;
	/* From here on PID 1 itself: the handover cannot leave it. chdir and chroot are served
	 * from the cache the child just refreshed; execve reads init from the root. */
	*why = "cannot enter the new root";
	if (chdir(newroot) != 0)
		return -errno;
	*why = "cannot move the new root onto /";
	if (mount(".", "/", NULL, MS_MOVE, NULL) != 0)
		return -errno;
	*why = "chroot into the new root failed";
	if (chroot(".") != 0 || chdir("/") != 0)
		return -errno;
	execve(init, argv, environ);
	*why = "exec of init failed";
	return -errno;
}
