/* Reset methods. pci is the default because it resets the chipset (and the NIC with it),
 * which is what a wedged diskless node needs; acpi/kbd/efi/triple are the kernel's others. */
#include "shutdown/reset.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/reboot.h>
#include <linux/watchdog.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <sys/io.h>
#endif

#include "guardian/guardian.h"
#include "lib/bounded.h"
#include "lib/child.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "lib/small_file.h"
#include "shutdown/shutdown_args.h"

const char *reset_method_name(enum reset_method method)
{
	static const char *const names[] = { [RESET_PCI] = "pci", [RESET_ACPI] = "acpi", [RESET_KBD] = "kbd",
					     [RESET_EFI] = "efi", [RESET_TRIPLE] = "triple" };
	return (unsigned)method < sizeof(names) / sizeof(names[0]) ? names[method] : "pci";
}

const char *reset_action_name(enum reset_action action)
{
	/* Named by the verb that asks for it: one list of the words (shutdown_args.c). */
	static const enum shutdown_verb verbs[] = { [RESET_ACTION_REBOOT] = SHUTDOWN_REBOOT,
						    [RESET_ACTION_POWEROFF] = SHUTDOWN_POWEROFF,
						    [RESET_ACTION_HALT] = SHUTDOWN_HALT,
						    [RESET_ACTION_KEXEC] = SHUTDOWN_KEXEC };
	return shutdown_verb_name((unsigned)action < sizeof(verbs) / sizeof(verbs[0]) ? verbs[action] : SHUTDOWN_REBOOT);
}

static void write_reboot_type(const char *type)
{
	int fd = open("/sys/kernel/reboot/type", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, type, strlen(type)) < 0)
		log_warn("cannot set reboot type %s", type);
	close(fd);
}

/* Last resort on x86: the reset control register, as the kernel's BOOT_CF9_FORCE does. */
static void cf9_reset(void)
{
#if defined(__x86_64__) || defined(__i386__)
	if (ioperm(0xcf9, 1, 1) != 0)
		return;
	outb(0x02, 0xcf9);
	sleep_ms(1);
	outb(0x06, 0xcf9);
	sleep_ms(100);
#endif
}

/* /dev/watchdog, opened once: a second open fails (EBUSY) while anyone holds it. */
static int watchdog_fd = -1;

static int watchdog_open(void)
{
	if (watchdog_fd < 0)
		watchdog_fd = open("/dev/watchdog", O_WRONLY | O_CLOEXEC);
	return watchdog_fd < 0 ? -errno : 0;
}

/* The net under the final action: whatever reboot(2) does or fails to do (a power-off the
 * kernel quietly turns into a halt, a reset that hangs in a driver), the machine resets when
 * this fires. Never fed again; the fd stays open (closing without the magic 'V' keeps it
 * armed anyway). The boot-link guardian may hold it armed already: then it is our net. */
static void watchdog_net(const char *under)
{
	int err = watchdog_open();
	if (err == -EBUSY) {
		log_info("watchdog held (armed by the link guardian): the net under the %s", under);
		return;
	}
	if (err)
		return; /* no watchdog on this machine */
	int timeout = RESET_WATCHDOG_NET_S;
	(void)ioctl(watchdog_fd, WDIOC_SETTIMEOUT, &timeout);
	(void)ioctl(watchdog_fd, WDIOC_KEEPALIVE, 0);
	log_info("watchdog armed (%d s) under the %s", timeout, under);
}

/* A halt is what the admin asked for: a watchdog armed earlier (by the link guardian when
 * shutdown began, which holds it open) must not reset the machine a few seconds later. The
 * magic close stops it, unless the driver was built with nowayout. Opening the device starts
 * it, so an idle one (sysfs says "inactive") is left alone. */
static void watchdog_disarm(void)
{
	char state[16];
	ssize_t n = small_file_read("/sys/class/watchdog/watchdog0/state", state, sizeof(state));
	if (n > 0 && !strncmp(state, "inactive", 8))
		return;
	int fd = open("/dev/watchdog", O_WRONLY | O_CLOEXEC);
	if (fd < 0 && errno == EBUSY && guardian_request_disarm(GUARDIAN_PIDFILE) > 0) {
		uint64_t deadline = deadline_in(RESET_DISARM_MS);
		while ((fd = open("/dev/watchdog", O_WRONLY | O_CLOEXEC)) < 0 && errno == EBUSY &&
		       !deadline_passed(deadline))
			sleep_ms(20);
	}
	if (fd < 0) {
		if (errno == EBUSY)
			log_warn("halting with the watchdog armed by another process: it will reset the machine");
		return;
	}
	bool stopped = write(fd, "V", 1) == 1;
	close(fd);
	if (stopped)
		log_info("watchdog disarmed: the machine stays halted");
}

