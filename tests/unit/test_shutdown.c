/* The shutdown sequence against a fake syscall layer: the order of the steps, and the paths
 * where the kernel hangs (an NFS umount with the server gone, a sync that never returns,
 * processes that do not die) still end in the reset within ghost.shutdown_timeout.
 * The fakes run partly in the sequence's bounded children, so their state is in shared memory;
 * a "hang" is a child blocked in pause() until the sequence abandons it. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cmocka.h>

#include "boot/cmdline.h"
#include "lib/clock.h"
#include "report/report_wire.h"
#include "shutdown/kill_all.h"
#include "shutdown/meminfo.h"
#include "shutdown/mountinfo.h"
#include "shutdown/poweroff.h"
#include "shutdown/proc_stat.h"
#include "shutdown/shutdown.h"

#define MAX_LINES 16
#define MAX_PROCS 8
#define SLACK_MS 1500 /* scheduling under ASan on a shared 2-core machine; not a speed claim */

struct fake {
	/* the mount table: lines, and which are still mounted */
	char line[MAX_LINES][256];
	int mounted[MAX_LINES];
	int nlines;
	int hang_network_force; /* umount2(MNT_FORCE) of a network fs blocks forever */
	int hang_all;           /* every umount2, detach included, blocks forever */
	char busy[64];          /* this mount point answers EBUSY unless detached */
	char hang_under[64];    /* umount2 of any path below this one blocks (its lookup hangs) */
	/* sync and meminfo */
	int sync_hang, sync_sleep_ms;
	uint64_t dirty_kb;
	unsigned dirty_step_kb; /* each meminfo read drops the dirty count this much */
	/* processes: alive, and which signal ends them (0: none) */
	pid_t pid[MAX_PROCS];
	int alive[MAX_PROCS], dies_on[MAX_PROCS], nprocs;
	/* what happened, in order */
	char log[8192];
	unsigned reports[8], nreports;
	int report_err[8];
	char report_text[8][UNMOUNT_LEFT_TEXT];
	int wol_err;            /* what set_wol answers */
	enum wol_mode wol_mode; /* what it was asked */
	int resets;
	enum reset_method method;
	enum reset_action action;
	uint64_t reset_at;
};

static struct fake *F;

static void logf_(const char *fmt, ...)
{
	size_t len = strlen(F->log);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(F->log + len, sizeof(F->log) - len, fmt, ap);
	va_end(ap);
}

static int f_list_pids(pid_t *pids, unsigned cap)
{
	unsigned n = 0;
	for (int i = 0; i < F->nprocs && n < cap; i++)
		if (F->alive[i])
			pids[n++] = F->pid[i];
	return (int)n;
}

static int f_kill(pid_t pid, int sig)
{
	for (int i = 0; i < F->nprocs; i++) {
		if (F->pid[i] != pid || !F->alive[i])
			continue;
		if (sig == SIGTERM || sig == SIGKILL)
			logf_("%s %d;", sig == SIGTERM ? "TERM" : "KILL", (int)pid);
		if (F->dies_on[i] == sig || (sig == SIGKILL && F->dies_on[i] == SIGTERM))
			F->alive[i] = 0;
		return 0;
	}
	return -ESRCH;
}

static void f_reap(void)
{
}

static int f_read_file(const char *path, char *buf, size_t cap)
{
	size_t len = 0;
	buf[0] = '\0';
	if (!strcmp(path, "/proc/self/mountinfo")) {
		for (int i = 0; i < F->nlines; i++)
			if (F->mounted[i])
				len += (size_t)snprintf(buf + len, cap - len, "%s\n", F->line[i]);
		return (int)len;
	}
	if (!strcmp(path, "/proc/meminfo")) {
		uint64_t d = F->dirty_kb;
		F->dirty_kb = d > F->dirty_step_kb ? d - F->dirty_step_kb : 0;
		return snprintf(buf, cap, "MemTotal: 131072 kB\nDirty: %llu kB\nWriteback: 0 kB\nNFS_Unstable: 0 kB\n",
				(unsigned long long)d);
	}
	return -ENOENT;
}

static void f_sync(void)
{
	logf_("sync;");
	if (F->sync_hang)
		for (;;)
			pause();
	if (F->sync_sleep_ms)
		sleep_ms((uint64_t)F->sync_sleep_ms);
	F->dirty_kb = 0;
}

