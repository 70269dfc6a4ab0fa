/* Fuzz target: any bytes as the boot's report state file (/run/ghostboot/report). What is
 * accepted must have the invariants readers rely on, and format back to a line that parses to
 * the same state. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report_state st, back;
	char line[REPORT_STATE_LINE_MAX];
	if (report_state_parse((const char *)data, size, &st) != 0)
		return 0;
	if (!st.master_port || !st.boot_id || st.daemon_pid < 0)
		abort();
	int n = report_state_format(&st, line, sizeof(line));
	if (n <= 0 || n >= (int)sizeof(line) || report_state_parse(line, (size_t)n, &back) != 0 ||
	    memcmp(&st, &back, sizeof(st)) != 0)
		abort();
	return 0;
}
