/* The real syscall layer of the shutdown sequence (shutdown_ops.h). */
#include "shutdown/shutdown_ops.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/bounded.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "report/report.h"
#include "shutdown/kill_all.h"
#include "shutdown/wol.h"

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

struct wol_job {
	const char *ifname;
	enum wol_mode mode;
};

/* In a bounded child: SIOCETHTOOL takes the kernel's network lock, which a stuck driver may hold. */
static int wol_child(void *arg)
{
	const struct wol_job *job = arg;
	uint32_t supported, now;
	char can[12], is[12];
	int err = wol_set(job->ifname, job->mode, &supported, &now);
	wol_letters(supported, can, sizeof(can));
	wol_letters(now, is, sizeof(is));
	if (err == 0)
		log_info("shutdown: %s wakes on: %s (Wake-on-LAN %s; the driver supports %s)", job->ifname, is,
			 job->mode == WOL_MAGIC ? "armed" : "off", can);
	else
		log_warn("shutdown: cannot set Wake-on-LAN %s on %s: %s (the driver supports %s, now %s)",
			 job->mode == WOL_MAGIC ? "g" : "d", job->ifname, strerror(-err), can, is);
	return err;
}

static int real_set_wol(const char *ifname, enum wol_mode mode, uint32_t max_ms)
{
	struct wol_job job = { ifname, mode };
	return bounded_run(wol_child, &job, deadline_in(max_ms));
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
	.set_wol = real_set_wol,
	.reset = real_reset,
};
