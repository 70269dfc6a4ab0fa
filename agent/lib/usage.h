/* The subcommands' shared conventions (one place, so they cannot drift): -h/--help prints the
 * usage on stdout and exits 0; bad usage prints it on stderr and exits 2. */
#ifndef GHOST_USAGE_H
#define GHOST_USAGE_H

#define USAGE_EXIT 2 /* bad command line: nothing was done */

/* 1 when an argument after argv[0] is -h or --help (before a "--"), else 0. */
int usage_asked(int argc, char *const argv[]);
/* Prints text on stdout (help: returns 0) or stderr (bad: returns USAGE_EXIT). */
int usage_print(const char *text, int bad);

#endif
