/* ghostwatch's command line: each subcommand declares its options and positional arguments
 * in a table (main.c), and this one walker checks argv against that table only, so that an
 * option of another subcommand or a stray word is refused instead of ignored. Its usage is
 * printed from the same table, so --help cannot drift from what is accepted. */
#ifndef GW_CLI_H
#define GW_CLI_H

#include <stdio.h>

/* Exit status of every ghostwatch command (also in --help and ghostwatch(8)). */
#define CLI_EXIT_OK 0      /* done */
#define CLI_EXIT_FAIL 1    /* failed at run time: state, key, socket, file */
#define CLI_EXIT_USAGE 2   /* bad command line: nothing was done */

enum cli_kind { CLI_FLAG, CLI_TEXT, CLI_NUMBER };

struct cli_option {
	const char *name;       /* "--state-dir" */
	const char *alias;      /* "-v", or NULL */
	enum cli_kind kind;
	const char *metavar;    /* "DIR"; NULL for flags */
	const char *help;       /* one line; NULL: hidden (a deprecated spelling) */
	const char *renamed_to; /* deprecated spelling: warn, then act as this option */
	unsigned long min, max; /* CLI_NUMBER */
	int *flag;
	const char **text;
	unsigned long *number;
};

struct cli_command {
	const char *name;
	const char *args;        /* positional synopsis: "[NODES]", "OUT.svg", "" */
	unsigned min_args, max_args;
	const char *summary;     /* one line */
	const struct cli_option *const *options; /* NULL-terminated */
};

/* Walks argv (argv[0] is the subcommand's name): options anywhere, "--opt value" or
 * "--opt=value", "--" ends options; positionals into args (room for cmd->max_args).
 * Returns 0, CLI_EXIT_USAGE after printing what is wrong and the usage on stderr, or -1
 * after printing the usage on stdout for -h/--help (the caller exits 0). */
int cli_parse(const struct cli_command *cmd, int argc, char **argv, const char **args, unsigned *nargs);
void cli_usage(FILE *out, const struct cli_command *cmd);
/* The exit status lines every --help ends with. */
void cli_exit_codes(FILE *out);

#endif
