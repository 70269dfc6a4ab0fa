/* Bounded children (see bounded.h): the only way the shutdown calls anything that can hang. */
#include "lib/bounded.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/child.h"
#include "lib/clock.h"

#define POLL_MS 5

pid_t bounded_start(bounded_fn fn, void *arg)
{
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		child_signals_default();
		int r = fn(arg);
		_exit(r < 0 ? (-r & 0xff) : 0);
	}
	return pid;
}

int bounded_poll(pid_t pid, int *result)
{
	int status;
	pid_t r = waitpid(pid, &status, WNOHANG);
	if (r == 0)
		return 0;
	if (r < 0)
		return errno == EINTR ? 0 : -errno;
	*result = WIFEXITED(status) ? -WEXITSTATUS(status) : -EINTR;
	return 1;
}

void bounded_abandon(pid_t pid)
{
	int result;
	(void)kill(pid, SIGKILL);
	for (int i = 0; i < 10; i++) {
		if (bounded_poll(pid, &result) != 0)
			return;
		sleep_ms(2);
	}
}

int bounded_run(bounded_fn fn, void *arg, uint64_t deadline)
{
	int result = 0;
	pid_t pid = bounded_start(fn, arg);
	if (pid < 0)
		return pid;
	for (;;) {
		int r = bounded_poll(pid, &result);
		if (r == 1)
			return result;
		if (r < 0)
			return r;
		uint64_t left = deadline_left(deadline);
		if (left == 0)
			break;
		sleep_ms(left < POLL_MS ? left : POLL_MS);
	}
	bounded_abandon(pid);
	return -ETIMEDOUT;
}