static struct mountinfo scratch;

static int line_info(int i, unsigned *id, unsigned *parent, char *mp, size_t cap, int *net)
{
	mountinfo_parse(F->line[i], strlen(F->line[i]), &scratch);
	if (scratch.count != 1)
		return -1;
	*id = scratch.entry[0].id;
	*parent = scratch.entry[0].parent;
	snprintf(mp, cap, "%s", scratch.entry[0].mount_point);
	*net = mountinfo_is_network(&scratch.entry[0]);
	return 0;
}

static void detach_tree(unsigned id)
{
	for (int i = 0; i < F->nlines; i++) {
		unsigned cid, cparent;
		char mp[256];
		int net;
		if (F->mounted[i] && !line_info(i, &cid, &cparent, mp, sizeof(mp), &net) && cparent == id) {
			F->mounted[i] = 0;
			detach_tree(cid);
		}
	}
}

static int f_umount2(const char *target, int flags)
{
	int top = -1, net = 0;
	unsigned id = 0, parent;
	char mp[256];
	for (int i = 0; i < F->nlines; i++) {
		int n;
		unsigned iid;
		if (F->mounted[i] && !line_info(i, &iid, &parent, mp, sizeof(mp), &n) && !strcmp(mp, target)) {
			top = i;
			id = iid;
			net = n;
		}
	}
	logf_("umount %s%s%s;", target, flags & MNT_FORCE ? " force" : "", flags & MNT_DETACH ? " detach" : "");
	size_t hl = strlen(F->hang_under);
	if (F->hang_all || (F->hang_network_force && net && (flags & MNT_FORCE)) ||
	    (hl && !strncmp(target, F->hang_under, hl) && target[hl] == '/'))
		for (;;)
			pause();
	if (top < 0)
		return -EINVAL;
	if (flags & MNT_DETACH) {
		F->mounted[top] = 0;
		detach_tree(id);
		return 0;
	}
	if (!strcmp(target, F->busy))
		return -EBUSY;
	for (int i = 0; i < F->nlines; i++) {
		unsigned cid, cparent;
		int n;
		if (F->mounted[i] && !line_info(i, &cid, &cparent, mp, sizeof(mp), &n) && cparent == id && i != top)
			return -EBUSY;
	}
	F->mounted[top] = 0;
	return 0;
}

static void f_report(unsigned stage, int err, const char *text)
{
	if (F->nreports < 8) {
		F->report_err[F->nreports] = err;
		snprintf(F->report_text[F->nreports], UNMOUNT_LEFT_TEXT, "%s", text ? text : "");
		F->reports[F->nreports++] = stage;
	}
}

static int f_set_wol(const char *ifname, enum wol_mode mode, uint32_t max_ms)
{
	F->wol_mode = mode;
	logf_("wol %s %s %s;", ifname, mode == WOL_MAGIC ? "g" : "d", max_ms >= 100 && max_ms <= 1000 ? "bounded" : "unbounded");
	return F->wol_err;
}

static void f_reset(enum reset_method method, enum reset_action action)
{
	F->resets++;
	F->method = method;
	F->action = action;
	F->reset_at = clock_ms();
	logf_("reset;");
}

static const struct shutdown_ops fake_ops = { f_list_pids, f_kill, f_reap, f_read_file,
					      f_sync, f_umount2, f_report, f_set_wol, f_reset };

/* After systemd-shutdown pivoted into /run/initramfs: an overlay root over NFS at /oldroot. */
static const char *const worker[] = {
	"1 1 0:1 / / rw - rootfs rootfs rw",
	"24 1 0:22 / /oldroot/run/ghostboot/lower ro - nfs4 10.0.2.2:/export ro,vers=4.2",
	"25 1 0:23 / /oldroot/run/ghostboot/upper rw - tmpfs tmpfs rw",
	"26 1 0:24 / /oldroot rw - overlay overlay rw,lowerdir=/run/ghostboot/lower",
	"27 26 0:5 / /oldroot/dev rw - devtmpfs devtmpfs rw",
	"28 26 0:25 / /oldroot/run rw - tmpfs tmpfs rw",
	"29 28 0:26 / /oldroot/run/user/0 rw - tmpfs tmpfs rw",
	"30 26 0:27 / /oldroot/home rw - nfs4 10.0.2.2:/home rw",
	"31 1 0:4 / /proc rw - proc proc rw",
};

