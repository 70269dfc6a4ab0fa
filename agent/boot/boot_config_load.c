/* Reads the kernel command line once and parses it (see boot_config_load.h). */
#include "boot/boot_config_load.h"

#include <string.h>

#include "lib/small_file.h"

int boot_config_load(const char *text, struct boot_config *cfg, struct cmdline_warnings *warnings)
{
	static char buf[BOOT_CMDLINE_MAX];
	ssize_t len = 0;
	if (text) {
		len = (ssize_t)strnlen(text, sizeof(buf) - 1);
		memcpy(buf, text, (size_t)len);
		buf[len] = '\0';
	} else {
		len = small_file_read("/proc/cmdline", buf, sizeof(buf));
	}
	if (len < 0)
		buf[0] = '\0';
	cmdline_parse(buf, len < 0 ? 0 : (size_t)len, cfg, warnings);
	return len < 0 ? (int)len : 0;
}
