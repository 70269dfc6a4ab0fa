/* libFuzzer target for serve --cluster's node list (netboot/ghostwatch/state/cluster_list.c): any
 * bytes are refused or parsed without a fault; what parses is sorted, unique, with valid names,
 * and each node is found again by its MAC. */
#include <stdint.h>
#include <string.h>

#include "../../netboot/ghostwatch/state/cluster_list.h"
#include "lib/hostname.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cluster_node out[64];
	unsigned line;
	int n = cluster_parse((const char *)data, size, out, 64, &line);
	if (n < 0)
		return 0;
	struct cluster_list l = { out, (size_t)n };
	for (int i = 0; i < n; i++) {
		if (!hostname_valid(out[i].name) || cluster_find(&l, out[i].mac) != &out[i])
			__builtin_trap();
		if (i && memcmp(out[i - 1].mac, out[i].mac, REPORT_NODE_LEN) >= 0)
			__builtin_trap();
	}
	return 0;
}
