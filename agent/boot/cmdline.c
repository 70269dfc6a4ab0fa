/* Kernel command line → boot configuration. Tokenised like the kernel's next_arg() (double
 * quotes group spaces and are removed), last occurrence wins, exact "key=" matches, values
 * checked against allowlists; a bad value leaves the default and becomes a warning. */
#include "boot/cmdline.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hex.h"
#include "report/report_wire.h"

#define TOKEN_MAX 1024

void boot_config_defaults(struct boot_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->master_port = GHOST_DEFAULT_MASTER_PORT;
	cfg->reset = RESET_PCI;
	cfg->carrier_timeout_ms = GHOST_DEFAULT_CARRIER_TIMEOUT_MS;
	cfg->dhcp_timeout_ms = GHOST_DEFAULT_DHCP_TIMEOUT_MS;
	cfg->root_timeout_ms = GHOST_DEFAULT_ROOT_TIMEOUT_MS;
	cfg->shutdown_timeout_ms = GHOST_DEFAULT_SHUTDOWN_TIMEOUT_MS;
	cfg->panic_seconds = GHOST_DEFAULT_PANIC_SECONDS;
	cfg->bootif_hwtype = 1;
}

static void warn(struct cmdline_warnings *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(struct cmdline_warnings *w, const char *fmt, ...)
{
	if (w->count >= CMDLINE_MAX_WARNINGS) {
		w->dropped++;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w->text[w->count++], CMDLINE_WARNING_LEN, fmt, ap);
	va_end(ap);
}

/* Quotes a value for a warning: bounded, control characters replaced. */
static const char *shown(const char *value, char *buf, size_t size)
{
	size_t i = 0;
	for (; value[i] && i + 4 < size; i++)
		buf[i] = isprint((unsigned char)value[i]) ? value[i] : '?';
	if (value[i]) {
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
	return buf;
}

int cmdline_parse_seconds(const char *value, uint32_t max_ms, uint32_t *out_ms)
{
	uint64_t ms = 0;
	const char *p = value;
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		ms = ms * 10 + (uint64_t)(*p - '0');
		if (ms > max_ms / 1000 + 1)
			return -ERANGE;
	}
	ms *= 1000;
	if (*p == '.') {
		p++;
		uint64_t scale = 100;
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		for (; isdigit((unsigned char)*p); p++) {
			if (scale == 0)
				return -EINVAL; /* more than millisecond precision */
			ms += (uint64_t)(*p - '0') * scale;
			scale /= 10;
		}
	}
	if (*p != '\0')
		return -EINVAL;
	if (ms > max_ms)
		return -ERANGE;
	*out_ms = (uint32_t)ms;
	return 0;
}

int cmdline_parse_hwaddr(const char *value, uint8_t *hwtype, uint8_t *addr, uint8_t *len)
{
	uint8_t bytes[BOOT_HWADDR_MAX + 1];
	size_t n = 0;
	char sep = 0;
	const char *p = value;
	for (;;) {
		int byte = hex_byte(p);
		if (byte < 0 || n >= sizeof(bytes))
			return -EINVAL;
		bytes[n++] = (uint8_t)byte;
		p += 2;
		if (*p == '\0')
			break;
		if (*p != '-' && *p != ':')
			return -EINVAL;
		if (sep && *p != sep)
			return -EINVAL;
		sep = *p++;
	}
	/* pxelinux prefixes the ARP hardware type ("01-" for Ethernet): seven dash-separated
	 * bytes. Like dracut, strip it only when the address is longer than an Ethernet one. */
	size_t skip = 0;
	*hwtype = 1;
	if (n == 7 || (n > 7 && sep == '-')) {
		*hwtype = bytes[0];
		skip = 1;
	}
	if (n - skip < 6 || n - skip > BOOT_HWADDR_MAX)
		return -EINVAL;
	memcpy(addr, bytes + skip, n - skip);
	*len = (uint8_t)(n - skip);
	return 0;
}

/* One handler per parameter; value is NULL for a bare flag ("rd.shell"). */
typedef void (*param_handler)(struct boot_config *, const char *key, const char *value,
			      struct cmdline_warnings *);

static int need_value(const char *key, const char *value, struct cmdline_warnings *w)
{
	if (value && *value)
		return 1;
	warn(w, "%s needs a value, ignored", key);
	return 0;
}

static void copy_string(char *dst, size_t size, const char *key, const char *value,
			struct cmdline_warnings *w)
{
	char buf[48];
	if (!need_value(key, value, w))
		return;
	if (strlen(value) >= size) {
		warn(w, "%s='%s' is too long (at most %zu characters), ignored", key,
		     shown(value, buf, sizeof(buf)), size - 1);
		return;
	}
	memcpy(dst, value, strlen(value) + 1);
}

#define STRING_PARAM(field)                                                                    \
	static void param_##field(struct boot_config *c, const char *k, const char *v,         \
				  struct cmdline_warnings *w)                                  \
	{                                                                                      \
		copy_string(c->field, sizeof(c->field), k, v, w);                              \
	}
