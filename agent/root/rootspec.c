/* root=/nfsroot=/rootflags= and the DHCP root-path → one root description, and the kernel's
 * NFS text options. Pure: every input is a (pointer, length) span walked with a cursor. */
#include "root/rootspec.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/span.h"

static void fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(char *err, size_t errlen, const char *fmt, ...)
{
	if (!errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* A span quoted for an error message: printable characters only, bounded. */
static const char *shown(struct span s, char *buf, size_t size)
{
	size_t o = 0;
	for (size_t i = 0; i < s.n && o + 4 < size; i++)
		buf[o++] = (s.p[i] > 0x20 && s.p[i] < 0x7f) ? s.p[i] : '?';
	if (o < s.n && o + 4 >= size) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

static void format_ipv4(uint32_t ip, char buf[16])
{
	uint8_t b[4];
	memcpy(b, &ip, 4);
	snprintf(buf, 16, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
}

/* Characters a path or an option may carry: no spaces, quotes or control bytes, which would
 * at best confuse the kernel's option parser and the logs. */
static bool safe_char(char c, bool path)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	if (path)
		return strchr("/._-+@%~", c) != NULL && c != '\0';
	return strchr("._-+=:/", c) != NULL && c != '\0';
}

/* Copies an absolute path, replacing each "%s" with the client IP as the kernel does. */
static int copy_path(struct span path, uint32_t client_ip, char *out, size_t size, const char *param,
		     char *err, size_t errlen)
{
	char q[64], ip[16];
	size_t o = 0;
	if (path.n == 0 || path.p[0] != '/') {
		fail(err, errlen, "%s: path '%s' is not absolute", param, shown(path, q, sizeof(q)));
		return -EINVAL;
	}
	for (size_t i = 0; i < path.n; i++) {
		const char *piece = &path.p[i];
		size_t piece_len = 1;
		if (path.p[i] == '%' && i + 1 < path.n && path.p[i + 1] == 's') {
			if (!client_ip) {
				fail(err, errlen, "%s: path '%s' has %%s but the client address is unknown", param,
				     shown(path, q, sizeof(q)));
				return -EINVAL;
			}
			format_ipv4(client_ip, ip);
			piece = ip;
			piece_len = strlen(ip);
			i++;
		} else if (!safe_char(path.p[i], true)) {
			fail(err, errlen, "%s: path '%s' has a character that is not allowed", param,
			     shown(path, q, sizeof(q)));
			return -EINVAL;
		}
		if (o + piece_len >= size) {
			fail(err, errlen, "%s: path '%s' is too long", param, shown(path, q, sizeof(q)));
			return -EINVAL;
		}
		memcpy(out + o, piece, piece_len);
		o += piece_len;
	}
	out[o] = '\0';
	return 0;
}

/* NFS version from vers=/nfsvers= values: "3", "4", "4.0", "4.1", "4.2". */
static int parse_version(struct span v, unsigned *version, unsigned *minor)
{
	if (span_eq(v, "3")) {
		*version = 3;
		*minor = 0;
		return 0;
	}
	if (span_eq(v, "4")) {
		*version = 4;
		*minor = 2; /* newest this kernel speaks; the server answers with what it supports */
		return 0;
	}
	if (v.n == 3 && v.p[0] == '4' && v.p[1] == '.' && v.p[2] >= '0' && v.p[2] <= '2') {
		*version = 4;
		*minor = (unsigned)(v.p[2] - '0');
		return 0;
	}
	return -EINVAL;
}

struct nfs_parse {
	unsigned version; /* 0: not chosen by an option */
	unsigned minor;
	int access;       /* 0: not given, 1: ro, 2: rw */
};

/* Walks comma-separated user options: ro/rw and the version are taken out, everything else is
 * checked and appended to out (which may already hold options). */
static int take_options(struct span opts, bool nfs, struct nfs_parse *np, char *out, size_t size,
			const char *param, char *err, size_t errlen)
{
	char q[64];
	size_t o = strlen(out);
	struct span cur = opts;
	while (cur.n > 0) {
		size_t len = span_find(cur, ',');
		struct span opt = { cur.p, len };
		cur = span_skip(cur, len < cur.n ? len + 1 : len);
		if (opt.n == 0)
			continue;
		for (size_t i = 0; i < opt.n; i++) {
			if (!safe_char(opt.p[i], false)) {
				fail(err, errlen, "%s: option '%s' has a character that is not allowed", param,
				     shown(opt, q, sizeof(q)));
				return -EINVAL;
			}
		}
		if (span_eq(opt, "ro") || span_eq(opt, "rw")) {
			np->access = opt.p[1] == 'o' ? 1 : 2;
			continue;
		}
		if (nfs) {
			struct span value = { NULL, 0 };
			if (span_prefix(opt, "vers="))
				value = span_skip(opt, 5);
			else if (span_prefix(opt, "nfsvers="))
				value = span_skip(opt, 8);
			else if (span_eq(opt, "v3") || span_eq(opt, "v4"))
				value = span_skip(opt, 1);
			if (value.p) {
				if (parse_version(value, &np->version, &np->minor) != 0) {
					fail(err, errlen, "%s: NFS version '%s' is not supported (3, 4, 4.0, 4.1, 4.2)",
					     param, shown(value, q, sizeof(q)));
					return -EINVAL;
				}
				continue;
			}
			if (span_prefix(opt, "minorversion=")) {
				struct span m = span_skip(opt, 13);
				if (m.n != 1 || m.p[0] < '0' || m.p[0] > '2') {
					fail(err, errlen, "%s: '%s' is not a supported minor version (0-2)", param,
					     shown(opt, q, sizeof(q)));
					return -EINVAL;
				}
				np->minor = (unsigned)(m.p[0] - '0');
				if (!np->version)
					np->version = 4;
				continue;
			}
		}
		if (o + (o ? 1 : 0) + opt.n >= size) {
			fail(err, errlen, "%s: options too long", param);
			return -EINVAL;
		}
		if (o)
			out[o++] = ',';
		memcpy(out + o, opt.p, opt.n);
		o += opt.n;
		out[o] = '\0';
	}
	return 0;
}

/* "[<server>:]<path>[(,|:)<options>]": the kernel's nfsroot=, dracut's root=nfs:/nfs4: tail
 * and the DHCP root-path share this grammar (dracut accepts both separators before options). */
static int parse_nfs_text(struct span text, const struct rootspec_facts *facts, const char *param,
			  struct rootspec *spec, struct nfs_parse *np, char *err, size_t errlen)
{
	char q[64];
	struct span cur = text;
	uint32_t server = 0;
	if (cur.n > 0 && cur.p[0] == '[') {
		fail(err, errlen, "%s: IPv6 NFS servers are not supported ('%s')", param, shown(text, q, sizeof(q)));
		return -EINVAL;
	}
	if (cur.n > 0 && cur.p[0] != '/') {
		size_t colon = span_find(cur, ':');
		struct span host = { cur.p, colon };
		if (colon == cur.n) {
			fail(err, errlen, "%s: '%s' is neither <server>:<path> nor an absolute path", param,
			     shown(text, q, sizeof(q)));
			return -EINVAL;
		}
		if (span_ipv4(host, &server) != 0 || server == 0) {
			fail(err, errlen, "%s: server '%s' is not an IPv4 address", param, shown(host, q, sizeof(q)));
			return -EINVAL;
		}
		cur = span_skip(cur, colon + 1);
	}
	size_t end = cur.n;
	for (size_t i = 0; i < cur.n; i++) {
		if (cur.p[i] == ',' || cur.p[i] == ':') {
			end = i;
			break;
		}
	}
	int r = copy_path((struct span){ cur.p, end }, facts->client_ip, spec->path, sizeof(spec->path), param,
			  err, errlen);
	if (r)
		return r;
	if (end < cur.n) {
		r = take_options(span_skip(cur, end + 1), true, np, spec->nfs_opts, sizeof(spec->nfs_opts), param,
				 err, errlen);
		if (r)
			return r;
	}
	if (!server)
		server = facts->peer ? facts->peer : facts->next_server ? facts->next_server : facts->server_id;
	if (!server) {
		fail(err, errlen, "%s: no NFS server named, and none known from ip= or DHCP", param);
		return -EINVAL;
	}
	spec->server = server;
	spec->kind = ROOTSPEC_NFS;
	spec->source = param;
	return 0;
}

/* A root-path (DHCP option 17) or a root=/nfsroot= value with its optional scheme. */
static int parse_nfs_scheme(struct span text, const struct rootspec_facts *facts, const char *param,
			    struct rootspec *spec, struct nfs_parse *np, unsigned *type_version, char *err,
			    size_t errlen)
{
	if (span_prefix(text, "nfs4:")) {
		*type_version = 4;
		return parse_nfs_text(span_skip(text, 5), facts, param, spec, np, err, errlen);
	}
	if (span_prefix(text, "nfs:")) {
		*type_version = 3;
		return parse_nfs_text(span_skip(text, 4), facts, param, spec, np, err, errlen);
	}
	return parse_nfs_text(text, facts, param, spec, np, err, errlen);
}

/* dracut's bare forms root=nfs, root=nfs4 and root=/dev/nfs4 name only the protocol: the path
 * (and maybe the server and options) comes from nfsroot= first, else from the DHCP root-path,
 * as dracut's nfs-lib.sh fills in what the command line left out. A root-path that names its
 * own protocol must agree with root= (dracut would glue the two into a server it cannot reach). */
static int parse_bare_nfs(struct span root, struct span nfsroot, struct span root_path,
			  const struct rootspec_facts *facts, struct rootspec *spec, struct nfs_parse *np,
			  unsigned *type_version, char *err, size_t errlen)
{
	char q[64];
	unsigned want = span_eq(root, "nfs") ? 3 : 4;
	const char *param = want == 3 ? "root=nfs" : span_eq(root, "nfs4") ? "root=nfs4" : "root=/dev/nfs4";
	int r;
	if (nfsroot.n > 0) {
		r = parse_nfs_text(nfsroot, facts, "nfsroot=", spec, np, err, errlen);
	} else if (root_path.n > 0) {
		unsigned said = 0;
		r = parse_nfs_scheme(root_path, facts, "DHCP root-path", spec, np, &said, err, errlen);
		if (r == 0 && said && said != want) {
			fail(err, errlen, "%s asks for NFSv%u but the DHCP root-path '%s' says NFSv%u", param, want,
			     shown(root_path, q, sizeof(q)), said);
			return -EINVAL;
		}
	} else {
		fail(err, errlen, "%s names no path: give nfsroot= or have DHCP send a root-path (option 17)",
		     param);
		return -EINVAL;
	}
	*type_version = want;
	return r;
}

static int parse_block(struct span root, const struct boot_config *cfg, struct rootspec *spec,
		       struct nfs_parse *np, char *err, size_t errlen)
{
	static const struct {
		const char *prefix;
		enum rootspec_tag tag;
	} tags[] = {
		{ "UUID=", ROOTSPEC_TAG_UUID },
		{ "LABEL=", ROOTSPEC_TAG_LABEL },
		{ "PARTUUID=", ROOTSPEC_TAG_PARTUUID },
		{ "PARTLABEL=", ROOTSPEC_TAG_PARTLABEL },
	};
	char q[64];
	struct span value = root;
	spec->tag = ROOTSPEC_TAG_PATH;
	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		if (span_prefix(root, tags[i].prefix)) {
			spec->tag = tags[i].tag;
			value = span_skip(root, strlen(tags[i].prefix));
			break;
		}
	}
	if (value.n == 0) {
		fail(err, errlen, "root=%s has an empty value", shown(root, q, sizeof(q)));
		return -EINVAL;
	}
	for (size_t i = 0; i < value.n; i++) {
		unsigned char c = (unsigned char)value.p[i];
		/* labels may hold anything printable; paths and ids never need more */
		if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\'' || c == '\\') {
			fail(err, errlen, "root=%s has a character that is not allowed", shown(root, q, sizeof(q)));
			return -EINVAL;
		}
	}
	if (spec->tag == ROOTSPEC_TAG_PATH && (!span_prefix(value, "/dev/") || value.n == 5)) {
		fail(err, errlen, "root='%s' is not a device path, UUID=, LABEL=, PARTUUID=, PARTLABEL= or an NFS root",
		     shown(root, q, sizeof(q)));
		return -EINVAL;
	}
	if (value.n >= sizeof(spec->device)) {
		fail(err, errlen, "root=%s is too long", shown(root, q, sizeof(q)));
		return -EINVAL;
	}
	memcpy(spec->device, value.p, value.n);
	spec->device[value.n] = '\0';
	struct span fstype = span_str(cfg->rootfstype, BOOT_STR_MAX);
	for (size_t i = 0; i < fstype.n; i++) {
		char c = fstype.p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.')) {
			fail(err, errlen, "rootfstype='%s' is not a filesystem type name", shown(fstype, q, sizeof(q)));
			return -EINVAL;
		}
	}
	if (fstype.n >= sizeof(spec->fstype)) {
		fail(err, errlen, "rootfstype= is too long");
		return -EINVAL;
	}
	memcpy(spec->fstype, fstype.p, fstype.n);
	spec->fstype[fstype.n] = '\0';
	spec->kind = ROOTSPEC_BLOCK;
	spec->source = "root=";
	return take_options(span_str(cfg->rootflags, BOOT_STR_MAX), false, np, spec->block_opts, sizeof(spec->block_opts),
			    "rootflags=", err, errlen);
}

