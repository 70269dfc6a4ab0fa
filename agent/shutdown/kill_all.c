/* SIGTERM / SIGKILL to everything but us, the kernel's threads and '@' processes. */
#include "shutdown/kill_all.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/small_file.h"

#define WAIT_POLL_MS 20

bool kill_all_spare(pid_t pid, pid_t self, const struct proc_stat *st, const char *cmdline,
		    size_t cmdline_len)
{
	if (pid <= 1 || pid == self || pid == 2)
		return true;
	if ((st->flags & PROC_PF_KTHREAD) || st->ppid == 2)
		return true;
	if (st->state == 'Z' || st->state == 'X') /* dead already: only reaping is left */
		return true;
	/* An empty cmdline is a kernel thread on kernels that do not show PF_KTHREAD. */
	return cmdline_len == 0 || cmdline[0] == '@';
}

int kill_all_list(pid_t *pids, unsigned cap)
{
	DIR *d = opendir("/proc");
	if (!d)
		return -errno;
	pid_t self = getpid();
	unsigned count = 0;
	struct dirent *de;
	while (count < cap && (de = readdir(d)) != NULL) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0)
			continue;
		int pfd = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (pfd < 0)
			continue; /* gone meanwhile */
		char stat[512], cmdline[64];
		ssize_t sn = small_file_read_at(pfd, "stat", stat, sizeof(stat));
		ssize_t cn = small_file_read_at(pfd, "cmdline", cmdline, sizeof(cmdline));
		close(pfd);
		struct proc_stat st;
		if (sn <= 0 || proc_stat_parse(stat, (size_t)sn, &st) != 0)
			continue;
		if (!kill_all_spare((pid_t)pid, self, &st, cmdline, cn > 0 ? (size_t)cn : 0))
			pids[count++] = (pid_t)pid;
	}
	closedir(d);
	return (int)count;
}

unsigned kill_all_round(const struct shutdown_ops *ops, int sig, uint64_t deadline, unsigned *left)
{
	static pid_t pids[KILL_ALL_MAX];
	int n = ops->list_pids(pids, KILL_ALL_MAX);
	unsigned sent = 0;
	for (int i = 0; i < n; i++) {
		if (ops->kill(pids[i], sig) == 0)
			sent++;
		if (sig == SIGTERM)
			(void)ops->kill(pids[i], SIGCONT);
	}
	for (;;) {
		ops->reap();
		n = ops->list_pids(pids, KILL_ALL_MAX);
		if (n <= 0 || deadline_passed(deadline))
			break;
		uint64_t wait = deadline_left(deadline);
		sleep_ms(wait < WAIT_POLL_MS ? wait : WAIT_POLL_MS);
	}
	*left = n > 0 ? (unsigned)n : 0;
	return sent;
}
