/* ghostwatch: the master's view of every diskless node. `serve` collects the reports;
 * `status`, `hostfile` and `timeline` read the state serve keeps (same defaults, no flags).
 * Each subcommand's options are a table below (cli.h): what it does not list, it refuses. */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "state/cluster_list.h"
#include "keys/gw_hmac.h"
#include "jobs/hostfile.h"
#include "util/hostlist.h"
#include "util/hostlist_cmd.h"
#include "power/power_cmd.h"
#include "power/power_list.h"
#include "power/wake.h"
#include "serve/forget_cmd.h"
#include "jobs/hpl_cmd.h"
#include "view/wait.h"
#include "state/mode.h"
#include "state/node_filter.h"
#include "keys/node_key.h"
#include "web/node_metrics.h"
#include "state/nodes.h"
#include "state/persist.h"
#include "lib/hex.h"
#include "report/report_wire.h"
#include "serve/serve.h"
#include "jobs/slurm_nodes.h"
#include "view/status.h"
#include "view/timeline.h"

#define DEFAULT_KEY_PATH "/etc/ghostboot/cluster.key"
#define OLD_KEY_PATH "/etc/ghostwatch/key" /* 0.6 and before: still read, with a warning */
#define DEFAULT_LOST_AFTER_S 120
#define DEFAULT_MAX_NODES 262144
#define MAX_NODES_LIMIT 16777216
#define DEFAULT_RATE 50
#define DEFAULT_BURST 100
#define STR_(x) #x
#define STR(x) STR_(x)

/* Every option of every subcommand lands here; each subcommand's table says which it takes. */
static struct {
	const char *state_dir, *key_path, *master_path, *cluster_path, *metrics_path, *bind_ip;
	const char *broadcast, *interface;
	const char *http;
	unsigned long http_max_nodes;
	unsigned long wake_port, memory_percent, nb, overlay_mib, timeout, forget_timeout;
	const char *wait_state, *status_state;
	const char *power_list, *credentials, *ssh_config;
	unsigned long power_timeout;
	int hard;
	int hpcc;
	unsigned long port, rate, burst, max_nodes, lost_after, interval;
	int json, once, verbose, insecure, require_v2;
} opt = {
	.state_dir = PERSIST_DEFAULT_DIR, .port = SERVE_DEFAULT_PORT, .rate = DEFAULT_RATE,
	.burst = DEFAULT_BURST, .max_nodes = DEFAULT_MAX_NODES, .lost_after = DEFAULT_LOST_AFTER_S,
	.interval = 1, .broadcast = "255.255.255.255", .wake_port = WAKE_DEFAULT_PORT,
	.memory_percent = (unsigned long)(HPL_DEFAULT_FRACTION * 100), .nb = HPL_DEFAULT_NB,
	.wait_state = "up", .timeout = 600, .forget_timeout = 10, .http_max_nodes = NODE_METRICS_DEFAULT_CAP,
	.power_timeout = POWER_DEFAULT_TIMEOUT_S,
};

#define TEXT(n, mv, h, field) { .name = n, .kind = CLI_TEXT, .metavar = mv, .help = h, .text = &opt.field }
#define FLAG(n, h, field) { .name = n, .kind = CLI_FLAG, .help = h, .flag = &opt.field }
#define NUMBER(n, mv, lo, hi, h, field) \
	{ .name = n, .kind = CLI_NUMBER, .metavar = mv, .min = lo, .max = hi, .help = h, .number = &opt.field }

static const struct cli_option o_state_dir = TEXT("--state-dir", "DIR", "the state serve keeps (default " PERSIST_DEFAULT_DIR ")", state_dir);
/* The old spelling, for this release: every peer's --state filters by node state. */
static const struct cli_option o_state = { .name = "--state", .kind = CLI_TEXT, .metavar = "DIR",
					   .renamed_to = "--state-dir", .text = &opt.state_dir };
