/* The `shutdown` subcommand (see shutdown_cmd.h). */
#include "shutdown/shutdown_cmd.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "shutdown/shutdown.h"
#include "lib/usage.h"

int shutdown_cmd_main(int argc, char *const argv[])
{
	static const char usage[] = "usage: ghostinit shutdown reboot|poweroff|halt|kexec\n";
	if (usage_asked(argc, argv))
		return usage_print(usage, 0);
	if (argc != 2 || !shutdown_is_verb(argv[1]))
		return usage_print(usage, 1);
	if (geteuid() != 0) {
		fprintf(stderr, "ghostinit: shutdown needs root\n");
		return 1;
	}
	if (access(SHUTDOWN_NEW_ROOT "/shutdown", X_OK) != 0) {
		fprintf(stderr, "ghostinit: %s/shutdown missing (%s): this machine did not boot through "
				"ghostinit; refusing to kill every process here\n",
			SHUTDOWN_NEW_ROOT, strerror(errno));
		return 1;
	}
	shutdown_main(argc - 1, argv + 1, true);
}
