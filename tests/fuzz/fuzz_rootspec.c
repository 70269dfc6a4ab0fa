/* Fuzzes rootspec: the input is split into root=, nfsroot=, rootflags=, rootfstype= and the
 * DHCP root-path (NUL bytes separate them), so every parser path sees hostile text. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "root/rootspec.h"

static size_t take(const uint8_t **data, size_t *size, char *out, size_t cap)
{
	size_t n = 0;
	while (n < *size && (*data)[n] != 0)
		n++;
	size_t copy = n < cap - 1 ? n : cap - 1;
	memcpy(out, *data, copy);
	out[copy] = '\0';
	*data += n < *size ? n + 1 : n;
	*size -= n < *size ? n + 1 : n;
	return copy;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_config cfg;
	static struct rootspec spec;
	char err[ROOTSPEC_ERR_MAX], opts[ROOTSPEC_OPTS_MAX], src[ROOTSPEC_PATH_MAX + 32];
	uint8_t flags = size ? data[0] : 0;
	if (size) {
		data++;
		size--;
	}
	memset(&cfg, 0, sizeof(cfg));
	take(&data, &size, cfg.root, sizeof(cfg.root));
	take(&data, &size, cfg.nfsroot, sizeof(cfg.nfsroot));
	take(&data, &size, cfg.rootflags, sizeof(cfg.rootflags));
	take(&data, &size, cfg.rootfstype, sizeof(cfg.rootfstype));
	cfg.overlay = (flags & 1) ? OVERLAY_TMPFS : OVERLAY_NONE;
	cfg.root_access = (enum root_access)((flags >> 1) % 3);

	/* the rest is the root-path, exactly as many bytes as DHCP gave (no terminator) */
	struct rootspec_facts facts = { 0 };
	facts.client_ip = (flags & 8) ? 0 : 0x0f02000a;
	facts.next_server = (flags & 16) ? 0 : 0x0202000a;
	facts.root_path = (const char *)data;
	facts.root_path_len = size;
	if (rootspec_parse(&cfg, &facts, &spec, err, (flags & 32) ? sizeof(err) : 7) == 0 &&
	    spec.kind == ROOTSPEC_NFS) {
		(void)rootspec_nfs_options(&spec, facts.client_ip, opts, (flags & 64) ? sizeof(opts) : 20);
		(void)rootspec_nfs_source(&spec, src, sizeof(src));
	}
	return 0;
}