static const struct cli_option o_master_key = TEXT("--master-key", "FILE", "master secret of per-node keys (default " NODE_KEY_MASTER_DEFAULT ")", master_path);
static const struct cli_option o_key = TEXT("--key", "FILE", "one cluster key for every node (default " DEFAULT_KEY_PATH ")", key_path);
static const struct cli_option o_insecure = FLAG("--insecure", "accept unauthenticated reports when there is no key", insecure);
static const struct cli_option o_port = NUMBER("--port", "N", 1, 65535, "UDP port (default " STR(SERVE_DEFAULT_PORT) ")", port);
static const struct cli_option o_bind = TEXT("--bind", "IP", "listen on this address only (default: every address)", bind_ip);
static const struct cli_option o_metrics = TEXT("--metrics", "FILE", "Prometheus text file (default DIR/metrics.prom)", metrics_path);
static const struct cli_option o_rate = NUMBER("--rate", "N", 0, 10000000, "reports/s per node after the HMAC, 0: no limit (default " STR(DEFAULT_RATE) ")", rate);
static const struct cli_option o_burst = NUMBER("--burst", "N", 1, 10000000, "burst per node (default " STR(DEFAULT_BURST) ")", burst);
static const struct cli_option o_max_nodes = NUMBER("--max-nodes", "N", 1, MAX_NODES_LIMIT, "bound of the node table (default " STR(DEFAULT_MAX_NODES) ")", max_nodes);
static const struct cli_option o_lost_after = NUMBER("--lost-after", "S", 1, 86400 * 365, "silent that long: lost (default " STR(DEFAULT_LOST_AFTER_S) "; ghost.heartbeat= nodes: 3 beats)", lost_after);
static const struct cli_option o_require_v2 = FLAG("--require-v2", "refuse protocol v1 reports (every node upgraded)", require_v2);
static const struct cli_option o_cluster = TEXT("--cluster", "NODES", "the cluster's node list (generate.sh's OUTDIR/nodes)", cluster_path);
static const struct cli_option o_http = TEXT("--http", "IP:PORT", "serve /metrics (Prometheus) and the status page / there (default: no web port)", http);
static const struct cli_option o_http_max_nodes = NUMBER("--http-max-nodes", "N", 1, MAX_NODES_LIMIT, "per-node series for at most N nodes, the rest counted (default " STR(NODE_METRICS_DEFAULT_CAP) ")", http_max_nodes);
static const struct cli_option o_verbose = { .name = "--verbose", .alias = "-v", .kind = CLI_FLAG,
					     .help = "one line per accepted report", .flag = &opt.verbose };
static const struct cli_option o_json = FLAG("--json", "JSON instead of text", json);
static const struct cli_option o_once = FLAG("--once", "print once, even in a terminal", once);
static const struct cli_option o_interval = NUMBER("--interval", "S", 1, 3600, "redraw period in a terminal (default 1)", interval);

static const struct cli_option *const serve_opts[] = { &o_port, &o_bind, &o_state_dir, &o_state, &o_master_key,
	&o_key, &o_insecure, &o_metrics, &o_rate, &o_burst, &o_max_nodes, &o_lost_after, &o_require_v2, &o_cluster,
	&o_http, &o_http_max_nodes, &o_verbose, NULL };
/* status's --state filters by node state, as wait's and every peer's (the old --state-dir
 * spelling is refused here with a hint: run_status). */
static const struct cli_option o_status_state = TEXT("--state", "STATES", "only nodes in these states, e.g. failed,lost "
	"(booting up shutting-down down failed lost absent)", status_state);
static const struct cli_option *const status_opts[] = { &o_state_dir, &o_status_state, &o_json, &o_once, &o_interval,
	&o_lost_after, NULL };
static const struct cli_option *const hostfile_opts[] = { &o_state_dir, &o_state, &o_json, &o_lost_after, NULL };
static const struct cli_option *const timeline_opts[] = { &o_state_dir, &o_state, NULL };
static const struct cli_option *const key_opts[] = { &o_master_key, NULL };
static const struct cli_option *const hostlist_opts[] = { &o_json, NULL };
static const struct cli_option o_broadcast = TEXT("--broadcast", "IP", "where to send it: the cluster's broadcast address (default 255.255.255.255)", broadcast);
static const struct cli_option o_interface = TEXT("--interface", "IF", "out of this interface (the cluster's), whatever the routes say", interface);
static const struct cli_option o_wake_port = NUMBER("--port", "N", 1, 65535, "UDP port (default " STR(WAKE_DEFAULT_PORT) ")", wake_port);
static const struct cli_option o_memory_percent = NUMBER("--memory-percent", "P", 5, 95, "share of the nodes' usable memory for the matrix (default 80)", memory_percent);
static const struct cli_option o_nb = NUMBER("--nb", "N", 16, 1024, "block size (default " STR(HPL_DEFAULT_NB) ")", nb);
static const struct cli_option o_overlay_mib = NUMBER("--overlay-mib", "M", 0, 1u << 30, "each node's tmpfs overlay limit, kept free (default 0)", overlay_mib);
static const struct cli_option o_hpcc = FLAG("--hpcc", "hpcc's hpccinf.txt: HPL.dat and PTRANS's lines", hpcc);
static const struct cli_option *const hpl_opts[] = { &o_state_dir, &o_state, &o_lost_after, &o_memory_percent,
	&o_nb, &o_overlay_mib, &o_hpcc, NULL };
