/* Loading filesystem/crypto modules costs about as long as a DHCP exchange (measured under
 * QEMU TCG, docs/network.md: lease at +0.9 s, all modules at +2.8 s; each module's relocation
 * and signature check is the biggest cost of a boot); doing it in a thread while the network
 * stage waits hides it. The thread only calls finit_module and logs; it shares nothing else. */
#include "boot/modules_async.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "lib/clock.h"
#include "lib/log.h"

static struct {
	const char *list;
	struct module_needs needs;
	pthread_t thread;
	int started;
	int done; /* set by the thread when it is finished (atomic) */
	int err;
	struct modules_result result;
} job;

/* Every group but "net", in the order the image builder writes them (a module's
 * dependencies sit in its own group or in one listed before it). */
static const char *const rest_groups[] = { "fs", "crypto", "extra" };

static void *load_rest(void *arg)
{
	(void)arg;
	for (size_t i = 0; i < sizeof(rest_groups) / sizeof(rest_groups[0]); i++) {
		struct modules_result r;
		int err = modules_load(job.list, rest_groups[i], &job.needs, &r);
		if (err && !job.err)
			job.err = err;
		job.result.loaded += r.loaded;
		job.result.present += r.present;
		job.result.failed += r.failed;
		job.result.skipped += r.skipped;
		size_t used = strlen(job.result.skipped_names), add = strlen(r.skipped_names);
		if (add && used + add + 2 < sizeof(job.result.skipped_names)) {
			if (used)
				job.result.skipped_names[used++] = ' ';
			memcpy(job.result.skipped_names + used, r.skipped_names, add + 1);
		}
	}
	__atomic_store_n(&job.done, 1, __ATOMIC_RELEASE);
	return NULL;
}

int modules_async_start(const char *list_path, const struct module_needs *needs, struct modules_result *net)
{
	if (modules_no_known_nic(list_path))
		log_warn("no device matches the image's NIC drivers: loading them all");
	int err = modules_load(list_path, "net", needs, net);
	memset(&job, 0, sizeof(job));
	job.needs = *needs;
	if (err == -ENOENT)
		return err;
	job.list = list_path;
	job.started = pthread_create(&job.thread, NULL, load_rest, NULL) == 0;
	return err;
}

int modules_async_join(struct modules_result *rest, uint64_t deadline)
{
	if (!job.list) {
		memset(rest, 0, sizeof(*rest));
		return -ENOENT;
	}
	if (!job.started) {
		load_rest(NULL);
	} else {
		/* A driver whose load never ends (its probe waits on hardware) must not hold the
		 * boot: past the deadline the thread is left to finish on its own. */
		while (!__atomic_load_n(&job.done, __ATOMIC_ACQUIRE) && !deadline_passed(deadline))
			sleep_ms(5);
		if (!__atomic_load_n(&job.done, __ATOMIC_ACQUIRE)) {
			(void)pthread_detach(job.thread);
			memset(rest, 0, sizeof(*rest));
			return -ETIMEDOUT;
		}
		(void)pthread_join(job.thread, NULL);
	}
	*rest = job.result;
	return job.err;
}
