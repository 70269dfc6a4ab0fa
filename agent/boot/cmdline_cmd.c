/* The `cmdline` subcommand (see cmdline_cmd.h). */
#include "boot/cmdline_cmd.h"

#include <stdio.h>
#include <string.h>

#include "boot/boot_config_load.h"
#include "boot/boot_config_print.h"
#include "lib/usage.h"

static const char usage[] = "usage: ghostinit cmdline [--json] [TEXT]\n"
			    "what a kernel command line (TEXT, else /proc/cmdline) means; exit 1: warnings\n";

static void json_text(const char *s, const char *end)
{
	for (; s < end; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == '"' || c == '\\')
			printf("\\u%04x", c);
		else
			putchar(c);
	}
}

/* The name=value lines of boot_config_print as one JSON object, with the warnings. */
static void print_json(const char *text, const struct cmdline_warnings *w)
{
	const char *sep = "{";
	for (const char *line = text, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
		const char *eq = memchr(line, '=', (size_t)(nl - line));
		if (!eq)
			continue;
		printf("%s\"", sep);
		json_text(line, eq);
		printf("\":\"");
		json_text(eq + 1, nl);
		putchar('"');
		sep = ",";
	}
	printf("%s\"warnings\":[", sep);
	for (unsigned i = 0; i < w->count; i++) {
		printf("%s\"", i ? "," : "");
		json_text(w->text[i], w->text[i] + strlen(w->text[i]));
		putchar('"');
	}
	printf("]}\n");
}

int cmdline_cmd_main(int argc, char **argv)
{
	static struct boot_config cfg;
	static char text[8192];
	struct cmdline_warnings warnings;
	const char *given = NULL;
	int json = 0;
	if (usage_asked(argc, argv))
		return usage_print(usage, 0);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (argv[i][0] == '-' || given)
			return usage_print(usage, 1);
		else
			given = argv[i];
	}
	(void)boot_config_load(given, &cfg, &warnings);
	FILE *f = json ? fmemopen(text, sizeof(text) - 1, "w") : stdout;
	if (!f)
		return 1;
	boot_config_print(f, &cfg);
	if (json) {
		fclose(f);
		print_json(text, &warnings);
	}
	for (unsigned i = 0; i < warnings.count; i++)
		fprintf(stderr, "warning: %s\n", warnings.text[i]);
	return warnings.count ? 1 : 0;
}
