/* The boot-link guardian (see guardian.h): notifications on a raw rtnetlink socket, repairs
 * through link.c (libnl), one check a second in case a notification was lost. */
#define _GNU_SOURCE /* pipe2 */
#include "guardian/guardian.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/watchdog.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "boot/boot_config.h"
#include "guardian/guardian_report.h"
#include "guardian/rtnl_event.h"
#include "lib/child.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/small_file.h"
#include "net/link.h"

static volatile sig_atomic_t arm_requested, arm_timeout_s, disarm_requested;

/* SIGUSR2: the machine is being halted, as the admin asked: a watchdog we armed must not
 * reset it. */
static void on_usr2(int sig)
{
	(void)sig;
	disarm_requested = 1;
}

/* SIGUSR1 from kill(): the default timeout; from sigqueue(): the timeout it carries. */
static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	arm_timeout_s = si->si_code == SI_QUEUE && si->si_value.sival_int > 0 ? si->si_value.sival_int : 0;
	arm_requested = 1;
}

/* Shutdown has begun: from now on even a freeze ends in a reset. Never fed again; a later
 * request (systemd's phase first, then the shutdown program's own) sets a new timeout. */
/* The guardian's root is the initramfs it was started from: switch_root moved /dev away from
 * under it. The node is made here, in RAM (misc major 10, minor 130: the first watchdog). */
static int open_watchdog(void)
{
	int fd = open("/dev/watchdog", O_WRONLY | O_CLOEXEC);
	if (fd >= 0 || errno != ENOENT)
		return fd;
	(void)mkdir("/dev", 0755);
	if (mknod("/dev/watchdog", S_IFCHR | 0600, makedev(10, 130)) != 0 && errno != EEXIST)
		return -1;
	return open("/dev/watchdog", O_WRONLY | O_CLOEXEC);
}

static int wd_fd = -1; /* /dev/watchdog once armed */

/* The magic close: the driver stops the timer (unless built with nowayout). */
static void disarm_watchdog(void)
{
	if (wd_fd < 0)
		return;
	if (write(wd_fd, "V", 1) != 1)
		log_warn("guardian: cannot disarm the watchdog: %s", strerror(errno));
	close(wd_fd);
	wd_fd = -1;
	log_info("guardian: the machine halts; watchdog disarmed");
}

static void arm_watchdog(uint32_t timeout_s)
{
	if (wd_fd < 0)
		wd_fd = open_watchdog();
	if (wd_fd < 0) {
		log_info("guardian: shutdown begins; no watchdog to arm (%s)", strerror(errno));
		return;
	}
	int t = (int)timeout_s;
	(void)ioctl(wd_fd, WDIOC_SETTIMEOUT, &t);
	(void)ioctl(wd_fd, WDIOC_KEEPALIVE, 0);
	log_info("guardian: shutdown begins; watchdog armed, resets in %d s unless the machine does", t);
	/* wd_fd stays open: closing without the magic 'V' would keep it armed anyway. */
}

/* The guardian's pid from its pidfile, or -errno (-ESRCH: no usable pid in it). */
static int guardian_pid(const char *pidfile)
{
	char buf[16];
	ssize_t n = small_file_read(pidfile, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	long pid = n > 0 ? strtol(buf, NULL, 10) : 0;
	return pid > 1 && pid <= INT_MAX ? (int)pid : -ESRCH;
}

int guardian_request_disarm(const char *pidfile)
{
	int pid = guardian_pid(pidfile);
	if (pid < 0)
		return pid;
	return kill((pid_t)pid, SIGUSR2) == 0 ? pid : -errno;
}

int guardian_request_arm(const char *pidfile, uint32_t timeout_s)
{
	int pid = guardian_pid(pidfile);
	if (pid < 0)
		return pid;
	union sigval v = { .sival_int = (int)timeout_s };
	if (sigqueue((pid_t)pid, SIGUSR1, v) != 0)
		return -errno;
	return pid;
}

static int open_events(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	struct sockaddr_nl sa;
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV4_ROUTE;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* Reads every pending notification: the rtnl_event bits that concern us. A lost batch
 * (ENOBUFS) may have held anything: everything is checked again. */
static unsigned read_events(int fd, const struct rtnl_watch *w)
{
	static char buf[16384];
	unsigned bits = 0;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == ENOBUFS)
				bits |= RTNL_EVENT_LINK_DOWN | RTNL_EVENT_ADDR_GONE | RTNL_EVENT_ROUTE_GONE;
			if (errno == EINTR || errno == ENOBUFS)
				continue;
			return bits; /* EAGAIN: drained */
		}
		if (n == 0)
			return bits;
		bits |= rtnl_event_parse(buf, (size_t)n, w);
	}
}

/* The boot interface's index and a netlink context to repair it with. 0 or -errno. */
static int open_link(const struct guardian_config *cfg, int *ifindex, struct link_ctx **ctx)
{
	*ifindex = (int)if_nametoindex(cfg->ifname);
	if (*ifindex <= 0)
		return -ENODEV;
	return link_open(ctx);
}

