/* `ghostinit guardian`: the boot-link guardian's command line (guardian.h is the guardian). */
#ifndef GHOST_GUARDIAN_CMD_H
#define GHOST_GUARDIAN_CMD_H

/* `ghostinit guardian --iface IF --addr A/P [--gateway G] [--watchdog S] [--for MS]
 * [--run-fd FD]` (FD: /run, for the reports of guardian_report.h and the key kept there),
 * `ghostinit guardian --arm [S]` (asks the resident guardian to arm), and the resident form
 * (argv[0] GUARDIAN_ARGV0, same arguments). Exit status 2: bad arguments. */
int guardian_cmd_main(int argc, char *const argv[]);

#endif
