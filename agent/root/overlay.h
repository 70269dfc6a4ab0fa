/* The stateless root: the real root read-only as overlayfs lower, a tmpfs upper, so any
 * number of workers share one image; per-node files go into the upper layer. */
#ifndef GHOST_OVERLAY_H
#define GHOST_OVERLAY_H

#define OVERLAY_DIR "/run/ghostboot"
#define OVERLAY_LOWER OVERLAY_DIR "/lower"
#define OVERLAY_RW OVERLAY_DIR "/rw"

/* Bound of each step that touches the lower (NFS) root once it is mounted. */
#define OVERLAY_MS 10000u

/* Mounts a tmpfs (size= when size is not empty) at OVERLAY_RW and the overlay of lower
 * (already mounted) on target. Under /run, so all of it moves into the new root with /run.
 * The overlay mount looks at lower (statfs, lookups), so it runs in a child bounded by
 * OVERLAY_MS: -ETIMEDOUT when lower's server stopped answering after its mount. Returns 0
 * or -errno; *step names what failed. */
int overlay_mount(const char *lower, const char *target, const char *size, const char **step);

/* Writes /etc/hostname (when hostname is not empty) and /etc/machine-id when the image's is
 * missing or empty (32 random hex digits), through the merged root so they land in the upper
 * layer. Each lookup there may go to the lower root's server: in a child bounded by
 * OVERLAY_MS (-ETIMEDOUT). Returns 0 or the first -errno. */
int overlay_node_files(const char *root, const char *hostname);

#endif
