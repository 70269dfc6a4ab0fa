/* `ghostwatch power` (see power_cmd.h). */
#include "power/power_cmd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/hostlist_cmd.h"
#include "util/json.h"
#include "state/persist.h"
#include "power/power_list.h"
#include "power/power_plan.h"
#include "power/power_run.h"
#include "power/wake.h"

#define RESULT_MAX 600
#define MARKER "ghostboot-power-accepted"

struct ctx {
	const struct power_cmd_options *o;
	enum power_action action;
	const char *user, *password; /* NULL without ipmi nodes */
	int cipher_suite;            /* -1: ipmitool's choice */
};

/* One node's outcome, as its child writes it to the parent: ok, and a line of text. */
struct outcome {
	int ok;
	char text[RESULT_MAX];
};

static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* One more part of the node's line ("; " between parts). */
__attribute__((format(printf, 2, 3))) static void append(struct outcome *r, const char *fmt, ...)
{
	va_list ap;
	size_t used = strlen(r->text);
	snprintf(r->text + used, sizeof(r->text) - used, "%s", used ? "; " : "");
	used = strlen(r->text);
	va_start(ap, fmt);
	vsnprintf(r->text + used, sizeof(r->text) - used, fmt, ap);
	va_end(ap);
}

/* The last non-empty line of a command's output (ipmitool and ssh put the reason there). */
static const char *last_line(char *out)
{
	size_t n = strlen(out);
	while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	char *nl = strrchr(out, '\n');
	return nl ? nl + 1 : out[0] ? out : "no output";
}

/* The node in ghostwatch's state (NULL: never heard from, or no state): t is loaded here. */
static struct nodes *load_state(const struct ctx *c)
{
	struct nodes *t = nodes_new(1u << 24);
	if (t && persist_load(c->o->state_dir, t)) {
		nodes_free(t);
		t = NULL;
	}
	return t;
}

/* ghostwatch's state of the node: its name ("absent": never heard from; "unknown": no state). */
static const char *state_of(const struct ctx *c, const struct power_node *pn, enum node_state *s)
{
	struct nodes *t = load_state(c);
	if (!t)
		return "unknown";
	struct node *n = nodes_find(t, pn->mac);
	*s = n ? nodes_state(n, wall_ms(), &c->o->lim) : NODE_ABSENT;
	nodes_free(t);
	return nodes_state_name(*s);
}

/* Where ssh goes: the listed address, else the source of the node's last report. */
static int node_host(const struct ctx *c, const struct power_node *pn, char host[INET_ADDRSTRLEN])
{
	uint32_t ip = pn->ip;
	if (!ip) {
		struct nodes *t = load_state(c);
		struct node *n = t ? nodes_find(t, pn->mac) : NULL;
		ip = n ? n->src_ip : 0;
		nodes_free(t);
	}
	return ip && inet_ntop(AF_INET, &ip, host, INET_ADDRSTRLEN) ? 0 : -ENOENT;
}

/* ipmitool for op: 1 done (*on: the power state for a status), 0 failed (said in r). */
static int ipmi(const struct ctx *c, const struct power_node *pn, enum power_op op, struct outcome *r, int *on)
{
	const char *argv[POWER_ARGV_MAX];
	char cs[4];
	struct power_run_result res;
	power_ipmi_argv(op, pn->bmc, c->user, c->cipher_suite, cs, argv);
	int err = power_run(argv, "IPMI_PASSWORD", c->password, power_run_now_ms() + POWER_COMMAND_S * 1000, &res);
	if (err) {
		append(r, "ipmitool: %s", strerror(-err));
		return 0;
	}
	if (res.timed_out) {
		append(r, "ipmitool: BMC %s did not answer within %d s", pn->bmc, POWER_COMMAND_S);
		return 0;
	}
	if (res.status) {
		append(r, "ipmitool: BMC %s: %s%s", pn->bmc, last_line(res.output),
		       res.status == 127 ? " (is ipmitool installed?)" : "");
		return 0;
	}
	if (op == OP_IPMI_STATUS || op == OP_WAIT_BMC_OFF) {
		int s = power_ipmi_status_parse(res.output);
		if (s < 0) {
			append(r, "ipmitool: BMC %s: unexpected answer '%s'", pn->bmc, last_line(res.output));
			return 0;
		}
		*on = s;
	}
	return 1;
}

