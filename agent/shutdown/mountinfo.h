/* Pure parser of /proc/self/mountinfo text (no I/O: unit-tested and fuzzed on buffers), and the
 * order in which the shutdown unmounts: newest first, children before parents, network last. */
#ifndef GHOST_MOUNTINFO_H
#define GHOST_MOUNTINFO_H

#include <stdbool.h>
#include <stddef.h>

#define MOUNTINFO_MAX 256       /* mounts kept; a worker has a few dozen */
#define MOUNTINFO_LINE_MAX 8192 /* longer lines are malformed (the kernel's own page is 4 KiB) */
#define MOUNTINFO_PATH_MAX 512  /* decoded mount point, longer: malformed */
#define MOUNTINFO_FSTYPE_MAX 32
#define MOUNTINFO_SOURCE_MAX 256

struct mountinfo_entry {
	unsigned id, parent;
	unsigned major, minor;
	char mount_point[MOUNTINFO_PATH_MAX]; /* octal escapes (\040 ...) decoded */
	char fstype[MOUNTINFO_FSTYPE_MAX];    /* "nfs4", "overlay", "fuse.sshfs" */
	char source[MOUNTINFO_SOURCE_MAX];    /* "srv:/export", "overlay", "/dev/sda1" */
};

struct mountinfo {
	unsigned count;     /* entries kept, in the kernel's order (oldest first) */
	unsigned malformed; /* lines skipped because a field was missing, too long or garbled */
	unsigned dropped;   /* well-formed lines beyond MOUNTINFO_MAX */
	struct mountinfo_entry entry[MOUNTINFO_MAX];
};

/* Parses len bytes (need not be NUL-terminated). Never fails: bad lines are counted and skipped. */
void mountinfo_parse(const char *text, size_t len, struct mountinfo *out);

/* True when path is prefix itself or below it ("/oldroot" covers "/oldroot/proc", not
 * "/oldroots"); prefix "/" covers everything. */
bool mountinfo_path_under(const char *path, const char *prefix);

/* NFS, CIFS, Ceph, 9p and friends: unmounted with MNT_FORCE in a bounded child, never
 * remounted read-only, and left for last. */
bool mountinfo_is_network(const struct mountinfo_entry *e);

/* The nearest network filesystem at or below which entry idx sits (idx itself, its parent, ...
 * by parent id), or -1. When that server is gone, every path lookup beneath it blocks. */
int mountinfo_network_ancestor(const struct mountinfo *mi, unsigned idx);

/* Writes to order[] the indices of the mounts at or under prefix in the order to unmount them:
 * a mount only after every mount on top of it (its children by parent id, stacked mounts
 * included); among those free to go, local filesystems (an overlay, /proc ...) before network
 * ones (so an overlay goes before its NFS lower), then the newest first. Returns the count
 * (at most cap). A parent-id cycle (garbled input) is broken newest first. */
unsigned mountinfo_unmount_order(const struct mountinfo *mi, const char *prefix, unsigned *order,
				 unsigned cap);

#endif
