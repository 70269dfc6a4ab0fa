/* libFuzzer target: the kernel command line parser on arbitrary bytes, plus its two helpers.
 * Checks invariants the boot relies on, not only the absence of crashes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boot/cmdline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct boot_config cfg;
	static struct cmdline_warnings warnings;
	cmdline_parse((const char *)data, size, &cfg, &warnings);
	if (warnings.count > CMDLINE_MAX_WARNINGS || cfg.bootif_len > BOOT_HWADDR_MAX)
		abort();
	if (memchr(cfg.root, '\0', sizeof(cfg.root)) == NULL || memchr(cfg.ip, '\0', sizeof(cfg.ip)) == NULL ||
	    memchr(cfg.init, '\0', sizeof(cfg.init)) == NULL)
		abort();
	if (cfg.init[0] && cfg.init[0] != '/')
		abort();
	for (unsigned i = 0; i < warnings.count; i++)
		if (memchr(warnings.text[i], '\0', CMDLINE_WARNING_LEN) == NULL)
			abort();

	char value[64];
	size_t n = size < sizeof(value) - 1 ? size : sizeof(value) - 1;
	memcpy(value, data, n);
	value[n] = '\0';
	uint32_t ms;
	if (cmdline_parse_seconds(value, 3600000u, &ms) == 0 && ms > 3600000u)
		abort();
	uint8_t type, addr[BOOT_HWADDR_MAX], len;
	if (cmdline_parse_hwaddr(value, &type, addr, &len) == 0 && (len < 6 || len > BOOT_HWADDR_MAX))
		abort();
	return 0;
}
