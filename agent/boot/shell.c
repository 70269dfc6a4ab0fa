/* Starts the rescue shell as a child and waits for it, reaping orphans meanwhile (PID 1). */
#include "boot/shell.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/child.h"
#include "lib/log.h"

int shell_run(const char *why)
{
	if (access(SHELL_PATH, X_OK) != 0) {
		log_warn("no rescue shell in this image (%s)", why);
		return -ENOENT;
	}
	log_info("%s: starting a shell; leave it with 'exit' to continue", why);
	pid_t child = fork();
	if (child < 0)
		return -errno;
	if (child == 0) {
		char *const argv[] = { "sh", NULL };
		char *const envp[] = { "PATH=/bin:/sbin:/usr/bin:/usr/sbin", "PS1=ghostinit# ", "HOME=/", NULL };
		child_signals_default();
		setsid();
		signal(SIGINT, SIG_DFL);
		execve(SHELL_PATH, argv, envp);
		_exit(127);
	}
	for (;;) {
		pid_t done = wait(NULL);
		if (done == child || (done < 0 && errno == ECHILD))
			return 0;
	}
}
