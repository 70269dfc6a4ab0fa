/* Usage conventions (see usage.h). */
#include "lib/usage.h"

#include <stdio.h>
#include <string.h>

int usage_asked(int argc, char *const argv[])
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return 1;
	return 0;
}

int usage_print(const char *text, int bad)
{
	fputs(text, bad ? stderr : stdout);
	return bad ? USAGE_EXIT : 0;
}
