/* Hex digits (see hex.h). */
#include "lib/hex.h"

int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int hex_byte(const char *p)
{
	int hi = hex_digit(p[0]), lo = hi < 0 ? -1 : hex_digit(p[1]);
	return lo < 0 ? -1 : hi << 4 | lo;
}
