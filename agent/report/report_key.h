/* Where a node's report key comes from and where the boot keeps it (docs/protocol.md,
 * "Delivering the node's key"): ghost.key= (a file of the image, or hex on the command line,
 * which every local user can read), else the per-node file the boot loader adds beside the
 * image (one cpio archive holding REPORT_KEY_IMAGE, 0600). The boot keeps the key it used,
 * as hex in REPORT_KEY_KEPT (0600, root), for the boot-link guardian and the shutdown program:
 * never on a command line, in an environment, or in a file another user may read. */
#ifndef GHOST_REPORT_KEY_H
#define GHOST_REPORT_KEY_H

#include <stdint.h>

#include "boot/boot_config.h"
#include "report/report_wire.h"

#define REPORT_KEY_IMAGE "/etc/ghostboot/node.key"
#define REPORT_KEY_KEPT_DIR "/run/ghostboot"
#define REPORT_KEY_KEPT_NAME "node.key"

/* The boot's key into key: ghost.key= when given, else REPORT_KEY_IMAGE when the boot loader
 * added it. Returns its length, 0 when there is none, or -errno (-EINVAL: not a key). */
int report_key_for_boot(const struct boot_config *cfg, uint8_t key[REPORT_KEY_MAX]);
/* Writes key as hex to dirfd/name through name.tmp, mode 0600, then renames. 0 or -errno. */
int report_key_keep_at(int dirfd, const char *name, const uint8_t *key, int len);
/* Reads a key kept so. Returns its length or -errno (-ENOENT: the boot had none). */
int report_key_kept_at(int dirfd, const char *name, uint8_t key[REPORT_KEY_MAX]);

#endif
