/* libFuzzer target for ghostwatch's saved state: a restart reads a snapshot and the report
 * logs after it from disk, and a disk can hand back anything (a torn write, bit rot, another
 * program's file). The input is split at its first byte into a snapshot and a log.1, both
 * loaded with persist_load, and the table printed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../netboot/ghostwatch/jobs/hostfile.h"
#include "../../netboot/ghostwatch/state/nodes.h"
#include "../../netboot/ghostwatch/state/persist.h"
#include "../../netboot/ghostwatch/view/status.h"
#include "../../netboot/ghostwatch/view/timeline.h"

static char dir[] = "/tmp/fuzz-gw-state.XXXXXX";

static void write_file(const char *name, const uint8_t *data, size_t len)
{
	char path[64];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f)
		abort();
	if (len && fwrite(data, 1, len, f) != len)
		abort();
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	if (!sink) {
		sink = fopen("/dev/null", "w");
		if (!mkdtemp(dir))
			abort();
	}
	if (size < 1)
		return 0;
	size_t split = (size_t)data[0] * size / 256;
	write_file("snapshot", data + 1, split < size - 1 ? split : size - 1);
	write_file("log.1", data + 1 + split, size - 1 > split ? size - 1 - split : 0);
	struct nodes *t = nodes_new(16);
	if (!t)
		return 0;
	(void)persist_load(dir, t);
	const struct nodes_limits lim = { .lost_after_s = 60 };
	int64_t now = 1700000000000;
	status_print_table(sink, t, now, &lim, 0);
	status_print_json(sink, t, now, &lim, 1);
	timeline_print(sink, t);
	hostfile_print(sink, t, now, &lim);
	nodes_free(t);
	return 0;
}
