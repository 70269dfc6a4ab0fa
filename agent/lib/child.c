/* A forked child's signal state (see child.h). */
#include "lib/child.h"

#include <signal.h>
#include <string.h>

const int child_crash_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
const unsigned child_crash_signal_count = sizeof(child_crash_signals) / sizeof(child_crash_signals[0]);

void child_signals_default(void)
{
	struct sigaction sa;
	sigset_t set;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&set);
	for (unsigned i = 0; i < child_crash_signal_count; i++) {
		(void)sigaction(child_crash_signals[i], &sa, NULL);
		sigaddset(&set, child_crash_signals[i]);
	}
	(void)sigprocmask(SIG_UNBLOCK, &set, NULL);
}
