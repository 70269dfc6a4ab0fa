/* The fatal path: say why, optionally give the admin a shell, then reset after a bound. */
#include "boot/fatal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <unistd.h>

#include "boot/shell.h"
#include "lib/bounded.h"
#include "lib/child.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/small_file.h"
#include "report/report.h"
#include "shutdown/reset.h"

static struct boot_config fatal_cfg;
static int configured;

void fatal_configure(const struct boot_config *cfg)
{
	fatal_cfg = *cfg;
	configured = 1;
}

int fatal_kernel_panic_timeout(void)
{
	static const char path[] = "/proc/sys/kernel/panic";
	char buf[24];
	ssize_t n = small_file_read(path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	if (n == 0 || strtol(buf, NULL, 10) != 0)
		return 0; /* panic= on the command line, or CONFIG_PANIC_TIMEOUT: theirs */
	int s = configured ? fatal_cfg.panic_seconds : GHOST_DEFAULT_PANIC_SECONDS;
	if (s == 0)
		s = GHOST_DEFAULT_PANIC_SECONDS;
	int len = snprintf(buf, sizeof(buf), "%d\n", s);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int err = write(fd, buf, (size_t)len) == len ? 0 : -errno;
	close(fd);
	return err ? err : s;
}

static void reap_children(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

_Noreturn void fatal(const char *fmt, ...)
{
	char reason[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (!configured)
		boot_config_defaults(&fatal_cfg);

	log_error("fatal: %s", reason);
	if (getpid() != 1)
		exit(1);
	/* The master learns why before anyone walks to the node (a no-op before the lease). */
	(void)report_stage(REPORT_STAGE_FATAL, 0, reason);

	if (fatal_cfg.rd_shell)
		(void)shell_run("rd.shell");

	int wait_s = fatal_cfg.panic_seconds;
	if (wait_s > 0) {
		log_error("resetting in %d s (panic=%d; add rd.shell for a rescue shell)", wait_s, wait_s);
		uint64_t deadline = deadline_in((uint64_t)wait_s * 1000u);
		while (!deadline_passed(deadline)) {
			reap_children();
			sleep_ms(deadline_left(deadline) < 200 ? deadline_left(deadline) : 200);
		}
	}
	reset_machine(fatal_cfg.reset, RESET_ACTION_REBOOT);
}

static int sync_job(void *arg)
{
	(void)arg;
	sync();
	return 0;
}

/* Only async-signal-safe calls (fork, waitpid, kill, clock_gettime, nanosleep): the process
 * state is unknown. The sync runs in a child with a deadline like every other one: on a dead
 * NFS server it would block forever, and a crashed PID 1 must still reset. */
static void on_crash(int sig)
{
	static const char msg[] = "ghostinit: crashed, resetting\n";
	(void)sig;
	(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
	(void)bounded_run(sync_job, NULL, deadline_in(RESET_SYNC_MS));
	reboot(RB_AUTOBOOT);
	_exit(127);
}

void fatal_install_crash_handlers(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND;
	for (unsigned i = 0; i < child_crash_signal_count; i++)
		sigaction(child_crash_signals[i], &sa, NULL);
}
