/* `ghostinit cmdline [TEXT]`: what a kernel command line means, before any node boots with it. */
#ifndef GHOST_CMDLINE_CMD_H
#define GHOST_CMDLINE_CMD_H

/* argv[0] is "cmdline". Prints the configuration as name=value lines (boot_config_print) and
 * each warning on stderr. Exit status: 0 clean, 1 warnings. */
int cmdline_cmd_main(int argc, char **argv);

#endif
