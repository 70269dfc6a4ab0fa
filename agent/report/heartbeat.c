/* The heartbeat daemon: one loop on a monotonic deadline, SIGTERM turns it into the
 * shutdown-begin report and a clean exit. Nothing here can stop the boot: errors only mean
 * fewer heartbeats. */
#include "report/heartbeat.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "guardian/guardian_report.h"
#include "lib/child.h"
#include "lib/clock.h"
#include "lib/small_file.h"
#include "report/report.h"

#define STATE_NAME "report"

static volatile sig_atomic_t stop_requested, guardian_event;

static void on_term(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* SIGUSR1: the guardian left an event for us to send (guardian_report.h). */
static void on_usr1(int sig)
{
	(void)sig;
	guardian_event = 1;
}

/* Sends the guardian's event with our own next sequence number, then forgets it. */
static void send_guardian_event(int dirfd)
{
	char text[REPORT_TEXT_MAX + 1];
	ssize_t n = small_file_read_at(dirfd, GUARDIAN_EVENT_NAME, text, sizeof(text));
	if (n == -ENOENT)
		return;
	(void)unlinkat(dirfd, GUARDIAN_EVENT_NAME, 0);
	if (n <= 0)
		return;
	report_refill_budget();
	(void)report_guardian(text);
	(void)report_save_at(dirfd, STATE_NAME, getpid());
}

static _Noreturn void daemon_loop(int dirfd, uint32_t interval_ms)
{
	struct sigaction sa = { .sa_handler = on_term };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	struct sigaction usr = { .sa_handler = on_usr1 };
	sigaction(SIGUSR1, &usr, NULL);
	signal(SIGHUP, SIG_IGN);
	/* Our own session: the real init's process-group signals are not for us. */
	(void)setsid();
	uint64_t next = deadline_in(interval_ms);
	while (!stop_requested) {
		if (guardian_event) {
			guardian_event = 0;
			send_guardian_event(dirfd);
		}
		uint64_t left = deadline_left(next);
		if (left) {
			/* One nanosleep, not sleep_ms: SIGTERM or SIGUSR1 (no SA_RESTART) must end the wait. */
			struct timespec ts = { (time_t)(left / 1000), (long)(left % 1000) * 1000000L };
			(void)nanosleep(&ts, NULL);
			continue;
		}
		report_refill_budget();
		(void)report_stage(REPORT_STAGE_HEARTBEAT, 0, NULL);
		(void)report_save_at(dirfd, STATE_NAME, getpid());
		next += interval_ms;
		if (deadline_passed(next))
			next = deadline_in(interval_ms); /* suspended or starved: no burst of catch-ups */
	}
	report_refill_budget();
	(void)report_stage(REPORT_STAGE_SHUTDOWN_BEGIN, 0, "heartbeat stopped");
	(void)report_save_at(dirfd, STATE_NAME, 0);
	_exit(0);
}

int heartbeat_start(char *argv0, const char *run_dir, uint32_t interval_ms)
{
	if (!interval_ms)
		return -EINVAL;
	int dirfd = open(run_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -errno;
	pid_t pid = fork();
	if (pid < 0) {
		int err = -errno;
		close(dirfd);
		return err;
	}
	if (pid == 0) {
		child_signals_default(); /* a crash of ours is not PID 1's: no reset */
		argv0[0] = '@';
		daemon_loop(dirfd, interval_ms);
	}
	int err = report_save_at(dirfd, STATE_NAME, pid);
	close(dirfd);
	return err ? err : pid;
}

int heartbeat_stop(const char *state_path, uint32_t max_ms)
{
	struct report_setup s;
	int pid = 0, err = report_load_state(state_path, &s, &pid);
	if (err)
		return err;
	if (pid <= 1)
		return 0; /* no daemon */
	if (kill(pid, SIGTERM) < 0)
		return errno == ESRCH ? 0 : -errno;
	uint64_t deadline = deadline_in(max_ms);
	for (;;) {
		/* Our child when we are the same PID 1 (systemd-shutdown exec'd us): reap it. */
		if (waitpid(pid, NULL, WNOHANG) == pid || (kill(pid, 0) < 0 && errno == ESRCH))
			return 1;
		if (deadline_passed(deadline))
			return -ETIMEDOUT;
		sleep_ms(5);
	}
}
