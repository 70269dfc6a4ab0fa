/* The shutdown sequence (see shutdown.h). Every step that can block in the kernel runs in a
 * bounded child; when the overall bound runs out the machine is reset anyway, because a node
 * that resets is recoverable and a node frozen with its fans at full speed is not. */
#include "shutdown/shutdown.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "lib/bounded.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "report/report_wire.h"

void shutdown_plan_make(const struct shutdown_args *args, const struct boot_config *cfg,
			bool kexec_loaded, const char *poweroff_blocker, const char *prefix,
			struct shutdown_plan *plan)
{
	plan->no_poweroff = NULL;
	switch (args->verb) {
	case SHUTDOWN_POWEROFF:
	case SHUTDOWN_EXIT:
		plan->action = RESET_ACTION_POWEROFF;
		break;
	case SHUTDOWN_HALT:
		plan->action = RESET_ACTION_HALT;
		break;
	case SHUTDOWN_KEXEC:
		plan->action = kexec_loaded ? RESET_ACTION_KEXEC : RESET_ACTION_REBOOT;
		break;
	default:
		plan->action = RESET_ACTION_REBOOT;
	}
	/* The kernel would turn it into a halt: a node nobody can reach then stays on for good. */
	if (plan->action == RESET_ACTION_POWEROFF && poweroff_blocker) {
		plan->action = RESET_ACTION_REBOOT;
		plan->no_poweroff = poweroff_blocker;
	}
	plan->method = cfg->reset;
	plan->timeout_ms = cfg->shutdown_timeout_ms ? cfg->shutdown_timeout_ms : GHOST_DEFAULT_SHUTDOWN_TIMEOUT_MS;
	plan->prefix = prefix;
	plan->begin_reported = false;
	plan->wol = cfg->wol;
	plan->wol_ifname[0] = '\0';
}

