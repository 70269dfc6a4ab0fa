/* Hexadecimal digits of untrusted text: MACs on the command line, the report key. */
#ifndef GHOST_HEX_H
#define GHOST_HEX_H

/* The value of one hex digit (either case), or -1. */
int hex_digit(char c);
/* The byte two hex digits at p spell, or -1 (p[1] is not read when p[0] is not a digit). */
int hex_byte(const char *p);

#endif