static int ssh(const struct ctx *c, const struct power_node *pn, enum power_op op, struct outcome *r)
{
	char host[INET_ADDRSTRLEN], buf[128];
	const char *argv[POWER_ARGV_MAX];
	struct power_run_result res;
	if (node_host(c, pn, host)) {
		append(r, "ssh: no address known (none in the power list, and ghostwatch never heard from the node)");
		return 0;
	}
	power_ssh_argv(op, host, c->o->ssh_config, POWER_CONNECT_S, buf, sizeof(buf), argv);
	int err = power_run(argv, NULL, NULL, power_run_now_ms() + POWER_COMMAND_S * 1000, &res);
	if (err) {
		append(r, "ssh: %s", strerror(-err));
		return 0;
	}
	/* The marker: the node's shell ran the command; the connection may then drop with it. */
	if (strstr(res.output, MARKER)) {
		append(r, "%s: asked %s", power_op_name(op), host);
		return 1;
	}
	if (res.timed_out)
		append(r, "ssh %s: no answer within %d s", host, POWER_COMMAND_S);
	else
		append(r, "ssh %s: %s%s", host, last_line(res.output),
		       res.status == 127 ? " (is openssh-client installed?)" : "");
	return 0;
}

/* Polls until off (the BMC) or down (ghostwatch), within --timeout. */
static int wait_off(const struct ctx *c, const struct power_node *pn, enum power_op op, struct outcome *r)
{
	int64_t start = power_run_now_ms(), deadline = start + (int64_t)c->o->timeout_s * 1000;
	struct outcome scratch = { 0 };
	for (;;) {
		int on = 1;
		enum node_state s = NODE_STATE_COUNT;
		if (op == OP_WAIT_BMC_OFF) {
			scratch.text[0] = '\0';
			if (ipmi(c, pn, OP_WAIT_BMC_OFF, &scratch, &on) && !on)
				break;
		} else if (state_of(c, pn, &s), s == NODE_DOWN) {
			break;
		}
		if (power_run_now_ms() >= deadline) {
			append(r, "%s after %u s%s%s%s", op == OP_WAIT_BMC_OFF ? "not off" : "not down in ghostwatch",
			       c->o->timeout_s, scratch.text[0] ? " (" : "", scratch.text, scratch.text[0] ? ")" : "");
			return 0;
		}
		sleep_ms(1000);
	}
	append(r, "%s after %.1f s", op == OP_WAIT_BMC_OFF ? "BMC says off" : "down",
	       (double)(power_run_now_ms() - start) / 1000.0);
	return 1;
}

static int step(const struct ctx *c, const struct power_node *pn, enum power_op op, struct outcome *r)
{
	int on = 0, ok;
	enum node_state s;
	switch (op) {
	case OP_WOL: {
		uint32_t to = pn->broadcast ? pn->broadcast : htonl(INADDR_BROADCAST);
		char addr[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &to, addr, sizeof(addr));
		int err = wake_send(pn->mac, to, WAKE_DEFAULT_PORT, pn->interface[0] ? pn->interface : NULL);
		if (err)
			append(r, "magic packet to %s: %s", addr, strerror(-err));
		else if (pn->interface[0])
			append(r, "magic packet sent to %s out of %s", addr, pn->interface);
		else
			append(r, "magic packet sent to %s", addr);
		return !err;
	}
	case OP_IPMI_STATUS:
		ok = ipmi(c, pn, op, r, &on);
		if (ok)
			snprintf(r->text, sizeof(r->text), "%s", on ? "on" : "off");
		return ok;
	case OP_IPMI_ON:
	case OP_IPMI_OFF:
	case OP_IPMI_RESET:
		ok = ipmi(c, pn, op, r, &on);
		if (ok)
			append(r, "%s", power_op_name(op));
		return ok;
	case OP_SSH_POWEROFF:
	case OP_SSH_REBOOT:
		return ssh(c, pn, op, r);
	case OP_WAIT_BMC_OFF:
	case OP_WAIT_DOWN:
		return wait_off(c, pn, op, r);
	case OP_STATE:
		snprintf(r->text, sizeof(r->text), "%s", state_of(c, pn, &s));
		return 1;
	default:
		return 0;
	}
}

