/* The line walker of ghostwatch's list files (the cluster's node list, the power list). */
#ifndef GW_TEXT_LINE_H
#define GW_TEXT_LINE_H

#include <stddef.h>

/* Copies the next line of *text (len *len bytes, no terminator needed) into buf as a string,
 * without its newline, and moves *text and *len past it. 1: a line; 0: no text left;
 * -EINVAL: the line does not fit in cap bytes or holds a NUL (a list file is text). */
int text_next_line(const char **text, size_t *len, char *buf, size_t cap);

#endif
