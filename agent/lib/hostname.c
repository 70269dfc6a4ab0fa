/* Host name check (see hostname.h). No trailing dot: a host name, not a DNS name. */
#include "lib/hostname.h"

static int label_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

int hostname_valid(const char *s)
{
	unsigned total = 0, label = 0;
	char prev = '.';
	for (; *s; s++, total++) {
		char c = *s;
		if (total >= HOSTNAME_MAX)
			return 0;
		if (c == '.') {
			if (prev == '.' || prev == '-')
				return 0; /* empty label, or one ending with '-' */
			label = 0;
		} else if (!label_char(c) || (c == '-' && prev == '.') || ++label > 63) {
			return 0;
		}
		prev = c;
	}
	return total > 0 && prev != '.' && prev != '-';
}