/* The node's plan, step after step (power_plan.h: where each outcome goes). */
static void run_node(const struct ctx *c, const struct power_node *pn, struct outcome *r)
{
	struct power_step plan[POWER_STEPS_MAX];
	int n = power_plan(c->action, pn->backend, c->o->hard, plan);
	memset(r, 0, sizeof(*r));
	for (int i = 0; i >= 0 && i < n;) {
		int ok = step(c, pn, plan[i].op, r);
		int go = ok ? plan[i].on_ok : plan[i].on_fail;
		if (go == POWER_DONE || go == POWER_FAIL) {
			r->ok = go == POWER_DONE;
			return;
		}
		i += go;
	}
	r->ok = 0;
}

/* Loads the IPMI credentials: a private regular file (whoever reads it powers the cluster). */
static int load_credentials(const char *path, char *user, char *password, int *cs)
{
	char text[1024];
	unsigned line;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0) {
		fprintf(stderr, "ghostwatch power: cannot read the IPMI credentials %s: %s (lines \"user NAME\" and "
				"\"password SECRET\", mode 600)\n", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || (st.st_mode & 077)) {
		fprintf(stderr, "ghostwatch power: %s is not a private regular file (mode %03o): whoever reads it can "
				"power the cluster off; chmod 600 it\n", path, (unsigned)st.st_mode & 0777);
		close(fd);
		return -1;
	}
	ssize_t len = read(fd, text, sizeof(text));
	close(fd);
	int err = len < 0 || (size_t)len == sizeof(text) ? -EINVAL
			: power_credentials_parse(text, (size_t)len, user, password, cs, &line);
	memset(text, 0, sizeof(text));
	if (err) {
		fprintf(stderr, "ghostwatch power: %s%s%.0u: not \"user NAME\" and \"password SECRET\" (each once; "
				"IPMI allows 16 and 20 characters), and optionally \"cipher-suite 0-17\"\n", path,
			line ? ":" : "", line);
		return -1;
	}
	return 0;
}

static void print_one(const struct ctx *c, const struct power_node *pn, const struct outcome *r, int first)
{
	const char *backend = power_backend_name(pn->backend), *act = power_action_name(c->action);
	if (c->o->json) {
		printf("%s{\"node\":", first ? "" : ",");
		json_string(stdout, pn->name);
		printf(",\"backend\":\"%s\",\"action\":\"%s\",\"ok\":%s,", backend, act, r->ok ? "true" : "false");
		if (c->action == POWER_STATUS)
			printf("\"source\":\"%s\",\"state\":", pn->backend == POWER_IPMI ? "bmc" : "ghostwatch");
		else
			printf("\"detail\":");
		json_string(stdout, r->ok || c->action != POWER_STATUS ? r->text : "unknown");
		if (!r->ok && c->action == POWER_STATUS) {
			printf(",\"error\":");
			json_string(stdout, r->text);
		}
		printf("}");
	} else if (c->action == POWER_STATUS && r->ok) {
		printf("%-16s %-5s %s%s\n", pn->name, backend, r->text, pn->backend == POWER_IPMI ? "" : " (ghostwatch)");
	} else if (r->ok) {
		printf("%s: %s: %s\n", pn->name, act, r->text);
	} else {
		fprintf(stderr, "ghostwatch power %s: %s (%s): %s\n", act, pn->name, backend, r->text);
	}
}

/* One child a node, at most POWER_CMD_PARALLEL at once; each writes its outcome to its pipe
 * (smaller than a pipe's buffer: it never blocks) and exits; res[i] is node i's. */
static void run_all(const struct ctx *c, const struct power_node **pick, size_t n, struct outcome *res)
{
	size_t next = 0, running = 0;
	pid_t *pid = calloc(n, sizeof(*pid));
	int *fd = calloc(n, sizeof(*fd));
	for (size_t i = 0; i < n; i++)
		snprintf(res[i].text, sizeof(res[i].text), "%s", "could not start its child");
	while (pid && fd && (next < n || running)) {
		while (next < n && running < POWER_CMD_PARALLEL) {
			int p[2];
			size_t i = next++;
			if (pipe(p) < 0) {
				snprintf(res[i].text, sizeof(res[i].text), "cannot start: %s", strerror(errno));
				continue;
			}
			if ((pid[i] = fork()) < 0) {
				snprintf(res[i].text, sizeof(res[i].text), "cannot start: %s", strerror(errno));
				pid[i] = 0;
				close(p[0]);
				close(p[1]);
				continue;
			}
			if (pid[i] == 0) {
				struct outcome r;
				close(p[0]);
				run_node(c, pick[i], &r);
				(void)!write(p[1], &r, sizeof(r));
				_exit(0);
			}
			close(p[1]);
			fd[i] = p[0];
			running++;
		}
		int st;
		pid_t done = wait(&st);
		if (done < 0)
			break;
		for (size_t i = 0; i < next; i++)
			if (pid[i] == done) {
				if (read(fd[i], &res[i], sizeof(res[i])) != (ssize_t)sizeof(res[i]))
					snprintf(res[i].text, sizeof(res[i].text), "its child ended without an answer");
				res[i].text[RESULT_MAX - 1] = '\0';
				close(fd[i]);
				pid[i] = 0;
				running--;
			}
	}
	free(pid);
	free(fd);
}

