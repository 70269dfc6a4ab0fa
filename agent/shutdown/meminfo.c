/* Pure parser of /proc/meminfo's dirty counters (see meminfo.h). Lines: "Name:   123 kB". */
#include "shutdown/meminfo.h"

#include <errno.h>
#include <string.h>

int meminfo_dirty_kb(const char *buf, size_t len, uint64_t *kb)
{
	static const char *const keys[] = { "Dirty:", "Writeback:", "NFS_Unstable:" };
	uint64_t sum = 0;
	int found = 0;
	size_t pos = 0;
	while (pos < len) {
		const char *line = buf + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		pos += n + 1;
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			size_t kl = strlen(keys[k]);
			if (n < kl || memcmp(line, keys[k], kl))
				continue;
			size_t i = kl;
			while (i < n && line[i] == ' ')
				i++;
			uint64_t v = 0;
			size_t digits = 0;
			while (i < n && line[i] >= '0' && line[i] <= '9' && digits < 18) {
				v = v * 10 + (uint64_t)(line[i++] - '0');
				digits++;
			}
			if (digits == 0)
				continue;
			sum += v;
			found = 1;
		}
	}
	if (!found)
		return -ENOENT;
	*kb = sum;
	return 0;
}
