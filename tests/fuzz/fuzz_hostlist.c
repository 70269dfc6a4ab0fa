/* libFuzzer target for the host list syntax (netboot/ghostwatch/util/hostlist.c): any bytes are
 * refused or expanded without a fault, within the bounds, into valid host names that
 * hostlist_contains finds; and folding those names gives an expression that expands to the
 * same set (when that expression is within the input bound). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../netboot/ghostwatch/util/hostlist.h"
#include "lib/hostname.h"

/* Each name of a is in b. */
static void subset(const struct hostlist *a, const struct hostlist *b)
{
	for (size_t i = 0; i < a->count; i++)
		if (!hostlist_contains(b, hostlist_name(a, i)))
			__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hostlist h;
	size_t at;
	int err = hostlist_expand((const char *)data, size, &h, &at);
	if (err) {
		if ((err != -EINVAL && err != -E2BIG && err != -ENOMEM) || (err == -EINVAL && at > size) || h.count)
			__builtin_trap();
		return 0;
	}
	if (!h.count || h.count > HOSTLIST_NAMES_MAX || size > HOSTLIST_INPUT_MAX)
		__builtin_trap();
	for (size_t i = 0; i < h.count; i++)
		if (!hostname_valid(hostlist_name(&h, i)))
			__builtin_trap();
	subset(&h, &h);
	if (h.count <= 4096) { /* the round trip, on lists small enough to keep the fuzzer fast */
		const char **names = malloc(h.count * sizeof(*names));
		char *folded;
		size_t bad;
		struct hostlist back;
		if (!names)
			return 0;
		for (size_t i = 0; i < h.count; i++)
			names[i] = hostlist_name(&h, i);
		if (hostlist_compress(names, h.count, &folded, &bad))
			__builtin_trap();
		/* Folding one number per name can be longer than an input may be: then no trip back. */
		if (strlen(folded) <= HOSTLIST_INPUT_MAX) {
			if (hostlist_expand(folded, strlen(folded), &back, &at))
				__builtin_trap();
			subset(&h, &back);
			subset(&back, &h);
			hostlist_free(&back);
		}
		free(folded);
		free(names);
	}
	hostlist_free(&h);
	return 0;
}
