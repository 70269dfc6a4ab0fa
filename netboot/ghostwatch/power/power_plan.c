/* The steps of each power action and the argv of each command (see power_plan.h). */
#include "power/power_plan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S(op_, ok_, fail_) ((struct power_step){ .op = (op_), .on_ok = (ok_), .on_fail = (fail_) })

static const char *const action_names[POWER_ACTION_COUNT] = { "on", "off", "cycle", "reboot", "status" };
static const char *const op_names[OP_COUNT] = {
	"magic packet", "chassis power on", "chassis power off", "chassis power reset", "chassis power status",
	"ssh poweroff", "ssh reboot", "BMC says off", "ghostwatch says down", "ghostwatch state",
};

int power_action_parse(const char *s)
{
	for (int i = 0; i < POWER_ACTION_COUNT; i++)
		if (!strcmp(s, action_names[i]))
			return i;
	return -EINVAL;
}

const char *power_action_name(enum power_action a)
{
	return (unsigned)a < POWER_ACTION_COUNT ? action_names[a] : "?";
}

const char *power_op_name(enum power_op op)
{
	return (unsigned)op < OP_COUNT ? op_names[op] : "?";
}

/* off of an ipmi node: its init first (a clean shutdown syncs and unmounts), the BMC's hard
 * off only when the node is not off within the bound (or ssh could not reach it). after_off:
 * where a success goes (POWER_DONE for off; to the power-on for cycle). */
static int ipmi_off(struct power_step *out, int hard, int then_on)
{
	int n = 0;
	if (!hard) {
		out[n++] = S(OP_SSH_POWEROFF, POWER_NEXT, POWER_NEXT);
		out[n++] = S(OP_WAIT_BMC_OFF, then_on ? 3 : POWER_DONE, POWER_NEXT);
	}
	out[n++] = S(OP_IPMI_OFF, POWER_NEXT, POWER_FAIL);
	out[n++] = S(OP_WAIT_BMC_OFF, then_on ? POWER_NEXT : POWER_DONE, POWER_FAIL);
	if (then_on)
		out[n++] = S(OP_IPMI_ON, POWER_DONE, POWER_FAIL);
	return n;
}

int power_plan(enum power_action a, enum power_backend b, int hard, struct power_step out[POWER_STEPS_MAX])
{
	int ipmi = b == POWER_IPMI;
	if (hard && !ipmi && a != POWER_ON && a != POWER_STATUS)
		return -ENOTSUP;
	switch (a) {
	case POWER_ON:
		out[0] = S(ipmi ? OP_IPMI_ON : OP_WOL, POWER_DONE, POWER_FAIL);
		return 1;
	case POWER_STATUS:
		out[0] = S(ipmi ? OP_IPMI_STATUS : OP_STATE, POWER_DONE, POWER_FAIL);
		return 1;
	case POWER_OFF:
		if (ipmi)
			return ipmi_off(out, hard, 0);
		out[0] = S(OP_SSH_POWEROFF, POWER_DONE, POWER_FAIL);
		return 1;
	case POWER_REBOOT:
		if (ipmi && hard) {
			out[0] = S(OP_IPMI_RESET, POWER_DONE, POWER_FAIL);
			return 1;
		}
		out[0] = S(OP_SSH_REBOOT, POWER_DONE, ipmi ? POWER_NEXT : POWER_FAIL);
		if (!ipmi)
			return 1;
		out[1] = S(OP_IPMI_RESET, POWER_DONE, POWER_FAIL);
		return 2;
	case POWER_CYCLE:
		if (ipmi)
			return ipmi_off(out, hard, 1);
		out[0] = S(OP_SSH_POWEROFF, POWER_NEXT, POWER_FAIL);
		out[1] = S(OP_WAIT_DOWN, POWER_NEXT, POWER_FAIL);
		out[2] = S(OP_WOL, POWER_DONE, POWER_FAIL);
		return 3;
	default:
		return -EINVAL;
	}
}

int power_ipmi_argv(enum power_op op, const char *bmc, const char *user, int cs, char cs_text[4],
		    const char *argv[POWER_ARGV_MAX])
{
	const char *what = op == OP_IPMI_ON ? "on" : op == OP_IPMI_OFF ? "off" : op == OP_IPMI_RESET ? "reset"
			 : op == OP_IPMI_STATUS || op == OP_WAIT_BMC_OFF ? "status" : NULL;
	if (!what)
		return -EINVAL;
	/* -N 1 -R 2: a BMC that does not answer fails in about 6 s, not after ipmitool's default
	 * retries; -E: the password from IPMI_PASSWORD, set in the child's environment only. */
	const char *v[] = { "ipmitool", "-I", "lanplus", "-H", bmc, "-U", user, "-E", "-N", "1", "-R", "2", NULL };
	unsigned n = sizeof(v) / sizeof(v[0]) - 1;
	memcpy(argv, v, sizeof(v));
	if (cs >= 0 && cs <= 99) {
		snprintf(cs_text, 4, "%d", cs);
		argv[n++] = "-C";
		argv[n++] = cs_text;
	}
	argv[n++] = "chassis";
	argv[n++] = "power";
	argv[n++] = what;
	argv[n] = NULL;
	return 0;
}

