/* What `ghostwatch power` does to one node, decided before anything runs: the steps of an
 * action for the node's backend, and the exact argv of each external command. Pure (unit-
 * tested): power_cmd.c runs the steps, each bounded.
 *
 *            wol node                        ipmi node
 *   on       magic packet                    chassis power on
 *   off      ssh poweroff                    ssh poweroff; BMC off within the bound, else
 *                                            chassis power off (hard)
 *   reboot   ssh reboot                      ssh reboot, else chassis power reset
 *   cycle    ssh poweroff, ghostwatch down,  off as above, then chassis power on
 *            magic packet
 *   status   ghostwatch's state              chassis power status
 * --hard (ipmi only): off, reboot and cycle skip ssh and go straight to the BMC. */
#ifndef GW_POWER_PLAN_H
#define GW_POWER_PLAN_H

#include <stddef.h>

#include "power/power_list.h"

enum power_action { POWER_ON = 0, POWER_OFF, POWER_CYCLE, POWER_REBOOT, POWER_STATUS, POWER_ACTION_COUNT };

enum power_op {
	OP_WOL = 0,       /* the magic packet */
	OP_IPMI_ON,       /* ipmitool ... chassis power on */
	OP_IPMI_OFF,      /* ... chassis power off (hard) */
	OP_IPMI_RESET,    /* ... chassis power reset */
	OP_IPMI_STATUS,   /* ... chassis power status: the answer is the result */
	OP_SSH_POWEROFF,  /* ssh root@node: the node's init powers it off */
	OP_SSH_REBOOT,    /* ssh root@node: the node's init reboots it */
	OP_WAIT_BMC_OFF,  /* chassis power status until "off", bounded */
	OP_WAIT_DOWN,     /* ghostwatch's state until down, bounded */
	OP_STATE,         /* ghostwatch's state: the result */
	OP_COUNT
};

/* Where to go after a step: the next one, the end (done), a failure, or skip some. */
#define POWER_NEXT 1
#define POWER_DONE 0
#define POWER_FAIL (-1)

struct power_step {
	enum power_op op;
	int on_ok, on_fail; /* POWER_DONE, POWER_FAIL, or how many steps forward */
};

#define POWER_STEPS_MAX 6

/* The steps of action for a node of backend b (hard: --hard). Returns their count, or
 * -ENOTSUP (--hard for a node without a BMC: nothing but its own init can switch it off). */
int power_plan(enum power_action a, enum power_backend b, int hard, struct power_step out[POWER_STEPS_MAX]);
/* "on", "off", ... → the action; -EINVAL for anything else. */
int power_action_parse(const char *s);
const char *power_action_name(enum power_action a);
const char *power_op_name(enum power_op op);

/* argv of ipmitool for op (one of OP_IPMI_* or OP_WAIT_BMC_OFF) against bmc as user: lanplus,
 * the password read from the environment (-E: IPMI_PASSWORD), never an argument, where ps
 * would show it; cipher suite cs (-C) when cs >= 0, else ipmitool's choice. cs_text: room for
 * its digits. 0, or -EINVAL (not an ipmitool op). */
#define POWER_ARGV_MAX 24
int power_ipmi_argv(enum power_op op, const char *bmc, const char *user, int cs, char cs_text[4],
		    const char *argv[POWER_ARGV_MAX]);
/* argv of ssh asking root@host's init to power off (OP_SSH_POWEROFF) or reboot: batch mode (a
 * password prompt would hang), connect timeout, ssh_config when given (-F). systemctl where
 * the root has it, else the init's own poweroff/reboot (BusyBox, sysvinit). 0 or -EINVAL. */
int power_ssh_argv(enum power_op op, const char *host, const char *ssh_config, unsigned connect_timeout_s,
		   char *buf, size_t len, const char *argv[POWER_ARGV_MAX]);
/* The remote command for op (what ssh runs on the node). */
const char *power_ssh_command(enum power_op op);

/* The IPMI credentials file: "user NAME" and "password SECRET" lines ('#' comments), each
 * once, and optionally "cipher-suite N" (0-17: a BMC that does not list its suites makes
 * ipmitool wait seconds before it falls back). user and password NUL-terminated into the
 * buffers (user: POWER_USER_MAX + 1, password: POWER_PASSWORD_MAX + 1), *cs the suite or -1.
 * 0 or -EINVAL with *line. */
#define POWER_USER_MAX 16     /* IPMI 2.0 user names */
#define POWER_PASSWORD_MAX 20 /* IPMI 2.0 passwords */
int power_credentials_parse(const char *text, size_t len, char *user, char *password, int *cs, unsigned *line);
/* "Chassis Power is on" → 1, "... off" → 0, anything else -EINVAL. */
int power_ipmi_status_parse(const char *out);

#endif