/* Link up (when link_down), address, default route: adding what exists is a no-op, so this
 * puts back whatever is missing. Every step is tried; returns the first error. */
static int put_back(struct link_ctx *ctx, const struct guardian_config *cfg, int ifindex, bool link_down)
{
	int err = link_down ? link_up(ctx, ifindex) : 0, r;
	if ((r = link_add_address(ctx, ifindex, cfg->addr, cfg->prefix, 0)) != 0 && !err)
		err = r;
	if (cfg->gateway && (r = link_add_default_route(ctx, ifindex, cfg->gateway)) != 0 && !err)
		err = r;
	return err;
}

static void restore(struct link_ctx *ctx, const struct guardian_config *cfg, int ifindex, unsigned bits,
		    const char *how, struct guardian_report *rep)
{
	char what[64] = "";
	int err = 0, r;
	uint64_t t0 = clock_ms();
	/* Taking the link down flushes its routes, deleting the address drops the routes through
	 * it: the route is always put back after either. */
	if (bits & RTNL_EVENT_LINK_DOWN) {
		if ((r = link_up(ctx, ifindex)) != 0)
			err = r;
		strcat(what, " link");
	}
	if (bits & (RTNL_EVENT_ADDR_GONE | RTNL_EVENT_LINK_DOWN)) {
		if ((r = link_add_address(ctx, ifindex, cfg->addr, cfg->prefix, 0)) != 0)
			err = r;
		if (bits & RTNL_EVENT_ADDR_GONE)
			strcat(what, " address");
	}
	if (cfg->gateway && (bits & (RTNL_EVENT_ROUTE_GONE | RTNL_EVENT_ADDR_GONE | RTNL_EVENT_LINK_DOWN))) {
		if ((r = link_add_default_route(ctx, ifindex, cfg->gateway)) != 0)
			err = r;
		if (bits & RTNL_EVENT_ROUTE_GONE)
			strcat(what, " route");
	}
	uint64_t took = clock_ms() - t0;
	if (err) {
		log_error("guardian: %s lost%s (%s); restoring failed: %s", cfg->ifname, what, how, strerror(-err));
		return;
	}
	log_warn("guardian: %s lost%s (%s); restored in %llu ms", cfg->ifname, what, how, (unsigned long long)took);
	guardian_report_note(rep, cfg->ifname, what, how[0] == 'n' ? "notified" : "polled", took);
	guardian_report_flush(rep, clock_ms());
}

int guardian_run(const struct guardian_config *cfg, uint64_t run_ms)
{
	int ifindex;
	struct link_ctx *ctx;
	int err = open_link(cfg, &ifindex, &ctx);
	if (err)
		return err;
	int fd = open_events();
	if (fd < 0) {
		link_close(ctx);
		return fd;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	struct sigaction sa2;
	memset(&sa2, 0, sizeof(sa2));
	sa2.sa_handler = on_usr2;
	sigaction(SIGUSR2, &sa2, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* Nothing of ours may page in from the NFS root once the link is in doubt. */
	(void)mlockall(MCL_CURRENT | MCL_FUTURE);

	struct guardian_report rep;
	guardian_report_init(&rep, cfg->run_fd);
	struct rtnl_watch w = { .ifindex = ifindex, .addr = cfg->addr, .gateway = cfg->gateway };
	char a[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN] = "none";
	inet_ntop(AF_INET, &cfg->addr, a, sizeof(a));
	if (cfg->gateway)
		inet_ntop(AF_INET, &cfg->gateway, g, sizeof(g));
	log_info("guardian: watching %s (%s/%d, default route via %s)", cfg->ifname, a, cfg->prefix, g);
	(void)put_back(ctx, cfg, ifindex, true); /* whatever is already missing */
	if (cfg->ready_fd >= 0) { /* the boot says "guarded" only now (guardian_spawn) */
		(void)!write(cfg->ready_fd, "1", 1);
		close(cfg->ready_fd);
	}

	uint64_t end = run_ms ? deadline_in(run_ms) : UINT64_MAX, next_check = deadline_in(GUARDIAN_POLL_MS);
	while (!run_ms || !deadline_passed(end)) {
		if (arm_requested) {
			uint32_t t = arm_timeout_s ? (uint32_t)arm_timeout_s
				   : cfg->watchdog_s ? cfg->watchdog_s : GHOST_DEFAULT_SHUTDOWN_TIMEOUT_MS / 1000 + 10;
			arm_requested = 0;
			arm_watchdog(t);
		}
		if (disarm_requested) {
			disarm_requested = 0;
			disarm_watchdog();
		}
		uint64_t wait = deadline_left(next_check);
		if (run_ms && deadline_left(end) < wait)
			wait = deadline_left(end);
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int n = poll(&p, 1, (int)wait);
		unsigned bits = 0;
		const char *how = "notified";
		if (n > 0)
			bits = read_events(fd, &w);
		if (deadline_passed(next_check)) {
			struct link_info li;
			if (link_get(ctx, ifindex, &li) == 0 && !li.up) {
				bits |= RTNL_EVENT_LINK_DOWN;
				how = "found by the periodic check";
			}
			next_check = deadline_in(GUARDIAN_POLL_MS);
			guardian_report_flush(&rep, clock_ms()); /* what the rate limit held back */
		}
		bits &= RTNL_EVENT_LINK_DOWN | RTNL_EVENT_ADDR_GONE | RTNL_EVENT_ROUTE_GONE;
		if (bits)
			restore(ctx, cfg, ifindex, bits, how, &rep);
	}
	close(fd);
	link_close(ctx);
	return 0;
}

int guardian_check_once(const struct guardian_config *cfg)
{
	int ifindex;
	struct link_ctx *ctx;
	int err = open_link(cfg, &ifindex, &ctx);
	if (err)
		return err;
	struct link_info li;
	int was_down = link_get(ctx, ifindex, &li) == 0 && !li.up;
	err = put_back(ctx, cfg, ifindex, was_down);
	link_close(ctx);
	return err ? err : was_down;
}

/* Waits (bounded) for the guardian's "1" on fd: 0 when it watches, -ETIMEDOUT when it has said
 * nothing yet, -ECHILD when it ended first (its exec failed, or it could not watch: the pipe's
 * last writer closed without a word). */
static int wait_ready(int fd, uint64_t max_ms)
{
	uint64_t deadline = deadline_in(max_ms);
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int n = poll(&p, 1, (int)deadline_left(deadline));
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || deadline_passed(deadline))
			return -ETIMEDOUT;
		char c;
		ssize_t r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		return r == 1 && c == '1' ? 0 : -ECHILD;
	}
}

