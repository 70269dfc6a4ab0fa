/* Slurm node lines from the inventory (see slurm_nodes.h). */
#include "jobs/slurm_nodes.h"

#include <errno.h>
#include <string.h>

#include "state/node_filter.h"
#include "view/status.h"

uint64_t slurm_real_memory(uint32_t pages, uint16_t page_kib, uint32_t mem_mib)
{
	if (!pages || !page_kib)
		return mem_mib;
	/* The very expression of slurmd's get_memory(), float and all, so that large machines
	 * round the same way. */
	return (uint64_t)((float)pages * ((double)page_kib * 1024 / 1048576.0));
}

int slurm_node_from(const struct node *n, const char *name, struct slurm_node *s)
{
	const struct report_inventory *inv = &n->inv;
	if (!n->has_inventory)
		return -ENODATA;
	memset(s, 0, sizeof(*s));
	s->name = name;
	status_node_ip(n, s->addr);
	s->cpus = inv->threads ? inv->threads : 1;
	s->real_memory = slurm_real_memory(inv->mem_pages, inv->page_kib, inv->mem_mib);
	/* hwloc's arithmetic: threads per core = PUs / cores, cores per socket = cores /
	 * packages; a topology that does not divide is not guessed at. */
	unsigned cores = inv->cores;
	if (inv->sockets && cores && s->cpus % cores == 0 && cores % inv->sockets == 0) {
		s->sockets = inv->sockets;
		s->cores_per_socket = cores / inv->sockets;
		s->threads_per_core = s->cpus / cores;
	}
	return 0;
}

static void print_line(FILE *out, const struct slurm_node *s)
{
	fprintf(out, "NodeName=%s NodeAddr=%s CPUs=%u ", s->name, s->addr, s->cpus);
	if (s->sockets)
		fprintf(out, "Boards=1 SocketsPerBoard=%u CoresPerSocket=%u ThreadsPerCore=%u ", s->sockets,
			s->cores_per_socket, s->threads_per_core);
	fprintf(out, "RealMemory=%llu\n", (unsigned long long)s->real_memory);
}

static void print_json(FILE *out, const struct slurm_node *s, int first)
{
	/* Names and addresses are RFC 1123 names and dotted quads: nothing to escape. */
	fprintf(out, "%s\n{\"name\":\"%s\",\"addr\":\"%s\",\"cpus\":%u,", first ? "" : ",", s->name, s->addr,
		s->cpus);
	if (s->sockets)
		fprintf(out, "\"boards\":1,\"sockets_per_board\":%u,\"cores_per_socket\":%u,\"threads_per_core\":%u,",
			s->sockets, s->cores_per_socket, s->threads_per_core);
	fprintf(out, "\"real_memory\":%llu}", (unsigned long long)s->real_memory);
}

unsigned slurm_nodes_print(FILE *out, FILE *err, struct nodes *t, const struct cluster_list *l,
			   const struct hostlist *filter, int json)
{
	unsigned printed = 0;
	if (json)
		fputc('[', out);
	for (uint32_t i = 0; i < nodes_count(t); i++) {
		const struct node *n = nodes_at(t, i);
		const char *name = node_filter_name(n, l);
		struct slurm_node s;
		if (n->unlisted || !name[0] || (filter && !hostlist_contains(filter, name)))
			continue;
		if (slurm_node_from(n, name, &s))
			continue;
		if (!s.sockets)
			fprintf(err, "ghostwatch slurm-nodes: %s: no socket count in its inventory (ghostinit "
				     "before 0.8): CPUs and RealMemory only\n", name);
		if (json)
			print_json(out, &s, !printed);
		else
			print_line(out, &s);
		printed++;
	}
	if (json)
		fprintf(out, "\n]\n");
	return printed;
}