const char *power_ssh_command(enum power_op op)
{
	/* The marker says the node got the request: the connection may then drop with the node,
	 * which is success, not ssh's failure. /run/systemd/system: systemd is the running init. */
	if (op == OP_SSH_POWEROFF)
		return "echo ghostboot-power-accepted; if [ -d /run/systemd/system ]; then systemctl poweroff; "
		       "else poweroff; fi";
	if (op == OP_SSH_REBOOT)
		return "echo ghostboot-power-accepted; if [ -d /run/systemd/system ]; then systemctl reboot; "
		       "else reboot; fi";
	return NULL;
}

int power_ssh_argv(enum power_op op, const char *host, const char *ssh_config, unsigned connect_timeout_s,
		   char *buf, size_t len, const char *argv[POWER_ARGV_MAX])
{
	const char *cmd = power_ssh_command(op);
	if (!cmd || !host[0] || host[0] == '-')
		return -EINVAL;
	int n = snprintf(buf, len, "ConnectTimeout=%u", connect_timeout_s);
	if (n < 0 || (size_t)n + 1 + strlen("root@") + strlen(host) + 1 > len)
		return -ENOSPC;
	char *dest = buf + n + 1;
	sprintf(dest, "root@%s", host);
	unsigned i = 0;
	argv[i++] = "ssh";
	if (ssh_config) {
		argv[i++] = "-F";
		argv[i++] = ssh_config;
	}
	const char *rest[] = { "-o", "BatchMode=yes", "-o", buf, "-o", "ServerAliveInterval=5", "-o",
			       "ServerAliveCountMax=2", "-T", "--", dest, cmd, NULL };
	memcpy(argv + i, rest, sizeof(rest));
	return 0;
}

/* One "key value" line of the credentials file into dst (cap bytes with the NUL). */
static int credential(const char *value, size_t n, char *dst, size_t cap, int *seen)
{
	if (*seen || !n || n >= cap)
		return -EINVAL;
	memcpy(dst, value, n);
	dst[n] = '\0';
	*seen = 1;
	return 0;
}

int power_credentials_parse(const char *text, size_t len, char *user, char *password, int *cs, unsigned *line)
{
	int have_user = 0, have_password = 0, have_cs = 0;
	char digits[3];
	*line = 0;
	*cs = -1;
	while (len) {
		const char *nl = memchr(text, '\n', len);
		size_t n = nl ? (size_t)(nl - text) : len;
		const char *s = text, *end = text + n;
		++*line;
		text += nl ? n + 1 : n;
		len -= nl ? n + 1 : n;
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
			end--;
		if (s == end || *s == '#')
			continue;
		if (memchr(s, '\0', (size_t)(end - s)))
			return -EINVAL;
		/* The password is everything after "password ": it may hold spaces or '#'. */
		int r;
		if ((size_t)(end - s) > 5 && !memcmp(s, "user ", 5))
			r = credential(s + 5, (size_t)(end - s - 5), user, POWER_USER_MAX + 1, &have_user);
		else if ((size_t)(end - s) > 9 && !memcmp(s, "password ", 9))
			r = credential(s + 9, (size_t)(end - s - 9), password, POWER_PASSWORD_MAX + 1, &have_password);
		else if ((size_t)(end - s) > 13 && !memcmp(s, "cipher-suite ", 13)) {
			r = credential(s + 13, (size_t)(end - s - 13), digits, sizeof(digits), &have_cs);
			if (!r && (strspn(digits, "0123456789") != strlen(digits) || atoi(digits) > 17))
				r = -EINVAL;
			if (!r)
				*cs = atoi(digits);
		} else
			r = -EINVAL;
		if (r)
			return r;
	}
	if (!have_user || !have_password) {
		*line = 0;
		return -EINVAL;
	}
	return 0;
}

int power_ipmi_status_parse(const char *out)
{
	const char *p = strstr(out, "Chassis Power is ");
	if (!p)
		return -EINVAL;
	p += strlen("Chassis Power is ");
	if (!strncmp(p, "on", 2) && (p[2] == '\0' || p[2] == '\n' || p[2] == '\r'))
		return 1;
	if (!strncmp(p, "off", 3) && (p[3] == '\0' || p[3] == '\n' || p[3] == '\r'))
		return 0;
	return -EINVAL;
}
