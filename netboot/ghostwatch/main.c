/* ghostwatch: the master's view of every diskless node. `serve` collects the reports;
 * `status`, `hostfile` and `timeline` read the state serve keeps (same defaults, no flags). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cluster_list.h"
#include "gw_hmac.h"
#include "hostfile.h"
#include "mode.h"
#include "node_key.h"
#include "nodes.h"
#include "persist.h"
#include "lib/hex.h"
#include "report/report_wire.h"
#include "serve.h"
#include "status.h"
#include "timeline.h"

#define DEFAULT_KEY_PATH "/etc/ghostwatch/key"
#define DEFAULT_LOST_AFTER_S 120
#define DEFAULT_MAX_NODES 262144
#define MAX_NODES_LIMIT 16777216
#define DEFAULT_RATE 50
#define DEFAULT_BURST 100

static int usage(FILE *out)
{
	fprintf(out,
		"usage: ghostwatch serve    [--port N] [--bind IP] [--state DIR]\n"
		"                           [--master-key FILE | --key FILE | --insecure]\n"
		"                           [--metrics FILE] [--rate N] [--burst N] [--max-nodes N]\n"
		"                           [--lost-after S] [--require-v2] [--cluster NODES] [-v]\n"
		"       ghostwatch status   [--state DIR] [--json] [--once] [--interval S] [--lost-after S]\n"
		"       ghostwatch hostfile [--state DIR]\n"
		"       ghostwatch timeline OUT.svg [--state DIR]\n"
		"       ghostwatch keygen   [--master-key FILE]   (a new master secret, mode 0600)\n"
		"       ghostwatch node-key MAC [--master-key FILE]   (that node's key, hex)\n"
		"defaults: UDP port %u, state %s, per-node keys from %s,\n"
		"          else the one cluster key %s (serve refuses to start without a key unless\n"
		"          --insecure), metrics <state>/metrics.prom, rate %u/s burst %u per node\n"
		"          (counted after the HMAC), lost after %u s\n"
		"          (nodes with ghost.heartbeat=: after 3 missed heartbeats)\n",
		SERVE_DEFAULT_PORT, PERSIST_DEFAULT_DIR, NODE_KEY_MASTER_DEFAULT, DEFAULT_KEY_PATH, DEFAULT_RATE, DEFAULT_BURST,
		DEFAULT_LOST_AFTER_S);
	return out == stderr ? 2 : 0;
}

static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int number(const char *v, unsigned long max, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long x = strtoul(v, &end, 10);
	if (errno || end == v || *end || x > max)
		return -1;
	*out = x;
	return 0;
}

struct options {
	struct serve_options serve;
	const char *key_path;
	const char *master_path;
	const char *cluster_path;
	int json, once, verbose;
	unsigned interval_s;
	const char *out;
};

/* Options common to every subcommand; returns 0, or 2 after printing why. */
static int parse(int argc, char **argv, struct options *o)
{
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		unsigned long x;
		if (!strcmp(a, "--json")) {
			o->json = 1;
			continue;
		}
		if (!strcmp(a, "--once")) {
			o->once = 1;
			continue;
		}
		if (!strcmp(a, "--insecure")) {
			o->serve.insecure = 1;
			continue;
		}
		if (!strcmp(a, "--require-v2")) {
			o->serve.require_v2 = 1;
			continue;
		}
		if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			o->serve.verbose = 1;
			continue;
		}
		if (a[0] != '-') {
			if (o->out)
				goto bad;
			o->out = a;
			continue;
		}
		if (!v)
			goto bad;
		i++;
		if (!strcmp(a, "--state"))
			o->serve.state_dir = v;
		else if (!strcmp(a, "--key"))
			o->key_path = v;
		else if (!strcmp(a, "--cluster"))
			o->cluster_path = v;
		else if (!strcmp(a, "--master-key"))
			o->master_path = v;
		else if (!strcmp(a, "--metrics"))
			o->serve.metrics_path = v;
		else if (!strcmp(a, "--bind"))
			o->serve.bind_ip = v;
		else if (!strcmp(a, "--port") && !number(v, 65535, &x) && x)
			o->serve.port = (uint16_t)x;
		else if (!strcmp(a, "--rate") && !number(v, 10000000, &x))
			o->serve.rate = (uint32_t)x;
		else if (!strcmp(a, "--burst") && !number(v, 10000000, &x) && x)
			o->serve.burst = (uint32_t)x;
		else if (!strcmp(a, "--max-nodes") && !number(v, MAX_NODES_LIMIT, &x) && x)
			o->serve.max_nodes = (uint32_t)x;
		else if (!strcmp(a, "--lost-after") && !number(v, 86400 * 365, &x) && x)
			o->serve.limits.lost_after_s = (uint32_t)x;
		else if (!strcmp(a, "--interval") && !number(v, 3600, &x) && x)
			o->interval_s = (unsigned)x;
		else
			goto bad;
		continue;