/* The legacy dracut form root=<server-ip>:<path>: a dotted quad, then ':' and a path. */
static bool looks_like_server_path(struct span root)
{
	size_t colon = span_find(root, ':');
	uint32_t ip;
	return colon < root.n && span_ipv4((struct span){ root.p, colon }, &ip) == 0;
}

/* Which syntax names the root, before any of it is parsed: the one place that tells them apart
 * (rootspec_parse and rootspec_needs_network both ask). */
enum root_form {
	FORM_KERNEL_NFS, /* root=/dev/nfs, or nfsroot= alone */
	FORM_DHCP,       /* root=dhcp, or no root= and a DHCP root-path */
	FORM_NONE,       /* nothing names a root (yet: DHCP may) */
	FORM_NFS_SCHEME, /* root=nfs:..., root=nfs4:... */
	FORM_BARE_NFS,   /* root=nfs, root=nfs4, root=/dev/nfs4 (dracut): the path from elsewhere */
	FORM_DHCP6,
	FORM_SERVER_PATH,
	FORM_UNSUPPORTED,
	FORM_BLOCK,
};

static enum root_form root_form(struct span root, struct span nfsroot, struct span root_path)
{
	if (span_eq(root, "/dev/nfs") || (root.n == 0 && nfsroot.n > 0))
		return FORM_KERNEL_NFS;
	if (span_eq(root, "nfs") || span_eq(root, "nfs4") || span_eq(root, "/dev/nfs4"))
		return FORM_BARE_NFS;
	if (span_eq(root, "dhcp") || (root.n == 0 && root_path.n > 0))
		return FORM_DHCP;
	if (root.n == 0)
		return FORM_NONE;
	if (span_prefix(root, "nfs:") || span_prefix(root, "nfs4:"))
		return FORM_NFS_SCHEME;
	if (span_eq(root, "dhcp6"))
		return FORM_DHCP6;
	if (looks_like_server_path(root))
		return FORM_SERVER_PATH;
	/* e.g. root=iscsi:..., root=live:..., root=nbd:... or a server given by name */
	if (memchr(root.p, ':', span_find(root, '=')) && !span_prefix(root, "/dev/"))
		return FORM_UNSUPPORTED;
	return FORM_BLOCK;
}

