/* libFuzzer target for ghostwatch power's list (netboot/ghostwatch/power/power_list.c): any bytes
 * are refused or parsed without a fault; what parses has valid names, unique names and MACs,
 * and no word that ipmitool or ssh would take for an option. */
#include <stdint.h>
#include <string.h>

#include "../../netboot/ghostwatch/power/power_list.h"
#include "lib/hostname.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct power_node out[64];
	unsigned line;
	int n = power_list_parse((const char *)data, size, out, 64, &line);
	if (n < 0)
		return 0;
	struct power_list l = { out, (size_t)n };
	for (int i = 0; i < n; i++) {
		if (!hostname_valid(out[i].name) || power_list_find(&l, out[i].name) != &out[i])
			__builtin_trap();
		if (out[i].bmc[0] == '-' || out[i].interface[0] == '-')
			__builtin_trap();
		if (out[i].backend == POWER_IPMI && !out[i].bmc[0])
			__builtin_trap();
		for (int k = 0; k < i; k++)
			if (!memcmp(out[k].mac, out[i].mac, REPORT_NODE_LEN))
				__builtin_trap();
	}
	return 0;
}
