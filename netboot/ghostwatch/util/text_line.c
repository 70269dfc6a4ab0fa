/* Line walker (see text_line.h): the list files' parsers see one bounded string a line. */
#include <errno.h>
#include <string.h>

#include "util/text_line.h"

int text_next_line(const char **text, size_t *len, char *buf, size_t cap)
{
	if (!*len)
		return 0;
	const char *nl = memchr(*text, '\n', *len);
	size_t n = nl ? (size_t)(nl - *text) : *len;
	if (n >= cap || memchr(*text, '\0', n))
		return -EINVAL;
	memcpy(buf, *text, n);
	buf[n] = '\0';
	*text += nl ? n + 1 : n;
	*len -= nl ? n + 1 : n;
	return 1;
}
