/* Where the root filesystem comes from: the root=/nfsroot=/rootflags= syntaxes of the kernel,
 * dracut and initramfs-tools (plus the DHCP root-path) turned into one description, and the
 * kernel's NFS text mount options built from it. Pure: no I/O, unit-tested and fuzzed. */
#ifndef GHOST_ROOTSPEC_H
#define GHOST_ROOTSPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/boot_config.h"

#define ROOTSPEC_PATH_MAX 256
#define ROOTSPEC_OPTS_MAX 512
#define ROOTSPEC_ERR_MAX 160

enum rootspec_kind { ROOTSPEC_NFS = 1, ROOTSPEC_BLOCK };

/* How a block root names its device: a path, or a tag libblkid evaluates. */
enum rootspec_tag { ROOTSPEC_TAG_PATH = 0, ROOTSPEC_TAG_UUID, ROOTSPEC_TAG_LABEL, ROOTSPEC_TAG_PARTUUID,
		    ROOTSPEC_TAG_PARTLABEL };

/* What the network stage learned, as plain values (IPv4 in network byte order, 0: unknown). */
struct rootspec_facts {
	uint32_t client_ip;
	uint32_t peer;        /* ip=<client>:<peer>:...: the static server, first fallback */
	uint32_t next_server; /* DHCP siaddr */
	uint32_t server_id;   /* DHCP option 54 */
	const char *root_path; /* DHCP option 17, not NUL-terminated; NULL or 0 length: none */
	size_t root_path_len;
};

struct rootspec {
	enum rootspec_kind kind;
	/* NFS */
	uint32_t server;              /* network byte order */
	char path[ROOTSPEC_PATH_MAX]; /* absolute, %s already replaced by the client IP */
	unsigned version;             /* 3 or 4 */
	unsigned minor;               /* NFSv4 minor version (0-2) */
	char nfs_opts[ROOTSPEC_OPTS_MAX]; /* user options, comma-separated, ro/rw and vers removed */
	const char *source;           /* which parameter named the root (for messages) */
	/* block */
	enum rootspec_tag tag;
	char device[ROOTSPEC_PATH_MAX]; /* path, or the tag's value */
	char fstype[32];                /* empty: probe */
	char block_opts[ROOTSPEC_OPTS_MAX]; /* rootflags= without ro/rw */
	/* both */
	bool read_only; /* the mount flag of the root (or of the overlay's lower layer) */
};

/* Fills spec from the boot configuration and the network facts. Returns 0, -EINVAL with a
 * message naming the bad part in err (NUL-terminated, at most errlen bytes), or -ENOENT when
 * nothing names a root (err says so too). */
int rootspec_parse(const struct boot_config *cfg, const struct rootspec_facts *facts,
		   struct rootspec *spec, char *err, size_t errlen);

/* Whether the root, as the command line names it, is reached over the network: NFS in any
 * syntax, or not named at all (DHCP's root-path will). False for a block root, and for a
 * syntax no root can come from (the root stage then says why). */
bool rootspec_needs_network(const struct boot_config *cfg);

/* Kernel text options for mount(2) of an NFS root ("vers=3,addr=S,nolock,..."); user options
 * replace the defaults they overlap. Returns 0 or -ENOSPC. client_ip (network order, may be 0)
 * becomes NFSv4's clientaddr=. */
int rootspec_nfs_options(const struct rootspec *spec, uint32_t client_ip, char *buf, size_t len);

/* "S:/path" for mount(2)'s source argument. Returns 0 or -ENOSPC. */
int rootspec_nfs_source(const struct rootspec *spec, char *buf, size_t len);

/* Short name of a tag for messages and libblkid ("UUID", "LABEL", ...; "" for a path). */
const char *rootspec_tag_name(enum rootspec_tag tag);

#endif
