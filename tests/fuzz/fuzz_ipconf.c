/* libFuzzer target: the ip= parser reads exactly the bytes it is given, and what it accepts
 * is consistent (NUL-terminated names, a contiguous netmask, a method it knows). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "net/ipconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipconf c;
	char err[IPCONF_ERROR_LEN];
	char *copy = size ? __builtin_malloc(size) : NULL; /* exact size: ASan sees overreads */
	if (size && !copy)
		return 0;
	if (size)
		memcpy(copy, data, size);
	int rc = ipconf_parse(copy, size, &c, err, sizeof(err));
	if (rc == 0) {
		if (strlen(c.hostname) >= IPCONF_HOSTNAME_MAX || strlen(c.device) >= IPCONF_DEVICE_MAX)
			__builtin_trap();
		if (c.method > IPCONF_OFF || (c.netmask && ipconf_prefix_len(c.netmask) < 0))
			__builtin_trap();
	} else if (strncmp(err, "ip= ", 4) != 0) {
		__builtin_trap(); /* every error says what it is about */
	}
	__builtin_free(copy);
	return 0;
}