/* The hardware watchdog as the last resort: shortest timeout, never fed again. */
static void watchdog_reset(void)
{
	if (watchdog_open() != 0)
		return;
	int timeout = 1;
	(void)ioctl(watchdog_fd, WDIOC_SETTIMEOUT, &timeout);
	(void)ioctl(watchdog_fd, WDIOC_KEEPALIVE, 0);
	log_warn("watchdog armed (%d s): the machine resets when it fires", timeout);
	sleep_ms(((uint64_t)timeout + 5) * 1000u);
}

static int call_reboot(void *arg)
{
	return reboot(*(const int *)arg) == 0 ? 0 : -errno;
}

/* reboot(2) for power-off, halt and kexec ends the calling task when the action fails (the
 * kernel's do_exit after kernel_power_off), and from PID 1 that is "Attempted to kill init":
 * a panic, which waits forever with panic=0. A child asks instead, as BusyBox init does;
 * when it comes back at all, the action failed and we fall back. A child still in the kernel
 * after the bound is left there: our reset then waits for the kernel's reboot lock, under
 * the watchdog. Without a child (fork failed) we ask ourselves: a panic then is the net. */
static void reboot_from_child(int cmd, const char *what)
{
	int r = bounded_run(call_reboot, &cmd, deadline_in(RESET_CHILD_MS));
	if (r == -ETIMEDOUT)
		log_warn("%s: still not done after %u ms", what, RESET_CHILD_MS);
	else if (r == -EAGAIN || r == -ENOMEM)
		reboot(cmd);
	else
		log_warn("%s failed (%s)", what, r ? strerror(-r) : "the kernel ended the task asking");
}

_Noreturn void reset_now(enum reset_method method, enum reset_action action)
{
	if ((unsigned)action > RESET_ACTION_KEXEC)
		action = RESET_ACTION_REBOOT;
	/* Not under a halt (the admin asked for the machine to stay as it is) nor under kexec
	 * (the next kernel may not know the watchdog: it would be reset in its first seconds). */
	if (action == RESET_ACTION_POWEROFF || action == RESET_ACTION_REBOOT)
		watchdog_net(reset_action_name(action));
	if (action == RESET_ACTION_POWEROFF) {
		log_info("powering off");
		reboot_from_child(RB_POWER_OFF, "power off");
		log_warn("power off failed; resetting instead");
	} else if (action == RESET_ACTION_HALT) {
		watchdog_disarm();
		log_info("halting");
		reboot_from_child(RB_HALT_SYSTEM, "halt");
	} else if (action == RESET_ACTION_KEXEC) {
		log_info("booting the loaded kernel (kexec)");
		reboot_from_child(LINUX_REBOOT_CMD_KEXEC, "kexec");
		log_warn("kexec failed; resetting instead");
	}
	if (action != RESET_ACTION_HALT) {
		log_info("resetting (%s)", reset_method_name(method));
		write_reboot_type(reset_method_name(method));
		reboot(RB_AUTOBOOT);
		log_warn("reboot(2) returned; trying the 0xCF9 reset register");
		cf9_reset();
		watchdog_reset();
	}
	for (;;) {
		log_error("could not %s the machine; power-cycle it", /* every other action fell back to a reset */
			  action == RESET_ACTION_HALT ? "halt" : "reset");
		sleep_ms(10000);
	}
}

_Noreturn void reset_machine(enum reset_method method, enum reset_action action)
{
	pid_t pid = fork();
	if (pid == 0) {
		child_signals_default();
		sync();
		_exit(0);
	}
	if (pid > 0) {
		uint64_t deadline = deadline_in(RESET_SYNC_MS);
		while (waitpid(pid, NULL, WNOHANG) == 0 && !deadline_passed(deadline))
			sleep_ms(10);
	}
	reset_now(method, action);
}