static int setup(void **state)
{
	(void)state;
	F = mmap(NULL, sizeof(*F), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(F != MAP_FAILED);
	memset(F, 0, sizeof(*F));
	for (size_t i = 0; i < sizeof(worker) / sizeof(worker[0]); i++) {
		snprintf(F->line[i], sizeof(F->line[i]), "%s", worker[i]);
		F->mounted[i] = 1;
	}
	F->nlines = (int)(sizeof(worker) / sizeof(worker[0]));
	F->dirty_kb = 4096;
	F->dirty_step_kb = 512;
	int dies[] = { SIGTERM, SIGTERM, SIGKILL };
	for (int i = 0; i < 3; i++) {
		F->pid[i] = 100 + i;
		F->alive[i] = 1;
		F->dies_on[i] = dies[i];
	}
	F->nprocs = 3;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	munmap(F, sizeof(*F));
	return 0;
}

static struct shutdown_result res;
static bool begin_reported; /* as when the heartbeat daemon sent shutdown-begin itself */

static uint64_t run(enum reset_action action, uint32_t timeout_ms)
{
	struct shutdown_plan plan = { .action = action, .method = RESET_PCI, .timeout_ms = timeout_ms,
				      .prefix = SHUTDOWN_OLDROOT, .begin_reported = begin_reported };
	uint64_t t0 = clock_ms();
	shutdown_run(&fake_ops, &plan, &res);
	assert_int_equal(F->resets, 1);
	return F->reset_at - t0;
}

static int still_mounted_under_oldroot(void)
{
	int n = 0;
	for (int i = 0; i < F->nlines; i++)
		n += F->mounted[i] && strstr(F->line[i], " /oldroot") != NULL;
	return n;
}

static void test_happy_path_order(void **state)
{
	(void)state;
	run(RESET_ACTION_POWEROFF, 15000);
	assert_string_equal(F->log,
			    "TERM 100;TERM 101;TERM 102;KILL 102;sync;"
			    "umount /oldroot/run/user/0;umount /oldroot/run;umount /oldroot/dev;"
			    "umount /oldroot/run/ghostboot/upper;umount /oldroot/home force;umount /oldroot;"
			    "umount /oldroot/run/ghostboot/lower force;sync;reset;");
	assert_int_equal(F->action, RESET_ACTION_POWEROFF);
	assert_int_equal(F->method, RESET_PCI);
	assert_int_equal(res.termed, 3);
	assert_int_equal(res.term_left, 1);
	assert_int_equal(res.killed, 1);
	assert_int_equal(res.kill_left, 0);
	assert_int_equal(res.sync.status, 0);
	assert_int_equal(res.sync.dirty_start_kb, 4096);
	assert_int_equal(res.unmount.unmounted, 7);
	assert_int_equal(res.unmount.detached + res.unmount.failed + res.unmount.hung, 0);
	assert_int_equal(res.final_sync, 0);
	assert_int_equal(still_mounted_under_oldroot(), 0);
	assert_true(F->mounted[0] && F->mounted[8]); /* / and /proc are not ours to unmount */
	assert_int_equal(F->nreports, 3);
	assert_int_equal(F->reports[0], REPORT_STAGE_SHUTDOWN_BEGIN);
	assert_string_equal(F->report_text[0], "poweroff");
	assert_int_equal(F->reports[1], REPORT_STAGE_UNMOUNTED);
	assert_int_equal(F->report_err[1], 0);
	assert_int_equal(F->reports[2], REPORT_STAGE_RESET);

	/* When the heartbeat daemon already reported shutdown-begin, it is not sent twice. */
	teardown(state);
	setup(state);
	begin_reported = true;
	run(RESET_ACTION_REBOOT, 3000);
	begin_reported = false;
	assert_int_equal(F->nreports, 2);
	assert_int_equal(F->reports[0], REPORT_STAGE_UNMOUNTED);
	assert_int_equal(F->reports[1], REPORT_STAGE_RESET);
}

/* The NFS server is gone: MNT_FORCE blocks, the sync never ends and the dirty count stays. */
static void test_nfs_server_gone(void **state)
{
	(void)state;
	F->hang_network_force = 1;
	F->sync_hang = 1;
	F->dirty_step_kb = 0;
	uint64_t took = run(RESET_ACTION_REBOOT, 3000);
	assert_true(took <= 3000 + SLACK_MS);
	assert_int_equal(F->action, RESET_ACTION_REBOOT);
	assert_int_equal(res.sync.status, -ETIMEDOUT);
	assert_int_equal(res.sync.dirty_end_kb, 4096);
	assert_int_equal(res.unmount.hung, 2);
	assert_int_equal(res.unmount.detached, 2);
	assert_int_equal(still_mounted_under_oldroot(), 0);
	assert_non_null(strstr(F->log, "umount /oldroot/home force;umount /oldroot/home detach;umount /oldroot;"));
	assert_non_null(strstr(F->log, "umount /oldroot/run/ghostboot/lower force;umount /oldroot/run/ghostboot/lower detach;"));
	/* The report says what could not be unmounted cleanly. */
	assert_int_equal(F->reports[1], REPORT_STAGE_UNMOUNTED);
	assert_int_equal(F->report_err[1], EBUSY);
	assert_string_equal(F->report_text[1],
			    "/oldroot/home (nfs4: hung) /oldroot/run/ghostboot/lower (nfs4: hung)");
	assert_int_equal(F->reports[2], REPORT_STAGE_RESET);
}

/* Nothing works at all: processes never die, every umount and detach blocks, sync blocks.
 * The reset still comes within the bound, and the report lists every mount. */
static void test_everything_hangs(void **state)
{
	(void)state;
	F->hang_all = 1;
	F->sync_hang = 1;
	F->dirty_step_kb = 0;
	for (int i = 0; i < F->nprocs; i++)
		F->dies_on[i] = 0;
	uint64_t took = run(RESET_ACTION_REBOOT, 2000);
	assert_true(took <= 2000 + SLACK_MS);
	assert_int_equal(res.term_left, 3);
	assert_int_equal(res.kill_left, 3);
	assert_int_equal(res.sync.status, -ETIMEDOUT);
	assert_int_equal(res.unmount.unmounted, 0);
	assert_int_equal(still_mounted_under_oldroot(), 7);
	assert_int_equal(res.unmount.failed, 7);
	assert_int_equal(F->report_err[1], EBUSY);
	assert_non_null(strstr(F->report_text[1], "/oldroot/run/user/0 (tmpfs: hung)"));
	assert_non_null(strstr(F->report_text[1], "/oldroot (overlay: "));
	assert_non_null(strstr(F->report_text[1], "/oldroot/run/ghostboot/lower (nfs4: "));
}

/* A slow sync that keeps making progress is waited for past the stall window. */
static void test_slow_sync_progressing(void **state)
{
	(void)state;
	F->sync_sleep_ms = 1300; /* with 3 s: stall window 600 ms, sync given up at 2.1 s */
	F->dirty_kb = 1u << 30;
	F->dirty_step_kb = 1024;
	F->dies_on[2] = SIGTERM;
	run(RESET_ACTION_REBOOT, 3000);
	assert_int_equal(res.sync.status, 0);
	assert_true(res.sync.elapsed_ms >= 1300);
}

/* A sync that stops making progress is given up after the stall window, not at the deadline. */
static void test_stalled_sync(void **state)
{
	(void)state;
	F->sync_hang = 1;
	F->dirty_step_kb = 0;
	struct shutdown_budget b;
	shutdown_budget_make(10000, &b);
	run(RESET_ACTION_REBOOT, 10000);
	assert_int_equal(res.sync.status, -ETIMEDOUT);
	assert_true(res.sync.elapsed_ms >= b.stall_ms);
	assert_true(res.sync.elapsed_ms < b.sync_ms - b.kill_ms);
	assert_int_equal(res.unmount.unmounted, 7); /* the unmount still gets its time */
}

/* A busy local mount gets more passes, then is detached; its parent follows. */
static void test_busy_mount_detached(void **state)
{
	(void)state;
	snprintf(F->busy, sizeof(F->busy), "/oldroot/dev");
	run(RESET_ACTION_HALT, 15000);
	assert_int_equal(F->action, RESET_ACTION_HALT);
	assert_int_equal(res.unmount.detached, 1);
	assert_int_equal(res.unmount.unmounted, 6);
	assert_int_equal(still_mounted_under_oldroot(), 0);
	assert_string_equal(F->report_text[1], "/oldroot/dev (devtmpfs: busy)");
	assert_non_null(strstr(F->log, "umount /oldroot/dev detach;"));
}

/* The server behind /oldroot/home is gone: the lookup of a mount beneath it hangs. One bound
 * is spent, not one per mount: the rest of that subtree is skipped and the NFS mount is
 * detached at once, taking what sits on it along. */
static void test_lookup_hangs_under_dead_server(void **state)
{
	(void)state;
	snprintf(F->line[F->nlines], sizeof(F->line[0]), "40 30 0:40 / /oldroot/home/a rw - tmpfs tmpfs rw");
	F->mounted[F->nlines++] = 1;
	snprintf(F->line[F->nlines], sizeof(F->line[0]), "41 30 0:41 / /oldroot/home/b rw - tmpfs tmpfs rw");
	F->mounted[F->nlines++] = 1;
	snprintf(F->hang_under, sizeof(F->hang_under), "/oldroot/home");
	struct shutdown_budget b;
	shutdown_budget_make(5000, &b);
	run(RESET_ACTION_REBOOT, 5000);
	assert_int_equal(res.unmount.hung, 1);
	assert_int_equal(res.unmount.detached, 1);
	assert_int_equal(res.unmount.unmounted, 6);
	assert_int_equal(still_mounted_under_oldroot(), 0);
	const char *hung = strstr(F->log, "umount /oldroot/home/b;");
	const char *detach = strstr(F->log, "umount /oldroot/home detach;");
	assert_non_null(hung);
	assert_non_null(detach);
	assert_true(hung < detach);
	assert_null(strstr(F->log, "umount /oldroot/home/a;"));
	assert_null(strstr(F->log, "umount /oldroot/home force"));
	assert_string_equal(F->report_text[1], "/oldroot/home/b (tmpfs: hung) /oldroot/home (nfs4: server gone)");
}

static void test_plan_and_budget(void **state)
{
	(void)state;
	struct boot_config cfg;
	struct shutdown_args args;
	struct shutdown_plan plan;
	boot_config_defaults(&cfg);
	cfg.reset = RESET_KBD;
	static const struct {
		const char *verb;
		bool kexec_loaded;
		enum reset_action action;
	} cases[] = { { "reboot", false, RESET_ACTION_REBOOT },   { "poweroff", false, RESET_ACTION_POWEROFF },
		      { "exit", false, RESET_ACTION_POWEROFF },   { "halt", false, RESET_ACTION_HALT },
		      { "kexec", true, RESET_ACTION_KEXEC },      { "kexec", false, RESET_ACTION_REBOOT } };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *argv[] = { (char *)cases[i].verb, "--timeout=90000000us" };
		shutdown_args_parse(2, argv, &args);
		shutdown_plan_make(&args, &cfg, cases[i].kexec_loaded, NULL, SHUTDOWN_OLDROOT, &plan);
		assert_int_equal(plan.action, cases[i].action);
		assert_null(plan.no_poweroff);
		/* A kernel that cannot power off: only the power-off changes, into a reset. */
		shutdown_plan_make(&args, &cfg, cases[i].kexec_loaded, "no ACPI", SHUTDOWN_OLDROOT, &plan);
		bool off = cases[i].action == RESET_ACTION_POWEROFF;
		assert_int_equal(plan.action, off ? RESET_ACTION_REBOOT : cases[i].action);
		if (off)
			assert_string_equal(plan.no_poweroff, "no ACPI");
		else
			assert_null(plan.no_poweroff);
		assert_int_equal(plan.method, RESET_KBD);
		assert_int_equal(plan.timeout_ms, GHOST_DEFAULT_SHUTDOWN_TIMEOUT_MS);
	}
	static const uint32_t timeouts[] = { 100, 1000, 15000, 60000, 3600000 };
	for (size_t i = 0; i < sizeof(timeouts) / sizeof(timeouts[0]); i++) {
		struct shutdown_budget b;
		shutdown_budget_make(timeouts[i], &b);
		assert_true(b.term_ms <= b.kill_ms);
		assert_true(b.kill_ms <= b.sync_ms);
		assert_true(b.sync_ms <= b.unmount_ms);
		assert_true(b.unmount_ms <= timeouts[i]);
		assert_true(b.term_ms <= 5000);
	}
}

