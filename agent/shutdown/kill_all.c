/* SIGTERM / SIGKILL to everything but us, the kernel's threads and root's '@' processes. */
#define _GNU_SOURCE /* pipe2 */
#include "shutdown/kill_all.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/bounded.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/small_file.h"

#define WAIT_POLL_MS 20

enum kill_all_verdict kill_all_judge(pid_t pid, pid_t self, const struct proc_stat *st, unsigned uid)
{
	if (pid <= 1 || pid == self || pid == 2)
		return KILL_ALL_SPARE;
	if ((st->flags & PROC_PF_KTHREAD) || st->ppid == 2)
		return KILL_ALL_SPARE;
	if (st->state == 'Z' || st->state == 'X') /* dead already: only reaping is left */
		return KILL_ALL_SPARE;
	return uid == 0 ? KILL_ALL_ASK_ARGV : KILL_ALL_SIGNAL;
}

bool kill_all_argv_spares(const char *cmdline, size_t cmdline_len)
{
	return cmdline_len == 0 || cmdline[0] == '@';
}

bool kill_all_spare(pid_t pid, pid_t self, const struct proc_stat *st, unsigned uid, const char *cmdline,
		    size_t cmdline_len)
{
	enum kill_all_verdict v = kill_all_judge(pid, self, st, uid);
	return v == KILL_ALL_SPARE || (v == KILL_ALL_ASK_ARGV && kill_all_argv_spares(cmdline, cmdline_len));
}

struct argv_job {
	const pid_t *pids;
	unsigned n;
	int (*first_byte)(pid_t);
	int out; /* the pipe's write end */
};

/* In the child: one answer byte per pid, in order ('1' spare, '0' signal). */
static int argv_job_run(void *arg)
{
	const struct argv_job *j = arg;
	for (unsigned i = 0; i < j->n; i++) {
		int c = j->first_byte(j->pids[i]);
		char ch = c == '@' || c == 0 ? '1' : '0';
		if (write(j->out, &ch, 1) != 1)
			return -EIO;
	}
	return 0;
}

int kill_all_ask_argv(const pid_t *pids, unsigned n, int (*first_byte)(pid_t), uint64_t deadline,
		      unsigned char *verdict)
{
	int fds[2];
	memset(verdict, 0, n);
	if (n == 0)
		return 0;
	if (pipe2(fds, O_CLOEXEC) != 0)
		return -errno;
	struct argv_job job = { pids, n, first_byte, fds[1] };
	pid_t child = bounded_start(argv_job_run, &job);
	close(fds[1]);
	if (child < 0) {
		close(fds[0]);
		return child;
	}
	unsigned got = 0;
	while (got < n) {
		struct pollfd p = { .fd = fds[0], .events = POLLIN };
		uint64_t left = deadline_left(deadline);
		if (left == 0 || poll(&p, 1, (int)left) <= 0)
			break;
		char buf[256];
		ssize_t r = read(fds[0], buf, sizeof(buf) < n - got ? sizeof(buf) : n - got);
		if (r <= 0)
			break;
		for (ssize_t i = 0; i < r; i++)
			verdict[got++] = buf[i] == '1';
	}
	close(fds[0]);
	int result;
	if (got == n && bounded_poll(child, &result) == 0)
		sleep_ms(1); /* it has written everything: it is on its way out */
	if (bounded_poll(child, &result) == 0)
		bounded_abandon(child); /* stuck reading one of them: left behind */
	return (int)got;
}

static int real_first_byte(pid_t pid)
{
	char path[32], c;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t r = read(fd, &c, 1);
	int err = r < 0 ? -errno : 0;
	close(fd);
	return err ? err : r == 0 ? 0 : (unsigned char)c;
}

/* Verdicts of root's processes, asked once each per shutdown: the kill rounds list /proc
 * every 20 ms, and the argv step costs a child. */
#define CACHE_MAX KILL_ALL_MAX
static struct {
	pid_t pid;
	unsigned long long start;
	bool spare;
} cache[CACHE_MAX];
static unsigned cached;

static int cache_find(pid_t pid, unsigned long long start)
{
	for (unsigned i = 0; i < cached; i++)
		if (cache[i].pid == pid && cache[i].start == start)
			return cache[i].spare;
	return -1;
}

static void cache_add(pid_t pid, unsigned long long start, bool spare)
{
	if (cached < CACHE_MAX)
		cache[cached++] = (typeof(cache[0])){ pid, start, spare };
}

/* The argv step for the root processes not judged yet; what it cannot answer in time is
 * signalled (a root process stuck in the kernel cannot die anyway). */
static void judge_root(pid_t *ask, unsigned long long *start, unsigned n)
{
	static unsigned char verdict[KILL_ALL_MAX];
	int got = kill_all_ask_argv(ask, n, real_first_byte, deadline_in(KILL_ALL_ARGV_MS), verdict);
	if (got >= 0 && (unsigned)got < n)
		log_warn("shutdown: no argv[0] of %u root processes within %u ms (stuck?): signalled",
			 n - (unsigned)got, KILL_ALL_ARGV_MS);
	for (unsigned i = 0; i < n; i++) {
		if (verdict[i])
			log_info("shutdown: sparing pid %d (root's, argv[0] starts with '@')", (int)ask[i]);
		cache_add(ask[i], start[i], verdict[i]);
	}
}

/* Reads stat and status only: neither touches the process's memory. */
static int read_proc(int dirfd, const char *name, struct proc_stat *st, unsigned *uid)
{
	char stat[512], status[2048];
	int pfd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0)
		return -errno; /* gone meanwhile */
	ssize_t sn = small_file_read_at(pfd, "stat", stat, sizeof(stat));
	ssize_t un = small_file_read_at(pfd, "status", status, sizeof(status));
	close(pfd);
	if (sn <= 0 || proc_stat_parse(stat, (size_t)sn, st) != 0)
		return -EINVAL;
	/* Without a readable status (gone, or cut): not known as root's, so not spared. */
	if (un <= 0 || proc_status_uid(status, (size_t)un, uid) != 0)
		*uid = (unsigned)-1;
	return 0;
}

int kill_all_list(pid_t *pids, unsigned cap)
{
	static pid_t ask[KILL_ALL_MAX], found[KILL_ALL_MAX];
	static unsigned long long ask_start[KILL_ALL_MAX], found_start[KILL_ALL_MAX];
	DIR *d = opendir("/proc");
	if (!d)
		return -errno;
	pid_t self = getpid();
	unsigned count = 0, nask = 0, nfound = 0;
	struct dirent *de;
	if (cap > KILL_ALL_MAX)
		cap = KILL_ALL_MAX;
	while (nfound < cap && (de = readdir(d)) != NULL) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0)
			continue;
		struct proc_stat st;
		unsigned uid;
		if (read_proc(dirfd(d), de->d_name, &st, &uid) != 0)
			continue;
		enum kill_all_verdict v = kill_all_judge((pid_t)pid, self, &st, uid);
		if (v == KILL_ALL_SPARE)
			continue;
		if (v == KILL_ALL_ASK_ARGV) {
			int c = cache_find((pid_t)pid, st.starttime);
			if (c == 1)
				continue;
			if (c < 0) {
				ask[nask] = (pid_t)pid;
				ask_start[nask++] = st.starttime;
			}
		}
		found[nfound] = (pid_t)pid;
		found_start[nfound++] = st.starttime;
	}
	closedir(d);
	if (nask)
		judge_root(ask, ask_start, nask);
	for (unsigned i = 0; i < nfound; i++)
		if (cache_find(found[i], found_start[i]) != 1)
			pids[count++] = found[i];
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