/* wait's --state is the node state, as in every peer: the old --state-dir spelling is not
 * accepted by this new command. */
static const struct cli_option o_wait_state = TEXT("--state", "up|down", "the state to wait for (default up)", wait_state);
static const struct cli_option o_timeout = NUMBER("--timeout", "S", 1, 86400 * 7, "give up after S seconds (default 600)", timeout);
static const struct cli_option *const wait_opts[] = { &o_state_dir, &o_wait_state, &o_timeout, &o_lost_after, NULL };
static const struct cli_option *const wake_opts[] = { &o_broadcast, &o_interface, &o_wake_port, NULL };
static const struct cli_option *const slurm_nodes_opts[] = { &o_state_dir, &o_json, NULL };
static const struct cli_option o_forget_timeout = NUMBER("--timeout", "S", 1, 3600, "wait that long for serve's answer (default 10)", forget_timeout);
static const struct cli_option *const forget_opts[] = { &o_state_dir, &o_forget_timeout, NULL };
static const struct cli_option o_power_list = TEXT("--power-list", "FILE", "each node's backend (default " POWER_LIST_DEFAULT ")", power_list);
static const struct cli_option o_credentials = TEXT("--credentials", "FILE", "IPMI user and password, mode 600 (default " POWER_CREDENTIALS_DEFAULT ")", credentials);
static const struct cli_option o_ssh_config = TEXT("--ssh-config", "FILE", "ssh's configuration for off and reboot (ssh -F; default ssh's own)", ssh_config);
static const struct cli_option o_power_timeout = NUMBER("--timeout", "S", 1, 3600, "off: until the BMC says off, then hard off; cycle: until down (default " STR(POWER_DEFAULT_TIMEOUT_S) ")", power_timeout);
static const struct cli_option o_hard = FLAG("--hard", "ipmi nodes: off, reboot, cycle through the BMC at once, no ssh", hard);
static const struct cli_option *const power_opts[] = { &o_power_list, &o_credentials, &o_ssh_config, &o_power_timeout,
	&o_hard, &o_state_dir, &o_lost_after, &o_json, NULL };

static int run_serve(const char **args, unsigned n);
static int run_status(const char **args, unsigned n);
static int run_hostfile(const char **args, unsigned n);
static int run_timeline(const char **args, unsigned n);
static int run_keygen(const char **args, unsigned n);
static int run_node_key(const char **args, unsigned n);
static int run_hostlist(const char **args, unsigned n);
static int run_wake(const char **args, unsigned n);
static int run_hpl_dat(const char **args, unsigned n);
static int run_wait(const char **args, unsigned n);
static int run_slurm_nodes(const char **args, unsigned n);
static int run_forget(const char **args, unsigned n);
static int run_power(const char **args, unsigned n);

