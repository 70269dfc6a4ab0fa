/* The real syscall layer of the shutdown sequence (shutdown_ops.h). */
#include "shutdown/shutdown_ops.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/log.h"
#include "report/report.h"
#include "shutdown/kill_all.h"

static int real_kill(pid_t pid, int sig)
{
	return kill(pid, sig) == 0 ? 0 : -errno;
}

static void real_reap(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

static int real_read_file(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t len = 0;
	while (len + 1 < cap) {
		ssize_t n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return (int)len;
}

static void real_sync(void)
{
	sync();
}

static int real_umount2(const char *target, int flags)
{
	return umount2(target, flags) == 0 ? 0 : -errno;
}

static void real_report(unsigned stage, int err, const char *text)
{
	/* Sends only when shutdown_main() resumed the boot's reporting (report_resume). */
	int r = report_stage(stage, err, text);
	log_debug("report %u (%s): %s", stage, text ? text : "", r == 1 ? "acked" : r == 0 ? "sent" : "not sent");
}

static void real_reset(enum reset_method method, enum reset_action action)
{
	reset_now(method, action);
}

const struct shutdown_ops shutdown_ops_real = {
	.list_pids = kill_all_list,
	.kill = real_kill,
	.reap = real_reap,
	.read_file = real_read_file,
	.sync = real_sync,
	.umount2 = real_umount2,
	.report = real_report,
	.reset = real_reset,
};