/* What the kernel shows decides it: acpi=off on the command line, or no /sys/firmware/acpi;
 * an unknown state (no sysfs) is not a reason (the watchdog is the net there). */
static void test_poweroff_blocker(void **state)
{
	(void)state;
	assert_null(poweroff_blocker(false, POWEROFF_ACPI_PRESENT));
	assert_null(poweroff_blocker(false, POWEROFF_ACPI_UNKNOWN));
	assert_string_equal(poweroff_blocker(false, POWEROFF_ACPI_ABSENT), "no ACPI");
	assert_string_equal(poweroff_blocker(true, POWEROFF_ACPI_ABSENT), "acpi=off");
	assert_string_equal(poweroff_blocker(true, POWEROFF_ACPI_UNKNOWN), "acpi=off");
	/* The kernel's acpi=: last one wins, force undoes off, other values leave it. */
	static const struct {
		const char *cmdline;
		bool off;
	} cases[] = { { "acpi=off", true },	     { "acpi=force", false },	{ "acpi=off acpi=force", false },
		      { "acpi=force acpi=off", true }, { "acpi=off acpi=noirq", true }, { "quiet", false },
		      { "acpi", false },	     { "noacpi=off", false } };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct boot_config cfg;
		struct cmdline_warnings w;
		cmdline_parse(cases[i].cmdline, strlen(cases[i].cmdline), &cfg, &w);
		assert_int_equal(cfg.acpi_off, cases[i].off);
		assert_int_equal(w.count, 0);
	}
}

