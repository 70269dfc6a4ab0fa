/* `ghostwatch timeline out.svg`: boot and shutdown stages of every node on one time axis. */
#ifndef GW_TIMELINE_H
#define GW_TIMELINE_H

#include <stdio.h>

#include "state/nodes.h"

#define TIMELINE_MAX_ROWS 2000

/* Writes an SVG document; returns the number of nodes drawn. */
unsigned timeline_print(FILE *out, struct nodes *t);

#endif
