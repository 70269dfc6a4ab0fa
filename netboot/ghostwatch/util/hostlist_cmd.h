/* `ghostwatch hostlist expand|compress` for shell tools (netboot/admin/ghostboot), and the
 * host list arguments of other subcommands: hostlist.h with the messages and I/O. */
#ifndef GW_HOSTLIST_CMD_H
#define GW_HOSTLIST_CMD_H

#include <stdio.h>

#include "util/hostlist.h"

/* Expands a command-line argument into h (hostlist_free); 0, or -1 after saying on stderr
 * what is wrong, with a caret under the fault. */
int hostlist_cmd_parse(const char *expr, struct hostlist *h);
/* One name a line (json: {"names":[...]}); returns the exit status (0, or 2: a bad list). */
int hostlist_cmd_expand(FILE *out, const char *expr, int json);
/* names (n > 0), else whitespace-separated names read from in, folded (json:
 * {"hostlist":"..."}); returns the exit status (0, 1: a name that is not a host name, too
 * many names, or unreadable input). */
int hostlist_cmd_compress(FILE *out, FILE *in, const char **names, unsigned n, int json);

#endif