/* The report says it too: the reset report carries the reason instead of "reboot". */
static void test_poweroff_impossible_reported(void **state)
{
	(void)state;
	struct shutdown_plan plan = { .action = RESET_ACTION_REBOOT, .method = RESET_PCI, .timeout_ms = 3000,
				      .prefix = SHUTDOWN_OLDROOT, .no_poweroff = "no ACPI" };
	shutdown_run(&fake_ops, &plan, &res);
	assert_int_equal(F->action, RESET_ACTION_REBOOT);
	assert_int_equal(F->nreports, 3);
	assert_string_equal(F->report_text[0], "reboot");
	assert_int_equal(F->reports[2], REPORT_STAGE_RESET);
	assert_string_equal(F->report_text[2], "poweroff impossible here (no ACPI): reset instead");
}

/* ghost.wol=: the NIC is set after the last unmount and sync, right before the power-off, and
 * the master hears whether it worked; nothing is touched for a reboot or without the parameter. */
static void wol_run(enum reset_action action, enum wol_mode mode, const char *ifname)
{
	struct shutdown_plan plan = { .action = action, .method = RESET_PCI, .timeout_ms = 3000,
				      .prefix = SHUTDOWN_OLDROOT, .wol = mode };
	snprintf(plan.wol_ifname, sizeof(plan.wol_ifname), "%s", ifname);
	shutdown_run(&fake_ops, &plan, &res);
	assert_int_equal(F->resets, 1);
}

