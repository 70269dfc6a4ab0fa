/* /proc/cpuinfo → struct cpuinfo: line by line with a cursor and a remaining count; a line
 * is "key<tabs>: value". Physical packages are told apart by "physical id" (capped list). */
#include "report/cpuinfo.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define PACKAGES_MAX 64

/* Compares the key of a line (before the colon, trailing blanks dropped) with name. */
static int key_is(const char *line, size_t keylen, const char *name)
{
	while (keylen && (line[keylen - 1] == ' ' || line[keylen - 1] == '\t'))
		keylen--;
	return keylen == strlen(name) && !memcmp(line, name, keylen);
}

static unsigned number(const char *v, size_t n)
{
	unsigned x = 0;
	for (size_t i = 0; i < n && v[i] >= '0' && v[i] <= '9' && x < 1000000; i++)
		x = x * 10 + (unsigned)(v[i] - '0');
	return x;
}

int cpuinfo_parse(const char *text, size_t len, struct cpuinfo *out)
{
	unsigned packages[PACKAGES_MAX], npackages = 0, package = 0, cores_in_package = 0;
	int package_seen = 0;
	memset(out, 0, sizeof(*out));
	while (len) {
		const char *nl = memchr(text, '\n', len);
		size_t linelen = nl ? (size_t)(nl - text) : len;
		const char *colon = memchr(text, ':', linelen);
		if (colon) {
			size_t keylen = (size_t)(colon - text);
			const char *v = colon + 1;
			size_t vlen = linelen - keylen - 1;
			while (vlen && *v == ' ') {
				v++;
				vlen--;
			}
			if (key_is(text, keylen, "processor")) {
				out->threads++;
			} else if (!out->model[0] && (key_is(text, keylen, "model name") ||
						      key_is(text, keylen, "cpu model") ||
						      key_is(text, keylen, "Processor"))) {
				size_t n = vlen > CPUINFO_MODEL_MAX ? CPUINFO_MODEL_MAX : vlen;
				memcpy(out->model, v, n);
				for (size_t i = 0; i < n; i++)
					if ((unsigned char)out->model[i] < 0x20 || (unsigned char)out->model[i] > 0x7e)
						out->model[i] = '?';
				out->model[n] = '\0';
			} else if (key_is(text, keylen, "physical id")) {
				package = number(v, vlen);
				package_seen = 1;
			} else if (key_is(text, keylen, "cpu cores")) {
				cores_in_package = number(v, vlen);
				/* Count each package once, however many threads it lists. */
				unsigned i = 0;
				while (i < npackages && packages[i] != package)
					i++;
				if (i == npackages && npackages < PACKAGES_MAX && package_seen) {
					packages[npackages++] = package;
					out->cores += cores_in_package;
				}
			}
		}
		if (!nl)
			break;
		len -= linelen + 1;
		text = nl + 1;
	}
	if (!out->threads)
		return -ENOENT;
	if (!out->cores || out->cores > out->threads)
		out->cores = out->threads; /* no topology given (most non-x86, some VMs) */
	return 0;
}
