/* `ghostinit report ...`: sends real reports from a normal process (tests, scripts). */
#ifndef GHOST_REPORT_CMD_H
#define GHOST_REPORT_CMD_H

/* argv[0] is "report". Exit status: 0 every report acked, 1 some not acked, 2 usage,
 * 3 reporting could not start (key, AF_ALG, socket). */
int report_cmd_main(int argc, char **argv);

#endif
