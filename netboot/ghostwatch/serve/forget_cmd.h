/* `ghostwatch forget NODES|MAC...`: which nodes the arguments name, the request to serve
 * (forget.h), and what happened to each, in words. */
#ifndef GW_FORGET_CMD_H
#define GW_FORGET_CMD_H

#include <stdio.h>

#include "state/nodes.h"

/* t: the state as status shows it (absent nodes included). Each argument is a MAC or a host
 * list of names (the cluster file's, else the reported host name; a name that several
 * records carry, e.g. after a NIC change, names them all: give the MAC to pick one).
 * Returns the exit status: 0 done, 1 serve did not answer or could not save, 2 an argument
 * that names no node (nothing asked). */
int forget_cmd(FILE *out, FILE *err, struct nodes *t, const char *state_dir, const char **args,
	       unsigned n, int timeout_ms);

#endif
