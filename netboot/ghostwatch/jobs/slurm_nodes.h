/* `ghostwatch slurm-nodes`: Slurm's NodeName= lines from the nodes' inventory, field for field
 * what `slurmd -C` prints on each node (Slurm 22.05: hwloc's packages, cores and PUs, and
 * RealMemory from the physical page count as its get_memory() computes it). */
#ifndef GW_SLURM_NODES_H
#define GW_SLURM_NODES_H

#include <stdint.h>
#include <stdio.h>

#include "state/cluster_list.h"
#include "util/hostlist.h"
#include "state/nodes.h"

struct slurm_node {
	const char *name;
	char addr[48];
	unsigned cpus;
	unsigned sockets; /* 0: the topology is unknown (an inventory before 0.8), CPUs only */
	unsigned cores_per_socket, threads_per_core;
	uint64_t real_memory; /* MiB */
};

/* slurmd's RealMemory: (float)pages * (page size / 1 MiB), truncated (a float: above 2^24
 * pages it rounds as slurmd does); mem_mib when the node did not send its pages. */
uint64_t slurm_real_memory(uint32_t pages, uint16_t page_kib, uint32_t mem_mib);

/* s from n's inventory under name. 0, or -ENODATA: n has no inventory. */
int slurm_node_from(const struct node *n, const char *name, struct slurm_node *s);

/* The lines (json: an array) for t's listed nodes with an inventory and a name, those of
 * filter only when it is not NULL; l (may be NULL) gives the names. A node without its
 * topology is said on err. Returns the number of nodes printed. */
unsigned slurm_nodes_print(FILE *out, FILE *err, struct nodes *t, const struct cluster_list *l,
			   const struct hostlist *filter, int json);

#endif
