/* The `cmdline` subcommand (see cmdline_cmd.h). */
#include "boot/cmdline_cmd.h"

#include <stdio.h>

#include "boot/boot_config_load.h"
#include "boot/boot_config_print.h"

int cmdline_cmd_main(int argc, char **argv)
{
	static struct boot_config cfg;
	struct cmdline_warnings warnings;
	(void)boot_config_load(argc > 1 ? argv[1] : NULL, &cfg, &warnings);
	boot_config_print(stdout, &cfg);
	for (unsigned i = 0; i < warnings.count; i++)
		fprintf(stderr, "warning: %s\n", warnings.text[i]);
	return warnings.count ? 1 : 0;
}
