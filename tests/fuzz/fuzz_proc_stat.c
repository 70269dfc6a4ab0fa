/* Fuzz target: any bytes as /proc/<pid>/stat and as /proc/<pid>/status (what the shutdown's
 * kill round reads of every process). Checks: no out-of-bounds read, and a stat accepted
 * has a state byte taken from the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shutdown/proc_stat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A private copy of exactly size bytes: ASan catches a read past the end. */
	char *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	struct proc_stat st;
	if (proc_stat_parse(buf, size, &st) == 0 && !memchr(buf, st.state, size))
		abort();
	unsigned uid;
	(void)proc_status_uid(buf, size, &uid);
	free(buf);
	return 0;
}