bad:
		fprintf(stderr, "ghostwatch: bad option '%s'%s%s\n", a, v ? " " : "", v && a[0] == '-' ? v : "");
		return usage(stderr);
	}
	return 0;
}

static volatile sig_atomic_t interrupted;
static void on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

static struct nodes *load_state(const struct options *o)
{
	/* As many as any serve --max-nodes allows: the state was bounded when it was written. */
	struct nodes *t = nodes_new(MAX_NODES_LIMIT);
	if (!t) {
		fprintf(stderr, "ghostwatch: out of memory\n");
		return NULL;
	}
	int err = persist_load(o->serve.state_dir, t);
	if (err) {
		fprintf(stderr, "ghostwatch: cannot read the state in %s: %s\n", o->serve.state_dir,
			strerror(-err));
		nodes_free(t);
		return NULL;
	}
	/* serve --cluster left its list beside the state: nodes not in it are marked. */
	char path[4096];
	struct cluster_list l;
	unsigned line;
	snprintf(path, sizeof(path), "%s/" CLUSTER_STATE_NAME, o->serve.state_dir);
	if (!cluster_load(path, &l, &line)) {
		cluster_mark(&l, t);
		cluster_free(&l);
	}
	return t;
}

static int run_status(const struct options *o)
{
	/* Live in a terminal (redrawn in place every interval), once otherwise. */
	int live = !o->once && !o->json && isatty(STDOUT_FILENO);
	if (live) {
		struct sigaction sa = { .sa_handler = on_interrupt };
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		printf("\033[?25l"); /* hide the cursor while redrawing */
	}
	do {
		struct nodes *t = load_state(o);
		if (!t)
			return 1;
		int insecure = mode_insecure(o->serve.state_dir);
		if (o->json) {
			status_print_json(stdout, t, wall_ms(), &o->serve.limits, insecure);
		} else {
			if (live)
				printf("\033[H\033[2J");
			status_print_table(stdout, t, wall_ms(), &o->serve.limits, insecure);
		}
		fflush(stdout);
		nodes_free(t);
		if (live) {
			struct timespec ts = { (time_t)o->interval_s, 0 };
			while (nanosleep(&ts, &ts) && !interrupted)
				;
		}
	} while (live && !interrupted);
	if (live)
		printf("\033[?25h\n");
	return 0;
}

/* The master secret of per-node keys: its length, 0 when there is none to use (no
 * --master-key and no default file), or -1 after saying why it cannot be used. */
static int master_secret(const struct options *o, uint8_t secret[REPORT_KEY_MAX])
{
	const char *path = o->master_path ? o->master_path : NODE_KEY_MASTER_DEFAULT;
	if (o->key_path && !o->master_path)
		return 0;
	int len = node_key_load_master(path, secret);
	if (len == -ENOENT && !o->master_path)
		return 0;
	if (len == -EPERM) {
		struct stat st;
		unsigned mode = stat(path, &st) ? 0 : (unsigned)st.st_mode & 0777;
		fprintf(stderr, "ghostwatch: %s is not a private regular file (mode %03o): whoever reads it "
				"can sign for every node; chmod 600 it\n", path, mode);
		return -1;
	}
	if (len < 0) {
		fprintf(stderr, "ghostwatch: cannot use the master secret %s: %s (32-128 hex digits; "
				"ghostwatch keygen makes one)\n", path, strerror(-len));
		return -1;
	}
	return len;
}

static int run_keygen(const struct options *o)
{
	const char *path = o->master_path ? o->master_path : NODE_KEY_MASTER_DEFAULT;
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
			fprintf(stderr, "ghostwatch: cannot create %s: %s\n", dir, strerror(errno));
			return 1;
		}
	}
	int err = node_key_create_master(path);
	if (err) {
		fprintf(stderr, "ghostwatch: cannot create the master secret %s: %s\n", path, strerror(-err));
		return 1;
	}
	fprintf(stderr, "ghostwatch: new master secret in %s (mode 0600)\n", path);
	return 0;
}

static int parse_mac(const char *s, uint8_t mac[REPORT_NODE_LEN])
{
	for (int i = 0; i < REPORT_NODE_LEN; i++) {
		int b = hex_byte(s + 3 * i);
		if (b < 0 || s[3 * i + 2] != (i + 1 < REPORT_NODE_LEN ? ':' : '\0'))
			return -EINVAL;
		mac[i] = (uint8_t)b;
	}
	return 0;
}

/* Prints a node's key for the tools that deliver it (netboot/cluster/generate.sh). */
static int run_node_key(const struct options *o)
{
	uint8_t secret[REPORT_KEY_MAX], mac[REPORT_NODE_LEN], key[NODE_KEY_LEN];
	if (!o->out || parse_mac(o->out, mac)) {
		fprintf(stderr, "ghostwatch: node-key needs a MAC address (aa:bb:cc:dd:ee:ff)\n");
		return 2;
	}
	struct options m = *o;
	m.master_path = o->master_path ? o->master_path : NODE_KEY_MASTER_DEFAULT;
	int len = master_secret(&m, secret);
	if (len <= 0)
		return 1;
	int err = node_key_derive(secret, (size_t)len, mac, key);
	memset(secret, 0, sizeof(secret));
	if (err) {
		fprintf(stderr, "ghostwatch: HKDF failed\n");
		return 1;
	}
	for (int i = 0; i < NODE_KEY_LEN; i++)
		printf("%02x", key[i]);
	printf("\n");
	memset(key, 0, sizeof(key));
	return 0;
}

