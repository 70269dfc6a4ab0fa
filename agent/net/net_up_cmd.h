/* `ghostinit net-up`: the network stage as a normal process, in a test namespace or a storm's
 * simulated node. */
#ifndef GHOST_NET_UP_CMD_H
#define GHOST_NET_UP_CMD_H

/* `ghostinit net-up [--iface IF] [--cmdline TEXT] [--root DIR] [--hostname] [--report]
 * [--broadcast]`: argv[0] is "net-up". Prints the lease as net.env lines; returns the exit
 * status. --report then sends the boot's reports as PID 1 would (boot_report_start, then the
 * heartbeat daemon with ghost.heartbeat=, its state under DIR/run/ghostboot) and prints the
 * sender's counts as GHOST_REPORT_* lines: 0 when every report was acked, 1 when not, 3 when
 * reporting could not start. --broadcast: answers asked by broadcast and read from the UDP
 * socket, as on a link without packet sockets. */
int net_up_cmd_main(int argc, char **argv);

#endif