static void test_wake_on_lan(void **state)
{
	wol_run(RESET_ACTION_POWEROFF, WOL_MAGIC, "enp0s2");
	assert_non_null(strstr(F->log, "umount /oldroot/run/ghostboot/lower force;sync;wol enp0s2 g bounded;reset;"));
	assert_string_equal(F->report_text[F->nreports - 1], "poweroff, wake-on-lan armed");

	teardown(state), setup(state);
	F->wol_err = -EOPNOTSUPP; /* virtio-net: no Wake-on-LAN at all */
	wol_run(RESET_ACTION_POWEROFF, WOL_MAGIC, "enp0s2");
	assert_int_equal(F->action, RESET_ACTION_POWEROFF); /* powers off all the same */
	assert_string_equal(F->report_text[F->nreports - 1], "poweroff, wake-on-lan not set: Operation not supported");

	teardown(state), setup(state);
	wol_run(RESET_ACTION_POWEROFF, WOL_OFF, "enp0s2");
	assert_non_null(strstr(F->log, "wol enp0s2 d bounded;reset;"));
	assert_string_equal(F->report_text[F->nreports - 1], "poweroff, wake-on-lan off");

	teardown(state), setup(state);
	wol_run(RESET_ACTION_POWEROFF, WOL_MAGIC, ""); /* no boot link known */
	assert_null(strstr(F->log, "wol "));
	assert_string_equal(F->report_text[F->nreports - 1], "poweroff, wake-on-lan not set: no boot NIC known");

	teardown(state), setup(state);
	wol_run(RESET_ACTION_REBOOT, WOL_MAGIC, "enp0s2");
	assert_null(strstr(F->log, "wol "));
	teardown(state), setup(state);
	wol_run(RESET_ACTION_POWEROFF, WOL_KEEP, "enp0s2");
	assert_null(strstr(F->log, "wol "));
	assert_string_equal(F->report_text[F->nreports - 1], "poweroff");
}