STRING_PARAM(ip)
STRING_PARAM(root)
STRING_PARAM(nfsroot)
STRING_PARAM(rootflags)
STRING_PARAM(rootfstype)

static void param_init(struct boot_config *c, const char *k, const char *v, struct cmdline_warnings *w)
{
	char buf[48];
	if (need_value(k, v, w) && v[0] != '/') {
		warn(w, "%s='%s' is not an absolute path, ignored", k, shown(v, buf, sizeof(buf)));
		return;
	}
	copy_string(c->init, sizeof(c->init), k, v, w);
}

static void param_ro(struct boot_config *c, const char *k, const char *v, struct cmdline_warnings *w)
{
	(void)k, (void)v, (void)w;
	c->root_access = ROOT_ACCESS_RO;
}

static void param_rw(struct boot_config *c, const char *k, const char *v, struct cmdline_warnings *w)
{
	(void)k, (void)v, (void)w;
	c->root_access = ROOT_ACCESS_RW;
}

static void param_bootif(struct boot_config *c, const char *k, const char *v, struct cmdline_warnings *w)
{
	char buf[48];
	if (!need_value(k, v, w))
		return;
	if (cmdline_parse_hwaddr(v, &c->bootif_hwtype, c->bootif, &c->bootif_len) != 0) {
		c->bootif_len = 0;
		warn(w, "%s='%s' is not a hardware address like 01-aa-bb-cc-dd-ee-ff, ignored", k,
		     shown(v, buf, sizeof(buf)));
	}
}

/* systemd's net.ifnames=0 (1 is the default): keep the kernel's names. */
static void param_net_ifnames(struct boot_config *c, const char *k, const char *v, struct cmdline_warnings *w)
{
	char buf[48];
	if (!need_value(k, v, w))
		return;
	if (strcmp(v, "0") && strcmp(v, "1")) {
		warn(w, "%s='%s' is neither 0 nor 1, ignored", k, shown(v, buf, sizeof(buf)));
		return;
	}
	c->net_ifnames_off = v[0] == '0';
}