int main(int argc, char **argv)
{
	struct options o;
	memset(&o, 0, sizeof(o));
	o.serve.state_dir = PERSIST_DEFAULT_DIR;
	o.serve.port = SERVE_DEFAULT_PORT;
	o.serve.rate = DEFAULT_RATE;
	o.serve.burst = DEFAULT_BURST;
	o.serve.max_nodes = DEFAULT_MAX_NODES;
	o.serve.limits.lost_after_s = DEFAULT_LOST_AFTER_S;
	o.interval_s = 1;
	if (argc < 2)
		return usage(stderr);
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help"))
		return usage(stdout);
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		printf("ghostwatch %s\n", GHOSTBOOT_VERSION); /* the top-level VERSION file */
		return 0;
	}
	int rc = parse(argc, argv, &o);
	if (rc)
		return rc;
	if (!strcmp(cmd, "keygen"))
		return run_keygen(&o);
	if (!strcmp(cmd, "node-key"))
		return run_node_key(&o);
	if (!strcmp(cmd, "serve")) {
		static uint8_t key[REPORT_KEY_MAX];
		static struct cluster_list cluster;
		if (o.cluster_path) {
			unsigned line;
			int err = cluster_load(o.cluster_path, &cluster, &line);
			if (err) {
				fprintf(stderr, "ghostwatch: cannot use the cluster list %s%s%.0u: %s (lines "
						"\"name mac ip\", ip '-' for the dhcp-range: netboot/cluster/generate.sh "
						"writes it as OUTDIR/nodes)\n", o.cluster_path, line ? ":" : "", line,
					err == -EINVAL ? "not a node line, or a MAC twice" : strerror(-err));
				return 1;
			}
			o.serve.cluster = &cluster;
		}
		if (o.key_path && o.master_path) {
			fprintf(stderr, "ghostwatch: --key and --master-key: give one (per-node keys need no cluster key)\n");
			return 2;
		}
		rc = master_secret(&o, key);
		if (rc < 0)
			return 1;
		if (rc > 0) {
			o.serve.master = key;
			o.serve.master_len = rc;
			return serve_run(&o.serve);
		}
		const char *path = o.key_path ? o.key_path : DEFAULT_KEY_PATH;
		int len = gw_hmac_load_key(path, key);
		if (len == -ENOENT && !o.key_path && o.serve.insecure)
			len = 0; /* told to run without a key: serve says so in the log, status, metrics */
		else if (len == -ENOENT && !o.key_path) {
			/* Fail closed: without a key anyone on the network writes the node table. */
			fprintf(stderr, "ghostwatch: no cluster key: neither %s nor %s exists; without a "
					"key anyone can forge reports, so serve does not start (ghostwatch "
					"keygen makes a master secret for per-node keys; or give --key FILE, or "
					"--insecure to accept unauthenticated reports)\n",
				NODE_KEY_MASTER_DEFAULT, path);
			return 1;
		}
		if (len < 0) {
			fprintf(stderr, "ghostwatch: cannot use the key in %s: %s (32-128 hex digits)\n",
				path, strerror(-len));
			return 1;
		}
		o.serve.key = key;
		o.serve.keylen = len;
		return serve_run(&o.serve);
	}
	if (!strcmp(cmd, "status"))
		return run_status(&o);
	if (!strcmp(cmd, "hostfile")) {
		struct nodes *t = load_state(&o);
		if (!t)
			return 1;
		hostfile_print(stdout, t, wall_ms(), &o.serve.limits);
		nodes_free(t);
		return 0;
	}
	if (!strcmp(cmd, "timeline")) {
		if (!o.out) {
			fprintf(stderr, "ghostwatch: timeline needs an output file (OUT.svg)\n");
			return 2;
		}
		struct nodes *t = load_state(&o);
		if (!t)
			return 1;
		FILE *f = fopen(o.out, "w");
		if (!f) {
			fprintf(stderr, "ghostwatch: cannot write %s: %s\n", o.out, strerror(errno));
			nodes_free(t);
			return 1;
		}
		unsigned rows = timeline_print(f, t);
		int bad = ferror(f) | fclose(f);
		nodes_free(t);
		if (bad) {
			fprintf(stderr, "ghostwatch: cannot write %s\n", o.out);
			return 1;
		}
		fprintf(stderr, "ghostwatch: %s: %u nodes\n", o.out, rows);
		return 0;
	}
	fprintf(stderr, "ghostwatch: unknown command '%s'\n", cmd);
	return usage(stderr);
}
