/* Whether this kernel can power the machine off (see poweroff.h). */
#include "shutdown/poweroff.h"

#include <stddef.h>
#include <unistd.h>

const char *poweroff_blocker(bool acpi_off_cmdline, enum poweroff_acpi acpi)
{
	if (acpi_off_cmdline)
		return "acpi=off";
	if (acpi == POWEROFF_ACPI_ABSENT)
		return "no ACPI";
	return NULL;
}

enum poweroff_acpi poweroff_acpi_state(void)
{
	if (access("/sys/firmware/acpi", F_OK) == 0)
		return POWEROFF_ACPI_PRESENT;
	/* Without /sys/kernel this is not sysfs (not mounted here): absence proves nothing. */
	return access("/sys/kernel", F_OK) == 0 ? POWEROFF_ACPI_ABSENT : POWEROFF_ACPI_UNKNOWN;
}