bool rootspec_needs_network(const struct boot_config *cfg)
{
	static const struct span none = { "", 0 };
	enum root_form form = root_form(span_str(cfg->root, BOOT_STR_MAX), span_str(cfg->nfsroot, BOOT_STR_MAX), none);
	return form != FORM_BLOCK && form != FORM_DHCP6 && form != FORM_UNSUPPORTED;
}

int rootspec_parse(const struct boot_config *cfg, const struct rootspec_facts *facts, struct rootspec *spec,
		   char *err, size_t errlen)
{
	static const struct rootspec_facts none;
	struct nfs_parse np = { 0, 0, 0 };
	unsigned type_version = 0;
	struct span root = span_str(cfg->root, BOOT_STR_MAX);
	struct span nfsroot = span_str(cfg->nfsroot, BOOT_STR_MAX);
	struct span root_path = { "", 0 };
	char q[64];
	int r;

	if (!facts)
		facts = &none;
	if (facts->root_path && facts->root_path_len) {
		root_path.p = facts->root_path;
		root_path.n = strnlen(facts->root_path, facts->root_path_len);
	}
	memset(spec, 0, sizeof(*spec));
	if (errlen)
		err[0] = '\0';

	switch (root_form(root, nfsroot, root_path)) {
	case FORM_KERNEL_NFS:
		/* The kernel's form; without nfsroot=, the DHCP root-path, then /tftpboot/%s. */
		if (nfsroot.n > 0)
			r = parse_nfs_text(nfsroot, facts, "nfsroot=", spec, &np, err, errlen);
		else if (root_path.n > 0)
			r = parse_nfs_scheme(root_path, facts, "DHCP root-path", spec, &np, &type_version, err,
					     errlen);
		else
			r = parse_nfs_text(span_str("/tftpboot/%s", BOOT_STR_MAX), facts, "root=/dev/nfs", spec, &np,
					   err, errlen);
		break;
	case FORM_DHCP:
		/* dracut's tests also boot root=dhcp nfsroot=<path> when DHCP sends no root-path */
		if (root_path.n == 0 && nfsroot.n > 0) {
			r = parse_nfs_text(nfsroot, facts, "nfsroot=", spec, &np, err, errlen);
			break;
		}
		if (root_path.n == 0) {
			fail(err, errlen, "root=dhcp, but DHCP sent no root-path (option 17)");
			return -EINVAL;
		}
		r = parse_nfs_scheme(root_path, facts, "DHCP root-path", spec, &np, &type_version, err, errlen);
		break;
	case FORM_NONE:
		fail(err, errlen, "no root= given and DHCP sent no root-path");
		return -ENOENT;
	case FORM_NFS_SCHEME:
		r = parse_nfs_scheme(root, facts, span_prefix(root, "nfs4:") ? "root=nfs4:" : "root=nfs:", spec,
				     &np, &type_version, err, errlen);
		break;
	case FORM_BARE_NFS:
		r = parse_bare_nfs(root, nfsroot, root_path, facts, spec, &np, &type_version, err, errlen);
		break;
	case FORM_DHCP6:
		fail(err, errlen, "root=dhcp6: IPv6 roots are not supported");
		return -EINVAL;
	case FORM_SERVER_PATH:
		r = parse_nfs_text(root, facts, "root=", spec, &np, err, errlen);
		break;
	case FORM_UNSUPPORTED:
		fail(err, errlen, "root='%s': only NFS (nfs, nfs4, /dev/nfs, /dev/nfs4, nfs:, nfs4:, <ipv4>:<path>) and block roots are supported",
		     shown(root, q, sizeof(q)));
		return -EINVAL;
	case FORM_BLOCK:
	default:
		r = parse_block(root, cfg, spec, &np, err, errlen);
		break;
	}
	if (r)
		return r;

	if (spec->kind == ROOTSPEC_NFS) {
		r = take_options(span_str(cfg->rootflags, BOOT_STR_MAX), true, &np, spec->nfs_opts, sizeof(spec->nfs_opts),
				 "rootflags=", err, errlen);
		if (r)
			return r;
		/* Default v3 as the kernel's nfsroot and dracut's nfs: do; nfs4: means 4.2, the newest
		 * minor this kernel speaks (an older server answers with an error, then vers=4.1). */
		spec->version = np.version ? np.version : type_version ? type_version : 3;
		spec->minor = spec->version == 4 ? (np.version ? np.minor : 2) : 0;
	}
	/* The kernel mounts the root read-only unless told rw; an overlay's lower layer is read-only
	 * whatever the command line says about the final root; options in root=/nfsroot=/rootflags=
	 * win over both. */
	if (cfg->overlay == OVERLAY_TMPFS)
		spec->read_only = true;
	else
		spec->read_only = cfg->root_access != ROOT_ACCESS_RW;
	if (np.access)
		spec->read_only = np.access == 1;
	return 0;
}

