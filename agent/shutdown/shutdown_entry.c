/* The shutdown program's entry: as PID 1 after systemd-shutdown handed over (/shutdown VERB
 * --options), or `ghostinit shutdown VERB` from another init, which first pivots into
 * /run/initramfs itself so that the old root can be unmounted from outside. */
#include "shutdown/shutdown.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "boot/boot_config_load.h"
#include "guardian/guardian.h"
#include "guardian/guardian_env.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "report/heartbeat.h"
#include "report/report.h"
#include "shutdown/mountinfo.h"
#include "shutdown/poweroff.h"

static void read_config(struct boot_config *cfg)
{
	struct cmdline_warnings warnings; /* the boot already showed them */
	int err = boot_config_load(NULL, cfg, &warnings);
	if (err)
		log_warn("shutdown: cannot read /proc/cmdline: %s; using defaults", strerror(-err));
	log_set_debug(cfg->debug);
}

/* The boot-link guardian arms the watchdog when told that shutdown begins. */
/* The boot-link guardian arms the watchdog with its own default (ghost.shutdown_timeout + 10 s):
 * under systemd it was armed already when shutdown began, with systemd's longer budget. */
static void tell_guardian(void)
{
	int pid = guardian_request_arm(GUARDIAN_PIDFILE, 0);
	if (pid > 0)
		log_info("shutdown: told the link guardian (pid %d)", pid);
}

/* Once more before sync and unmount: the boot link must be there (the guardian may not be). */
static void check_link(char *ifname, size_t cap)
{
	static char env[4096];
	struct guardian_config g;
	int n = shutdown_ops_real.read_file(GUARDIAN_ENV_PATH, env, sizeof(env));
	if (n <= 0 || guardian_env_parse(env, (size_t)n, &g) != 0)
		return;
	snprintf(ifname, cap, "%s", g.ifname); /* the boot NIC: ghost.wol= sets it */
	int r = guardian_check_once(&g);
	if (r == 1)
		log_warn("shutdown: %s was down; brought it back up before sync and unmount", g.ifname);
	else if (r < 0)
		log_warn("shutdown: cannot check %s: %s", g.ifname, strerror(-r));
}

/* From here on we own the boot's report sequence: the guardian, which sends its own reports
 * when no heartbeat daemon runs, waits (guardian_report.h). Held until the reset; a holder
 * that does not let go within max_ms is not waited for. */
