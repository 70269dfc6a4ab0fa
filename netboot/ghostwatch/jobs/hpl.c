/* HPL.dat from the inventory (see hpl.h). */
#include "jobs/hpl.h"

#include <errno.h>

uint64_t hpl_usable_mib(const struct hpl_node *node, uint32_t overlay_mib)
{
	uint64_t reserve = node->mem_mib / 10;
	if (reserve < HPL_RESERVE_MIN_MIB)
		reserve = HPL_RESERVE_MIN_MIB;
	reserve += overlay_mib;
	return node->mem_mib > reserve ? node->mem_mib - reserve : 0;
}

/* floor(sqrt(x)), by bisection: exact for every 64-bit value, no libm. */
static uint64_t isqrt(uint64_t x)
{
	uint64_t lo = 0, hi = x < 2 ? x : (x >> 1 < UINT32_MAX ? x >> 1 : UINT32_MAX);
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo + 1) / 2;
		if (mid <= x / mid)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* The largest divisor of ranks not above its square root: P, with Q = ranks / P >= P. */
static uint32_t grid_p(uint32_t ranks)
{
	uint32_t p = 1;
	for (uint32_t d = 1; (uint64_t)d * d <= ranks; d++)
		if (ranks % d == 0)
			p = d;
	return p;
}

int hpl_size(const struct hpl_node *nodes, size_t count, const struct hpl_rule *rule, struct hpl_size *out)
{
	if (!(rule->fraction >= 0.05 && rule->fraction <= 0.95) || rule->nb < 16 || rule->nb > 1024)
		return -EINVAL;
	uint64_t usable = 0, ranks = 0;
	uint32_t counted = 0;
	for (size_t i = 0; i < count; i++) {
		uint64_t mib = hpl_usable_mib(&nodes[i], rule->overlay_mib);
		if (!mib)
			continue;
		usable += mib;
		ranks += nodes[i].cores ? nodes[i].cores : 1;
		counted++;
	}
	/* N^2 doubles of 8 bytes in that share of the memory. */
	double doubles = rule->fraction * (double)usable * 1048576.0 / 8.0;
	uint64_t n = isqrt((uint64_t)doubles) / rule->nb * rule->nb;
	if (!counted || n == 0 || ranks > UINT32_MAX)
		return -ENOENT;
	out->n = n;
	out->nb = rule->nb;
	out->p = grid_p((uint32_t)ranks);
	out->q = (uint32_t)ranks / out->p;
	out->nodes = counted;
	out->usable_mib = usable;
	return 0;
}

void hpl_dat_print(FILE *out, const struct hpl_size *s, const struct hpl_rule *rule, int hpcc)
{
	fprintf(out,
		"HPLinpack benchmark input file\n"
		"ghostboot: N=%llu from %.0f%% of %llu MiB usable on %u nodes; NB=%u; P x Q = %u x %u, one rank a core\n"
		"HPL.out      output file name (if any)\n"
		"6            device out (6=stdout,7=stderr,file)\n"
		"1            # of problems sizes (N)\n"
		"%-12llu Ns\n"
		"1            # of NBs\n"
		"%-12u NBs\n"
		"0            PMAP process mapping (0=Row-,1=Column-major)\n"
		"1            # of process grids (P x Q)\n"
		"%-12u Ps\n"
		"%-12u Qs\n"
		"16.0         threshold\n"
		"1            # of panel fact\n"
		"2            PFACTs (0=left, 1=Crout, 2=Right)\n"
		"1            # of recursive stopping criterium\n"
		"4            NBMINs (>= 1)\n"
		"1            # of panels in recursion\n"
		"2            NDIVs\n"
		"1            # of recursive panel fact.\n"
		"1            RFACTs (0=left, 1=Crout, 2=Right)\n"
		"1            # of broadcast\n"
		"1            BCASTs (0=1rg,1=1rM,2=2rg,3=2rM,4=Lng,5=LnM)\n"
		"1            # of lookahead depth\n"
		"1            DEPTHs (>=0)\n"
		"2            SWAP (0=bin-exch,1=long,2=mix)\n"
		"64           swapping threshold\n"
		"0            L1 in (0=transposed,1=no-transposed) form\n"
		"0            U  in (0=transposed,1=no-transposed) form\n"
		"1            Equilibration (0=no,1=yes)\n"
		"8            memory alignment in double (> 0)\n",
		(unsigned long long)s->n, rule->fraction * 100.0, (unsigned long long)s->usable_mib, s->nodes, s->nb,
		s->p, s->q, (unsigned long long)s->n, s->nb, s->p, s->q);
	if (hpcc) /* hpcc reads HPL's lines, a separator, then PTRANS's sizes: none beyond HPL's */
		fprintf(out, "##### This line (no. 32) is ignored (it serves as a separator). ######\n"
			     "0            Number of additional problem sizes for PTRANS\n"
			     "%-12llu values of N\n"
			     "0            number of additional blocking sizes for PTRANS\n"
			     "%-12u values of NB\n",
			(unsigned long long)s->n, s->nb);
}
