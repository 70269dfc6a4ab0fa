/* ghostinit: /init of a diskless worker's initramfs, and its shutdown program.
 * As PID 1, main() is the list of boot stages below; as a normal process it runs one job
 * (a subcommand) so that stages can be tested outside a VM. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "boot/boot_config_load.h"
#include "boot/boot_config_print.h"
#include "boot/cmdline_cmd.h"
#include "boot/early_mounts.h"
#include "boot/fatal.h"
#include "boot/modules.h"
#include "boot/modules_async.h"
#include "guardian/guardian_cmd.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/usage.h"
#include "net/net_stage.h"
#include "net/net_up_cmd.h"
#include "report/boot_report.h"
#include "report/report_cmd.h"
#include "root/root_stage.h"
#include "shutdown/shutdown.h"
#include "shutdown/shutdown_cmd.h"

static struct boot_config config; /* written once by read_boot_config(), then read-only */

static void read_boot_config(void)
{
	static struct cmdline_warnings warnings; /* kept for the boot report */
	int err = boot_config_load(NULL, &config, &warnings);
	if (err)
		log_warn("cannot read /proc/cmdline: %s; using defaults", strerror(-err));
	for (unsigned i = 0; i < warnings.count; i++)
		log_warn("%s", warnings.text[i]);
	if (warnings.dropped)
		log_warn("%u more command-line warnings not shown", warnings.dropped);
	boot_report_keep_warnings(&warnings);
	log_set_debug(config.debug);
	fatal_configure(&config);
}

/* NIC drivers now; the other modules load in a thread during DHCP (modules_async.c). */
static struct modules_result net_modules;

static void load_modules(void)
{
	struct module_needs needs;
	module_needs_from_config(&config, &needs);
	int err = modules_async_start(MODULES_LIST_PATH, &needs, &net_modules);
	if (err == -ENOENT) {
		log_info("no module list: this image carries no modules");
		return;
	}
	if (err)
		log_warn("cannot read %s: %s", MODULES_LIST_PATH, strerror(-err));
}

static void load_modules_finish(void)
{
	struct modules_result r;
	int err = modules_async_join(&r, deadline_in(MODULES_JOIN_MS));
	if (err == -ENOENT)
		return;
	if (err == -ETIMEDOUT)
		log_warn("modules: still loading after %u s (a driver's load hangs?); going on without waiting",
			 MODULES_JOIN_MS / 1000);
	unsigned skipped = net_modules.skipped + r.skipped;
	log_info("modules: %u loaded, %u already present, %u failed, %u not needed here%s%s%s%s%s",
		 net_modules.loaded + r.loaded, net_modules.present + r.present, net_modules.failed + r.failed,
		 skipped, skipped ? " (" : "", net_modules.skipped_names,
		 net_modules.skipped && r.skipped ? " " : "", r.skipped_names, skipped ? ")" : "");
}

static _Noreturn void boot(char *argv0)
{
	struct boot_times times = { .started = clock_ms() };
	early_console();
	int mount_err = early_mounts();
	log_init();
	fatal_install_crash_handlers();
	log_info("ghostboot %s starting", GHOSTBOOT_VERSION);
	if (mount_err)
		log_warn("early mounts incomplete: %s", strerror(-mount_err));
	read_boot_config();
	int panic_s = fatal_kernel_panic_timeout();
	if (panic_s > 0)
		log_info("kernel panic timeout: %d s (a panic of the real system resets the node)", panic_s);
	else if (panic_s < 0)
		log_warn("cannot set the kernel panic timeout: %s", strerror(-panic_s));
	load_modules();
	times.modules = times.net_started = clock_ms();
	static struct net_lease net;
	int net_err = net_stage_run(&config, &net);
	load_modules_finish(); /* even on failure: the rescue shell may need them */
	if (net_err && net_stage_required(&config))
		fatal("%s", net.error);
	if (net_err)
		log_warn("network: %s; going on without it (the root is not on the network)", net.error);
	else
		boot_report_start(&config, &net, &times, argv0);
	const struct rootspec_facts facts = {
		.client_ip = net.addr, .peer = net.peer, .next_server = net.next_server,
		.server_id = net.server_id, .root_path = net.root_path, .root_path_len = strlen(net.root_path),
	};
	root_stage_run(&config, net_err ? NULL : &facts, net.hostname);
}

static int usage(int bad)
{
	return usage_print("usage: ghostinit cmdline [--json] [TEXT]  what a kernel command line means\n"
			   "       ghostinit net-up ...   bring the network up as the boot would\n"
			   "       ghostinit report ...   send stage reports to ghostwatch\n"
			   "       ghostinit shutdown VERB  from another init: unmount the root safely, reset\n"
			   "       ghostinit guardian ... keep the boot link configured\n"
			   "       ghostinit              as PID 1: boot the worker\n"
			   "COMMAND --help: its usage; -V: the version; exit 2: bad usage\n", bad);
}

int main(int argc, char **argv)
{
	if (shutdown_invoked(argc, argv)) /* /shutdown VERB, from systemd-shutdown or another init */
		shutdown_main(argc - 1, argv + 1, getpid() != 1);
	if (argv[0] && argv[0][0] == '@') /* the resident boot-link guardian (guardian.h) */
		return guardian_cmd_main(argc, argv);
	if (getpid() == 1)
		boot(argv[0]);
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
		return usage(0);
	if (argc > 1 && (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version"))) {
		printf("ghostinit %s\n", GHOSTBOOT_VERSION); /* the top-level VERSION file */
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "cmdline"))
		return cmdline_cmd_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "net-up"))
		return net_up_cmd_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "report"))
		return report_cmd_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "shutdown"))
		return shutdown_cmd_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "guardian"))
		return guardian_cmd_main(argc - 1, argv + 1);
	return usage(1);
}
