/* `ghostwatch power on|off|cycle|reboot|status NODES`: each node's steps (power_plan.h) run in
 * a child of its own, nodes in parallel (at most POWER_CMD_PARALLEL at once), every external
 * command and every wait bounded; one line per node, in the order named, then the nodes that
 * failed. The I/O and messages around power_plan, power_list and power_run. */
#ifndef GW_POWER_CMD_H
#define GW_POWER_CMD_H

#include "state/nodes.h"

#define POWER_CMD_PARALLEL 32
#define POWER_CREDENTIALS_DEFAULT "/etc/ghostboot/ipmi.credentials"
#define POWER_COMMAND_S 30  /* bound of one ipmitool or ssh run */
#define POWER_CONNECT_S 10  /* ssh's ConnectTimeout */
#define POWER_DEFAULT_TIMEOUT_S 60

struct power_cmd_options {
	const char *list_path;        /* NULL: POWER_LIST_DEFAULT */
	const char *credentials_path; /* NULL: POWER_CREDENTIALS_DEFAULT */
	const char *ssh_config;       /* NULL: ssh's own */
	const char *state_dir;        /* ghostwatch's state: states, and addresses from DHCP */
	unsigned timeout_s;           /* off: until the BMC says off; cycle: until down */
	int hard, json;
	struct nodes_limits lim;
};

/* Runs `power ACTION NODES`; returns the exit status (0 every node done, 1 one failed or the
 * lists could not be read, 2 a bad action, node list or a name the power list lacks). */
int power_cmd_run(const char *action, const char *nodes, const struct power_cmd_options *o);

#endif
