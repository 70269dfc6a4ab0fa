/* libFuzzer target for the request heads of serve's web port (netboot/ghostwatch/
 * web/http_request.c): any bytes are refused, incomplete or parsed without a fault; a parsed
 * request is GET or HEAD of a NUL-terminated path that starts with '/' and fits, and every
 * refusal maps to an error status. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "../../netboot/ghostwatch/web/http_request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_request r;
	int err = http_request_parse((const char *)data, size, &r);
	if (err == -EAGAIN) {
		if (size >= HTTP_REQUEST_MAX)
			__builtin_trap(); /* a full buffer is never "read more" */
		return 0;
	}
	if (err) {
		int status = http_request_status(err);
		if (status < 400 || status > 505)
			__builtin_trap();
		return 0;
	}
	size_t n = strnlen(r.path, sizeof(r.path));
	if (n > HTTP_PATH_MAX || r.path[0] != '/' || (r.method != HTTP_GET && r.method != HTTP_HEAD))
		__builtin_trap();
	for (size_t i = 0; i < n; i++)
		if (r.path[i] <= ' ' || r.path[i] > '~' || r.path[i] == '?')
			__builtin_trap();
	return 0;
}