static void test_spare_policy(void **state)
{
	(void)state;
	struct proc_stat st;
	const char *stat_user = "412 (my (odd) prog) S 1 412 412 0 -1 4194560 100 0 0 0";
	assert_int_equal(proc_stat_parse(stat_user, strlen(stat_user), &st), 0);
	assert_int_equal(st.state, 'S');
	assert_int_equal(st.ppid, 1);
	assert_int_equal(st.flags, 4194560u);
	assert_false(kill_all_spare(412, 99, &st, 0, "/usr/sbin/sshd\0-D", 17));
	assert_true(kill_all_spare(412, 99, &st, 0, "@ghostinit\0guardian", 19)); /* root's '@': spared */
	/* A user's '@' is no way out of the shutdown (systemd spares only uid 0's). */
	assert_false(kill_all_spare(412, 99, &st, 1000, "@userd\0x", 8));
	assert_int_equal(kill_all_judge(412, 99, &st, 1000), KILL_ALL_SIGNAL);
	assert_int_equal(kill_all_judge(412, 99, &st, 0), KILL_ALL_ASK_ARGV);
	assert_int_equal(kill_all_judge(412, 99, &st, (unsigned)-1), KILL_ALL_SIGNAL); /* uid unknown */
	assert_true(kill_all_spare(412, 412, &st, 1000, "x", 1));                    /* ourselves */
	assert_true(kill_all_spare(1, 99, &st, 0, "/sbin/init", 10));
	assert_true(kill_all_spare(412, 99, &st, 0, "", 0)); /* no cmdline: a kernel thread */
	const char *kthread = "37 (kworker/0:1) I 2 0 0 0 -1 69238880 0 0";
	assert_int_equal(proc_stat_parse(kthread, strlen(kthread), &st), 0);
	assert_true(st.flags & PROC_PF_KTHREAD);
	assert_true(kill_all_spare(37, 99, &st, 0, "x", 1));
	const char *zombie = "500 (gone) Z 1 500 500 0 -1 4194316 0";
	assert_int_equal(proc_stat_parse(zombie, strlen(zombie), &st), 0);
	assert_true(kill_all_spare(500, 99, &st, 1000, "x", 1));
	assert_int_equal(proc_stat_parse("12 (x", 5, &st), -EINVAL);
	assert_int_equal(proc_stat_parse("12 (x) S 1 2 3", 14, &st), -EINVAL);
	assert_int_equal(proc_stat_parse("12 (x) S a 2 3 4 5 6", 20, &st), -EINVAL);
	assert_int_equal(proc_stat_parse("", 0, &st), -EINVAL);

	/* The real walk on this machine: never lists us or PID 1. */
	static pid_t pids[KILL_ALL_MAX];
	int n = kill_all_list(pids, KILL_ALL_MAX);
	assert_true(n >= 0);
	for (int i = 0; i < n; i++) {
		assert_true(pids[i] != getpid());
		assert_true(pids[i] > 1);
	}
}