/* The group an option belongs to: a user option drops every default of the same group. */
static struct span option_group(struct span opt)
{
	if (span_eq(opt, "lock") || span_eq(opt, "nolock"))
		return (struct span){ "lock", 4 };
	if (span_eq(opt, "tcp") || span_eq(opt, "udp") || span_eq(opt, "rdma") || span_prefix(opt, "proto="))
		return (struct span){ "proto", 5 };
	return (struct span){ opt.p, span_find(opt, '=') };
}

static bool user_has_group(const char *user, struct span group)
{
	struct span cur = span_str(user, BOOT_STR_MAX);
	while (cur.n > 0) {
		size_t len = span_find(cur, ',');
		struct span g = option_group((struct span){ cur.p, len });
		if (g.n == group.n && memcmp(g.p, group.p, g.n) == 0)
			return true;
		cur = span_skip(cur, len < cur.n ? len + 1 : len);
	}
	return false;
}

static int append(char *buf, size_t len, size_t *o, const char *text)
{
	size_t n = strlen(text);
	if (*o + (*o ? 1 : 0) + n >= len)
		return -ENOSPC;
	if (*o)
		buf[(*o)++] = ',';
	memcpy(buf + *o, text, n + 1);
	*o += n;
	return 0;
}

int rootspec_nfs_options(const struct rootspec *spec, uint32_t client_ip, char *buf, size_t len)
{
	char server[16], client[16], item[64], clientaddr[32];
	const char *defaults[8];
	size_t nd = 0, o = 0;
	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	format_ipv4(spec->server, server);
	/* vers= and addr= are ours alone (the version was taken out of the user options). */
	if (spec->version == 3)
		snprintf(item, sizeof(item), "vers=3");
	else
		snprintf(item, sizeof(item), "vers=4.%u", spec->minor);
	if (append(buf, len, &o, item))
		return -ENOSPC;
	snprintf(item, sizeof(item), "addr=%s", server);
	if (append(buf, len, &o, item))
		return -ENOSPC;
	if (spec->version == 3) {
		/* No statd in the initramfs, and NLM would need rpcbind; TCP for both the NFS and the
		 * MOUNT protocol (port=/mountport= come from the user when the server has no rpcbind). */
		defaults[nd++] = "nolock";
		defaults[nd++] = "proto=tcp";
		defaults[nd++] = "mountproto=tcp";
	} else if (client_ip) {
		format_ipv4(client_ip, client);
		snprintf(clientaddr, sizeof(clientaddr), "clientaddr=%s", client);
		defaults[nd++] = clientaddr;
	}
	for (size_t i = 0; i < nd; i++) {
		struct span d = { defaults[i], strlen(defaults[i]) };
		if (!user_has_group(spec->nfs_opts, option_group(d)) && append(buf, len, &o, defaults[i]))
			return -ENOSPC;
	}
	if (spec->nfs_opts[0] && append(buf, len, &o, spec->nfs_opts))
		return -ENOSPC;
	return 0;
}

int rootspec_nfs_source(const struct rootspec *spec, char *buf, size_t len)
{
	char server[16];
	format_ipv4(spec->server, server);
	int n = snprintf(buf, len, "%s:%s", server, spec->path);
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

const char *rootspec_tag_name(enum rootspec_tag tag)
{
	switch (tag) {
	case ROOTSPEC_TAG_UUID: return "UUID";
	case ROOTSPEC_TAG_LABEL: return "LABEL";
	case ROOTSPEC_TAG_PARTUUID: return "PARTUUID";
	case ROOTSPEC_TAG_PARTLABEL: return "PARTLABEL";
	default: return "";
	}
}