static int spawn_once(const char *exe, const struct guardian_config *cfg, int *pid_out)
{
	char addr[40], gw[INET_ADDRSTRLEN], wd[16], runfd[16], readyfd[16];
	char a[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &cfg->addr, a, sizeof(a));
	snprintf(addr, sizeof(addr), "%s/%d", a, cfg->prefix);
	inet_ntop(AF_INET, &cfg->gateway, gw, sizeof(gw));
	snprintf(wd, sizeof(wd), "%u", cfg->watchdog_s);
	int ready[2];
	if (pipe2(ready, O_CLOEXEC) < 0)
		return -errno;
	/* Inherited (no O_CLOEXEC): the guardian's way to /run/ghostboot once /run has moved. */
	int run_fd = open("/run", O_RDONLY | O_DIRECTORY);
	snprintf(runfd, sizeof(runfd), "%d", run_fd);
	snprintf(readyfd, sizeof(readyfd), "%d", ready[1]);
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[16] = { GUARDIAN_ARGV0, "--iface", (char *)cfg->ifname, "--addr", addr,
				   "--watchdog", wd, "--ready-fd", readyfd };
		int n = 9;
		if (run_fd >= 0)
			argv[n++] = "--run-fd", argv[n++] = runfd;
		if (cfg->gateway)
			argv[n++] = "--gateway", argv[n++] = gw;
		argv[n] = NULL;
		close(ready[0]);
		(void)fcntl(ready[1], F_SETFD, 0); /* only the guardian keeps the write end */
		child_signals_default(); /* exec resets handlers too; until then, not PID 1's */
		setsid();
		execv(exe, argv);
		_exit(127);
	}
	int err = pid < 0 ? -errno : 0;
	close(ready[1]);
	if (run_fd >= 0)
		close(run_fd);
	/* Before switch_root moves /run: the exec and the guardian's start cannot lose that race. */
	if (!err)
		err = wait_ready(ready[0], GUARDIAN_READY_MS);
	close(ready[0]);
	if (err == -ECHILD) /* it has ended (the write end closed with it): reap it, bounded */
		for (uint64_t d = deadline_in(1000); waitpid(pid, NULL, WNOHANG) == 0 && !deadline_passed(d);)
			sleep_ms(5);
	if (!err || err == -ETIMEDOUT)
		*pid_out = pid;
	return err;
}

int guardian_spawn(const char *exe, const struct guardian_config *cfg, int *pid)
{
	*pid = 0;
	int err = spawn_once(exe, cfg, pid);
	if (err == -ECHILD) /* once more: whatever failed may have been passing */
		err = spawn_once(exe, cfg, pid);
	if (*pid > 0) {
		/* The pid where the shutdown program finds it, written here: the guardian may only
		 * read it after switch_root has moved /run. */
		(void)mkdir("/run/ghostboot", 0755);
		FILE *f = fopen(GUARDIAN_PIDFILE, "we");
		if (f) {
			fprintf(f, "%d\n", *pid);
			fclose(f);
		}
	}
	return err;
}
