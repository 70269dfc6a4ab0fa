/* Reset methods. pci is the default because it resets the chipset (and the NIC with it),
 * which is what a wedged diskless node needs; acpi/kbd/efi/triple are the kernel's others. */
#include "reset.h"

#include <fcntl.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <sys/io.h>
#endif

#include "clock.h"
#include "log.h"

const char *reset_method_name(enum reset_method method)
{
	static const char *const names[] = { [RESET_PCI] = "pci", [RESET_ACPI] = "acpi", [RESET_KBD] = "kbd",
					     [RESET_EFI] = "efi", [RESET_TRIPLE] = "triple" };
	return (unsigned)method < sizeof(names) / sizeof(names[0]) ? names[method] : "pci";
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

_Noreturn void reset_machine(enum reset_method method, enum reset_action action)
{
	static const char *const verbs[] = { "reset", "power off", "halt" };
	sync();
	if (action == RESET_ACTION_POWEROFF) {
		log_info("powering off");
		reboot(RB_POWER_OFF);
	} else if (action == RESET_ACTION_HALT) {
		log_info("halting");
		reboot(RB_HALT_SYSTEM);
	} else {
		log_info("resetting (%s)", reset_method_name(method));
		write_reboot_type(reset_method_name(method));
		reboot(RB_AUTOBOOT);
		log_warn("reboot(2) returned; trying the 0xCF9 reset register");
		cf9_reset();
	}
	for (;;) {
		log_error("could not %s the machine; power-cycle it", verbs[action]);
		sleep_ms(10000);
	}
}
