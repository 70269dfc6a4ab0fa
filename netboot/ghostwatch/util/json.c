/* JSON string output (see json.h). Strings from the wire are printable ASCII already; JSON
 * still needs " and \ escaped, and a control character never reaches the output raw. */
#include "util/json.h"

void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		if ((unsigned char)*s < 0x20)
			fprintf(out, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}
