/* Whether this kernel can power the machine off, decided before reboot(2) is asked to: the
 * kernel turns a power-off it cannot perform into a halt (kernel/reboot.c), and a halted
 * diskless node sits there with its fans on until someone walks over. */
#ifndef GHOST_POWEROFF_H
#define GHOST_POWEROFF_H

#include <stdbool.h>

/* What the kernel shows of ACPI: /sys/firmware/acpi exists only when ACPI is enabled. */
enum poweroff_acpi { POWEROFF_ACPI_UNKNOWN = -1, POWEROFF_ACPI_ABSENT = 0, POWEROFF_ACPI_PRESENT = 1 };

/* Pure: NULL when a power-off can work as far as the kernel shows, else why not, short
 * enough for a report ("acpi=off", "no ACPI"). On x86-64 the power-off is ACPI's (S5): with
 * ACPI disabled on the command line or absent, pm_power_off stays unset. An unknown state
 * (sysfs not mounted) is not a reason: the watchdog stays the net (reset.c). */
const char *poweroff_blocker(bool acpi_off_cmdline, enum poweroff_acpi acpi);

/* Looks at sysfs: present, absent, or unknown when /sys is not a sysfs we can read. */
enum poweroff_acpi poweroff_acpi_state(void);

#endif
