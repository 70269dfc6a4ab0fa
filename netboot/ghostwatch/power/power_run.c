/* Bounded children for `ghostwatch power` (see power_run.h). */
#define _GNU_SOURCE
#include "power/power_run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int64_t power_run_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The child: its own group (so the deadline kills ssh's helpers too), output into the pipe.
 * A failed exec says so on the pipe and exits 127, as a shell would. */
static void child(const char *const *argv, const char *env_name, const char *env_value, int out)
{
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	setpgid(0, 0);
	if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 || dup2(out, STDERR_FILENO) < 0)
		_exit(127);
	if (env_name && setenv(env_name, env_value, 1))
		_exit(127);
	execvp(argv[0], (char *const *)argv);
	int err = errno;
	(void)!write(STDERR_FILENO, "cannot run ", 11);
	(void)!write(STDERR_FILENO, argv[0], strlen(argv[0]));
	(void)!write(STDERR_FILENO, ": ", 2);
	(void)!write(STDERR_FILENO, strerror(err), strlen(strerror(err)));
	_exit(err == ENOENT ? 127 : 126);
}

/* Reads what is there into r->output (the rest is drained and dropped). 1 at end of file. */
static int drain(int fd, struct power_run_result *r, size_t *used)
{
	char buf[512];
	ssize_t n = read(fd, buf, sizeof(buf));
	if (n <= 0)
		return n == 0 || (errno != EINTR && errno != EAGAIN);
	size_t room = sizeof(r->output) - 1 - *used, take = (size_t)n < room ? (size_t)n : room;
	memcpy(r->output + *used, buf, take);
	*used += take;
	r->output[*used] = '\0';
	return 0;
}

int power_run(const char *const *argv, const char *env_name, const char *env_value, int64_t deadline_ms,
	      struct power_run_result *r)
{
	int p[2];
	memset(r, 0, sizeof(*r));
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid_t pid = fork();
	if (pid < 0) {
		int err = -errno;
		close(p[0]);
		close(p[1]);
		return err;
	}
	if (pid == 0)
		child(argv, env_name, env_value, p[1]);
	close(p[1]);
	setpgid(pid, pid); /* also here: the kill below must find the group whoever runs first */
	size_t used = 0;
	int eof = 0, exited = 0;
	int64_t exited_ms = 0;
	/* Until it has exited and its output ended, or the bound. Exit is seen with WNOWAIT: the
	 * zombie keeps its group id ours until the group is killed below. */
	while (!eof || !exited) {
		int64_t left = deadline_ms - power_run_now_ms();
		if (left <= 0) {
			r->timed_out = 1;
			break;
		}
		if (exited && power_run_now_ms() - exited_ms > 200)
			break; /* exited; what still holds its output is killed below */
		struct pollfd pfd = { .fd = p[0], .events = POLLIN };
		int n = poll(&pfd, eof ? 0 : 1, left > 20 ? 20 : (int)left);
		if (n > 0)
			eof = drain(p[0], r, &used);
		siginfo_t si = { 0 };
		if (!exited && !waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) && si.si_pid == pid)
			exited = 1, exited_ms = power_run_now_ms();
	}
	kill(-pid, SIGKILL); /* at the bound; otherwise whatever it left behind */
	close(p[0]);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return 0;
}