/* A name the kernel accepts: 1-15 characters, no '/', ':' or space, not "." or "..". */
static bool ifname_ok(const char *name, size_t n)
{
	if (n == 0 || n > 15 || (n == 1 && name[0] == '.') || (n == 2 && name[0] == '.' && name[1] == '.'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (name[i] == '/' || name[i] == ':' || (unsigned char)name[i] <= ' ' || (unsigned char)name[i] >= 0x7f)
			return false;
	return true;
}

/* dracut's ifname=<name>:<mac>, repeatable: the interface with that MAC is called name. */
static void param_ifname(struct boot_config *c, const char *k, const char *v, struct cmdline_warnings *w)
{
	char buf[48];
	uint8_t hw[BOOT_HWADDR_MAX], len, type;
	if (!need_value(k, v, w))
		return;
	const char *colon = strchr(v, ':');
	size_t n = colon ? (size_t)(colon - v) : 0;
	if (!colon || !ifname_ok(v, n) || cmdline_parse_hwaddr(colon + 1, &type, hw, &len) != 0 || len != 6 ||
	    type != 1) {
		warn(w, "%s='%s' is not <name>:<aa:bb:cc:dd:ee:ff>, ignored", k, shown(v, buf, sizeof(buf)));
		return;
	}
	if (c->ifname_count >= BOOT_IFNAME_MAX) {
		warn(w, "%s='%s': more than %d ifname=, ignored", k, shown(v, buf, sizeof(buf)), BOOT_IFNAME_MAX);
		return;
	}
	memcpy(c->ifname[c->ifname_count].name, v, n);
	c->ifname[c->ifname_count].name[n] = '\0';
	memcpy(c->ifname[c->ifname_count++].mac, hw, 6);
}

static void param_rd_break(struct boot_config *c, const char *k, const char *v, struct cmdline_warnings *w)
{
	static const char *const dracut_only[] = { "cmdline", "pre-udev", "pre-trigger", "initqueue",
						   "cleanup", "pre-shutdown", "shutdown" };
	char buf[48];
	/* rd.break accumulates (dracut allows several); a bare rd.break stops before switch_root. */
	if (!v || !*v || !strcmp(v, "pre-pivot"))
		c->rd_break |= RD_BREAK_PRE_PIVOT;
	else if (!strcmp(v, "pre-mount"))
		c->rd_break |= RD_BREAK_PRE_MOUNT;
	else if (!strcmp(v, "mount"))
		c->rd_break |= RD_BREAK_MOUNT;
	else {
		for (size_t i = 0; i < sizeof(dracut_only) / sizeof(dracut_only[0]); i++) {
			if (!strcmp(v, dracut_only[i])) {
				warn(w, "%s=%s has no equivalent in ghostinit (use pre-mount, mount or pre-pivot), ignored", k, v);
				return;
			}
		}
		warn(w, "%s='%s' is not one of pre-mount, mount, pre-pivot; ignored", k,
		     shown(v, buf, sizeof(buf)));
	}
}

static int parse_bool(const char *v, bool *out)
{
	if (!v || !*v || !strcmp(v, "1") || !strcmp(v, "yes") || !strcmp(v, "on") || !strcmp(v, "true"))
		*out = true;
	else if (!strcmp(v, "0") || !strcmp(v, "no") || !strcmp(v, "off") || !strcmp(v, "false"))
		*out = false;
	else
		return -EINVAL;
	return 0;
}

static void bool_param(bool *field, const char *k, const char *v, struct cmdline_warnings *w)
{
	char buf[48];
	if (parse_bool(v, field) != 0)
		warn(w, "%s='%s' is not 0 or 1, ignored", k, shown(v, buf, sizeof(buf)));
}

static void param_rd_shell(struct boot_config *c, const char *k, const char *v, struct cmdline_warnings *w)
{
	bool_param(&c->rd_shell, k, v, w);
}

static void param_debug(struct boot_config *c, const char *k, const char *v, struct cmdline_warnings *w)
{
	bool_param(&c->debug, k, v, w);
}

static void param_panic(struct boot_config *c, const char *k, const char *v, struct cmdline_warnings *w)
{
	char buf[48];
	char *end;
	if (!need_value(k, v, w))
		return;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (*end || end == v || errno || n < -1000000 || n > 1000000) {
		warn(w, "%s='%s' is not a number of seconds, ignored", k, shown(v, buf, sizeof(buf)));
		return;
	}
	if (n == 0) {
		/* The kernel's panic=0 waits forever: a diskless node must come back by itself. */
		warn(w, "%s=0 would wait forever; ghostinit resets after %d s", k, GHOST_DEFAULT_PANIC_SECONDS);
		n = GHOST_DEFAULT_PANIC_SECONDS;
	}
	c->panic_set = true;
	c->panic_seconds = (int)n;
}

/* The kernel's acpi=: "off" disables ACPI (and with it the power-off), "force" enables it
 * again; its other values leave that alone. The kernel warns about values it does not know. */
static void param_acpi(struct boot_config *c, const char *k, const char *v, struct cmdline_warnings *w)
{
	(void)k;
	(void)w;
	if (v && !strcmp(v, "off"))
		c->acpi_off = true;
	else if (v && !strcmp(v, "force"))
		c->acpi_off = false;
}

static void param_master(struct boot_config *c, const char *k, const char *v, struct cmdline_warnings *w)
{
	char buf[48], host[INET_ADDRSTRLEN];
	struct in_addr addr;
	unsigned long port = GHOST_DEFAULT_MASTER_PORT;
	if (!need_value(k, v, w))
		return;
	const char *colon = strchr(v, ':');
	size_t host_len = colon ? (size_t)(colon - v) : strlen(v);
	if (host_len == 0 || host_len >= sizeof(host))
		goto bad;
	memcpy(host, v, host_len);
	host[host_len] = '\0';
	if (inet_pton(AF_INET, host, &addr) != 1)
		goto bad;
	if (colon) {
		char *end;
		if (!isdigit((unsigned char)colon[1]))
			goto bad;
		port = strtoul(colon + 1, &end, 10);
		if (*end || port == 0 || port > 65535)
			goto bad;
	}
	c->master_ip = addr.s_addr;
	c->master_port = (uint16_t)port;
	return;
bad:
	warn(w, "%s='%s' is not <ipv4>[:<port>], ignored", k, shown(v, buf, sizeof(buf)));
}

/* A value that is not a key may still be most of one (a typo): it is never echoed, neither on
 * the console nor in the warnings reported to the master. */
static void param_key(struct boot_config *c, const char *k, const char *v, struct cmdline_warnings *w)
{
	if (!need_value(k, v, w))
		return;
	uint8_t key[REPORT_KEY_MAX];
	if (v[0] != '/') {
		int len = report_wire_parse_key(v, strlen(v), key); /* the rule ghostwatch keeps too */
		memset(key, 0, sizeof(key));
		if (len < 0) {
			warn(w, "%s= (%zu characters, not shown) is neither a file path nor 32-128 hex "
				"digits, ignored", k, strlen(v));
			return;
		}
		if (strlen(v) >= sizeof(c->key)) {
			warn(w, "%s= (%zu characters, not shown) is too long, ignored", k, strlen(v));
			return;
		}
		warn(w, "%s=<hex>: every local user can read the key in /proc/cmdline; prefer the "
			"per-node key file (docs/protocol.md)", k);
	}
	copy_string(c->key, sizeof(c->key), k, v, w);
}

static int valid_tmpfs_size(const char *s)
{
	size_t i = 0;
	while (isdigit((unsigned char)s[i]))
		i++;
	if (i == 0 || i > 12)
		return 0;
	return s[i] == '\0' || (strchr("kKmMgG%", s[i]) && s[i + 1] == '\0');
}

static void param_overlay(struct boot_config *c, const char *k, const char *v, struct cmdline_warnings *w)
{
	char buf[48];
	if (!need_value(k, v, w))
		return;
	if (!strcmp(v, "none") || !strcmp(v, "0")) {
		c->overlay = OVERLAY_NONE;
		return;
	}
	if (strncmp(v, "tmpfs", 5) == 0 && (v[5] == '\0' || v[5] == ':')) {
		const char *size = v[5] == ':' ? v + 6 : NULL;
		if (size) {
			if (strncmp(size, "size=", 5) != 0 || !valid_tmpfs_size(size + 5) ||
			    strlen(size + 5) >= sizeof(c->overlay_size))
				goto bad;
			memcpy(c->overlay_size, size + 5, strlen(size + 5) + 1);
		} else {
			c->overlay_size[0] = '\0';
		}
		c->overlay = OVERLAY_TMPFS;
		return;
	}
bad:
	warn(w, "%s='%s' is not none or tmpfs[:size=N[k|m|g|%%]], ignored", k, shown(v, buf, sizeof(buf)));
}

static void param_reset(struct boot_config *c, const char *k, const char *v, struct cmdline_warnings *w)
{
	static const char *const names[] = { [RESET_PCI] = "pci", [RESET_ACPI] = "acpi", [RESET_KBD] = "kbd",
					     [RESET_EFI] = "efi", [RESET_TRIPLE] = "triple" };
	char buf[48];
	if (!need_value(k, v, w))
		return;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(v, names[i])) {
			c->reset = (enum reset_method)i;
			return;
		}
	}
	warn(w, "%s='%s' is not one of pci, acpi, kbd, efi, triple; ignored", k, shown(v, buf, sizeof(buf)));
}

