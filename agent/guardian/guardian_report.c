/* The guardian's reports (see guardian_report.h): hand-off to the heartbeat daemon, or its own
 * send under the report lock. Nothing here may stop the guardian: failures only cost a report. */
#define _GNU_SOURCE
#include "guardian/guardian_report.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/small_file.h"
#include "report/report.h"
#include "report/report_key.h"

#define STATE_NAME "report"

void guardian_report_init(struct guardian_report *g, int run_fd)
{
	memset(g, 0, sizeof(*g));
	g->state_dir = run_fd < 0 ? -1 : openat(run_fd, "ghostboot", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

void guardian_report_note(struct guardian_report *g, const char *ifname, const char *what, const char *how,
			  uint64_t ms)
{
	g->restores++;
	snprintf(g->text, sizeof(g->text), "%u restored: %s lost%s (%s) %llu ms", g->restores, ifname, what,
		 how, (unsigned long long)ms);
	g->pending = true;
	g->failures = 0;
}

bool guardian_report_due(const struct guardian_report *g, uint64_t now)
{
	return g->pending && (!g->last_sent || now - g->last_sent >= GUARDIAN_REPORT_MIN_MS);
}

/* The event for the heartbeat daemon: written aside, then renamed, so it reads it whole. */
static int hand_over(const struct guardian_report *g, int daemon_pid)
{
	int fd = openat(g->state_dir, GUARDIAN_EVENT_NAME ".tmp", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	size_t len = strlen(g->text);
	int err = write(fd, g->text, len) == (ssize_t)len ? 0 : -EIO;
	close(fd);
	if (!err && renameat(g->state_dir, GUARDIAN_EVENT_NAME ".tmp", g->state_dir, GUARDIAN_EVENT_NAME) < 0)
		err = -errno;
	if (!err && kill(daemon_pid, SIGUSR1) < 0)
		err = -errno;
	return err;
}

/* The key the boot kept beside the report state (0600), whatever its source: the guardian's
 * argv, which every user can read in /proc, never carries it. No file: the boot had no key. */
static int load_key(const struct guardian_report *g, struct report_setup *s)
{
	s->keylen = report_key_kept_at(g->state_dir, REPORT_KEY_KEPT_NAME, s->key);
	if (s->keylen == -ENOENT)
		s->keylen = 0;
	return s->keylen < 0 ? s->keylen : 0;
}

/* No daemon: send from the saved state and save it back, as its owner for that moment. */
static int send_self(const struct guardian_report *g)
{
	int lock = openat(g->state_dir, REPORT_LOCK_NAME, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lock < 0)
		return -errno;
	if (flock(lock, LOCK_EX | LOCK_NB) < 0) {
		close(lock);
		return -EBUSY; /* the shutdown program reports now */
	}
	struct report_setup s;
	int pid, err = report_load_state_at(g->state_dir, STATE_NAME, &s, &pid);
	if (!err)
		err = load_key(g, &s);
	if (!err)
		err = report_open(&s);
	if (!err) {
		/* Unacked (the link went down again while we waited): a failed try, sent again on
		 * a later check; ghostwatch keeps the largest count if both arrive. */
		int acked = report_guardian(g->text);
		err = report_save_at(g->state_dir, STATE_NAME, 0);
		report_close();
		if (!err && acked != 1)
			err = -ETIMEDOUT;
	}
	close(lock);
	return err;
}

void guardian_report_flush(struct guardian_report *g, uint64_t now)
{
	if (g->state_dir < 0 || !guardian_report_due(g, now))
		return;
	struct report_setup s;
	int pid, err = report_load_state_at(g->state_dir, STATE_NAME, &s, &pid);
	if (err == -ENOENT) {
		g->pending = false; /* nobody reported in this boot: no master to tell */
		return;
	}
	if (!err && pid > 1 && kill(pid, 0) == 0)
		err = hand_over(g, pid);
	else if (!err)
		err = send_self(g);
	if (!err || err == -EBUSY || ++g->failures >= GUARDIAN_REPORT_TRIES) {
		g->pending = false; /* sent, or the shutdown program reports from now on, or given up */
		g->last_sent = now;
	}
	if (err && err != -EBUSY)
		log_warn("guardian: restore not reported to the master%s: %s",
			 g->pending ? " (trying again)" : "", strerror(-err));
}
