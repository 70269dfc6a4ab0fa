/* Metrics: nodes per state, boot durations (kernel start to switch-root, current boots) as a
 * histogram, accepted reports and rejected datagrams by reason, acks. */
#include "serve/metrics.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

static const double boot_buckets[] = { 1, 2, 5, 10, 20, 30, 60, 120, 300 };
#define NBUCKETS (sizeof(boot_buckets) / sizeof(boot_buckets[0]))

void metrics_print(FILE *out, struct nodes *t, const struct metrics_counters *c, int64_t now_ms,
		   const struct nodes_limits *lim)
{
	uint64_t states[NODE_STATE_COUNT] = { 0 }, buckets[NBUCKETS] = { 0 }, booted = 0, restores = 0;
	uint64_t on_v1 = 0, unlisted = 0;
	double boot_sum = 0;
	for (uint32_t i = 0; i < nodes_count(t); i++) {
		const struct node *n = nodes_at(t, i);
		states[nodes_state(n, now_ms, lim)]++;
		restores += n->guardian_restores;
		on_v1 += n->protocol != 2;
		unlisted += n->unlisted;
		uint32_t sw = n->stage_ms[REPORT_STAGE_SWITCH_ROOT];
		if (sw == NODES_STAGE_UNSEEN)
			continue;
		double s = sw / 1000.0;
		booted++;
		boot_sum += s;
		for (unsigned b = 0; b < NBUCKETS; b++)
			if (s <= boot_buckets[b])
				buckets[b]++;
	}
	fprintf(out, "# HELP ghostwatch_nodes Nodes known, by state.\n# TYPE ghostwatch_nodes gauge\n");
	for (unsigned s = 0; s < NODE_STATE_COUNT; s++)
		fprintf(out, "ghostwatch_nodes{state=\"%s\"} %llu\n", nodes_state_name(s),
			(unsigned long long)states[s]);
	fprintf(out, "# HELP ghostwatch_nodes_protocol Nodes by the report protocol of their current boot.\n"
		     "# TYPE ghostwatch_nodes_protocol gauge\nghostwatch_nodes_protocol{version=\"1\"} %llu\n"
		     "ghostwatch_nodes_protocol{version=\"2\"} %llu\n",
		(unsigned long long)on_v1, (unsigned long long)(nodes_count(t) - on_v1));
	fprintf(out, "# HELP ghostwatch_nodes_unlisted Nodes not in serve --cluster's list: never in the hostfile.\n"
		     "# TYPE ghostwatch_nodes_unlisted gauge\nghostwatch_nodes_unlisted %llu\n",
		(unsigned long long)unlisted);
	fprintf(out, "# HELP ghostwatch_guardian_restores Boot-link restores by the nodes' guardians, current boots.\n"
		     "# TYPE ghostwatch_guardian_restores gauge\nghostwatch_guardian_restores %llu\n",
		(unsigned long long)restores);
	fprintf(out, "# HELP ghostwatch_boot_seconds Kernel start to switch_root, current boot of each node.\n"
		     "# TYPE ghostwatch_boot_seconds histogram\n");
	for (unsigned b = 0; b < NBUCKETS; b++)
		fprintf(out, "ghostwatch_boot_seconds_bucket{le=\"%g\"} %llu\n", boot_buckets[b],
			(unsigned long long)buckets[b]);
	fprintf(out, "ghostwatch_boot_seconds_bucket{le=\"+Inf\"} %llu\n", (unsigned long long)booted);
	fprintf(out, "ghostwatch_boot_seconds_sum %.3f\nghostwatch_boot_seconds_count %llu\n", boot_sum,
		(unsigned long long)booted);
	if (!c || !c->v)
		return;
	fprintf(out, "# HELP ghostwatch_insecure 1 when serve runs without a cluster key (--insecure): reports can be forged.\n"
		     "# TYPE ghostwatch_insecure gauge\nghostwatch_insecure %d\n", c->insecure ? 1 : 0);
	fprintf(out, "# HELP ghostwatch_datagrams_total Datagrams received.\n"
		     "# TYPE ghostwatch_datagrams_total counter\nghostwatch_datagrams_total %llu\n",
		(unsigned long long)c->datagrams);
	fprintf(out, "# HELP ghostwatch_reports_accepted_total Reports accepted.\n"
		     "# TYPE ghostwatch_reports_accepted_total counter\n"
		     "ghostwatch_reports_accepted_total %llu\n",
		(unsigned long long)c->v->accepted);
	fprintf(out, "# HELP ghostwatch_reports_v1_total Reports accepted in protocol v1 (no freshness proof).\n"
		     "# TYPE ghostwatch_reports_v1_total counter\nghostwatch_reports_v1_total %llu\n",
		(unsigned long long)c->v->accepted_v1);
	fprintf(out, "# HELP ghostwatch_reports_tentative_total v2 openers of a boot: logged and acked "
		     "with the nonce, applied once a report echoes it.\n"
		     "# TYPE ghostwatch_reports_tentative_total counter\nghostwatch_reports_tentative_total %llu\n",
		(unsigned long long)c->v->rejected[REPORT_TENTATIVE]);
	fprintf(out, "# HELP ghostwatch_rejected_total Datagrams dropped, by reason.\n"
		     "# TYPE ghostwatch_rejected_total counter\n");
	for (unsigned r = 1; r < REPORT_TENTATIVE; r++)
		fprintf(out, "ghostwatch_rejected_total{reason=\"%s\"} %llu\n", report_reject_name(r),
			(unsigned long long)c->v->rejected[r]);
	fprintf(out, "# HELP ghostwatch_acks_sent_total Acks sent.\n"
		     "# TYPE ghostwatch_acks_sent_total counter\nghostwatch_acks_sent_total %llu\n",
		(unsigned long long)c->acks_sent);
}

int metrics_write(const char *path, struct nodes *t, const struct metrics_counters *c,
		  int64_t now_ms, const struct nodes_limits *lim)
{
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	FILE *f = fopen(tmp, "w");
	if (!f)
		return -errno;
	metrics_print(f, t, c, now_ms, lim);
	int bad = ferror(f);
	if (fclose(f) || bad) {
		unlink(tmp);
		return -EIO;
	}
	return rename(tmp, path) < 0 ? -errno : 0;
}