static void seconds_param(uint32_t *field, uint32_t max_ms, const char *k, const char *v,
			  struct cmdline_warnings *w)
{
	char buf[48];
	uint32_t ms;
	if (!need_value(k, v, w))
		return;
	int err = cmdline_parse_seconds(v, max_ms, &ms);
	if (err == 0 && ms > 0)
		*field = ms;
	else if (err == -ERANGE)
		warn(w, "%s='%s' is more than %u s, ignored", k, shown(v, buf, sizeof(buf)), max_ms / 1000);
	else
		warn(w, "%s='%s' is not a positive number of seconds, ignored", k, shown(v, buf, sizeof(buf)));
}

#define SECONDS_PARAM(field, max_s)                                                            \
	static void param_##field(struct boot_config *c, const char *k, const char *v,         \
				  struct cmdline_warnings *w)                                  \
	{                                                                                      \
		seconds_param(&c->field, (max_s) * 1000u, k, v, w);                            \
	}
SECONDS_PARAM(carrier_timeout_ms, 3600)
SECONDS_PARAM(dhcp_timeout_ms, 3600)
SECONDS_PARAM(root_timeout_ms, 86400)
SECONDS_PARAM(shutdown_timeout_ms, 3600)

static void param_heartbeat(struct boot_config *c, const char *k, const char *v, struct cmdline_warnings *w)
{
	uint32_t ms = 0;
	seconds_param(&ms, 86400u * 1000u, k, v, w);
	if (ms)
		c->heartbeat_s = ms < 1000 ? 1 : ms / 1000;
}