/* The power list's nodes that h names, in h's order, each once; NULL after saying why. */
static const struct power_node **pick_nodes(const struct power_list *l, const struct hostlist *h, const char *path,
					    size_t *n)
{
	const struct power_node **pick = calloc(h->count, sizeof(*pick));
	*n = 0;
	if (!pick)
		return NULL;
	for (size_t i = 0; i < h->count; i++) {
		const struct power_node *pn = power_list_find(l, hostlist_name(h, i));
		if (!pn) {
			fprintf(stderr, "ghostwatch power: %s is not in the power list %s\n", hostlist_name(h, i), path);
			free(pick);
			return NULL;
		}
		int dup = 0;
		for (size_t k = 0; k < *n && !dup; k++)
			dup = pick[k] == pn;
		if (!dup)
			pick[(*n)++] = pn;
	}
	return pick;
}

int power_cmd_run(const char *action, const char *nodes, const struct power_cmd_options *o)
{
	const char *list_path = o->list_path ? o->list_path : POWER_LIST_DEFAULT;
	struct ctx c = { .o = o };
	int a = power_action_parse(action);
	if (a < 0) {
		fprintf(stderr, "ghostwatch power: '%s' is not on, off, cycle, reboot or status\n", action);
		return 2;
	}
	c.action = (enum power_action)a;
	struct hostlist h;
	if (hostlist_cmd_parse(nodes, &h))
		return 2;
	struct power_list l;
	unsigned line;
	int err = power_list_load(list_path, &l, &line);
	if (err) {
		fprintf(stderr, "ghostwatch power: cannot use the power list %s%s%.0u: %s (lines \"name mac ip "
				"wol|ipmi ...\": generate.sh writes it as OUTDIR/power)\n", list_path, line ? ":" : "",
			line, err == -EINVAL ? "not a node line, or a name or MAC twice" : strerror(-err));
		hostlist_free(&h);
		return 1;
	}
	size_t n;
	const struct power_node **pick = pick_nodes(&l, &h, list_path, &n);
	hostlist_free(&h);
	int rc = pick ? 0 : 2, ipmi_nodes = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		struct power_step plan[POWER_STEPS_MAX];
		if (power_plan(c.action, pick[i]->backend, o->hard, plan) < 0) {
			fprintf(stderr, "ghostwatch power %s --hard: %s has no BMC (wol): only its own init can switch "
					"it off (leave out --hard)\n", action, pick[i]->name);
			rc = 2;
		}
		ipmi_nodes |= pick[i]->backend == POWER_IPMI;
	}
	static char user[POWER_USER_MAX + 1], password[POWER_PASSWORD_MAX + 1];
	if (!rc && ipmi_nodes) {
		if (load_credentials(o->credentials_path ? o->credentials_path : POWER_CREDENTIALS_DEFAULT, user, password,
				     &c.cipher_suite))
			rc = 1;
		c.user = user, c.password = password;
	}
	struct outcome *res = rc ? NULL : calloc(n, sizeof(*res));
	if (!rc && !res)
		rc = 1;
	if (!rc) {
		fflush(stdout);
		run_all(&c, pick, n, res);
		memset(password, 0, sizeof(password));
		if (o->json)
			printf("[");
		size_t failed = 0;
		for (size_t i = 0; i < n; i++) {
			print_one(&c, pick[i], &res[i], i == 0);
			failed += !res[i].ok;
		}
		if (o->json)
			printf("]\n");
		if (failed) {
			fprintf(stderr, "ghostwatch power %s: %zu of %zu failed:", action, failed, n);
			for (size_t i = 0; i < n; i++)
				if (!res[i].ok)
					fprintf(stderr, " %s", pick[i]->name);
			fprintf(stderr, "\n");
			rc = 1;
		}
	}
	memset(password, 0, sizeof(password));
	free(res);
	free(pick);
	power_list_free(&l);
	return rc;
}
