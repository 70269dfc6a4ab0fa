/* HPL sized from the inventory: the rule that replaces tuning HPL.dat by hand (docs/hpl.md).
 * N fills a fraction of the memory the nodes can give (each node's RAM less what its system
 * and its tmpfs overlay keep), rounded down to a multiple of NB; one MPI rank per physical
 * core, on the most nearly square grid P x Q with P <= Q (HPL's advice: communication along
 * the short side). Pure: no I/O but the printer's stream. */
#ifndef GW_HPL_H
#define GW_HPL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct hpl_node {
	uint32_t mem_mib; /* the node's RAM, as it reported */
	uint32_t cores;   /* physical cores (threads when it did not say) */
};

struct hpl_rule {
	double fraction;      /* of the usable memory the matrix may take (0.05-0.95; default 0.80) */
	uint32_t nb;          /* block size (16-1024; default 192) */
	uint32_t overlay_mib; /* each node's tmpfs overlay limit (ghost.overlay=tmpfs:size=): kept free */
};

#define HPL_DEFAULT_FRACTION 0.80
#define HPL_DEFAULT_NB 192
/* What a node keeps for its own system besides the overlay: 10% of its RAM, at least this. */
#define HPL_RESERVE_MIN_MIB 256

struct hpl_size {
	uint64_t n;
	uint32_t nb, p, q;
	uint32_t nodes;      /* the nodes counted (enough memory left) */
	uint64_t usable_mib; /* their memory for HPL, summed */
};

/* The size for these nodes: 0, -EINVAL for a rule out of range, -ENOENT when no node has
 * memory left for the matrix (N would be below one block). */
int hpl_size(const struct hpl_node *nodes, size_t count, const struct hpl_rule *rule, struct hpl_size *out);

/* A node's memory for HPL: its RAM less its reserve and the overlay (0 when nothing is left). */
uint64_t hpl_usable_mib(const struct hpl_node *node, uint32_t overlay_mib);

/* HPL.dat for that size (with hpcc, its hpccinf.txt: the same lines and PTRANS's four). */
void hpl_dat_print(FILE *out, const struct hpl_size *s, const struct hpl_rule *rule, int hpcc);

#endif