/* Holds the reports back at v1 while the master's ghostwatch predates v2 (docs/protocol.md). */
static void param_protocol(struct boot_config *c, const char *k, const char *v, struct cmdline_warnings *w)
{
	char buf[48];
	if (!need_value(k, v, w))
		return;
	if ((v[0] == '1' || v[0] == '2') && !v[1])
		c->protocol = (uint8_t)(v[0] - '0');
	else
		warn(w, "%s='%s' is not 1 or 2, ignored", k, shown(v, buf, sizeof(buf)));
}

/* ethtool's letters (`wol g`, `wol d`), the words admins type for them too. */
static void param_wol(struct boot_config *c, const char *k, const char *v, struct cmdline_warnings *w)
{
	char buf[48];
	if (!need_value(k, v, w))
		return;
	if (!strcmp(v, "g") || !strcmp(v, "magic"))
		c->wol = WOL_MAGIC;
	else if (!strcmp(v, "d") || !strcmp(v, "off"))
		c->wol = WOL_OFF;
	else
		warn(w, "%s='%s' is not g (magic packet) or d (off), ignored", k, shown(v, buf, sizeof(buf)));
}

static const struct param {
	const char *name;
	param_handler handle;
} params[] = {
	{ "ip", param_ip },
	{ "root", param_root },
	{ "nfsroot", param_nfsroot },
	{ "rootflags", param_rootflags },
	{ "rootfstype", param_rootfstype },
	{ "init", param_init },
	{ "ro", param_ro },
	{ "rw", param_rw },
	{ "BOOTIF", param_bootif },
	{ "net.ifnames", param_net_ifnames },
	{ "ifname", param_ifname },
	{ "rd.break", param_rd_break },
	{ "rd.shell", param_rd_shell },
	{ "panic", param_panic },
	{ "acpi", param_acpi },
	{ "ghost.master", param_master },
	{ "ghost.key", param_key },
	{ "ghost.overlay", param_overlay },
	{ "ghost.reset", param_reset },
	{ "ghost.carrier_timeout", param_carrier_timeout_ms },
	{ "ghost.dhcp_timeout", param_dhcp_timeout_ms },
	{ "ghost.root_timeout", param_root_timeout_ms },
	{ "ghost.shutdown_timeout", param_shutdown_timeout_ms },
	{ "ghost.heartbeat", param_heartbeat },
	{ "ghost.protocol", param_protocol },
	{ "ghost.wol", param_wol },
	{ "ghost.debug", param_debug },
};

static void apply(struct boot_config *cfg, char *token, struct cmdline_warnings *w)
{
	char *eq = strchr(token, '=');
	const char *value = NULL;
	if (eq) {
		*eq = '\0';
		value = eq + 1;
	}
	for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		if (!strcmp(token, params[i].name)) {
			params[i].handle(cfg, token, value, w);
			return;
		}
	}
	if (!strncmp(token, "ghost.", 6)) {
		char buf[48];
		warn(w, "unknown parameter '%s', ignored", shown(token, buf, sizeof(buf)));
	}
	/* Anything else belongs to the kernel or to the real init. */
}

unsigned cmdline_parse(const char *text, size_t len, struct boot_config *cfg,
		       struct cmdline_warnings *w)
{
	char token[TOKEN_MAX];
	size_t i = 0;
	boot_config_defaults(cfg);
	memset(w, 0, sizeof(*w));
	while (i < len && text[i]) {
		while (i < len && isspace((unsigned char)text[i]))
			i++;
		if (i >= len || !text[i])
			break;
		size_t n = 0;
		int in_quote = 0, overflow = 0;
		for (; i < len && text[i] && (in_quote || !isspace((unsigned char)text[i])); i++) {
			if (text[i] == '"') {
				in_quote = !in_quote;
				continue;
			}
			if (n + 1 < sizeof(token))
				token[n++] = text[i];
			else
				overflow = 1;
		}
		token[n] = '\0';
		if (overflow) {
			char buf[48];
			warn(w, "parameter '%s' is longer than %d bytes, ignored", shown(token, buf, sizeof(buf)),
			     TOKEN_MAX - 1);
			continue;
		}
		if (!strcmp(token, "--"))
			break; /* the rest is for the real init */
		apply(cfg, token, w);
	}
	return w->count;
}
