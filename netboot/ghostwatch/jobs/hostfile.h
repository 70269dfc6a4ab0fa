/* `ghostwatch hostfile`: an OpenMPI hostfile of the nodes that are up. */
#ifndef GW_HOSTFILE_H
#define GW_HOSTFILE_H

#include <stdint.h>
#include <stdio.h>

#include "state/nodes.h"

/* One "<host> slots=<cores>" line per node up, sorted by host; returns the number of lines. */
unsigned hostfile_print(FILE *out, struct nodes *t, int64_t now_ms, const struct nodes_limits *lim);
/* The same hosts as {"hosts":[{"address","slots","name"}]} ("name" "" when none). */
unsigned hostfile_print_json(FILE *out, struct nodes *t, int64_t now_ms, const struct nodes_limits *lim);

#endif
