/* The end of the node's life: a fixed order, every step bounded and logged, all of it inside
 * ghost.shutdown_timeout: report, TERM, grace, KILL, sync with a progress watch, unmount
 * everything under /oldroot newest first, report what could not be, reset. The network link
 * is never touched: the NFS root needs it until the very end. */
#ifndef GHOST_SHUTDOWN_H
#define GHOST_SHUTDOWN_H

#include <stdbool.h>
#include <stdint.h>

#include "boot/boot_config.h"
#include "shutdown/kill_all.h"
#include "shutdown/reset.h"
#include "shutdown/shutdown_args.h"
#include "shutdown/shutdown_ops.h"
#include "shutdown/sync_watch.h"
#include "shutdown/unmount_all.h"

#define SHUTDOWN_OLDROOT "/oldroot"

struct shutdown_plan {
	enum reset_action action;
	enum reset_method method;
	uint32_t timeout_ms; /* the whole sequence; the reset comes at the latest then */
	const char *prefix;  /* what to unmount: SHUTDOWN_OLDROOT, or "/" */
	bool begin_reported; /* the heartbeat daemon already sent shutdown-begin */
	const char *no_poweroff; /* a power-off was asked for and cannot be: why (it resets) */
	enum wol_mode wol;       /* set on wol_ifname just before a power-off (ghost.wol=) */
	char wol_ifname[16];     /* the boot NIC; empty: unknown (no guardian), nothing set */
};

/* How each step's bound is carved out of the whole (all in ms from the start). */
struct shutdown_budget {
	uint64_t term_ms;   /* SIGTERM grace ends */
	uint64_t kill_ms;   /* wait after SIGKILL ends */
	uint64_t sync_ms;   /* sync given up */
	uint64_t stall_ms;  /* sync given up when the dirty counters stop shrinking this long */
	uint64_t umount_ms; /* one umount (MNT_FORCE for a network filesystem) */
	uint64_t unmount_ms; /* unmounting ends; the rest is the final sync and the reset */
};

struct shutdown_result {
	unsigned termed, term_left, killed, kill_left;
	struct sync_watch_result sync;
	struct unmount_result unmount;
	int final_sync; /* 0 or -ETIMEDOUT */
	uint64_t elapsed_ms; /* from the start to the reset call */
};

/* verb → action: poweroff and systemd's exit power off, halt halts, kexec boots the loaded
 * kernel when there is one (else reboots); the method and bound come from the command line.
 * A power-off this kernel cannot do (poweroff_blocker: why, or NULL) becomes a reset. */
void shutdown_plan_make(const struct shutdown_args *args, const struct boot_config *cfg,
			bool kexec_loaded, const char *poweroff_blocker, const char *prefix,
			struct shutdown_plan *plan);
void shutdown_budget_make(uint32_t timeout_ms, struct shutdown_budget *b);

/* Runs the sequence with the given syscall layer and ends in ops->reset (which never returns
 * on a machine; with fakes it returns, and so does this). */
void shutdown_run(const struct shutdown_ops *ops, const struct shutdown_plan *plan,
		  struct shutdown_result *res);

/* The shutdown program: argv after the program name (systemd-shutdown's) or after
 * `shutdown`. Reads /proc/cmdline for ghost.shutdown_timeout= and ghost.reset=. When
 * pivot is set (another init called `ghostinit shutdown VERB`), first moves into
 * /run/initramfs with the old root at /oldroot. Never returns. */
_Noreturn void shutdown_main(int argc, char *const argv[], bool pivot);

/* Where the boot left the shutdown program and its root (systemd's initrd interface). */
#define SHUTDOWN_NEW_ROOT "/run/initramfs"

/* Whether word is a verb of the shutdown program (shutdown_args.h). */
bool shutdown_is_verb(const char *word);

/* True when this process is the shutdown program: argv[0]'s basename is "shutdown" and either
 * we are PID 1 (systemd-shutdown exec'd /shutdown after its pivot) or argv[1] is a verb (an
 * init ran /run/initramfs/shutdown VERB itself, which then pivots like `ghostinit shutdown`). */
bool shutdown_invoked(int argc, char *const argv[]);

#endif
