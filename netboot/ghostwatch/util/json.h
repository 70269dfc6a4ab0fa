/* The one JSON string writer of ghostwatch's --json outputs. */
#ifndef GW_JSON_H
#define GW_JSON_H

#include <stdio.h>

/* s as a JSON string: quotes, with " and \ escaped and control characters as \u00XX. */
void json_string(FILE *out, const char *s);

#endif