static uint64_t clamp(uint64_t v, uint64_t lo, uint64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* With the default 15 s: TERM grace to 3.75 s, KILL wait to 4.75 s, sync to 10.5 s (given up
 * after 3 s without progress), unmount to 14.5 s, one umount 3 s; the steps end early when
 * their work is done, and what they leave goes to the next ones. */
void shutdown_budget_make(uint32_t timeout_ms, struct shutdown_budget *b)
{
	uint64_t t = timeout_ms;
	b->term_ms = t * 25 / 100 < 5000 ? t * 25 / 100 : 5000;
	b->kill_ms = b->term_ms + (t / 15 < 1000 ? t / 15 : 1000);
	b->sync_ms = t * 70 / 100;
	if (b->sync_ms < b->kill_ms)
		b->sync_ms = b->kill_ms;
	b->stall_ms = clamp(t / 5, 500, 10000);
	b->umount_ms = clamp(t / 5, 500, 5000);
	b->unmount_ms = t - (t / 30 < 500 ? t / 30 : 500);
}

static int do_sync(void *arg)
{
	const struct shutdown_ops *ops = arg;
	ops->sync();
	return 0;
}

/* The last step before a power-off: what the boot NIC wakes on (ghost.wol=), said in the reset
 * report as well, so that the master knows whether a magic packet can bring the node back.
 * Bounded by what is left of the sequence (at least 100 ms, at most 1 s). */
static void set_wake_on_lan(const struct shutdown_ops *ops, const struct shutdown_plan *plan, uint64_t end,
			    char *text, size_t cap)
{
	if (plan->action != RESET_ACTION_POWEROFF || plan->wol == WOL_KEEP)
		return;
	const char *set = plan->wol == WOL_MAGIC ? "armed" : "off";
	if (!plan->wol_ifname[0]) {
		log_warn("shutdown: ghost.wol: no boot NIC known (no boot link); Wake-on-LAN left as it is");
		snprintf(text, cap, "poweroff, wake-on-lan not set: no boot NIC known");
		return;
	}
	uint64_t now = clock_ms(), left = end > now ? end - now : 0;
	int err = ops->set_wol(plan->wol_ifname, plan->wol, (uint32_t)(left < 100 ? 100 : left > 1000 ? 1000 : left));
	if (err == 0)
		snprintf(text, cap, "poweroff, wake-on-lan %s", set);
	else
		snprintf(text, cap, "poweroff, wake-on-lan not set: %s", strerror(-err));
}

void shutdown_run(const struct shutdown_ops *ops, const struct shutdown_plan *plan,
		  struct shutdown_result *res)
{
	struct shutdown_budget b;
	uint64_t t0 = clock_ms();
	uint64_t end = t0 + plan->timeout_ms;
	memset(res, 0, sizeof(*res));
	shutdown_budget_make(plan->timeout_ms, &b);

	log_info("shutdown: %s (reset %s) within %u ms; unmounting %s", reset_action_name(plan->action),
		 reset_method_name(plan->method), plan->timeout_ms, plan->prefix);
	char no_poweroff[REPORT_TEXT_MAX + 1] = "";
	if (plan->no_poweroff) {
		snprintf(no_poweroff, sizeof(no_poweroff), "poweroff impossible here (%s): reset instead",
			 plan->no_poweroff);
		log_warn("shutdown: %s", no_poweroff);
	}
	if (!plan->begin_reported)
		ops->report(REPORT_STAGE_SHUTDOWN_BEGIN, 0, reset_action_name(plan->action));

	res->termed = kill_all_round(ops, SIGTERM, t0 + b.term_ms, &res->term_left);
	log_info("shutdown: SIGTERM to %u processes, %u left after %llu ms", res->termed, res->term_left,
		 (unsigned long long)(clock_ms() - t0));
	if (res->term_left) {
		res->killed = kill_all_round(ops, SIGKILL, t0 + b.kill_ms, &res->kill_left);
		log_info("shutdown: SIGKILL to %u processes, %u left%s", res->killed, res->kill_left,
			 res->kill_left ? " (stuck in the kernel)" : "");
	}

	sync_watch_run(ops, t0 + b.sync_ms, b.stall_ms, &res->sync);
	if (res->sync.status == 0)
		log_info("shutdown: synced in %llu ms", (unsigned long long)res->sync.elapsed_ms);
	else
		log_warn("shutdown: sync given up after %llu ms (%s; %llu kB still dirty)",
			 (unsigned long long)res->sync.elapsed_ms,
			 res->sync.status == -ETIMEDOUT ? "no progress or out of time" : strerror(-res->sync.status),
			 (unsigned long long)res->sync.dirty_end_kb);

	unmount_all(ops, plan->prefix, t0 + b.unmount_ms, b.umount_ms, &res->unmount);
	const struct unmount_result *u = &res->unmount;
	if (u->table_error)
		log_warn("shutdown: cannot read the mount table: %s", strerror(-u->table_error));
	log_info("shutdown: %u unmounted, %u detached, %u hung, %u left, in %u passes", u->unmounted,
		 u->detached, u->hung, u->failed, u->passes);
	if (u->left[0])
		log_warn("shutdown: not cleanly unmounted: %s", u->left);
	ops->report(REPORT_STAGE_UNMOUNTED, u->left[0] ? EBUSY : 0, u->left[0] ? u->left : NULL);

	/* Again, as systemd does: unmounting may have written (overlay, journals). Bounded: a
	 * detached NFS superblock with its server gone would block a plain sync() forever. */
	/* When the server is known to be gone, this cannot succeed: try briefly, then reset. */
	bool server_gone = res->sync.status != 0 || res->unmount.hung > 0;
	uint64_t final = clock_ms() + (server_gone && b.stall_ms > 500 ? 500 : b.stall_ms);
	res->final_sync = bounded_run(do_sync, (void *)ops, final < end ? final : end);
	char last[REPORT_TEXT_MAX + 1];
	snprintf(last, sizeof(last), "%s", no_poweroff[0] ? no_poweroff : reset_action_name(plan->action));
	set_wake_on_lan(ops, plan, end, last, sizeof(last));
	res->elapsed_ms = clock_ms() - t0;
	log_info("shutdown: %s after %llu ms", reset_action_name(plan->action), (unsigned long long)res->elapsed_ms);
	if (no_poweroff[0]) /* the last line before the kernel's, and the last report */
		log_warn("shutdown: %s", no_poweroff);
	ops->report(REPORT_STAGE_RESET, 0, last);
	ops->reset(plan->method, plan->action);
}