static void take_report_lock(uint32_t max_ms)
{
	int fd = open("/run/ghostboot/" REPORT_LOCK_NAME, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	uint64_t deadline = deadline_in(max_ms);
	while (flock(fd, LOCK_EX | LOCK_NB) < 0 && !deadline_passed(deadline))
		sleep_ms(5);
	/* fd stays open: the lock lasts as long as this process. */
}

static bool kexec_loaded(void)
{
	char buf[8];
	return shutdown_ops_real.read_file("/sys/kernel/kexec_loaded", buf, sizeof(buf)) > 0 && buf[0] == '1';
}

/* What systemd's switch_root does for its exitrd: the new root a mount point of its own, the
 * kernel's filesystems bound into it (/run without its submounts, or it would contain itself),
 * then pivot_root with the old root at /oldroot. */
static int pivot_into(const char *dir, const char **why)
{
	static const struct {
		const char *from, *to;
		unsigned long flags;
	} binds[] = { { "/proc", "proc", MS_BIND | MS_REC },
		      { "/sys", "sys", MS_BIND | MS_REC },
		      { "/dev", "dev", MS_BIND | MS_REC },
		      { "/run", "run", MS_BIND } };
	*why = "make mounts private (pivot_root refuses shared ones)";
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		return -errno;
	*why = "bind " SHUTDOWN_NEW_ROOT " onto itself";
	if (mount(dir, dir, NULL, MS_BIND, NULL) != 0)
		return -errno;
	*why = "enter " SHUTDOWN_NEW_ROOT;
	if (chdir(dir) != 0)
		return -errno;
	(void)mkdir("oldroot", 0700);
	for (size_t i = 0; i < sizeof(binds) / sizeof(binds[0]); i++) {
		(void)mkdir(binds[i].to, 0755);
		if (mount(binds[i].from, binds[i].to, NULL, binds[i].flags, NULL) != 0)
			log_warn("shutdown: cannot bind %s into %s: %s", binds[i].from, dir, strerror(errno));
	}
	*why = "pivot_root";
	if (syscall(SYS_pivot_root, ".", "oldroot") != 0)
		return -errno;
	*why = "chroot into the new root";
	if (chroot(".") != 0 || chdir("/") != 0)
		return -errno;
	return 0;
}

/* Whether anything is mounted at or under path (the pivot left the old root there). */
static bool mounted_under(const char *path)
{
	static char text[65536];
	static struct mountinfo mi;
	int n = shutdown_ops_real.read_file("/proc/self/mountinfo", text, sizeof(text));
	if (n <= 0)
		return true; /* cannot tell: assume the caller did its part */
	mountinfo_parse(text, (size_t)n, &mi);
	for (unsigned i = 0; i < mi.count; i++)
		if (mountinfo_path_under(mi.entry[i].mount_point, path))
			return true;
	return false;
}

/* As PID 1 without the pivot (a hand-written init that execs /run/initramfs/shutdown itself,
 * not through systemd-shutdown): we stand in the real root, /oldroot is empty, and the
 * sequence would unmount nothing and report a clean end that did not happen. */
static bool unpivoted_pid1(void)
{
	return getpid() == 1 && !mounted_under(SHUTDOWN_OLDROOT) &&
	       access(SHUTDOWN_NEW_ROOT "/shutdown", X_OK) == 0;
}

_Noreturn void shutdown_main(int argc, char *const argv[], bool pivot)
{
	struct boot_config cfg;
	struct shutdown_args args;
	struct shutdown_plan plan;
	struct shutdown_result res;
	const char *prefix = SHUTDOWN_OLDROOT;

	/* From here on nothing may page in from the NFS root: it may be gone any moment. */
	if (mlockall(MCL_CURRENT | MCL_FUTURE) != 0)
		log_warn("shutdown: mlockall: %s", strerror(errno));
	if (getpid() == 1 && access("/proc/self/mountinfo", R_OK) != 0) {
		(void)mkdir("/proc", 0555);
		(void)mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	}
	log_init();
	tell_guardian();
	unsigned nwarn = shutdown_args_parse(argc, argv, &args);
	for (unsigned i = 0; i < args.warning_count; i++)
		log_warn("shutdown: %s", args.warning[i]);
	if (nwarn > args.warning_count)
		log_warn("shutdown: %u more argument warnings", nwarn - args.warning_count);
	if (!args.verb_given)
		log_warn("shutdown: no verb given; rebooting");
	if (!pivot && unpivoted_pid1()) {
		log_warn("shutdown: PID 1 in the real root, nothing at %s: moving into %s myself", SHUTDOWN_OLDROOT,
			 SHUTDOWN_NEW_ROOT);
		pivot = true;
	}
	if (pivot) {
		const char *why = "";
		int r = pivot_into(SHUTDOWN_NEW_ROOT, &why);
		if (r != 0) {
			/* Still in the real root: unmount what can be from here, detach the rest. */
			log_error("shutdown: cannot move into %s (%s: %s); unmounting from the real root",
				  SHUTDOWN_NEW_ROOT, why, strerror(-r));
			prefix = "/";
		}
	}
	read_config(&cfg);
	if (args.timeout_given)
		log_debug("shutdown: caller's timeout %llu us; ghost.shutdown_timeout=%u ms rules",
			  (unsigned long long)args.timeout_us, cfg.shutdown_timeout_ms);
	char boot_nic[sizeof(plan.wol_ifname)] = "";
	check_link(boot_nic, sizeof(boot_nic));
	shutdown_plan_make(&args, &cfg, kexec_loaded(), poweroff_blocker(cfg.acpi_off, poweroff_acpi_state()),
			   prefix, &plan);
	memcpy(plan.wol_ifname, boot_nic, sizeof(boot_nic));
	/* Continue the boot's reports (same boot id, next sequence): the heartbeat daemon, if
	 * there is one, sends shutdown-begin as it exits, so that the two never interleave. */
	take_report_lock(300);
	int hb = heartbeat_stop(REPORT_STATE_PATH, 300);
	plan.begin_reported = hb == 1; /* no daemon (0): shutdown-begin is ours to send */
	int daemon_pid, rr = report_resume(REPORT_STATE_PATH, &cfg, &daemon_pid);
	if (rr)
		log_info("shutdown: no reports to the master (%s)", rr == -ENOENT ? "none in this boot" : strerror(-rr));
	else if (hb < 0 && hb != -ENOENT)
		log_warn("shutdown: heartbeat daemon did not stop: %s", strerror(-hb));
	shutdown_run(&shutdown_ops_real, &plan, &res);
	reset_now(plan.method, plan.action); /* shutdown_run ends in it; never reached */
}

bool shutdown_is_verb(const char *word) { return word && shutdown_verb_find(word) >= 0; }

bool shutdown_invoked(int argc, char *const argv[])
{
	const char *base = argc > 0 && argv[0] ? strrchr(argv[0], '/') : NULL;
	base = base ? base + 1 : argc > 0 ? argv[0] : NULL;
	if (!base || strcmp(base, "shutdown") != 0)
		return false;
	return getpid() == 1 || (argc > 1 && shutdown_is_verb(argv[1]));
}
