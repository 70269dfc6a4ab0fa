/* `ghostwatch hpl-dat`: HPL.dat (or hpcc's hpccinf.txt) for the nodes that are up, sized from
 * what their inventory reports (hpl.h has the rule). */
#ifndef GW_HPL_CMD_H
#define GW_HPL_CMD_H

#include <stdint.h>
#include <stdio.h>

#include "jobs/hpl.h"
#include "state/nodes.h"

/* Writes the file for t's nodes that are up and listed (not those serve --cluster did not
 * know); the why of a refusal on err. 0, or 1 (nothing to size: no node up, no memory). */
int hpl_cmd_print(FILE *out, FILE *err, struct nodes *t, int64_t now_ms, const struct nodes_limits *lim,
		  const struct hpl_rule *rule, int hpcc);

#endif
