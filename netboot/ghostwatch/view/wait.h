/* `ghostwatch wait`: whether the named nodes have reached a state, from one look at the state
 * serve keeps (the command polls it). Pure: the caller loads the state and sleeps. */
#ifndef GW_WAIT_H
#define GW_WAIT_H

#include <stddef.h>
#include <stdint.h>

#include "state/cluster_list.h"
#include "util/hostlist.h"
#include "state/nodes.h"

enum wait_outcome {
	WAIT_PENDING = 0, /* some nodes are not there yet (laggards) */
	WAIT_DONE,        /* every named node is in the state */
	WAIT_FAILED,      /* one reported a fatal error: waiting longer cannot help */
};

#define WAIT_TEXT_MAX 512

struct wait_progress {
	size_t total, reached, laggard_count;
	char laggards[WAIT_TEXT_MAX]; /* "w2 (booting), w5 (absent)", cut with ", ..." */
	char failed[WAIT_TEXT_MAX];   /* "w3: <its error text>" for WAIT_FAILED */
};

/* For each distinct name of h: the node t knows by that name (l, when not NULL, names nodes
 * by the cluster file, else their reported host name), and whether it is in want (NODE_UP or
 * NODE_DOWN). A name no node has is "absent". Returns the outcome, or -ENOMEM. */
int wait_check(struct nodes *t, const struct cluster_list *l, const struct hostlist *h, enum node_state want,
	       int64_t now_ms, const struct nodes_limits *lim, struct wait_progress *p);

#endif