static const struct {
	struct cli_command cmd;
	int (*run)(const char **args, unsigned n);
} commands[] = {
	{ { "serve", "", 0, 0, "Collect the nodes' reports (UDP), ack them, keep the state and the metrics.",
	    serve_opts }, run_serve },
	{ { "status", "[NODES]", 0, 1, "Every node: state, boot stage times, last error (NODES: a host list, "
	    "w[1-3],w7).\nLive in a terminal, once otherwise.", status_opts }, run_status },
	{ { "hostfile", "", 0, 0, "An MPI hostfile of the nodes that are up: \"ADDRESS slots=CORES # NAME\".",
	    hostfile_opts }, run_hostfile },
	{ { "timeline", "OUT.svg", 1, 1, "Every node's boot stages as an SVG timeline.", timeline_opts }, run_timeline },
	{ { "keygen", "", 0, 0, "A new master secret for per-node keys (mode 0600).", key_opts }, run_keygen },
	{ { "node-key", "MAC", 1, 1, "That node's key (hex), derived from the master secret.", key_opts }, run_node_key },
	{ { "hostlist", "expand EXPR | compress [NAME...]", 1, UINT_MAX, "expand: one name a line; compress: "
	    "names (arguments, else stdin) -> the shortest host list.", hostlist_opts }, run_hostlist },
	{ { "wake", "MAC...", 1, UINT_MAX, "Wake-on-LAN: a magic packet for each MAC (UDP broadcast; the nodes "
	    "arm their NIC with ghost.wol=g).", wake_opts }, run_wake },
	{ { "hpl-dat", "[NODES]", 0, 1, "HPL.dat for the nodes that are up, sized from their inventory: N from "
	    "their memory,\nP x Q from their cores (docs/hpl.md).", hpl_opts }, run_hpl_dat },
	{ { "wait", "NODES", 1, 1, "Until every node of NODES is up (--state down: down). Exit 0 then; 1 at the "
	    "timeout,\nnaming the laggards; 3 when one fails, with its error.", wait_opts }, run_wait },
	{ { "slurm-nodes", "[NODES]", 0, 1, "Slurm's NodeName= lines (address, CPUs, sockets, cores, threads, "
	    "RealMemory: what\nslurmd -C prints on each node) for the nodes with an inventory.", slurm_nodes_opts },
	  run_slurm_nodes },
	{ { "forget", "NODES|MAC...", 1, 64, "Drop nodes from serve's state (a machine gone, a NIC replaced); serve "
	    "must be running.\nA listed node comes back as absent, any node that reports again as new.", forget_opts },
	  run_forget },
	{ { "power", "on|off|cycle|reboot|status NODES", 2, 2, "Each node by its backend in the power list: on by "
	    "Wake-on-LAN or IPMI;\noff and reboot through its own init over ssh (ipmi nodes: the BMC if that fails);\n"
	    "status from the BMC, else ghostwatch. Exit 1 naming the nodes that failed.", power_opts }, run_power },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static int usage(FILE *out)
{
	fprintf(out, "usage: ghostwatch COMMAND [OPTIONS] [ARGUMENTS]\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  ghostwatch %s%s%s\n", commands[i].cmd.name, commands[i].cmd.args[0] ? " " : "",
			commands[i].cmd.args);
	fprintf(out, "ghostwatch COMMAND --help: what it does and its options; ghostwatch -V: the version\n"
		     "defaults: UDP port %u, state %s, per-node keys from %s, else the one cluster key %s\n"
		     "          (serve refuses to start without a key unless --insecure)\n",
		SERVE_DEFAULT_PORT, PERSIST_DEFAULT_DIR, NODE_KEY_MASTER_DEFAULT, DEFAULT_KEY_PATH);
	cli_exit_codes(out);
	return out == stderr ? CLI_EXIT_USAGE : CLI_EXIT_OK;
}

static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct nodes_limits limits(void)
{
	struct nodes_limits l = { .lost_after_s = (uint32_t)opt.lost_after };
	return l;
}

static volatile sig_atomic_t interrupted;
static void on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* The state serve keeps, marked with the cluster list it left beside it (nodes not in it are
 * never in the hostfile), narrowed to filter's nodes when there is one. */
/* The state serve keeps, its nodes marked from its cluster list (with_absent: and the listed
 * nodes never heard from, as absent); with filter, only the nodes it names. With keep_list,
 * the whole state and the list (*kept: whether there is one; the caller frees it) instead.
 * NULL after saying why. */
static struct nodes *load_state_with(const struct hostlist *filter, int with_absent, struct cluster_list *keep_list,
				     int *kept)
{
	/* As many as any serve --max-nodes allows: the state was bounded when it was written. */
	struct nodes *t = nodes_new(MAX_NODES_LIMIT);
	if (!t) {
		fprintf(stderr, "ghostwatch: out of memory\n");
		return NULL;
	}
	int err = persist_load(opt.state_dir, t);
	if (err) {
		fprintf(stderr, "ghostwatch: cannot read the state in %s: %s\n", opt.state_dir, strerror(-err));
		nodes_free(t);
		return NULL;
	}
	char path[4096];
	struct cluster_list l;
	unsigned line;
	snprintf(path, sizeof(path), "%s/" CLUSTER_STATE_NAME, opt.state_dir);
	int listed = !cluster_load(path, &l, &line);
	if (listed)
		cluster_mark(&l, t);
	if (listed && with_absent && cluster_add_absent(&l, t))
		fprintf(stderr, "ghostwatch: the node table is full: some listed nodes not shown\n");
	if (keep_list) {
		*keep_list = l;
		*kept = listed;
		return t;
	}
	if (filter) {
		struct nodes *some = node_filter_apply(t, listed ? &l : NULL, filter);
		nodes_free(t);
		t = some;
		if (!t)
			fprintf(stderr, "ghostwatch: out of memory\n");
	}
	if (listed)
		cluster_free(&l);
	return t;
}

static struct nodes *load_state(const struct hostlist *filter)
{
	return load_state_with(filter, 0, NULL, NULL);
}

/* status --state STATES: the mask, or -1 after saying what is wrong. */
static int status_states(unsigned *mask)
{
	const char *bad;
	struct stat st;
	*mask = ~0u;
	if (!opt.status_state || !node_filter_parse_states(opt.status_state, mask, &bad))
		return 0;
	fprintf(stderr, "ghostwatch status: --state '%s': '%.*s' is not a state (booting, up, shutting-down, "
			"down, failed, lost, absent; a comma between several)\n", opt.status_state,
		(int)strcspn(bad, ","), bad);
	if (!stat(opt.status_state, &st) && S_ISDIR(st.st_mode))
		fprintf(stderr, "ghostwatch status: the state directory is --state-dir now\n");
	return -1;
}

/* The state as status shows it: the nodes of the host list, in the states asked for. */
static struct nodes *status_nodes(const struct hostlist *filter, unsigned mask, const struct nodes_limits *lim)
{
	struct nodes *t = load_state_with(filter, 1, NULL, NULL);
	if (!t || mask == ~0u)
		return t;
	struct nodes *some = node_filter_states(t, mask, wall_ms(), lim);
	nodes_free(t);
	if (!some)
		fprintf(stderr, "ghostwatch: out of memory\n");
	return some;
}

static int run_status(const char **args, unsigned n)
{
	struct hostlist filter;
	unsigned mask;
	if (status_states(&mask) || (n && hostlist_cmd_parse(args[0], &filter)))
		return CLI_EXIT_USAGE;
	/* Live in a terminal (redrawn in place every interval), once otherwise. */
	int live = !opt.once && !opt.json && isatty(STDOUT_FILENO), rc = CLI_EXIT_OK;
	struct nodes_limits lim = limits();
	if (live) {
		struct sigaction sa = { .sa_handler = on_interrupt };
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		printf("\033[?25l"); /* hide the cursor while redrawing */
	}
	do {
		struct nodes *t = status_nodes(n ? &filter : NULL, mask, &lim);
		if (!t) {
			rc = CLI_EXIT_FAIL;
			break;
		}
		int insecure = mode_insecure(opt.state_dir);
		if (opt.json) {
			status_print_json(stdout, t, wall_ms(), &lim, insecure);
		} else {
			if (live)
				printf("\033[H\033[2J");
			status_print_table(stdout, t, wall_ms(), &lim, insecure);
		}
		fflush(stdout);
		nodes_free(t);
		if (live) {
			struct timespec ts = { (time_t)opt.interval, 0 };
			while (nanosleep(&ts, &ts) && !interrupted)
				;
		}
	} while (live && !interrupted);
	if (live)
		printf("\033[?25h\n");
	if (n)
		hostlist_free(&filter);
	return rc;
}

static int run_hostfile(const char **args, unsigned n)
{
	(void)args, (void)n;
	struct nodes_limits lim = limits();
	struct nodes *t = load_state(NULL);
	if (!t)
		return CLI_EXIT_FAIL;
	if (opt.json)
		hostfile_print_json(stdout, t, wall_ms(), &lim);
	else
		hostfile_print(stdout, t, wall_ms(), &lim);
	nodes_free(t);
	return CLI_EXIT_OK;
}

static int run_wait(const char **args, unsigned n)
{
	(void)n;
	enum node_state want = !strcmp(opt.wait_state, "up") ? NODE_UP : !strcmp(opt.wait_state, "down") ? NODE_DOWN
												  : NODE_STATE_COUNT;
	if (want == NODE_STATE_COUNT) {
		fprintf(stderr, "ghostwatch wait: --state '%s': up or down\n", opt.wait_state);
		return CLI_EXIT_USAGE;
	}
	struct hostlist h;
	if (hostlist_cmd_parse(args[0], &h))
		return CLI_EXIT_USAGE;
	struct nodes_limits lim = limits();
	int64_t deadline = wall_ms() + (int64_t)opt.timeout * 1000;
	struct wait_progress p;
	int outcome, rc;
	for (;;) {
		struct cluster_list l;
		int listed = 0;
		struct nodes *t = load_state_with(NULL, 1, &l, &listed);
		outcome = t ? wait_check(t, listed ? &l : NULL, &h, want, wall_ms(), &lim, &p) : -EIO;
		if (listed)
			cluster_free(&l);
		nodes_free(t);
		if (outcome != WAIT_PENDING || wall_ms() >= deadline || interrupted)
			break;
		struct timespec ts = { 0, 500 * 1000 * 1000 }; /* serve saves the state about this often */
		nanosleep(&ts, NULL);
	}
	hostlist_free(&h);
	if (outcome == WAIT_DONE) {
		printf("%zu node%s %s\n", p.total, p.total == 1 ? "" : "s", opt.wait_state);
		rc = CLI_EXIT_OK;
	} else if (outcome == WAIT_FAILED) {
		fprintf(stderr, "ghostwatch wait: failed: %s\n", p.failed);
		rc = CLI_EXIT_NODE_FAILED;
	} else if (outcome == WAIT_PENDING) {
		fprintf(stderr, "ghostwatch wait: %zu of %zu %s after %lu s; not yet: %s\n", p.reached, p.total,
			opt.wait_state, opt.timeout, p.laggards);
		rc = CLI_EXIT_FAIL;
	} else
		rc = CLI_EXIT_FAIL; /* the state could not be read: said already */
	return rc;
}

static int run_slurm_nodes(const char **args, unsigned n)
{
	struct hostlist filter;
	if (n && hostlist_cmd_parse(args[0], &filter))
		return CLI_EXIT_USAGE;
	struct cluster_list l;
	int listed = 0;
	struct nodes *t = load_state_with(NULL, 0, &l, &listed);
	unsigned printed = t ? slurm_nodes_print(stdout, stderr, t, listed ? &l : NULL, n ? &filter : NULL, opt.json) : 0;
	if (t && !printed)
		fprintf(stderr, "ghostwatch slurm-nodes: no node%s with an inventory (a node reports it once "
				"it has booted)\n", n ? " of those named" : "");
	if (listed)
		cluster_free(&l);
	if (n)
		hostlist_free(&filter);
	nodes_free(t);
	return printed ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

static int run_forget(const char **args, unsigned n)
{
	struct nodes *t = load_state_with(NULL, 1, NULL, NULL);
	if (!t)
		return CLI_EXIT_FAIL;
	int rc = forget_cmd(stdout, stderr, t, opt.state_dir, args, n, (int)opt.forget_timeout * 1000);
	nodes_free(t);
	return rc;
}

static int run_power(const char **args, unsigned n)
{
	(void)n;
	struct power_cmd_options o = {
		.list_path = opt.power_list, .credentials_path = opt.credentials, .ssh_config = opt.ssh_config,
		.state_dir = opt.state_dir, .timeout_s = (unsigned)opt.power_timeout, .hard = opt.hard,
		.json = opt.json, .lim = limits(),
	};
	return power_cmd_run(args[0], args[1], &o);
}

static int run_hpl_dat(const char **args, unsigned n)
{
	struct hostlist filter;
	if (n && hostlist_cmd_parse(args[0], &filter))
		return CLI_EXIT_USAGE;
	struct nodes_limits lim = limits();
	struct nodes *t = load_state(n ? &filter : NULL);
	if (n)
		hostlist_free(&filter);
	if (!t)
		return CLI_EXIT_FAIL;
	struct hpl_rule rule = { (double)opt.memory_percent / 100.0, (uint32_t)opt.nb, (uint32_t)opt.overlay_mib };
	int r = hpl_cmd_print(stdout, stderr, t, wall_ms(), &lim, &rule, opt.hpcc);
	nodes_free(t);
	return r ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

static int run_timeline(const char **args, unsigned n)
{
	(void)n;
	const char *out = args[0];
	struct nodes *t = load_state(NULL);
	if (!t)
		return CLI_EXIT_FAIL;
	FILE *f = fopen(out, "w");
	if (!f) {
		fprintf(stderr, "ghostwatch: cannot write %s: %s\n", out, strerror(errno));
		nodes_free(t);
		return CLI_EXIT_FAIL;
	}
	unsigned rows = timeline_print(f, t);
	int bad = ferror(f) | fclose(f);
	nodes_free(t);
	if (bad) {
		fprintf(stderr, "ghostwatch: cannot write %s\n", out);
		return CLI_EXIT_FAIL;
	}
	fprintf(stderr, "ghostwatch: %s: %u nodes\n", out, rows);
	return CLI_EXIT_OK;
}

/* The master secret of per-node keys: its length, 0 when there is none to use (no
 * --master-key and no default file), or -1 after saying why it cannot be used. */
static int master_secret(const char *given, int have_cluster_key, uint8_t secret[REPORT_KEY_MAX])
{
	const char *path = given ? given : NODE_KEY_MASTER_DEFAULT;
	if (have_cluster_key && !given)
		return 0;
	int len = node_key_load_master(path, secret);
	if (len == -ENOENT && !given)
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

static int run_keygen(const char **args, unsigned n)
{
	(void)args, (void)n;
	const char *path = opt.master_path ? opt.master_path : NODE_KEY_MASTER_DEFAULT;
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
			fprintf(stderr, "ghostwatch: cannot create %s: %s\n", dir, strerror(errno));
			return CLI_EXIT_FAIL;
		}
	}
	int err = node_key_create_master(path);
	if (err) {
		fprintf(stderr, "ghostwatch: cannot create the master secret %s: %s\n", path, strerror(-err));
		return CLI_EXIT_FAIL;
	}
	fprintf(stderr, "ghostwatch: new master secret in %s (mode 0600)\n", path);
	return CLI_EXIT_OK;
}

/* Prints a node's key for the tools that deliver it (netboot/cluster/generate.sh). */
static int run_node_key(const char **args, unsigned n)
{
	(void)n;
	uint8_t secret[REPORT_KEY_MAX], mac[REPORT_NODE_LEN], key[NODE_KEY_LEN];
	if (cluster_parse_mac(args[0], mac)) {
		fprintf(stderr, "ghostwatch node-key: '%s' is not a MAC address (aa:bb:cc:dd:ee:ff)\n", args[0]);
		return CLI_EXIT_USAGE;
	}
	int len = master_secret(opt.master_path ? opt.master_path : NODE_KEY_MASTER_DEFAULT, 0, secret);
	if (len <= 0)
		return CLI_EXIT_FAIL;
	int err = node_key_derive(secret, (size_t)len, mac, key);
	memset(secret, 0, sizeof(secret));
	if (err) {
		fprintf(stderr, "ghostwatch: HKDF failed\n");
		return CLI_EXIT_FAIL;
	}
	for (int i = 0; i < NODE_KEY_LEN; i++)
		printf("%02x", key[i]);
	printf("\n");
	memset(key, 0, sizeof(key));
	return CLI_EXIT_OK;
}

static int run_hostlist(const char **args, unsigned n)
{
	if (!strcmp(args[0], "expand") && n == 2)
		return hostlist_cmd_expand(stdout, args[1], opt.json);
	if (!strcmp(args[0], "compress"))
		return hostlist_cmd_compress(stdout, stdin, args + 1, n - 1, opt.json);
	fprintf(stderr, "ghostwatch hostlist: expand EXPR, or compress [NAME...]\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].cmd.name, "hostlist"))
			cli_usage(stderr, &commands[i].cmd);
	return CLI_EXIT_USAGE;
}

static int run_wake(const char **args, unsigned n)
{
	struct in_addr to;
	if (inet_pton(AF_INET, opt.broadcast, &to) != 1) {
		fprintf(stderr, "ghostwatch wake: --broadcast '%s' is not an IPv4 address\n", opt.broadcast);
		return CLI_EXIT_USAGE;
	}
	uint8_t mac[REPORT_NODE_LEN];
	for (unsigned i = 0; i < n; i++)
		if (cluster_parse_mac(args[i], mac)) {
			fprintf(stderr, "ghostwatch wake: '%s' is not a MAC address (aa:bb:cc:dd:ee:ff)\n", args[i]);
			return CLI_EXIT_USAGE;
		}
	int failed = 0;
	for (unsigned i = 0; i < n; i++) {
		cluster_parse_mac(args[i], mac);
		int err = wake_send(mac, to.s_addr, (uint16_t)opt.wake_port, opt.interface);
		if (err) {
			fprintf(stderr, "ghostwatch wake: %s: cannot send to %s:%lu%s%s: %s\n", args[i], opt.broadcast,
				opt.wake_port, opt.interface ? " on " : "", opt.interface ? opt.interface : "", strerror(-err));
			failed = 1;
		} else
			printf("%s: magic packet sent to %s:%lu\n", args[i], opt.broadcast, opt.wake_port);
	}
	return failed ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

/* The cluster key when there is no master secret: --key, else the default, else (one
 * release) the old default, with a warning to move it. */
static const char *cluster_key_path(void)
{
	if (opt.key_path)
		return opt.key_path;
	if (access(DEFAULT_KEY_PATH, F_OK) && errno == ENOENT && !access(OLD_KEY_PATH, F_OK)) {
		fprintf(stderr, "ghostwatch: reading the cluster key from its old place %s: move it to %s "
				"(the old place is read for this release only)\n", OLD_KEY_PATH, DEFAULT_KEY_PATH);
		return OLD_KEY_PATH;
	}
	return DEFAULT_KEY_PATH;
}

static int run_serve(const char **args, unsigned n)
{
	(void)args, (void)n;
	static uint8_t key[REPORT_KEY_MAX];
	static struct cluster_list cluster;
	struct serve_options s = {
		.state_dir = opt.state_dir, .metrics_path = opt.metrics_path, .port = (uint16_t)opt.port,
		.bind_ip = opt.bind_ip, .insecure = opt.insecure, .require_v2 = opt.require_v2,
		.rate = (uint32_t)opt.rate, .burst = (uint32_t)opt.burst, .max_nodes = (uint32_t)opt.max_nodes,
		.limits = limits(), .verbose = opt.verbose, .http = opt.http,
		.http_max_nodes = (uint32_t)opt.http_max_nodes,
	};
	if (opt.cluster_path) {
		unsigned line;
		int err = cluster_load(opt.cluster_path, &cluster, &line);
		if (err) {
			fprintf(stderr, "ghostwatch: cannot use the cluster list %s%s%.0u: %s (lines "
					"\"name mac ip\", ip '-' for the dhcp-range: netboot/cluster/generate.sh "
					"writes it as OUTDIR/nodes)\n", opt.cluster_path, line ? ":" : "", line,
				err == -EINVAL ? "not a node line, or a MAC twice" : strerror(-err));
			return CLI_EXIT_FAIL;
		}
		s.cluster = &cluster;
	}
	if (opt.key_path && opt.master_path) {
		fprintf(stderr, "ghostwatch serve: --key and --master-key: give one (per-node keys need no cluster key)\n");
		return CLI_EXIT_USAGE;
	}
	int rc = master_secret(opt.master_path, opt.key_path != NULL, key);
	if (rc < 0)
		return CLI_EXIT_FAIL;
	if (rc > 0) {
		s.master = key;
		s.master_len = rc;
		return serve_run(&s);
	}
	const char *path = cluster_key_path();
	int len = gw_hmac_load_key(path, key);
	if (len == -ENOENT && !opt.key_path && opt.insecure)
		len = 0; /* told to run without a key: serve says so in the log, status, metrics */
	else if (len == -ENOENT && !opt.key_path) {
		/* Fail closed: without a key anyone on the network writes the node table. */
		fprintf(stderr, "ghostwatch: no cluster key: neither %s nor %s exists; without a "
				"key anyone can forge reports, so serve does not start (ghostwatch "
				"keygen makes a master secret for per-node keys; or give --key FILE, or "
				"--insecure to accept unauthenticated reports)\n",
			NODE_KEY_MASTER_DEFAULT, path);
		return CLI_EXIT_FAIL;
	}
	if (len < 0) {
		fprintf(stderr, "ghostwatch: cannot use the key in %s: %s (32-128 hex digits)\n", path,
			strerror(-len));
		return CLI_EXIT_FAIL;
	}
	s.key = key;
	s.keylen = len;
	return serve_run(&s);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(stderr);
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h"))
		return usage(stdout);
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		printf("ghostwatch %s\n", GHOSTBOOT_VERSION); /* the top-level VERSION file */
		return CLI_EXIT_OK;
	}
	int help = !strcmp(cmd, "help"); /* `ghostwatch help [COMMAND]` */
	if (help && argc == 2)
		return usage(stdout);
	if (help)
		cmd = argv[2];
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(cmd, commands[i].cmd.name))
			continue;
		if (help) {
			cli_usage(stdout, &commands[i].cmd);
			return CLI_EXIT_OK;
		}
		const char **args = calloc((size_t)argc, sizeof(*args));
		unsigned n;
		if (!args)
			return CLI_EXIT_FAIL;
		int rc = cli_parse(&commands[i].cmd, argc - 1, argv + 1, args, &n);
		if (!rc)
			rc = commands[i].run(args, n);
		free(args);
		return rc < 0 ? CLI_EXIT_OK : rc;
	}
	fprintf(stderr, "ghostwatch: unknown command '%s'\n", cmd);
	return usage(stderr);
}
