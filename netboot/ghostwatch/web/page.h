/* The status page of serve's web port (GET /): the node table and the boot timeline, one
 * HTML document with its CSS inline and no script, no external asset, reloaded every
 * PAGE_REFRESH_S by the browser. Every node-supplied string goes through page_escape. */
#ifndef GW_PAGE_H
#define GW_PAGE_H

#include <stdint.h>
#include <stdio.h>

#include "state/cluster_list.h"
#include "state/nodes.h"

#define PAGE_REFRESH_S 3
#define PAGE_MAX_ROWS 2000 /* the table's bound; the summary still counts every node */

/* s as HTML text or attribute value: & < > " ' as character references, control bytes
 * dropped. */
void page_escape(FILE *out, const char *s);
/* The page for t (and l's listed nodes never heard from, as absent; l may be NULL). */
void page_print(FILE *out, struct nodes *t, const struct cluster_list *l, int64_t now_ms,
		const struct nodes_limits *lim, int insecure);

#endif