/* stat's start time (a pid reused is another process) and status's real uid. */
static void test_proc_fields(void **state)
{
	(void)state;
	struct proc_stat st;
	const char *full = "412 (a b) S 1 412 412 0 -1 4194560 100 0 0 0 5 6 -1 0 20 0 1 0 123456 2789376 200";
	assert_int_equal(proc_stat_parse(full, strlen(full), &st), 0);
	assert_int_equal(st.starttime, 123456);
	const char *cut = "412 (a) S 1 412 412 0 -1 4194560 100 0";
	assert_int_equal(proc_stat_parse(cut, strlen(cut), &st), 0);
	assert_int_equal(st.starttime, 0);
	unsigned uid = 7;
	const char *status = "Name:\tsshd\nUmask:\t0022\nState:\tS (sleeping)\nUid:\t1000\t0\t0\t0\nGid:\t0\t0\t0\t0\n";
	assert_int_equal(proc_status_uid(status, strlen(status), &uid), 0);
	assert_int_equal(uid, 1000); /* the real uid, not the effective one */
	assert_int_equal(proc_status_uid("Uid:\t0\t0\t0\t0\n", 15, &uid), 0);
	assert_int_equal(uid, 0);
	assert_int_equal(proc_status_uid("Name:\tx\n", 8, &uid), -ENOENT);
	assert_int_equal(proc_status_uid("Uid:\tabc\n", 9, &uid), -EINVAL);
	assert_int_equal(proc_status_uid("Uid:\t99999999999\t0\n", 20, &uid), -EINVAL);
	assert_int_equal(proc_status_uid("Uid:", 4, &uid), -ENOENT);
	/* This machine's own status: we run as someone. */
	static char buf[4096];
	int n = shutdown_ops_real.read_file("/proc/self/status", buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(proc_status_uid(buf, (size_t)n, &uid), 0);
	assert_int_equal(uid, (unsigned)getuid());
}

/* The argv step in a bounded child: answers in order; a read that blocks (a process stuck
 * behind a dead NFS server) costs the bound once and leaves the rest signalled. */
static int fake_first_byte(pid_t pid)
{
	if (pid == 666)
		for (;;)
			pause();
	return pid == 10 ? '@' : pid == 11 ? 0 : pid == 12 ? '/' : -ESRCH;
}

static void test_argv_step_bounded(void **state)
{
	(void)state;
	unsigned char v[5];
	const pid_t pids[] = { 10, 11, 12, 13 };
	assert_int_equal(kill_all_ask_argv(pids, 4, fake_first_byte, deadline_in(2000), v), 4);
	assert_int_equal(v[0], 1); /* '@' */
	assert_int_equal(v[1], 1); /* empty: a kernel thread */
	assert_int_equal(v[2], 0);
	assert_int_equal(v[3], 0); /* gone: nothing to spare */
	const pid_t stuck[] = { 10, 666, 10, 12, 10 };
	memset(v, 9, sizeof(v));
	uint64_t t0 = clock_ms();
	assert_int_equal(kill_all_ask_argv(stuck, 5, fake_first_byte, deadline_in(300), v), 1);
	assert_true(clock_ms() - t0 < 300 + SLACK_MS);
	assert_int_equal(v[0], 1);
	assert_int_equal(v[1] + v[2] + v[3] + v[4], 0); /* unanswered: signalled */
	assert_int_equal(kill_all_ask_argv(pids, 0, fake_first_byte, deadline_in(300), v), 0);
}

static void test_meminfo(void **state)
{
	(void)state;
	uint64_t kb;
	const char *m = "MemTotal:  1000 kB\nDirty:       12 kB\nWriteback:    3 kB\nWritebackTmp: 100 kB\n"
			"NFS_Unstable:  5 kB\n";
	assert_int_equal(meminfo_dirty_kb(m, strlen(m), &kb), 0);
	assert_int_equal(kb, 20);
	assert_int_equal(meminfo_dirty_kb("MemTotal: 5 kB\n", 15, &kb), -ENOENT);
	assert_int_equal(meminfo_dirty_kb("Dirty:", 6, &kb), -ENOENT);
	static char buf[8192];
	int n = shutdown_ops_real.read_file("/proc/meminfo", buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(meminfo_dirty_kb(buf, (size_t)n, &kb), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_happy_path_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nfs_server_gone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_everything_hangs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slow_sync_progressing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stalled_sync, setup, teardown),
		cmocka_unit_test_setup_teardown(test_busy_mount_detached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookup_hangs_under_dead_server, setup, teardown),
		cmocka_unit_test(test_plan_and_budget),
		cmocka_unit_test(test_poweroff_blocker),
		cmocka_unit_test_setup_teardown(test_poweroff_impossible_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wake_on_lan, setup, teardown),
		cmocka_unit_test(test_spare_policy),
		cmocka_unit_test(test_proc_fields),
		cmocka_unit_test(test_argv_step_bounded),
		cmocka_unit_test(test_meminfo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
